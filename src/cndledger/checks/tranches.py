"""Tranches: released against their own commitment, matched by their counterpart, not overdue."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from operator import attrgetter

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core import figures as fig
from cndledger.core.ledger import Ledger
from cndledger.format.codes import TRANCHE_COMMITMENT, TRANCHE_OVERDUE, UNMATCHED_COUNTERPART
from cndledger.format.currency import money_text as _money
from cndledger.format.dates import days_apart
from cndledger.format.problems import Problem
from cndledger.format.records import Release
from cndledger.format.rules import COUNTERPART_WINDOW_DAYS

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


def tranche_commitments(ledger: Ledger) -> Iterator[Problem]:
    for release in ledger.releases:
        tranche = ledger.tranche_by_id.get(release.tranche) if release.tranche else None
        if tranche is not None and tranche.commitment != release.commitment:
            yield TRANCHE_COMMITMENT.problem(
                f"release against commitment '{release.commitment}' names tranche "
                f"'{tranche.id}' (at {tranche.at}), which belongs to commitment '{tranche.commitment}'",
                release.at_key("tranche"))


def counterparts(ledger: Ledger) -> Iterator[Problem]:
    releases_of: dict[str, list[Release]] = {}
    for release in ledger.releases:
        releases_of.setdefault(release.commitment, []).append(release)
    for release in ledger.releases:
        tranche = ledger.tranche_by_id.get(release.tranche) if release.tranche else None
        if tranche is None or tranche.matched_by is None or tranche.matched_by not in ledger.commitment_by_id:
            continue
        matching = releases_of.get(tranche.matched_by, [])
        if not any(days_apart(release.date, other.date) <= COUNTERPART_WINDOW_DAYS for other in matching):
            counterpart = ledger.commitment_by_id[tranche.matched_by]
            yield UNMATCHED_COUNTERPART.problem(
                f"tranche '{tranche.id}' was released on {release.date} but its "
                f"counterpart commitment '{counterpart.id}' (at {counterpart.at}) has no release within "
                f"{COUNTERPART_WINDOW_DAYS} days of it", release.at_key("date"))


def overdue_tranches(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    released = fig.released_by_tranche(ledger, as_of)
    for tranche in ledger.tranches:
        if tranche.due is None or tranche.due.last >= as_of:
            continue
        got = released.get(tranche.id, counting.ZERO)
        if got < tranche.amount:
            currency = ledger.project_currency(getattr(ledger.commitment_by_id.get(tranche.commitment), "project", ""))
            yield TRANCHE_OVERDUE.problem(
                f"tranche '{tranche.id}' was due {tranche.due} and has "
                f"{_money(got, currency)} of {_money(tranche.amount, currency)} released as of {as_of}",
                tranche.at_key("due"))


CHECKS = (
    Check(tranche_commitments, TRANCHE_COMMITMENT),
    Check(counterparts, UNMATCHED_COUNTERPART),
    Check(overdue_tranches, TRANCHE_OVERDUE, dated=True),
)
