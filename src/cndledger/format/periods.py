"""Periods of budgets and reports: a calendar year, quarter or month, or a project's fiscal year.

A period is written `"2005"`, `"2005-Q3"` (always a calendar quarter), `"2005-02"`, or a fiscal year:
`"FY2005-06"` where the fiscal year starts in a month other than January (`fiscal_year_start`, 2 to 12:
the fiscal year that starts in 2005 in that month), `"FY2005"` where it starts in January. Reading a
label (`read_label`) needs no project; resolving it into days (`resolve`, `parse_period`) needs the
fiscal_year_start of the project it concerns, inherited from the parent (`resolve_fiscal_year_start`).

A bad label raises `PeriodError`: a ValueError (so the models can use these functions as validators, like
`dates.parse_date`) with the message a ledger writer reads and a `hint` (the loader gives it to the
`bad-value` problem). The command line's `--period` and `--from` are read at the end of this module; their
errors are `UsageError`s, one line each, for the command to print before exiting with 2.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

from cndledger.format.dates import month_end, parse_date
from cndledger.format.inherit import inherited, inherited_all
from cndledger.format.values import describe

YEAR, QUARTER, MONTH, FISCAL_YEAR = "year", "quarter", "month", "fiscal year"
DEFAULT_FISCAL_YEAR_START = 1  # January: the fiscal year is the calendar year

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")

_FORMS = 'a year "2005", a quarter "2005-Q3", a month "2005-02" or a fiscal year "FY2005-06" ("FY2005" where it starts in January)'
_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-Q(\d)")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_FISCAL = re.compile(r"FY(\d{4})(?:-(\d{2}))?")
# Near misses, answered with the form they were meant to be.
_FISCAL_LONG = re.compile(r"FY(\d{4})-(\d{4})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LAST_DAY = _dt.date.max  # 9999-12-31


class PeriodError(ValueError):
    """A period that cannot be read or resolved: `str()` is the message, `hint` says what to write."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Period:
    """A period resolved into days: `first`..`last` (both included), the label as written, its kind
    (YEAR, QUARTER, MONTH or FISCAL_YEAR). A value, like `dates.LedgerDate`: equal and hashed by its fields.
    Two periods of different labels may cover the same days (`"2005"` and `"FY2005"`); a budget line is
    identified by its days: compare `span`."""

    __slots__ = ("first", "last", "text", "kind")

    def __init__(self, first: _dt.date, last: _dt.date, text: str, kind: str) -> None:
        self.first = first
        self.last = last
        self.text = text
        self.kind = kind

    @property
    def span(self) -> tuple[_dt.date, _dt.date]:
        return (self.first, self.last)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Period:
            return NotImplemented
        return (self.first, self.last, self.text, self.kind) == (other.first, other.last, other.text, other.kind)

    def __hash__(self) -> int:
        return hash((self.first, self.last, self.text, self.kind))

    def __repr__(self) -> str:
        return f"Period(first={self.first!r}, last={self.last!r}, text={self.text!r}, kind={self.kind!r})"

    def __str__(self) -> str:
        return self.text

    def __lt__(self, other: Period) -> bool:  # the order of a report: by first day, then the shorter first
        return (self.first, self.last) < (other.first, other.last)


class Label(NamedTuple):
    """A period label read but not yet resolved: a fiscal year needs its project's fiscal_year_start.
    `number` is the quarter (1-4) or the month (1-12); `spans_two_years` tells "FY2005-06" from "FY2005"."""

    text: str
    kind: str
    year: int
    number: int = 0
    spans_two_years: bool = False


