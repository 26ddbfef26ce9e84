"""Ids for shell completion, read cheaply from the ledger's files (TOML only, no validation).

A completion runs on every Tab: it must be quick and must never raise, whatever the files hold.
"""

from __future__ import annotations

import datetime as _dt
import tomllib

from cndledger.format.periods import fiscal_year_label, parse_period
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


def periods(given_paths: list[str], today: _dt.date | None = None) -> list[tuple[str, str]]:
    """What `--period` takes, with a few words on each: the periods of the `[[budget]]` lines (in ledger
    order, once), then the fiscal years of the projects that set a fiscal_year_start (theirs or a
    parent's), from each one's start to its end (else to today's); [] on any trouble."""
    try:
        found: dict[str, str] = {}
        projects: dict[str, dict] = {}
        for path in find_files(ledger_paths(given_paths)).files:
            data = _data(path)
            for line in _listed(data, "budget"):
                period = line.get("period")
                if isinstance(period, str) and period and period not in found:
                    found[period] = "the period of a budget line"
            for project in _listed(data, "project"):
                ident = project.get("id")
                if isinstance(ident, str) and ident not in projects:
                    projects[ident] = project
        fiscal: dict[str, str] = {}
        for ident, project in projects.items():
            start_month = _fiscal_year_start(ident, projects)
            if start_month is None:
                continue
            first = _month_of(project.get("start"), 1)
            if first is None:
                continue
            last = _month_of(project.get("end"), 12) or _month_of((today or _dt.date.today()).isoformat(), 12)
            assert last is not None
            for year in range(_fiscal_year_of(first, start_month), _fiscal_year_of(last, start_month) + 1):
                label = fiscal_year_label(year, start_month)
                if label not in found and label not in fiscal:
                    period = parse_period(label, start_month)
                    fiscal[label] = f"the fiscal year {period.first} to {period.last}"
        found.update(sorted(fiscal.items()))
        return list(found.items())
    except Exception:  # noqa: BLE001 - a completion must not print a traceback into the shell
        return []


def currencies(given_paths: list[str]) -> list[tuple[str, str]]:
    """The currencies the ledger names (ISO 4217 codes, each once, with where it is first named): those
    of the projects first, then those of entries and rates, in ledger order; [] on any trouble."""
    from cndledger.format.tables import CURRENCY, TABLES  # the registry: which keys name a currency

    try:
        keys = {table.kind: [key.name for key in table.keys if key.type == CURRENCY] for table in TABLES}
        found: dict[str, str] = {}
        named_by_entries: dict[str, str] = {}
        for path in find_files(ledger_paths(given_paths)).files:
            data = _data(path)
            for kind, names in keys.items():
                for item in _listed(data, kind):
                    for name in names:
                        code = item.get(name)
                        if isinstance(code, str) and code:
                            about = f"the currency of project {item.get('id')}" if kind == "project" \
                                else f"the {name} of a [[{kind}]]"
                            (found if kind == "project" else named_by_entries).setdefault(code, about)
        return [*found.items(), *((code, about) for code, about in named_by_entries.items() if code not in found)]
    except Exception:  # noqa: BLE001 - a completion must not print a traceback into the shell
        return []


def _fiscal_year_start(ident: str, projects: dict[str, dict]) -> int | None:
    """The project's fiscal_year_start, else its nearest ancestor's; None where none sets one."""
    seen: set[str] = set()
    while ident in projects and ident not in seen:
        seen.add(ident)
        month = projects[ident].get("fiscal_year_start")
        if isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12:
            return month
        parent = projects[ident].get("parent")
        if not isinstance(parent, str):
            return None
        ident = parent
    return None


def _month_of(value: object, month_of_a_year: int) -> tuple[int, int] | None:
    """(year, month) of a date as written (a TOML date, "2005-02-15", "2005-02", "2005"); None if none."""
    text = value.isoformat() if isinstance(value, _dt.date) else value
    if not isinstance(text, str) or len(text) < 4 or not text[:4].isdigit():
        return None
    if len(text) >= 7 and text[4] == "-" and text[5:7].isdigit() and 1 <= int(text[5:7]) <= 12:
        return int(text[:4]), int(text[5:7])
    return int(text[:4]), month_of_a_year


def _fiscal_year_of(year_month: tuple[int, int], start_month: int) -> int:
    """The year the fiscal year holding the month starts in."""
    year, month = year_month
    return year if month >= start_month else year - 1


def _tables(path: str, kind: str) -> list[dict]:
    return _listed(_data(path), kind)


def _data(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, ValueError, RecursionError, MemoryError):
        return {}


def _listed(data: dict, kind: str) -> list[dict]:
    tables = data.get(kind)
    return [item for item in tables if isinstance(item, dict)] if isinstance(tables, list) else []


def _about(kind: str, item: dict) -> str:
    if kind == "tranche":
        return f"of commitment {item.get('commitment', '?')}"
    about = item.get("title", item.get("name", ""))
    return about if isinstance(about, str) else ""
