"""The library's entry points: what each command asks of the core, in one call each."""

from __future__ import annotations

import datetime as _dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from cndledger.checks import dated_problems, ledger_problems
from cndledger.core.ledger import Ledger
from cndledger.format.problems import Problem, sort_key
from cndledger.read.cache import Cache, Contents
from cndledger.read.cache import wanted as cache_wanted
from cndledger.read.find import find_files, keep_ledgers, ledger_paths
from cndledger.read.load import load_contents, read_bytes


class CheckedLedger:
    """A ledger read from its paths, with every problem found in it."""

    def __init__(self, ledger: Ledger, problems: list[Problem] | None = None, missing: list[str] | None = None,
                 skipped: list[str] | None = None) -> None:
        self.ledger = ledger
        self.problems = [] if problems is None else problems
        self.missing = [] if missing is None else missing  # given paths that hold no ledger
        self.skipped = [] if skipped is None else skipped  # TOML files below a folder that are not ledgers

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def figures_defined(self) -> bool:
        return not any(problem.is_fatal for problem in self.problems)


def open_ledger(given_paths: list[str], as_of: _dt.date, *, use_cache: bool = True, cache: Cache | None = None,
                warnings: bool = True) -> CheckedLedger:
    """The ledger at the paths, checked as of the day: from the cache where its files are unchanged
    (`cache.py`; not with `use_cache=False` or CNDLEDGER_NO_CACHE=1), else read and then cached, through
    `cache` (the command line's writes once it has answered), else a cache written before this returns.

    With `warnings=False` (a report, which shows errors only) the problems may leave warnings out: the
    checks judged against the day, which find warnings only, are not run."""
    paths = ledger_paths(given_paths)
    found = find_files(paths)
    if found.missing:
        return CheckedLedger(Ledger(), missing=found.missing)
    contents = keep_ledgers(found, [(path, read_bytes(path)) for path in found.files])
    if found.missing:
        return CheckedLedger(Ledger(), missing=found.missing, skipped=found.skipped)
    if not (use_cache and cache_wanted()):
        cache = None
    elif cache is None:
        cache = Cache()
    opened = _checked(contents, as_of, cache, warnings)
    opened.skipped = found.skipped
    return opened


def check_files(files: list[str], as_of: _dt.date, replaced: dict[str, bytes] | None = None) -> CheckedLedger:
    """Load and check the files, never through the cache; `replaced` gives bytes to read in place of
    some files' (`cndledger add` checks the ledger as it would be with the new entry)."""
    replaced = replaced or {}
    contents = [(path, replaced[path] if path in replaced else read_bytes(path)) for path in files]
    return _checked(contents, as_of, None, True)


def _checked(contents: Contents, as_of: _dt.date, cache: Cache | None, warnings: bool) -> CheckedLedger:
    with _no_cyclic_collection():
        cached = cache.lookup(contents) if cache is not None else None
        if cached is not None:
            ledger, undated = cached
        else:
            ledger = load_contents(contents)
            undated = ledger_problems(ledger)
            if cache is not None:
                cache.store(contents, ledger, undated)
        dated = dated_problems(ledger, as_of, undated) if warnings else []
        # A check that met an amount it could not convert says what a no-rate check may have said already.
        problems = sorted(dict.fromkeys(undated + dated), key=sort_key)
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