def read_label(value: object, fiscal_year_start: int | None = None) -> Label:
    """Read a period label (text in quotes); raise PeriodError for any other value or form. Given the
    project's fiscal_year_start, the hint for a fiscal year written wrong names the one right form."""
    if not isinstance(value, str):
        shown = f'"{value}"' if isinstance(value, int) and not isinstance(value, bool) else '"2005"'
        raise PeriodError(f"expected a period written as text in quotes, got {describe(value)}",
                          f"write it in quotes, as {shown}: a period is {_FORMS}")
    if match := _YEAR.fullmatch(value):
        return Label(value, YEAR, _calendar_year(value, match[1]))
    if match := _MONTH.fullmatch(value):
        month = int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"'{value}' is not a month of the calendar", f'the months are 01 to 12: "{match[1]}-01" to "{match[1]}-12"')
        return Label(value, MONTH, _calendar_year(value, match[1]), month)
    if match := _QUARTER.fullmatch(value):
        quarter = int(match[2])
        if not 1 <= quarter <= 4:
            raise PeriodError(f"'{value}' is not a quarter: a year has four",
                              f"write {match[1]}-Q1, {match[1]}-Q2, {match[1]}-Q3 or {match[1]}-Q4")
        return Label(value, QUARTER, _calendar_year(value, match[1]), quarter)
    if match := _FISCAL.fullmatch(value):
        year = _calendar_year(value, match[1])
        second = match[2]
        if second is not None and second != _two_digits(year + 1):
            raise PeriodError(f"'{value}' is not a fiscal year: one that starts in {year} ends in {year + 1}",
                              _right_form_hint(year, fiscal_year_start))
        return Label(value, FISCAL_YEAR, year, 0, second is not None)
    raise PeriodError(f"'{value}' is not a period", _near_miss_hint(value, fiscal_year_start))


def resolve(label: Label, fiscal_year_start: int, whose: str = "the project's") -> Period:
    """The days of a label for a project whose fiscal year starts in month `fiscal_year_start` (1-12).
    A quarter is a calendar quarter whatever the fiscal year. `whose` names the fiscal year's owner in
    a message ("the project's", "the reported projects'")."""
    kind, year, text = label.kind, label.year, label.text
    if kind == YEAR:
        return Period(_dt.date(year, 1, 1), _dt.date(year, 12, 31), text, YEAR)
    if kind == MONTH:
        return Period(_dt.date(year, label.number, 1), month_end(year, label.number), text, MONTH)
    if kind == QUARTER:
        first_month = 3 * label.number - 2
        return Period(_dt.date(year, first_month, 1), month_end(year, first_month + 2), text, QUARTER)
    start = fiscal_year_start
    if start == 1:
        if label.spans_two_years:
            raise PeriodError(
                f"'{text}' is the form of a fiscal year that starts after January, but {whose} fiscal year "
                f"starts in January (fiscal_year_start 1)", _right_form_hint(year, 1))
        return Period(_dt.date(year, 1, 1), _dt.date(year, 12, 31), text, FISCAL_YEAR)
    if year == _LAST_DAY.year:
        raise PeriodError(
            f"'{text}' would end in {MONTH_NAMES[start - 2]} {year + 1}, after the last day a date can have "
            f"(9999-12-31)", f"the last fiscal year from {MONTH_NAMES[start - 1]} that can be written is FY9998-99")
    if not label.spans_two_years:
        raise PeriodError(
            f"'{text}' is the form of a fiscal year that starts in January, but {whose} fiscal year starts "
            f"in {MONTH_NAMES[start - 1]} (fiscal_year_start {start})", _right_form_hint(year, start))
    return Period(_dt.date(year, start, 1), month_end(year + 1, start - 1), text, FISCAL_YEAR)


def parse_period(text: object, fiscal_year_start: int, whose: str = "the project's") -> Period:
    """Read and resolve a period label for a project whose fiscal year starts in month `fiscal_year_start`."""
    return resolve(read_label(text, fiscal_year_start), fiscal_year_start, whose)


def parse_period_label(value: object) -> str:
    """A budget's `period` as the models read it: a label of one of the forms, kept as written (it is
    resolved into days by its project's fiscal_year_start once the ledger is known)."""
    return read_label(value).text


def fiscal_year_label(year: int, fiscal_year_start: int) -> str:
    """How the fiscal year starting in `year` is written: "FY2005" from January, else "FY2005-06"."""
    if fiscal_year_start == 1:
        return f"FY{year:04d}"
    return f"FY{year:04d}-{_two_digits(year + 1)}"


