"""Amounts in their project's currency, with no more decimal places than it has."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Clamped, Decimal, localcontext
from itertools import compress, repeat
from operator import attrgetter, is_, mod
from typing import Any, cast

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core.counting import ZERO
from cndledger.core.figures import released_by_commitment
from cndledger.core.ledger import Ledger
from cndledger.core.rates import duplicate_rates, quotes_of
from cndledger.format.codes import BAD_PRECISION, BAD_VALUE, CURRENCY_MISMATCH, DUPLICATE_ID, NO_RATE
from cndledger.format.currency import MONEY, minor_unit
from cndledger.format.problems import Problem
from cndledger.format.record import Record
from cndledger.format.records import (
    VALUE_FIELDS,
    Decommitment,
    Project,
    Rate,
    Refund,
    Release,
    Tranche,
)
from cndledger.format.values import needs_more_places

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER, _RATE = map(
    attrgetter, ("id", "project", "party", "currency", "cluster", "rate"))
_DATE_FIRST = attrgetter("date.first")


def _effective_currency(ledger: Ledger, entry: Record) -> tuple[str | None, Project | None]:
    """The currency an entry's amounts are in (`counting.entry_currency`), and the project it counts in."""
    if entry.__class__ is Project:
        return entry.currency, entry
    if entry.__class__ is Tranche:
        return counting.entry_currency(ledger, entry), ledger.commitment_project(entry.commitment)
    return counting.entry_currency(ledger, entry), counting.home_project(ledger, entry)


def currencies(ledger: Ledger) -> Iterator[Problem]:
    """A tranche, release, refund or decommitment in another currency than its commitment's."""
    flows: list[Tranche | Release | Refund | Decommitment] = [
        *ledger.tranches, *ledger.releases, *ledger.refunds, *ledger.decommitments]
    for flow in compress(flows, map(_CURRENCY, flows)):  # those that name one (a code is never empty)
        commitment = ledger.commitment_by_id.get(flow.commitment)
        if commitment is None:
            continue
        theirs = counting.entry_currency(ledger, commitment)
        if theirs is not None and flow.currency != theirs:
            yield CURRENCY_MISMATCH.problem(
                f"{flow.label} is in {flow.currency} but its commitment '{commitment.id}' (at {commitment.at}) is in "
                f"{theirs}; an entry against a commitment is always in the commitment's currency",
                flow.at_key("currency"))


def rates_written_once(ledger: Ledger) -> Iterator[Problem]:
    """Two rates of the same `from`, `to` and `date`: the later one is a duplicate."""
    if len(ledger.rates) < 2:
        return
    for first, again in duplicate_rates(quotes_of(ledger.rates)):
        rate, earlier = cast(Rate, again.origin), cast(Rate, first.origin)
        yield DUPLICATE_ID.problem(
                f"a second rate from {rate.from_currency} to {rate.to_currency} on {rate.date.text} (the first is at "
                f"{earlier.at}); a pair has one rate a day", rate.at,
                hint="keep one of the two (a rate the other way round, from "
                     f"{rate.to_currency} to {rate.from_currency}, may stand beside it)")


_WITH_OWN_RATE = ("commitments", "releases", "refunds", "decommitments", "inkind", "expenses")


def own_rates(ledger: Ledger) -> Iterator[Problem]:
    """An entry's own `rate` converts its currency into its project's: on an entry in its project's own
    currency it converts nothing."""
    for name in _WITH_OWN_RATE:
        entries: list[Record] = getattr(ledger, name)
        for entry in compress(entries, map(_RATE, entries)):
            currency, home = _effective_currency(ledger, entry)
            if home is not None and currency == home.currency:
                yield BAD_VALUE.problem(
                    f"'rate' in {entry.label}: the entry is in {currency}, the currency of its project '{home.id}', so "
                    "there is nothing to convert; a rate is for an entry in another currency", entry.at_key("rate"),
                    hint="drop the rate, or give the entry the currency it was paid in")


