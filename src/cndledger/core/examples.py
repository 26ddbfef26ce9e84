"""Checking a ledger written as text (an explanation's example), as if it were a file of its own."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import tempfile

from cndledger.core.api import check_files
from cndledger.format.problems import Problem


@dataclasses.dataclass
class CheckedExample:
    name: str
    text: str
    problems: list[Problem]

    def line(self, path: str, number: int) -> str:
        lines = self.text.split("\n")
        return lines[number - 1] if path == self.name and 0 < number <= len(lines) else ""


def check_example(text: str, as_of: _dt.date, name: str = "example.toml") -> CheckedExample:
    """Every problem `cndledger check` reports on `text`, located in a file called `name`."""
    with tempfile.TemporaryDirectory(prefix="cndledger-example-") as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        problems = check_files([path], as_of).problems  # never through the user's cache
    renamed = [
        problem._replace(file=name, message=problem.message.replace(path, name))
        for problem in problems
    ]
    return CheckedExample(name, text, renamed)
