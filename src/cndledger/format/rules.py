"""The format's rules across the keys of one entry, as plain functions of the entry's values.

Each takes an entry (a model or a record: anything with the table's fields as attributes) and
raises `BrokenRule` where the rule does not hold. The models run them as their own rules
(`models.py`), and the generated plans run them on the records they build (`plans.py`).
"""

from __future__ import annotations

from cndledger.format.records import FIGURE_KEYS

# A counterpart's release counts as matching a tranche's within this many days of it.
COUNTERPART_WINDOW_DAYS = 31


class BrokenRule(ValueError):
    """A rule across keys does not hold: `code` names it, `key` is the key the problem points at."""

    def __init__(self, code: str, message: str, key: str) -> None:
        super().__init__(message)
        self.code, self.message, self.key = code, message, key


def at_most_one_value(entry: object) -> None:
    """[[inkind]]: a contribution is valued for the whole, or by the month, not both."""
    if entry.value is not None and entry.monthly_value is not None:  # type: ignore[attr-defined]
        raise BrokenRule("conflicting_keys",
                         "give at most one of 'value' (for the whole contribution) and 'monthly_value'",
                         key="monthly_value")


def some_figure(entry: object) -> None:
    """[[assert]]: an assertion asserts at least one figure."""
    if all(getattr(entry, key) is None for key in FIGURE_KEYS):
        raise BrokenRule("missing_figure", "[[assert]] asserts no figure; give at least one of " + ", ".join(FIGURE_KEYS),
                         key="committed")


def different_currencies(entry: object) -> None:
    """[[rate]]: a rate converts between two currencies."""
    if entry.from_currency == entry.to_currency:  # type: ignore[attr-defined]
        raise BrokenRule("conflicting_keys", f"'from' and 'to' are both {entry.to_currency}; "  # type: ignore[attr-defined]
                         "a rate converts one currency into another", key="to")
