"""What a name means in the format, for `cndledger explain NAME`: a table, a key (of each table that
has one of that name) or a figure; one name may be all three (`budget`). Problem codes are
`codes.py`'s own."""

from __future__ import annotations

from typing import NamedTuple

from cndledger.format.figures_doc import BY_NAME as FIGURES
from cndledger.format.figures_doc import Figure
from cndledger.format.tables import BY_KIND, TABLES, Key, Table, tables_with_key


class Named(NamedTuple):
    table: Table | None
    keys: list[tuple[Table, Key]]  # each table that has a key of the name, with its key
    figure: Figure | None

    def __bool__(self) -> bool:
        return self.table is not None or bool(self.keys) or self.figure is not None


def named(name: str) -> Named:
    return Named(BY_KIND.get(name), tables_with_key(name), FIGURES.get(name))


def key_names() -> list[str]:
    """Every key name of the format, once each, in the registry's order."""
    return list(dict.fromkeys(key.name for table in TABLES for key in table.keys))


def every_name() -> list[str]:
    """The names `explain` knows besides the problem codes: the tables, the keys and the figures."""
    return list(dict.fromkeys([*BY_KIND, *key_names(), *FIGURES]))
