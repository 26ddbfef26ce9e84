"""Sums that must not exceed what they draw on, asserted figures, budgets."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import accumulate, compress, groupby
from operator import attrgetter, ne
from typing import TypeVar

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core import figures as fig
from cndledger.core.ledger import Ledger
from cndledger.format.codes import (
    ASSERT_FAILED,
    DECOMMITMENTS_EXCEED_COMMITMENT,
    DUPLICATE_REFERENCE,
    OVER_BUDGET,
    OVERSPENT,
    REFUNDS_EXCEED_RELEASES,
    RELEASES_EXCEED_COMMITMENT,
    RELEASES_EXCEED_TRANCHE,
    SPENT_NEGATIVE,
    TRANCHES_EXCEED_COMMITMENT,
    Code,
)
from cndledger.format.currency import money_text as _money
from cndledger.format.problems import Problem
from cndledger.format.records import Commitment, Decommitment, Expense, Refund, Release, Tranche

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")
_DATE, _AMOUNT, _REFERENCE = attrgetter("date"), attrgetter("amount"), attrgetter("reference")


def sums_exceeded(ledger: Ledger) -> Iterator[Problem]:
    # A commitment is its amount less all its decommitments; where those exceed it, only that is said.
    cancelled = counting.decommitted(ledger)
    over_cancelled: set[str] = yield from _decommitments_exceed(ledger)
    tranches_of: dict[str, list[Tranche]] = {}
    for tranche in ledger.tranches:
        tranches_of.setdefault(tranche.commitment, []).append(tranche)
    for commitment_id, tranches in tranches_of.items():
        commitment = ledger.commitment_by_id.get(commitment_id)
        if commitment is None or commitment_id in over_cancelled:
            continue
        net = counting.net_amount(commitment, cancelled)
        total = counting.ZERO
        for tranche in tranches:
            total = counting.MONEY.add(total, tranche.amount)
            if total > net:
                currency = counting.entry_currency(ledger, commitment)
                yield TRANCHES_EXCEED_COMMITMENT.problem(
                    f"the tranches of commitment '{commitment.id}' (at {commitment.at}) add up to "
                    f"{_money(counting.total(t.amount for t in tranches), currency)}, more than its "
                    f"{_net_text(commitment, cancelled, currency)}", tranche.at_key("amount"))
                break
    commitments = {commitment_id: commitment for commitment_id, commitment in ledger.commitment_by_id.items()
                   if commitment_id not in over_cancelled}
    yield from _releases_exceed(ledger, "commitment", commitments, RELEASES_EXCEED_COMMITMENT,
                                lambda commitment, currency: _net_text(commitment, cancelled, currency),
                                lambda commitment: counting.net_amount(commitment, cancelled))
    yield from _releases_exceed(ledger, "tranche", ledger.tranche_by_id, RELEASES_EXCEED_TRANCHE)
    yield from _refunds_exceed(ledger)


def _net_text(commitment: Commitment, cancelled: Mapping[str, Decimal], currency: str | None) -> str:
    """A commitment's amount as the exceed-checks compare with it: less its decommitments, where any."""
    decommitted = cancelled.get(commitment.id)
    if decommitted is None:
        return _money(commitment.amount, currency)
    return (f"{_money(counting.net_amount(commitment, cancelled), currency)} ({_money(commitment.amount, currency)} "
            f"less {_money(decommitted, currency)} decommitted)")


_Flow = TypeVar("_Flow", Release, Refund, Decommitment)


def _in_date_order_by_commitment(ledger: Ledger, flows: Sequence[_Flow]) -> dict[str, list[_Flow]]:
    found: dict[str, list[_Flow]] = {}
    for flow in flows:
        if flow.commitment in ledger.commitment_by_id:
            found.setdefault(flow.commitment, []).append(flow)
    return {commitment_id: sorted(of, key=_DATE) for commitment_id, of in found.items()}


