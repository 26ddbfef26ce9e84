"""Where money is counted: the one answer to "this entry's amount, counting on day D, in currency C",
and the one roll-up of the project tree. Figures, checks, release conditions, the tranche schedule
and the register all count through here; none decides again when an entry counts or how a sum is made.

- **When an entry counts** (`*_counts_from`, `counting_days`): from the last day of its date's period;
  a release never before its commitment counts; a contribution in kind from its `start`, its
  `monthly_value` month by month (`accrued_month_ends`).
- **In which currency** (`amounts_in`): in format v1 every entry is in its project tree's currency,
  so an amount is the same in every project it counts in. Version 2 converts each entry on its own,
  on the day it counts from, rounded half away from zero to the target's minor unit: that change
  belongs in `amounts_in` (and in `roll_up`, which may then no longer add a child's sum into a
  parent of another currency).
- **How a sum is made** (`MONEY`, `total`, `money`): in one explicit decimal context, never the
  thread's (`decimal.getcontext()`), so no caller's context changes a figure.
- **Which projects an entry counts in** (`lineages`, `roll_up`): its own and every project above it.

Whole-ledger passes call these on lists (a getter or a `map` over entries, at the speed of C),
never a Python function per entry.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Clamped, Context, Decimal, Rounded, localcontext
from itertools import accumulate, compress, groupby, islice
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, TypeVar

from cndledger.core.totals import RunningTotals
from cndledger.format import currency
from cndledger.format.dates import month_end

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from cndledger.core.ledger import Ledger
    from cndledger.format.records import Commitment, Expense, InKind, Release

MONEY: Context = currency.MONEY  # the decimal context of money (format/currency.py)
ZERO = Decimal(0)
_PROJECT, _AMOUNT, _COMMITMENT = attrgetter("project"), attrgetter("amount"), attrgetter("commitment")
T = TypeVar("T")


def money() -> AbstractContextManager[Context]:
    """`with money():` makes the arithmetic inside it that of `MONEY` (a copy, flags included)."""
    return localcontext(MONEY)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of the amounts, from zero (0 + 1E+2 is 100), in the money context."""
    with localcontext(MONEY):
        return sum(amounts, ZERO)


def difference(minuend: Decimal, subtrahend: Decimal) -> Decimal:
    return MONEY.subtract(minuend, subtrahend)


# --- When an entry counts -----------------------------------------------------------------------

# The first day a commitment (an expense) counts: its date's last day. (Getters, not functions of
# ours: they run once per entry in whole-ledger passes, at the speed of C.)
commitment_counts_from: Callable[[Commitment], _dt.date] = attrgetter("date.last")
expense_counts_from: Callable[[Expense], _dt.date] = attrgetter("date.last")
inkind_counts_from: Callable[[InKind], _dt.date] = attrgetter("start.last")
_counts_from: Callable[[Commitment | Expense], _dt.date] = attrgetter("date.last")


def counting_days(entries: Iterable[Commitment | Expense]) -> list[_dt.date]:
    """The day each commitment or expense counts from, in order."""
    return list(map(_counts_from, entries))


def commitment_counts(commitment: Commitment, day: _dt.date) -> bool:
    return commitment_counts_from(commitment) <= day


def expense_counts(expense: Expense, day: _dt.date) -> bool:
    return expense_counts_from(expense) <= day


def release_counts_from(release: Release, commitment: Commitment | None) -> _dt.date:
    """The first day a release counts: its date's last day, never before its commitment counts."""
    return release.date.last if commitment is None else max(release.date.last, commitment.date.last)


def release_counts(release: Release, commitment: Commitment | None, day: _dt.date) -> bool:
    return release_counts_from(release, commitment) <= day


def released_commitments(ledger: Ledger) -> list[Commitment | None]:
    """The commitment of each release, in ledger order (None where the ledger has none of that id)."""
    return list(map(ledger.commitment_by_id.get, map(_COMMITMENT, ledger.releases)))


def release_counting_days(releases: Iterable[Release], commitments: Iterable[Commitment | None]) -> list[_dt.date]:
    """The day each release counts from, given each one's commitment (`released_commitments`)."""
    return list(map(release_counts_from, releases, commitments))


def releases_as_of(ledger: Ledger, as_of: _dt.date) -> list[Release]:
    """The releases that count on `as_of`, in ledger order."""
    releases = ledger.releases
    return [release for release, day in zip(releases, release_counting_days(releases, released_commitments(ledger)))
            if day <= as_of]


def inkind_accrued(contribution: InKind, day: _dt.date) -> Decimal:
    """What a valued contribution in kind has accrued by `day` (zero for an unvalued one)."""
    if contribution.start.last > day:
        return ZERO
    if contribution.value is not None:
        return contribution.value
    if contribution.monthly_value is None:
        return ZERO
    first, last = _accrual_months(contribution, day)
    months = last - first + 1
    return MONEY.multiply(contribution.monthly_value, months) if months > 0 else ZERO


