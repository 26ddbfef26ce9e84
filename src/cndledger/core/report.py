"""The donor report (`cndledger report`): the figures of the other reports, gathered for one window.

Nothing is counted here that another report does not count: each project's statement is
`figures.statement`'s, its lines `budget.budget_report`'s, its tranches `schedule.schedule`'s, its
month-end figures `figures.totals_as_of`'s (one sweep for every month of every project), the
register `register.register`'s. This module only asks them for the same day and window and sorts
their answers by project, so that the page and the workbook show exactly what `--json` shows.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from cndledger.core import counting
from cndledger.core.budget import BudgetReport, LineFigures, Unbudgeted, budget_report
from cndledger.core.counting import ZERO, difference, money
from cndledger.core.figures import ProjectFigures, Statement, statement, totals_as_of
from cndledger.core.ledger import Ledger
from cndledger.core.register import Register, register
from cndledger.core.schedule import CommitmentSchedule, Schedule, schedule
from cndledger.format.dates import month_end
from cndledger.format.periods import Label
from cndledger.format.records import InKind

MAX_POINTS = 240  # a series of more months than this is taken every quarter, then every year (or years)


# Plain classes, not dataclasses: the module is imported by a command (docs/performance.md).
class Series:
    """A project's figures (its children's included) at the end of each month up to the report's last
    day (that day itself for the last point), from the first month something counts in it."""

    __slots__ = ("days", "committed", "released", "spent")

    def __init__(self) -> None:
        self.days: list[_dt.date] = []
        self.committed: list[Decimal] = []
        self.released: list[Decimal] = []
        self.spent: list[Decimal] = []


class InKindLine:
    """A contribution in kind of the project (its own): what it accrued in the window (None: unvalued)."""

    __slots__ = ("contribution", "party", "accrued")

    def __init__(self, contribution: InKind, party: str, accrued: Decimal | None) -> None:
        self.contribution = contribution
        self.party = party
        self.accrued = accrued


class ProjectReport:
    """One project's part of the report: its statement, its budget lines and unbudgeted spending, its own
    commitments' tranche schedules, its own contributions in kind, its month-end series."""

    __slots__ = ("figures", "lines", "unbudgeted", "commitments", "inkind", "series")

    def __init__(self, figures: ProjectFigures) -> None:
        self.figures = figures
        self.lines: list[LineFigures] = []
        self.unbudgeted: list[Unbudgeted] = []
        self.commitments: list[CommitmentSchedule] = []
        self.inkind: list[InKindLine] = []
        self.series = Series()


class Report:
    """The report of the window `first` (None: from the beginning) to `last`: each report's own answer
    (`statement`, `budget`, `schedule`, `register`, as `--json` has them) and the same, by project."""

    __slots__ = ("first", "last", "period", "statement", "budget", "schedule", "register", "projects")

    def __init__(self, first: _dt.date | None, last: _dt.date, period: str | None, statement: Statement,
                 budget: BudgetReport, schedule: Schedule, register: Register | None,
                 projects: list[ProjectReport]) -> None:
        self.first = first
        self.last = last
        self.period = period  # --period as given
        self.statement = statement
        self.budget = budget
        self.schedule = schedule
        self.register = register  # only for the workbook
        self.projects = projects


def report(ledger: Ledger, first: _dt.date | None, last: _dt.date, *, period: Label | None = None,
           only: set[str] | None = None, with_register: bool = False) -> Report:
    """The report of the days `first` (None: from the beginning) to `last` of the projects `only` (every
    project where None), in project tree order: the figures `balance --period`, `budget --period`,
    `tranches --as-of` and `register` give for that window."""
    result = statement(ledger, first or _dt.date.min, last)
    result.projects = [figures for figures in result.projects if only is None or figures.project.id in only]
    budget = budget_report(ledger, last, period=period, only=only)
    plan = schedule(ledger, last, only)
    events = register(ledger, last, first, only) if with_register else None
    projects = {figures.project.id: ProjectReport(figures) for figures in result.projects}
    for line in budget.lines:
        projects[line.line.project.id].lines.append(line)
    for rest in budget.unbudgeted:
        projects[rest.project.id].unbudgeted.append(rest)
    for entry in plan.commitments:
        projects[entry.commitment.project].commitments.append(entry)
    _inkind(ledger, first, last, projects)
    _series(ledger, last, projects)
    return Report(first, last, None if period is None else period.text, result, budget, plan, events,
                  list(projects.values()))


def _inkind(ledger: Ledger, first: _dt.date | None, last: _dt.date, projects: dict[str, ProjectReport]) -> None:
    """What each contribution accrued in the window, as `balance` counts it (its figure on the last day
    less its figure on the day before the first)."""
    before = None if first is None or first == _dt.date.min else first - _dt.timedelta(days=1)

    def accrued(contribution: InKind, day: _dt.date | None) -> Decimal:
        if day is None or counting.inkind_counts_from(contribution) > day:
            return ZERO
        return counting.inkind_accrued(contribution, day)

    with money():
        for contribution in ledger.inkind:
            own = projects.get(contribution.project)
            if own is None or counting.inkind_counts_from(contribution) > last:
                continue
            if contribution.value is None and contribution.monthly_value is None:
                value = None
            else:
                value = difference(accrued(contribution, last), accrued(contribution, before))
            own.inkind.append(InKindLine(contribution, ledger.party_id(contribution.party), value))


def _series(ledger: Ledger, last: _dt.date, projects: dict[str, ProjectReport]) -> None:
    """Each project's committed, released and spent at each month's end, in one sweep of `totals_as_of`."""
    if not projects:
        return
    firsts = [
        min(counting.counting_days(ledger.commitments), default=None),
        min(counting.release_counting_days(ledger.releases, counting.released_commitments(ledger)), default=None),
        min(counting.expense_days(ledger), default=None),
    ]
    known = [day for day in firsts if day is not None and day <= last]
    if not known:
        return
    days = _month_ends(min(known), last)
    totals = totals_as_of(ledger, [(project_id, day) for project_id in projects for day in days])
    for project_id, own in projects.items():
        series = own.series
        for day in days:
            figures = totals[(project_id, day)]
            if not series.days and not (figures.committed or figures.released or figures.spent):
                continue  # nothing counts in the project yet
            series.days.append(day)
            series.committed.append(figures.committed)
            series.released.append(figures.released)
            series.spent.append(figures.spent)


def _month_ends(start: _dt.date, last: _dt.date) -> list[_dt.date]:
    """The last day of every month (every quarter, every year where there are too many) from `start`'s
    to the one before `last`'s, then `last`."""
    months = (last.year - start.year) * 12 + last.month - start.month + 1
    step = 1 if months <= MAX_POINTS else 3 if months <= 3 * MAX_POINTS else 12 * -(-months // (12 * MAX_POINTS))
    number = start.year * 12 + start.month - 1
    if step > 1:  # on calendar quarters or years
        number -= number % step
        number += step - 1
    ends = []
    final = last.year * 12 + last.month - 1
    while number <= final:
        day = month_end(number // 12, number % 12 + 1)
        if day >= last:
            break
        ends.append(day)
        number += step
    ends.append(last)
    return ends
