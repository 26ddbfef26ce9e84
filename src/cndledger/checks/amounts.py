"""Sums that must not exceed what they draw on, asserted figures, budgets."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from operator import attrgetter

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core import figures as fig
from cndledger.core.ledger import Ledger
from cndledger.format.codes import (
    ASSERT_FAILED,
    DUPLICATE_REFERENCE,
    OVER_BUDGET,
    OVERSPENT,
    RELEASES_EXCEED_COMMITMENT,
    RELEASES_EXCEED_TRANCHE,
    TRANCHES_EXCEED_COMMITMENT,
    Code,
)
from cndledger.format.currency import money_text as _money
from cndledger.format.problems import Problem

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


def sums_exceeded(ledger: Ledger) -> Iterator[Problem]:
    tranches_of: dict[str, list] = {}
    for tranche in ledger.tranches:
        tranches_of.setdefault(tranche.commitment, []).append(tranche)
    for commitment_id, tranches in tranches_of.items():
        commitment = ledger.commitment_by_id.get(commitment_id)
        if commitment is None:
            continue
        total = counting.ZERO
        for tranche in tranches:
            total = counting.MONEY.add(total, tranche.amount)
            if total > commitment.amount:
                currency = ledger.project_currency(commitment.project)
                yield TRANCHES_EXCEED_COMMITMENT.problem(
                    f"the tranches of commitment '{commitment.id}' (at {commitment.at}) add up to "
                    f"{_money(counting.total(t.amount for t in tranches), currency)}, more than its "
                    f"{_money(commitment.amount, currency)}", tranche.at_key("amount"))
                break
    yield from _releases_exceed(ledger, "commitment", ledger.commitment_by_id, RELEASES_EXCEED_COMMITMENT)
    yield from _releases_exceed(ledger, "tranche", ledger.tranche_by_id, RELEASES_EXCEED_TRANCHE)


def _releases_exceed(ledger: Ledger, key: str, by_id, code: Code) -> Iterator[Problem]:
    """Point at the release that, in date order, takes the total past the amount."""
    releases_of: dict[str, list] = {}
    for release in ledger.releases:
        target = getattr(release, key)
        if target is not None and target in by_id:
            releases_of.setdefault(target, []).append(release)
    for target_id, releases in releases_of.items():
        target = by_id[target_id]
        total = counting.ZERO
        for release in sorted(releases, key=lambda r: r.date):
            total = counting.MONEY.add(total, release.amount)
            if total > target.amount:
                project = ledger.commitment_project(release.commitment)
                currency = project.currency if project else None
                yield code.problem(f"releases against {key} '{target_id}' (at {target.at}) reach "
                                   f"{_money(total, currency)} with this one, more than its {_money(target.amount, currency)}",
                                   release.at_key("amount"))
                break


def failed_asserts(ledger: Ledger) -> Iterator[Problem]:
    totals = fig.totals_as_of(ledger, [(assertion.project, assertion.date.last) for assertion in ledger.asserts])
    for assertion in ledger.asserts:
        figures = totals.get((assertion.project, assertion.date.last))
        if figures is None:
            continue
        currency = ledger.project_by_id[assertion.project].currency
        for name, asserted in assertion.asserted().items():
            computed = figures.figure(name)
            if computed != asserted:
                yield ASSERT_FAILED.problem(
                    f"{name} of '{assertion.project}' as of {assertion.date}: asserted "
                    f"{_money(asserted, currency)}, computed {_money(computed, currency)}, difference "
                    f"{_money(counting.difference(computed, asserted), currency)}", assertion.at_key(name))


def budget_warnings(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    projects = fig.balance(ledger, as_of, with_spent=False).projects
    budgeted = _committed_where_budgeted(ledger, projects)
    for figures in projects:
        if figures.budget is None:
            continue
        project, currency = figures.project, figures.project.currency
        if figures.own_budget is not None:
            if figures.committed > figures.budget:
                yield OVER_BUDGET.problem(f"project '{project.id}' has {_money(figures.committed, currency)} committed "
                                          f"as of {as_of}, above its budget of {_money(figures.budget, currency)}",
                                          project.at_key("budget"))
            continue
        committed, which = budgeted[project.id]
        if committed > figures.budget:
            yield OVER_BUDGET.problem(
                f"project '{project.id}' has {_money(committed, currency)} committed as of {as_of} by the projects "
                f"below it that set a budget ({', '.join(which)}), above their budgets' sum of "
                f"{_money(figures.budget, currency)}", project.at)


def _committed_where_budgeted(ledger: Ledger, projects: list) -> dict[str, tuple]:
    """For each project without a budget of its own: what the projects below it that set one have
    committed (each one's children included), and which they are. Its budget is derived from theirs,
    so it is compared with their commitments only; the others' commitments have no budget to exceed."""
    own_budget = {figures.project.id: figures.own_budget for figures in projects}
    found: dict[str, tuple] = {}
    lines = counting.lineages(ledger)
    for figures in projects:
        project_id = figures.project.id
        if figures.own_budget is None:
            continue
        for above in lines.get(project_id, ())[1:]:
            if own_budget.get(above) is not None:
                break
            committed, which = found.get(above, (counting.ZERO, ()))
            found[above] = (counting.MONEY.add(committed, figures.committed), (*which, f"'{project_id}'"))
    return found


def overspent(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    for figures in fig.balance(ledger, as_of).projects:
        if figures.available < 0:
            project, currency = figures.project, figures.project.currency
            yield OVERSPENT.problem(
                f"project '{project.id}' has spent {_money(figures.spent, currency)} of "
                f"{_money(figures.released, currency)} released as of {as_of}: available "
                f"{_money(figures.available, currency)}", project.at)


def duplicate_references(ledger: Ledger) -> Iterator[Problem]:
    # Expenses have no `reference` in format v1; they join here when version 2 gives them one.
    first_with: dict[str, object] = {}
    for release in ledger.releases:
        if release.reference is None:
            continue
        first = first_with.setdefault(release.reference, release)
        if first is not release:
            yield DUPLICATE_REFERENCE.problem(
                f"release reference '{release.reference}' is also the reference of the release at {first.at}",
                release.at_key("reference"))


CHECKS = (
    Check(sums_exceeded, TRANCHES_EXCEED_COMMITMENT, RELEASES_EXCEED_COMMITMENT, RELEASES_EXCEED_TRANCHE),
    Check(failed_asserts, ASSERT_FAILED, needs_figures=True),
    Check(budget_warnings, OVER_BUDGET, dated=True),
    Check(overspent, OVERSPENT, dated=True, needs_figures=True),
    Check(duplicate_references, DUPLICATE_REFERENCE),
)
