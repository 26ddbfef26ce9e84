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
from decimal import Clamped, Decimal, Rounded, localcontext
from itertools import accumulate, compress, groupby, islice, repeat
from operator import attrgetter, itemgetter

from cndledger.format.dates import month_end
from cndledger.core.ledger import Ledger
from cndledger.format.records import Commitment, Expense, InKind, Project, Release

ZERO = Decimal(0)
_PROJECT, _AMOUNT, _COMMITMENT = attrgetter("project"), attrgetter("amount"), attrgetter("commitment")


# Plain classes, not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
class PartyFigures:
    """What one party committed to a project and released to it (its children included)."""

    __slots__ = ("party", "committed", "released")

    def __init__(self, party: str, committed: Decimal = ZERO, released: Decimal = ZERO) -> None:
        self.party = party
        self.committed = committed
        self.released = released

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.released

    def __repr__(self) -> str:
        return f"PartyFigures({self.party!r}, committed={self.committed}, released={self.released})"


class Totals:
    """A project's committed, released and spent as of a day, its children included."""

    __slots__ = ("committed", "released", "spent")

    def __init__(self, *, committed: Decimal = ZERO, released: Decimal = ZERO, spent: Decimal = ZERO) -> None:
        self.committed = committed
        self.released = released
        self.spent = spent

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.released

    @property
    def available(self) -> Decimal:
        return self.released - self.spent

    def figure(self, name: str) -> Decimal | None:
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(committed={self.committed}, released={self.released}, spent={self.spent})"


class ProjectFigures(Totals):
    """A project's figures as of a day: its own and its children's, its budget, in kind, and per party."""

    __slots__ = ("project", "depth", "own_budget", "budget", "inkind_valued", "inkind_unvalued", "parties")

    def __init__(self, project: Project, depth: int, own_budget: Decimal | None, budget: Decimal | None = None) -> None:
        super().__init__()
        self.project = project
        self.depth = depth
        self.own_budget = own_budget
        self.budget = budget
        self.inkind_valued = ZERO
        self.inkind_unvalued = 0
        self.parties: dict[str, PartyFigures] = {}

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


class Balance:
    """Every project's figures as of a day, in ledger order, each parent before its children."""

    __slots__ = ("as_of", "projects")

    def __init__(self, as_of: _dt.date, projects: list[ProjectFigures]) -> None:
        self.as_of = as_of
        self.projects = projects

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
            # From ZERO, as balance sums (0 + 1E+2 is 100), without the ZERO itself.
            texts += islice(map(str, accumulate(amounts, initial=ZERO)), 1, None)
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


_FEW_DAYS = 4  # up to this many days asked along a project's line, its events are summed once per day


def totals_as_of(ledger: Ledger, asked: Iterable[tuple[str, _dt.date]]) -> dict[tuple[str, _dt.date], Totals]:
    """Committed, released and spent of each (project, day) asked, as `balance` counts them, in one pass.

    A project's own events are summed up to each day asked of it or of a project above it (each
    event once per such day: few, where asserts are on projects and a programme), and those sums
    are added up the project tree to the projects asked. The cost grows with the events times the
    days asked along their project's line, not with all the days asked of the whole ledger.
    """
    lineage: dict[str, tuple[str, ...]] = {}  # a project and the projects above it, as balance rolls it up
    for project, _ in ledger.tree_order():
        lineage[project.id] = (project.id, *lineage.get(project.parent, ()))
    days_asked: dict[str, set[_dt.date]] = {}
    for project_id, day in asked:
        if project_id in lineage:
            days_asked.setdefault(project_id, set()).add(day)
    days_of: dict[str, list[_dt.date]] = {}  # the days a project's own events are summed up to
    for project_id, line in lineage.items():
        days = set().union(*(days_asked.get(owner, ()) for owner in line))
        if days:
            days_of[project_id] = sorted(days)
    # own[project][i] = [committed, released, spent] of its own events counting by days_of[project][i]
    own = {project_id: [[ZERO, ZERO, ZERO] for _ in days] for project_id, days in days_of.items()}

    def add(projects: Iterable[str], counting: Iterable[_dt.date], amounts: Iterable[Decimal], which: int) -> None:
        """Events given as their projects, first days counting and amounts; summed run by run of one
        project (files keep a project's entries together), at the speed of C."""
        for project_id, run in groupby(zip(projects, counting, amounts), key=itemgetter(0)):
            days = days_of.get(project_id)
            if days is None:  # neither it nor a project above it is asked about
                continue
            _, run_days, run_amounts = zip(*run)
            sums = own[project_id]
            if len(days) <= _FEW_DAYS:  # one pass per day
                for index, day in enumerate(days):
                    sums[index][which] += sum(compress(run_amounts, map(day.__ge__, run_days)), ZERO)
                continue
            order = sorted(range(len(run_days)), key=run_days.__getitem__)  # by day: running sums
            by_day = [run_days[position] for position in order]
            running = list(accumulate((run_amounts[position] for position in order), initial=ZERO))
            for index, day in enumerate(days):
                sums[index][which] += running[bisect_right(by_day, day)]

    commitments, expenses = ledger.commitments, ledger.expenses
    add(map(_PROJECT, commitments), map(commitment_counts_from, commitments), map(_AMOUNT, commitments), 0)
    releases = [(commitment.project, release_counts_from(release, commitment), release.amount)
                for release in ledger.releases
                if (commitment := ledger.commitment_by_id.get(release.commitment)) is not None]
    if releases:
        add(*zip(*releases), 1)
    add(map(_PROJECT, expenses), map(expense_counts_from, expenses), map(_AMOUNT, expenses), 2)

    totals: dict[tuple[str, _dt.date], list[Decimal]] = {
        (project_id, day): [ZERO, ZERO, ZERO] for project_id, days in days_asked.items() for day in days}
    for project_id, days in days_of.items():
        sums = dict(zip(days, own[project_id]))
        for owner in lineage[project_id]:
            for day in days_asked.get(owner, ()):
                total, mine = totals[(owner, day)], sums[day]
                for which in range(3):
                    total[which] += mine[which]
    return {key: Totals(committed=committed, released=released, spent=spent)
            for key, (committed, released, spent) in totals.items()}


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
