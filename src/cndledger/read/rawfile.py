"""The bytes of one ledger file, read safely: a regular file (a named pipe would block the read),
no larger than a limit (a file takes some 40 times its size in memory once validated).
"""

from __future__ import annotations

import os
import stat


class UnreadableFile(Exception):
    """A ledger file that cannot be read; the message says why, in plain words."""


MAX_FILE_MB_VARIABLE = "CNDLEDGER_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 64  # some 13 times the largest file bench/generate.py writes (50,000 entries)


def max_file_bytes() -> int:
    """The limit for one file: $CNDLEDGER_MAX_FILE_MB megabytes (a positive number), else 64."""
    try:
        megabytes = float(os.environ.get(MAX_FILE_MB_VARIABLE, ""))
    except ValueError:
        megabytes = DEFAULT_MAX_FILE_MB
    if not 0 < megabytes < float("inf"):
        megabytes = DEFAULT_MAX_FILE_MB
    return int(megabytes * 1024 * 1024)


def read_bytes(path: str) -> bytes:
    """The bytes of a ledger file: a regular file of at most `max_file_bytes()`."""
    limit = max_file_bytes()
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a named pipe must not block
        with open(descriptor, "rb") as handle:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise UnreadableFile("cannot read the file: it is not a regular file")
            if status.st_size > limit:
                raise UnreadableFile(_too_large(status.st_size, limit))
            raw = handle.read(limit + 1)  # bounded, should the file grow meanwhile
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    except MemoryError:
        raise UnreadableFile("the file is too large to read into memory") from None
    if len(raw) > limit:
        raise UnreadableFile(_too_large(len(raw), limit))
    return raw


def _too_large(size: int, limit: int) -> str:
    return (f"the file is too large: {size / 1048576:.1f} MB, above the limit of {limit / 1048576:g} MB "
            f"for one file (split it, or set {MAX_FILE_MB_VARIABLE})")
