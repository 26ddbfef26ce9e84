"""Exchange rates at dates: which rate applies on a day, and converting an amount with it.

The contract (LEDGER-FORMAT.md, "Money in several currencies"):

- A `[[rate]]` says that on its `date` one unit of `from` is worth `rate` units of `to`.
- **The rate from X to Y on day D** is, among the rates X→Y and Y→X dated on or before D, the one with
  the latest date; where both directions have that date, the X→Y one. A Y→X rate r converts by
  dividing by r. X to X is 1. No rate is chained through a third currency.
- **Converting** one entry: A × rate (or A ÷ r), rounded to the target currency's minor unit, half
  away from zero (a negative credit rounds away from zero too). An amount of zero needs no rate.
  Figures add converted entries, never convert a sum: that is the caller's part.
- Two rates with the same `from`, `to` and `date` are duplicates (`duplicate-id`).

`Rates` is built once per ledger from `RateQuote`s; a lookup is a bisection over the sorted dates of
the unordered currency pair, never a scan. Where no rate applies, `convert` raises `NoRate`, a value
that names the pair, the day and the nearest rate there is, and words the contract's message.

The ledger's index is `Ledger.rate_index` (`Rates(quotes_of(ledger.rates))`); `checks/currency.py`
reports `duplicate_rates` as `duplicate-id` at the later entry; `core/counting.py` (`converted`)
calls `convert` for each entry that counts in another currency, with the entry's own `rate` only
where the target is its project's currency, and turns a `NoRate` into a `no-rate` problem at the entry.

Arithmetic is exact integer arithmetic on the amount's and the rate's ratios, then one rounding:
no decimal context takes part, neither the thread's (a caller's context never changes a figure) nor
`MONEY`'s 28 digits (an 18-digit amount times a 15-digit rate has up to 33, and rounding it there
first would round twice).
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from collections.abc import Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, Overflow
from itertools import repeat
from typing import NamedTuple

from cndledger.format.currency import MINOR_UNITS
from cndledger.format.records import Rate
from cndledger.format.values import MAX_RATE_DIGITS, parse_rate, significant_digits

__all__ = ["MAX_RATE_DIGITS", "NoRate", "RateQuote", "Rates", "parse_rate", "significant_digits"]


class RateQuote(NamedTuple):
    """One rate: on `day`, one unit of `source` is worth `rate` units of `target`."""

    day: _dt.date
    source: str
    target: str
    rate: Decimal
    origin: object = None  # where it was written (a Location, a CSV line): opaque here, for messages


class NoRate(LookupError):
    """No rate from `source` to `target` on or before `day`; `earliest` is the pair's nearest rate (after
    the day), or None where the ledger has no rate between the two at all."""

    def __init__(self, source: str, target: str, day: _dt.date, earliest: RateQuote | None) -> None:
        super().__init__(source, target, day, earliest)
        self.source, self.target, self.day, self.earliest = source, target, day, earliest

    @property
    def message(self) -> str:
        """"no rate from PKR to USD on or before 2005-02-28 (the earliest is dated 2005-03-01)"."""
        if self.earliest is not None:
            nearest = f"the earliest is dated {self.earliest.day.isoformat()}"
        else:
            nearest = f"the ledger has no rate between {self.source} and {self.target}"
        return f"no rate from {self.source} to {self.target} on or before {self.day.isoformat()} ({nearest})"

    @property
    def hint(self) -> str:
        return (f"add a [[rate]] from {self.source} to {self.target} (or from {self.target} to {self.source}) "
                f"dated on or before {self.day.isoformat()}, or give the entry its own rate")

    def __str__(self) -> str:
        return self.message


def _pair(source: str, target: str) -> tuple[str, str]:
    return (source, target) if source < target else (target, source)


class Rates:
    """The ledger's rates, indexed for `rate_on`: per unordered pair, the sorted dates, and for each
    date the first rate written in each direction (a later one on the same date is a duplicate)."""

    __slots__ = ("_dates", "_quotes")

    def __init__(self, quotes: Iterable[RateQuote]) -> None:
        # per pair (a, b) with a < b: {day: [the rate a→b, the rate b→a]} (None where not given)
        by_pair: dict[tuple[str, str], dict[_dt.date, list[RateQuote | None]]] = {}
        for quote in quotes:
            pair = _pair(quote.source, quote.target)
            slots = by_pair.setdefault(pair, {}).setdefault(quote.day, [None, None])
            direction = 0 if quote.source == pair[0] else 1
            if slots[direction] is None:
                slots[direction] = quote
        self._dates: dict[tuple[str, str], list[_dt.date]] = {}
        self._quotes: dict[tuple[str, str], list[list[RateQuote | None]]] = {}
        for pair, by_day in by_pair.items():
            days = sorted(by_day)
            self._dates[pair] = days
            self._quotes[pair] = [by_day[day] for day in days]

    def __bool__(self) -> bool:
        return bool(self._dates)

    def rate_on(self, source: str, target: str, day: _dt.date) -> RateQuote | None:
        """The rate from `source` to `target` on `day`, as the contract defines it: a quote whose
        `source` is the given one multiplies, one the other way round divides. X to X is a quote of 1
        (with no origin). None where no rate applies."""
        if source == target:
            return RateQuote(day, source, target, Decimal(1))
        pair = _pair(source, target)
        days = self._dates.get(pair)
        if days is None:
            return None
        at = bisect_right(days, day) - 1
        if at < 0:
            return None
        forward, backward = self._quotes[pair][at]
        if source != pair[0]:
            forward, backward = backward, forward
        return forward if forward is not None else backward

    def earliest(self, source: str, target: str) -> RateQuote | None:
        """The pair's earliest rate (the direct one on a tie), either way round; None where there is none."""
        pair = _pair(source, target)
        quotes = self._quotes.get(pair)
        if not quotes:
            return None
        forward, backward = quotes[0]
        if source != pair[0]:
            forward, backward = backward, forward
        return forward if forward is not None else backward

    def missing(self, source: str, target: str, day: _dt.date) -> NoRate:
        """What is missing where `rate_on` finds nothing: the pair, the day, the nearest rate there is."""
        return NoRate(source, target, day, self.earliest(source, target))

    def convert(self, amount: Decimal, source: str, target: str, day: _dt.date, *,
                entry_rate: Decimal | None = None) -> Decimal:
        """`amount` in `source` converted into `target` on `day`, rounded to `target`'s minor unit half
        away from zero. `entry_rate` (an entry's own `rate`, from its currency to its project's) replaces
        the ledger's rate; the caller passes it only where the target is that project's currency.
        An amount already in `target`, or of zero, is returned as it is. Raises NoRate."""
        if source == target or not amount:
            return amount
        if entry_rate is not None:
            return multiply_rounded(amount, entry_rate, target)
        quote = self.rate_on(source, target, day)
        if quote is None:
            raise self.missing(source, target, day)
        if quote.source == source:
            return multiply_rounded(amount, quote.rate, target)
        return divide_rounded(amount, quote.rate, target)

    def convert_all(self, amounts: Iterable[Decimal], source: str, target: str,
                    days: Iterable[_dt.date]) -> list[Decimal]:
        """`convert` of each amount on its day, at the ledger's rates (never an entry's own), in columns:
        the rate looked up once per distinct day, then every amount multiplied (or divided) and rounded
        at the speed of C, to exactly `convert`'s figures. Raises NoRate for the first amount, in order,
        that has none."""
        amounts, days = list(amounts), list(days)
        if source == target:
            return amounts
        distinct = set(days)
        rate_of_day = {day: quote for day in distinct if (quote := self.rate_on(source, target, day)) is not None}
        directions = {quote.source == source for quote in rate_of_day.values()}
        if len(rate_of_day) == len(distinct) and len(directions) == 1 and all(amounts):
            rates = map({day: quote.rate for day, quote in rate_of_day.items()}.__getitem__, days)
            minor_unit = Decimal(1).scaleb(-MINOR_UNITS.get(target, 2))
            try:
                unrounded = list(map(_EXACT.multiply if True in directions else _TRUNCATING.divide, amounts, rates))
            except Inexact:  # an amount of very many decimal places: each on its own
                pass
            else:
                # `plus` makes a credit that rounds to nothing (-0.00) 0.00, as `convert` does
                return list(map(_ROUNDING.plus, map(_ROUNDING.quantize, unrounded, repeat(minor_unit))))
        # A day with no rate, rates written both ways round, a zero (it needs no rate): each on its own.
        return [self.convert(amount, source, target, day) for amount, day in zip(amounts, days)]


