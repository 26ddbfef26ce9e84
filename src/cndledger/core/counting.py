"""Where money is counted: the one answer to "this entry's amount, counting on day D, in currency C",
and the one roll-up of the project tree. Figures, checks, release conditions, the tranche schedule
and the register all count through here; none decides again when an entry counts or how a sum is made.

- **When an entry counts** (`*_counts_from`, `counting_days`): from the last day of its date's period;
  a release never before its commitment counts; a contribution in kind from its `start`, its
  `monthly_value` month by month (`accrued_month_ends`).
- **In which currency** (`entry_currency`, `converted`, `amounts_in`): each entry is converted on its
  own, on the day it counts from, rounded half away from zero to the target's minor unit, at its own
  `rate` where the target is its project's currency, else at the ledger's (`core/rates.py`). Where the
  whole ledger is in one currency (`Ledger.converts` false) every amount counts as written, at the
  speed of C. A sum is never converted: a parent of another currency than its child's is counted in
  its own currency from the entries themselves (`figures.py`), never by adding the child's sum.
- **How a sum is made** (`MONEY`, `total`, `money`): in one explicit decimal context, never the
  thread's (`decimal.getcontext()`), so no caller's context changes a figure.
- **Which projects an entry counts in** (`lineages`, `roll_up`): its own and every project above it.

Whole-ledger passes call these on lists (a getter or a `map` over entries, at the speed of C),
never a Python function per entry.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from decimal import Clamped, Context, Decimal, Rounded, localcontext
from itertools import accumulate, compress, groupby, islice, repeat
from operator import add, attrgetter, itemgetter, mul, ne
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

from cndledger.core.rates import NoRate
from cndledger.core.totals import RunningTotals
from cndledger.format import currency
from cndledger.format.dates import month_end
from cndledger.format.records import Decommitment, Refund, Release, Tranche

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from cndledger.core.ledger import Ledger
    from cndledger.format.problems import Problem
    from cndledger.format.record import Record
    from cndledger.format.records import Commitment, Expense, InKind, Project

    Flow = Release | Refund | Decommitment  # an entry against a commitment, in its currency

MONEY: Context = currency.MONEY  # the decimal context of money (format/currency.py)
ZERO = Decimal(0)
_PROJECT, _AMOUNT, _COMMITMENT, _CURRENCY = map(attrgetter, ("project", "amount", "commitment", "currency"))
T = TypeVar("T")
_OF_A_COMMITMENT = frozenset((Release, Refund, Decommitment))  # they count in their commitment's project
_OF_A_COMMITMENT_OR_TRANCHE = _OF_A_COMMITMENT | {Tranche}  # in their commitment's currency


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


# What whole-ledger passes ask of the expenses again and again, made once per ledger (a ledger's entries
# do not change once read): by the name of what is made, and for amounts by currency too.
_MADE: WeakKeyDictionary[Ledger, dict[Hashable, Any]] = WeakKeyDictionary()


def _once(ledger: Ledger, key: Hashable, make: Callable[[], T]) -> T:
    made = _MADE.setdefault(ledger, {})
    if key not in made:
        made[key] = make()
    found: T = made[key]
    return found


def expense_days(ledger: Ledger) -> list[_dt.date]:
    """`counting_days` of the ledger's expenses."""
    return _once(ledger, "days", lambda: counting_days(ledger.expenses))


def expense_ordinals(ledger: Ledger) -> list[int]:
    """The same days as ordinals (`date.toordinal`), for the running totals."""
    return _once(ledger, "ordinals", lambda: list(map(_dt.date.toordinal, expense_days(ledger))))


def expenses_by_project_and_day(ledger: Ledger) -> list[int]:
    """The positions of the ledger's expenses ordered by project, then by the day each counts from, then
    as written: the order of every running sum over a project's expenses."""
    def make() -> list[int]:
        # One sort on one integer each (the project's rank, then the day; every ordinal is below 2**22),
        # stable, so as written on a tie: comparing integers is quicker than sorting twice.
        projects = list(map(_PROJECT, ledger.expenses))
        rank = {project_id: place for place, project_id in enumerate(sorted(set(projects)))}
        keys = list(map(add, map(mul, map(rank.__getitem__, projects), repeat(1 << 22)), expense_ordinals(ledger)))
        return sorted(range(len(keys)), key=keys.__getitem__)

    return _once(ledger, "by project and day", make)


def commitment_counts(commitment: Commitment, day: _dt.date) -> bool:
    return commitment_counts_from(commitment) <= day


def expense_counts(expense: Expense, day: _dt.date) -> bool:
    return expense_counts_from(expense) <= day


