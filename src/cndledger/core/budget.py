"""Budgets by line and period (format v2): the lines of the ledger's `[[budget]]` entries, and the budget
report: each line's budget as of a day, its original, spent, remaining and used, and the unbudgeted spending.

A **line** is a project, a period resolved into days by the project's fiscal year (inherited), a category
and a cluster (either may be absent: the line then takes every category, every cluster). Its entries are
one original (no `revision`) and any revisions; its amount as of D is that of the latest revision on or
before D, else the original's. The checks (checks/budgets.py) report what makes a line ill-formed; the
report is computed only where no fatal problem is left.

Spent: each expense, counting on or before the day, is added into the lines of every project it counts in
(its own and each above it: `counting.lineages`) whose period holds its day and whose category and cluster
match; where none of a project's lines for that period match, into the project's unbudgeted spending for
the period. Spent of a line never includes support cost.

It is one pass over the expenses (`_cuts`): in order by project and day, each project's run cut by
bisection into the periods of the lines it counts in, each cut handed to the lines it matches (or to the
unbudgeted spending, `_matched`), in C over columns. `spent_ahead` sums each line's ahead by day
(`RunningTotals`): that does not depend on the day, so the ledger keeps it (`Ledger.budget_spent`) and so
does the cache, and a warm `check` (`budget-line-exceeded`) or `budget` reads one bisection per line,
never the expenses. A cold run sums the cuts for its one day (`_summed_as_of`), and the cache's writer
makes the running totals after the answer.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Iterator
from decimal import Clamped, Decimal, Rounded
from itertools import compress, groupby, repeat
from operator import and_, attrgetter, eq, itemgetter, not_, or_

from cndledger.core import counting
from cndledger.core.counting import ZERO, difference, money
from cndledger.core.ledger import Ledger
from cndledger.core.totals import RunningTotals
from cndledger.format.periods import (
    Label,
    Period,
    PeriodError,
    overlaps,
    read_label,
    resolve,
    resolve_fiscal_year_starts,
)
from cndledger.format.records import Budget, Project

_PROJECT, _CATEGORY, _CLUSTER = attrgetter("project"), attrgetter("category"), attrgetter("cluster")


def fiscal_year_starts(ledger: Ledger) -> dict[str, int]:
    """Each project's fiscal_year_start, its own or inherited (1 by default)."""
    projects = ledger.projects
    return resolve_fiscal_year_starts([project.id for project in projects],
                                      {project.id: project.fiscal_year_start for project in projects},
                                      {project.id: project.parent for project in projects})


def budget_periods(ledger: Ledger, starts: dict[str, int] | None = None) -> list[Period | PeriodError | None]:
    """The period of each `[[budget]]` entry, in ledger order, resolved by its project's fiscal year: a
    `PeriodError` where the label does not fit that fiscal year, None where the project is unknown."""
    starts = fiscal_year_starts(ledger) if starts is None else starts
    found: list[Period | PeriodError | None] = []
    resolved: dict[tuple[str, int], Period | PeriodError] = {}  # each label of each fiscal year read once
    for entry in ledger.budgets:
        start = starts.get(entry.project)
        if start is None or entry.project not in ledger.project_by_id:
            found.append(None)
            continue
        period = resolved.get((entry.period, start))
        if period is None:
            try:
                period = resolve(read_label(entry.period, start), start)
            except PeriodError as exc:
                period = exc
            resolved[(entry.period, start)] = period
        found.append(period)
    return found


LineKey = tuple[str, tuple[_dt.date, _dt.date], str | None, str | None]  # project, days, category, cluster


def line_key(entry: Budget, period: Period) -> LineKey:
    return (entry.project, period.span, entry.category, entry.cluster)


