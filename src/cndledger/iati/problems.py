"""What is wrong in an IATI file, as a value: where, and what.

Not `format.problems.Problem`: those carry a ledger problem code from `format/codes.py`; the
import that writes a ledger decides which code (if any) each of these becomes.
"""

from __future__ import annotations

from typing import NamedTuple


class IatiProblem(NamedTuple):
    file: str
    line: int  # 0 where no line is known (the file cannot be opened)
    kind: str  # "xml" | "structure" | "missing" | "amount" | "date" | "code" | "schema"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"
