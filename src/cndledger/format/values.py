"""Reading scalar values of a ledger: ids, amounts (exact decimals), currencies, shares; how to name a
value in a message.

Each `parse_*` is the rule of one type of value: the models give it to Pydantic (`models.py`), and the
generated plans call it directly (`plans.py`). It returns the value as the entry holds it, or raises
ValueError with the message a ledger writer reads. No Pydantic here: a ledger of plainly valid
entries is read without it.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, DecimalException

from cndledger.format.currency import MINOR_UNITS, MONEY

# Larger amounts would lose digits in decimal arithmetic (28 significant digits) once summed;
# no funding ledger comes near it, so it is refused rather than silently rounded.
MAX_AMOUNT = Decimal("1e18")

# The most significant digits a rate may have (the contract: "at most 15 significant digits").
MAX_RATE_DIGITS = 15
MAX_RATE, MIN_RATE = Decimal("1e18"), Decimal("1e-18")


def describe(value: object) -> str:
    """Name a TOML value's type in words a ledger writer knows."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        unusual = unusual_characters(value)
        holding = f" (holding {unusual})" if unusual else ""
        return (f"the text {value!r}" if len(value) <= 40 else "a text") + holding
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


# Characters that look like a plain space (or like nothing) and are not one: named in messages, as
# the source line shows them as spaces.
_LOOKALIKES = {
    "\u00a0": "no-break space", "\u202f": "narrow no-break space", "\u2007": "figure space",
    "\u2009": "thin space", "\u200a": "hair space", "\u2002": "en space", "\u2003": "em space",
    "\u200b": "zero-width space", "\ufeff": "zero-width no-break space", "\u3000": "ideographic space",
}


def unusual_characters(text: str) -> str:
    """The look-alike spaces in the text, named: "U+00A0 no-break space"; "" where there are none."""
    found = dict.fromkeys(character for character in text if character in _LOOKALIKES)
    return ", ".join(f"U+{ord(character):04X} {_LOOKALIKES[character]}" for character in found)


_CURRENCY_SIGNS = "$€£¥₹₨₩₽¢"
_AMOUNT_LIKE = re.compile(
    r"(?P<before>(?:[A-Z]{3}|[A-Z]{0,2}[" + _CURRENCY_SIGNS + r"]))?[\s]*"
    r"(?P<number>[0-9](?:[0-9.,'’_\s]*[0-9])?)"
    r"[\s]*(?P<after>[A-Z]{3}|[" + _CURRENCY_SIGNS + r"])?")


def amount_advice(text: str) -> str | None:
    """How to write, as a TOML amount, an amount written as people write it: "write 70000 or 70_000"
    for `70,000`, `$70,000`, `70 000` (a no-break space), `1.200.000`, `70.000,50`; None where the
    text is not such an amount, or is one TOML reads as it is (it only needs its quotes off)."""
    match = _AMOUNT_LIKE.fullmatch(text.strip())
    if match is None:
        return None
    number = match["number"]
    marks = [character for character in number if character in ".,"]
    whole, fraction, decimal_mark = number, "", None
    if marks:
        last = marks[-1]
        head, _, tail = number.rpartition(last)
        if len(set(marks)) == 2 or marks.count(last) == 1 and len(tail.strip()) != 3:
            whole, fraction, decimal_mark = head, tail, last
    groups = re.split(r"[.,\s'’_]+", whole)
    if not all(group.isdigit() for group in groups) or any(len(group) != 3 for group in groups[1:]):
        return None
    if fraction and not fraction.isdigit():
        return None
    whole = "".join(groups)
    if len(groups) == 1 and decimal_mark != "," and not (match["before"] or match["after"]):
        return None  # nothing people add to a number: not ours to advise on
    plain = whole + (f".{fraction}" if fraction else "")
    grouped = f"{int(whole):_}" + (f".{fraction}" if fraction else "")
    advice = f"write {plain}" + (f" or {grouped}" if grouped != plain else "")
    without = []
    if match["before"] or match["after"]:
        without.append("no currency sign")
    if len(groups) > 1:
        spaces = unusual_characters(number) or (" " in number and "spaces") or ""
        without.append("no thousands separators" + (f", here {spaces}" if spaces else ""))
    if decimal_mark == ",":
        without.append("a point before the decimals")
    advice += ": a bare number, with " + " and ".join(without)
    if match["before"] or match["after"]:
        advice += "; the currency is the project's, or the entry's currency key"
    return advice


def parse_id(value: object) -> str:
    """An id is text in quotes, not empty nor only spaces."""
    if not isinstance(value, str):
        raise ValueError("expected an id written as text in quotes")
    if not value.strip():
        raise ValueError("an id must not be empty")
    return value


_AMOUNT_LIMIT = int(MAX_AMOUNT)
_ZERO, _MIN_FIGURE = Decimal(0), -MAX_AMOUNT  # compared as Decimals: an int operand is converted each time