def release_counts_from(release: Flow, commitment: Commitment | None) -> _dt.date:
    """The first day a release (a refund, a decommitment) counts: its date's last day, never before
    its commitment counts."""
    return release.date.last if commitment is None else max(release.date.last, commitment.date.last)


def release_counts(release: Release, commitment: Commitment | None, day: _dt.date) -> bool:
    return release_counts_from(release, commitment) <= day


def released_commitments(ledger: Ledger) -> list[Commitment | None]:
    """The commitment of each release, in ledger order (None where the ledger has none of that id)."""
    return list(map(ledger.commitment_by_id.get, map(_COMMITMENT, ledger.releases)))


def release_counting_days(releases: Iterable[Flow], commitments: Iterable[Commitment | None]) -> list[_dt.date]:
    """The day each release (refund, decommitment) counts from, given each one's commitment
    (`released_commitments`, `commitments_of`)."""
    return list(map(release_counts_from, releases, commitments))


def commitments_of(ledger: Ledger, flows: Iterable[Flow]) -> list[Commitment | None]:
    """The commitment of each release, refund or decommitment, in order (None where the ledger has none)."""
    return list(map(ledger.commitment_by_id.get, map(_COMMITMENT, flows)))


def flows_by_commitment(ledger: Ledger, flows: Sequence[Flow], as_of: _dt.date | None = None) -> dict[str, Decimal]:
    """What the refunds or decommitments (`flows`) counting on `as_of` (all, where None) add up to
    by commitment, in the commitment's own currency (theirs: the currency-mismatch check holds them to it)."""
    found: dict[str, Decimal] = {}
    if not flows:
        return found
    commitments = commitments_of(ledger, flows)
    with localcontext(MONEY):
        for flow, commitment, day in zip(flows, commitments, release_counting_days(flows, commitments)):
            if commitment is not None and (as_of is None or day <= as_of):
                found[commitment.id] = found.get(commitment.id, ZERO) + flow.amount
    return found


def decommitted(ledger: Ledger, as_of: _dt.date | None = None) -> dict[str, Decimal]:
    """Each commitment's decommitments counting on `as_of` (all, where None), by commitment id."""
    return flows_by_commitment(ledger, ledger.decommitments, as_of)


def pledged(ledger: Ledger, as_of: _dt.date) -> dict[str, Decimal]:
    """What is still only pledged of each pledge counting on `as_of`, by pledge id: its amount less the
    commitments naming it that count on the day, each net of its decommitments counting on the day;
    never below zero. In the pledge's currency (that of its project, in format v1)."""
    if not ledger.pledges:
        return {}
    cancelled = decommitted(ledger, as_of)
    fulfilled: dict[str, Decimal] = {}
    with localcontext(MONEY):
        for commitment in ledger.commitments:
            if commitment.pledge is not None and commitment_counts_from(commitment) <= as_of:
                fulfilled[commitment.pledge] = fulfilled.get(commitment.pledge, ZERO) + net_amount(commitment, cancelled)
        return {pledge.id: max(pledge.amount - fulfilled.get(pledge.id, ZERO), ZERO)
                for pledge in ledger.pledges if pledge.date.last <= as_of}


def net_amount(commitment: Commitment, decommitments: Mapping[str, Decimal]) -> Decimal:
    """A commitment's amount less its decommitments (from `decommitted`): what version 2 means by
    a commitment's amount wherever version 1 speaks of it (what is unreleased, released in full, exceeded)."""
    cancelled = decommitments.get(commitment.id)
    return commitment.amount if cancelled is None else MONEY.subtract(commitment.amount, cancelled)


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


def inkind_accrued_in(ledger: Ledger, contribution: InKind, currency: str, day: _dt.date) -> Decimal:
    """What a valued contribution has accrued by `day`, in `currency`: a `value` converted on the day its
    `start` counts from, each month's `monthly_value` converted on the month's last day, on its own."""
    if contribution.start.last > day:
        return ZERO
    if contribution.value is not None:
        return converted(ledger, contribution, contribution.value, currency, contribution.start.last)
    if contribution.monthly_value is None:
        return ZERO
    monthly = contribution.monthly_value
    if entry_currency(ledger, contribution) == currency:
        return inkind_accrued(contribution, day)
    return total(converted(ledger, contribution, monthly, currency, month)
                 for month in accrued_month_ends(contribution, day))


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

