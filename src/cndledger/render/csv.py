"""CSV for spreadsheets: a header row, then one row per record; amounts as exact decimals."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def as_csv(header: list[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return out.getvalue()
