"""The tranche schedule as of a day: each commitment's tranches planned against what was released.

A tranche's status on D, first that applies:
  released         its releases counting on D reach its amount;
  overdue          not fully released and its `due` date ended before D;
  due              not fully released and D falls within its `due` date (the day, or the month or year written);
  partly released  part of it released, and not due yet (or no `due`);
  scheduled        nothing released, and not due yet (or no `due`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from cndledger.core import counting
from cndledger.core import figures as fig
from cndledger.core.conditions import ReleaseCheck, ReleaseConditions
from cndledger.core.counting import ZERO, difference, total
from cndledger.core.ledger import Ledger
from cndledger.format.dates import LedgerDate
from cndledger.format.records import Commitment, Tranche


@dataclass
class TrancheLine:
    tranche: Tranche
    released: Decimal
    last_release: LedgerDate | None  # the date of the latest release counting on D, as written
    status: str
    check: ReleaseCheck | None  # the release conditions on D, for a tranche not fully released


@dataclass
class CommitmentSchedule:
    commitment: Commitment
    party: str  # the party's id (an alias resolved)
    currency: str
    released: Decimal  # every release against the commitment counting on D, with a tranche or not
    tranches: list[TrancheLine]
    decommitted: Decimal = ZERO  # its decommitments counting on D

    @property
    def scheduled(self) -> Decimal:
        return total(line.tranche.amount for line in self.tranches)

    @property
    def unscheduled(self) -> Decimal:
        """The part of the commitment (less its decommitments) that no tranche schedules."""
        return difference(difference(self.commitment.amount, self.decommitted), self.scheduled)


@dataclass
class Schedule:
    as_of: _dt.date
    commitments: list[CommitmentSchedule]


def tranche_status(tranche: Tranche, released: Decimal, day: _dt.date) -> str:
    if released >= tranche.amount:
        return "released"
    if tranche.due is not None and tranche.due.last < day:
        return "overdue"
    if tranche.due is not None and tranche.due.first <= day:
        return "due"
    return "partly released" if released > 0 else "scheduled"


def schedule(ledger: Ledger, as_of: _dt.date, projects: set[str] | None = None) -> Schedule:
    """Every commitment counting on `as_of` (of `projects` where given), in project tree order."""
    released_by_tranche = fig.released_by_tranche(ledger, as_of)
    released_by_commitment = fig.released_by_commitment(ledger, as_of)
    last_release: dict[str, tuple[_dt.date, LedgerDate]] = {}
    for release, day in zip(ledger.releases, counting.release_counting_days(ledger.releases,
                                                                            counting.released_commitments(ledger))):
        if release.tranche is None or day > as_of:
            continue
        if release.tranche not in last_release or day >= last_release[release.tranche][0]:
            last_release[release.tranche] = (day, release.date)
    tranches_of: dict[str, list[Tranche]] = {}
    for tranche in ledger.tranches:
        tranches_of.setdefault(tranche.commitment, []).append(tranche)
    conditions = ReleaseConditions(ledger, as_of)
    decommitted = counting.decommitted(ledger, as_of)

    def line(tranche: Tranche) -> TrancheLine:
        released = released_by_tranche.get(tranche.id, ZERO)
        status = tranche_status(tranche, released, as_of)
        check = None if status == "released" else conditions.check(tranche)
        latest = last_release.get(tranche.id)
        return TrancheLine(tranche, released, latest[1] if latest else None, status, check)

    rank = {project.id: position for position, (project, _) in enumerate(ledger.tree_order())}
    counted = [
        commitment for commitment in ledger.commitments
        if counting.commitment_counts(commitment, as_of) and commitment.project in rank
        and (projects is None or commitment.project in projects)
    ]
    counted.sort(key=lambda commitment: rank[commitment.project])  # stable: ledger order within a project
    return Schedule(as_of, [
        CommitmentSchedule(
            commitment, ledger.party_id(commitment.party),
            counting.entry_currency(ledger, commitment) or ledger.project_by_id[commitment.project].currency,
            released_by_commitment.get(commitment.id, ZERO),
            [line(tranche) for tranche in tranches_of.get(commitment.id, [])],
            decommitted.get(commitment.id, ZERO),
        )
        for commitment in counted
    ])
