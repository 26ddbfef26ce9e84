"""Amounts in their project's currency, with no more decimal places than it has."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Clamped, Decimal, localcontext
from itertools import compress, repeat
from operator import attrgetter, is_, mod

from cndledger.checks.check import Check
from cndledger.core.ledger import Ledger
from cndledger.format.codes import BAD_PRECISION, CURRENCY_MISMATCH
from cndledger.format.currency import MONEY, minor_unit
from cndledger.format.problems import Problem
from cndledger.format.record import Record
from cndledger.format.records import (
    VALUE_FIELDS,
    Commitment,
    Decommitment,
    Expense,
    InKind,
    Pledge,
    Project,
    Refund,
    Release,
    Tranche,
)
from cndledger.format.values import needs_more_places

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


_OF_A_COMMITMENT = frozenset((Release, Refund, Decommitment))  # in their commitment's currency


def _effective_currency(ledger: Ledger, entry: Record) -> tuple[str | None, Project | None]:
    """The currency an entry's amounts are in, and the project that gives it."""
    if entry.__class__ in _OF_A_COMMITMENT:  # by its class, as by its kind: mypy then knows its keys
        project = ledger.commitment_project(entry.commitment)
    elif entry.__class__ is Tranche:
        project = ledger.commitment_project(entry.commitment)
        return (project.currency if project else None), project
    elif entry.__class__ is Project:
        return entry.currency, entry
    else:
        project = ledger.project_by_id.get(_PROJECT(entry))  # every other kind names its project
    own = getattr(entry, "currency", None)
    return (own or (project.currency if project else None)), project


def currencies(ledger: Ledger) -> Iterator[Problem]:
    projects = ledger.project_by_id
    for project in ledger.projects:
        parent = projects.get(project.parent) if project.parent else None
        if parent is not None and parent.currency != project.currency:
            yield CURRENCY_MISMATCH.problem(
                f"project '{project.id}' is in {project.currency} but its parent "
                f"'{parent.id}' (at {parent.at}) is in {parent.currency}; until exchange rates exist, "
                "a child keeps its parent's currency", project.at_key("currency"))
    entries: list[Pledge | Commitment | Release | Refund | Decommitment | InKind | Expense] = [
        *ledger.pledges, *ledger.commitments, *ledger.releases, *ledger.refunds, *ledger.decommitments,
        *ledger.inkind, *ledger.expenses]
    for entry in compress(entries, map(_CURRENCY, entries)):  # those that name one (a code is never empty)
        _, owner = _effective_currency(ledger, entry)
        if owner is not None and entry.currency != owner.currency:
            yield CURRENCY_MISMATCH.problem(
                f"{entry.label} is in {entry.currency} but its project '{owner.id}' "
                f"(at {owner.at}) is in {owner.currency}; until exchange rates exist, entries keep "
                "their project's currency", entry.at_key("currency"))


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
)