def parse_amount(value: object) -> Decimal:
    """An amount is a TOML integer or decimal, exact, finite and above zero."""
    # The usual cases, judged at once (a Decimal is immutable: no copy needed).
    if value.__class__ is Decimal and value.is_finite() and _ZERO < value < MAX_AMOUNT:
        return value
    if value.__class__ is int and 0 < value < _AMOUNT_LIMIT:
        return Decimal(value)
    return _amount(value, signed=False)


def parse_figure(value: object) -> Decimal:
    """An asserted figure is an amount that may be zero or negative."""
    if value.__class__ is Decimal and value.is_finite() and _MIN_FIGURE < value < MAX_AMOUNT:
        return value
    if value.__class__ is int and -_AMOUNT_LIMIT < value < _AMOUNT_LIMIT:
        return Decimal(value)
    return _amount(value, signed=True)


def parse_credit(value: object) -> Decimal:
    """An expense's amount: above zero, or below it for a credit note (a correction), never zero."""
    if value.__class__ is Decimal and value.is_finite() and _MIN_FIGURE < value < MAX_AMOUNT and value:
        return value
    if value.__class__ is int and -_AMOUNT_LIMIT < value < _AMOUNT_LIMIT and value:
        return Decimal(value)
    amount = _amount(value, signed=True)
    if not amount:
        raise ValueError(f"an expense amount must not be zero, got {value}; a credit note is a negative amount")
    return amount


def _amount(value: object, *, signed: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        advice = _text_amount_advice(value) if isinstance(value, str) else None
        hint = "" if advice is None else " (write it without quotes)" if advice == _UNQUOTE else f"; {advice}"
        raise ValueError(f"expected an amount such as 70000 or 70000.50, got {describe(value)}{hint}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"an amount must be a finite number, got {value}")
    if amount.copy_abs() >= MAX_AMOUNT:  # copy_abs: abs() rounds in the context and overflows on 1e999999999
        raise ValueError("the amount is too large (at most 18 digits before the decimal point)")
    if not signed and amount <= 0:
        raise ValueError(f"an amount must be above zero, got {value}; direction comes from the table kind")
    return amount


_UNQUOTE = "write it without quotes"


def _text_amount_advice(text: str) -> str | None:
    """What to write for an amount given as text: its number without quotes, or without what TOML refuses."""
    try:
        if Decimal(text.strip()).is_finite() and text.strip() == text:
            return _UNQUOTE
    except DecimalException:
        pass
    return amount_advice(text)


def parse_currency(value: str) -> str:
    """A currency is an ISO 4217 code (text of three capitals, judged before this by its pattern)."""
    if value not in MINOR_UNITS:
        raise ValueError(f"'{value}' is not an ISO 4217 currency code")
    return value


def parse_share(value: object) -> Decimal:
    """A share is a number from 0 to 1, both included."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError("expected a share from 0 to 1, such as 0.5")
    share = Decimal(value)
    if not share.is_finite() or not 0 <= share <= 1:
        raise ValueError(f"expected a share from 0 to 1, such as 0.5, got {value}")
    return share


def decimal_places(amount: Decimal) -> int:
    """Decimal places the value needs: 70000.500 needs 1, 70000.505 needs 3 (exact, no rounding)."""
    _, digits, exponent = amount.as_tuple()
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
        remainder = MONEY.remainder(amount, step)
    except DecimalException:  # a quotient too long for the context: count the places instead
        return decimal_places(amount) > places
    if remainder:
        return True
    # A remainder below the context's smallest exponent comes out as 0 (1e-999999999 % 0.01): count.
    # (A zero's adjusted exponent is its exponent.)
    return remainder.adjusted() <= MONEY.Etiny() and decimal_places(amount) > places


def parse_rate(value: object) -> Decimal:
    """A rate is a TOML integer or decimal above zero with at most 15 significant digits, judged on its
    value (59.7200 has 4). Raises ValueError with the message a ledger writer reads."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        hint = " (write it without quotes)" if isinstance(value, str) else ""
        raise ValueError(f"expected a rate such as 59.72 (one unit of 'from' in units of 'to'){hint}")
    rate = Decimal(value)
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"a rate must be above zero, got {value}")
    if not MIN_RATE <= rate <= MAX_RATE:  # a typo (1e400): no currency is worth 10^18 units of another
        raise ValueError(f"a rate must be between 10^-18 and 10^18 (one currency in units of another), got {value}")
    if significant_digits(rate) > MAX_RATE_DIGITS:
        raise ValueError(f"a rate has at most {MAX_RATE_DIGITS} significant digits; {value} has "
                         f"{significant_digits(rate)}")
    return rate


def significant_digits(number: Decimal) -> int:
    """The significant digits of a finite number's value: trailing zeros do not count (1.500 has 2)."""
    digits = number.as_tuple().digits
    stripped = len(digits)
    while stripped > 1 and digits[stripped - 1] == 0:
        stripped -= 1
    return stripped