def _decommitments_exceed(ledger: Ledger) -> Generator[Problem, None, set[str]]:
    """Point at the decommitment that, in date order, takes the total past the commitment; returns
    the ids of the commitments so reported."""
    reported: set[str] = set()
    for commitment_id, decommitments in _in_date_order_by_commitment(ledger, ledger.decommitments).items():
        commitment = ledger.commitment_by_id[commitment_id]
        currency = counting.entry_currency(ledger, commitment)
        total = counting.ZERO
        for decommitment in decommitments:
            total = counting.MONEY.add(total, decommitment.amount)
            if total > commitment.amount:
                reported.add(commitment_id)
                yield DECOMMITMENTS_EXCEED_COMMITMENT.problem(
                    f"decommitments of commitment '{commitment_id}' (at {commitment.at}) reach "
                    f"{_money(total, currency)} with this one, more than its {_money(commitment.amount, currency)}",
                    decommitment.at_key("amount"))
                break
    return reported


def _refunds_exceed(ledger: Ledger) -> Iterator[Problem]:
    """Point at the refund that, in date order, takes the total past all the commitment's releases."""
    if not ledger.refunds:
        return
    released: dict[str, Decimal] = {}
    with counting.money():
        for release in ledger.releases:
            released[release.commitment] = released.get(release.commitment, counting.ZERO) + release.amount
    for commitment_id, refunds in _in_date_order_by_commitment(ledger, ledger.refunds).items():
        commitment = ledger.commitment_by_id[commitment_id]
        currency = counting.entry_currency(ledger, commitment)
        releases = released.get(commitment_id, counting.ZERO)
        total = counting.ZERO
        for refund in refunds:
            total = counting.MONEY.add(total, refund.amount)
            if total > releases:
                yield REFUNDS_EXCEED_RELEASES.problem(
                    f"refunds against commitment '{commitment_id}' (at {commitment.at}) reach "
                    f"{_money(total, currency)} with this one, more than the {_money(releases, currency)} "
                    "released against it", refund.at_key("amount"))
                break


def _releases_exceed(ledger: Ledger, key: str, by_id: Mapping[str, Commitment | Tranche], code: Code,
                     amount_text: Callable[..., str] | None = None,
                     amount_of: Callable[..., Decimal] = attrgetter("amount")) -> Iterator[Problem]:
    """Point at the release that, in date order, takes the total past the amount."""
    releases_of: dict[str, list[Release]] = {}
    for release in ledger.releases:
        target: str | None = getattr(release, key)
        if target is not None and target in by_id:
            releases_of.setdefault(target, []).append(release)
    for target_id, releases in releases_of.items():
        drawn_on = by_id[target_id]
        limit = amount_of(drawn_on)
        total = counting.ZERO
        for release in sorted(releases, key=lambda r: r.date):
            total = counting.MONEY.add(total, release.amount)
            if total > limit:
                commitment = ledger.commitment_by_id.get(release.commitment)
                currency = counting.entry_currency(ledger, commitment) if commitment is not None else None
                its = amount_text(drawn_on, currency) if amount_text else _money(drawn_on.amount, currency)
                yield code.problem(f"releases against {key} '{target_id}' (at {drawn_on.at}) reach "
                                   f"{_money(total, currency)} with this one, more than its {its}",
                                   release.at_key("amount"))
                break


def spent_negative(ledger: Ledger) -> Iterator[Problem]:
    """A project's own expenses, totalled at the end of each day in date order, below zero on some day:
    reported once per project, at the last credit of the first such day."""
    expenses = ledger.expenses
    if not expenses or min(map(_AMOUNT, expenses)) > 0:  # no credit: no total can fall below zero
        return
    projects = list(map(_PROJECT, expenses))
    credited = set(compress(projects, map(counting.ZERO.__gt__, map(_AMOUNT, expenses))))
    days = counting.expense_days(ledger)
    # Only the projects with a credit of their own can fall below zero: their expenses by project and day.
    order = counting.expenses_by_project_and_day(ledger)
    of_credited = compress(order, map(credited.__contains__, map(projects.__getitem__, order)))
    with counting.money():
        for project_id, run in groupby(of_credited, key=projects.__getitem__):
            currency = ledger.project_currency(project_id)
            if currency is None:
                continue
            positions = list(run)
            its_days = list(map(days.__getitem__, positions))
            amount_at = counting.expense_amounts_in(ledger, currency)  # each in the project's currency, on its day
            # Where the running total, read at the end of each day, never falls below zero: nothing to say
            # (the sums in C; the day's ends are where the next one's day differs).
            running = list(accumulate(map(amount_at.__getitem__, positions)))
            ends = map(ne, its_days, [*its_days[1:], None])
            if min(compress(running, ends)) >= 0:
                continue
            total = counting.ZERO
            for day, of_day in groupby(positions, key=days.__getitem__):
                on_the_day = list(of_day)
                total = sum((amount_at[position] for position in on_the_day), total)  # in the money context
                if total < 0:
                    credit = next(expenses[position] for position in reversed(on_the_day)
                                  if expenses[position].amount < 0)
                    yield SPENT_NEGATIVE.problem(
                        f"the expenses of project '{project_id}' total {_money(total, currency)} at the end of "
                        f"{day}, below zero: a credit cannot take back more than was spent", credit.at_key("amount"))
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
    budgeted = _committed_where_budgeted(ledger, projects, as_of)
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