class BudgetLine:
    """A line: its project, period (as its original, else its first entry, writes it), category, cluster,
    its original entry and its revisions sorted by day."""

    __slots__ = ("project", "period", "category", "cluster", "original", "revisions")

    def __init__(self, project: Project, period: Period, category: str | None, cluster: str | None) -> None:
        self.project = project
        self.period = period
        self.category = category
        self.cluster = cluster
        self.original: Budget | None = None
        self.revisions: list[Budget] = []

    def in_force(self, day: _dt.date) -> Budget | None:
        """The entry whose amount is the line's on `day`: the latest revision on or before it, else the original."""
        latest = None
        for revision in self.revisions:  # (each has a `revision`: the others are originals)
            if revision.revision is not None and revision.revision.first <= day:
                latest = revision
        return latest or self.original

    @property
    def key(self) -> LineKey:
        return (self.project.id, self.period.span, self.category, self.cluster)

    def matches(self, category: str | None, cluster: str | None) -> bool:
        return (self.category is None or self.category == category) and \
            (self.cluster is None or self.cluster == cluster)

    @property
    def order(self) -> tuple[_dt.date, _dt.date, bool, str, bool, str]:
        return (self.period.first, self.period.last, self.category is not None, self.category or "",
                self.cluster is not None, self.cluster or "")


def budget_lines(ledger: Ledger) -> list[BudgetLine]:
    """Every line of the ledger (with a known project and a period that fits its fiscal year), in order
    of first appearance."""
    lines: dict[LineKey, BudgetLine] = {}
    for entry, period in zip(ledger.budgets, budget_periods(ledger)):
        if not isinstance(period, Period):
            continue
        key = line_key(entry, period)
        line = lines.get(key)
        if line is None:
            line = lines[key] = BudgetLine(ledger.project_by_id[entry.project], period, entry.category, entry.cluster)
        if entry.revision is None:
            if line.original is None:
                line.original = entry
                line.period = period
        else:
            line.revisions.append(entry)
    for line in lines.values():
        line.revisions.sort(key=attrgetter("revision.first"))
    return list(lines.values())


# Plain classes, not dataclasses: the command starts without importing `dataclasses`.
class LineFigures:
    """A line's figures as of a day."""

    __slots__ = ("line", "budget", "original", "spent")

    def __init__(self, line: BudgetLine, budget: Decimal, original: Decimal | None) -> None:
        self.line = line
        self.budget = budget
        self.original = original
        self.spent = ZERO

    @property
    def remaining(self) -> Decimal:
        return difference(self.budget, self.spent)

    @property
    def exceeded(self) -> bool:
        return self.spent > self.budget


class Unbudgeted:
    """What a project spent in a period for which it has lines, matching none of them."""

    __slots__ = ("project", "period", "spent")

    def __init__(self, project: Project, period: Period) -> None:
        self.project = project
        self.period = period
        self.spent = ZERO


class BudgetReport:
    __slots__ = ("as_of", "period", "first", "lines", "unbudgeted")

    def __init__(self, as_of: _dt.date, period: str | None, first: _dt.date | None, lines: list[LineFigures],
                 unbudgeted: list[Unbudgeted]) -> None:
        self.as_of = as_of
        self.period = period  # --period as given
        self.first = first  # --from
        self.lines = lines
        self.unbudgeted = unbudgeted


class WindowError(ValueError):
    """A `--period` that does not fit the fiscal year of a project with lines (bad usage)."""


def budget_report(ledger: Ledger, as_of: _dt.date, *, period: Label | None = None, first: _dt.date | None = None,
                  only: set[str] | None = None) -> BudgetReport:
    """The lines in the window (every line without one), in project tree order, then period, category,
    cluster; their figures as of `as_of`; and each project's unbudgeted spending per period of its lines."""
    with money():
        return _budget_report(ledger, as_of, period, first, only)


