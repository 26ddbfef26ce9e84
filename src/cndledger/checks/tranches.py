"""Tranches: released against their own commitment, matched by their counterpart, not overdue."""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from decimal import Decimal
from itertools import accumulate
from operator import attrgetter
from typing import TYPE_CHECKING

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core import figures as fig
from cndledger.core.ledger import Ledger
from cndledger.format.codes import CONDITION_BROKEN, TRANCHE_COMMITMENT, TRANCHE_OVERDUE, UNMATCHED_COUNTERPART
from cndledger.format.currency import money_text as _money
from cndledger.format.dates import days_apart
from cndledger.format.problems import Problem
from cndledger.format.records import Release

if TYPE_CHECKING:
    Counted = tuple[_dt.date, Decimal, Release]  # the day a release counts from, its amount (its project's currency), it
from cndledger.format.rules import COUNTERPART_WINDOW_DAYS

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


def tranche_commitments(ledger: Ledger) -> Iterator[Problem]:
    for release in ledger.releases:
        tranche = ledger.tranche_by_id.get(release.tranche) if release.tranche else None
        if tranche is not None and tranche.commitment != release.commitment:
            yield TRANCHE_COMMITMENT.problem(
                f"release against commitment '{release.commitment}' names tranche "
                f"'{tranche.id}' (at {tranche.at}), which belongs to commitment '{tranche.commitment}'",
                release.at_key("tranche"))


def counterparts(ledger: Ledger) -> Iterator[Problem]:
    releases_of: dict[str, list[Release]] = {}
    for release in ledger.releases:
        releases_of.setdefault(release.commitment, []).append(release)
    for release in ledger.releases:
        tranche = ledger.tranche_by_id.get(release.tranche) if release.tranche else None
        if tranche is None or tranche.matched_by is None or tranche.matched_by not in ledger.commitment_by_id:
            continue
        matching = releases_of.get(tranche.matched_by, [])
        if not any(days_apart(release.date, other.date) <= COUNTERPART_WINDOW_DAYS for other in matching):
            counterpart = ledger.commitment_by_id[tranche.matched_by]
            yield UNMATCHED_COUNTERPART.problem(
                f"tranche '{tranche.id}' was released on {release.date} but its "
                f"counterpart commitment '{counterpart.id}' (at {counterpart.at}) has no release within "
                f"{COUNTERPART_WINDOW_DAYS} days of it", release.at_key("date"))


