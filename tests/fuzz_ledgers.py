"""Ledgers generated from the format (LEDGER-FORMAT.md) for fuzzing, and the invariants every run keeps.

`valid_ledgers()` draws a ledger valid by construction together with what its figures must be;
`fuzz_cases()` draws either such a ledger or a mutation of one: keys dropped or renamed, values of
the wrong type, references that lead nowhere, entries duplicated, and lines cut, duplicated,
deleted or swapped, bytes inserted, files truncated. `violations(case, folder)` writes a case into
`folder`, runs the command line in-process and returns every broken invariant (none when all hold):

- every command exits 0, 1 or 2, and never raises (no traceback);
- every problem names one of the files written and a line inside it;
- `check` exits 1 exactly when it reports an error; `balance` prints figures exactly when no error
  leaves them undefined, and its exit code agrees with `check`;
- figures satisfy the identities (outstanding = committed − released, available = released − spent,
  gap = budget − committed, a party's figures add up to the project's, a parent holds its children);
- a valid ledger checks without an error, and its figures are those computed here from the entries.

Used by tests/test_fuzz.py (a few hundred examples) and by bench/fuzz (as many as asked).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import string
import traceback
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from functools import partial
from pathlib import Path

import tomli_w
import typer.main
import typer.testing
from hypothesis import strategies as st
from typer.testing import CliRunner

from cndledger.cli.app import app

MINOR_UNITS = {"USD": 2, "PKR": 2, "JPY": 0, "KWD": 3}
FIRST_DAY, LAST_DAY = _dt.date(1995, 1, 1).toordinal(), _dt.date(2030, 12, 31).toordinal()
FILE_NAMES = ["a.toml", "b.toml", "sub/c.toml"]
NOWHERE = "NO-SUCH-ID"


# ------------------------------------------------------------------------------------ values ---

@dataclass(frozen=True)
class GenDate:
    written: object  # a datetime.date, or a string of a day, a month or a year
    first: _dt.date
    last: _dt.date


@st.composite
def dates(draw, earliest: _dt.date | None = None) -> GenDate:
    """A date on or after `earliest` (its whole period is), written in any of the format's forms."""
    low = max(FIRST_DAY, earliest.toordinal()) if earliest else FIRST_DAY
    day = _dt.date.fromordinal(draw(st.integers(low, max(low, LAST_DAY))))
    form = draw(st.sampled_from(["date", "date", "date", "text", "month", "year"]))
    if form == "month" and day.replace(day=1).toordinal() >= low:
        first = day.replace(day=1)
        following = _dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return GenDate(day.strftime("%Y-%m"), first, following - _dt.timedelta(days=1))
    if form == "year" and _dt.date(day.year, 1, 1).toordinal() >= low:
        return GenDate(str(day.year), _dt.date(day.year, 1, 1), _dt.date(day.year, 12, 31))
    return GenDate(day.isoformat() if form == "text" else day, day, day)


def amount_of(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places)


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
names = st.text(string.ascii_letters + string.digits + " -'\"#[]{}=\\.,é€", min_size=1, max_size=16)


# ------------------------------------------------------------------------------------ ledger ---

@dataclass
class Ledger:
    """Entries as (kind, fields) in ledger order per file, with what the oracle needs to know."""

    files: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    currency: dict[str, str] = field(default_factory=dict)
    budget: dict[str, Decimal | None] = field(default_factory=dict)
    party_of_name: dict[str, str] = field(default_factory=dict)  # id or alias -> id
    commitments: dict[str, tuple[str, str, GenDate, Decimal]] = field(default_factory=dict)  # project, party, date, amount
    releases: list[tuple[str, GenDate, Decimal]] = field(default_factory=list)  # commitment, date, amount
    expenses: list[tuple[str, GenDate, Decimal]] = field(default_factory=list)
    inkind: list[tuple[str, GenDate, GenDate | None, Decimal | None, Decimal | None]] = field(default_factory=list)
    dates: list[GenDate] = field(default_factory=list)

    def entries(self) -> list[tuple[str, dict]]:
        return [entry for name in sorted(self.files) for entry in self.files[name]]


