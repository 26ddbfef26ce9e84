"""A table as data, printed plain (no colour, no box drawing) or, on a terminal, with Rich.

Rich is imported only when writing to a terminal that accepts colour: scripts and pipes never
pay for it.

On a terminal narrower than the table, the table is made to fit (`layout`), the same way plain or
with Rich: an amount is never cut. Each column declares its `rank`: 0, always shown; else left out
to fit, the highest rank first (the least important), noted below the table. A column that `wraps`
may take several lines: TEXT (prose, a detail) wraps before any column is left out; an ID folds only
where the columns always shown do not fit otherwise. Where even they do not fit, the lines are longer
than the terminal (which wraps them) rather than cut. Output that is not a terminal (a pipe, a file)
has every column, as `--wide` asks.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from typing import Final, Literal, NamedTuple, TextIO

from cndledger.render import printable

TEXT: Final = "text"
ID: Final = "id"
GAP = 2  # the spaces between two columns, plain and with Rich
MIN_WIDTH = {TEXT: 16, ID: 10}  # the narrowest a column that wraps is made (its header's longest word, if longer)
ID_WIDTH = 20  # an id longer than this folds before any column is left out (where that keeps one)


# Not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
class Column(NamedTuple):
    header: str
    align: Literal["left", "right"] = "left"
    rank: int = 0  # 0: always shown; else left out on a narrow terminal, the highest rank first
    wraps: Literal["text", "id"] | None = None  # None: never cut (an amount, a date, a status)


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


def left_out_first(columns: list[Column]) -> list[str]:
    """The headers of the columns that may be left out, in the order they are (README, "Tables that fit")."""
    ranked = sorted((column for column in columns if column.rank), key=lambda column: -column.rank)
    return [column.header for column in ranked]


def use_rich(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def terminal_width(stream: TextIO) -> int | None:
    """The width to fit: the terminal's (COLUMNS, where set, says it); None where the output is no terminal."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def print_table(table: Table, stream: TextIO | None = None, *, wide: bool = False, plain_text: bool = False) -> None:
    """On a terminal, fitted to its width (unless `wide`), with Rich (unless `plain_text`, NO_COLOR or
    TERM=dumb); elsewhere plain, every column."""
    stream = stream or sys.stdout
    width = None if wide else terminal_width(stream)
    if not plain_text and use_rich(stream):
        _print_rich(table, stream, width)
    else:
        stream.write(plain(table, width))


# Measuring and folding

def cell_width(text: str) -> int:
    """The columns a text takes on a terminal (a wide East Asian character two, a combining mark none)."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(character) else 2 if east_asian_width(character) in "WF" else 1 for character in text)


ID_BREAKS = " /-_.,;"  # an id's line may end after one of these; a text's after a space


def fold(text: str, width: int, breaks: str = " ") -> list[str]:
    """`text` in lines of at most `width` columns, broken after one of `breaks` where one is near
    enough, else within a word."""
    width = max(width, 1)
    lines: list[str] = []
    rest = text
    while cell_width(rest) > width:
        taken, used, last_break = 0, 0, 0
        for index, character in enumerate(rest):
            used += cell_width(character)
            if used > width:
                break
            taken = index + 1
            if character in breaks:
                last_break = taken
        cut = last_break if last_break > width // 3 else max(taken, 1)
        lines.append(rest[:cut].rstrip(" "))
        rest = rest[cut:].lstrip(" ")
    lines.append(rest)
    return lines


class Layout(NamedTuple):
    shown: list[int]  # the indices of the columns shown
    widths: list[int]  # the width of each column shown
    left_out: list[str]  # the headers of the columns left out, in the order they were
    folds: bool  # whether a column shown is narrower than its widest cell (its cells then take lines)


class _Cells(NamedTuple):
    headers: list[str]
    rows: list[list[str]]  # each row's cells as printed: control characters escaped, the first indented
    natural: list[int]  # each column's widest cell
    ascii: list[bool]  # whether a column's cells are all ASCII (then a character is a column)


def _cells(table: Table) -> _Cells:
    headers = [printable(column.header) for column in table.columns]
    rows = [[("  " * row.indent) + row.cells[0], *row.cells[1:]] for row in table.rows]
    everything = "".join("".join(cells) for cells in rows)
    if printable(everything) != everything:  # rare: escape each cell (one pass over all, else)
        rows = [list(map(printable, cells)) for cells in rows]
    natural, ascii = [], []
    for i, header in enumerate(headers):
        column = [cells[i] for cells in rows]
        widest = max(cell_width(header), max(map(len, column), default=0))
        ascii.append("".join(column).isascii())
        if not ascii[-1]:
            widest = max(widest, max(map(cell_width, column)))
        natural.append(widest)
    return _Cells(headers, rows, natural, ascii)


def layout(table: Table, width: int | None, cells: _Cells | None = None) -> Layout:
    """Which columns to show, and how wide, to fit `width` (None: all, each as wide as its widest cell)."""
    natural = (cells or _cells(table)).natural
    columns = table.columns
    every = range(len(columns))
    if width is None:
        return Layout(list(every), natural, [], False)
    indent = max((2 * row.indent for row in table.rows), default=0)
    # The widths a column may be narrowed to: before any column is left out (an id to ID_WIDTH), and
    # where the columns always shown do not fit otherwise (an id to its least).
    before, least = [], []
    for i, column in enumerate(columns):
        if column.wraps is None:
            before.append(natural[i])
            least.append(natural[i])
            continue
        margin = indent if i == 0 else 0
        word = max((cell_width(part) for part in column.header.split()), default=1)
        least.append(min(natural[i], max(MIN_WIDTH[column.wraps], word) + margin))
        before.append(least[i] if column.wraps == TEXT else min(natural[i], max(ID_WIDTH + margin, least[i])))

    def needed(shown: list[int], narrowed: list[int]) -> int:
        return sum(narrowed[i] for i in shown) + GAP * (len(shown) - 1)

    shown = list(every)
    left_out: list[str] = []
    droppable = sorted((i for i in every if columns[i].rank), key=lambda i: (-columns[i].rank, -i))
    if needed(shown, natural) > width:
        for i in droppable:
            if needed(shown, before) <= width:
                break
            shown.remove(i)
            left_out.append(columns[i].header)
    narrowed = before if needed(shown, before) <= width else least
    widths = {i: narrowed[i] for i in shown}
    spare = width - sum(widths.values()) - GAP * (len(shown) - 1)
    for kind in (ID, TEXT):  # what is left is given back: ids whole first, then texts
        for i in shown:
            if spare <= 0:
                break
            if columns[i].wraps == kind and widths[i] < natural[i]:
                given = min(spare, natural[i] - widths[i])
                widths[i] += given
                spare -= given
    return Layout(shown, [widths[i] for i in shown], left_out, any(widths[i] < natural[i] for i in shown))


def _lines(text: str, width: int, wraps: str | None, indent: int = 0) -> list[str]:
    if wraps is None or cell_width(text) <= width:
        return [text]
    margin = " " * indent
    return [margin + line for line in fold(text[indent:], width - indent, ID_BREAKS if wraps == ID else " ")]


def _head(cells: _Cells, fitted: Layout) -> list[list[str]]:
    """The lines of the header of each column shown."""
    return [fold(cells.headers[i], width) if cell_width(cells.headers[i]) > width else [cells.headers[i]]
            for i, width in zip(fitted.shown, fitted.widths)]


def _body(table: Table, cells: _Cells, fitted: Layout) -> list[list[list[str]]]:
    """Each row's cells shown, each cell a list of lines."""
    columns = [table.columns[i] for i in fitted.shown]
    if not fitted.folds:
        return [[[row[i]] for i in fitted.shown] for row in cells.rows]
    body = []
    for row, texts in zip(table.rows, cells.rows):
        body.append([_lines(texts[i], width, column.wraps, 2 * row.indent if i == 0 else 0)
                     for i, width, column in zip(fitted.shown, fitted.widths, columns)])
    return body


