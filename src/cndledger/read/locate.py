"""Where things are in a TOML file: tomllib gives values, not positions, so we find them here.

`FilePositions` answers where each entry of a file stands (the line of its `[[kind]]` header, or
of its `{` in an inline array) and where each of its keys stands (line and column), and the text
of a line; each found when first asked, as cheaply as the text allows. Most files are plain: one
regular-expression pass finds every header (`header_lines`), and an entry's keys are read from its
own lines alone. Where that pass cannot vouch for the headers, one full scan (`locate`) follows
strings, comments and brackets through the whole text; the file already parsed.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from operator import add

_QUOTES_AND_BRACKETS = frozenset("\"'[]{}#")


@dataclass(slots=True)
class EntryPosition:
    line: int
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (line, column)

    def key_line(self, key: str) -> int:
        return self.keys.get(key, (self.line, 0))[0]


@dataclass(slots=True)
class FileScan:
    """What the full scan finds: every entry's position with its keys, and the top-level keys."""

    tables: dict[str, list[EntryPosition]] = field(default_factory=dict)
    top_keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # root key or [table] -> position

    def entry(self, kind: str, index: int) -> EntryPosition:
        entries = self.tables.get(kind, ())
        if index < len(entries):
            return entries[index]
        line = self.top_keys.get(kind, (1, 0))[0]
        return EntryPosition(line)


