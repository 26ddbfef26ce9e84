"""The register: every money event in the order it counts, with the running figures of its project.

An event counts from the last day of its date's period (a release, refund or decommitment never
before its commitment), as `counting` has it. Events of the same day come commitments first, then
decommitments, releases, refunds, in-kind and expenses, each kind in ledger order. A decommitment's
amount is written as cancelled (above zero) and takes it from the running committed; a pledge is
an event at its date that changes no running figure (it is never committed). A valued in-kind contribution is an event for
each month it accrues (a `monthly_value`, dated by the month) or once at its start (a `value`);
an unvalued one is an event, with no amount, at its start.

The running committed, released, refunded and spent of a row are those of the row's project, its children
included, counting every event up to and including the row, also those before `--from`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cndledger.core import counting
from cndledger.core.counting import ZERO
from cndledger.core.ledger import Ledger
from cndledger.format.dates import LedgerDate
from cndledger.format.record import Record
from cndledger.format.records import Decommitment, Project, Refund, Release

KINDS = ("pledge", "commitment", "decommitment", "release", "refund", "inkind", "expense")  # the order within a day
_SortKey = tuple[_dt.date, int, int]  # (day, place of its kind in KINDS, place among the entries of its kind)
_FIGURE_OF_KIND = {"commitment": "committed", "decommitment": "committed", "release": "released",
                   "refund": "refunded", "expense": "spent"}


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
    committed: Decimal = ZERO  # running figures of `project`, its children included
    released: Decimal = ZERO
    spent: Decimal = ZERO
    refunded: Decimal = ZERO
    own_amount: Decimal | None = None  # as written, in `own_currency`, where that is not the project's
    own_currency: str | None = None
    entry: object = None  # the entry it comes from (to convert it into the currency of each project above)

    @property
    def currency(self) -> str:
        """The currency of `amount` and of the running figures: the project's."""
        return self.project.currency


@dataclass
class Register:
    as_of: _dt.date
    start: _dt.date | None  # the first day shown (`--from`); None for all
    events: list[Event]


def _month(day: _dt.date) -> LedgerDate:
    return LedgerDate(day.replace(day=1), day, f"{day.year:04d}-{day.month:02d}")


def _events(ledger: Ledger, as_of: _dt.date) -> list[tuple[_SortKey, Event]]:
    """Every event counting on `as_of`, each with its sort key."""
    found: list[tuple[_SortKey, Event]] = []
    projects = ledger.project_by_id
    converts = ledger.converts

    def add(index: int, event: Event, entry: Record | None = None) -> None:
        if converts and entry is not None and event.amount is not None:
            own_currency = counting.entry_currency(ledger, entry)
            event.entry = entry
            if own_currency is not None and own_currency != event.project.currency:
                event.own_amount, event.own_currency = event.amount, own_currency
                event.amount = counting.converted(ledger, entry, event.amount, event.project.currency, event.day,
                                                  revalued=event.kind == "pledge")
        found.append(((event.day, KINDS.index(event.kind), index), event))

    for index, pledge in enumerate(ledger.pledges):
        project = projects.get(pledge.project)
        if project is not None and pledge.date.last <= as_of:
            add(index, Event(pledge.date.last, pledge.date, "pledge", pledge.id, project, ledger.party_id(pledge.party),
                             pledge.amount, ""), pledge)
    commitments = ledger.commitments
    for index, (commitment, day) in enumerate(zip(commitments, counting.counting_days(commitments))):
        project = projects.get(commitment.project)
        if project is not None and day <= as_of:
            add(index, Event(day, commitment.date, "commitment", commitment.id, project, ledger.party_id(commitment.party),
                             commitment.amount, commitment.instrument or ""), commitment)
    flow_kinds: list[tuple[str, Sequence[Release | Decommitment | Refund]]] = [
        ("release", ledger.releases), ("decommitment", ledger.decommitments), ("refund", ledger.refunds)]
    for kind, flows in flow_kinds:
        committed_by = counting.commitments_of(ledger, flows)
        for index, (flow, its_commitment, day) in enumerate(
                zip(flows, committed_by, counting.release_counting_days(flows, committed_by))):
            if its_commitment is None:
                continue
            project = projects.get(its_commitment.project)
            if project is None or day > as_of:
                continue
            tranche = getattr(flow, "tranche", None)
            detail = "; ".join(part for part in (
                f"tranche {tranche}" if tranche else "" if kind == "release" else f"commitment {its_commitment.id}",
                flow.reference or "") if part)
            add(index, Event(day, flow.date, kind, flow.id, project, ledger.party_id(its_commitment.party),
                             flow.amount, detail), flow)
    for index, contribution in enumerate(ledger.inkind):
        project = projects.get(contribution.project)
        if project is None or counting.inkind_counts_from(contribution) > as_of:
            continue
        party = ledger.party_id(contribution.party)
        if contribution.monthly_value is not None:
            for month_end in counting.accrued_month_ends(contribution, as_of):
                add(index, Event(month_end, _month(month_end), "inkind", contribution.id, project, party,
                                 contribution.monthly_value, f"{contribution.nature}, monthly value"), contribution)
        elif contribution.value is not None:
            add(index, Event(contribution.start.last, contribution.start, "inkind", contribution.id, project, party,
                             contribution.value, f"{contribution.nature}, value"), contribution)
        else:
            add(index, Event(contribution.start.last, contribution.start, "inkind", contribution.id, project, party,
                             None, f"{contribution.nature}, unvalued"))
    expenses = ledger.expenses
    for index, (expense, day) in enumerate(zip(expenses, counting.expense_days(ledger))):
        project = projects.get(expense.project)
        if project is not None and day <= as_of:
            detail = " / ".join(part for part in (expense.cluster, expense.category) if part)
            add(index, Event(day, expense.date, "expense", expense.id, project, None,
                             expense.amount, detail), expense)
    return found


def register(ledger: Ledger, as_of: _dt.date, start: _dt.date | None = None,
             projects: set[str] | None = None) -> Register:
    """Money events counting on `as_of`; those from `start` on, of `projects` where given, are listed."""
    running: dict[str, dict[str, Decimal]] = {}
    lines = counting.lineages(ledger)
    currency_of = {project.id: project.currency for project in ledger.projects}
    add, subtract = counting.MONEY.add, counting.MONEY.subtract

    listed = []
    for _, event in sorted(_events(ledger, as_of), key=lambda pair: pair[0]):
        figure = _FIGURE_OF_KIND.get(event.kind)
        if figure is not None and event.amount is not None:  # (an event of these kinds always has an amount)
            # Each event counts in its project and in every project above it (one amount in each, in
            # v1; in several currencies, each project's own conversion of the event).
            change = subtract if event.kind == "decommitment" else add
            for project_id in lines.get(event.project.id, (event.project.id,)):
                totals = running.setdefault(project_id, {})
                amount = event.amount
                if event.entry is not None and currency_of[project_id] != event.currency:
                    written = event.amount if event.own_amount is None else event.own_amount
                    amount = counting.converted(ledger, event.entry, written,  # type: ignore[arg-type]
                                                currency_of[project_id], event.day)
                totals[figure] = change(totals.get(figure, ZERO), amount)
        own = running.get(event.project.id, {})
        event.committed, event.released, event.spent, event.refunded = (
            own.get(name, ZERO) for name in ("committed", "released", "spent", "refunded"))
        if (start is None or event.day >= start) and (projects is None or event.project.id in projects):
            listed.append(event)
    return Register(as_of, start, listed)
