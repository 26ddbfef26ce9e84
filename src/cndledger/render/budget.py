"""The budget report (format v2): as JSON, CSV or a table (lines spent above their budget stand out on a terminal)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from cndledger.core.budget import BudgetReport, LineFigures
from cndledger.format.currency import format_amount
from cndledger.format.shares import used
from cndledger.render.table import ID, TEXT, Column, Row, Table

ABSENT = "—"
OVER_BUDGET_STYLE = "bold red"
CSV_HEADER = ["row", "project", "period", "start", "end", "category", "cluster", "currency", "budget", "original",
              "spent", "remaining", "used"]


def _amount(value: Decimal | None, currency: str) -> str | None:
    return None if value is None else format_amount(value, currency)


def _line(figures: LineFigures) -> dict[str, object]:
    line, currency = figures.line, figures.line.project.currency
    money = partial(_amount, currency=currency)
    return {
        "project": line.project.id, "period": line.period.text, "start": line.period.first.isoformat(),
        "end": line.period.last.isoformat(), "category": line.category, "cluster": line.cluster, "currency": currency,
        "budget": money(figures.budget), "original": money(figures.original), "spent": money(figures.spent),
        "remaining": money(figures.remaining), "used": used(figures.spent, figures.budget),
    }


def as_json(report: BudgetReport) -> str:
    import json  # only for --json

    document = {
        "as_of": report.as_of.isoformat(), "period": report.period,
        "from": None if report.first is None else report.first.isoformat(),
        "lines": [_line(figures) for figures in report.lines],
        "unbudgeted": [{"project": rest.project.id, "period": rest.period.text, "currency": rest.project.currency,
                        "spent": format_amount(rest.spent, rest.project.currency)} for rest in report.unbudgeted],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def as_csv(report: BudgetReport) -> str:
    """A row per line, then a row `unbudgeted` for each project and period's spending that matches no line."""
    from cndledger.render.csv import as_csv as csv

    rows: list[list[object]] = [["line", *_line(figures).values()] for figures in report.lines]
    for rest in report.unbudgeted:
        rows.append(["unbudgeted", rest.project.id, rest.period.text, rest.period.first.isoformat(),
                     rest.period.last.isoformat(), None, None, rest.project.currency, None, None,
                     format_amount(rest.spent, rest.project.currency), None, None])
    return csv(CSV_HEADER, rows)


# The table's columns; on a narrow terminal the highest rank is left out first (README, "Tables that fit").
COLUMNS = {column.header: column for column in (
    Column("project", wraps=ID), Column("period"), Column("category", wraps=TEXT), Column("cluster", rank=5, wraps=TEXT),
    Column("cur"), Column("budget", "right", rank=1), Column("original", "right", rank=6),
    Column("spent", "right", rank=2), Column("remaining", "right", rank=3), Column("used", "right", rank=4),
)}


def as_table(report: BudgetReport) -> Table:
    columns = list(COLUMNS.values())
    window = f" for {report.period}" if report.period else f" from {report.first.isoformat()}" if report.first else ""
    table = Table(f"Budget{window} as of {report.as_of.isoformat()}", columns)
    for figures in report.lines:
        line, currency = figures.line, figures.line.project.currency
        money = partial(_grouped, currency=currency)
        share = used(figures.spent, figures.budget)
        table.rows.append(Row(
            [line.project.id, line.period.text, line.category or ABSENT, line.cluster or ABSENT, currency,
             money(figures.budget), money(figures.original), money(figures.spent), money(figures.remaining),
             ABSENT if share is None else f"{Decimal(share) * 100:.1f} %"],
            style=OVER_BUDGET_STYLE if figures.exceeded else None,
        ))
    for rest in report.unbudgeted:
        currency = rest.project.currency
        table.rows.append(Row([rest.project.id, rest.period.text, "(unbudgeted)", ABSENT, currency, ABSENT, ABSENT,
                               _grouped(rest.spent, currency), ABSENT, ABSENT], style="dim"))
    if any(figures.exceeded for figures in report.lines):
        table.footnote = "remaining below zero: the line spent more than its budget (bold red on a terminal)."
    return table


def _grouped(value: Decimal | None, currency: str) -> str:
    return ABSENT if value is None else format_amount(value, currency, grouping=True)
