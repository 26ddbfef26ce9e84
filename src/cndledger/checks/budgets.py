"""Budget lines (format v2): a period that fits its project's fiscal year, one original per line and one
revision per day, no revision without an original, no overlapping periods of one line's kind; and lines
spent above their budget on the day of the check."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from cndledger.checks.check import Check
from cndledger.core.ledger import Ledger
from cndledger.format.codes import BUDGET_LINE_EXCEEDED, BUDGET_OVERLAP, DUPLICATE_ID
from cndledger.format.problems import Problem
from cndledger.format.records import Budget


def describe_line(project: str, period: str, category: str | None, cluster: str | None) -> str:
    """How a message names a line: "budget line of 'P1' for FY2005-06, category 'travel', cluster 'health'"."""
    parts = [f"budget line of project '{project}' for {period}"]
    if category is not None:
        parts.append(f"category '{category}'")
    if cluster is not None:
        parts.append(f"cluster '{cluster}'")
    return ", ".join(parts)


def budget_entries(ledger: Ledger) -> Iterator[Problem]:
    """Two originals of one line, two revisions of one line on one day. (A period that does not fit its
    project's fiscal year, and a revision without an original, are the loader's: `read/load.py`.)"""
    if not ledger.budgets:
        return
    from cndledger.core.budget import LineKey, line_key
    from cndledger.core.budget import budget_periods as resolved
    from cndledger.format.periods import Period

    originals: dict[LineKey, Budget] = {}
    revisions: dict[tuple[LineKey, _dt.date], Budget] = {}
    for entry, period in zip(ledger.budgets, resolved(ledger)):
        if not isinstance(period, Period):
            continue
        key = line_key(entry, period)
        line = describe_line(entry.project, entry.period, entry.category, entry.cluster)
        if entry.revision is None:
            if key in originals:
                yield DUPLICATE_ID.problem(f"{line} has a second original (the first at {originals[key].at}); "
                                           "a revised amount needs `revision = DAY`", entry.at)
            else:
                originals[key] = entry
            continue
        day_key = (key, entry.revision.first)
        if day_key in revisions:
            yield DUPLICATE_ID.problem(f"{line} has a second revision dated {entry.revision} (the first at "
                                       f"{revisions[day_key].at})", entry.at_key("revision"))
        else:
            revisions[day_key] = entry


def budget_overlaps(ledger: Ledger) -> Iterator[Problem]:
    """Lines of one project, category and cluster whose periods overlap without being the same days:
    reported once, at the later of the two."""
    if not ledger.budgets:
        return
    from cndledger.core.budget import budget_periods as resolved
    from cndledger.format.periods import Period, unequal_overlaps

    # (project, category, cluster) -> the lines' days -> (period, entry)
    kinds: dict[tuple[str, str | None, str | None], dict[tuple[_dt.date, _dt.date], tuple[Period, Budget]]] = {}
    for entry, period in zip(ledger.budgets, resolved(ledger)):
        if isinstance(period, Period):  # one line per span: an original and its revisions are one line
            kinds.setdefault((entry.project, entry.category, entry.cluster), {}).setdefault(period.span, (period, entry))
    found: list[tuple[Budget, Problem]] = []
    for (project, category, cluster), spans in kinds.items():
        lines = list(spans.values())
        if len(lines) < 2:
            continue
        periods = [period for period, _ in lines]
        for earlier, later in unequal_overlaps(periods):
            first_period, first_entry = lines[earlier]
            period, entry = lines[later]
            found.append((entry, BUDGET_OVERLAP.problem(
                f"{describe_line(project, entry.period, category, cluster)} ({period.first} to {period.last}) overlaps "
                f"the line for {first_entry.period} ({first_period.first} to {first_period.last}) at "
                f"{first_entry.at}: lines of one project, category and cluster must not share days",
                entry.at_key("period"))))
    yield from (problem for _, problem in found)


def budget_lines_exceeded(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    if not ledger.budgets:
        return
    from cndledger.core.budget import lines_as_of
    from cndledger.format.currency import money_text

    for figures in lines_as_of(ledger, as_of):
        if not figures.exceeded:
            continue
        line, currency = figures.line, figures.line.project.currency
        entry = line.in_force(as_of)
        if entry is None:
            continue
        over = figures.spent - figures.budget
        yield BUDGET_LINE_EXCEEDED.problem(
            f"{describe_line(line.project.id, str(line.period), line.category, line.cluster)}: spent {money_text(figures.spent, currency)} "
            f"is above its budget {money_text(figures.budget, currency)} as of {as_of} (by {money_text(over, currency)})", entry.at_key("amount"))


CHECKS = (
    Check(budget_entries, DUPLICATE_ID),
    Check(budget_overlaps, BUDGET_OVERLAP),
    Check(budget_lines_exceeded, BUDGET_LINE_EXCEEDED, dated=True, needs_figures=True),
)
