"""The reconciliation arithmetic, in one place: what each project committed, released, spent...

Everything here is as of a day D and in the project's currency; a parent's figures include its
children's. A date of lower precision counts from the last day of its period, and a release
never counts before its commitment does.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Clamped, Decimal, Rounded, localcontext
from itertools import accumulate, compress, groupby, repeat
from operator import attrgetter, itemgetter

from cndledger.dates import month_end
from cndledger.ledger import Ledger
from cndledger.records import Commitment, Expense, InKind, Project, Release

ZERO = Decimal(0)
_PROJECT, _AMOUNT, _COMMITMENT = attrgetter("project"), attrgetter("amount"), attrgetter("commitment")


@dataclass
class PartyFigures:
    party: str
    committed: Decimal = ZERO
    released: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.released


@dataclass(kw_only=True)
class Totals:
    """A project's committed, released and spent as of a day, its children included."""

    committed: Decimal = ZERO
    released: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.released

    @property
    def available(self) -> Decimal:
        return self.released - self.spent

    def figure(self, name: str) -> Decimal | None:
        return getattr(self, name)


@dataclass
class ProjectFigures(Totals):
    project: Project
    depth: int
    own_budget: Decimal | None
    budget: Decimal | None = None
    inkind_valued: Decimal = ZERO
    inkind_unvalued: int = 0
    parties: dict[str, PartyFigures] = field(default_factory=dict)

    @property
    def gap(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def by_party(self) -> list[PartyFigures]:
        return [self.parties[key] for key in sorted(self.parties)]

    def add(self, other: ProjectFigures) -> None:
        self.committed += other.committed
        self.released += other.released
        self.spent += other.spent
        self.inkind_valued += other.inkind_valued
        self.inkind_unvalued += other.inkind_unvalued
        for party, theirs in other.parties.items():
            ours = self.parties.get(party)
            if ours is None:
                ours = self.parties[party] = PartyFigures(party)
            ours.committed += theirs.committed
            ours.released += theirs.released


@dataclass
class Balance:
    as_of: _dt.date
    projects: list[ProjectFigures]

    def of(self, project_id: str) -> ProjectFigures | None:
        return next((figures for figures in self.projects if figures.project.id == project_id), None)


# The first day a commitment (an expense) counts: its date's last day. (A getter, not a function of
# ours: it runs once per entry in whole-ledger passes, at the speed of C.)
commitment_counts_from: Callable[[Commitment], _dt.date] = attrgetter("date.last")


def commitment_counts(commitment: Commitment, day: _dt.date) -> bool:
    return commitment_counts_from(commitment) <= day


def release_counts_from(release: Release, commitment: Commitment | None) -> _dt.date:
    """The first day a release counts: its date's last day, never before its commitment counts."""
    return release.date.last if commitment is None else max(release.date.last, commitment.date.last)


def release_counts(release: Release, commitment: Commitment | None, day: _dt.date) -> bool:
    return release_counts_from(release, commitment) <= day


expense_counts_from: Callable[[Expense], _dt.date] = attrgetter("date.last")


def expense_counts(expense: Expense, day: _dt.date) -> bool:
    return expense_counts_from(expense) <= day


def inkind_accrued(contribution: InKind, day: _dt.date) -> Decimal:
    """What a valued contribution in kind has accrued by `day` (zero for an unvalued one)."""
    if contribution.start.last > day:
        return ZERO
    if contribution.value is not None:
        return contribution.value
    if contribution.monthly_value is None:
        return ZERO
    first, last = _accrual_months(contribution, day)
    months = last - first + 1
    return contribution.monthly_value * months if months > 0 else ZERO


def accrued_month_ends(contribution: InKind, day: _dt.date) -> list[_dt.date]:
    """The last day of each month for which a `monthly_value` has accrued by `day`, in order."""
    if contribution.monthly_value is None or contribution.start.last > day:
        return []
    first, last = _accrual_months(contribution, day)
    return [month_end(number // 12, number % 12 + 1) for number in range(first, last + 1)]


def _accrual_months(contribution: InKind, day: _dt.date) -> tuple[int, int]:
    """From the month of `start` to the last month ended by `day` (and not after `end`), as month
    numbers: date arithmetic would overflow at year 1 and year 9999."""
    last = _month_number(day) - (0 if day == month_end(day.year, day.month) else 1)
    if contribution.end is not None:
        last = min(last, _month_number(contribution.end.last))
    return _month_number(contribution.start.last), last


def _month_number(day: _dt.date) -> int:
    return day.year * 12 + day.month - 1


def balance(ledger: Ledger, as_of: _dt.date, *, with_spent: bool = True) -> Balance:
    """Every project's figures as of the day; without the expenses (spent left at 0) where `with_spent` is
    false, for a caller that needs no more than commitments and budgets: expenses are most entries."""
    ordered = ledger.tree_order()
    figures = {project.id: ProjectFigures(project, depth, project.budget, project.budget) for project, depth in ordered}
    shares: dict[tuple[str, str], tuple[ProjectFigures, PartyFigures] | None] = {}

    def share(project_id: str, party: str) -> tuple[ProjectFigures, PartyFigures] | None:
        """The figures of the project and of the party in it (by the party's canonical id), made when
        something of theirs first counts; None for a project outside the tree. Asked once a pair."""
        key = (project_id, party)
        if key not in shares:
            own = figures.get(project_id)
            party_id = ledger.party_id(party)
            shares[key] = None if own is None else (own, own.parties.setdefault(party_id, PartyFigures(party_id)))
        return shares[key]

    commitments = ledger.commitments
    for commitment, counts in zip(commitments, map(as_of.__ge__, map(commitment_counts_from, commitments))):
        if counts and (found := share(commitment.project, commitment.party)):
            own, party = found
            own.committed += commitment.amount
            party.committed += commitment.amount
    releases = ledger.releases
    committed_by = list(map(ledger.commitment_by_id.get, map(_COMMITMENT, releases)))
    for release, commitment, counts_from in zip(releases, committed_by, map(release_counts_from, releases, committed_by)):
        if commitment is not None and counts_from <= as_of and (found := share(commitment.project, commitment.party)):
            own, party = found
            own.released += release.amount
            party.released += release.amount
    if with_spent and not _spent_from_totals(ledger.spent_totals, as_of, figures):
        # Expenses are most entries: summed run by run of one project (files keep them together),
        # each judged on the day only where not all of them count by it (most reports are of today).
        expenses = ledger.expenses
        counting_from = list(map(expense_counts_from, expenses))
        counting: Iterable[Expense] = expenses
        if max(counting_from, default=as_of) > as_of:
            counting = compress(expenses, map(as_of.__ge__, counting_from))
        for project_id, run in groupby(counting, key=_PROJECT):
            if project_id in figures:
                figures[project_id].spent += sum(map(_AMOUNT, run), ZERO)
    for contribution in ledger.inkind:
        own = figures.get(contribution.project)
        if own is None or contribution.start.last > as_of:
            continue
        if contribution.value is None and contribution.monthly_value is None:
            own.inkind_unvalued += 1
        else:
            own.inkind_valued += inkind_accrued(contribution, as_of)

    # Children after their parent in tree order, so walking it backwards rolls each child up
    # into its parent after the child has received its own children's figures.
    for project, _ in reversed(ordered):
        own = figures[project.id]
        parent = figures.get(project.parent) if project.parent is not None else None
        if parent is None:
            continue
        parent.add(own)
        if own.budget is not None and parent.own_budget is None:
            parent.budget = (parent.budget or ZERO) + own.budget
    return Balance(as_of, [figures[project.id] for project, _ in ordered])


class RunningTotals:
    """Amounts summed ahead of any day asked: for each key (a project), the day each of its amounts
    starts to count (ascending, as ordinals) and the total up to it, itself included. What counts by
    any day is then one bisection per key, whatever the number of entries. It does not depend on the
    day, so a ledger from the cache holds its expenses' (`Ledger.spent_totals`) and `balance` never
    reads them.

    Flat, for a cache to load at the speed of a copy: the keys' days one after another (`spans`: where
    each key's stand), and the totals as their exact ASCII text end to end (`ends`: where each ends).
    One total is asked per key, and only that one becomes a Decimal."""

    __slots__ = ("spans", "days", "ends", "texts")

    def __init__(self, spans: dict[str, tuple[int, int]], days: Sequence[int], ends: Sequence[int],
                 texts: bytes | memoryview) -> None:
        self.spans, self.days, self.ends, self.texts = spans, days, ends, texts

    def by(self, key: str, day: _dt.date) -> Decimal | None:
        """The total of what counts by the day (None where nothing of the key counts yet)."""
        start, stop = self.spans.get(key, (0, 0))
        last = bisect_right(self.days, day.toordinal(), start, stop) - 1
        if last < start:
            return None
        return Decimal(str(self.texts[self.ends[last - 1] if last else 0:self.ends[last]], "ascii"))


def spent_totals(expenses: list[Expense]) -> RunningTotals | None:
    """The expenses' `RunningTotals` by project, counted from `expense_counts_from`; None where a
    total would be rounded (more digits than the decimal context holds): `balance` then sums them
    one by one, in its own order, and rounds as it always has."""
    rows = sorted(zip(map(_PROJECT, expenses), map(_dt.date.toordinal, map(expense_counts_from, expenses)),
                      map(_AMOUNT, expenses)), key=itemgetter(0, 1))
    spans: dict[str, tuple[int, int]] = {}
    days, texts = array("i"), []
    with localcontext() as context:
        context.clear_flags()
        for project_id, run in groupby(rows, key=itemgetter(0)):
            _, counting_from, amounts = zip(*run)
            if not min(amounts) > 0:  # the bound `balance` relies on holds for amounts above zero (as validated)
                return None
            spans[project_id] = (len(days), len(days) + len(counting_from))
            days.extend(counting_from)
            texts += map(str, accumulate(amounts, initial=ZERO))
            texts.pop(-len(counting_from) - 1)  # the ZERO it started from
        if context.flags[Rounded] or context.flags[Clamped]:
            return None
    return RunningTotals(spans, days, array("I", accumulate(map(len, texts))), "".join(texts).encode("ascii"))


def _spent_from_totals(totals: RunningTotals | None, as_of: _dt.date, figures: dict[str, ProjectFigures]) -> bool:
    """Each project's own spent from the running totals, where they give what summing one by one gives.

    Where no sum rounds, the order of adding does not change a Decimal sum (nor its exponent); each
    total bounds every partial sum of its expenses (all above zero, none with a smaller exponent), so
    if the total fits the decimal context here, summing one by one would not have rounded either."""
    if totals is None:
        return False
    with localcontext() as context:
        context.clear_flags()
        spent = {project_id: ZERO + total for project_id in figures
                 if (total := totals.by(project_id, as_of)) is not None}
        if context.flags[Rounded] or context.flags[Clamped]:
            return False
    for project_id, total in spent.items():
        figures[project_id].spent = total
    return True


def totals_as_of(ledger: Ledger, asked: Iterable[tuple[str, _dt.date]]) -> dict[tuple[str, _dt.date], Totals]:
    """Committed, released and spent of each (project, day) asked, as `balance` counts them, in one pass.

    Each event is put in the interval between two days asked in which it starts to count; running
    sums over the intervals, added up the project tree, then answer every day at once: the cost
    grows with the events and the days asked, not with their product.
    """
    ordered = ledger.tree_order()
    lineage: dict[str, tuple[str, ...]] = {}  # a project and the projects above it, as balance rolls it up
    for project, _ in ordered:
        lineage[project.id] = (project.id, *lineage.get(project.parent, ()))
    days = sorted({day for _, day in asked})
    if not days:
        return {}
    # own[interval][project] = [committed, released, spent] of events first counting in that interval
    own: list[dict[str, list[Decimal]]] = [{} for _ in days]

    def add(projects: Iterable[str], counting: Iterable[_dt.date], amounts: Iterable[Decimal], which: int) -> None:
        """Events given as their projects, first days counting and amounts; summed run by run of one
        project and interval (files keep a project's entries together), at the speed of C."""
        intervals = map(bisect_left, repeat(days), counting)
        for (project_id, interval), run in groupby(zip(projects, intervals, amounts), key=itemgetter(0, 1)):
            if interval < len(days) and project_id in lineage:
                sums = own[interval].setdefault(project_id, [ZERO, ZERO, ZERO])
                sums[which] += sum(map(itemgetter(2), run), ZERO)

    commitments, expenses = ledger.commitments, ledger.expenses
    add(map(_PROJECT, commitments), map(commitment_counts_from, commitments), map(_AMOUNT, commitments), 0)
    releases = [(commitment.project, release_counts_from(release, commitment), release.amount)
                for release in ledger.releases
                if (commitment := ledger.commitment_by_id.get(release.commitment)) is not None]
    if releases:
        add(*zip(*releases), 1)
    add(map(_PROJECT, expenses), map(expense_counts_from, expenses), map(_AMOUNT, expenses), 2)

    running: dict[str, list[Decimal]] = {}
    answers: dict[tuple[str, _dt.date], Totals] = {}
    wanted: dict[_dt.date, list[str]] = {}
    for project_id, day in asked:
        wanted.setdefault(day, []).append(project_id)
    for interval, day in enumerate(days):
        for project_id, sums in own[interval].items():
            for owner in lineage[project_id]:
                total = running.setdefault(owner, [ZERO, ZERO, ZERO])
                for which in range(3):
                    total[which] += sums[which]
        for project_id in wanted[day]:
            if project_id in lineage:
                committed, released, spent = running.get(project_id, (ZERO, ZERO, ZERO))
                answers[(project_id, day)] = Totals(committed=committed, released=released, spent=spent)
    return answers


def releases_as_of(ledger: Ledger, as_of: _dt.date) -> list[Release]:
    """The releases that count on `as_of`, in ledger order."""
    return [release for release in ledger.releases
            if release_counts(release, ledger.commitment_by_id.get(release.commitment), as_of)]


def released_by_tranche(ledger: Ledger, as_of: _dt.date) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for release in releases_as_of(ledger, as_of):
        if release.tranche is not None:
            totals[release.tranche] = totals.get(release.tranche, ZERO) + release.amount
    return totals


def released_by_commitment(ledger: Ledger, as_of: _dt.date) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for release in releases_as_of(ledger, as_of):
        totals[release.commitment] = totals.get(release.commitment, ZERO) + release.amount
    return totals