def _missing_rates(ledger: Ledger, needed: Iterable[tuple[Record, Decimal, str, _dt.date, bool]]) -> Iterator[Problem]:
    """A no-rate problem for each conversion needed that has no rate, once for each entry, pair and day."""
    said: set[tuple[int, str, _dt.date]] = set()
    for entry, amount, target, day, revalued in needed:
        try:
            counting.converted(ledger, entry, amount, target, day, revalued=revalued)
        except counting.Unconvertible as missing:
            key = (id(entry), target, day)
            if key not in said:
                said.add(key)
                yield missing.problem


def _conversions(ledger: Ledger, entries: Iterable[Record], days: Iterable[_dt.date],
                 amount_of: Callable[[Record], Decimal | None], counted_in: dict[str, tuple[str, ...]]
                 ) -> Iterator[tuple[Record, Decimal, str, _dt.date, bool]]:
    """Each entry's amount on its day into each currency its project and the projects above it are in
    (`counted_in`, from `counting.lineage_currencies`)."""
    for entry, day in zip(entries, days):
        source = counting.entry_currency(ledger, entry)
        home = counting.home_project(ledger, entry)
        amount = amount_of(entry)
        if source is None or home is None or not amount:
            continue
        for target in counted_in.get(home.id, ()):
            if target != source:
                yield entry, amount, target, day, False


def rates_for_entries(ledger: Ledger) -> Iterator[Problem]:
    """Every entry converted, on its day, into its project's currency and each currency above it."""
    if not ledger.converts or "rate" in ledger.unvalidated_names:  # a rate refused: its own problem says so
        return
    amount = attrgetter("amount")
    counted_in = counting.lineage_currencies(ledger)
    flows: list[Record] = [*ledger.releases, *ledger.refunds, *ledger.decommitments]
    kinds: list[tuple[list[Any], list[_dt.date]]] = [(ledger.commitments, counting.counting_days(ledger.commitments)),
                                                     (flows, counting.entry_days(ledger, flows))]
    try:  # the expenses, most entries, converted once for every pass (`expense_amounts_in`): where all convert,
        for currency in dict.fromkeys(currency for line in counted_in.values() for currency in line):
            counting.expense_amounts_in(ledger, currency)
    except counting.Unconvertible:  # ... else each is looked at, to say which
        kinds.append((ledger.expenses, counting.expense_days(ledger)))
    for entries, days in kinds:
        yield from _missing_rates(ledger, _conversions(ledger, entries, days, amount, counted_in))
    valued = [contribution for contribution in ledger.inkind if contribution.value is not None]
    yield from _missing_rates(ledger, _conversions(ledger, valued, map(counting.inkind_counts_from, valued),
                                                   attrgetter("value"), counted_in))


def _converts_on_its_day(ledger: Ledger, entry: Record, target: str) -> bool:
    """Whether the entry's own amount converts into `target` on its day (where not, `rates_for_entries`
    said so, and its revaluation is not said again)."""
    try:
        counting.converted(ledger, entry, entry.amount, target, counting.entry_days(ledger, [entry])[0])  # type: ignore[attr-defined]
    except counting.Unconvertible:
        return False
    return True


