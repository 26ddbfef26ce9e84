"""Reading scalar values of a ledger: amounts (exact decimals) and how to name a value in a message."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, DecimalException, getcontext

# Larger amounts would lose digits in decimal arithmetic (28 significant digits) once summed;
# no funding ledger comes near it, so it is refused rather than silently rounded.
MAX_AMOUNT = Decimal("1e18")


def describe(value: object) -> str:
    """Name a TOML value's type in words a ledger writer knows."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) <= 40 else "a text"
    if isinstance(value, _dt.datetime):
        return "a date-time"
    if isinstance(value, _dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, _dt.time):
        return "a time of day"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def parse_amount(value: object, *, signed: bool = False) -> Decimal:
    """An amount is a TOML integer or decimal, exact, finite, and (unless `signed`) above zero."""
    if value.__class__ is Decimal and value.is_finite() and (-MAX_AMOUNT if signed else 0) < value < MAX_AMOUNT:
        return value  # the usual case, judged at once (a Decimal is immutable: no copy needed)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        hint = " (write it without quotes)" if isinstance(value, str) else ""
        raise ValueError(f"expected an amount such as 70000 or 70000.50, got {describe(value)}{hint}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"an amount must be a finite number, got {value}")
    if amount.copy_abs() >= MAX_AMOUNT:  # copy_abs: abs() rounds in the context and overflows on 1e999999999
        raise ValueError("the amount is too large (at most 18 digits before the decimal point)")
    if not signed and amount <= 0:
        raise ValueError(f"an amount must be above zero, got {value}; direction comes from the table kind")
    return amount


def decimal_places(amount: Decimal) -> int:
    """Decimal places the value needs: 70000.500 needs 1, 70000.505 needs 3 (exact, no rounding)."""
    sign, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places = -exponent
    for digit in reversed(digits):
        if digit != 0 or places == 0:
            break
        places -= 1
    return places


_STEPS: dict[int, Decimal] = {}


def needs_more_places(amount: Decimal, places: int) -> bool:
    """Whether `decimal_places(amount) > places`, found by one exact remainder (several times faster)."""
    step = _STEPS.get(places)
    if step is None:
        step = _STEPS[places] = Decimal(1).scaleb(-places)
    try:
        remainder = amount % step
    except DecimalException:  # a quotient too long for the context: count the places instead
        return decimal_places(amount) > places
    if remainder:
        return True
    # A remainder below the context's smallest exponent comes out as 0 (1e-999999999 % 0.01): count.
    return remainder.as_tuple().exponent <= getcontext().Etiny() and decimal_places(amount) > places
