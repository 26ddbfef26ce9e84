"""The register: every money event in the order it counts, with the running figures of its project.

An event counts from the last day of its date's period (a release never before its commitment:
`figures.release_counts_from`). Events of the same day come commitments first, then releases,
in-kind and expenses, each kind in ledger order. A valued in-kind contribution is an event for
each month it accrues (a `monthly_value`, dated by the month) or once at its start (a `value`);
an unvalued one is an event, with no amount, at its start.

The running committed, released and spent of a row are those of the row's project, its children
included, counting every event up to and including the row, also those before `--from`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from cndledger.core import figures as fig
from cndledger.format.dates import LedgerDate
from cndledger.core.ledger import Ledger
from cndledger.format.records import Project

KINDS = ("commitment", "release", "inkind", "expense")  # the order of events of the same day
_FIGURE_OF_KIND = {"commitment": "committed", "release": "released", "expense": "spent"}


@dataclass
class Event:
    day: _dt.date  # the day it counts from
    date: LedgerDate  # as written (an accrual month for a monthly in-kind value)
    kind: str  # one of KINDS
    id: str | None
    project: Project
    party: str | None  # the party's id; None for an expense
    amount: Decimal | None  # None for an unvalued in-kind contribution
    detail: str
    committed: Decimal = fig.ZERO  # running figures of `project`, its children included
    released: Decimal = fig.ZERO
    spent: Decimal = fig.ZERO


@dataclass
class Register:
    as_of: _dt.date
    start: _dt.date | None  # the first day shown (`--from`); None for all
    events: list[Event]


def _month(day: _dt.date) -> LedgerDate:
    return LedgerDate(day.replace(day=1), day, f"{day.year:04d}-{day.month:02d}")


def _events(ledger: Ledger, as_of: _dt.date) -> list[tuple[tuple, Event]]:
    """Every event counting on `as_of`, each with its sort key."""
    found: list[tuple[tuple, Event]] = []
    projects = ledger.project_by_id

    def add(index: int, event: Event) -> None:
        found.append(((event.day, KINDS.index(event.kind), index), event))

    for index, commitment in enumerate(ledger.commitments):
        project = projects.get(commitment.project)
        if project is not None and fig.commitment_counts(commitment, as_of):
            add(index, Event(commitment.date.last, commitment.date, "commitment", commitment.id, project,
                             ledger.party_id(commitment.party), commitment.amount, commitment.instrument or ""))
    for index, release in enumerate(ledger.releases):
        commitment = ledger.commitment_by_id.get(release.commitment)
        project = projects.get(commitment.project) if commitment is not None else None
        if project is None or not fig.release_counts(release, commitment, as_of):
            continue
        detail = "; ".join(part for part in (
            f"tranche {release.tranche}" if release.tranche else "", release.reference or "") if part)
        add(index, Event(fig.release_counts_from(release, commitment), release.date, "release", release.id, project,
                         ledger.party_id(commitment.party), release.amount, detail))
    for index, contribution in enumerate(ledger.inkind):
        project = projects.get(contribution.project)
        if project is None or contribution.start.last > as_of:
            continue
        party = ledger.party_id(contribution.party)
        if contribution.monthly_value is not None:
            for month_end in fig.accrued_month_ends(contribution, as_of):
                add(index, Event(month_end, _month(month_end), "inkind", contribution.id, project, party,
                                 contribution.monthly_value, f"{contribution.nature}, monthly value"))
        elif contribution.value is not None:
            add(index, Event(contribution.start.last, contribution.start, "inkind", contribution.id, project, party,
                             contribution.value, f"{contribution.nature}, value"))
        else:
            add(index, Event(contribution.start.last, contribution.start, "inkind", contribution.id, project, party,
                             None, f"{contribution.nature}, unvalued"))
    for index, expense in enumerate(ledger.expenses):
        project = projects.get(expense.project)
        if project is not None and fig.expense_counts(expense, as_of):
            detail = " / ".join(part for part in (expense.cluster, expense.category) if part)
            add(index, Event(expense.date.last, expense.date, "expense", expense.id, project, None, expense.amount, detail))
    return found


def register(ledger: Ledger, as_of: _dt.date, start: _dt.date | None = None,
             projects: set[str] | None = None) -> Register:
    """Money events counting on `as_of`; those from `start` on, of `projects` where given, are listed."""
    running: dict[str, dict[str, Decimal]] = {}

    def lineage(project: Project) -> list[str]:
        chain, seen = [], set()
        current: Project | None = project
        while current is not None and current.id not in seen:
            seen.add(current.id)
            chain.append(current.id)
            current = ledger.project_by_id.get(current.parent) if current.parent else None
        return chain

    listed = []
    for _, event in sorted(_events(ledger, as_of), key=lambda pair: pair[0]):
        figure = _FIGURE_OF_KIND.get(event.kind)
        if figure is not None:
            for project_id in lineage(event.project):
                totals = running.setdefault(project_id, {})
                totals[figure] = totals.get(figure, fig.ZERO) + event.amount
        own = running.get(event.project.id, {})
        event.committed, event.released, event.spent = (own.get(name, fig.ZERO) for name in ("committed", "released", "spent"))
        if (start is None or event.day >= start) and (projects is None or event.project.id in projects):
            listed.append(event)
    return Register(as_of, start, listed)