def _read_key(text: str, start: int) -> tuple[list[str], int]:
    """Read a (dotted, maybe quoted) key from `start`; return its parts and the index after it."""
    parts: list[str] = []
    i, n = start, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        quote = text[i]
        if quote in "\"'":
            j = i + 1
            while j < n and text[j] != quote:
                j += 2 if (quote == '"' and text[j] == "\\") else 1
            parts.append(text[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_-"):
                j += 1
            parts.append(text[i:j])
            i = j
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        break
    return parts, i


class _Scanner:
    """Follows strings and bracket depth across lines."""

    def __init__(self) -> None:
        self.open_string: str | None = None  # '"""' or "'''" while inside a multi-line string
        self.depth = 0
        self.inline_entries: list[EntryPosition] | None = None  # set while in `kind = [ {...}, ... ]`

    def scan(self, text: str, start: int, number: int) -> None:
        i, n = start, len(text)
        if self.open_string is None and self.depth == 0 and not _QUOTES_AND_BRACKETS.intersection(text[start:]):
            return
        while i < n:
            if self.open_string is not None:
                end = text.find(self.open_string, i)
                if self.open_string == '"""':
                    while end > 0 and _escaped(text, end):
                        end = text.find('"""', end + 1)
                if end < 0:
                    return
                i = end + 3
                while i < n and text[i] == self.open_string[0]:  # up to two quotes may close with it
                    i += 1
                self.open_string = None
                continue
            ch = text[i]
            if ch == "#":
                return
            if ch in "\"'":
                if text.startswith(ch * 3, i):
                    self.open_string = ch * 3
                    i += 3
                    continue
                j = i + 1
                while j < n and text[j] != ch:
                    j += 2 if (ch == '"' and text[j] == "\\") else 1
                i = j + 1
                continue
            if ch in "[{":
                self.depth += 1
                if ch == "{" and self.depth == 2 and self.inline_entries is not None:
                    self.inline_entries.append(EntryPosition(number))
            elif ch in "]}":
                self.depth = max(0, self.depth - 1)
                if self.depth == 0:
                    self.inline_entries = None
            i += 1


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# A header line: `[[kind]]` (a bare name), or one with a dot in its name (`[release.x]`, `[["release".x]]`,
# or a value such as `[1.5]` in a multi-line array), which may be a sub-table: that adds a key to the
# last entry of its kind, away from that entry's own lines. A newline first: searched for fast.
_HEADER = re.compile(r"\n[ \t]*(?:\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]|\[[^\]\n]*\.)")


def header_lines(text: str) -> tuple[dict[str, tuple[array[int], array[int]]], bool]:
    """The line of each `[[kind]]` header, by kind, with the offset in the text where that line starts,
    in one regular-expression pass; and whether the text has a line that may be a sub-table header.

    Outside multi-line strings (found first, by following strings and comments through the lines
    that have triple quotes), a line that starts with `[[name]]`, a bare name, is a header unless the
    name is itself a value (`[[true]]`, `[[1]]` in a multi-line array): no comment or one-line string
    can make it so, and no table kind is a value. The caller vouches for the answer only where its
    counts agree with the parsed tables (they do not with a quoted header name, an inline array of
    tables, a value taken for a header), and uses `locate` elsewhere.
    """
    strings = _multiline_strings(text) if '"""' in text or "'''" in text else None
    text = "\n" + text  # so that a header on the first line follows a newline too
    found: dict[str, tuple[array[int], array[int]]] = {}
    dotted = False
    line, last = 0, 0  # newlines before `last`, where the header after it is on line + 1
    for match in _HEADER.finditer(text):
        start = match.start()  # where its line starts in the text (without the newline put in front)
        if strings and bisect_right(strings, start) % 2:  # a line of a multi-line string
            continue
        kind = match.group(1)
        if kind is None:
            dotted = True
            continue
        line += text.count("\n", last, start)
        last = start
        places = found.get(kind)
        if places is None:
            places = found[kind] = (array("l"), array("q"))
        places[0].append(line + 1)
        places[1].append(start)
    return found, dotted


_TRIPLE_QUOTES = re.compile("\"\"\"|'''")


def _multiline_strings(text: str) -> list[int]:
    """Where each multi-line string starts and ends (after its closing quotes), in order: [start, end,
    start, end, ...]. Strings and comments are followed as `_Scanner` follows them, but only through
    the lines that have triple quotes."""
    bounds: list[int] = []
    at = 0
    while (quotes := _TRIPLE_QUOTES.search(text, at)) is not None:
        line_end = text.find("\n", quotes.start())
        opening = _opening_quotes(text, max(at, text.rfind("\n", 0, quotes.start()) + 1),
                                  len(text) if line_end < 0 else line_end)
        if opening is None:  # in a one-line string or a comment: the next line
            if line_end < 0:
                break
            at = line_end + 1
            continue
        delimiter = text[opening:opening + 3]
        end = text.find(delimiter, opening + 3)
        if delimiter == '"""':
            while end > 0 and _escaped(text, end):
                end = text.find('"""', end + 1)
        if end < 0:  # never closed (the file did not parse)
            bounds += [opening, len(text)]
            break
        end += 3
        while end < len(text) and text[end] == delimiter[0]:  # up to two quotes may close with it
            end += 1
        bounds += [opening, end]
        at = end
    return bounds


def _opening_quotes(text: str, i: int, n: int) -> int | None:
    """Where the first triple quotes that open a multi-line string stand in text[i:n], a stretch
    outside any string; None where there are none (one-line strings and a comment are passed by)."""
    while i < n:
        ch = text[i]
        if ch == "#":
            return None
        if ch in "\"'":
            if text.startswith(ch * 3, i):
                return i
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if (ch == '"' and text[j] == "\\") else 1
            i = j + 1
            continue
        i += 1
    return None


class _Reader:
    """Reads lines in order as the full scan does: headers, keys, and where each key belongs."""

    def __init__(self) -> None:
        self.positions = FileScan()
        self.scanner = _Scanner()
        self.current: EntryPosition | None = None  # the entry whose keys the following lines define

    def is_header(self, line: str) -> bool:
        return self.scanner.open_string is None and self.scanner.depth == 0 and line.lstrip(" \t")[:1] == "["

    def read(self, raw: str, number: int) -> None:
        positions, scanner = self.positions, self.scanner
        line = raw.rstrip("\r")
        if scanner.open_string is not None or scanner.depth > 0:
            scanner.scan(line, 0, number)
            return
        stripped = line.lstrip(" \t")
        if not stripped or stripped[0] == "#":
            return
        indent = len(line) - len(stripped)
        if stripped.startswith("[["):
            path, end = _read_key(line, indent + 2)
            self.current = _array_header(positions, path, number, indent, self.current)
            scanner.scan(line, end + 2, number)
        elif stripped[0] == "[":
            path, end = _read_key(line, indent + 1)
            self.current = _table_header(positions, path, number, indent, self.current)
            scanner.scan(line, end + 1, number)
        else:
            path, end = _read_key(line, indent)
            if not path:
                return
            spot = (number, indent + 1)
            if self.current is not None:
                self.current.keys.setdefault(path[0], spot)
                scanner.scan(line, end + 1, number)
            else:
                positions.top_keys.setdefault(path[0], spot)
                if len(path) == 1:
                    scanner.inline_entries = positions.tables.setdefault(path[0], [])
                scanner.scan(line, end + 1, number)
                if scanner.depth == 0:
                    scanner.inline_entries = None


def locate(text: str) -> FileScan:
    """The full scan: every line of the text, in order."""
    reader = _Reader()
    for number, raw in enumerate(text.split("\n"), start=1):
        reader.read(raw, number)
    return reader.positions


def entry_at(text: str, offset: int, number: int) -> EntryPosition:
    """The entry whose `[[kind]]` header is the line starting at `offset` (line `number`), with its
    keys: read from its own lines alone, up to the next header. Only where every key of an entry
    stands between its header and the next (no multi-line string before it, no sub-table header)."""
    reader = _Reader()
    while True:
        end = text.find("\n", offset)
        raw = text[offset:] if end < 0 else text[offset:end]
        if reader.current is not None and reader.is_header(raw):
            break
        reader.read(raw, number)
        if end < 0:
            break
        offset, number = end + 1, number + 1
    return reader.current or EntryPosition(number)


class FilePositions:
    """Where the entries of one file and their keys stand, and its lines: each found when first asked.

    `entry_counts` (kind -> how many entries the parsed file has) lets the quick pass vouch for the
    headers it finds: where its counts agree, and the text has no sub-table header, an entry's keys
    are read from its own lines; anywhere else, the full scan answers.
    """

    __slots__ = ("_text", "_counts", "_found", "_headers", "_quick_keys", "_scan", "_entries", "_line_starts")

    def __init__(self, text: str, entry_counts: dict[str, int] | None = None) -> None:
        self._text = text
        self._counts = entry_counts or {}
        self._found: tuple[dict[str, tuple[array[int], array[int]]], bool] | None = None  # the quick pass's, once it ran
        self._headers: dict[str, tuple[array[int], array[int]]] | None = None  # the quick pass's, where vouched for
        self._quick_keys = False
        self._scan: FileScan | None = None
        self._entries: dict[tuple[str, int], EntryPosition] = {}
        self._line_starts: array[int] | None = None

    @property
    def tables(self) -> dict[str, list[EntryPosition]]:
        return self._full_scan().tables

    @property
    def top_keys(self) -> dict[str, tuple[int, int]]:
        return self._full_scan().top_keys

    def entry_line(self, kind: str, index: int) -> int:
        """The line of the entry's header (of its `{` in an inline array)."""
        headers = self._vouched_headers()
        if headers is not None and kind in headers and index < len(headers[kind][0]):
            return headers[kind][0][index]
        return self._full_scan().entry(kind, index).line

    def entry(self, kind: str, index: int) -> EntryPosition:
        """The entry's line with the line and column of each of its keys."""
        headers = self._vouched_headers()
        if headers is None or not self._quick_keys or kind not in headers or index >= len(headers[kind][0]):
            return self._full_scan().entry(kind, index)
        position = self._entries.get((kind, index))
        if position is None:
            lines, offsets = headers[kind]
            position = self._entries[(kind, index)] = entry_at(self._text, offsets[index], lines[index])
        return position

    def line_text(self, number: int) -> str:
        """The text of a line (counted from 1), without its line ending; empty beyond the text."""
        start = self._line_start(number)
        if start is None:
            return ""
        end = self._text.find("\n", start)
        return (self._text[start:] if end < 0 else self._text[start:end]).rstrip("\r")

    def _line_start(self, number: int) -> int | None:
        """Where a line starts in the text: counted from the nearest header above it, where the quick
        pass has run (any line it names starts where it says, vouched for or not), else from an index
        of every line's start."""
        if number < 1:
            return None
        line, offset = 1, 0
        if self._line_starts is None and self._found:
            for lines, offsets in self._found[0].values():
                at = bisect_right(lines, number) - 1
                if at >= 0 and lines[at] > line:
                    line, offset = lines[at], offsets[at]
            if number - line <= _LINES_TO_WALK:
                for _ in range(number - line):
                    offset = self._text.find("\n", offset) + 1
                    if offset == 0:
                        return None
                return offset
        if self._line_starts is None:
            self._line_starts = array("q", accumulate(map(partial(add, 1), map(len, self._text.split("\n"))),
                                                      initial=0))
        return self._line_starts[number - 1] if number < len(self._line_starts) else None

    def _quick_pass(self) -> tuple[dict[str, tuple[array[int], array[int]]], bool]:
        if self._found is None:
            self._found = header_lines(self._text)
        return self._found

    def _vouched_headers(self) -> dict[str, tuple[array[int], array[int]]] | None:
        if self._headers is None and self._scan is None:
            found, dotted = self._quick_pass()
            if {kind: len(lines) for kind, (lines, _) in found.items()} == self._counts:
                self._headers = found
                self._quick_keys = not dotted
            else:
                self._full_scan()
        return self._headers

    def _full_scan(self) -> FileScan:
        if self._scan is None:
            self._scan = locate(self._text)
        return self._scan


_LINES_TO_WALK = 1000  # from the nearest header to a line, one newline at a time; farther, an index of them all


def _array_header(positions: FileScan, path: list[str], number: int, indent: int,
                  current: EntryPosition | None) -> EntryPosition | None:
    if len(path) == 1:
        entry = EntryPosition(number)
        positions.tables.setdefault(path[0], []).append(entry)
        return entry
    return _sub_table(positions, path, number, indent, current)


def _table_header(positions: FileScan, path: list[str], number: int, indent: int,
                  current: EntryPosition | None) -> EntryPosition | None:
    if len(path) == 1:
        positions.top_keys.setdefault(path[0], (number, indent + 1))
        return None
    return _sub_table(positions, path, number, indent, current)


def _sub_table(positions: FileScan, path: list[str], number: int, indent: int,
               current: EntryPosition | None) -> EntryPosition | None:
    # `[release.x]` or `[[release.x]]` adds key `x` to the last [[release]]: an unknown key there.
    entries = positions.tables.get(path[0])
    if entries:
        entries[-1].keys.setdefault(path[1], (number, indent + 1))
    else:
        positions.top_keys.setdefault(path[0], (number, indent + 1))
    return None
