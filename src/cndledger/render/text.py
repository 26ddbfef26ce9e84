"""Writing text to a stream whose encoding may not hold every character (a Latin-1 or ASCII terminal)."""

from __future__ import annotations

from typing import TextIO


def can_encode(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def write(text: str, stream: TextIO) -> None:
    """Write `text`; characters the stream cannot encode become '?' instead of an exception."""
    if can_encode(stream, text):
        stream.write(text)
        return
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    except LookupError:
        stream.write(text.encode("ascii", errors="replace").decode("ascii"))
