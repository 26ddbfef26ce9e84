"""What a check is: a function of the ledger, the codes of the problems it reports, and when it runs.

Each family module lists its checks in `CHECKS`; `checks/__init__.py` collects them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cndledger.format.codes import Code
from cndledger.format.problems import Problem


class Check:  # a plain class, not a dataclass: `check` starts without importing dataclasses
    __slots__ = ("run", "reports", "dated", "needs_figures", "needs_every_file")

    def __init__(self, run: Callable[..., Iterable[Problem]], *reports: Code, dated: bool = False,
                 needs_figures: bool = False, needs_every_file: bool = False) -> None:
        if not reports:
            raise ValueError(f"the check {run.__name__} reports no code")
        self.run: Callable[..., Iterable[Problem]] = run  # run(ledger), or run(ledger, as_of) where dated
        self.reports = reports  # the codes of every problem it can report
        self.dated = dated  # judged against the day of the check (so never cached)
        self.needs_figures = needs_figures  # computes figures: skipped where a fatal problem leaves them undefined
        self.needs_every_file = needs_every_file  # skipped while a file fails to parse: it would mislead

    def __repr__(self) -> str:
        return f"<check {self.run.__name__}: {', '.join(code.name for code in self.reports)}>"