def _budget_report(ledger: Ledger, as_of: _dt.date, period: Label | None, first: _dt.date | None,
                   only: set[str] | None) -> BudgetReport:
    starts = fiscal_year_starts(ledger)
    tree = {project.id: position for position, (project, _) in enumerate(ledger.tree_order())}
    selected = []
    for line in budget_lines(ledger):
        project_id = line.project.id
        if project_id not in tree or (only is not None and project_id not in only):
            continue
        if period is not None:
            try:
                window = resolve(period, starts[project_id])
            except PeriodError as exc:
                raise WindowError(f"--period {period.text}: for project '{project_id}': {exc.message}"
                                  + (f"; {exc.hint}" if exc.hint else "")) from None
            if not overlaps(line.period, window):
                continue
        elif first is not None and not (line.period.first <= as_of and first <= line.period.last):
            continue
        selected.append(line)
    selected.sort(key=lambda line: (tree[line.project.id], line.order))
    figures = []
    for line in selected:
        entry = line.in_force(as_of)
        budget = entry.amount if entry is not None else ZERO
        original = line.original.amount if entry is not line.original and line.original is not None else None
        figures.append(LineFigures(line, budget, original))
    unbudgeted = _count_spent(ledger, as_of, figures)
    return BudgetReport(as_of, None if period is None else period.text, first, figures, unbudgeted)


def lines_as_of(ledger: Ledger, as_of: _dt.date) -> list[LineFigures]:
    """Every line's figures as of the day (for `budget-line-exceeded`), in ledger order."""
    with money():
        figures = []
        for line in budget_lines(ledger):
            entry = line.in_force(as_of)
            budget = entry.amount if entry is not None else ZERO
            original = line.original.amount if entry is not line.original and line.original is not None else None
            figures.append(LineFigures(line, budget, original))
        _count_spent(ledger, as_of, figures)
        return figures


def _count_spent(ledger: Ledger, as_of: _dt.date, figures: list[LineFigures]) -> list[Unbudgeted]:
    """Spent of each line, and the unbudgeted spending of each (project, period) the lines make, as of the
    day: from the lines' running totals where the ledger has them (the cache kept them), else summed for
    the day in the same one pass (`_summed_as_of`), where either gives what adding one by one gives; else
    one pass over the expenses, one by one."""
    if not figures:
        return []
    # In the report's order: the order of the lines' projects and periods.
    periods = {(line_figures.line.project.id, line_figures.line.period.span): line_figures.line.period
               for line_figures in figures}
    keys = [*(line_figures.line.key for line_figures in figures), *periods]
    if ledger.budget_spent is not None:
        found = _spent_by(ledger.budget_spent, keys, as_of)
    else:  # a cold run: the sums of the day, not every day's (the cache's writer makes those, after the answer)
        summed = _summed_as_of(ledger, as_of)
        found = None if summed is None else {key: summed[key] for key in keys if key in summed}
    if found is None:
        return _count_spent_one_by_one(ledger, as_of, figures)
    for line_figures in figures:
        line_figures.spent = found.get(line_figures.line.key, ZERO)
    unbudgeted = []
    for key, period in periods.items():
        spent = found.get(key)
        if spent is not None:
            rest = Unbudgeted(ledger.project_by_id[key[0]], period)
            rest.spent = spent
            unbudgeted.append(rest)
    return unbudgeted


def spent_ahead(ledger: Ledger) -> RunningTotals | None:
    """Every line's spent, keyed by `BudgetLine.key`, and each project's unbudgeted spending in the period
    of some of its lines, keyed by (project, the period's days), summed ahead by day: what counts by any
    day is one bisection (`RunningTotals.by`). Kept in `Ledger.budget_spent` (and in the cache). None where
    a sum would round (more digits than the money context holds), or an expense has no rate into its
    line's currency: the report then adds one by one."""
    if ledger.budget_spent is None and ledger.budgets:
        ledger.budget_spent = _summed_ahead(ledger)
    return ledger.budget_spent


UnbudgetedKey = tuple[str, tuple[_dt.date, _dt.date]]  # project, days
# One cut of a project's expenses: the key of its spending that none of the lines matches, the lines of
# one period of one project it counts in, the cut's positions among the expenses, their days (ordinals)
# and their amounts in that project's currency.
Cut = tuple[UnbudgetedKey, list["BudgetLine"], list[int], list[int], list[Decimal]]


