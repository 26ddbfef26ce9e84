"""Problems as editors and CI read them: `FILE:LINE: error[CODE]: message`, or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from cndledger.problems import Problem
from cndledger.render import printable


_LONGEST_SHOWN = 120  # characters of a source line shown under its problem


def as_text(problems: Iterable[Problem], source_line: Callable[[str, int], str]) -> str:
    """Each problem, then the line it concerns with a caret under the key, then a hint."""
    blocks = []
    for problem in problems:
        block = [f"{problem.file}:{problem.line}: {problem.severity.value}[{problem.code}]: {problem.message}"]
        text = source_line(problem.file, problem.line)
        if len(text) > _LONGEST_SHOWN:
            text = text[:_LONGEST_SHOWN] + " …"
        if text.strip():
            gutter = str(problem.line)
            block.append(f"  {gutter} | {text}")
            if problem.column and problem.column <= _LONGEST_SHOWN:
                start = problem.column - 1
                rest = text[start:]
                width = len(rest.split("=")[0].rstrip()) if "=" in rest else len(rest.rstrip())
                block.append(f"  {' ' * len(gutter)} | {' ' * start}{'^' * max(1, width)}")
        if problem.hint:
            block.append(f"  = hint: {problem.hint}")
        blocks.append("\n".join(block))
    return printable("\n".join(blocks) + ("\n" if blocks else ""))


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def as_json(problems: Iterable[Problem]) -> str:
    return json.dumps({"problems": [problem.as_dict() for problem in problems]}, indent=2, ensure_ascii=False)