@st.composite
def valid_ledgers(draw) -> Ledger:
    ledger = Ledger()
    entries: list[tuple[str, dict]] = []

    def add(kind: str, fields: dict) -> None:
        entries.append((kind, fields))

    for index in range(draw(st.integers(1, 3))):
        party = f"PARTY-{index}"
        fields: dict = {"id": party, "name": draw(names)}
        ledger.party_of_name[party] = party
        if draw(st.booleans()):
            fields["aliases"] = [f"ALIAS-{index}-{n}" for n in range(draw(st.integers(0, 2)))]
            ledger.party_of_name.update({alias: party for alias in fields["aliases"]})
        if draw(st.booleans()):
            fields["type"] = draw(st.sampled_from(["government", "multilateral", "private", "ngo", "academic", "other"]))
        add("party", fields)
    party_names = sorted(ledger.party_of_name)

    projects: list[str] = []
    clusters: dict[str, list[str]] = {}
    for index in range(draw(st.integers(1, 4))):
        project = draw(st.sampled_from([f"P{index}", f"US/PAK/0{index}/099", f"p.{index}-x"]))
        parent = draw(st.sampled_from([None, *projects]))
        currency = ledger.currency[parent] if parent else draw(st.sampled_from(sorted(MINOR_UNITS)))
        fields = {"id": project, "title": draw(names), "currency": currency}
        if parent:
            fields["parent"] = parent
        budget = None
        if draw(st.booleans()):
            budget = amount_of(draw(st.integers(1, 10**9)), draw(st.integers(0, MINOR_UNITS[currency])))
            fields["budget"] = budget
        if draw(st.booleans()):
            start = draw(dates())
            ledger.dates.append(start)
            fields["start"] = start.written
            if draw(st.booleans()):
                fields["end"] = draw(dates(start.first)).written
        if draw(st.booleans()):
            fields["executing"] = draw(st.sampled_from(party_names))
        clusters[project] = draw(st.lists(st.sampled_from(["health", "wash", "shelter", "food"]), unique=True, max_size=3))
        if clusters[project] or draw(st.booleans()):
            fields["clusters"] = clusters[project]
        if draw(st.booleans()):
            fields["note"] = draw(texts)
        projects.append(project)
        ledger.parent[project], ledger.currency[project], ledger.budget[project] = parent, currency, budget
        add("project", fields)

    milestones: list[str] = []
    for index in range(draw(st.integers(0, 2))):
        fields = {"id": f"M{index}", "project": draw(st.sampled_from(projects)), "title": draw(names)}
        for key in ("due", "done"):
            if draw(st.booleans()):
                fields[key] = draw(dates()).written
        milestones.append(fields["id"])
        add("milestone", fields)

    tranches: list[str] = []
    for index in range(draw(st.integers(0, 4))):
        commitment = f"C-{index}"
        project = draw(st.sampled_from(projects))
        places = draw(st.integers(0, MINOR_UNITS[ledger.currency[project]]))
        units = draw(st.integers(1, 10**9))
        date = draw(dates())
        party = draw(st.sampled_from(party_names))
        fields = {"id": commitment, "project": project, "party": party, "date": date.written,
                  "amount": amount_of(units, places)}
        if draw(st.booleans()):
            fields["currency"] = ledger.currency[project]
        if draw(st.booleans()):
            fields["instrument"] = draw(st.sampled_from(["grant", "trust-fund", "counterpart", "cost-sharing", "parallel", "other"]))
        ledger.commitments[commitment] = (project, ledger.party_of_name[party], date, amount_of(units, places))
        ledger.dates.append(date)
        add("commitment", fields)

        left = units  # of the commitment, for its tranches and, separately, for its releases
        capacity: dict[str, int] = {}
        for number in range(draw(st.integers(0, 2))):
            if left == 0:
                break
            tranche, share = f"T-{index}-{number}", draw(st.integers(1, left))
            left -= share
            fields = {"id": tranche, "commitment": commitment, "amount": amount_of(share, places)}
            if draw(st.booleans()):
                fields["due"] = draw(dates()).written
            if tranches and draw(st.booleans()):
                fields["after"] = draw(st.lists(st.sampled_from(tranches), unique=True, max_size=2))
            if milestones and draw(st.booleans()):
                fields["requires"] = draw(st.lists(st.sampled_from(milestones), unique=True, max_size=2))
            if draw(st.booleans()):
                fields["min_spent"] = draw(st.sampled_from([0, 1, Decimal("0.5"), Decimal("0.25")]))
            if draw(st.booleans()):  # a counterpart: never released below, so never unmatched
                fields["matched_by"] = draw(st.sampled_from(sorted(ledger.commitments)))
            else:
                capacity[tranche] = share
            tranches.append(tranche)
            add("tranche", fields)

        left = units
        for number in range(draw(st.integers(0, 3))):
            if left == 0:
                break
            tranche = draw(st.sampled_from([None, *[t for t, c in capacity.items() if c > 0]]))
            share = draw(st.integers(1, min(left, capacity[tranche]) if tranche else left))
            left -= share
            released = draw(dates(date.first))
            fields = {"commitment": commitment, "date": released.written, "amount": amount_of(share, places)}
            if tranche:
                capacity[tranche] -= share
                fields["tranche"] = tranche
            if draw(st.booleans()):
                fields["id"] = f"R-{index}-{number}"
            if draw(st.booleans()):
                fields["reference"] = draw(texts)
            ledger.releases.append((commitment, released, amount_of(share, places)))
            ledger.dates.append(released)
            add("release", fields)

    for index in range(draw(st.integers(0, 3))):
        project = draw(st.sampled_from(projects))
        places = draw(st.integers(0, MINOR_UNITS[ledger.currency[project]]))
        spent = amount_of(draw(st.integers(1, 10**8)), places)
        date = draw(dates())
        fields = {"project": project, "date": date.written, "amount": spent}
        if draw(st.booleans()):
            fields["id"] = f"E-{index}"
        if clusters[project] and draw(st.booleans()):
            fields["cluster"] = draw(st.sampled_from(clusters[project]))
        if draw(st.booleans()):
            fields["category"] = draw(names)
        ledger.expenses.append((project, date, spent))
        ledger.dates.append(date)
        add("expense", fields)

    for index in range(draw(st.integers(0, 2))):
        project = draw(st.sampled_from(projects))
        places = draw(st.integers(0, MINOR_UNITS[ledger.currency[project]]))
        start = draw(dates())
        fields = {"id": f"K-{index}", "project": project, "party": draw(st.sampled_from(party_names)),
                  "description": draw(names), "nature": draw(st.sampled_from(["goods", "services"])),
                  "start": start.written}
        end = draw(st.none() | dates(start.first))
        if end is not None:
            fields["end"] = end.written
        value = monthly = None
        valued = draw(st.sampled_from(["value", "monthly_value", None]))
        if valued == "value":
            value = fields["value"] = amount_of(draw(st.integers(1, 10**8)), places)
        elif valued == "monthly_value":
            monthly = fields["monthly_value"] = amount_of(draw(st.integers(1, 10**6)), places)
        ledger.inkind.append((project, start, end, value, monthly))
        ledger.dates.append(start)
        add("inkind", fields)

    for _ in range(draw(st.integers(0, 2))):  # asserts that hold: their figures come from the oracle
        project = draw(st.sampled_from(projects))
        date = draw(dates())
        figures = expected_figures(ledger, date.last)[project]
        keys = draw(st.lists(st.sampled_from(["committed", "released", "outstanding", "spent", "available"]),
                             unique=True, min_size=1))
        add("assert", {"project": project, "date": date.written, **{key: figures[key] for key in keys}})

    # Any kind in any file, in any order: only the order of projects among siblings shows in reports.
    placement = draw(st.lists(st.sampled_from(FILE_NAMES), min_size=len(entries), max_size=len(entries)))
    order = draw(st.permutations(range(len(entries)))) if len(entries) <= 40 else range(len(entries))
    for index in order:
        ledger.files.setdefault(placement[index], []).append(entries[index])
    return ledger


