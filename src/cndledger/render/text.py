"""Writing text to a stream whose encoding may not hold every character (a Latin-1 or ASCII terminal)."""

from __future__ import annotations

import codecs
from typing import TextIO

# The characters we print ourselves, each with a plain spelling for a terminal that cannot show it.
# Anything else that does not fit (a name in a ledger) is written as an escape, `\u00e9`: exact,
# never a traceback.
PLAIN = {
    "\u2014": "-", "\u2013": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",  # dashes, minus
    "\u2713": "ok", "\u2714": "ok", "\u2717": "x", "\u2718": "x",  # check marks
    "\u2026": "...", "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=", "\u00d7": "x",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00b7": ".", "\u2022": "*",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",  # spaces
    "\u2500": "-", "\u2502": "|", "\u2501": "-", "\u2503": "|", "\u2574": "-", "\u2576": "-",  # box drawing (Rich)
}
ERRORS = "cndledger-plain"
_PLAIN_BY_CODE = {ord(character): spelled for character, spelled in PLAIN.items()}


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    out = []
    for character in text:
        spelled = PLAIN.get(character)
        if spelled is None:
            code = ord(character)
            spelled = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
        out.append(spelled)
    return "".join(out), error.end


codecs.register_error(ERRORS, _plain)


def plain_fallbacks(*streams: TextIO) -> None:
    """Let each stream write any text: what its encoding lacks is written plain (PLAIN) or escaped.
    Nothing changes on a UTF-8 stream, the usual case."""
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding in ("utf8", "utf8sig") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # a closed or detached stream: nothing will be written to it
            pass


def can_encode(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def write(text: str, stream: TextIO) -> None:
    """Write `text`; what the stream cannot encode is written plain (PLAIN), else as '?'. For an answer a
    script reads line by line (`release-check`), where an escape would lengthen a word."""
    if can_encode(stream, text):
        stream.write(text)
        return
    encoding = getattr(stream, "encoding", None) or "ascii"
    text = text.translate(_PLAIN_BY_CODE)
    try:
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    except LookupError:
        stream.write(text.encode("ascii", errors="replace").decode("ascii"))
