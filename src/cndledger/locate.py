"""Where things are in a TOML file: tomllib gives values, not positions, so we find them here.

`locate(text)` scans the text once and returns, for every array-of-tables kind, the line of each
entry's `[[kind]]` header (or of its `{` in an inline array) and the line and column of each of
its keys. It only needs to follow strings, comments and brackets; the file already parsed.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

_QUOTES_AND_BRACKETS = frozenset("\"'[]{}#")


@dataclass(slots=True)
class EntryPosition:
    line: int
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (line, column)

    def key_line(self, key: str) -> int:
        return self.keys.get(key, (self.line, 0))[0]


@dataclass(slots=True)
class FilePositions:
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


_HEADER = re.compile(r"\n[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]")  # a newline first: searched for fast


def header_lines(text: str) -> dict[str, array] | None:
    """The line of each `[[kind]]` header, by kind, in one regular-expression pass; None where unsure.

    Outside multi-line strings, a line that starts with `[[name]]`, a bare name, is a header unless
    the name is itself a value (`[[true]]`, `[[1]]` in a multi-line array): no comment or one-line
    string can make it so, and no table kind is a value. Where the text has a multi-line string the
    answer is None; the caller uses `locate` then, and where the counts disagree with the parsed
    tables (a quoted header name, an inline array of tables, a value taken for a header).
    """
    if '"""' in text or "'''" in text:
        return None
    text = "\n" + text  # so that a header on the first line follows a newline too
    found: dict[str, array] = {}
    line, last = 0, 0  # newlines before `last`, where the header after it is on line + 1
    for match in _HEADER.finditer(text):
        start = match.start()
        line += text.count("\n", last, start)
        last = start
        lines = found.get(match.group(1))
        if lines is None:
            lines = found[match.group(1)] = array("l")
        lines.append(line + 1)
    return found


def locate(text: str) -> FilePositions:
    positions = FilePositions()
    scanner = _Scanner()
    current: EntryPosition | None = None  # the entry whose keys the following lines define
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if scanner.open_string is not None or scanner.depth > 0:
            scanner.scan(line, 0, number)
            continue
        stripped = line.lstrip(" \t")
        if not stripped or stripped[0] == "#":
            continue
        indent = len(line) - len(stripped)
        if stripped.startswith("[["):
            path, end = _read_key(line, indent + 2)
            current = _array_header(positions, path, number, indent, current)
            scanner.scan(line, end + 2, number)
        elif stripped[0] == "[":
            path, end = _read_key(line, indent + 1)
            current = _table_header(positions, path, number, indent, current)
            scanner.scan(line, end + 1, number)
        else:
            path, end = _read_key(line, indent)
            if not path:
                continue
            spot = (number, indent + 1)
            if current is not None:
                current.keys.setdefault(path[0], spot)
                scanner.scan(line, end + 1, number)
            else:
                positions.top_keys.setdefault(path[0], spot)
                if len(path) == 1:
                    scanner.inline_entries = positions.tables.setdefault(path[0], [])
                scanner.scan(line, end + 1, number)
                if scanner.depth == 0:
                    scanner.inline_entries = None
    return positions


def _array_header(positions, path, number, indent, current):
    if len(path) == 1:
        entry = EntryPosition(number)
        positions.tables.setdefault(path[0], []).append(entry)
        return entry
    return _sub_table(positions, path, number, indent, current)


def _table_header(positions, path, number, indent, current):
    if len(path) == 1:
        positions.top_keys.setdefault(path[0], (number, indent + 1))
        return None
    return _sub_table(positions, path, number, indent, current)


def _sub_table(positions, path, number, indent, current):
    # `[release.x]` or `[[release.x]]` adds key `x` to the last [[release]]: an unknown key there.
    entries = positions.tables.get(path[0])
    if entries:
        entries[-1].keys.setdefault(path[1], (number, indent + 1))
    else:
        positions.top_keys.setdefault(path[0], (number, indent + 1))
    return None