# ------------------------------------------------------------------------------------ oracle ---

def _subtree(ledger: Ledger, project: str) -> set[str]:
    found = {project}
    changed = True
    while changed:
        changed = False
        for child, parent in ledger.parent.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


def _months_accrued(start: GenDate, end: GenDate | None, day: _dt.date) -> int:
    """Calendar months from start's month to end's month (both included) ended on or before `day`."""
    count = 0
    year, month = start.last.year, start.last.month
    while end is None or (year, month) <= (end.last.year, end.last.month):
        following = _dt.date(year + month // 12, month % 12 + 1, 1)
        if following > day + _dt.timedelta(days=1):  # the month's last day is after `day`
            break
        count += 1
        year, month = following.year, following.month
    return count


def expected_figures(ledger: Ledger, day: _dt.date) -> dict[str, dict]:
    """Every project's figures as of `day`, children included, from the entries alone."""
    result = {}
    for project in ledger.parent:
        tree = _subtree(ledger, project)
        committed = {c: v for c, v in ledger.commitments.items() if v[0] in tree and v[2].last <= day}
        parties: dict[str, list[Decimal]] = {}
        for _, party, _, amount in committed.values():
            parties.setdefault(party, [Decimal(0), Decimal(0)])[0] += amount
        released = Decimal(0)
        for commitment, date, amount in ledger.releases:
            if commitment in committed and date.last <= day:
                released += amount
                parties[committed[commitment][1]][1] += amount
        spent = sum((a for p, d, a in ledger.expenses if p in tree and d.last <= day), Decimal(0))
        valued, unvalued = Decimal(0), 0
        for p, start, end, value, monthly in ledger.inkind:
            if p not in tree or start.last > day:
                continue
            if value is not None:
                valued += value
            elif monthly is not None:
                valued += monthly * _months_accrued(start, end, day)
            else:
                unvalued += 1
        total_committed = sum((v[3] for v in committed.values()), Decimal(0))
        result[project] = {
            "committed": total_committed, "released": released, "spent": spent,
            "outstanding": total_committed - released, "available": released - spent,
            "inkind_valued": valued, "inkind_unvalued": unvalued, "budget": _budget(ledger, project),
            "by_party": {party: (c, r) for party, (c, r) in parties.items()},
        }
    return result


def _budget(ledger: Ledger, project: str) -> Decimal | None:
    if ledger.budget[project] is not None:
        return ledger.budget[project]
    children = [_budget(ledger, child) for child, parent in ledger.parent.items() if parent == project]
    children = [budget for budget in children if budget is not None]
    return sum(children, Decimal(0)) if children else None


# ---------------------------------------------------------------------------------- writing ---

@st.composite
def layouts(draw) -> dict:
    return {"crlf": draw(st.integers(0, 3)) == 0, "bom": draw(st.integers(0, 5)) == 0,
            "grouped": draw(st.integers(0, 3)) == 0, "comments": draw(st.booleans()),
            "multiline": draw(st.booleans()), "final_newline": draw(st.integers(0, 5)) != 0}


def write_text(entries: list[tuple[str, dict]], layout: dict) -> bytes:
    """Each entry under its own [[kind]] header; or, grouped, as tomli-w writes a whole document
    (short tables inline: `kind = [{...}, ...]`)."""
    if layout["grouped"]:
        grouped: dict[str, list[dict]] = {}
        for kind, fields in entries:
            grouped.setdefault(kind, []).append(fields)
        text = tomli_w.dumps(grouped, multiline_strings=layout["multiline"])
    else:
        chunks = []
        for number, (kind, fields) in enumerate(entries):
            if layout["comments"] and number % 2:
                chunks.append(f"# entry {number}: [[{kind}]] = 'not a table' \"#\"\n")
            chunks.append(f"[[{kind}]]\n" + tomli_w.dumps(fields, multiline_strings=layout["multiline"]))
        text = "\n".join(chunks)
    if not layout["final_newline"]:
        text = text.rstrip("\n")
    if layout["crlf"]:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if layout["bom"] else b"") + text.encode("utf-8")