class Unconvertible(Exception):
    """An amount that must be converted has no rate: `problem` is the `no-rate` problem at the entry.
    Raised by the conversions below; `check` finds every such entry beforehand (checks/currency.py),
    so a report meets it only for a day or a currency that `check` was not asked about."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def home_project(ledger: Ledger, entry: Record) -> Project | None:
    """The project an entry counts in: its own, or for a release, refund or decommitment its commitment's."""
    commitment_id = getattr(entry, "commitment", None)
    if commitment_id is not None and entry.__class__ in _OF_A_COMMITMENT:
        return ledger.commitment_project(commitment_id)
    project_id = getattr(entry, "project", None)
    return ledger.project_by_id.get(project_id) if project_id is not None else None


def entry_currency(ledger: Ledger, entry: Record) -> str | None:
    """The currency an entry's amounts are in: its own `currency`, else its project's; for a tranche,
    a release, a refund or a decommitment, its commitment's (the currency-mismatch check holds them to it)."""
    if entry.__class__ in _OF_A_COMMITMENT_OR_TRANCHE:  # its own, if given, is checked against it
        commitment = ledger.commitment_by_id.get(entry.commitment)
        return None if commitment is None else entry_currency(ledger, commitment)
    own: str | None = getattr(entry, "currency", None)
    if own is not None:
        return own
    project = ledger.project_by_id.get(getattr(entry, "project", ""))
    return None if project is None else project.currency


def converted(ledger: Ledger, entry: Record, amount: Decimal, target: str, day: _dt.date, *,
              revalued: bool = False) -> Decimal:
    """`amount` of the entry (in its currency) in `target` on `day`, rounded half away from zero to the
    target's minor unit: at the entry's own `rate` where the target is its project's currency (never for a
    revaluation), else at the ledger's rate on the day. Raises Unconvertible where no rate applies."""
    source = entry_currency(ledger, entry)
    if source is None or source == target or not amount:
        return amount
    return _converted(ledger, entry, amount, source, target, day, revalued)


def _converted(ledger: Ledger, entry: Record, amount: Decimal, source: str, target: str, day: _dt.date,
               revalued: bool) -> Decimal:
    own_rate = None
    if not revalued:
        own_rate = getattr(entry, "rate", None)
        if own_rate is not None:
            home = home_project(ledger, entry)
            if home is None or home.currency != target:
                own_rate = None
    try:
        return ledger.rate_index.convert(amount, source, target, day, entry_rate=own_rate)
    except NoRate as missing:
        raise Unconvertible(no_rate_problem(missing, entry, revalued=revalued)) from None


def no_rate_problem(missing: NoRate, entry: Record, *, revalued: bool = False) -> Problem:
    from cndledger.format.codes import NO_RATE

    revaluation = ""
    if revalued:
        revaluation = {"project": "its budget, converted on the day, ", "pledge": "its pledged amount, revalued on "
                       "the day, "}.get(entry.kind, "its outstanding amount, revalued on the day, ")
    hint = missing.hint
    if revalued or getattr(entry, "rate", None) is not None:  # an entry's own rate never revalues (nor helps twice)
        hint = hint.removesuffix(", or give the entry its own rate")
    return NO_RATE.problem(f"{entry.label}: {revaluation}{missing.message}", entry.at, hint=hint)


def amounts_in(ledger: Ledger, entries: Iterable[Commitment | Flow | Expense], currency: str | None,
               days: Iterable[_dt.date] | None = None) -> Iterator[Decimal]:
    """Each entry's amount in `currency`, converted on its day in `days` (each entry's own day it counts
    from, where None), each on its own (`converted`). Where the ledger is in one currency, or `currency`
    is None (each in its own), the amounts as written."""
    if currency is None or not ledger.converts_into(currency):
        return map(_AMOUNT, entries)
    listed = list(entries)
    if days is None:
        days = entry_days(ledger, listed)
    return map(_amount_in, repeat(ledger), listed, repeat(currency), days)


def _amount_in(ledger: Ledger, entry: Commitment | Flow | Expense, target: str, day: _dt.date) -> Decimal:
    """`converted` for an entry's own amount, with no call where it is in the target already (most are)."""
    source = entry_currency(ledger, entry)
    if source is None or source == target or not entry.amount:
        return entry.amount
    return _converted(ledger, entry, entry.amount, source, target, day, False)


def amount_in(ledger: Ledger, entry: Commitment | Flow | Expense, currency: str | None,
              day: _dt.date | None = None) -> Decimal:
    """One entry's amount in `currency` (as `amounts_in`)."""
    if currency is None or not ledger.converts_into(currency):
        return entry.amount
    if day is None:
        day = entry_days(ledger, [entry])[0]
    return converted(ledger, entry, entry.amount, currency, day)


