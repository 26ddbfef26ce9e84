"""Entries as a loaded ledger holds them: one compact record per table, with where it stands.

The Pydantic models of `models.py` say what each table may hold and judge it; a record holds the
values they accepted, and no more: slots instead of a per-entry dict (a million entries fit in a
few hundred MB), no Pydantic (a ledger read from the cache is used without importing it), and
where the entry stands kept as its file and its place among that file's entries of its kind,
whose lines are looked up only when a problem names them. `test_fast_paths` holds the fields
of each record to its model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from cndledger.dates import LedgerDate
from cndledger.problems import Location

if TYPE_CHECKING:
    from cndledger.ledger import SourceFile

FIGURE_KEYS = ("committed", "released", "outstanding", "spent", "available")


@dataclass(slots=True, eq=False)
class Record:
    _source: SourceFile = field(repr=False)
    _index: int = field(repr=False)  # its place among the entries of its kind in its file
    kind: ClassVar[str]

    @property
    def file(self) -> str:
        return self._source.path

    @property
    def at(self) -> Location:
        """The line of the entry's `[[table]]` header."""
        return Location(self._source.path, self._source.entry_line(self.kind, self._index))

    def at_key(self, key: str) -> Location:
        """The line and column of one of its keys (the header's line where the key is absent)."""
        line, column = self._source.key_position(self.kind, self._index, key)
        return Location(self._source.path, line, column or None)

    @property
    def label(self) -> str:
        ident = getattr(self, "id", None)
        return f"[[{self.kind}]] '{ident}'" if ident else f"[[{self.kind}]]"


@dataclass(slots=True, eq=False)
class Party(Record):
    kind: ClassVar[str] = "party"
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    type: str | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class Project(Record):
    kind: ClassVar[str] = "project"
    id: str
    title: str
    currency: str
    parent: str | None = None
    budget: Decimal | None = None
    start: LedgerDate | None = None
    end: LedgerDate | None = None
    executing: str | None = None
    clusters: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True, eq=False)
class Commitment(Record):
    kind: ClassVar[str] = "commitment"
    id: str
    project: str
    party: str
    date: LedgerDate
    amount: Decimal
    currency: str | None = None
    instrument: str | None = None
    agreement: str | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class Tranche(Record):
    kind: ClassVar[str] = "tranche"
    id: str
    commitment: str
    amount: Decimal
    due: LedgerDate | None = None
    after: list[str] = field(default_factory=list)
    not_before: LedgerDate | None = None
    requires: list[str] = field(default_factory=list)
    min_spent: Decimal | None = None
    matched_by: str | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class Release(Record):
    kind: ClassVar[str] = "release"
    commitment: str
    date: LedgerDate
    amount: Decimal
    id: str | None = None
    tranche: str | None = None
    currency: str | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class InKind(Record):
    kind: ClassVar[str] = "inkind"
    id: str
    project: str
    party: str
    description: str
    nature: str
    start: LedgerDate
    end: LedgerDate | None = None
    value: Decimal | None = None
    monthly_value: Decimal | None = None
    currency: str | None = None
    basis: str | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class Expense(Record):
    kind: ClassVar[str] = "expense"
    project: str
    date: LedgerDate
    amount: Decimal
    id: str | None = None
    cluster: str | None = None
    category: str | None = None
    currency: str | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class Milestone(Record):
    kind: ClassVar[str] = "milestone"
    id: str
    project: str
    title: str
    due: LedgerDate | None = None
    done: LedgerDate | None = None
    note: str | None = None


@dataclass(slots=True, eq=False)
class Assertion(Record):
    kind: ClassVar[str] = "assert"
    project: str
    date: LedgerDate
    committed: Decimal | None = None
    released: Decimal | None = None
    outstanding: Decimal | None = None
    spent: Decimal | None = None
    available: Decimal | None = None
    source: str | None = None
    note: str | None = None

    def asserted(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in FIGURE_KEYS if getattr(self, key) is not None}


RECORDS: dict[str, type[Record]] = {
    record.kind: record
    for record in (Party, Project, Commitment, Tranche, Release, InKind, Expense, Milestone, Assertion)
}

# The values of a record in the order its constructor takes them after (_source, _index).
VALUE_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(spec.name for spec in fields(record) if not spec.name.startswith("_"))
    for kind, record in RECORDS.items()
}
