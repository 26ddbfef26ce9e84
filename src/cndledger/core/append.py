"""Appending one entry to a ledger file, keeping every byte already there: `cndledger add`.

The entry is checked with the whole ledger, as the ledger would be with it (the file's bytes and
the entry, read in memory in place of the file), and written unless it makes the ledger worse: an
error located in the entry, or an error of a code and a place the ledger did not have without it.
Errors the ledger had already (an assert that fails, whose figures the entry only moves) do not
block it: so each of the releases a failing assert waits for can be added, one after the other.
Several entries (`add --from-file`) are checked and written together: all, or none.
The write appends after the file's last byte, in the file's line endings, and is atomic: a
temporary file in the same folder is written, flushed to disk and renamed over the file, then the
folder is flushed. Concurrent `add`s queue on a lock of the target's folder (flock: no lock file
for git to see, none left by a killed add), and a file that another program changed between the
read and the write is not overwritten.

Test hook (for tests only, never set it otherwise): where $CNDLEDGER_TEST_KILL_AT names one of the
points of `KILL_POINTS`, the process kills itself there with SIGKILL, so that tests can show a
killed `add` leaves the file as it was or as it would be, never torn.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import os
import signal
import stat
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import tomli_w

from cndledger.core.api import CheckedLedger, check_files
from cndledger.format.codes import TOML_SYNTAX
from cndledger.format.problems import Problem
from cndledger.format.tables import BY_KIND as TABLES  # the registry: the table names, in the format's order
from cndledger.read.find import find_files, keep_ledgers, ledger_paths
from cndledger.read.load import read_bytes as read_or_problem
from cndledger.read.rawfile import UnreadableFile, read_bytes

KILL_AT_VARIABLE = "CNDLEDGER_TEST_KILL_AT"
KILL_POINTS = ("locked", "checked", "written", "synced", "renamed")  # in the order an add passes them
LOCK_TIMEOUT_SECONDS = 120


class AddError(Exception):
    """Bad usage of `add` (exit 2): an unknown kind, a malformed KEY=VALUE, a --to outside the ledger."""


class WriteFailed(Exception):
    """Nothing was written: the file changed meanwhile, or the system refused the write (exit 1)."""


@dataclass
class Added:
    entry: str  # the entry as appended (with "\n" line endings)
    opened: CheckedLedger  # the ledger checked with the entry in place
    path: str = ""  # the target as the ledger names it
    line: int = 0  # the line of the entry's header in the file after the add
    written: bool = False
    before: list[Problem] | None = None  # the ledger's problems without the entry (looked at only where it has errors)
    count: int = 1  # the entries added at once

    def _in_entry(self, problem: Problem) -> bool:
        return problem.file == self.path and problem.line >= self.line

    @property
    def blocking(self) -> list[Problem]:
        """The errors the entry makes: located in it, or of a code and place the ledger did not have without it."""
        had = {(problem.code, problem.file, problem.line) for problem in self.before or ()}
        return [problem for problem in self.opened.errors
                if self._in_entry(problem) or (problem.code, problem.file, problem.line) not in had]

    @property
    def existing(self) -> list[Problem]:
        """The errors the ledger had already, at the same places (their figures may have moved)."""
        blocking = self.blocking
        return [problem for problem in self.opened.errors if problem not in blocking]

    @property
    def entry_problems(self) -> list[Problem]:
        """The problems located in the entry itself."""
        return [problem for problem in self.opened.problems if self._in_entry(problem)]


def parse_value(text: str) -> object:
    """A TOML value where `text` is one (40_000, 2005-09-30, ["a"], "x"); else the text itself."""
    try:
        parsed = tomllib.loads(f"value = {text}", parse_float=Decimal)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return text
    return parsed["value"] if list(parsed) == ["value"] else text


def parse_assignments(assignments: list[str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for assignment in assignments:
        key, equals, text = assignment.partition("=")
        key = key.strip()
        if not equals or not key:
            raise AddError(f"'{assignment}' is not KEY=VALUE (such as amount=40_000 or date=2005-09-30)")
        if key in fields:
            raise AddError(f"'{key}' is given twice")
        value = parse_value(text.strip())
        if _holds_a_table(value):
            raise AddError(f"{key}={text}: no key of the format takes a table; write the value alone")
        fields[key] = value
    return fields


def key_types(kind: str) -> dict[str, str]:
    """Each key of the table, in its declared order, with its type as `add` reads it: "text" (an id, a
    name, a note, a currency, a choice of words), "texts" (a list of them) or "value" (an amount, a
    date, a share). From the table registry, the one place that says so."""
    from cndledger.format import tables

    def of(key: tables.Key) -> str:
        if key.type in (tables.ID, tables.TEXT, tables.CURRENCY, tables.CHOICE, tables.PERIOD):  # period=2005: text
            return "text"
        return "texts" if key.type in tables.LIST_TYPES else "value"

    return {key.name: of(key) for key in TABLES[kind].keys}


def read_entry(kind: str, assignments: list[str]) -> tuple[dict[str, object], dict[str, str]]:
    """The entry's values, in the table's declared order (unknown keys after, as given), each read by
    its key's type: the text as written for a text key (`note=2025`, `id=12345`, `note=true`), TOML
    otherwise; and the values to write as the user wrote them (`1_200_000`, not `1200000`)."""
    types = key_types(kind)
    fields = parse_assignments(assignments)
    for assignment in assignments:
        key, _, text = assignment.partition("=")
        key, text = key.strip(), text.strip()
        if types.get(key) == "text" and not isinstance(fields[key], str):
            fields[key] = text
    written = {}
    for assignment in assignments:
        key, _, text = assignment.partition("=")
        key, text = key.strip(), text.strip()
        value = fields[key]
        if (types.get(key) == "value" and not isinstance(value, (str, list, bool)) and "#" not in text
                and "\n" not in text and "\r" not in text):
            written[key] = text
    from cndledger.format.suggest import nearest

    order = {key: place for place, key in enumerate(types)}

    def place(key: str) -> float:  # a misspelt key goes where the key it is close to would (after it)
        meant = nearest(key, types)
        return order[key] if key in order else order[meant] + 0.5 if meant is not None else len(order)

    ordered = dict(sorted(fields.items(), key=lambda item: place(item[0])))
    return ordered, written


def _holds_a_table(value: object) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and any(_holds_a_table(item) for item in value)


def entry_text(kind: str, fields: dict[str, object], written: dict[str, str] | None = None) -> str:
    """The entry as tomli-w writes it, under its own [[kind]] header (never inline); the values of
    `written` as given there (a TOML literal the user wrote: 1_200_000)."""
    if not written:
        return f"[[{kind}]]\n" + tomli_w.dumps(fields)
    lines = []
    for key, value in fields.items():
        line = tomli_w.dumps({key: value})
        if key in written:
            name = tomli_w.dumps({key: True}).removesuffix(" = true\n")
            line = f"{name} = {written[key]}\n"
        lines.append(line)
    return f"[[{kind}]]\n" + "".join(lines)


def appended(raw: bytes, entry: str) -> tuple[bytes, int]:
    """The file's bytes with the entry after its last byte, in its line endings; and the entry's line."""
    first_end = raw.find(b"\n")
    newline = b"\r\n" if first_end > 0 and raw[first_end - 1] == ord("\r") else b"\n"
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if not body.strip(b" \t\r\n"):
        separator = b"" if body.endswith(b"\n") or not body else newline
    elif body.endswith((b"\n\n", b"\n\r\n")):
        separator = b""
    elif body.endswith(b"\n"):
        separator = newline  # a blank line between the last entry and the new one
    else:
        separator = newline + newline
    head = raw + separator
    return head + entry.replace("\n", newline.decode()).encode("utf-8"), head.count(b"\n") + 1


def entries_of_file(text: str, name: str) -> tuple[str, int]:
    """The entries of an ENTRIES.toml for `add --from-file`, as written (comments and all), and how many.

    Only [[kind]] tables of the format: a key before the first header would join the last entry of
    the file appended to, so it is refused, as is text that is not TOML."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    try:
        parsed = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise AddError(f"--from-file: '{name}' is not valid TOML: {exc}") from None
    first = next((line.strip() for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")), "")
    if not first.startswith("[["):
        raise AddError(f"--from-file: '{name}' must hold [[kind]] tables only, from its first line on; "
                       f"it starts with '{first[:40]}'" if first else f"--from-file: '{name}' holds no entry")
    unknown = [kind for kind in parsed if kind not in TABLES]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(TABLES), n=1)
        guess = f" (did you mean '{close[0]}'?)" if close else ""
        raise AddError(f"--from-file: '{unknown[0]}' is not a table of the format{guess}; the tables are {', '.join(TABLES)}")
    count = sum(len(entries) if isinstance(entries, list) else 1 for entries in parsed.values())
    return (text if text.endswith("\n") else text + "\n"), count


def add_entry(kind: str | None, assignments: list[str], to: str, given_paths: list[str], as_of: _dt.date,
              *, dry_run: bool = False, entries: tuple[str, int] | None = None) -> Added:
    """Check the ledger with the new entry appended to `to` (or the `entries` of `entries_of_file`, all
    at once); write it unless it makes the ledger worse (`Added.blocking`) or `dry_run`.

    Raises AddError on bad usage (the ledger paths hold no ledger, `to` is not one of its files...)
    and WriteFailed where the write could not be made.
    """
    if entries is not None:
        fields = None
        entry, count = entries
    elif kind not in TABLES:
        close = difflib.get_close_matches(kind or "", list(TABLES), n=1)
        guess = f" (did you mean '{close[0]}'?)" if close else ""
        raise AddError(f"'{kind}' is not a table of the format{guess}; the tables are {', '.join(TABLES)}")
    else:
        fields, written = read_entry(kind, assignments)
        count, entry = 1, entry_text(kind, fields, written)
    found = find_files(ledger_paths(given_paths))
    if not found.missing:
        keep_ledgers(found, [(path, read_or_problem(path)) for path in found.files])
    if found.missing:
        raise AddError("; ".join(f"no ledger at the path '{path}' (no such file, or no *.toml below it)"
                                 for path in found.missing))
    target = _file_of_the_ledger(to, found.files)
    real = os.path.realpath(target)
    with contextlib.nullcontext() if dry_run else _locked(real):
        _checkpoint("locked")
        try:
            raw = read_bytes(target)
        except UnreadableFile as exc:
            raise WriteFailed(f"cannot read '{to}': {exc}") from None
        candidate, line = appended(raw, entry)
        added = Added(entry, check_files(found.files, as_of, replaced={target: candidate}), target, line, count=count)
        added.opened.problems = [_explained(problem, added, kind) for problem in added.opened.problems]
        if added.opened.errors:  # which of them the entry makes: those the ledger did not have without it
            added.before = check_files(found.files, as_of, replaced={target: raw}).problems
        if added.blocking or dry_run:
            return added
        if fields is not None and tomllib.loads(entry, parse_float=Decimal) != {kind: [fields]}:  # tomli-w round-trips; make sure
            raise WriteFailed(f"the entry would not read back as given: {entry!r}")
        _checkpoint("checked")
        _replace(real, raw, candidate, to)
        added.written = True
        return added


def _explained(problem: Problem, added: Added, kind: str | None) -> Problem:
    """Say in plain words why TOML refuses a [[kind]] table after `kind = [...]` (tomllib's words are its own)."""
    if kind is not None and problem.code == TOML_SYNTAX.name and (problem.file, problem.line) == (added.path, added.line) \
            and "immutable namespace" in problem.message:
        return problem._replace(
            message=f"the file writes its {kind} entries inline ({kind} = [...]), and TOML allows no "
                    f"[[{kind}]] table after that",
            hint=f"add the entry to another file of the ledger, or write the file's {kind} entries as [[{kind}]] tables")
    return problem


def _file_of_the_ledger(to: str, files: list[str]) -> str:
    """The ledger's own name for the file `to` names (the same file, however it is reached)."""
    if os.path.isdir(to):
        raise AddError(f"--to: '{to}' is a folder; name the file to append to")
    if not os.path.isfile(to):
        raise AddError(f"--to: there is no file '{to}'; create it first (an empty file will do) inside the ledger")
    real = os.path.realpath(to)
    for path in files:
        if os.path.realpath(path) == real:
            return path
    raise AddError(f"--to: '{to}' is not a file of the ledger; its files are " + ", ".join(files))


@contextlib.contextmanager
def _locked(real: str) -> Iterator[None]:
    """Hold the lock of the file: flock on its folder, so that no lock file shows in `git status` or
    outlives a killed add (a lock dies with its process). The folder stays the same inode across the
    atomic rename, so every writer of the file meets the same lock. Where the folder cannot be locked
    (some network file systems), `.NAME.lock` beside the file, kept: removing it would let two writers
    hold two different locks."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        raise WriteFailed("cndledger add needs file locks (fcntl), which this system lacks") from None
    folder, name = os.path.split(real)
    lock, descriptor = folder, _lockable_folder(folder)
    if descriptor is None:
        lock = os.path.join(folder, f".{name}.lock")
        try:
            descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise WriteFailed(f"cannot create the lock file '{lock}': {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WriteFailed(f"another cndledger add has held '{lock}' for {LOCK_TIMEOUT_SECONDS} s") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _lockable_folder(folder: str) -> int | None:
    """A descriptor of the folder where flock works on it (held by another add counts), else None."""
    import fcntl

    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(descriptor, fcntl.LOCK_UN)
    except BlockingIOError:
        pass  # another add holds it: it works
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _replace(real: str, expected: bytes, candidate: bytes, shown: str) -> None:
    """Write `candidate` over `real` atomically, unless `real` no longer holds `expected`."""
    folder, name = os.path.split(real)
    try:
        before = os.stat(real)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteFailed(f"cannot write beside '{shown}': {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(candidate)
            handle.flush()
            _checkpoint("written")
            os.fsync(handle.fileno())
        _checkpoint("synced")
        os.chmod(temporary, stat.S_IMODE(before.st_mode))
        with contextlib.suppress(OSError):  # only root may give the file back to its owner
            if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
                os.chown(temporary, before.st_uid, before.st_gid)
        if _current_bytes(real) != expected:
            raise WriteFailed(f"'{shown}' changed while the entry was being checked; run the command again")
        os.replace(temporary, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteFailed(f"cannot write '{shown}': {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _checkpoint("renamed")
    _sync_folder(folder)


def _current_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (on systems that can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _checkpoint(point: str) -> None:
    """Where a test may kill the process ($CNDLEDGER_TEST_KILL_AT), or, in-process, step in."""
    if os.environ.get(KILL_AT_VARIABLE) == point:
        os.kill(os.getpid(), signal.SIGKILL)