def expense_amounts_in(ledger: Ledger, currency: str, *, everywhere: bool = False) -> list[Decimal]:
    """Each expense's amount in `currency`, converted on the day it counts from, in ledger order: made
    once per ledger and currency, for every pass that needs them (checks, figures, budgets, the cache).
    Only the expenses that count in a project of that currency are converted (the others are ZERO:
    no figure in it adds them), every expense with `everywhere` (`balance --currency`). Raises
    Unconvertible where one has no rate (nothing is kept then)."""
    if everywhere:
        counted_in = lineage_currencies(ledger)
        if all(currency in counted_in.get(project.id, ()) for project in ledger.projects):
            everywhere = False  # every project counts in that currency: the same amounts, made once
    return _once(ledger, ("amounts in", currency, everywhere), lambda: _expense_amounts_in(ledger, currency, everywhere))


def _expense_amounts_in(ledger: Ledger, currency: str, everywhere: bool) -> list[Decimal]:
    expenses = ledger.expenses
    amounts = list(map(_AMOUNT, expenses))
    sources = expense_currencies(ledger)
    elsewhere = list(compress(range(len(expenses)), map(ne, repeat(currency), sources)))  # most are in it already
    if not elsewhere:
        return amounts
    days = expense_days(ledger)
    counted_in = None if everywhere else {project_id for project_id, line in lineage_currencies(ledger).items()
                                          if currency in line}
    # Those at the ledger's rates are converted in columns, one pass per currency they are in
    # (`Rates.convert_all`); those at their own rate one by one.
    at_the_ledgers_rates: dict[str, list[int]] = {}
    for position in elsewhere:
        expense = expenses[position]
        source = sources[position]
        if counted_in is not None and expense.project not in counted_in:
            amounts[position] = ZERO
        elif source is not None and expense.rate is None:
            at_the_ledgers_rates.setdefault(source, []).append(position)
        else:
            amounts[position] = _amount_in(ledger, expense, currency, days[position])
    rates = ledger.rate_index
    for source, positions in at_the_ledgers_rates.items():
        try:
            converted_amounts = rates.convert_all(map(amounts.__getitem__, positions), source, currency,
                                                  map(days.__getitem__, positions))
        except NoRate:  # the first expense in ledger order that has none says which
            for position in sorted(position for listed in at_the_ledgers_rates.values() for position in listed):
                _amount_in(ledger, expenses[position], currency, days[position])
            raise AssertionError("convert_all found no rate where convert found one") from None
        for position, amount in zip(positions, converted_amounts):
            amounts[position] = amount
    return amounts


def expense_currencies(ledger: Ledger) -> list[str | None]:
    """The currency each expense is in (`entry_currency`), in ledger order."""
    def make() -> list[str | None]:
        expenses = ledger.expenses
        of_projects = {project_id: project.currency for project_id, project in ledger.project_by_id.items()}
        found = list(map(of_projects.get, map(_PROJECT, expenses)))
        own = list(map(_CURRENCY, expenses))
        return [written or of_project for written, of_project in zip(own, found)] if any(own) else found

    return _once(ledger, "currencies", make)


def entry_days(ledger: Ledger, entries: Sequence[Record]) -> list[_dt.date]:
    """The day each commitment, release, refund, decommitment or expense counts from."""
    found = []
    for entry in entries:
        if entry.__class__ in _OF_A_COMMITMENT:
            found.append(release_counts_from(entry, ledger.commitment_by_id.get(entry.commitment)))
        else:
            found.append(entry.date.last)  # type: ignore[attr-defined]
    return found


def lineage_currencies(ledger: Ledger) -> dict[str, tuple[str, ...]]:
    """Each project's currencies to count in: its own, then each other currency of a project above it."""
    projects = ledger.project_by_id
    found: dict[str, tuple[str, ...]] = {}
    for project_id, line in lineages(ledger).items():
        found[project_id] = tuple(dict.fromkeys(projects[owner].currency for owner in line))
    return found


# --- Support costs (format v2) ------------------------------------------------------------------

def support_cost_rates(ledger: Ledger) -> dict[str, Decimal]:
    """Each project's support_cost_rate, its own or inherited (0 by default)."""
    from cndledger.format.inherit import inherited_all
    from cndledger.format.shares import DEFAULT_SUPPORT_COST_RATE

    projects = ledger.projects
    return inherited_all([project.id for project in projects],
                         {project.id: project.support_cost_rate for project in projects},
                         {project.id: project.parent for project in projects}, DEFAULT_SUPPORT_COST_RATE)


