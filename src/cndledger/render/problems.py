"""Problems as people, editors and CI read them: text with the source line underlined, JSON, or
GitHub Actions workflow commands (annotations on the lines of a pull request)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from cndledger.format.codes import TOML_SYNTAX, UNKNOWN_KEY, hint_for
from cndledger.format.problems import Problem
from cndledger.render import printable

_LONGEST_SHOWN = 120  # characters of a source line shown under its problem
SourceLine = Callable[[str, int], str]


def as_text(problems: Iterable[Problem], source_line: SourceLine) -> str:
    """Each problem, then the line it concerns with carets under the key or value, then a hint."""
    blocks = []
    for problem in problems:
        block = [f"{problem.file}:{problem.line}: {problem.severity.value}[{problem.code}]: {problem.message}"]
        text = source_line(problem.file, problem.line).replace("\t", " ")
        if len(text) > _LONGEST_SHOWN:
            text = text[:_LONGEST_SHOWN] + " …"
        if text.strip():
            gutter = str(problem.line)
            start, end = underline(problem, text)
            block.append(f"  {gutter} | {text}")
            block.append(f"  {' ' * len(gutter)} | {' ' * start}{'^' * (end - start)}")
        hint = hint_for(problem)
        if hint:
            block.append(f"  = hint: {hint}")
        blocks.append("\n".join(block))
    return printable("\n".join(blocks) + ("\n" if blocks else ""))


def underline(problem: Problem, text: str) -> tuple[int, int]:
    """The columns (from 0, end excluded) of `text` that the problem is about.

    The key for an unknown key; the value for every other problem of a key (a wrong value, a
    reference that does not resolve, an amount that exceeds); the parser's column for a syntax
    error; the whole statement (a `[[table]]` header) where the problem has no column.
    """
    if problem.column is None or problem.column > len(text) + 1:
        start = len(text) - len(text.lstrip())
        return start, max(start + 1, start + len(_without_comment(text[start:]).rstrip()))
    start = problem.column - 1
    if problem.code == TOML_SYNTAX.name:
        return start, start + 1
    if text.startswith("[", start):  # a `[release.x]` header: the whole header
        return start, start + len(_without_comment(text[start:]).rstrip())
    key_end = _key_end(text, start)
    if problem.code == UNKNOWN_KEY.name:
        return start, max(start + 1, key_end)
    value = _value_span(text, key_end)
    return value if value is not None else (start, max(start + 1, key_end))


def _key_end(text: str, start: int) -> int:
    """Where the (maybe dotted, maybe quoted) key starting at `start` ends, trailing blanks excluded."""
    i, quote = start, None
    while i < len(text):
        ch = text[i]
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "=]":
            break
        i += 1
    return len(text[:i].rstrip())


def _value_span(text: str, key_end: int) -> tuple[int, int] | None:
    equals = text.find("=", key_end)
    if equals < 0 or text[key_end:equals].strip():
        return None
    start = equals + 1
    while start < len(text) and text[start] in " \t":
        start += 1
    if start >= len(text):
        return None
    end = _value_end(text, start)
    return start, max(start + 1, end)


def _value_end(text: str, start: int) -> int:
    """The end of the value at `start` on this line (the line's end for a value that goes on)."""
    first = text[start]
    if text.startswith(('"""', "'''"), start):
        close = text.find(first * 3, start + 3)
        return close + 3 if close >= 0 else len(text.rstrip())
    if first in "\"'":
        i = start + 1
        while i < len(text) and text[i] != first:
            i += 2 if (first == '"' and text[i] == "\\") else 1
        return min(i + 1, len(text))
    if first in "[{":
        depth, i, quote = 0, start, None
        while i < len(text):
            ch = text[i]
            if quote is not None:
                if ch == "\\" and quote == '"':
                    i += 1
                elif ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return start + len(_without_comment(text[start:]).rstrip())
    return start + len(_without_comment(text[start:]).rstrip())


def _without_comment(text: str) -> str:
    """The text before a `#` that is not inside a string."""
    quote = None
    for i, ch in enumerate(text):
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return text[:i]
    return text


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def as_json(problems: Iterable[Problem]) -> str:
    import json  # only for --json: a table needs none

    return json.dumps({"problems": [problem.as_dict() for problem in problems]}, indent=2, ensure_ascii=False)


def as_github(problems: Iterable[Problem], source_line: SourceLine) -> str:
    """One workflow command per problem: `::error file=F,line=N,col=C,endColumn=E,title=CODE::message`.

    Paths are relative to the working directory (the checkout), so that GitHub puts each problem on
    its line of the pull request; the hint follows the message on a line of its own.
    """
    lines = []
    for problem in problems:
        properties = {"file": _relative(problem.file), "line": str(problem.line)}
        text = source_line(problem.file, problem.line).replace("\t", " ")
        if text.strip():
            start, end = underline(problem, text)
            properties |= {"col": str(start + 1), "endColumn": str(end)}
        properties["title"] = problem.code
        message = problem.message
        hint = hint_for(problem)
        if hint:
            message += f"\nhint: {hint}"
        fields = ",".join(f"{name}={_escape_property(value)}" for name, value in properties.items())
        lines.append(f"::{problem.severity.value} {fields}::{_escape_data(message)}")
    return printable("".join(line + "\n" for line in lines))


def _relative(path: str) -> str:
    try:
        path = os.path.relpath(os.path.abspath(path))
    except ValueError:  # on another drive than the working directory
        pass
    return path.replace(os.sep, "/")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
