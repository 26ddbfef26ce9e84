"""The library's entry points: what each command asks of the core, in one call each."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from cndledger.checks import check_ledger
from cndledger.ledger import Ledger
from cndledger.load import find_files, ledger_paths, load
from cndledger.problems import Problem


@dataclass
class CheckedLedger:
    """A ledger read from its paths, with every problem found in it."""

    ledger: Ledger
    problems: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # given paths that hold no ledger

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def figures_defined(self) -> bool:
        return not any(problem.is_fatal for problem in self.problems)


def open_ledger(given_paths: list[str], as_of: _dt.date) -> CheckedLedger:
    paths = ledger_paths(given_paths)
    found = find_files(paths)
    if found.missing:
        return CheckedLedger(Ledger(), missing=found.missing)
    return check_files(found.files, as_of)


def check_files(files: list[str], as_of: _dt.date, replaced: dict[str, bytes] | None = None) -> CheckedLedger:
    """Load and check the files; `replaced` gives bytes to read in place of some files' (see `load`)."""
    ledger = load(files, replaced)
    return CheckedLedger(ledger, check_ledger(ledger, as_of))