def _summed_ahead(ledger: Ledger) -> RunningTotals | None:
    """`spent_ahead`: each cut's rows (day, amount) handed to the lines they match, summed ahead by day."""
    categories, clusters = list(map(_CATEGORY, ledger.expenses)), list(map(_CLUSTER, ledger.expenses))
    rows_of: dict[LineKey | UnbudgetedKey, list[tuple[int, Decimal]]] = {}
    try:
        for unbudgeted, lines, indexes, days, amounts in _cuts(ledger):
            rows = list(zip(days, amounts))
            for key, selected in _matched(indexes, categories, clusters, lines, unbudgeted):
                rows_of.setdefault(key, []).extend(rows if selected is None else compress(rows, selected))
    except counting.Unconvertible:  # a rate is missing: `check` says where; adding one by one raises it again
        return None
    runs = []
    for key, summed in rows_of.items():
        if summed:  # (a line of the period that none of the rows handed out matched has none)
            summed.sort(key=_DAY)
            key_days, key_amounts = zip(*summed)
            runs.append((key, key_days, key_amounts))
    return counting.running_totals(runs)


def _summed_as_of(ledger: Ledger, as_of: _dt.date) -> dict[Hashable, Decimal] | None:
    """What `spent_ahead` gives by the day, summed for that day alone: the amounts of each cut counting by
    it added into the lines they match. None where a sum would round, or an expense has no rate."""
    categories, clusters = list(map(_CATEGORY, ledger.expenses)), list(map(_CLUSTER, ledger.expenses))
    last = as_of.toordinal()
    found: dict[Hashable, Decimal] = {}
    try:
        with money() as context:
            context.clear_flags()
            for unbudgeted, lines, indexes, days, amounts in _cuts(ledger):
                counted = bisect_right(days, last)
                if counted:
                    for key, selected in _matched(indexes[:counted], categories, clusters, lines, unbudgeted):
                        found[key] = sum(amounts[:counted] if selected is None else compress(amounts, selected),
                                         found.get(key, ZERO))
            if context.flags[Rounded] or context.flags[Clamped]:
                return None
    except counting.Unconvertible:
        return None
    return found


def _cuts(ledger: Ledger) -> Iterator[Cut]:
    """One pass over the expenses, by project and day: each project's run cut by bisection into the periods
    of the lines of each project it counts in, in that project's currency (raises Unconvertible)."""
    # project -> its periods (by days) -> (the period, its lines)
    periods_of: dict[str, dict[tuple[_dt.date, _dt.date], tuple[Period, list[BudgetLine]]]] = {}
    for line in budget_lines(ledger):
        periods_of.setdefault(line.project.id, {}).setdefault(line.period.span, (line.period, []))[1].append(line)
    # Each project's owners with lines: the projects its expenses count in that have lines.
    owners = {project_id: owned for project_id, lineage in counting.lineages(ledger).items()
              if (owned := [(owner, list(periods_of[owner].values())) for owner in lineage if owner in periods_of])}
    expenses = ledger.expenses
    projects = list(map(_PROJECT, expenses))
    ordinals = counting.expense_ordinals(ledger)
    by_project_and_day = counting.expenses_by_project_and_day(ledger)
    order = compress(by_project_and_day, map(owners.__contains__, map(projects.__getitem__, by_project_and_day)))
    currency_of = {project.id: project.currency for project in ledger.projects}
    for project_id, indexes in groupby(order, key=projects.__getitem__):
        run = list(indexes)
        run_days = list(map(ordinals.__getitem__, run))
        amounts_of: dict[str, list[Decimal]] = {}  # the run's amounts in each currency of its owners
        for owner, periods in owners[project_id]:
            currency = currency_of[owner]
            if currency not in amounts_of:  # each converted on its own day (as written in one currency)
                amounts_of[currency] = (list(map(counting.expense_amounts_in(ledger, currency).__getitem__, run))
                                        if ledger.converts else
                                        list(counting.amounts_in(ledger, map(expenses.__getitem__, run), currency)))
            for period, lines in periods:
                start = bisect_left(run_days, period.first.toordinal())
                stop = bisect_right(run_days, period.last.toordinal(), start)
                if start < stop:
                    yield ((owner, period.span), lines, run[start:stop], run_days[start:stop],
                           amounts_of[currency][start:stop])