def _committed_where_budgeted(ledger: Ledger, projects: list[fig.ProjectFigures],
                              as_of: _dt.date) -> dict[str, tuple[Decimal, tuple[str, ...]]]:
    """For each project without a budget of its own: what the projects below it that set one have
    committed (each one's children included), and which they are. Its budget is derived from theirs,
    so it is compared with their commitments only; the others' commitments have no budget to exceed."""
    own_budget = {figures.project.id: figures.own_budget for figures in projects}
    found: dict[str, tuple[Decimal, tuple[str, ...]]] = {}
    lines = counting.lineages(ledger)
    currency_of = {figures.project.id: figures.project.currency for figures in projects}
    in_currency: dict[str, dict[str, Decimal]] = {}  # where a project above is in another currency: committed in it

    def committed_in(figures: fig.ProjectFigures, currency: str) -> Decimal:
        if currency == figures.currency:
            return figures.committed
        if currency not in in_currency:
            in_currency[currency] = {row.project.id: row.committed for row in fig.balance(
                ledger, as_of, with_spent=False, currency=currency).projects}
        return in_currency[currency][figures.project.id]

    for figures in projects:
        project_id = figures.project.id
        if figures.own_budget is None:
            continue
        for above in lines.get(project_id, ())[1:]:
            if own_budget.get(above) is not None:
                break
            committed, which = found.get(above, (counting.ZERO, ()))
            found[above] = (counting.MONEY.add(committed, committed_in(figures, currency_of[above])),
                            (*which, f"'{project_id}'"))
    return found


def overspent(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    for figures in fig.balance(ledger, as_of).projects:
        if figures.available < 0:
            project, currency = figures.project, figures.project.currency
            refunded = f" less {_money(figures.refunded, currency)} refunded" if figures.refunded else ""
            yield OVERSPENT.problem(
                f"project '{project.id}' has spent {_money(figures.spent, currency)} of "
                f"{_money(figures.released, currency)} released{refunded} as of {as_of}: available "
                f"{_money(figures.available, currency)}", project.at)


def duplicate_references(ledger: Ledger) -> Iterator[Problem]:
    for kind, entries in (("release", ledger.releases), ("refund", ledger.refunds), ("expense", ledger.expenses)):
        references = list(map(_REFERENCE, entries))
        unset = references.count(None)
        if len(set(references)) - (unset > 0) == len(references) - unset:  # no reference repeats (at C speed)
            continue
        first_with: dict[str, Release | Refund | Expense] = {}
        for entry in entries:
            if entry.reference is None:
                continue
            first = first_with.setdefault(entry.reference, entry)
            if first is not entry:
                yield DUPLICATE_REFERENCE.problem(
                    f"{kind} reference '{entry.reference}' is also the reference of the {kind} at {first.at}",
                    entry.at_key("reference"))


CHECKS = (
    Check(sums_exceeded, DECOMMITMENTS_EXCEED_COMMITMENT, TRANCHES_EXCEED_COMMITMENT, RELEASES_EXCEED_COMMITMENT,
          RELEASES_EXCEED_TRANCHE, REFUNDS_EXCEED_RELEASES),
    Check(spent_negative, SPENT_NEGATIVE),
    Check(failed_asserts, ASSERT_FAILED, needs_figures=True),
    Check(budget_warnings, OVER_BUDGET, dated=True),
    Check(overspent, OVERSPENT, dated=True, needs_figures=True),
    Check(duplicate_references, DUPLICATE_REFERENCE),
)
