"""Running totals: amounts summed ahead, so that what counts by any day is one bisection away.

Below both the ledger (which holds its expenses' totals where the cache kept them) and `counting`
(which builds and reads them), so that neither imports the other for it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as _dt


class RunningTotals:
    """Amounts summed ahead of any day asked: for each key (a project), the day each of its amounts
    starts to count (ascending, as ordinals) and the total up to it, itself included. What counts by
    any day is then one bisection per key, whatever the number of entries. It does not depend on the
    day, so a ledger from the cache holds its expenses' (`Ledger.spent_totals`) and `balance` never
    reads them.

    Flat, for a cache to load at the speed of a copy: the keys' days one after another (`spans`: where
    each key's stand), and the totals as their exact ASCII text end to end (`ends`: where each ends).
    One total is asked per key, and only that one becomes a Decimal. A key is any value a dict takes:
    a project's id for the expenses, a budget line's key for the lines (`core.budget.spent_ahead`)."""

    __slots__ = ("spans", "days", "ends", "texts")

    def __init__(self, spans: Mapping[Any, tuple[int, int]], days: Sequence[int], ends: Sequence[int],
                 texts: bytes | memoryview) -> None:
        self.spans, self.days, self.ends, self.texts = spans, days, ends, texts

    def latest_day(self) -> int | None:
        """The latest day any amount starts to count (as an ordinal); None where there are none."""
        return max((self.days[stop - 1] for start, stop in self.spans.values() if stop > start), default=None)

    def by(self, key: Hashable, day: _dt.date) -> Decimal | None:
        """The total of what counts by the day (None where nothing of the key counts yet)."""
        start, stop = self.spans.get(key, (0, 0))
        last = bisect_right(self.days, day.toordinal(), start, stop) - 1
        if last < start:
            return None
        return Decimal(str(self.texts[self.ends[last - 1] if last else 0:self.ends[last]], "ascii"))