# -------------------------------------------------------------------------------- mutations ---

WRONG_VALUES = st.one_of(
    st.sampled_from(["", " ", "2005-13", "Feb 2005", "usd", "XXX", NOWHERE, "70000", "-1", "1e999999999"]),
    st.integers(-(10**30), 10**30), st.sampled_from([0, -1, 10**18, 10**400]),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("0.001"),
                     Decimal("1E+400"), Decimal("-0.5"), Decimal("1.5"), Decimal("1E-999999999")]),
    st.decimals(allow_nan=True, allow_infinity=True), st.floats(),
    st.booleans(), st.dates(), st.datetimes(), st.times(),
    st.lists(st.integers() | st.text(max_size=3), max_size=3), st.just([[[]]]),
    st.dictionaries(st.sampled_from(["a", "id"]), st.integers(), max_size=2), texts,
)


TOML_LITERALS = [
    "1e999999999", "-1e999999999", "1e-999999999", "9" * 400, "9" * 5000, "0." + "0" * 400 + "1", "nan", "-inf",
    "+inf", "-0", "0x7f", "0o17", "0b101", "1_000_000", "1__0", "07", "1.", ".5", "1e", "true", "2005-02-30",
    "2005-02-28T10:00:00", "10:00:00", "2005-02-28 10:00", '"2005-02"', '"0000"', '"9999-12"', "0001-01-01",
    "9999-12-31", '""', "''", '"""a\nb"""', "'''x'''", "[]", "[1, 'a']", "[[]]", "{}", "{ a = 1 }",
    "[" * 2000 + "]" * 2000, '"\\u0000"', '"\\ud800"', '"\\U0010FFFF"', '"\\x"', "'\\'",
]


def _typo(key: str, draw) -> str:
    how = draw(st.sampled_from(["drop", "double", "swap", "upper", "suffix"]))
    at = draw(st.integers(0, max(0, len(key) - 1)))
    if how == "drop" and len(key) > 1:
        return key[:at] + key[at + 1:]
    if how == "swap" and len(key) > 1 and at < len(key) - 1:
        return key[:at] + key[at + 1] + key[at] + key[at + 2:]
    if how == "upper":
        return key.upper()
    if how == "double":
        return key[:at] + key[at] + key[at:]
    return key + draw(st.sampled_from(["_", "s", "-x", " "]))


REFERENCES = {"project": "project", "parent": "project", "party": "party", "executing": "party",
              "commitment": "commitment", "matched_by": "commitment", "tranche": "tranche", "after": "tranche",
              "requires": "milestone"}
DATE_KEYS = ("date", "start", "end", "due", "done", "not_before")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


