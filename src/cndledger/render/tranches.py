"""The tranche schedule: as JSON, CSV or a table (overdue rows stand out on a terminal)."""

from __future__ import annotations

import json
from functools import partial

from cndledger.core.schedule import CommitmentSchedule, Schedule, TrancheLine
from cndledger.format.currency import format_amount
from cndledger.render.csv import as_csv as _csv
from cndledger.render.release_check import conditions_as_list
from cndledger.render.table import ID, TEXT, Column, Row, Table

ABSENT = "—"
STYLES = {"overdue": "bold red", "due": "yellow", "released": "dim"}


def _text(date) -> str | None:
    return None if date is None else date.text


def _conditions(line: TrancheLine) -> tuple[list[str], list[str]]:
    """The names of the conditions that hold and of those that do not (both empty when not evaluated)."""
    if line.check is None:
        return [], []
    return ([c.name for c in line.check.conditions if c.holds], [c.name for c in line.check.failing])


def as_json(schedule: Schedule) -> str:
    def commitment(entry: CommitmentSchedule) -> dict[str, object]:
        money = partial(format_amount, currency=entry.currency)
        return {
            "id": entry.commitment.id, "project": entry.commitment.project, "party": entry.party,
            "currency": entry.currency, "date": entry.commitment.date.text, "amount": money(entry.commitment.amount),
            "released": money(entry.released), "scheduled": money(entry.scheduled),
            "unscheduled": money(entry.unscheduled),
            "tranches": [
                {
                    "id": line.tranche.id, "amount": money(line.tranche.amount), "due": _text(line.tranche.due),
                    "released": money(line.released), "released_on": _text(line.last_release), "status": line.status,
                    "releasable": None if line.check is None else line.check.releasable,
                    "conditions": None if line.check is None else conditions_as_list(line.check),
                }
                for line in entry.tranches
            ],
        }

    document = {"as_of": schedule.as_of.isoformat(), "commitments": [commitment(c) for c in schedule.commitments]}
    return json.dumps(document, indent=2, ensure_ascii=False)


CSV_HEADER = ["commitment", "project", "party", "currency", "commitment_amount", "tranche", "amount", "due",
              "released", "released_on", "status", "releasable", "conditions_holding", "conditions_failing"]


def as_csv(schedule: Schedule) -> str:
    """A row per tranche, then a row with status `unscheduled` for each commitment's remainder."""
    rows = []
    for entry in schedule.commitments:
        money = partial(format_amount, currency=entry.currency)
        head = [entry.commitment.id, entry.commitment.project, entry.party, entry.currency,
                money(entry.commitment.amount)]
        for line in entry.tranches:
            holding, failing = _conditions(line)
            releasable = None if line.check is None else str(line.check.releasable).lower()
            rows.append([*head, line.tranche.id, money(line.tranche.amount), _text(line.tranche.due),
                         money(line.released), _text(line.last_release), line.status, releasable,
                         " ".join(holding), " ".join(failing)])
        if entry.unscheduled:
            rows.append([*head, None, money(entry.unscheduled), None, None, None, "unscheduled", None, None, None])
    return _csv(CSV_HEADER, rows)


# The table's columns; on a narrow terminal the highest rank is left out first (README, "Tables that fit").
COLUMNS = {column.header: column for column in (
    Column("commitment / tranche", wraps=ID), Column("project", rank=7, wraps=ID), Column("party", rank=6, wraps=ID),
    Column("cur"), Column("amount", "right"), Column("due", rank=3), Column("released", "right", rank=1),
    Column("released on", rank=5), Column("status", rank=2), Column("conditions", rank=4, wraps=TEXT),
)}


def as_table(schedule: Schedule) -> Table:
    columns = [*COLUMNS.values()]
    columns[-1] = columns[-1]._replace(header=f"conditions on {schedule.as_of}")
    table = Table(f"Tranches as of {schedule.as_of}", columns)
    for entry in schedule.commitments:
        money = partial(format_amount, currency=entry.currency, grouping=True)
        table.rows.append(Row([entry.commitment.id, entry.commitment.project, entry.party, entry.currency,
                               money(entry.commitment.amount), "", money(entry.released), "", "", ""], style="bold"))
        for line in entry.tranches:
            holding, failing = _conditions(line)
            if line.check is None:
                conditions = ""
            elif not failing:
                conditions = "all hold"
            else:
                conditions = "; ".join(part for part in (
                    f"holds: {', '.join(holding)}" if holding else "", f"not: {', '.join(failing)}") if part)
            table.rows.append(Row(
                [line.tranche.id, "", "", "", money(line.tranche.amount), _text(line.tranche.due) or ABSENT,
                 money(line.released), _text(line.last_release) or "", line.status, conditions],
                indent=1, style=STYLES.get(line.status),
            ))
        if entry.unscheduled:
            table.rows.append(Row(["(unscheduled)", "", "", "", money(entry.unscheduled), "", "", "", "", ""],
                                  indent=1, style="italic"))
    table.footnote = (
        "released: releases counting on the day; (unscheduled): the part of a commitment no tranche schedules.\n"
        "status: released (in full); overdue (its due date ended before the day); due (the day falls within its "
        "due date); partly released; scheduled.\n"
        "conditions: the release conditions of each tranche not fully released "
        "(`cndledger release-check TRANCHE --on DAY` shows the figures)."
    )
    return table
