"""A loaded ledger: every entry of every file, in ledger order, with lookups by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from cndledger.problems import Problem
from cndledger.records import (
    Assertion, Commitment, Expense, InKind, Milestone, Party, Project, Record, Release, Tranche,
)

if TYPE_CHECKING:
    from cndledger.figures import RunningTotals
    from cndledger.locate import FilePositions


@dataclass(slots=True)
class SourceFile:
    path: str  # as the user named it (a folder joined with the file's relative path)
    _text: str | None = None
    parsed: bool = False
    entry_counts: dict[str, int] = field(default_factory=dict)  # kind -> how many entries the file has
    _raw: bytes | None = field(default=None, repr=False)  # its bytes, decoded into `text` when first asked
    # Where entries and keys stand, and its lines: found when a problem first asks (most runs never do).
    _positions: FilePositions | None = field(default=None, repr=False)

    @property
    def text(self) -> str | None:
        """The file's text; None where it could not be read or decoded."""
        if self._text is None and self._raw is not None:
            try:
                self._text = self._raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                pass
            self._raw = None
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text = value

    def positions(self) -> FilePositions:
        if self._positions is None:
            from cndledger.locate import FilePositions  # only when a problem asks where something stands

            self._positions = FilePositions(self.text or "", self.entry_counts)
        return self._positions

    def entry_line(self, kind: str, index: int) -> int:
        return self.positions().entry_line(kind, index)

    def key_position(self, kind: str, index: int, key: str) -> tuple[int, int]:
        """The line and column of a key of an entry; the entry's line (column 0) where it has no such key."""
        position = self.positions().entry(kind, index)
        return position.keys.get(key, (position.line, 0))

    def line_text(self, line: int) -> str:
        return self.positions().line_text(line)


@dataclass
class Ledger:
    files: list[SourceFile] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    tranches: list[Tranche] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    inkind: list[InKind] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    asserts: list[Assertion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # found while reading
    unvalidated_names: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids (and aliases) of invalid entries
    spent_totals: RunningTotals | None = None  # the expenses summed ahead by project and day, where the cache kept them

    @property
    def any_file_failed(self) -> bool:
        return any(not source.parsed for source in self.files)

    def entries_of(self, kind: str) -> list[Record]:
        return getattr(self, _LISTS[kind])

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


_LISTS = {
    "party": "parties", "project": "projects", "commitment": "commitments", "tranche": "tranches",
    "release": "releases", "inkind": "inkind", "expense": "expenses", "milestone": "milestones",
    "assert": "asserts",
}


def _first_by_id(entries):
    index = {}
    for entry in entries:
        index.setdefault(entry.id, entry)
    return index