@st.composite
def mutate_entries(draw, ledger: Ledger) -> None:
    """Change one entry in place (or add one): the ways a hand-edited ledger goes wrong."""
    files = [name for name, entries in ledger.files.items() if entries]
    name = draw(st.sampled_from(files))
    entries = ledger.files[name]
    index = draw(st.integers(0, len(entries) - 1))
    kind, fields = entries[index]
    fields = dict(fields)
    keys = list(fields)
    numbers = [key for key in keys if _is_number(fields[key])]
    dated = [key for key in keys if key in DATE_KEYS]
    refs = [key for key in keys if key in REFERENCES]
    how = draw(st.sampled_from(["drop", "rename", "wrong", "wrong", "nowhere", "other", "duplicate", "table",
                                "kind", "number", "date", "currency", "cycle"]))
    if how == "drop" and keys:
        del fields[draw(st.sampled_from(keys))]
    elif how == "rename" and keys:
        key = draw(st.sampled_from(keys))
        fields = {(_typo(k, draw) if k == key else k): v for k, v in fields.items()}
    elif how == "wrong" and keys:
        fields[draw(st.sampled_from(keys))] = draw(WRONG_VALUES)
    elif how == "number" and numbers:
        key = draw(st.sampled_from(numbers))
        change = draw(st.sampled_from([Decimal(1000), Decimal("1.0001"), Decimal(-1), Decimal(0)]))
        with localcontext(traps=[]):  # a value an earlier mutation made inf or 1e999999 stays what it becomes
            fields[key] = Decimal(fields[key]) * change
    elif how == "date" and dated:
        fields[draw(st.sampled_from(dated))] = draw(dates()).written
    elif how == "currency":
        fields["currency"] = draw(st.sampled_from(sorted(MINOR_UNITS)))
    elif how in ("nowhere", "other") and refs:
        key = draw(st.sampled_from(refs))
        if how == "nowhere":
            named = NOWHERE
        else:  # another entry of the right kind: a tranche of another commitment, a parent below...
            ids = [f.get("id") for k, f in ledger.entries() if k == REFERENCES[key] and f.get("id")]
            named = draw(st.sampled_from(ids)) if ids else NOWHERE
        fields[key] = [named] if isinstance(fields[key], list) else named
    elif how == "duplicate":
        entries.insert(draw(st.integers(0, len(entries))), (kind, dict(fields)))
    elif how == "table":
        entries.insert(draw(st.integers(0, len(entries))), (_typo(kind, draw), dict(fields)))
    elif how == "kind":
        kind = draw(st.sampled_from(["party", "project", "commitment", "tranche", "release", "inkind", "expense",
                                     "milestone", "assert"]))
    elif how == "cycle" and kind == "project":
        fields["parent"] = fields["id"]
    elif how == "cycle" and kind == "tranche":
        fields["after"] = [fields["id"]]
    entries[index] = (kind, fields)


@st.composite
def mutate_text(draw, raw: bytes) -> bytes:
    """Change the bytes of one file: lines cut, duplicated, deleted, swapped; bytes inserted or lost."""
    lines = raw.split(b"\n")
    how = draw(st.sampled_from(["cut", "duplicate", "delete", "swap", "insert", "bytes", "truncate", "cr", "value"]))
    at = draw(st.integers(0, len(lines) - 1))
    if how == "cut":
        lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    elif how == "duplicate":
        lines.insert(at, lines[at])
    elif how == "delete" and len(lines) > 1:
        del lines[at]
    elif how == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif how == "insert":
        text = draw(st.text("[]{}=\"'#.,\n abc1-_:\\\t\r", min_size=1, max_size=8)).encode()
        column = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:column] + text + lines[at][column:]
    elif how == "bytes":
        column = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:column] + draw(st.binary(min_size=1, max_size=4)) + lines[at][column:]
    elif how == "value" and b" = " in raw:  # a value in a form tomli-w never writes
        at = draw(st.sampled_from([number for number, line in enumerate(lines) if b" = " in line]))
        lines[at] = lines[at].split(b" = ")[0] + b" = " + draw(st.sampled_from(TOML_LITERALS)).encode()
    elif how == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    elif how == "cr":
        return raw.replace(b"\n", b"\r", 1) if draw(st.booleans()) else raw.replace(b"\n", b"\r\r\n")
    return b"\n".join(lines)


# ------------------------------------------------------------------------------------ cases ---

@dataclass
class Case:
    files: dict[str, bytes]
    as_of: str
    ledger: Ledger | None  # the valid ledger whose figures are known; None once mutated
    add: tuple[str, str, list[str]] | None = None  # `cndledger add KIND --to FILE KEY=VALUE...` to run
    tranche: str = NOWHERE  # the tranche `release-check` asks about

    def describe(self) -> str:
        shown = "\n".join(f"--- {name} ---\n{raw.decode('utf-8', 'backslashreplace')}" for name, raw in self.files.items())
        command = f"add {self.add}\n" if self.add else ""
        return f"{command}as of {self.as_of}, valid: {self.ledger is not None}\n{shown}"


@st.composite
def as_of_days(draw, ledger: Ledger) -> str:
    if ledger.dates and draw(st.booleans()):
        date = draw(st.sampled_from(ledger.dates))
        return draw(st.sampled_from([date.first, date.last, date.last + _dt.timedelta(days=1)])).isoformat()
    return draw(dates()).last.isoformat()


@st.composite
def valid_cases(draw) -> Case:
    ledger = draw(valid_ledgers())
    layout = draw(layouts())
    files = {name: write_text(entries, layout) for name, entries in ledger.files.items()}
    return Case(files, draw(as_of_days(ledger)), ledger, tranche=draw(tranche_ids(ledger)))


def tranche_ids(ledger: Ledger) -> st.SearchStrategy[str]:
    return st.sampled_from([NOWHERE, *(str(f.get("id")) for kind, f in ledger.entries() if kind == "tranche")])


