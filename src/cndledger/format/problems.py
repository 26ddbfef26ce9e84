"""Problems found in a ledger, as values: what, how bad, where."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple, Protocol


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# Named tuples, not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
# A problem is made by its code (`codes.DUPLICATE_ID.problem(message, at)`), which gives its severity
# and whether it is fatal: carried here, so that this module never looks up the codes (they import it).
class Problem(NamedTuple):
    severity: Severity
    code: str
    message: str
    file: str
    line: int
    column: int | None = None
    hint: str | None = None
    is_fatal: bool = False  # figures are undefined with it: every report stops

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value, "code": self.code, "message": self.message,
            "file": self.file, "line": self.line,
        }


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
