"""A private cache of loaded ledgers: reading unchanged files again costs a hash, not a parse.

An entry is kept for each list of ledger paths (as given: they are what problems show), with each
file's path, size, mtime and a hash of its bytes. It is used only where all of them match the
files read now: the hash makes it never stale, whatever the mtime's granularity or an mtime set
back by hand. It holds the loaded ledger (each of its attributes unpickled only when read, and its
expenses' running totals: by project for `balance`, by budget line for `check` and `budget`) and
the problems that do not depend on the day (`checks.ledger_problems`); it is not used by another
cndledger, another copy of its code, another Python, or another parser.

The cache is pickled, so it is only ever read from a directory that is ours and that no one else
can write: $XDG_CACHE_HOME/cndledger (else ~/.cache/cndledger), made 0700. A directory or a file
owned by another user, or writable by group or others, or a symbolic link, is never read or
written; nor is an entry whose digest does not match its contents. Entries are written to a
temporary file and renamed into place, so a reader sees a whole entry or none; the command line
writes them from a child process once it has answered (`Cache`, made by its entry point). Every
failure here is silent: the ledger is then read from its files.

`--no-cache` or CNDLEDGER_NO_CACHE=1 leaves the cache alone.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import stat
import sys
import time
from array import array
from decimal import Decimal
from functools import cached_property
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from cndledger import __version__
from cndledger.core.ledger import Ledger
from cndledger.format.dates import LedgerDate
from cndledger.format.problems import Problem
from cndledger.format.record import Record
from cndledger.read.source import SourceFile

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TypeGuard

ENVIRONMENT_VARIABLE = "CNDLEDGER_NO_CACHE"
FORMAT = 3
KEEP = 8  # entries kept; the least recently written go first
_SUFFIX = ".ledger-cache"

Contents = list[tuple[str, "bytes | Problem"]]
ReadContents = list[tuple[str, bytes]]  # every file read


def _all_read(contents: Contents) -> TypeGuard[ReadContents]:
    return not any(isinstance(raw, Problem) for _, raw in contents)


def wanted() -> bool:
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() in ("", "0", "false", "no")


def directory() -> str | None:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "cndledger")


def lookup(contents: Contents) -> tuple[Ledger, list[Problem]] | None:
    """The ledger and its undated problems as cached for exactly these files; None where not cached."""
    if not _all_read(contents):  # never stored (`Cache.store`)
        return None
    try:
        folder = _open_directory(create=False)
        if folder is None:
            return None
        try:
            data = _read_private(folder, _entry_name(contents))
        finally:
            os.close(folder)
        if data is None:
            return None
        stream = io.BytesIO(data)
        header = pickle.load(stream)
        if header.get("key") != _key(contents):
            return None
        if hashlib.sha256(memoryview(data)[stream.tell():]).digest() != header["digest"]:
            return None
        index = pickle.load(stream)
        return _decode(index, memoryview(data)[stream.tell():], contents)
    except Exception:  # noqa: BLE001 - a cache that cannot be read is no cache, whatever unpickling raises
        return None


class Cache:
    """The cache as one caller uses it: `lookup`, and `store`, which writes at once, or, made with
    `write_later=True` (the command line, from its entry point), keeps the entries until
    `write_pending`: the answer need not wait for the cache to be written."""

    def __init__(self, *, write_later: bool = False) -> None:
        self.pending: list[tuple[ReadContents, Ledger, list[Problem]]] | None = [] if write_later else None

    @staticmethod
    def lookup(contents: Contents) -> tuple[Ledger, list[Problem]] | None:
        return lookup(contents)

    def store(self, contents: Contents, ledger: Ledger, problems: list[Problem]) -> None:
        """Keep the ledger and its undated problems for these files (where every file could be read)."""
        if not _all_read(contents):
            return
        if self.pending is not None:
            self.pending.append((contents, ledger, problems))
        else:
            write(contents, ledger, problems)

    def write_pending(self) -> None:
        """Write the entries kept: from a child process, which nobody waits for (its standard streams
        go to /dev/null), where the platform can fork; else here and now."""
        waiting, self.pending = self.pending or [], []
        if not waiting:
            return
        try:
            child = os.fork() if hasattr(os, "fork") else -1
        except OSError:  # no process to spare: write it now
            child = -1
        if child > 0:
            return
        try:
            if child == 0:
                _let_go_of_the_terminal()
            for entry in waiting:
                write(*entry)
        finally:
            if child == 0:
                os._exit(0)


def _let_go_of_the_terminal() -> None:
    """Standard input, output and error to /dev/null: a caller reading our output to its end, or
    waiting for us to finish, must not wait for the cache to be written."""
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(null, descriptor)
    os.close(null)


def write(contents: ReadContents, ledger: Ledger, problems: list[Problem]) -> None:
    """Write the entry of these files now (`Cache.store` says when)."""
    try:
        index, sections = _encode(ledger, problems)
        payload = b"".join([_dumps(index), *sections])
        header = {"key": _key(contents), "digest": hashlib.sha256(payload).digest()}
        folder = _open_directory(create=True)
        if folder is None:
            return
        try:
            _write_atomically(folder, _entry_name(contents), pickle.dumps(header) + payload)
            _prune(folder)
        finally:
            os.close(folder)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, whatever pickling raises
        return


# Where and how: a directory that is ours alone, files opened relative to it, never through a link.

def _supported() -> bool:
    return (hasattr(os, "getuid") and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")
            and os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd)  # os.replace with them


def _private(status: os.stat_result) -> bool:
    """Ours, and no one else may write it."""
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_directory(*, create: bool) -> int | None:
    path = directory()
    if path is None or not _supported():
        return None
    if create:
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
    try:
        folder = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    status = os.fstat(folder)
    if not stat.S_ISDIR(status.st_mode) or not _private(status):
        os.close(folder)
        return None
    if status.st_mode & 0o077:  # ours but readable by others: the ledgers' figures are private
        try:
            os.fchmod(folder, 0o700)
        except OSError:
            os.close(folder)
            return None
    return folder


def _read_private(folder: int, name: str) -> bytes | None:
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode) or not _private(status):
            return None
        return file.read()


def _write_atomically(folder: int, name: str, data: bytes) -> None:
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=folder)
        except OSError:
            pass
        raise


def _prune(folder: int) -> None:
    """Keep the last entries written; remove temporary files a writer killed midway left behind."""
    now = time.time_ns()
    with os.scandir(folder) as found:
        entries = [(entry.stat(follow_symlinks=False).st_mtime_ns, entry.name) for entry in found]
    written = sorted(entry for entry in entries if entry[1].endswith(_SUFFIX))
    abandoned = [entry for entry in entries if entry[1].endswith(".tmp") and now - entry[0] > 600 * 10**9]
    for _, name in written[:-KEEP] + abandoned:
        try:
            os.unlink(name, dir_fd=folder)
        except OSError:
            pass


# What an entry is for: these paths, these files' bytes, this code.

def _entry_name(contents: Iterable[tuple[str, object]]) -> str:
    paths = "\0".join(path for path, _ in contents).encode("utf-8", "surrogateescape")
    return hashlib.blake2b(paths, digest_size=16).hexdigest() + _SUFFIX


def _key(contents: ReadContents) -> tuple[object, ...]:
    files = []
    for path, raw in contents:
        status = os.stat(path)
        files.append((path, status.st_size, status.st_mtime_ns, hashlib.sha256(raw).digest()))
    return (FORMAT, __version__, sys.version, _code(), tuple(files))


_CODE: tuple[tuple[str, int, int], ...] | None = None


def _code() -> tuple[tuple[str, int, int], ...]:
    """The size and mtime of every source file of cndledger and of what reads for it: a changed copy of
    the code (an edit, an upgrade) never uses what another copy cached."""
    global _CODE
    if _CODE is None:
        from importlib.util import find_spec

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        sources = sorted(os.path.join(folder, name) for folder, _, names in os.walk(package)
                         for name in names if name.endswith(".py"))
        for name in ("pydantic", "pydantic_core", "toml_rs"):
            spec = find_spec(name)
            if spec is not None and spec.origin:
                sources.append(spec.origin)
        _CODE = tuple((path, status.st_size, status.st_mtime_ns) for path, status in zip(sources, map(os.stat, sources)))
    return _CODE


# An entry: an index (pickled), then sections, each pickled apart and unpickled only when first read.
# Each attribute of the Ledger is a section of its own, so the layout follows the Ledger's: a list of
# records as columns, one list per field (pickle keeps one copy of each text or date that many entries
# share; amounts as their exact text), anything else as it is. `check` never reads the expenses (most
# of a ledger), nor do `balance` and `budget`: they read what they add up to, their running totals by
# project and by budget line, kept here.

def _encode(ledger: Ledger, problems: list[Problem]) -> tuple[dict[str, object], list[bytes]]:
    from cndledger.core.budget import spent_ahead
    from cndledger.core.counting import converted_spent_totals, spent_totals

    number = {id(source): index for index, source in enumerate(ledger.files)}
    sections: list[bytes] = []

    def section(value: object) -> tuple[int, int]:
        """Where the section of this value stands, from the end of the index."""
        start = sum(map(len, sections))
        sections.append(_dumps(value))
        return start, start + len(sections[-1])

    attributes = {name: value for name, value in vars(ledger).items()
                  if name != "files" and not isinstance(getattr(type(ledger), name, None), cached_property)}
    attributes["spent_totals"] = spent_totals(ledger.expenses)  # what `balance` reads in place of the expenses
    attributes["budget_spent"] = spent_ahead(ledger)  # what `check` and `budget` read of them for the budget lines
    attributes["known_to_convert"] = ledger.converts
    attributes["converted_spent_totals"] = converted_spent_totals(ledger)
    places: dict[str, tuple[bool, tuple[int, int]]] = {}
    for name, value in attributes.items():
        if _is_records(value):
            files = array("i", map(number.__getitem__, map(id, map(attrgetter("source_file"), value))))
            indexes = array("i", map(attrgetter("entry_number"), value))
            fields = type(value[0])._fields[2:]
            columns = [_encoded(list(map(attrgetter(field), value))) for field in fields]
            places[name] = (True, section((type(value[0]), files, indexes, columns)))
        else:
            places[name] = (False, section(value))
    index: dict[str, object] = {"files": [(source.path, source.parsed, source.entry_counts) for source in ledger.files],
             "places": places, "problems": problems}
    return index, sections


def _is_records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Record)


def _encoded(column: list[object]) -> tuple[str, list[object]]:
    kinds = {value.__class__ for value in column}
    if Decimal not in kinds:
        return ("plain", column)
    if type(None) in kinds:
        return ("amounts or none", [value if value is None else str(value) for value in column])
    return ("amounts", list(map(str, column)))


def _decoded(column: tuple[str, list[Any]]) -> list[object]:  # as unpickled: the texts of amounts, or values
    if column[0] == "amounts":
        return list(map(Decimal, column[1]))
    if column[0] == "amounts or none":
        return [text if text is None else Decimal(text) for text in column[1]]
    return column[1]


def _dumps(data: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[LedgerDate] = lambda date: (LedgerDate, (date.first, date.last, date.text))
    pickler.dump(data)
    return buffer.getvalue()


def _decode(index: dict[str, Any], sections: memoryview, contents: ReadContents) -> tuple[Ledger, list[Problem]]:
    raw_of = dict(contents)
    files = [SourceFile(path, None, parsed, entry_counts, raw_of[path])  # decoded if asked
             for path, parsed, entry_counts in index["files"]]
    return _CachedLedger(files, sections, index["places"]), index["problems"]


class _CachedLedger(Ledger):
    """A ledger from the cache: each attribute is unpickled when first read (`_encode`)."""

    def __init__(self, files: list[SourceFile], sections: memoryview,
                 places: dict[str, tuple[bool, tuple[int, int]]]) -> None:
        # Not Ledger's: its other attributes come from the sections when first read (below).
        self.files, self._sections, self._places = files, sections, places

    def __getattr__(self, name: str) -> object:  # only for attributes not yet read
        places = self.__dict__.get("_places", {})
        if name not in places:
            raise AttributeError(name)
        are_records, (start, stop) = places.pop(name)
        value = pickle.loads(self._sections[start:stop])
        if are_records:
            record, files, indexes, columns = value
            rows = zip(map(self.files.__getitem__, files), indexes, *map(_decoded, columns))
            value = list(map(tuple.__new__, repeat(record), rows))  # records are named tuples
        setattr(self, name, value)
        return value