@st.composite
def mutated_cases(draw) -> Case:
    ledger = draw(valid_ledgers())
    in_entries, in_text = draw(st.sampled_from([(1, 0), (2, 0), (3, 0), (0, 1), (0, 2), (1, 1)]))
    for _ in range(in_entries):
        draw(mutate_entries(ledger))
    layout = draw(layouts())
    files = {name: write_text(entries, layout) for name, entries in ledger.files.items()}
    for _ in range(in_text):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(mutate_text(files[name]))
    return Case(files, draw(as_of_days(ledger)), None, tranche=draw(tranche_ids(ledger)))


def fuzz_cases() -> st.SearchStrategy[Case]:
    return st.one_of(valid_cases(), mutated_cases(), mutated_cases())


@st.composite
def assignments(draw, ledger: Ledger, kind: str) -> list[str]:
    """KEY=VALUE texts for an entry of `kind`: keys of the table (some misspelt), values that are
    ids of the ledger, dates, amounts, or any of the forms a hand typing them might produce."""
    from cndledger.format.models import TABLES

    keys = list(TABLES[kind].model_fields) if kind in TABLES else ["id", "amount"]
    ids = [str(fields.get("id")) for _, fields in ledger.entries() if fields.get("id")] or [NOWHERE]
    values = st.one_of(
        st.sampled_from(ids), st.sampled_from(ids).map(lambda name: f'["{name}"]'),
        dates().map(lambda date: str(date.written) if isinstance(date.written, _dt.date) else f'"{date.written}"'),
        st.integers(1, 10**9).map(str), st.sampled_from(["40_000", "70000.50", "0.5", "USD", "JPY", "goods"]),
        st.sampled_from(TOML_LITERALS), names, texts,
    )
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    pairs = [(_typo(key, draw) if draw(st.integers(0, 9)) == 0 else key, draw(values)) for key in chosen]
    return [f"{key}={value}" for key, value in pairs] + draw(st.lists(texts, max_size=1))


@st.composite
def plausible_assignments(draw, ledger: Ledger, kind: str) -> list[str]:
    """KEY=VALUE texts of an entry that is right where the ledger allows it (a release may still
    exceed its commitment, a project's currency differ from its parent's...)."""
    projects, commitments = sorted(ledger.parent), sorted(ledger.commitments)
    day = draw(dates())
    when = str(day.written) if isinstance(day.written, _dt.date) else f'"{day.written}"'
    amount = draw(st.sampled_from(["1", "40_000", "12.5", "70000"]))
    note = draw(st.sampled_from([[], [f"note={draw(names)}"], ['note="a # not a comment"']]))
    new_id = f"id=NEW-{draw(st.integers(0, 3))}"
    if kind == "party":
        return [new_id, f"name={draw(names)}", *note]
    if kind == "project":
        parent = draw(st.sampled_from([[], [f"parent={draw(st.sampled_from(projects))}"]]))
        return [new_id, "title=A project", f"currency={draw(st.sampled_from(sorted(MINOR_UNITS)))}", *parent, *note]
    if kind == "expense" or (kind in ("commitment", "release") and not commitments):
        return [f"project={draw(st.sampled_from(projects))}", f"date={when}", f"amount={amount}", *note]
    if kind == "commitment":
        party = draw(st.sampled_from(sorted(ledger.party_of_name)))
        return [new_id, f"project={draw(st.sampled_from(projects))}", f"party={party}", f"date={when}",
                f"amount={amount}", *note]
    if kind == "release":
        commitment = draw(st.sampled_from(commitments))
        day = draw(dates(ledger.commitments[commitment][2].first))
        return [f"commitment={commitment}", f"date={day.last.isoformat()}", "amount=1", *note]
    return [new_id, f"project={draw(st.sampled_from(projects))}", "title=Report delivered", *note]  # a milestone


@st.composite
def add_cases(draw) -> Case:
    """A valid ledger and an `add` to run on it: the entry is right or wrong in any way."""
    case = draw(valid_cases())
    kind = draw(st.sampled_from(["party", "project", "commitment", "tranche", "release", "inkind", "expense",
                                 "milestone", "assert", "relase", "Release"]))
    target = draw(st.sampled_from(sorted(case.files) + ["outside.toml"]))
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["party", "project", "commitment", "release", "expense", "milestone"]))
        case.add = (kind, target, draw(plausible_assignments(case.ledger, kind)))
    else:
        case.add = (kind, target, draw(assignments(case.ledger, kind)))
    case.ledger = None
    return case


# ------------------------------------------------------------------------------- invariants ---

_COMMAND = typer.main.get_command(app)


def run(*args: str) -> tuple[int, str, str, str | None]:
    """Run the command line in-process: exit code, stdout, stderr, and the traceback if it raised."""
    building = typer.testing._get_command
    typer.testing._get_command = lambda _: _COMMAND  # Typer rebuilds the command at every call: 8 ms
    try:
        result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    finally:
        typer.testing._get_command = building
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, result.stdout, result.stderr, crash


