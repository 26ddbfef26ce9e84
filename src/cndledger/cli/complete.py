"""Ids for shell completion, read cheaply from the ledger's files (TOML only, no validation).

A completion runs on every Tab: it must be quick and must never raise, whatever the files hold.
"""

from __future__ import annotations

import tomllib

from cndledger.read.find import find_files, ledger_paths


def ids(given_paths: list[str], kind: str) -> list[tuple[str, str]]:
    """Each id of the `kind` tables (in ledger order, once) with a few words on it; [] on any trouble."""
    try:
        found: dict[str, str] = {}
        for path in find_files(ledger_paths(given_paths)).files:
            for item in _tables(path, kind):
                ident = item.get("id")
                if isinstance(ident, str) and ident and ident not in found:
                    found[ident] = _about(kind, item)
        return list(found.items())
    except Exception:  # noqa: BLE001 - a completion must not print a traceback into the shell
        return []


def _tables(path: str, kind: str) -> list[dict]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError, RecursionError, MemoryError):
        return []
    tables = data.get(kind)
    return [item for item in tables if isinstance(item, dict)] if isinstance(tables, list) else []


def _about(kind: str, item: dict) -> str:
    if kind == "tranche":
        return f"of commitment {item.get('commitment', '?')}"
    about = item.get("title", item.get("name", ""))
    return about if isinstance(about, str) else ""