def accrued_month_ends(contribution: InKind, day: _dt.date) -> list[_dt.date]:
    """The last day of each month for which a `monthly_value` has accrued by `day`, in order."""
    if contribution.monthly_value is None or contribution.start.last > day:
        return []
    first, last = _accrual_months(contribution, day)
    return [month_end(number // 12, number % 12 + 1) for number in range(first, last + 1)]


def _accrual_months(contribution: InKind, day: _dt.date) -> tuple[int, int]:
    """From the month of `start` to the last month ended by `day` (and not after `end`), as month
    numbers: date arithmetic would overflow at year 1 and year 9999."""
    last = _month_number(day) - (0 if day == month_end(day.year, day.month) else 1)
    if contribution.end is not None:
        last = min(last, _month_number(contribution.end.last))
    return _month_number(contribution.start.last), last


def _month_number(day: _dt.date) -> int:
    return day.year * 12 + day.month - 1


# --- In which currency --------------------------------------------------------------------------

def amounts_in(entries: Iterable[Commitment | Release | Expense], currency: str | None,
               days: Iterable[_dt.date] | None = None) -> Iterator[Decimal]:
    """Each entry's amount in `currency`, converted on `days` (each entry's own day it counts from
    where None). In format v1 an entry is in its project tree's currency: its amount as written."""
    return map(_AMOUNT, entries)


def amount_in(entry: Commitment | Release | Expense, currency: str | None, day: _dt.date | None = None) -> Decimal:
    """One entry's amount in `currency` (as `amounts_in`)."""
    return entry.amount


# --- Support costs (format v2) ------------------------------------------------------------------

def support_cost_rates(ledger: Ledger) -> dict[str, Decimal]:
    """Each project's support_cost_rate, its own or inherited (0 by default)."""
    from cndledger.format.inherit import inherited_all
    from cndledger.format.shares import DEFAULT_SUPPORT_COST_RATE

    projects = ledger.projects
    return inherited_all([project.id for project in projects],
                         {project.id: project.support_cost_rate for project in projects},
                         {project.id: project.parent for project in projects}, DEFAULT_SUPPORT_COST_RATE)


def own_support_costs(ledger: Ledger, as_of: _dt.date) -> dict[str, Decimal]:
    """The support cost each project's own expenses counting on `as_of` bear (each expense × its own
    project's rate, rounded per expense half away from zero), for the projects with a rate above zero.
    Empty where no project has one: a version-1 ledger pays nothing for it."""
    if not any(project.support_cost_rate for project in ledger.projects):
        return {}
    from cndledger.format.shares import support_costs

    rates = support_cost_rates(ledger)
    found: dict[str, Decimal] = {}
    expenses = ledger.expenses
    counting_from = counting_days(expenses)
    counted: Iterable[Expense] = expenses
    if max(counting_from, default=as_of) > as_of:
        counted = compress(expenses, map(as_of.__ge__, counting_from))
    for project_id, run in groupby(counted, key=_PROJECT):
        rate = rates.get(project_id)
        currency_of = ledger.project_currency(project_id)
        if not rate or currency_of is None:
            continue
        costs = support_costs(amounts_in(run, currency_of), rate, currency_of)
        found[project_id] = MONEY.add(found.get(project_id, ZERO), total(costs))
    return found


# --- Which projects an entry counts in ----------------------------------------------------------

def lineages(ledger: Ledger) -> dict[str, tuple[str, ...]]:
    """Each project of the tree, in tree order (a parent before its children), with the projects
    its entries count in: itself, then each project above it. Projects caught in a parent cycle
    (an error the checks report) are not in the tree."""
    found: dict[str, tuple[str, ...]] = {}
    for project, _ in ledger.tree_order():
        above = () if project.parent is None else found.get(project.parent, ())
        found[project.id] = (project.id, *above)
    return found


def roll_up(lines: Mapping[str, tuple[str, ...]], figures: Mapping[str, T], add: Callable[[T, T], None]) -> None:
    """Each project's figures into its parent's, children first (`lines` from `lineages`): each
    parent then holds its whole subtree's, as each entry counting in every project of its line."""
    for project_id, line in reversed(list(lines.items())):
        if len(line) > 1 and project_id in figures and line[1] in figures:
            add(figures[line[1]], figures[project_id])


# --- Sums ahead of any day ----------------------------------------------------------------------

def spent_totals(expenses: list[Expense]) -> RunningTotals | None:
    """The expenses' `RunningTotals` by project, counted from `expense_counts_from`; None where a
    total would be rounded (more digits than the money context holds): `balance` then sums them
    one by one, in its own order, and rounds as it always has."""
    rows = sorted(zip(map(_PROJECT, expenses), map(_dt.date.toordinal, map(expense_counts_from, expenses)),
                      map(_AMOUNT, expenses)), key=itemgetter(0, 1))
    spans: dict[str, tuple[int, int]] = {}
    days = array("i")
    texts: list[str] = []
    with localcontext(MONEY) as context:
        context.clear_flags()  # a copy of MONEY's, which its own operations (MONEY.add, ...) raise
        for project_id, run in groupby(rows, key=itemgetter(0)):
            _, counting_from, amounts = zip(*run)
            if not min(amounts) > 0:  # the bound `balance` relies on holds for amounts above zero (as validated)
                return None
            spans[project_id] = (len(days), len(days) + len(counting_from))
            days.extend(counting_from)
            # From ZERO, as balance sums (0 + 1E+2 is 100), without the ZERO itself.
            texts += islice(map(str, accumulate(amounts, initial=ZERO)), 1, None)
        if context.flags[Rounded] or context.flags[Clamped]:
            return None
    return RunningTotals(spans, days, array("I", accumulate(map(len, texts))), "".join(texts).encode("ascii"))


def totals_by(totals: RunningTotals | None, keys: Iterable[str], as_of: _dt.date) -> dict[str, Decimal] | None:
    """What counts by `as_of` of each key that has any, from running totals, where that is what
    summing one by one gives; None where it may not be (the caller then sums one by one).

    Where no sum rounds, the order of adding does not change a Decimal sum (nor its exponent); each
    total bounds every partial sum of its expenses (all above zero, none with a smaller exponent), so
    if the total fits the money context here, summing one by one would not have rounded either."""
    if totals is None:
        return None
    with localcontext(MONEY) as context:
        context.clear_flags()
        found = {key: ZERO + amount for key in keys if (amount := totals.by(key, as_of)) is not None}
        if context.flags[Rounded] or context.flags[Clamped]:
            return None
    return found
