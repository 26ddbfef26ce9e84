"""Reading a CSV file of exchange rates (`cndledger rates import FILE.csv`), and writing the new
`[[rate]]` entries it gives in the ledger's style.

Two layouts are read, told apart by the first row that has more than one cell (rows of a single cell
before it, such as a title, are passed over; so are blank rows anywhere):

- **plain**: a header naming the columns `date`, `from`, `to`, `rate`, in any order, and optionally
  `source` and `note`. Each row is one rate: on `date`, one unit of `from` is worth `rate` units of
  `to`, as in a `[[rate]]`.

      date,from,to,rate,source
      2005-03-01,USD,PKR,59.72,UN operational rate of exchange

- **UN operational rates of exchange**, as the UN Treasury publishes them
  (treasury.un.org/operationalrates): one row per country and effective date (monthly, with some
  mid-month revisions), the rate in units of the currency per US dollar. Its columns are those of
  the Treasury's export: country, currency name, currency code, effective date, rate. Read with a
  header that names a currency-code column (`Currency Code`, `CurrencyCode`, `Code`), a rate column
  (`Rate`, `Operational Rate`, `ExchangeRate`) and a date column (`Effective Date`, `Date`), in any
  order, other columns (`Country`, `Currency Name`...) being ignored; or without a header, in the
  export's own order (`Country, Currency name, Code, Effective date, Rate`). A row of currency C
  at rate r on day D is the rate USD→C r on D. The currency is listed once per country that uses it
  (the euro some twenty times): rows repeating a rate are read once. Rows of the US dollar itself
  at 1 are passed over.

Cells may be separated by commas, tabs (the Treasury's export) or semicolons, told by the header
line. Dates are days, written 2005-03-01 or as the Treasury writes them, `01 Mar 2005` or
`01-Mar-2005`. Rates are exact decimals written with a point and no thousands separators, above zero,
with at most 15 significant digits. Currency codes are ISO 4217 codes in capitals. The file is read
as UTF-8 (with or without a byte-order mark), else as Latin-1 (only codes, dates and rates matter).

Nothing here raises on a bad file: every bad row is a `Problem` located at its file and line
(the line a row starts on), with a hint; the good rows are read all the same. `currencies` keeps
only the rows of those currencies, so a whole UN table can be imported for the one currency needed
(the rows of other currencies are not judged).

`new_rate_entries` then turns the rates into `[[rate]]` text, leaving out those already in the
ledger with the same rate and refusing, as a located problem, one that the ledger has with another
rate (the same `from`, `to` and `date` would be a `duplicate-id`).
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
import re
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import NamedTuple

from cndledger.core.rates import RateQuote, parse_rate
from cndledger.format.codes import BAD_VALUE, DUPLICATE_ID, UNREADABLE_FILE, Code
from cndledger.format.currency import MINOR_UNITS
from cndledger.format.problems import Location, Problem

PLAIN, UN = "plain", "un"
UN_SOURCE = "UN operational rate of exchange"  # the `source` of each rate read from the UN layout

PLAIN_COLUMNS = ("date", "from", "to", "rate", "source", "note")
_PLAIN_REQUIRED = ("date", "from", "to", "rate")
# The UN layout's headers, written as `_column_name` reduces them (letters only, lower case).
_UN_CODE = frozenset({"currencycode", "code", "isocode", "currcode", "iso"})
_UN_RATE = frozenset({"rate", "operationalrate", "exchangerate", "unoperationalrate", "rateofexchange",
                      "operationalrateofexchange", "rateperusd", "unitsperusd", "unitsperusdollar"})
_UN_DATE = frozenset({"effectivedate", "date", "effdate", "dateeffective", "effectivefrom"})
_UN_POSITIONS = {"code": 2, "date": 3, "rate": 4}  # the Treasury's export without a header

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_COARSER = re.compile(r"\d{4}(-\d{2})?")
_TREASURY_DAY = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{4})")
_DECIMAL = re.compile(r"\d+(\.\d+)?|\.\d+")
_CODE = re.compile(r"[A-Z]{3}")

_LAYOUT_HINT = ("start the file with the header date,from,to,rate (one rate a row), or use the UN Treasury's "
                "export of operational rates (Country, Currency name, Code, Effective date, Rate)")


class RowOrigin(NamedTuple):
    """Where a rate was read: the CSV file and the line its row starts on; and the row's own
    `source` and `note` (plain layout), for the entry written from it."""

    file: str
    line: int
    source: str | None = None
    note: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class ImportedRates(NamedTuple):
    quotes: list[RateQuote]  # in the order of the file, each with a RowOrigin
    problems: list[Problem]
    layout: str | None  # PLAIN or UN; None where the file is neither


def read_rates_csv(path: str, *, currencies: Collection[str] | None = None) -> ImportedRates:
    """The rates of the CSV file at `path` (see the module's docstring for the layouts)."""
    from cndledger.read.rawfile import UnreadableFile, read_bytes

    try:
        raw = read_bytes(path)
    except UnreadableFile as exc:
        return ImportedRates([], [UNREADABLE_FILE.problem(str(exc), Location(path, 1))], None)
    return parse_rates_csv(decode(raw), path, currencies=currencies)


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # a spreadsheet's export; only ASCII codes, dates and rates are read


def parse_rates_csv(text: str, file: str, *, currencies: Collection[str] | None = None) -> ImportedRates:
    """The rates in `text`, the content of the CSV file named `file` in problems."""
    rows = list(_rows(text))
    header_at = next((index for index, (_, cells) in enumerate(rows)
                      if isinstance(cells, str) or sum(1 for cell in cells if cell.strip()) > 1), None)
    if header_at is None:
        problem = BAD_VALUE.problem("the file holds no rows of rates", Location(file, 1), hint=_LAYOUT_HINT)
        return ImportedRates([], [problem], None)
    line, header = rows[header_at]
    if isinstance(header, str):
        return ImportedRates([], [BAD_VALUE.problem(header, Location(file, line), hint=_NOT_CSV_HINT)], None)
    names = [_column_name(cell) for cell in header]
    reader = _Reader(file, currencies)
    if "from" in names and "to" in names:
        layout, columns = PLAIN, reader.plain_columns(names, header, line)
        body = rows[header_at + 1:]
    elif (columns := _un_columns(names)) is not None:
        layout, body = UN, rows[header_at + 1:]
    elif _looks_like_un_row(header):
        layout, columns, body = UN, dict(_UN_POSITIONS), rows[header_at:]
    else:
        message = f"the first row ({', '.join(cell.strip() for cell in header)}) is not a header of rates"
        return ImportedRates([], [BAD_VALUE.problem(message, Location(file, line), hint=_LAYOUT_HINT)], None)
    if columns is None:  # the plain header itself is wrong: its problems say how
        return ImportedRates([], reader.problems, layout)
    read_row = reader.plain_row if layout == PLAIN else reader.un_row
    width, named = len(header), "first row" if columns == _UN_POSITIONS else "header"
    needed = max(columns[key] for key in ("code", "date", "rate") if key in columns) if layout == UN \
        else max(columns[key] for key in _PLAIN_REQUIRED)  # the last column a row must reach
    for line, cells in body:
        if isinstance(cells, str):
            reader.problem(cells, line, _NOT_CSV_HINT)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if not reader.wanted(cells, columns):
            continue
        if len(cells) <= needed:
            reader.problem(f"the row has {len(cells)} cells where the {named} has {width}", line,
                           "give every row a cell for each column of the header (an empty one where there is nothing)")
            continue
        if layout == PLAIN and any(cell.strip() for cell in cells[width:]):
            reader.problem(f"the row has {len(cells)} cells where the {named} has {width}", line,
                           "remove the cells after the last column, or name their column in the header")
            continue
        read_row(cells, columns, line)
    return ImportedRates(reader.quotes, reader.problems, layout)


def _rows(text: str) -> Iterable[tuple[int, list[str] | str]]:
    """Each row with the line it starts on (a quoted cell may hold a line break); for a row that is
    not CSV, the message that says why in place of its cells."""
    delimiter = ","
    for line in text.splitlines():  # the first line with a separator tells which (a title has none)
        if "\t" in line or "," in line or ";" in line:
            delimiter = "\t" if "\t" in line else "," if "," in line else ";"
            break
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    ended = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the row is not CSV: say why, and read on from the line after it
            why = next((words for clue, words in _NOT_CSV.items() if clue in str(exc)), "its quotes do not pair up")
            yield ended + 1, f"the row cannot be read as CSV: {why}"
        else:
            yield ended + 1, cells
        ended = reader.line_num


# csv's errors, in plain words (by a clue in csv's own)
_NOT_CSV = {
    "unexpected end": "a quote opened on this line is never closed",
    "expected after": "a quoted cell has text after its closing quote",
    "field larger": "a cell is larger than any rate needs",
}
_NOT_CSV_HINT = 'close each quoted cell ("...") right before its separator, or remove the stray quote'


def _column_name(cell: str) -> str:
    return re.sub(r"[^a-z]", "", cell.lower())


def _un_columns(names: list[str]) -> dict[str, int] | None:
    def position(choices: frozenset[str]) -> int | None:
        return next((index for index, name in enumerate(names) if name in choices), None)

    columns = {"code": position(_UN_CODE), "date": position(_UN_DATE), "rate": position(_UN_RATE)}
    if None in columns.values():
        return None
    return columns  # type: ignore[return-value]


def _looks_like_un_row(cells: list[str]) -> bool:
    return (len(cells) >= 5 and _CODE.fullmatch(cells[2].strip()) is not None
            and _DECIMAL.fullmatch(cells[4].strip()) is not None)


def parse_day(text: str) -> _dt.date:
    """A day written 2005-03-01, `01 Mar 2005` or `01-Mar-2005`; raises ValueError in plain words."""
    text = text.strip()
    try:
        if match := _ISO_DAY.fullmatch(text):
            return _dt.date(int(match[1]), int(match[2]), int(match[3]))
        if (match := _TREASURY_DAY.fullmatch(text)) and match[2].lower() in _MONTHS:
            return _dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    except ValueError:
        raise ValueError(f"'{text}' is not a day of the calendar") from None
    if _ISO_COARSER.fullmatch(text):
        raise ValueError(f"a rate's date is a day, and '{text}' is a {'month' if '-' in text else 'year'}: "
                         "write the day the rate takes effect, such as 2005-03-01")
    if not text:
        raise ValueError("the date is empty")
    raise ValueError(f"'{text}' is not a date written 2005-03-01 or 01 Mar 2005")


def parse_code(text: str) -> str:
    code = text.strip()
    if code in MINOR_UNITS:
        return code
    if code.upper() in MINOR_UNITS:
        raise ValueError(f"write the currency code in capitals: '{code.upper()}', not '{code}'")
    if not code:
        raise ValueError("the currency code is empty")
    raise ValueError(f"'{code}' is not an active ISO 4217 currency code")


def parse_rate_text(text: str) -> Decimal:
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        if "," in text:
            raise ValueError(f"the rate '{text}' has a comma: write it with a decimal point and no thousands "
                             "separators, such as 16878.373")
        raise ValueError(f"'{text}' is not a rate: write a number above zero such as 59.72" if text
                         else "the rate is empty")
    return parse_rate(Decimal(text))


class _Reader:
    """The rates and problems of one file as its rows are read."""

    def __init__(self, file: str, currencies: Collection[str] | None) -> None:
        self.file = file
        self.currencies = None if currencies is None else frozenset(currencies)
        self.quotes: list[RateQuote] = []
        self.problems: list[Problem] = []
        self._first: dict[tuple[_dt.date, str, str], RateQuote] = {}

    def problem(self, message: str, line: int, hint: str, code: Code = BAD_VALUE) -> None:
        self.problems.append(code.problem(message, Location(self.file, line), hint=hint))

    def plain_columns(self, names: list[str], header: list[str], line: int) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        for index, (name, cell) in enumerate(zip(names, header)):
            if name in PLAIN_COLUMNS and name not in columns:
                columns[name] = index
            elif name in columns:
                self.problem(f"the column '{cell.strip()}' is named twice in the header", line,
                             "name each column once")
            elif cell.strip():
                close = difflib.get_close_matches(name, PLAIN_COLUMNS, n=1)
                guess = f"; did you mean '{close[0]}'?" if close else ""
                self.problem(f"unknown column '{cell.strip()}' in the header{guess}", line,
                             f"the columns are {', '.join(PLAIN_COLUMNS)} (source and note optional)")
        missing = [name for name in _PLAIN_REQUIRED if name not in columns]
        if missing:
            self.problem(f"the header has no column {', '.join(repr(name) for name in missing)}", line,
                         "the header names the columns date, from, to and rate")
        return None if self.problems else columns

    def wanted(self, cells: list[str], columns: dict[str, int]) -> bool:
        """Whether the row is of one of the currencies kept (a row too short to say is judged)."""
        if self.currencies is None:
            return True
        keys = ("code",) if "code" in columns else ("from", "to")
        if any(columns[key] >= len(cells) for key in keys):
            return True
        return any(cells[columns[key]].strip() in self.currencies for key in keys)

    def plain_row(self, cells: list[str], columns: dict[str, int], line: int) -> None:
        try:
            day = parse_day(cells[columns["date"]])
            source, target = parse_code(cells[columns["from"]]), parse_code(cells[columns["to"]])
            if source == target:
                raise ValueError(f"a rate is between two currencies, and 'from' and 'to' are both {source}")
            rate = parse_rate_text(cells[columns["rate"]])
        except ValueError as exc:
            self.problem(str(exc), line, "a row reads date,from,to,rate such as 2005-03-01,USD,PKR,59.72")
            return
        texts = [cells[columns[key]].strip() or None if columns.get(key, len(cells)) < len(cells) else None
                 for key in ("source", "note")]
        self._add(RateQuote(day, source, target, rate, RowOrigin(self.file, line, *texts)))

    def un_row(self, cells: list[str], columns: dict[str, int], line: int) -> None:
        try:
            code = parse_code(cells[columns["code"]])
            day = parse_day(cells[columns["date"]])
            rate = parse_rate_text(cells[columns["rate"]])
        except ValueError as exc:
            self.problem(str(exc), line, "a row of UN operational rates gives a currency code, an effective "
                                         "date such as 01 Mar 2005 and the units of the currency per US dollar")
            return
        if code == "USD":
            if rate != 1:
                self.problem(f"the US dollar's rate per US dollar is 1, not {rate}", line,
                             "correct the rate, or remove the row")
            return
        self._add(RateQuote(day, "USD", code, rate, RowOrigin(self.file, line, UN_SOURCE)))

    def _add(self, quote: RateQuote) -> None:
        key = (quote.day, quote.source, quote.target)
        first = self._first.setdefault(key, quote)
        if first is quote:
            self.quotes.append(quote)
        elif first.rate != quote.rate:
            first_line, line = first.origin.line, quote.origin.line  # type: ignore[attr-defined]  # RowOrigins
            self.problem(f"a second rate from {quote.source} to {quote.target} on {quote.day.isoformat()}: "
                         f"{quote.rate}, where line {first_line} gives {first.rate}",
                         line, "keep one of the two rows", DUPLICATE_ID)


class NewRates(NamedTuple):
    text: str  # the `[[rate]]` entries to append, separated by blank lines ("" where there are none)
    added: list[RateQuote]  # the rates the text holds, in its order
    present: list[RateQuote]  # rates the ledger already has, with the same rate: left out
    problems: list[Problem]  # rates the ledger has with another rate: refused, located at the new one


def new_rate_entries(quotes: Iterable[RateQuote], existing: Iterable[RateQuote], *,
                     source: str | None = None) -> NewRates:
    """The `[[rate]]` entries for `quotes` not in the ledger yet (`existing`, its rates), sorted by date,
    then `from` and `to`. An entry's `source` is its row's, else `source`; its `note`, its row's."""
    known = {(quote.day, quote.source, quote.target): quote for quote in reversed(list(existing))}
    added, present, problems = [], [], []
    for quote in sorted(quotes, key=lambda quote: (quote.day, quote.source, quote.target)):
        have = known.setdefault((quote.day, quote.source, quote.target), quote)
        if have is quote:
            added.append(quote)
        elif have.rate == quote.rate:
            present.append(quote)
        else:
            where = f" at {_where(have.origin)}" if have.origin is not None else ""
            pair = f"rate from {quote.source} to {quote.target} on {quote.day.isoformat()}"
            if any(have is new for new in added):
                message = f"a second {pair}: {quote.rate}, where {_where(have.origin)} gives {have.rate}"
            else:
                message = f"the ledger already has a {pair}: {have.rate}{where}, where this row gives {quote.rate}"
            at = quote.origin
            problems.append(DUPLICATE_ID.problem(message, Location(getattr(at, "file", "?"), getattr(at, "line", 0)),
                                                 hint="leave the row out, or correct the ledger's rate if this one is right"))
    entries = [rate_entry_text(quote, source=getattr(quote.origin, "source", None) or source,
                               note=getattr(quote.origin, "note", None)) for quote in added]
    return NewRates("\n".join(entries), added, present, problems)


def _where(origin: object) -> str:
    file, line = getattr(origin, "file", None), getattr(origin, "line", None)
    return f"{file}:{line}" if file is not None else str(origin)


def rate_entry_text(quote: RateQuote, *, source: str | None = None, note: str | None = None) -> str:
    """One `[[rate]]` entry as the ledger's files write entries."""
    lines = ["[[rate]]", f'date = "{quote.day.isoformat()}"', f'from = "{quote.source}"', f'to = "{quote.target}"',
             f"rate = {rate_text(quote.rate)}"]
    if source:
        lines.append(f"source = {toml_string(source)}")
    if note:
        lines.append(f"note = {toml_string(note)}")
    return "\n".join(lines) + "\n"


def rate_text(rate: Decimal) -> str:
    """A rate as a TOML number: its digits as written, never an exponent, thousands grouped with `_` from
    five digits on (235_000, as the ledger writes amounts)."""
    whole, point, fraction = format(rate, "f").partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):_}"
    return whole + point + fraction


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for character in text:
        if character in '"\\':
            escaped.append("\\" + character)
        elif character < " " or character == "\x7f":
            escaped.append(f"\\u{ord(character):04X}")
        else:
            escaped.append(character)
    return '"' + "".join(escaped) + '"'