def write_case(case: Case, folder: str) -> dict[str, bytes]:
    """Write the files; return them by the path cndledger will name them with."""
    written = {}
    for name, raw in case.files.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(raw)
        written[path] = raw
    return written


_PROBLEM_LINE = re.compile(r"^(.+?):(\d+): (?:error|warning)\[[a-z-]+\]: ", re.MULTILINE)


def add_violations(case: Case, folder: str, observe=None) -> list[str]:
    """`add` exits 0, 1 or 2 without raising; it changes nothing unless it exits 0, and then only
    appends to its file, and the ledger still checks; every problem it shows is in the ledger."""
    written = write_case(case, folder)
    kind, target, pairs = case.add
    code, _, err, crash = run("add", kind, "-f", folder, "--to", os.path.join(folder, target), *pairs)
    if crash:
        return [f"add raised:\n{crash}"]
    found = [] if code in (0, 1, 2) else [f"add exited {code}"]
    if observe is not None:
        observe(code, [{"code": match.group(0).split("[")[1].split("]")[0]} for match in _PROBLEM_LINE.finditer(err)])
    after = {path: Path(path).read_bytes() for path in written}
    changed = [path for path in written if after[path] != written[path]]
    if code != 0 and changed:
        found.append(f"add exited {code} and changed {changed}")
    if code == 0:
        appended_to = os.path.join(folder, target)
        if changed != [appended_to] or not after[appended_to].startswith(written[appended_to]):
            found.append(f"add changed {changed} where it should only have appended to {appended_to}")
        checked = run("check", folder)
        if checked[0] != 0:
            found.append(f"the ledger no longer checks after add:\n{checked[1]}")
    for match in _PROBLEM_LINE.finditer(err):
        path, line = match.group(1), int(match.group(2))
        if path not in written:
            found.append(f"add showed a problem in a file of no ledger: {match.group(0)}")
        elif line > written[path].count(b"\n") + 2 + len(pairs) + 2 + 30:  # the entry: header, keys, lists
            found.append(f"add showed a problem past the end of its file and entry: {match.group(0)}")
    return found


def violations(case: Case, folder: str, observe=None) -> list[str]:
    """The invariants `case` breaks; `observe(exit_code, problems)` sees what `check` found."""
    if case.add is not None:
        return add_violations(case, folder, observe)
    written = write_case(case, folder)
    found: list[str] = []
    outcomes = {}
    for args in (("check", "--format", "json"), ("check",), ("balance", "--json")):
        code, out, err, crash = outcomes[" ".join(args)] = run(*args, "--as-of", case.as_of, folder)
        if crash:
            return [f"{' '.join(args)} raised:\n{crash}"]
        if code not in (0, 1, 2):
            found.append(f"{' '.join(args)} exited {code}")
        if "Traceback" in out + err:
            found.append(f"{' '.join(args)} printed a traceback")
    code, out, _, _ = outcomes["check --format json"]
    try:
        problems = json.loads(out)["problems"]
    except (ValueError, KeyError):
        return found + [f"check --format json printed no JSON document: {out[:200]!r}"]
    if observe is not None:
        observe(code, problems)
    for problem in problems:
        raw = written.get(problem["file"])
        lines = None if raw is None else raw.count(b"\n") + 1
        if lines is None:
            found.append(f"problem in a file that was not written: {problem}")
        elif not 1 <= problem["line"] <= lines:
            found.append(f"problem outside its file of {lines} lines: {problem}")
    errors = [problem for problem in problems if problem["severity"] == "error"]
    if code != (1 if errors else 0):
        found.append(f"check exited {code} with {len(errors)} errors")
    from cndledger.format.codes import FATAL_CODES

    fatal = any(problem["code"] in FATAL_CODES for problem in errors)
    code, out, _, _ = outcomes["balance --json"]
    if code != (1 if errors else 0):
        found.append(f"balance exited {code} where check found {len(errors)} errors")
    if fatal != (out == ""):
        found.append(f"balance printed {'figures' if out else 'nothing'} with fatal errors {fatal}")
    if out:
        found += identity_violations(json.loads(out))
    if case.ledger is not None:
        if errors:
            found.append(f"a valid ledger has errors: {errors}")
        elif out:
            found += oracle_violations(json.loads(out), case.ledger, _dt.date.fromisoformat(case.as_of))
    again = run("check", "--format", "json", "--as-of", case.as_of, folder)  # now from the cache
    if again[:2] != outcomes["check --format json"][:2]:
        found.append(f"check from the cache answered otherwise than from the files:\n{again[1][:300]}")
    return found + report_violations(case, folder, errors, fatal) + parser_violations(written)


