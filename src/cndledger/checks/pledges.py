"""Pledges and the commitments that fulfil them: of the same project, party and currency, and not
beyond what was pledged."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cndledger.checks.check import Check
from cndledger.core import counting
from cndledger.core.ledger import Ledger
from cndledger.format.codes import PLEDGE_EXCEEDED, PLEDGE_MISMATCH
from cndledger.format.currency import money_text as _money
from cndledger.format.problems import Problem
from cndledger.format.records import Commitment, Pledge


def _currency(ledger: Ledger, entry: Commitment | Pledge) -> str | None:
    return entry.currency or ledger.project_currency(entry.project)


def _fulfilling(ledger: Ledger) -> Iterator[tuple[Commitment, Pledge]]:
    pledges = ledger.names_of("pledge")
    for commitment in ledger.commitments:
        if commitment.pledge is not None and (pledge := pledges.get(commitment.pledge)) is not None:
            yield commitment, pledge  # type: ignore[misc]


def pledge_mismatches(ledger: Ledger) -> Iterator[Problem]:
    for commitment, pledge in _fulfilling(ledger):
        differences = []
        if commitment.project != pledge.project:
            differences.append(f"project '{pledge.project}', not '{commitment.project}'")
        if ledger.party_id(commitment.party) != ledger.party_id(pledge.party):
            differences.append(f"party '{ledger.party_id(pledge.party)}', not '{ledger.party_id(commitment.party)}'")
        pledged_in, committed_in = _currency(ledger, pledge), _currency(ledger, commitment)
        if pledged_in is not None and committed_in is not None and pledged_in != committed_in:
            differences.append(f"currency {pledged_in}, not {committed_in}")
        if differences:
            yield PLEDGE_MISMATCH.problem(
                f"{commitment.label} fulfils pledge '{pledge.id}' (at {pledge.at}), which is of "
                + " and ".join(differences), commitment.at_key("pledge"))


def pledges_exceeded(ledger: Ledger) -> Iterator[Problem]:
    if not ledger.pledges:
        return
    cancelled = counting.decommitted(ledger)
    fulfilled: dict[str, Decimal] = {}
    with counting.money():
        for commitment, pledge in _fulfilling(ledger):
            fulfilled[pledge.id] = fulfilled.get(pledge.id, counting.ZERO) + counting.net_amount(commitment, cancelled)
    seen: set[str] = set()
    for pledge in ledger.pledges:
        if pledge.id in seen or pledge.id not in fulfilled:
            continue
        seen.add(pledge.id)
        if fulfilled[pledge.id] > pledge.amount:
            currency = _currency(ledger, pledge)
            yield PLEDGE_EXCEEDED.problem(
                f"the commitments fulfilling pledge '{pledge.id}' add up to {_money(fulfilled[pledge.id], currency)} "
                f"(net of decommitments), more than its {_money(pledge.amount, currency)}", pledge.at_key("amount"))


CHECKS = (
    Check(pledge_mismatches, PLEDGE_MISMATCH),
    Check(pledges_exceeded, PLEDGE_EXCEEDED),
)
