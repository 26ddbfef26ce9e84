"""Problems found in a ledger, as values: what, how bad, where."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple, Protocol


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# Errors after which figures are undefined: every report stops on them (LEDGER-FORMAT "Checks").
FATAL_CODES = frozenset({
    "toml-syntax", "missing-key", "unknown-key", "bad-value", "bad-precision",
    "duplicate-id", "unresolved-ref", "cycle", "currency-mismatch", "unreadable-file",
})


# Named tuples, not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
class Problem(NamedTuple):
    severity: Severity
    code: str
    message: str
    file: str
    line: int
    column: int | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_fatal(self) -> bool:
        return self.is_error and self.code in FATAL_CODES

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value, "code": self.code, "message": self.message,
            "file": self.file, "line": self.line,
        }


def error(code: str, message: str, at: Location, *, hint: str | None = None) -> Problem:
    return Problem(Severity.ERROR, code, message, at.file, at.line, at.column, hint)


def warning(code: str, message: str, at: Location, *, hint: str | None = None) -> Problem:
    return Problem(Severity.WARNING, code, message, at.file, at.line, at.column, hint)


class Location(NamedTuple):
    file: str
    line: int
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def sort_key(problem: Problem) -> tuple[str, int, int]:
    return (problem.file, problem.line, problem.column or 0)


class EntrySource(Protocol):
    """What a record knows of the file it was read from (`read.source.SourceFile`): where its entries stand."""

    path: str

    def entry_line(self, kind: str, index: int) -> int: ...

    def key_position(self, kind: str, index: int, key: str) -> tuple[int, int]: ...
