"""Release conditions: may a tranche be released on a day D? (LEDGER-FORMAT "Release conditions")

Each condition is answered with whether it holds and the figures and dates it compared. What
counts on D, and the arithmetic of money, come from `counting` (the figures from `figures`);
nothing here decides them again.
"""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, cast

from cndledger.core import counting
from cndledger.core import figures as fig
from cndledger.core.counting import MONEY, ZERO, difference
from cndledger.core.ledger import Ledger
from cndledger.format.currency import MINOR_UNITS, format_amount
from cndledger.format.dates import LedgerDate
from cndledger.format.records import Project, Release, Tranche
from cndledger.format.rules import COUNTERPART_WINDOW_DAYS

if TYPE_CHECKING:
    from typing import Protocol

    class SpentAndReleased(Protocol):
        @property
        def spent(self) -> Decimal: ...

        @property
        def released(self) -> Decimal: ...

    class FiguresByProject(Protocol):
        """What `min_spent` asks of a project's figures: the balance, or the totals a check worked out."""

        def of(self, project_id: str) -> SpentAndReleased | None: ...


class Condition(NamedTuple):  # not dataclasses: release-check starts without importing them
    name: str
    holds: bool
    detail: str


class ReleaseCheck(NamedTuple):
    tranche: Tranche
    on: _dt.date
    conditions: list[Condition]

    @property
    def releasable(self) -> bool:
        return all(condition.holds for condition in self.conditions)

    @property
    def failing(self) -> list[Condition]:
        return [condition for condition in self.conditions if not condition.holds]


def written(date: LedgerDate) -> str:
    """A date as written, with the day it stands for where it is a month or a year."""
    return date.text if date.precision == "day" else f"{date.text} ({date.last.isoformat()})"