def overdue_tranches(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    released = fig.released_by_tranche(ledger, as_of)
    for tranche in ledger.tranches:
        if tranche.due is None or tranche.due.last >= as_of:
            continue
        got = released.get(tranche.id, counting.ZERO)
        if got < tranche.amount:
            commitment = ledger.commitment_by_id.get(tranche.commitment)
            currency = counting.entry_currency(ledger, commitment) if commitment is not None else None
            yield TRANCHE_OVERDUE.problem(
                f"tranche '{tranche.id}' was due {tranche.due} and has "
                f"{_money(got, currency)} of {_money(tranche.amount, currency)} released as of {as_of}",
                tranche.at_key("due"))


_JUDGED_AFTER_THE_FACT = ("after", "not_before", "requires", "min_spent", "matched_by")


class _Released:
    """The releases of one tranche or commitment in the order they count: what they add up to by a day,
    and the first of the latest ones counting by it, one release left out."""

    __slots__ = ("days", "releases", "running")

    def __init__(self, counted: list[Counted]) -> None:  # sorted by day, ledger order kept
        self.days = [day for day, _, _ in counted]
        self.releases = [release for _, _, release in counted]
        self.running = list(accumulate((amount for _, amount, _ in counted), initial=counting.ZERO))

    def total(self, day: _dt.date, left_out: Release | None) -> Decimal:
        end = bisect_right(self.days, day)
        amount = self.running[end]
        if left_out in self.releases[:end]:  # (few: the releases of one tranche or counterpart)
            amount = counting.difference(amount, left_out.amount)
        return amount

    def latest(self, day: _dt.date, left_out: Release | None) -> list[Release]:
        """As `max` by counting day over the releases counting by the day would find it."""
        end = bisect_right(self.days, day)
        while end:
            start = bisect_left(self.days, self.days[end - 1], 0, end)
            run = [release for release in self.releases[start:end] if release is not left_out]
            if run:
                return run[:1]
            end = start
        return []


class _ProjectTotals:
    __slots__ = ("figures",)

    def __init__(self, figures: dict[str, fig.Totals | None]) -> None:
        self.figures = figures

    def of(self, project_id: str) -> fig.Totals | None:
        return self.figures.get(project_id)


def broken_conditions(ledger: Ledger) -> Iterator[Problem]:
    """Each release of a tranche judged as `release-check --on` its counting day would have judged it
    before it was recorded; a release dated by month or year, on the first day of its period as well."""
    from cndledger.core.conditions import ReleaseConditions

    releases = ledger.releases
    committed_by = counting.released_commitments(ledger)
    counting_from = counting.release_counting_days(releases, committed_by)
    judged = []  # (release, tranche, its commitment's project, the days it is judged on)
    by_tranche: dict[str, list[Counted]] = {}
    by_commitment: dict[str, list[Counted]] = {}
    for release, commitment, day in zip(releases, committed_by, counting_from):
        if commitment is None:
            continue
        amount = release.amount  # in its commitment's currency, as its tranche is
        by_commitment.setdefault(release.commitment, []).append((day, amount, release))
        if release.tranche is None:
            continue
        by_tranche.setdefault(release.tranche, []).append((day, amount, release))
        tranche = ledger.tranche_by_id.get(release.tranche)
        if (tranche is None or tranche.commitment != release.commitment
                or not any(getattr(tranche, name) for name in _JUDGED_AFTER_THE_FACT)):
            continue
        days = [day] if release.date.precision == "day" or release.date.first == day else [day, release.date.first]
        judged.append((release, tranche, commitment.project, day, days))
    if not judged:
        return
    released = {key: {target: _Released(sorted(counted, key=lambda entry: entry[0]))
                      for target, counted in grouped.items()}
                for key, grouped in (("tranche", by_tranche), ("commitment", by_commitment))}
    nothing = _Released([])
    totals = fig.totals_as_of(ledger, [(project, day) for release, tranche, project, _, days in judged
                                       if tranche.min_spent is not None for day in days])
    for release, tranche, project, counts_from, days in judged:
        failing = None
        for day in days:
            left_out = release if day >= counts_from else None
            spent = totals.get((project, day))
            if spent is not None and left_out is not None:
                # the release left out as it counts in the project: converted into its currency
                own = counting.amount_in(ledger, release, ledger.project_currency(project), counts_from)
                spent = fig.Totals(committed=spent.committed, spent=spent.spent,
                                   released=counting.difference(spent.released, own))
            counterpart = released["commitment"].get(tranche.matched_by, nothing) if tranche.matched_by else nothing
            conditions = ReleaseConditions.with_figures(
                ledger, day,
                released_by_tranche={name: released["tranche"].get(name, nothing).total(day, left_out)
                                     for name in tranche.after},
                released_by_commitment={tranche.matched_by: counterpart.total(day, left_out)} if tranche.matched_by else {},
                releases_by_commitment={tranche.matched_by: counterpart.latest(day, left_out)} if tranche.matched_by else {},
                balance=_ProjectTotals({project: spent}))
            broken = {condition.name: condition for condition in conditions.check(tranche).failing
                      if condition.name in _JUDGED_AFTER_THE_FACT}
            failing = broken if failing is None else {name: failing[name] for name in failing if name in broken}
            if not failing:
                break
        if failing:
            yield CONDITION_BROKEN.problem(
                f"release of tranche '{tranche.id}' dated {release.date} was made while "
                + "; ".join(f"{name} did not hold ({condition.detail})" for name, condition in failing.items()),
                release.at_key("date"))


CHECKS = (
    Check(tranche_commitments, TRANCHE_COMMITMENT),
    Check(counterparts, UNMATCHED_COUNTERPART),
    Check(broken_conditions, CONDITION_BROKEN, needs_figures=True, needs_every_file=True),
    Check(overdue_tranches, TRANCHE_OVERDUE, dated=True),
)