# A product of an amount and a rate (at most 15 digits) fits in 100 digits, or `_EXACT` says it does not.
# A quotient cut at 100 digits towards zero lies on the same side of every half-cent as the exact one
# (a half-cent has far fewer digits), so rounding it once gives the exact quotient's rounding. None of
# them depends on the thread's context.
_EXACT = Context(prec=100, traps=[Inexact, InvalidOperation, Overflow])
_TRUNCATING = Context(prec=100, rounding=ROUND_DOWN)
_ROUNDING = Context(prec=100, rounding=ROUND_HALF_UP)


def _rounded(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator / denominator (denominator > 0), rounded half away from zero to `places` decimals."""
    negative = numerator < 0
    units, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        units += 1
    if not units:
        return Decimal((0, (0,), -places))
    return Decimal(f"{'-' if negative else ''}{units}E-{places}")


def multiply_rounded(amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """amount × rate, exact, rounded half away from zero to `currency`'s minor unit."""
    places = MINOR_UNITS.get(currency, 2)
    amount_numerator, amount_denominator = amount.as_integer_ratio()
    rate_numerator, rate_denominator = rate.as_integer_ratio()
    return _rounded(amount_numerator * rate_numerator * 10 ** places, amount_denominator * rate_denominator, places)


def divide_rounded(amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """amount ÷ rate, exact, rounded half away from zero to `currency`'s minor unit."""
    places = MINOR_UNITS.get(currency, 2)
    amount_numerator, amount_denominator = amount.as_integer_ratio()
    rate_numerator, rate_denominator = rate.as_integer_ratio()
    return _rounded(amount_numerator * rate_denominator * 10 ** places, amount_denominator * rate_numerator, places)


def quotes_of(rates: Iterable[Rate]) -> list[RateQuote]:
    """The ledger's `[[rate]]`s as quotes, each with its entry as its origin (for messages)."""
    return [RateQuote(rate.date.last, rate.from_currency, rate.to_currency, rate.rate, rate) for rate in rates]


def duplicate_rates(quotes: Iterable[RateQuote]) -> list[tuple[RateQuote, RateQuote]]:
    """Each rate with the same `from`, `to` and `date` as an earlier one, with that first one:
    (first, duplicate), in the order written. A rate the other way round on the same date is not one."""
    first: dict[tuple[_dt.date, str, str], RateQuote] = {}
    duplicates = []
    for quote in quotes:
        key = (quote.day, quote.source, quote.target)
        earlier = first.setdefault(key, quote)
        if earlier is not quote:
            duplicates.append((earlier, quote))
    return duplicates