def parse_fiscal_year_start(value: object) -> int:
    """`fiscal_year_start` of a project: the month its fiscal year starts in, an integer 1 to 12."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise PeriodError(f"expected a month from 1 to 12, got {describe(value)}",
                          "write the month the fiscal year starts in as a bare number: 7 for July")
    return value


def _calendar_year(text: str, digits: str) -> int:
    year = int(digits)
    if year == 0:
        raise PeriodError(f"'{text}' is not a period of the calendar: the first year is 0001",
                          "write a year from 0001 to 9999")
    return year


def _two_digits(year: int) -> str:
    return f"{year % 100:02d}"


def _right_form_hint(year: int, fiscal_year_start: int | None) -> str:
    if fiscal_year_start is None:
        return (f"write FY{year:04d}-{_two_digits(year + 1)}, or FY{year:04d} where the fiscal year starts in January")
    label = fiscal_year_label(year, fiscal_year_start)
    if fiscal_year_start != 1 and year == _LAST_DAY.year:
        return f"write {label}"
    period = resolve(Label(label, FISCAL_YEAR, year, 0, fiscal_year_start != 1), fiscal_year_start)
    return f"write {label}: the fiscal year from {period.first.isoformat()} to {period.last.isoformat()}"


def _near_miss_hint(text: str, fiscal_year_start: int | None) -> str:
    upper = text.strip().upper()
    if upper != text:
        try:
            label = read_label(upper)
        except PeriodError:
            pass
        else:
            if label.kind == FISCAL_YEAR:
                return _right_form_hint(label.year, fiscal_year_start) + " (in capitals, without spaces)"
            return f"write {upper}: in capitals, without spaces"
    if match := _FISCAL_LONG.fullmatch(upper):
        year = int(match[1])
        if 0 < year and int(match[2]) == year + 1:
            return _right_form_hint(year, fiscal_year_start)
    if _DAY.fullmatch(text):
        return f"a period is not a day: write {_FORMS}"
    return f"write {_FORMS}"


# ---- relations between periods and days --------------------------------------------------------------

def overlaps(a: Period, b: Period) -> bool:
    """Whether the periods share a day (equal periods do; touching ones, a.last + 1 day == b.first, do not)."""
    return a.first <= b.last and b.first <= a.last


def overlaps_unequally(a: Period, b: Period) -> bool:
    """Whether the periods share a day without covering the same days: `budget-overlap` for one line."""
    return overlaps(a, b) and (a.first, a.last) != (b.first, b.last)


def contains(period: Period, day: _dt.date) -> bool:
    return period.first <= day <= period.last


def unequal_overlaps(periods: Sequence[Period]) -> list[tuple[int, int]]:
    """For each period that shares a day, without covering the same days, with one that sorts before it (by
    first day, then last day), one pair: (the index of that earlier one, its own index). Of any two periods
    in conflict, the later is in a pair: a `budget-overlap` is reported once, at the later line. One sort and
    one sweep: budget lines are compared in O(n log n), never pairwise."""
    order = sorted(range(len(periods)), key=lambda index: (periods[index].first, periods[index].last))
    pairs: list[tuple[int, int]] = []
    reach: int | None = None  # among the earlier groups, the period that ends last
    position = 0
    while position < len(order):
        span = (periods[order[position]].first, periods[order[position]].last)
        end = position
        while end < len(order) and (periods[order[end]].first, periods[order[end]].last) == span:
            end += 1
        group = order[position:end]  # equal spans, never in conflict with each other
        if reach is not None and periods[reach].last >= span[0]:
            pairs.extend((reach, index) for index in group)
        if reach is None or span[1] > periods[reach].last:
            reach = group[0]
        position = end
    return pairs


# ---- inheritance ---------------------------------------------------------------------------------------

def resolve_fiscal_year_start(project_id: str, own: Mapping[str, int | None],
                              parent_of: Mapping[str, str | None]) -> int:
    """The project's own fiscal_year_start, else its parent's (recursively), else 1; cycle-safe."""
    return inherited(project_id, own, parent_of, DEFAULT_FISCAL_YEAR_START)


def resolve_fiscal_year_starts(projects: Iterable[str], own: Mapping[str, int | None],
                               parent_of: Mapping[str, str | None]) -> dict[str, int]:
    """`resolve_fiscal_year_start` of every project, in one walk of the tree."""
    return inherited_all(projects, own, parent_of, DEFAULT_FISCAL_YEAR_START)


# ---- the command line: --period, --from, --as-of -----------------------------------------------------

class UsageError(ValueError):
    """Bad usage of a window's options (exit 2): `str()` is the line to print after "cndledger: "."""


