"""Amounts made from shares, rounded once and half away from zero: an expense's support cost (amount ×
`support_cost_rate`, to the currency's minor unit) and a budget line's `used` (spent ÷ budget, to 4 places).

Both are computed exactly before the one rounding: `MONEY` alone would first round a product or a
quotient to 28 digits, half to even, and a long rate could then round twice. Like every figure, never
in the thread's `decimal.getcontext()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import MAX_PREC, ROUND_HALF_UP, Decimal
from itertools import repeat
from operator import methodcaller

from cndledger.format.currency import MINOR_UNITS, MONEY

DEFAULT_SUPPORT_COST_RATE = Decimal(0)

# MONEY with room for any exact product of two decimals (precision bounds the digits kept, it
# allocates none). ROUND_HALF_UP is Python's name for half away from zero, negatives included.
_EXACT = MONEY.copy()
_EXACT.prec = MAX_PREC
_STEPS = {places: Decimal(1).scaleb(-places) for places in set(MINOR_UNITS.values())}
_USED_PLACES = 4
_USED_ZERO = Decimal(0).scaleb(-_USED_PLACES)  # 0.0000, never -0.0000


def support_cost(amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The support cost an expense bears: amount × rate, rounded to the currency's minor unit half away
    from zero (a credit note's, negative, away from zero too; never a negative zero)."""
    exact = _EXACT.multiply(amount, rate)
    rounded = exact.quantize(_STEPS[MINOR_UNITS[currency]], ROUND_HALF_UP, MONEY)
    return MONEY.plus(rounded)  # plus: -0.00 (a tiny credit note's) becomes 0.00


def support_costs(amounts: Iterable[Decimal], rate: Decimal, currency: str) -> list[Decimal]:
    """`support_cost` of each amount (the expenses of one project), in C-level maps: no Python call per expense."""
    rounding = methodcaller("quantize", _STEPS[MINOR_UNITS[currency]], ROUND_HALF_UP, MONEY)
    return list(map(MONEY.plus, map(rounding, map(_EXACT.multiply, amounts, repeat(rate)))))


def used_share(spent: Decimal, budget: Decimal) -> Decimal | None:
    """spent ÷ budget rounded half away from zero to 4 places (Decimal("0.8440")); None where the budget is zero."""
    if not budget:
        return None
    # Exactly: spent × 10^4 divided by the budget, truncated toward zero, and its remainder decide the rounding.
    quotient, remainder = _EXACT.divmod(spent.scaleb(_USED_PLACES, _EXACT), budget)
    if remainder and _EXACT.multiply(remainder, 2).copy_abs() >= budget.copy_abs():
        quotient = _EXACT.add(quotient, 1 if (spent < 0) == (budget < 0) else -1)
    if not quotient:
        return _USED_ZERO
    return quotient.scaleb(-_USED_PLACES, _EXACT)


def used(spent: Decimal, budget: Decimal) -> str | None:
    """`used` as the JSON writes it: "0.8440"; None (null) where the budget is zero."""
    share = used_share(spent, budget)
    return None if share is None else f"{share:.{_USED_PLACES}f}"
