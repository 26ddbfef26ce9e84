"""ISO 4217 currencies with their minor units, the decimal context of money, and how reports write an amount."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

# The context of every sum, difference and remainder of money (core/counting.py says where money is
# counted), never the thread's `decimal.getcontext()`, so no caller's context changes a figure. Its
# values are Python's defaults, written out: amounts are below 1e18 with at most 4 decimals
# (`values.MAX_AMOUNT`), so 28 digits hold any sum a ledger makes, and each figure is what it was.
MONEY = Context(prec=28, rounding=ROUND_HALF_EVEN, Emin=-999999, Emax=999999, capitals=1, clamp=0,
                flags=[], traps=[InvalidOperation, DivisionByZero, Overflow])

# Active ISO 4217 alphabetic codes whose minor unit is not 2 (list one, amendment 170+).
_MINOR_UNITS_OTHER_THAN_2 = {
    "BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3,
    "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}
# Active ISO 4217 alphabetic codes with a minor unit of 2. Codes whose minor unit ISO gives as
# "N.A." (gold, SDR, testing codes) are left out: an amount in them has no defined precision.
_MINOR_UNIT_2 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD
LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN
PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL
THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL
"""
MINOR_UNITS: dict[str, int] = {code: 2 for code in _MINOR_UNIT_2.split()} | _MINOR_UNITS_OTHER_THAN_2


def minor_unit(code: str) -> int | None:
    return MINOR_UNITS.get(code)


def format_amount(amount: Decimal, currency: str, *, grouping: bool = False) -> str:
    """Exactly the currency's minor-unit decimals: "65000.50", or "65,000.50" with grouping."""
    places = MINOR_UNITS.get(currency, 2)
    return f"{amount:{',' if grouping else ''}.{places}f}"


def money_text(amount: Decimal, currency: str | None) -> str:
    """An amount for a message: grouped, with its currency's code where it is known."""
    return f"{format_amount(amount, currency or 'USD', grouping=True)}" + (f" {currency}" if currency else "")