def parser_violations(written: dict[str, bytes]) -> list[str]:
    """The fast parser (toml_rs, where installed) reads every text as tomllib does, or leaves it to tomllib."""
    import tomllib

    from cndledger.read.load import _parse

    found = []
    for path, raw in written.items():
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        outcomes = []
        for parse in (partial(tomllib.loads, text, parse_float=Decimal), partial(_parse, text, raw)):
            try:
                outcomes.append(_canonical(parse()))
            except Exception as exc:  # noqa: BLE001 - any fault of either parser is an outcome here
                outcomes.append(("raised", type(exc).__name__ in ("TOMLDecodeError", "RecursionError", "ValueError")))
        if outcomes[0] != outcomes[1]:
            found.append(f"the parsers disagree on {path}: tomllib {str(outcomes[0])[:200]}, cndledger {str(outcomes[1])[:200]}")
    return found


def _canonical(value: object) -> object:
    """A value two parsers can be compared by (NaN equal to NaN, the order of keys aside)."""
    if isinstance(value, dict):
        return sorted((key, _canonical(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return type(value).__name__, repr(value)


def report_violations(case: Case, folder: str, errors: list[dict], fatal: bool) -> list[str]:
    """tranches, register and release-check on the same ledger: no crash, and the exit codes of the format."""
    found = []
    for report in ("tranches", "register"):
        code, out, _, crash = run(report, "--json", "--as-of", case.as_of, folder)
        if crash:
            return [f"{report} raised:\n{crash}"]
        if code != (1 if errors else 0) or fatal != (out == ""):
            found.append(f"{report} exited {code} and printed {len(out)} characters with errors {len(errors)}, fatal {fatal}")
        elif out:
            json.loads(out)
    code, out, _, crash = run("release-check", case.tranche, "--json", "--on", case.as_of, folder)
    if crash:
        return [f"release-check raised:\n{crash}"]
    if errors and code != 2:
        found.append(f"release-check exited {code} on a ledger with errors")
    elif code in (0, 1):
        answer = json.loads(out)
        holds = all(condition["holds"] for condition in answer["conditions"])
        if answer["releasable"] != holds or code != (0 if holds else 1):
            found.append(f"release-check exited {code} with releasable {answer['releasable']}, conditions holding {holds}")
    elif code != 2 or out:
        found.append(f"release-check exited {code} and printed {out[:100]!r}")
    if case.ledger is not None and not errors and case.tranche != NOWHERE and code == 2:
        found.append(f"release-check did not find tranche {case.tranche!r} of a valid ledger")
    return found


def identity_violations(balance: dict) -> list[str]:
    found = []
    by_id = {project["id"]: project for project in balance["projects"]}
    for project in balance["projects"]:
        figure = {key: Decimal(value) for key, value in project.items()
                  if key in ("budget", "committed", "released", "outstanding", "spent", "available", "gap",
                             "inkind_valued") and value is not None}
        where = f"project {project['id']!r}"
        if figure["outstanding"] != figure["committed"] - figure["released"]:
            found.append(f"{where}: outstanding is not committed - released")
        if figure["available"] != figure["released"] - figure["spent"]:
            found.append(f"{where}: available is not released - spent")
        if ("budget" in figure) != ("gap" in figure) or ("gap" in figure and figure["gap"] != figure["budget"] - figure["committed"]):
            found.append(f"{where}: gap is not budget - committed")
        for key in ("committed", "released", "outstanding"):
            if sum((Decimal(party[key]) for party in project["by_party"]), Decimal(0)) != figure[key]:
                found.append(f"{where}: the parties' {key} do not add up to the project's")
        children = [p for p in balance["projects"] if p["parent"] == project["id"]]
        for key in ("committed", "released", "spent", "inkind_valued"):
            if sum((Decimal(child[key]) for child in children), Decimal(0)) > figure[key]:
                found.append(f"{where}: its children's {key} is more than its own")
        if project["parent"] is not None and project["parent"] not in by_id:
            found.append(f"{where}: its parent is not listed")
    return found


def oracle_violations(balance: dict, ledger: Ledger, day: _dt.date) -> list[str]:
    expected = expected_figures(ledger, day)
    found = []
    if sorted(p["id"] for p in balance["projects"]) != sorted(expected):
        return [f"projects listed {[p['id'] for p in balance['projects']]}, expected {sorted(expected)}"]
    for project in balance["projects"]:
        want = expected[project["id"]]
        for key in ("committed", "released", "spent", "outstanding", "available", "inkind_valued", "budget"):
            got = None if project[key] is None else Decimal(project[key])
            if got != want[key]:
                found.append(f"project {project['id']!r}: {key} is {got}, expected {want[key]}")
        if project["inkind_unvalued"] != want["inkind_unvalued"]:
            found.append(f"project {project['id']!r}: {project['inkind_unvalued']} unvalued, expected {want['inkind_unvalued']}")
        parties = {p["party"]: (Decimal(p["committed"]), Decimal(p["released"])) for p in project["by_party"]}
        if parties != want["by_party"]:
            found.append(f"project {project['id']!r}: by party {parties}, expected {want['by_party']}")
    return found
