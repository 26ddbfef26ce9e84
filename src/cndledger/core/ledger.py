"""A loaded ledger: every entry of every file, in ledger order, with lookups by id."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from cndledger.format.problems import Problem
from cndledger.format.record import Record
from cndledger.format.records import LISTS, Commitment, Entries, Milestone, Party, Project, Tranche

if TYPE_CHECKING:
    from cndledger.core.rates import Rates
    from cndledger.core.totals import RunningTotals
    from cndledger.read.source import SourceFile


class Ledger(Entries):
    """Every entry of every file, each kind in ledger order (a list per kind of the registry,
    `Entries`); the problems found while reading."""

    def __init__(self, *, files: list[SourceFile] | None = None, problems: list[Problem] | None = None,
                 unvalidated_names: dict[str, set[str]] | None = None, **entries: list[Any]) -> None:
        super().__init__(**entries)
        self.files = files or []
        self.problems = problems or []  # found while reading
        self.unvalidated_names = unvalidated_names or {}  # kind -> ids (and aliases) of invalid entries
        self.spent_totals: RunningTotals | None = None  # the expenses summed ahead by project and day, where the cache kept them
        # each budget line's spent (and the unbudgeted spending) summed ahead by day: core.budget.spent_ahead
        self.budget_spent: RunningTotals | None = None
        self.known_to_convert: bool | None = None  # `converts`, where the cache kept it (so that no expense is read)
        # where amounts convert: the expenses converted into each currency they count in, summed ahead by day
        self.converted_spent_totals: RunningTotals | None = None

    @property
    def any_file_failed(self) -> bool:
        return any(not source.parsed for source in self.files)

    def entries_of(self, kind: str) -> list[Record]:
        entries: list[Record] = getattr(self, LISTS[kind])
        return entries

    def names_of(self, kind: str) -> Mapping[str, Record]:
        """The entries of a kind by id (a party's by its aliases too), the first of each id winning."""
        if kind == "party":
            return self.party_by_name
        known: Mapping[str, Record] | None = getattr(self, f"{kind}_by_id", None)  # the lookups kept below
        return known if known is not None else _first_by_id(self.entries_of(kind))

    def file(self, path: str) -> SourceFile | None:
        return next((source for source in self.files if source.path == path), None)

    # Lookups: the first entry with an id wins; later ones are reported as duplicates.
    @cached_property
    def party_by_name(self) -> dict[str, Party]:
        names: dict[str, Party] = {}
        for party in self.parties:
            for name in (party.id, *party.aliases):
                names.setdefault(name, party)
        return names

    @cached_property
    def project_by_id(self) -> dict[str, Project]:
        return _first_by_id(self.projects)

    @cached_property
    def commitment_by_id(self) -> dict[str, Commitment]:
        return _first_by_id(self.commitments)

    @cached_property
    def tranche_by_id(self) -> dict[str, Tranche]:
        return _first_by_id(self.tranches)

    @cached_property
    def milestone_by_id(self) -> dict[str, Milestone]:
        return _first_by_id(self.milestones)

    @cached_property
    def children(self) -> dict[str, list[Project]]:
        tree: dict[str, list[Project]] = {}
        for project in self.projects:
            if project.parent is not None:
                tree.setdefault(project.parent, []).append(project)
        return tree

    @cached_property
    def rate_index(self) -> Rates:
        """The ledger's `[[rate]]`s, indexed for lookups by pair and day (`core/rates.py`)."""
        from cndledger.core.rates import Rates, quotes_of

        return Rates(quotes_of(self.rates))

    @property
    def converts(self) -> bool:
        """Whether any amount may need converting: the projects are in more than one currency, or an
        entry names another currency than theirs. Where not, every amount counts as written."""
        if self.known_to_convert is None:
            self.known_to_convert = self._written_in_several_currencies()
        return self.known_to_convert

    def converts_into(self, currency: str | None) -> bool:
        """Whether an amount may need converting into `currency` (None: each project's own)."""
        if self.converts:
            return True
        return currency is not None and bool(self.projects) and currency != self.projects[0].currency

    def _written_in_several_currencies(self) -> bool:
        currencies = {project.currency for project in self.projects}
        kinds: list[list[Any]] = [self.pledges, self.commitments, self.releases, self.refunds, self.decommitments,
                                  self.inkind, self.expenses]
        for entries in kinds:
            currencies.update(filter(None, map(_CURRENCY, entries)))
        return len(currencies) > 1

    def party_id(self, name: str) -> str:
        """The canonical id of a party named by id or alias (the name itself when unknown)."""
        party = self.party_by_name.get(name)
        return party.id if party is not None else name

    def project_currency(self, project_id: str) -> str | None:
        project = self.project_by_id.get(project_id)
        return project.currency if project is not None else None

    def commitment_project(self, commitment_id: str) -> Project | None:
        commitment = self.commitment_by_id.get(commitment_id)
        return self.project_by_id.get(commitment.project) if commitment is not None else None

    def tree_order(self) -> list[tuple[Project, int]]:
        """Projects with their depth, a parent before its children, siblings in ledger order.

        Projects caught in a parent cycle (an error reported by the checks) are left out.
        """
        ordered: list[tuple[Project, int]] = []
        seen: set[str] = set()
        roots = [p for p in self.projects if p.parent is None or p.parent not in self.project_by_id]
        stack = [(root, 0) for root in reversed(roots)]
        while stack:
            project, depth = stack.pop()
            if project.id in seen:
                continue
            seen.add(project.id)
            ordered.append((project, depth))
            stack.extend((child, depth + 1) for child in reversed(self.children.get(project.id, [])))
        return ordered

    def descendants(self, project_id: str) -> set[str]:
        """The project and every project below it."""
        found = {project_id}
        pending = [project_id]
        while pending:
            for child in self.children.get(pending.pop(), []):
                if child.id not in found:
                    found.add(child.id)
                    pending.append(child.id)
        return found


_Identified = TypeVar("_Identified", bound=Record)
_ID = attrgetter("id")
_CURRENCY = attrgetter("currency")


def _first_by_id(entries: list[_Identified]) -> dict[str, _Identified]:
    index: dict[str, _Identified] = {}
    keep = index.setdefault
    for ident, entry in zip(map(_ID, entries), entries):
        keep(ident, entry)
    return index
