"""What every record has besides its values (`Record`), and the behaviour some kinds add.

The records themselves are generated from the registry into `records.py`: each is a typed tuple
of where it stands (`source_file`, `entry_number`) and its table's keys, on `Record`.
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, cast

from cndledger.format.problems import Location

if TYPE_CHECKING:
    from cndledger.format.problems import EntrySource

_FIELDS = attrgetter("_fields")  # the names of its values, which each record class says (records.py)


class Record:
    """Its kind, where it stands, a label for messages; one entry is equal to itself only."""

    __slots__ = ()
    kind: ClassVar[str]
    amount_keys: ClassVar[tuple[str, ...]]  # its keys that hold money
    if TYPE_CHECKING:  # its first two values, which each record class reads
        @property
        def source_file(self) -> EntrySource: ...

        @property
        def entry_number(self) -> int: ...  # its place among the entries of its kind in its file

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
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS(self)[2:])
        return f"{type(self).__name__}({values})"

    def __getnewargs__(self) -> tuple[Any, ...]:  # pickle and copy give `__new__` the values, as a named tuple's
        return tuple(cast("tuple[Any, ...]", self))

    def __eq__(self, other: object) -> bool:  # one entry is itself only, as two lines of a file are two entries
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:
        return id(self)


class Asserted:
    """[[assert]]: the figures an assertion asserts (`Table.behaviour` of the registry)."""

    __slots__ = ()
    amount_keys: ClassVar[tuple[str, ...]]

    def asserted(self) -> dict[str, Decimal]:
        found: dict[str, Any] = {key: getattr(self, key) for key in self.amount_keys}
        return {key: value for key, value in found.items() if value is not None}
