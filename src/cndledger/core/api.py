"""The library's entry points: what each command asks of the core, in one call each."""

from __future__ import annotations

import datetime as _dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from cndledger.read import cache
from cndledger.checks import dated_problems, ledger_problems
from cndledger.core.ledger import Ledger
from cndledger.read.load import find_files, ledger_paths, load_contents, read_bytes
from cndledger.format.problems import Problem, sort_key


class CheckedLedger:
    """A ledger read from its paths, with every problem found in it."""

    def __init__(self, ledger: Ledger, problems: list[Problem] | None = None, missing: list[str] | None = None) -> None:
        self.ledger = ledger
        self.problems = [] if problems is None else problems
        self.missing = [] if missing is None else missing  # given paths that hold no ledger

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def figures_defined(self) -> bool:
        return not any(problem.is_fatal for problem in self.problems)


def open_ledger(given_paths: list[str], as_of: _dt.date, *, use_cache: bool = True) -> CheckedLedger:
    """The ledger at the paths, checked as of the day: from the cache where its files are unchanged
    (`cache.py`; not with `use_cache=False` or CNDLEDGER_NO_CACHE=1), else read and then cached."""
    paths = ledger_paths(given_paths)
    found = find_files(paths)
    if found.missing:
        return CheckedLedger(Ledger(), missing=found.missing)
    contents = [(path, read_bytes(path)) for path in found.files]
    return _checked(contents, as_of, use_cache=use_cache and cache.wanted())


def check_files(files: list[str], as_of: _dt.date, replaced: dict[str, bytes] | None = None) -> CheckedLedger:
    """Load and check the files, never through the cache; `replaced` gives bytes to read in place of
    some files' (`cndledger add` checks the ledger as it would be with the new entry)."""
    replaced = replaced or {}
    contents = [(path, replaced[path] if path in replaced else read_bytes(path)) for path in files]
    return _checked(contents, as_of, use_cache=False)


def _checked(contents: list, as_of: _dt.date, *, use_cache: bool) -> CheckedLedger:
    with _no_cyclic_collection():
        cached = cache.lookup(contents) if use_cache else None
        if cached is not None:
            ledger, undated = cached
        else:
            ledger = load_contents(contents)
            undated = ledger_problems(ledger)
            if use_cache:
                cache.store(contents, ledger, undated)
        problems = sorted(undated + dated_problems(ledger, as_of), key=sort_key)
    return CheckedLedger(ledger, problems)


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Reading makes objects by the million, none of them garbage: the cyclic collector would only walk them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