def rates_on_the_day(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    """What converts month by month up to the day (a `monthly_value`), and what is revalued on it: each
    commitment's unreleased amount, each pledge's unfulfilled amount."""
    if not ledger.converts or "rate" in ledger.unvalidated_names:
        return
    counted_in = counting.lineage_currencies(ledger)
    monthly = [contribution for contribution in ledger.inkind if contribution.monthly_value is not None]
    for contribution in monthly:
        if all(currency == counting.entry_currency(ledger, contribution)
               for currency in counted_in.get(contribution.project, ())):
            continue  # nothing of it converts
        months = counting.accrued_month_ends(contribution, as_of)
        yield from _missing_rates(ledger, _conversions(ledger, [contribution] * len(months), months,
                                                       attrgetter("monthly_value"), counted_in))
    cancelled = counting.decommitted(ledger, as_of)
    released = released_by_commitment(ledger, as_of)
    revaluations: list[tuple[Record, Decimal, str, _dt.date, bool]] = []
    for commitment in ledger.commitments:
        if counting.commitment_counts_from(commitment) > as_of:
            continue
        unreleased = counting.difference(counting.net_amount(commitment, cancelled), released.get(commitment.id, ZERO))
        revaluations += [(commitment, unreleased, target, as_of, True)
                         for target in counted_in.get(commitment.project, ())
                         if _converts_on_its_day(ledger, commitment, target)]
    still_pledged = counting.pledged(ledger, as_of)
    for pledge in ledger.pledges:
        if pledge.id in still_pledged:
            revaluations += [(pledge, still_pledged[pledge.id], target, as_of, True)
                             for target in counted_in.get(pledge.project, ())]
    yield from _missing_rates(ledger, revaluations)


def precision(ledger: Ledger) -> Iterator[Problem]:
    from cndledger.format.tables import TABLES  # the registry: each kind's keys that hold money

    amount_keys = {table.kind: table.amount_keys for table in TABLES if table.amount_keys}
    # No amount can have too many places for its currency without having too many for the ledger's
    # coarsest currency: only those entries are looked at closely.
    currencies = {project.currency for project in ledger.projects}
    for kind in amount_keys:
        if kind != "project" and "currency" in VALUE_FIELDS[kind]:  # a project's is counted above
            currencies.update(filter(None, map(attrgetter("currency"), ledger.entries_of(kind))))
    known = [places for places in map(minor_unit, currencies) if places is not None]
    if not known:
        return
    coarsest = min(known)
    for kind, keys in amount_keys.items():
        entries = ledger.entries_of(kind)
        suspect = set().union(*(map(id, _finer_than(entries, key, coarsest)) for key in keys))
        suspects = [entry for entry in entries if id(entry) in suspect] if suspect else []
        for entry in suspects:
            currency, _ = _effective_currency(ledger, entry)
            places = minor_unit(currency) if currency else None
            if places is None:
                continue
            for key in keys:
                amount = getattr(entry, key)
                if amount is not None and needs_more_places(amount, places):
                    yield BAD_PRECISION.problem(f"'{key}' {amount} in {entry.label} has more decimal places than "
                                                f"{currency} allows ({places})", entry.at_key(key))


def _finer_than(entries: list[Record], key: str, places: int) -> list[Record]:
    """The entries whose amount at `key` has more than `places` decimal places."""
    amounts = list(map(attrgetter(key), entries))
    if not any(map(is_, amounts, repeat(None))):
        # Every entry has one (an amount below 10^18, validated): one exact remainder each, in C; usually
        # none is finer, and the first pass stops at the first that is. A remainder below the smallest
        # exponent comes out as 0 (clamped): then the places are counted one by one.
        step = Decimal(1).scaleb(-places)
        with localcontext(MONEY) as context:
            context.clear_flags()
            if not any(map(mod, amounts, repeat(step))):
                if not context.flags[Clamped]:
                    return []
            else:
                finer = list(compress(entries, map(mod, amounts, repeat(step))))
                if not context.flags[Clamped]:
                    return finer
    return [entry for entry, amount in zip(entries, amounts) if amount is not None and needs_more_places(amount, places)]


CHECKS = (
    Check(currencies, CURRENCY_MISMATCH),
    Check(precision, BAD_PRECISION),
    Check(rates_written_once, DUPLICATE_ID),
    Check(own_rates, BAD_VALUE),
    Check(rates_for_entries, NO_RATE, needs_every_file=True),
    Check(rates_on_the_day, NO_RATE, dated=True, needs_every_file=True),
)