class Window(NamedTuple):
    """The days a report covers: `first` (None: from the beginning) to `last`, both included."""

    first: _dt.date | None
    last: _dt.date


def read_period_option(text: str) -> Label:
    """`--period P`, read before the ledger is opened (a fiscal year is resolved once the reported
    projects are known: `period_window`)."""
    try:
        return read_label(text)
    except PeriodError as exc:
        raise UsageError(_usage_line("--period", exc)) from None


def from_day(text: str) -> _dt.date:
    """`--from D`: a day, or the first day of a month or a year."""
    try:
        return parse_date(text).first
    except ValueError as exc:
        raise UsageError(f"--from: {exc}") from None


def period_window(label: Label, starts: Collection[int]) -> Window:
    """The window of `--period` for the reported projects, given their fiscal_year_starts (a set, or any
    collection). A fiscal year needs one start common to all of them (none reported: the default, 1);
    a calendar year, quarter or month never depends on it."""
    distinct = sorted(set(starts))
    if label.kind == FISCAL_YEAR and len(distinct) > 1:
        months = ", ".join(MONTH_NAMES[start - 1] for start in distinct)
        raise UsageError(
            f"--period {label.text}: the reported projects' fiscal years start in different months ({months}), "
            f"so a fiscal year names no one window; report them one at a time with --project, or give a "
            f"calendar period or --from and --as-of")
    start = distinct[0] if distinct else DEFAULT_FISCAL_YEAR_START
    try:
        period = resolve(label, start, whose="the reported projects'")
    except PeriodError as exc:
        raise UsageError(_usage_line(f"--period {label.text}", exc)) from None
    return Window(period.first, period.last)


class StatementOptions(NamedTuple):
    """`--period`, `--from` and `--as-of` of a period statement, read and judged before the ledger is
    opened; `window(starts)` gives the days once the reported projects' fiscal_year_starts are known."""

    period: Label | None
    first: _dt.date | None
    last: _dt.date | None  # None with --period: the period gives it

    def window(self, starts: Collection[int] = ()) -> Window:
        if self.period is not None:
            return period_window(self.period, starts)
        assert self.last is not None
        return Window(self.first, self.last)


def read_statement_options(period: str | None, from_: str | None, as_of: str | None,
                           today: _dt.date | None = None) -> StatementOptions:
    """Judge `balance`'s window options: `--period` alone, or `--from` with or without `--as-of` (default:
    today), or `--as-of` alone. Raise UsageError for a bad value, `--period` with either of the others, or
    a `--from` after the `--as-of` day (an empty window)."""
    if period is not None:
        if from_ is not None or as_of is not None:
            given = " and ".join(option for option, value in (("--from", from_), ("--as-of", as_of)) if value is not None)
            raise UsageError(f"--period excludes {given}: the period gives the window's first and last day; "
                             f"give --period alone, or --from and --as-of")
        return StatementOptions(read_period_option(period), None, None)
    if as_of is None:
        last = today if today is not None else _dt.date.today()
    else:
        try:
            last = parse_date(as_of).last
        except ValueError as exc:
            raise UsageError(f"--as-of: {exc}") from None
    first = from_day(from_) if from_ is not None else None
    if first is not None and first > last:
        raise UsageError(f"--from {from_} is after --as-of {last.isoformat()}: the window would hold no day")
    return StatementOptions(None, first, last)


def _usage_line(option: str, exc: PeriodError) -> str:
    return f"{option}: {exc.message}" + (f"; {exc.hint}" if exc.hint else "")
