"""Rendering of results computed by the core: text tables, JSON, problem listings."""

# Control characters, and the marks that reorder text, from a ledger are shown as escapes, never
# sent to the terminal: a title holding ESC ] 0 ; ... BEL would otherwise retitle the window, or worse.
_UNPRINTABLE = {code: f"\\x{code:02x}" for code in [*range(9), *range(11, 32), 127, *range(0x80, 0xA0)]}
_UNPRINTABLE |= {code: f"\\u{code:04x}" for code in [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def printable(text: str) -> str:
    """The text with every control character but tab and newline written as an escape."""
    return text.translate(_UNPRINTABLE)
