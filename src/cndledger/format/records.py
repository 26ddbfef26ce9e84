"""Entries as a loaded ledger holds them: one compact record per table, with where it stands.

The Pydantic models of `models.py` say what each table may hold and judge it; a record holds the
values they accepted, and no more. A record is a named tuple: no per-entry dict (a million
entries fit in a few hundred MB), built at the speed of a tuple (a ledger read from the cache is
a million of them), with no Pydantic to import. Where the entry stands is kept as its file and
its place among that file's entries of its kind; lines are looked up when a problem names them.
`test_fast_paths` holds the fields of each record to its model's. Records are never changed.
"""

from __future__ import annotations

from collections import namedtuple
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from cndledger.format.problems import Location

if TYPE_CHECKING:
    from cndledger.format.dates import LedgerDate
    from cndledger.format.problems import EntrySource

FIGURE_KEYS = ("committed", "released", "outstanding", "spent", "available")


class Record:
    """What every record has, besides its values: its kind, where it stands, a label for messages."""

    __slots__ = ()
    kind: ClassVar[str]
    source_file: EntrySource
    entry_number: int  # its place among the entries of its kind in its file

    @property
    def file(self) -> str:
        return self.source_file.path

    @property
    def at(self) -> Location:
        """The line of the entry's `[[table]]` header."""
        return Location(self.source_file.path, self.source_file.entry_line(self.kind, self.entry_number))

    def at_key(self, key: str) -> Location:
        """The line and column of one of its keys (the header's line where the key is absent)."""
        line, column = self.source_file.key_position(self.kind, self.entry_number, key)
        return Location(self.source_file.path, line, column or None)

    @property
    def label(self) -> str:
        ident = getattr(self, "id", None)
        return f"[[{self.kind}]] '{ident}'" if ident else f"[[{self.kind}]]"

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields[2:])  # type: ignore[attr-defined]
        return f"{type(self).__name__}({values})"

    def __eq__(self, other: object) -> bool:  # one entry is itself only, as two lines of a file are two entries
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:
        return id(self)


def _record(name: str, kind: str, required: str, optional: str) -> type:
    """A record class: (source_file, entry_number, required values..., optional values... default None)."""
    fields = ["source_file", "entry_number", *required.split(), *optional.split()]
    values = namedtuple(name, fields, defaults=[None] * len(optional.split()), rename=False, module=__name__)
    return type(name, (Record, values), {"__slots__": (), "kind": kind, "__module__": __name__})


Party = _record("Party", "party", "id name", "aliases type note")
Project = _record("Project", "project", "id title currency", "parent budget start end executing clusters note")
Commitment = _record("Commitment", "commitment", "id project party date amount",
                     "currency instrument agreement note")
Tranche = _record("Tranche", "tranche", "id commitment amount",
                  "due after not_before requires min_spent matched_by note")
Release = _record("Release", "release", "commitment date amount", "id tranche currency reference note")
InKind = _record("InKind", "inkind", "id project party description nature start",
                 "end value monthly_value currency basis note")
Expense = _record("Expense", "expense", "project date amount", "id cluster category currency note")
Milestone = _record("Milestone", "milestone", "id project title", "due done note")
_Assertion = _record("_Assertion", "assert", "project date",
                     "committed released outstanding spent available source note")


class Assertion(_Assertion):
    __slots__ = ()

    def asserted(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in FIGURE_KEYS if getattr(self, key) is not None}


RECORDS: dict[str, type] = {
    record.kind: record
    for record in (Party, Project, Commitment, Tranche, Release, InKind, Expense, Milestone, Assertion)
}

# The values of a record in the order its constructor takes them after (source_file, entry_number).
VALUE_FIELDS: dict[str, tuple[str, ...]] = {kind: record._fields[2:] for kind, record in RECORDS.items()}