def _notes(table: Table, fitted: Layout, width: int | None) -> list[str]:
    notes = []
    if fitted.left_out:
        notes.append(f"Left out to fit {width} columns: {', '.join(fitted.left_out)} (--wide shows every column).")
    if table.footnote:
        notes.append(printable(table.footnote))
    return notes


def _justify(text: str, width: int, align: str) -> str:
    if text.isascii():
        return text.rjust(width) if align == "right" else text.ljust(width)
    pad = " " * max(width - cell_width(text), 0)
    return pad + text if align == "right" else text + pad


def plain(table: Table, width: int | None = None) -> str:
    """The table as plain text; fitted to `width` columns where given (see `layout`)."""
    cells = _cells(table)
    fitted = layout(table, width, cells)
    head = _head(cells, fitted)
    aligns = [table.columns[i].align for i in fitted.shown]

    def lines(cells: list[list[str]]) -> list[str]:
        height = max(len(cell) for cell in cells)
        return ["  ".join(_justify(cell[n] if n < len(cell) else "", cell_width_, align)
                          for cell, cell_width_, align in zip(cells, fitted.widths, aligns)).rstrip()
                for n in range(height)]

    out = [printable(table.title), "", *lines(head), "  ".join("-" * w for w in fitted.widths)]
    if fitted.folds:
        for row in _body(table, cells, fitted):
            out += lines(row)
    else:  # a line per row: the common case, and a long register's
        shown = [(i, w, (str.rjust if align == "right" else str.ljust) if cells.ascii[i]
                  else partial(_justify, align=align)) for i, w, align in zip(fitted.shown, fitted.widths, aligns)]
        out += ["  ".join([pad(texts[i], w) for i, w, pad in shown]).rstrip() for texts in cells.rows]
    for note in _notes(table, fitted, width):
        out.append("")
        for paragraph in note.split("\n"):
            out += fold(paragraph, width) if width else [paragraph]
    return "\n".join(out) + "\n"


def _print_rich(table: Table, stream: TextIO, width: int | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    cells = _cells(table)
    fitted = layout(table, width, cells)
    head, body = _head(cells, fitted), _body(table, cells, fitted)
    # Padding on the right only, and none at the edges: two spaces between columns, as plain.
    rich_table = RichTable(title=printable(table.title), box=box.SIMPLE_HEAD, title_justify="left",
                           padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
    aligns = [table.columns[i].align for i in fitted.shown]

    def cell(lines: list[str], column_width: int, align: str) -> str:  # justified here, as plain is
        return "\n".join(_justify(line, column_width, align) for line in lines)

    for lines, column_width, align in zip(head, fitted.widths, aligns):
        rich_table.add_column(cell(lines, column_width, align), width=column_width, no_wrap=True, overflow="ignore")
    for row, row_cells in zip(table.rows, body):
        rich_table.add_row(*map(cell, row_cells, fitted.widths, aligns), style=row.style)
    needed = sum(fitted.widths) + GAP * (len(fitted.widths) - 1)
    # Never narrower than the table: Rich would cut its columns to fit (the terminal wraps long lines instead).
    console = Console(file=stream, highlight=False, markup=False, width=max(width or 0, needed))  # a title may hold "[/x]"
    console.print(rich_table)
    for note in _notes(table, fitted, width):
        console.print(Text(note, style="table.caption"))
