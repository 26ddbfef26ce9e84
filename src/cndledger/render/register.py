"""The register of money events: as JSON, CSV or a table."""

from __future__ import annotations

import json
from functools import partial

from cndledger.core.register import Event, Register
from cndledger.format.currency import format_amount
from cndledger.render.csv import as_csv as _csv
from cndledger.render.table import ID, TEXT, Column, Row, Table

FIELDS = ["date", "counts_from", "kind", "id", "project", "party", "currency", "amount", "own_currency", "own_amount",
          "committed", "released", "spent", "detail"]
REFUNDED_FIELDS = [*FIELDS[:-1], "refunded", FIELDS[-1]]  # where something was refunded


def _record(event: Event) -> dict[str, object]:
    currency = event.project.currency
    money = lambda amount: None if amount is None else format_amount(amount, currency)
    return {
        "date": event.date.text, "counts_from": event.day.isoformat(), "kind": event.kind, "id": event.id,
        "project": event.project.id, "party": event.party, "currency": currency, "amount": money(event.amount),
        # as written, where the entry is in another currency than its project (null where not)
        "own_currency": event.own_currency,
        "own_amount": None if event.own_amount is None or event.own_currency is None
        else format_amount(event.own_amount, event.own_currency),
        "committed": money(event.committed), "released": money(event.released), "spent": money(event.spent),
        "refunded": money(event.refunded), "detail": event.detail,
    }


def as_json(register: Register) -> str:
    document = {
        "as_of": register.as_of.isoformat(), "from": register.start.isoformat() if register.start else None,
        "events": [_record(event) for event in register.events],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def as_csv(register: Register) -> str:
    fields = REFUNDED_FIELDS if any(event.kind == "refund" for event in register.events) else FIELDS
    return _csv(fields, ([_record(event)[name] for name in fields] for event in register.events))


# The table's columns; on a narrow terminal the highest rank is left out first (README, "Tables that fit").
COLUMNS = {column.header: column for column in (
    Column("date"), Column("kind"), Column("id", rank=1, wraps=ID), Column("project", rank=2, wraps=ID),
    Column("party", rank=7, wraps=ID), Column("cur"), Column("amount", "right"), Column("committed", "right", rank=5),
    Column("released", "right", rank=3), Column("spent", "right", rank=4), Column("refunded", "right", rank=6),
    Column("detail", rank=8, wraps=TEXT),
)}


def _detail(event: Event) -> str:
    """The event's detail, after its amount as written where that is in another currency than its project."""
    if event.own_amount is None or event.own_currency is None:
        return event.detail
    written = f"{event.own_currency} {format_amount(event.own_amount, event.own_currency, grouping=True)}"
    return "; ".join(filter(None, (written, event.detail)))


def as_table(register: Register) -> Table:
    # A refunded column only where something was refunded: a ledger without refunds reads as it always has.
    refunds = any(event.kind == "refund" for event in register.events)
    columns = [column for column in COLUMNS.values() if refunds or column.header != "refunded"]
    span = f" from {register.start}" if register.start else ""
    table = Table(f"Register as of {register.as_of}{span}", columns)
    for event in register.events:
        currency = event.project.currency
        money = partial(format_amount, currency=currency, grouping=True)
        table.rows.append(Row([
            event.date.text, event.kind, event.id or "", event.project.id, event.party or "", currency,
            "unvalued" if event.amount is None else money(event.amount),
            money(event.committed), money(event.released), money(event.spent),
            *([money(event.refunded)] if refunds else []), _detail(event),
        ]))
    table.footnote = ("committed, released, spent: running figures of the event's project, its children included. "
                      "Events of one day: commitments, releases, in-kind, expenses, each in ledger order.")
    return table
