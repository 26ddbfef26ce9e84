"""Which files make the ledger: the paths given, else $CNDLEDGER_LEDGER, else the nearest `ledgers/`
folder here or above; every *.toml file below a folder, but those in hidden folders and those that
are not ledgers (`pyproject.toml`, `.taplo.toml`).

A file named on the command line is always read. Below a folder, a TOML file is a ledger file
unless it parses, holds tables at its top level, and none of them is an array of tables `[[name]]`
named as a table of the format or close to one (so `[[comitment]]` is still read, and reported):
such files are skipped, and named on standard error.
"""

from __future__ import annotations

import os
import re

from cndledger.format.records import RECORDS

ENVIRONMENT_VARIABLE = "CNDLEDGER_LEDGER"
DEFAULT_PATH = "ledgers"


class FileSet:
    """The ledger files found at the given paths, the paths that name none, and the files skipped."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.missing: list[str] = []
        self.skipped: list[str] = []  # TOML files below a folder that are not ledgers
        self.given: dict[str, str] = {}  # a file found below a folder -> that folder, as given


def ledger_paths(given: list[str]) -> list[str]:
    """The paths to read: those given; else $CNDLEDGER_LEDGER; else the nearest ./ledgers, here or above."""
    if given:
        return given
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE, "")
    paths = [p for p in from_environment.split(os.pathsep) if p]
    if paths:
        return paths
    if os.path.isdir(DEFAULT_PATH):
        return [DEFAULT_PATH]
    found, _, _ = search_upward()
    return [found] if found is not None else [DEFAULT_PATH]


def search_upward(start: str | None = None) -> tuple[str | None, list[str], str | None]:
    """(the nearest `ledgers/` folder at or above `start`, relative to it; the folders looked in; the
    root of the git work tree where the search stopped, if it stopped at one). As git looks for
    `.git`: from the working folder up to the filesystem's root, but never above a git work tree's root."""
    here = os.path.abspath(start or os.getcwd())
    looked: list[str] = []
    while True:
        looked.append(here)
        candidate = os.path.join(here, DEFAULT_PATH)
        if os.path.isdir(candidate):
            return os.path.relpath(candidate, start or os.curdir), looked, None
        if os.path.exists(os.path.join(here, ".git")):
            return None, looked, here
        parent = os.path.dirname(here)
        if parent == here:
            return None, looked, None
        here = parent


def no_default_ledger() -> str:
    """What to say where no path was given and no `ledgers/` folder is here or above."""
    _, looked, boundary = search_upward()
    where = ", ".join(looked)
    stop = f" (stopped at {boundary}, the root of its git work tree)" if boundary else ""
    return (f"no ledger at the path '{DEFAULT_PATH}': no {DEFAULT_PATH}/ folder here or above; looked in {where}{stop}\n"
            f"  = hint: name the ledger: cndledger COMMAND -f FILE_OR_FOLDER, or set {ENVIRONMENT_VARIABLE}=FOLDER")


def find_files(paths: list[str]) -> FileSet:
    found = FileSet()
    seen: set[str] = set()
    for path in paths:
        below = os.path.isdir(path)
        if below:
            files = _toml_files_below(path)
        elif os.path.exists(path):
            files = [path]
        else:
            files = []
        if not files:
            found.missing.append(path)
        for file in files:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                found.files.append(file)
                if below:
                    found.given[file] = path
    return found


def _toml_files_below(folder: str) -> list[str]:
    relative: list[str] = []
    visited: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        try:
            stat = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in visited:  # a symlink loop, or a folder linked twice
            dirs[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        dirs[:] = [name for name in dirs if not name.startswith(".")]  # .git, .venv, .cache: never a ledger's
        for name in names:
            if name.endswith(".toml"):
                relative.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
    relative.sort()
    if folder in (".", "./"):
        return relative
    return [os.path.join(folder, name) if not folder.endswith(("/", os.sep)) else folder + name for name in relative]


_TABLES = "|".join(map(re.escape, RECORDS))
# A header of a ledger table, or an array of them written inline: what almost every ledger file has.
_LEDGER_TABLE = re.compile(rb'^[ \t]*(?:\[\[[ \t]*["\']?(?:' + _TABLES.encode() + rb')["\']?[ \t]*\]\]|["\']?(?:'
                           + _TABLES.encode() + rb')["\']?[ \t]*=)', re.MULTILINE)


def is_ledger(raw: bytes) -> bool:
    """Whether the bytes of a TOML file found below a folder are a ledger's (see the module's rule)."""
    if _LEDGER_TABLE.search(raw) is not None:
        return True
    import tomllib

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True  # a ledger file with a fault: read, so that the fault is reported
    tables = {key: value for key, value in document.items() if isinstance(value, dict) or _array_of_tables(value)}
    if not tables:
        return True  # empty, comments only, or stray keys (reported as unknown): a ledger file
    from cndledger.format.suggest import nearest

    return any(_array_of_tables(value) and (key in RECORDS or nearest(key, RECORDS) is not None)
               for key, value in tables.items())


def _array_of_tables(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def keep_ledgers(found: FileSet, contents: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The contents (path, bytes or problem) without the files below a folder that are not ledgers
    (named in `found.skipped`); a folder left with no file joins `found.missing`."""
    kept = []
    for path, raw in contents:
        if path in found.given and isinstance(raw, bytes) and not is_ledger(raw):
            found.skipped.append(path)
        else:
            kept.append((path, raw))
    if found.skipped:
        emptied = dict.fromkeys(found.given[path] for path in found.skipped)
        for path, _ in kept:
            emptied.pop(found.given.get(path, ""), None)
        found.missing += list(emptied)
        found.files = [path for path, _ in kept]
    return kept
