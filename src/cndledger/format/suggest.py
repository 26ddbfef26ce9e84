"""'Did you mean …?': the known name nearest to one that is not known."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s_\-/.]+")


def _folded(name: str) -> str:
    """The name without case or separators: 'us-pak-01-099' and 'US/PAK/01/099' fold alike."""
    return _SEPARATORS.sub("", name.casefold())


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice the writer most likely meant, or None where none is close."""
    known = sorted({choice for choice in choices if choice != word})  # sorted: the same answer from a set
    if not known:
        return None
    by_fold: dict[str, str] = {}
    for choice in known:
        by_fold.setdefault(_folded(choice), choice)
    if (same := by_fold.get(_folded(word))) is not None:  # another case or separator only
        return same
    import difflib  # only where a name is unknown: most runs have none

    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return close[0]
    close = difflib.get_close_matches(_folded(word), list(by_fold), n=1, cutoff=0.6)
    return by_fold[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'X'?" to end a message with, or "" where nothing is close."""
    guess = nearest(word, choices)
    return f"; did you mean '{guess}'?" if guess is not None else ""
