"""One file of a ledger as read: its path, its text, and where its entries and keys stand (found when asked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cndledger.read.locate import FilePositions


# Plain classes, not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
class SourceFile:
    """One file of the ledger: its path as the user named it (a folder joined with the file's relative
    path), its text, whether it parsed, and how many entries of each kind it has."""

    __slots__ = ("path", "_text", "parsed", "entry_counts", "_raw", "_positions")

    def __init__(self, path: str, text: str | None = None, parsed: bool = False,
                 entry_counts: dict[str, int] | None = None, raw: bytes | None = None) -> None:
        self.path = path
        self._text = text
        self.parsed = parsed
        self.entry_counts = {} if entry_counts is None else entry_counts  # kind -> how many entries
        self._raw = raw  # its bytes, decoded into `text` when first asked
        # Where entries and keys stand, and its lines: found when a problem first asks (most runs never do).
        self._positions: FilePositions | None = None

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r}, parsed={self.parsed})"

    @property
    def text(self) -> str | None:
        """The file's text; None where it could not be read or decoded."""
        if self._text is None and self._raw is not None:
            try:
                self._text = self._raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                pass
            self._raw = None
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text = value

    def keep_bytes_only(self, raw: bytes) -> None:
        """Let go of the decoded text of a large file once it is read (its bytes are kept anyway): it is
        decoded again where a problem asks where something stands (most runs never do)."""
        if self._positions is None and self._text is not None:
            self._text, self._raw = None, raw

    def positions(self) -> FilePositions:
        if self._positions is None:
            from cndledger.read.locate import FilePositions  # only when a problem asks where something stands

            self._positions = FilePositions(self.text or "", self.entry_counts)
        return self._positions

    def entry_line(self, kind: str, index: int) -> int:
        return self.positions().entry_line(kind, index)

    def key_position(self, kind: str, index: int, key: str) -> tuple[int, int]:
        """The line and column of a key of an entry; the entry's line (column 0) where it has no such key."""
        position = self.positions().entry(kind, index)
        return position.keys.get(key, (position.line, 0))

    def line_text(self, line: int) -> str:
        return self.positions().line_text(line)
