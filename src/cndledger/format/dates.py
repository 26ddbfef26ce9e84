"""Dates as source documents write them: a day, a month or only a year.

A date of lower precision stands for the last day of its period in all arithmetic
(`LedgerDate.last`); checks that compare two dates use the whole period
(`first`..`last`) so that they report only what is certain.
"""

from __future__ import annotations

import datetime as _dt
import re

from cndledger.format.values import describe

_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class LedgerDate:
    """A date written as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: a value (equal, hashed and pickled by its fields;
    never assigned to: entries share it). A plain class: reading a ledger builds one per distinct date, and
    the `dataclasses` module alone takes longer to import than a small ledger takes to read."""

    __slots__ = ("first", "last", "text")

    def __init__(self, first: _dt.date, last: _dt.date, text: str) -> None:
        self.first = first
        self.last = last
        self.text = text

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not LedgerDate:
            return NotImplemented
        return self.first == other.first and self.last == other.last and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.first, self.last, self.text))

    def __repr__(self) -> str:
        return f"LedgerDate(first={self.first!r}, last={self.last!r}, text={self.text!r})"

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}[len(self.text)]

    def __str__(self) -> str:
        return self.text

    def __lt__(self, other: LedgerDate) -> bool:  # sorting by the arithmetic date
        return (self.last, self.first) < (other.last, other.first)

    @classmethod
    def of_day(cls, day: _dt.date) -> LedgerDate:
        return cls(day, day, day.isoformat())


def parse_date(value: object) -> LedgerDate:
    """Read a TOML local date or a `YYYY[-MM[-DD]]` string; raise ValueError otherwise."""
    if value.__class__ is _dt.date:  # the usual case first
        return LedgerDate.of_day(value)
    if isinstance(value, _dt.datetime):
        raise ValueError("a date-time is not a date; write the day alone, as 2005-02-15")
    if isinstance(value, _dt.date):
        return LedgerDate.of_day(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a date such as 2005-02-15, \"2005-02\" or \"2004\", got {describe(value)}")
    match = _FORM.fullmatch(value)
    if match is None:
        raise ValueError(f"'{value}' is not a date; write 2005-02-15, \"2005-02\" (a month) or \"2004\" (a year)")
    year_digits, month_digits, day_digits = match.groups()
    year = int(year_digits)
    try:
        if month_digits is None:
            return LedgerDate(_dt.date(year, 1, 1), _dt.date(year, 12, 31), value)
        month = int(month_digits)
        if day_digits is None:
            return LedgerDate(_dt.date(year, month, 1), month_end(year, month), value)
        exact = _dt.date(year, month, int(day_digits))
    except ValueError:
        raise ValueError(f"'{value}' is not a date of the calendar") from None
    return LedgerDate(exact, exact, value)


def parse_day(value: object) -> LedgerDate:
    """A date that must be a day (a budget's `revision`, a rate's `date`): a month or a year is refused."""
    date = parse_date(value)
    if date.first != date.last:
        raise ValueError(f"expected a day such as 2005-02-15, got the {date.precision} {date.text!r}; "
                         "write the day itself")
    return date


_MONTHS = {name: number for number, names in enumerate(
    ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sep sept", "october oct", "november nov", "december dec"], start=1) for name in names.split()}
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})|(\d{1,2})[/.-](\d{4})")
_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?[\s/.-]+)?([a-z]+)\.?(?:[\s/.-]+(\d{1,2})(?:st|nd|rd|th)?)?,?[\s/.-]+(\d{4})")


def date_advice(text: str) -> str | None:
    """How to write a date written as people write it: "write 2005-06-30" for `30/06/2005` or
    `June 30, 2005`, 'write "2005-06" (a month, in quotes)' for `June 2005`; None where the text is
    not such a date."""
    folded = text.strip().lower()
    if _FORM.fullmatch(folded):
        return None  # already the format's own form
    numeric = _NUMERIC.fullmatch(folded)
    if numeric is not None:
        first, second, year, y, m, d, month_alone, year_of_month = numeric.groups()
        if y is not None:
            return _day_advice(int(y), int(m), int(d))
        if month_alone is not None:
            return _month_advice(int(year_of_month), int(month_alone))
        a, b, year_number = int(first), int(second), int(year)
        if a > 12 or b > 12 or a == b:
            day, month = (a, b) if a > 12 or a == b else (b, a)
            return _day_advice(year_number, month, day)
        one, other = _day_advice(year_number, b, a), _day_advice(year_number, a, b)
        if one and other:  # 03/06/2005: 3 June or March 6
            return (f"write {_dt.date(year_number, b, a).isoformat()} if it is day {a} of month {b}, "
                    f"{_dt.date(year_number, a, b).isoformat()} if it is day {b} of month {a}")
        return None
    words = _WORDS.fullmatch(folded)
    if words is None or words[2] not in _MONTHS:
        return None
    day_before, month_name, day_after, year = words.groups()
    month = _MONTHS[month_name]
    if day_before and day_after:
        return None
    if day_before or day_after:
        return _day_advice(int(year), month, int(day_before or day_after))
    return _month_advice(int(year), month)


def _day_advice(year: int, month: int, day: int) -> str | None:
    try:
        return f"write {_dt.date(year, month, day).isoformat()} (year-month-day, no quotes needed)"
    except ValueError:
        return None


def _month_advice(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return f'write "{year:04d}-{month:02d}" (a month: year-month, in quotes)'


def parse_as_of(text: str | None) -> _dt.date:
    """The day an `--as-of`/`--on` option names: its period's last day; today when absent."""
    if text is None:
        return _dt.date.today()
    return parse_date(text).last


_ONE_DAY = _dt.timedelta(days=1)


def month_end(year: int, month: int) -> _dt.date:
    """The last day of the month; ValueError for a month or a year out of range.
    (Not `calendar.monthrange`: importing calendar, and locale with it, costs more than a small ledger's reading.)"""
    if month == 12:
        return _dt.date(year, 12, 31)
    if not 1 <= month < 12:
        raise ValueError(f"month must be in 1..12, not {month}")
    return _dt.date(year, month + 1, 1) - _ONE_DAY


def days_apart(a: LedgerDate, b: LedgerDate) -> int:
    """The least number of days that can separate two dates of any precision (0 if they overlap)."""
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0