class ReleaseConditions:
    """Answers release checks on one day; what every check shares is computed once."""

    def __init__(self, ledger: Ledger, on: _dt.date) -> None:
        self.ledger = ledger
        self.on = on

    @classmethod
    def with_figures(cls, ledger: Ledger, on: _dt.date, *, released_by_tranche: dict[str, Decimal],
                     released_by_commitment: dict[str, Decimal], releases_by_commitment: dict[str, list[Release]],
                     balance: FiguresByProject) -> ReleaseConditions:
        """Answers on `on` from figures the caller worked out (for the tranches it asks about): a check that
        judges many days at once finds them in one sweep. `balance.of(project_id)` gives spent and released."""
        judged = cls(ledger, on)
        judged.__dict__.update(_released_by_tranche=released_by_tranche, _released_by_commitment=released_by_commitment,
                               _releases_by_commitment=releases_by_commitment, _balance=balance)
        return judged

    @cached_property
    def _released_by_tranche(self) -> dict[str, Decimal]:
        return fig.released_by_tranche(self.ledger, self.on)

    @cached_property
    def _released_by_commitment(self) -> dict[str, Decimal]:
        return fig.released_by_commitment(self.ledger, self.on)

    @cached_property
    def _releases_by_commitment(self) -> dict[str, list[Release]]:
        grouped: dict[str, list[Release]] = {}
        for release in counting.releases_as_of(self.ledger, self.on):
            grouped.setdefault(release.commitment, []).append(release)
        return grouped

    @cached_property
    def _decommitted(self) -> dict[str, Decimal]:
        return counting.decommitted(self.ledger, self.on)

    @cached_property
    def _balance(self) -> FiguresByProject:
        return fig.balance(self.ledger, self.on)

    def _money(self, amount: Decimal, currency: str) -> str:
        """An amount for a detail; with its currency's code where the ledger is in several currencies (a
        tranche is in its commitment's, min_spent compares in its project's)."""
        text = format_amount(amount, currency, grouping=True)
        return f"{text} {currency}" if self.ledger.converts else text

    def check(self, tranche: Tranche) -> ReleaseCheck:
        commitment = self.ledger.commitment_by_id.get(tranche.commitment)
        project = self.ledger.project_by_id.get(commitment.project) if commitment is not None else None
        currency = project.currency if project is not None else "USD"  # of min_spent's figures
        # A tranche, its releases and the tranches before it are in its commitment's currency.
        own = (counting.entry_currency(self.ledger, commitment) if commitment is not None else None) or currency
        conditions = [self._committed(tranche, own), self._unreleased(tranche, own)]
        if tranche.after:
            conditions.append(self._after(tranche, own))
        if tranche.not_before is not None:
            conditions.append(self._not_before(tranche.not_before))
        if tranche.requires:
            conditions.append(self._requires(tranche))
        if tranche.min_spent is not None:
            conditions.append(self._min_spent(tranche, tranche.min_spent, project, currency))
        if tranche.matched_by is not None:
            counterpart = self.ledger.commitment_by_id.get(tranche.matched_by)
            theirs = counting.entry_currency(self.ledger, counterpart) if counterpart is not None else None
            conditions.append(self._matched_by(tranche.matched_by, theirs or currency))
        return ReleaseCheck(tranche, self.on, conditions)

    def _committed(self, tranche: Tranche, currency: str) -> Condition:
        commitment = self.ledger.commitment_by_id.get(tranche.commitment)
        if commitment is None:
            return Condition("committed", False, f"the ledger has no commitment '{tranche.commitment}'")
        what = f"commitment '{commitment.id}' of {self._money(commitment.amount, currency)} dated {written(commitment.date)}"
        if counting.commitment_counts(commitment, self.on):
            return Condition("committed", True, f"{what} counts on {self.on}")
        return Condition("committed", False, f"{what} does not count yet on {self.on}")

    def _unreleased(self, tranche: Tranche, currency: str) -> Condition:
        released = self._released_by_tranche.get(tranche.id, ZERO)
        figures = f"released {self._money(released, currency)} of {self._money(tranche.amount, currency)} as of {self.on}"
        if released >= tranche.amount:
            return Condition("unreleased", False, f"{figures}: fully released")
        return Condition("unreleased", True, f"{figures}; {self._money(difference(tranche.amount, released), currency)} to release")

    def _after(self, tranche: Tranche, currency: str) -> Condition:
        parts, holds = [], True
        for name in tranche.after:
            earlier = self.ledger.tranche_by_id.get(name)
            if earlier is None:
                parts.append(f"the ledger has no tranche '{name}'")
                holds = False
                continue
            released = self._released_by_tranche.get(name, ZERO)
            full = released >= earlier.amount
            holds = holds and full
            state = "fully released" if full else "not fully released"
            parts.append(f"'{name}' {state} ({self._money(released, currency)} of "
                         f"{self._money(earlier.amount, currency)}) by {self.on}")
        return Condition("after", holds, "; ".join(parts))

    def _not_before(self, date: LedgerDate) -> Condition:
        if self.on >= date.last:
            return Condition("not_before", True, f"{self.on} is on or after {written(date)}")
        return Condition("not_before", False, f"{self.on} is before {written(date)}")

    def _requires(self, tranche: Tranche) -> Condition:
        parts, holds = [], True
        for name in tranche.requires:
            milestone = self.ledger.milestone_by_id.get(name)
            if milestone is None:
                parts.append(f"the ledger has no milestone '{name}'")
                holds = False
            elif milestone.done is None:
                parts.append(f"milestone '{name}' is not done")
                holds = False
            elif milestone.done.last <= self.on:
                parts.append(f"milestone '{name}' done {written(milestone.done)}")
            else:
                parts.append(f"milestone '{name}' done {written(milestone.done)}, after {self.on}")
                holds = False
        return Condition("requires", holds, "; ".join(parts))

    def _min_spent(self, tranche: Tranche, share: Decimal, project: Project | None, currency: str) -> Condition:
        figures = self._balance.of(project.id) if project is not None else None
        if project is None or figures is None:
            return Condition("min_spent", False, f"the ledger has no project for commitment '{tranche.commitment}'")
        spent, released = figures.spent, figures.released
        needed = MONEY.multiply(share, released)
        holds = spent >= needed
        # The least amount in the currency's minor unit that reaches the share (spent is in that unit).
        places = MINOR_UNITS.get(currency, 2)
        needed_shown = needed.quantize(Decimal(1).scaleb(-places), rounding=ROUND_CEILING, context=MONEY)
        share_text = _percent(MONEY.multiply(share, 100))
        head = f"project '{project.id}' spent {self._money(spent, currency)} of {self._money(released, currency)} released"
        if released == 0:
            return Condition("min_spent", True, f"{head} as of {self.on}: nothing released yet, so {share_text}% of it is {self._money(ZERO, currency)}")
        sign = ">=" if holds else "<"
        detail = f"{head} = {_share_shown(MONEY.divide(MONEY.multiply(spent, 100), released), MONEY.multiply(share, 100), holds)}% {sign} {share_text}%"
        if not holds:
            detail += f" (needs {self._money(needed_shown, currency)} spent)"
        return Condition("min_spent", holds, f"{detail} as of {self.on}")

    def _matched_by(self, counterpart_id: str, currency: str) -> Condition:
        counterpart = self.ledger.commitment_by_id.get(counterpart_id)
        if counterpart is None:
            return Condition("matched_by", False, f"the ledger has no counterpart commitment '{counterpart_id}'")
        name = f"counterpart commitment '{counterpart.id}'"
        if not counting.commitment_counts(counterpart, self.on):
            return Condition("matched_by", False,
                             f"{name} dated {written(counterpart.date)} does not count yet on {self.on}")
        released = self._released_by_commitment.get(counterpart.id, ZERO)
        amount = counting.net_amount(counterpart, self._decommitted)  # less its decommitments on the day
        if released < amount:
            return Condition("matched_by", True, f"{name} has {self._money(difference(amount, released), currency)} "
                             f"of {self._money(amount, currency)} unreleased on {self.on}")
        releases = self._releases_by_commitment.get(counterpart.id, [])
        if not releases:
            return Condition("matched_by", False, f"{name} is wholly decommitted on {self.on}: nothing of it "
                             "can be released")
        latest = max(releases, key=lambda release: counting.release_counts_from(release, counterpart))
        latest_day = counting.release_counts_from(latest, counterpart)
        days = (self.on - latest_day).days
        gap = "on the same day" if days == 0 else f"{days} day{'' if days == 1 else 's'} before {self.on}"
        when = f"its latest release, {self._money(latest.amount, currency)} dated {written(latest.date)}, is {gap}"
        if days <= COUNTERPART_WINDOW_DAYS:
            return Condition("matched_by", True, f"{name} is fully released and {when}, within {COUNTERPART_WINDOW_DAYS}")
        return Condition("matched_by", False, f"{name} is fully released and {when}, more than {COUNTERPART_WINDOW_DAYS}")


def _percent(value: Decimal) -> str:
    return f"{value.normalize(MONEY):f}"


def _share_shown(actual: Decimal, required: Decimal, holds: bool) -> str:
    """The actual share, rounded, with as many decimals as it takes to agree with the verdict."""
    places = max(1, -cast(int, required.normalize(MONEY).as_tuple().exponent))  # a finite number's: an int
    while True:
        shown = actual.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=MONEY)
        if (shown >= required) == holds or places >= 12:
            return f"{shown:f}"
        places += 1


def release_check(ledger: Ledger, tranche_id: str, on: _dt.date) -> ReleaseCheck | None:
    """Every condition of the tranche on `on`; None where the ledger has no such tranche."""
    tranche = ledger.tranche_by_id.get(tranche_id)
    return None if tranche is None else ReleaseConditions(ledger, on).check(tranche)
