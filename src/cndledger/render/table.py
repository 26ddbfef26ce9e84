"""A table as data, printed plain (no colour, no box drawing) or, on a terminal, with Rich.

Rich is imported only when writing to a terminal that accepts colour: scripts and pipes never
pay for it.
"""

from __future__ import annotations

import os
import sys
from typing import Literal, NamedTuple, TextIO

from cndledger.render import printable


# Not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
class Column(NamedTuple):
    header: str
    align: Literal["left", "right"] = "left"


class Row(NamedTuple):
    cells: list[str]
    indent: int = 0  # levels of indentation of the first cell
    style: str | None = None  # a Rich style on a terminal ("dim", "bold red", ...)


class Table:
    __slots__ = ("title", "columns", "rows", "footnote")

    def __init__(self, title: str, columns: list[Column], rows: list[Row] | None = None,
                 footnote: str | None = None) -> None:
        self.title = title
        self.columns = columns
        self.rows = [] if rows is None else rows
        self.footnote = footnote


def use_rich(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def print_table(table: Table, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    if use_rich(stream):
        _print_rich(table, stream)
    else:
        stream.write(plain(table))


def plain(table: Table) -> str:
    rows = [[("  " * row.indent) + row.cells[0], *row.cells[1:]] for row in table.rows]
    headers = [column.header for column in table.columns]
    widths = [max(len(cells[i]) for cells in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(width) if column.align == "right" else cell.ljust(width)
            for cell, width, column in zip(cells, widths, table.columns)
        ]
        return "  ".join(parts).rstrip()

    out = [table.title, "", line(headers), "  ".join("-" * width for width in widths)]
    out += [line(cells) for cells in rows]
    if table.footnote:
        out += ["", table.footnote]
    return printable("\n".join(out) + "\n")


def _print_rich(table: Table, stream: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    rich_table = RichTable(title=printable(table.title), box=box.SIMPLE_HEAD, title_justify="left",
                           caption=table.footnote, caption_justify="left")
    for column in table.columns:
        rich_table.add_column(column.header, justify=column.align, no_wrap=column.align == "right")
    for row in table.rows:
        first = ("  " * row.indent) + row.cells[0]
        rich_table.add_row(*map(printable, [first, *row.cells[1:]]), style=row.style)
    Console(file=stream, highlight=False, markup=False).print(rich_table)  # a title may hold "[/x]"