def own_support_costs(ledger: Ledger, as_of: _dt.date, target: str | None = None) -> dict[str, Decimal]:
    """The support cost each project's own expenses counting on `as_of` bear (each expense × its own
    project's rate, rounded per expense half away from zero in the expense's currency, then converted
    like the expense), for the projects with a rate above zero, in `target` (each project's own currency
    where None). Empty where no project has one: a version-1 ledger pays nothing for it."""
    if not any(project.support_cost_rate for project in ledger.projects):
        return {}
    from cndledger.format.shares import support_cost, support_costs

    rates = support_cost_rates(ledger)
    found: dict[str, Decimal] = {}
    expenses = ledger.expenses
    counting_from = expense_days(ledger)
    counted: Iterable[Expense] = expenses
    if max(counting_from, default=as_of) > as_of:
        counted = compress(expenses, map(as_of.__ge__, counting_from))
    for project_id, run in groupby(counted, key=_PROJECT):
        rate = rates.get(project_id)
        currency_of = ledger.project_currency(project_id)
        if not rate or currency_of is None:
            continue
        into = target or currency_of
        if ledger.converts_into(into):
            with localcontext(MONEY):
                costs = [converted(ledger, expense, support_cost(expense.amount, rate, source), into, expense.date.last)
                         for expense in run if (source := entry_currency(ledger, expense)) is not None]
        else:
            costs = support_costs(map(_AMOUNT, run), rate, currency_of)
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
    return _running_totals(zip(map(_PROJECT, expenses), map(_dt.date.toordinal, map(expense_counts_from, expenses)),
                               map(_AMOUNT, expenses)))


def converted_key(project_id: str, currency: str) -> str:
    """The key of a project's own expenses in a currency, in `converted_spent_totals`."""
    return f"{project_id}\x1f{currency}"


def converted_spent_totals(ledger: Ledger) -> RunningTotals | None:
    """Where amounts convert: each project's own expenses converted, each on its day, into each currency
    it counts in (its own and those above it), as running totals keyed by `converted_key`; None where
    the ledger is in one currency, or an expense has no rate (the no-rate check says so)."""
    if not ledger.converts:
        return None
    counted_in = lineage_currencies(ledger)
    expenses = ledger.expenses
    projects = list(map(_PROJECT, expenses))
    ordinals = expense_ordinals(ledger)
    rows: list[tuple[str, int, Decimal]] = []
    try:
        for currency_of in dict.fromkeys(currency for line in counted_in.values() for currency in line):
            amounts = expense_amounts_in(ledger, currency_of)
            keys = {project_id: converted_key(project_id, currency_of) for project_id, line in counted_in.items()
                    if currency_of in line}
            rows += [(keys[project_id], day, amount) for project_id, day, amount in zip(projects, ordinals, amounts)
                     if project_id in keys]
    except Unconvertible:
        return None
    return _running_totals(rows)


def _running_totals(unsorted: Iterable[tuple[str, int, Decimal]]) -> RunningTotals | None:
    rows = sorted(unsorted, key=itemgetter(0, 1))
    return running_totals((key, counting_from, amounts) for key, run in groupby(rows, key=itemgetter(0))
                          for _, counting_from, amounts in (zip(*run),))


def running_totals(runs: Iterable[tuple[Hashable, Sequence[int], Sequence[Decimal]]]) -> RunningTotals | None:
    """The `RunningTotals` of each key's amounts, given in the order of their days (ordinals); None where
    a total would be rounded (more digits than the money context holds): the caller then sums one by one."""
    spans: dict[Hashable, tuple[int, int]] = {}
    days = array("i")
    texts: list[str] = []
    with localcontext(MONEY) as context:
        context.clear_flags()  # a copy of MONEY's, which its own operations (MONEY.add, ...) raise
        for project_id, counting_from, amounts in runs:
            if not min(amounts) > 0:
                # Credits: what bounds every partial sum (in any order, of any of them) is the sum of
                # the amounts' sizes; where it does not round, no partial sum does (flags below).
                sum(map(Decimal.copy_abs, amounts), ZERO)
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
    total bounds every partial sum of its expenses (all above zero, none with a smaller exponent; with
    credits, `spent_totals` made them only where the sum of the sizes fits), so if the total fits the
    money context here, summing one by one would not have rounded either."""
    if totals is None:
        return None
    with localcontext(MONEY) as context:
        context.clear_flags()
        found = {key: ZERO + amount for key in keys if (amount := totals.by(key, as_of)) is not None}
        if context.flags[Rounded] or context.flags[Clamped]:
            return None
    return found
