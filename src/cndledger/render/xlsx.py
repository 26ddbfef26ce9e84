"""The report as one workbook (`cndledger report --xlsx FILE`): a sheet per report, with openpyxl.

Sheets: balance (a row per project, then a row per party of it), budget (a row per line, then the
unbudgeted spending), tranches (a row per tranche, then each commitment's unscheduled rest), register
(every event of the window). The columns are those of each report's CSV; the header row is frozen
and the columns are sized to their contents.

Amounts are numbers with their currency's number format (`#,##0.00`; `#,##0` for a currency without
minor unit). Each is written as its exact decimal text, as `--json` writes it: openpyxl would write a
Decimal through a float with 16 significant digits, which changes the cent of an amount from 10^14
up; a spreadsheet program holds 15 significant digits, so amounts that large are exact in the file
only. Days are dates; a date written as a month or a year (`2005-02`) stays text.

openpyxl is an optional extra (`pip install 'cndledger[xlsx]'`): without it `check_available` says so.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from cndledger.core.report import Report
from cndledger.format.currency import MINOR_UNITS, format_amount
from cndledger.format.dates import LedgerDate
from cndledger.format.shares import used
from cndledger.render import printable


class XlsxUnavailable(Exception):
    """openpyxl is not installed."""


def check_available() -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise XlsxUnavailable("--xlsx needs openpyxl, which is not installed; install it with "
                              "pip install 'cndledger[xlsx]' (or pip install openpyxl)") from None


class Amount:
    """An amount in a currency, for a cell."""

    __slots__ = ("value", "currency")

    def __init__(self, value: Decimal, currency: str) -> None:
        self.value, self.currency = value, currency


class Share:
    """A share (spent ÷ budget), written as `used` in the JSON, shown as a percentage."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _money(value: Decimal | None, currency: str) -> Amount | None:
    return None if value is None else Amount(value, currency)


def _date(date: LedgerDate | None) -> _dt.date | str | None:
    """A day as a date; a month or a year as written."""
    if date is None:
        return None
    return date.first if date.first == date.last else date.text


Sheet = tuple[str, list[str], list[list[Any]]]


def _balance(report: Report) -> Sheet:
    statement = report.first is not None
    names = ["budget", *(["opening_available"] if statement else []), "committed", "released", "refunded",
             "outstanding", "inkind_valued", "inkind_unvalued", "spent", "support_cost", "available", "gap", "pledged"]
    header = ["project", "title", "parent", "currency", "party", *names]
    rows: list[list[Any]] = []
    for figures in report.statement.projects:
        project, cur = figures.project, figures.project.currency
        head = [project.id, project.title, project.parent, cur]
        rows.append([*head, None, *(figures.inkind_unvalued if name == "inkind_unvalued"
                                    else _money(getattr(figures, name), cur) for name in names)])
        for party in figures.by_party:
            by_name = {"committed": party.committed, "released": party.released, "outstanding": party.outstanding}
            rows.append([*head, party.party, *(_money(by_name[name], cur) if name in by_name else None
                                                for name in names)])
    return "balance", header, rows


def _budget(report: Report) -> Sheet:
    header = ["row", "project", "period", "start", "end", "category", "cluster", "currency", "budget", "original",
              "spent", "remaining", "used"]
    rows: list[list[Any]] = []
    for figures in report.budget.lines:
        line, cur = figures.line, figures.line.project.currency
        share = used(figures.spent, figures.budget)
        rows.append(["line", line.project.id, line.period.text, line.period.first, line.period.last, line.category,
                     line.cluster, cur, _money(figures.budget, cur), _money(figures.original, cur),
                     _money(figures.spent, cur), _money(figures.remaining, cur), None if share is None else Share(share)])
    for rest in report.budget.unbudgeted:
        cur = rest.project.currency
        rows.append(["unbudgeted", rest.project.id, rest.period.text, rest.period.first, rest.period.last, None, None,
                     cur, None, None, _money(rest.spent, cur), None, None])
    return "budget", header, rows


def _tranches(report: Report) -> Sheet:
    header = ["commitment", "project", "party", "currency", "commitment_amount", "tranche", "amount", "due",
              "released", "released_on", "status", "releasable", "conditions_holding", "conditions_failing"]
    rows: list[list[Any]] = []
    for entry in report.schedule.commitments:
        cur = entry.currency
        head = [entry.commitment.id, entry.commitment.project, entry.party, cur, _money(entry.commitment.amount, cur)]
        for line in entry.tranches:
            check = line.check
            holding = [] if check is None else [c.name for c in check.conditions if c.holds]
            failing = [] if check is None else [c.name for c in check.failing]
            rows.append([*head, line.tranche.id, _money(line.tranche.amount, cur), _date(line.tranche.due),
                         _money(line.released, cur), _date(line.last_release), line.status,
                         None if check is None else check.releasable, " ".join(holding), " ".join(failing)])
        if entry.unscheduled:
            rows.append([*head, None, _money(entry.unscheduled, cur), None, None, None, "unscheduled", None, None,
                         None])
    return "tranches", header, rows


def _register(report: Report) -> Sheet:
    header = ["date", "counts_from", "kind", "id", "project", "party", "currency", "amount", "committed", "released",
              "spent", "refunded", "detail"]
    rows: list[list[Any]] = []
    events = report.register.events if report.register is not None else []
    for event in events:
        cur = event.project.currency
        rows.append([_date(event.date), event.day, event.kind, event.id, event.project.id, event.party, cur,
                     _money(event.amount, cur), _money(event.committed, cur), _money(event.released, cur),
                     _money(event.spent, cur), _money(event.refunded, cur), event.detail or None])
    return "register", header, rows


def number_format(currency: str) -> str:
    places = MINOR_UNITS.get(currency, 2)
    return "#,##0" + ("." + "0" * places if places else "")


def as_xlsx(report: Report) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, header, rows in (_balance(report), _budget(report), _tranches(report), _register(report)):
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        widths = [len(title) for title in header]
        for row in rows:
            for column, value in enumerate(row):
                widths[column] = max(widths[column], _width(value))
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)
        heading = []
        for title in header:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in rows:
            sheet.append([_cell(sheet, WriteOnlyCell, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, Amount):
        return len(format_amount(value.value, value.currency, grouping=True))
    if isinstance(value, Share):
        return 8
    if isinstance(value, _dt.date):
        return 10
    return len(str(value))


def _cell(sheet: Any, make: Any, value: object) -> Any:
    if value is None:
        return None
    if isinstance(value, Amount):
        cell = make(sheet, value=value.value)  # a number cell...
        cell._value = format_amount(value.value, value.currency)  # ...whose text is the exact decimal, no float's
        cell.number_format = number_format(value.currency)
        return cell
    if isinstance(value, Share):
        cell = make(sheet, value=Decimal(value.text))
        cell._value = value.text
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, _dt.date):
        cell = make(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        text = printable(value)  # control characters escaped: XML cannot hold them
        if text.startswith("="):  # text, never a formula
            cell = make(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text
    return value


def sheets(report: Report) -> Iterable[Sheet]:
    """The sheets' names, headers and rows (for tests and other writers)."""
    return (_balance(report), _budget(report), _tranches(report), _register(report))


__all__: Sequence[str] = ["XlsxUnavailable", "as_xlsx", "check_available", "number_format", "sheets"]