_DAY = itemgetter(0)


def _matched(indexes: list[int], categories: list[str | None], clusters: list[str | None], lines: list[BudgetLine],
             unbudgeted: UnbudgetedKey) -> Iterator[tuple[LineKey | UnbudgetedKey, list[bool] | None]]:
    """Which of one cut's expenses (their `indexes` among the expenses) each line of the period matches
    (None: every one), then, under the key of the unbudgeted spending, those that none of them matches."""
    matched: list[bool] | None = None  # which some line matches, where not every one is
    everything = False  # a line of every category and cluster: nothing is unbudgeted
    for line in lines:
        selected: list[bool] | None = None
        if line.category is not None:
            selected = list(map(eq, map(categories.__getitem__, indexes), repeat(line.category)))
        if line.cluster is not None:
            in_cluster = map(eq, map(clusters.__getitem__, indexes), repeat(line.cluster))
            selected = list(in_cluster if selected is None else map(and_, selected, in_cluster))
        yield line.key, selected
        if selected is None:
            everything = True
        else:
            matched = selected if matched is None else list(map(or_, matched, selected))
    if not everything:
        rest = [True] * len(indexes) if matched is None else list(map(not_, matched))
        if any(rest):
            yield unbudgeted, rest


def _spent_by(totals: RunningTotals | None, keys: Iterable[Hashable], as_of: _dt.date) -> dict[Hashable, Decimal] | None:
    """What counts by `as_of` of each key that has any, where that is what adding one by one gives in the
    money context of this run; None where it may not be (as `counting.totals_by`)."""
    if totals is None:
        return None
    with money() as context:
        context.clear_flags()
        found = {key: ZERO + amount for key in keys if (amount := totals.by(key, as_of)) is not None}
        if context.flags[Rounded] or context.flags[Clamped]:
            return None
    return found


def _count_spent_one_by_one(ledger: Ledger, as_of: _dt.date, figures: list[LineFigures]) -> list[Unbudgeted]:
    """As `_count_spent`, adding the expenses one by one, in ledger order: where running totals would round."""
    # project -> its periods (by days) -> (the period, the figures of its lines in that period)
    periods_of: dict[str, dict[tuple[_dt.date, _dt.date], tuple[Period, list[LineFigures]]]] = {}
    for line_figures in figures:
        line = line_figures.line
        spans = periods_of.setdefault(line.project.id, {})
        spans.setdefault(line.period.span, (line.period, []))[1].append(line_figures)
    unbudgeted: dict[tuple[str, tuple[_dt.date, _dt.date]], Unbudgeted] = {}
    if not periods_of:
        return []
    lineages = counting.lineages(ledger)
    # Each expense's owners with lines: few projects have lines, so most expenses are passed over at once.
    owners = {project_id: [(owner, list(periods_of[owner].values())) for owner in lineage if owner in periods_of]
              for project_id, lineage in lineages.items()}
    expenses = ledger.expenses
    days = counting.expense_days(ledger)
    currency_of = {project.id: project.currency for project in ledger.projects}
    for expense, day in zip(expenses, days):
        if day > as_of:
            continue
        for owner, owned in owners.get(expense.project, ()):
            # into the line's project's currency, on the expense's own day
            amount = counting.amount_in(ledger, expense, currency_of[owner], day)
            for period, lines in owned:
                if not period.first <= day <= period.last:
                    continue
                matched = False
                for line_figures in lines:
                    if line_figures.line.matches(expense.category, expense.cluster):
                        line_figures.spent += amount
                        matched = True
                if not matched:
                    key = (owner, period.span)
                    rest = unbudgeted.get(key)
                    if rest is None:
                        rest = unbudgeted[key] = Unbudgeted(ledger.project_by_id[owner], period)
                    rest.spent += amount
    # In the report's order: the order of the lines' projects and periods.
    ordered = []
    for line_figures in figures:
        key = (line_figures.line.project.id, line_figures.line.period.span)
        rest = unbudgeted.pop(key, None)
        if rest is not None:
            ordered.append(rest)
    return ordered
