"""Dates in order: releases after their commitments, ends after starts, entries within their project's dates."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from itertools import groupby
from operator import attrgetter

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core.ledger import Ledger
from cndledger.format.codes import (
    END_BEFORE_START,
    FUTURE_DATED,
    INKIND_AFTER_END,
    MILESTONE_OVERDUE,
    OUTSIDE_PROJECT_DATES,
    RELEASE_BEFORE_COMMITMENT,
)
from cndledger.format.dates import LedgerDate
from cndledger.format.problems import Problem
from cndledger.format.record import Record
from cndledger.format.records import Decommitment, Expense, InKind, Project, Refund, Release

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


def date_order(ledger: Ledger) -> Iterator[Problem]:
    for release in ledger.releases:
        commitment = ledger.commitment_by_id.get(release.commitment)
        if commitment is not None and release.date.last < commitment.date.first:
            yield RELEASE_BEFORE_COMMITMENT.problem(
                f"release dated {release.date} comes before its commitment "
                f"'{commitment.id}' (at {commitment.at}), dated {commitment.date}", release.at_key("date"))
    spanned: list[InKind | Project] = [*ledger.inkind, *ledger.projects]
    for entry in spanned:
        if entry.start is not None and entry.end is not None and entry.end.last < entry.start.first:
            yield END_BEFORE_START.problem(f"{entry.label} ends ({entry.end}) before it starts ({entry.start})",
                                           entry.at_key("end"))


def outside_project_dates(ledger: Ledger) -> Iterator[Problem]:
    def outside(project: Project | None, when: LedgerDate) -> str | None:
        if project is None:
            return None
        if project.start is not None and when.last < project.start.first:
            return f"before project '{project.id}' starts ({project.start})"
        if project.end is not None and when.first > project.end.last:
            return f"after project '{project.id}' ends ({project.end})"
        return None

    # Only what falls outside a project's widest span can be outside its dates: a quick look first.
    spans = {project.id: (project.start.first if project.start else _dt.date.min,
                          project.end.last if project.end else _dt.date.max) for project in ledger.project_by_id.values()}
    expenses = _outside_spans(ledger.expenses, spans)
    dated: list[tuple[Record, str, Project | None, LedgerDate]]
    dated = [(c, "date", ledger.project_by_id.get(c.project), c.date) for c in ledger.commitments]
    dated += [(r, "date", ledger.commitment_project(r.commitment), r.date) for r in ledger.releases]
    dated += [(e, "date", ledger.project_by_id.get(e.project), e.date) for e in expenses]
    dated += [(k, "start", ledger.project_by_id.get(k.project), k.start) for k in ledger.inkind]
    for entry, key, project, when in dated:
        if (reason := outside(project, when)) is not None:
            yield OUTSIDE_PROJECT_DATES.problem(f"{entry.label} dated {when} is {reason}", entry.at_key(key))


def _outside_spans(expenses: list[Expense], spans: dict[str, tuple[_dt.date, _dt.date]]) -> list[Expense]:
    """The expenses of a project in `spans` whose date starts outside its span, in ledger order.

    Looked at run by run of one project (files keep a project's expenses together): the earliest
    and the latest day of a run are found in C, and a run is gone through only where one is outside.
    """
    outside: list[Expense] = []
    for project_id, run in groupby(expenses, key=_PROJECT):
        if (span := spans.get(project_id)) is not None:
            in_run = list(run)
            firsts = list(map(_DATE_FIRST, in_run))
            if min(firsts) < span[0] or max(firsts) > span[1]:
                outside += [expense for expense, first in zip(in_run, firsts) if not span[0] <= first <= span[1]]
    return outside


def inkind_after_end(ledger: Ledger) -> Iterator[Problem]:
    for contribution in ledger.inkind:
        project = ledger.project_by_id.get(contribution.project)
        if project is None or project.end is None:
            continue
        if contribution.end is not None:
            if contribution.end.first > project.end.last:
                yield INKIND_AFTER_END.problem(
                    f"{contribution.label} ends {contribution.end}, after project '{project.id}' ends ({project.end})",
                    contribution.at_key("end"))
        elif contribution.monthly_value is not None:
            yield INKIND_AFTER_END.problem(
                f"{contribution.label} has a monthly_value and no end, so it accrues after project "
                f"'{project.id}' ends ({project.end})", contribution.at_key("monthly_value"),
                hint=f"give it an end on or before its project's end: end = \"{project.end.last:%Y-%m}\"")


def overdue_milestones(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    for milestone in ledger.milestones:
        due = milestone.due
        if due is None or due.last >= as_of:
            continue
        done = milestone.done
        if done is None:
            yield MILESTONE_OVERDUE.problem(f"{milestone.label} was due {due} and is not done as of {as_of}",
                                            milestone.at_key("due"))
        elif done.first > as_of:
            yield MILESTONE_OVERDUE.problem(f"{milestone.label} was due {due} and is done only {done}, "
                                            f"after {as_of}", milestone.at_key("done"))


def future_dated(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    releases = ledger.releases
    counting_from = counting.release_counting_days(releases, counting.released_commitments(ledger))
    late: list[tuple[Release | Refund | Decommitment | Expense, _dt.date]] = [
        (release, day) for release, day in zip(releases, counting_from) if day > as_of]
    flows_back: list[Sequence[Refund | Decommitment]] = [ledger.refunds, ledger.decommitments]
    for flows in flows_back:
        flow_days = counting.release_counting_days(flows, counting.commitments_of(ledger, flows))
        late += [(flow, day) for flow, day in zip(flows, flow_days) if day > as_of]
    # Expenses are most entries: their running totals (from the cache) know the latest day without them.
    totals = ledger.spent_totals
    latest = totals.latest_day() if totals is not None else None
    if totals is None or (latest is not None and latest > as_of.toordinal()):
        expenses = ledger.expenses
        expense_days = counting.expense_days(ledger)
        if max(expense_days, default=as_of) > as_of:
            late += [(expense, day) for expense, day in zip(expenses, expense_days) if day > as_of]
    for entry, day in late:
        yield FUTURE_DATED.problem(f"{entry.label} dated {entry.date} counts from {day}, after the day of the check "
                                   f"({as_of}): it is left out of every figure until then", entry.at_key("date"))


CHECKS = (
    Check(date_order, RELEASE_BEFORE_COMMITMENT, END_BEFORE_START),
    Check(outside_project_dates, OUTSIDE_PROJECT_DATES),
    Check(overdue_milestones, MILESTONE_OVERDUE, dated=True),
    Check(future_dated, FUTURE_DATED, dated=True),
    Check(inkind_after_end, INKIND_AFTER_END),
)
