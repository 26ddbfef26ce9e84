"""From paths to a Ledger: find the files, parse them, validate each table. Never raises on bad data.

Problems with the files themselves (syntax, unknown tables and keys, values of the wrong form)
are returned in `Ledger.problems`; checks across entries live in `checks.py`.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Any

from cndledger.core.ledger import Ledger
from cndledger.format.codes import BAD_VALUE, MISSING_KEY, TOML_SYNTAX, UNKNOWN_KEY, UNREADABLE_FILE
from cndledger.format.problems import Location, Problem
from cndledger.format.records import FIGURE_KEYS, RECORDS, VALUE_FIELDS, Budget
from cndledger.format.suggest import did_you_mean as _did_you_mean
from cndledger.format.suggest import nearest
from cndledger.read.rawfile import UnreadableFile
from cndledger.read.rawfile import read_bytes as read_file_bytes
from cndledger.read.source import SourceFile

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from cndledger.format.models import Entry
    from cndledger.format.record import Record
    from cndledger.read.locate import EntryPosition

    Document = dict[str, Any]  # a TOML document, or one of its tables: whatever the file holds




def read_bytes(path: str) -> bytes | Problem:
    """The bytes of a ledger file (`rawfile.read_bytes`: a regular file, within the size limit), or the problem."""
    try:
        return read_file_bytes(path)
    except UnreadableFile as exc:
        return UNREADABLE_FILE.problem(str(exc), Location(path, 1))


def load_contents(contents: list[tuple[str, bytes | Problem]]) -> Ledger:
    """The ledger of files already read: each path with its bytes (or the problem of reading it)."""
    ledger = Ledger()
    validator = _Validator(ledger)
    for path, raw in contents:
        _load_file(ledger, validator, path, raw)
    if ledger.budgets:
        ledger.problems.extend(_budget_problems(ledger))
    return ledger


def _load_file(ledger: Ledger, validator: _Validator, path: str, raw: bytes | Problem) -> None:
    """One file's entries into the ledger. Its tables are freed on return, before the next file is read,
    so that their memory holds the next file's (fewer pages to ask of the system); a large file is read
    in parts (`_parts`) for the same reason, where that gives what reading it whole gives."""
    source = _decoded(path, raw, ledger.problems)
    ledger.files.append(source)
    if source.text is None:
        return
    assert not isinstance(raw, Problem)  # (the text was decoded from it)
    parts = _parts(source.text, raw)
    if parts is not None and _load_parts(ledger, validator, source, source.text, parts):
        source.keep_bytes_only(raw)
        return
    data = _parsed(source, raw, ledger.problems)
    if data is None:
        return
    tables = {key: value for key, value in data.items()
              if key in RECORDS and isinstance(value, list) and all(map(isinstance, value, repeat(dict)))}
    source.entry_counts = {kind: len(items) for kind, items in tables.items()}
    for key, value in data.items():
        if key not in tables:
            ledger.problems.append(_not_a_table(source, key, value))
    for kind, items in tables.items():
        validator.add(kind, source, items)


# A file this large is read in parts of about `_PART_SIZE` characters, each cut before a line that opens
# an array of tables (`[[expense]]`), parsed and turned into records one after the other: the tables of
# one part at a time, never those of the whole file, so that the memory of one part's holds the next one's.
_PARTS_FROM = 1 << 18
_PART_SIZE = 1 << 16
_BLANK_OR_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")


def _parts(text: str, raw: bytes) -> list[tuple[int, int]] | None:
    """Where the text's parts start and end, or None where it is read whole (small, or something but comments before its
    first `[[table]]`: a key there could be an array that a later part's header must not add to).

    Read part by part, a ledger reads as it reads whole (`_load_parts` holds each part to it): a part
    that opens or adds to a table of an earlier part's entry (`[entry.sub]`, `[[entry.sub]]`) makes
    it a table at the top, not an array of tables; a cut inside a multi-line string or array leaves the
    part before it unterminated. Either sends the file to be read whole."""
    if len(text) < _PARTS_FROM or not _toml_rs_installed() or not _nests_shallowly(raw):
        return None
    first = 0 if text.startswith("[[") else text.find("\n[[") + 1
    if not first and not text.startswith("[[") or _BLANK_OR_COMMENTS.fullmatch(text, 0, first) is None:
        return None
    cuts = [0]
    while (cut := text.find("\n[[", cuts[-1] + _PART_SIZE)) >= 0:
        cuts.append(cut + 1)
    return [*zip(cuts, [*cuts[1:], len(text)])]


def _toml_rs_installed() -> bool:
    try:
        import toml_rs  # noqa: F401 - here, not above: a ledger from the cache is never parsed
    except ImportError:
        return False
    return True


def _fast_loads(text: str) -> Document:
    """The document, by toml_rs (installed: `_toml_rs_installed`), read as TOML 1.0 with floats as `Decimal`."""
    import toml_rs

    document: Document = toml_rs.loads(text, parse_float=Decimal, toml_version="1.0.0")
    return document


def _load_parts(ledger: Ledger, validator: _Validator, source: SourceFile, text: str,
                parts: list[tuple[int, int]]) -> bool:
    """The file's entries into the ledger, part by part; False, with the ledger as before, where a part
    does not parse (the file is then read whole, which words the fault or finds none)."""
    counts = {kind: len(ledger.entries_of(kind)) for kind in RECORDS}
    problems, unvalidated = len(ledger.problems), {kind: set(names) for kind, names in ledger.unvalidated_names.items()}
    entry_counts: dict[str, int] = {}
    for start, end in parts:
        try:
            data = _fast_loads(text[start:end])
            if not all(isinstance(items, list) and all(map(isinstance, items, repeat(dict))) for items in data.values()):
                raise ValueError("a table at the top: it may belong to an entry of an earlier part")
        except Exception:  # noqa: BLE001 - any fault: the whole file is read again, and judged whole
            for kind, count in counts.items():
                del ledger.entries_of(kind)[count:]
            del ledger.problems[problems:]
            ledger.unvalidated_names = unvalidated
            return False
        for kind, items in data.items():
            first = entry_counts.get(kind, 0)
            entry_counts[kind] = first + len(items)
            if kind in RECORDS:
                validator.add(kind, source, items, first)
        del data
    source.entry_counts = {kind: count for kind, count in entry_counts.items() if kind in RECORDS}
    for key in entry_counts:
        if key not in RECORDS:
            ledger.problems.append(_not_a_table(source, key, None))
    source.parsed = True
    return True


def _budget_problems(ledger: Ledger) -> list[Problem]:
    """What makes a `[[budget]]` entry's values wrong once its project is known: a period of the wrong
    fiscal-year form for the project's fiscal_year_start (`bad-value`, at the key), a revision of a
    line that has no original (`missing-key`, at its header)."""
    from cndledger.checks.budgets import describe_line
    from cndledger.core.budget import LineKey, budget_periods, line_key
    from cndledger.format.periods import Period, PeriodError

    problems: list[Problem] = []
    originals: set[LineKey] = set()
    revised: dict[LineKey, Budget] = {}  # the first revision of each line
    for entry, period in zip(ledger.budgets, budget_periods(ledger)):
        if isinstance(period, PeriodError):
            problems.append(BAD_VALUE.problem(f"'period' in [[budget]]: {period.message}", entry.at_key("period"),
                                              hint=period.hint))
        elif isinstance(period, Period):
            key = line_key(entry, period)
            if entry.revision is None:
                originals.add(key)
            else:
                revised.setdefault(key, entry)
    for key, entry in revised.items():
        if key not in originals:
            problems.append(MISSING_KEY.problem(
                f"{describe_line(entry.project, entry.period, entry.category, entry.cluster)} has a revision but no "
                "original: every line needs an entry without 'revision', its original amount", entry.at,
                hint="add the line's original [[budget]]: the same project, period, category and cluster, without "
                     "revision"))
    return problems


def _not_a_table(source: SourceFile, key: str, value: object) -> Problem:
    positions = source.positions()
    where = Location(source.path, positions.top_keys.get(key, (1, 0))[0])
    if key not in RECORDS:
        if positions.tables.get(key):
            where = Location(source.path, positions.tables[key][0].line)
        return UNKNOWN_KEY.problem(f"unknown table '{key}'{_did_you_mean(key, RECORDS)}", where,
                                   hint="the tables are " + ", ".join(f"[[{k}]]" for k in RECORDS))
    return BAD_VALUE.problem(f"'{key}' must be an array of tables, written [[{key}]]", where)


_LINE_COLUMN = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse(text: str, raw: bytes) -> Document:
    """The TOML document of `text` (decoded from `raw`): read by toml_rs where it is installed (it is many times faster); by tomllib
    where toml_rs is not installed or finds any fault, so that problems keep tomllib's words.

    Both read TOML 1.0 and give floats to `Decimal` as written, so amounts stay exact
    (`test_fast_paths` compares them on generated documents).
    """
    if _toml_rs_installed() and _nests_shallowly(raw):
        try:
            return _fast_loads(text)
        except Exception:  # noqa: BLE001, S110 - any fault: let tomllib judge and word it
            pass
    import tomllib  # only where toml_rs is missing or finds a fault

    return tomllib.loads(text, parse_float=Decimal)


def _toml_fault(exc: ValueError) -> bool:
    """Whether tomllib found the text malformed (it raised: it is imported; no need to import it before)."""
    tomllib = sys.modules.get("tomllib")
    return tomllib is not None and isinstance(exc, tomllib.TOMLDecodeError)


_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_MAX_FAST_DEPTH = 32  # a ledger nests three deep at most


def _nests_shallowly(raw: bytes) -> bool:
    """Whether brackets nest at most `_MAX_FAST_DEPTH` deep: toml_rs overflows its stack (a segmentation
    fault, no exception) on arrays nested some thousands deep, so such a text goes to tomllib, which
    raises RecursionError. Each pass removes the innermost pairs, at C speed; brackets inside strings
    that leave the text unbalanced send it to tomllib too, which is only slower."""
    brackets = raw.translate(None, _NOT_BRACKETS)
    for _ in range(_MAX_FAST_DEPTH):
        if not brackets:
            return True
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(brackets):
            return False
        brackets = shorter
    return not brackets


def _decoded(path: str, raw: bytes | Problem, problems: list[Problem]) -> SourceFile:
    """The file with its text, where it was read and is UTF-8 (else with the problem said)."""
    source = SourceFile(path)
    if isinstance(raw, Problem):
        problems.append(raw)
        return source
    try:
        source.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(path, raw, exc))
    return source


def _parsed(source: SourceFile, raw: bytes, problems: list[Problem]) -> Document | None:
    """The TOML document of the decoded file, or None with its problem said."""
    path, text = source.path, source.text or ""
    try:
        data = _parse(text, raw)
    except RecursionError:
        problems.append(TOML_SYNTAX.problem("invalid TOML: values are nested too deeply to read",
                                            Location(path, _deeply_nested_line(text))))
        return None
    except ValueError as exc:
        problems.append(_syntax_problem(path, text, exc))
        return None
    except MemoryError:
        problems.append(UNREADABLE_FILE.problem("the file is too large to read into memory", Location(path, 1)))
        return None
    source.parsed = True
    return data


def _syntax_problem(path: str, text: str, exc: ValueError) -> Problem:
    line: int | None
    if _toml_fault(exc):
        message = str(exc)
        found = _LINE_COLUMN.search(message)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, None)
        message = _LINE_COLUMN.sub("", message).strip()
        place = f" at line {line}, column {column}" if column is not None else ""
        return TOML_SYNTAX.problem(
            f"invalid TOML{place}: {message[0].lower() + message[1:]}", Location(path, line, column),
            hint=_syntax_hint(text, line))
    # An integer of thousands of digits: Python refuses to convert it.
    line = _long_number_line(text)
    message = "a number has too many digits to read" if line else str(exc)
    return TOML_SYNTAX.problem(f"invalid TOML: {message}", Location(path, line or 1))


def _syntax_hint(text: str, line: int) -> str | None:
    """A hint that leads to the fix for what people most often write that TOML refuses: an amount
    with thousands separators or a currency sign (`70,000`, `$70,000`), a date as `30/06/2005` or
    `June 2005`, a look-alike space; else None (the code's own hint)."""
    from cndledger.format.dates import date_advice
    from cndledger.format.values import amount_advice, unusual_characters

    lines = text.split("\n")
    shown = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    _, equals, value = shown.partition("=")
    value = value.split(" #")[0].strip()
    if equals and value:
        advice = amount_advice(value) or date_advice(value)
        if advice is not None:
            return advice
    unusual = unusual_characters(shown)
    if unusual:
        return f"the line holds {unusual}, which looks like a space: type a plain space, or none, in its place"
    return None


def _not_utf8(path: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """The file is not UTF-8: say which encoding it looks saved in, and to save it as UTF-8. (There is
    no line of text to show, so no caret to point at.)"""
    line = raw[: exc.start].count(b"\n") + 1
    message = f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read)"
    head = raw[:200]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") * 4 >= len(head) > 0:
        return TOML_SYNTAX.problem(f"{message}: it is UTF-16 text", Location(path, 1),
                                   hint="save it as UTF-8 (the editor's Save As, encoding UTF-8; or "
                                        "iconv -f UTF-16 -t UTF-8)")
    byte = raw[exc.start]
    looks = bytes([byte]).decode("cp1252", errors="replace")
    as_latin = f": at line {line}, byte 0x{byte:02X}, which Latin-1 (or Windows-1252) reads as '{looks}'"
    return TOML_SYNTAX.problem(f"{message}{as_latin}", Location(path, line),
                               hint="save it as UTF-8 (the editor's Save As, encoding UTF-8; or "
                                    "iconv -f LATIN1 -t UTF-8)")


_REPORTED_DEPTH = 100  # where tomllib gave up on nesting, the line passing this depth is shown


def _deeply_nested_line(text: str) -> int:
    """The line where brackets first nest deeper than any ledger needs (strings and comments skipped roughly)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        quote = None
        for ch in line:
            if quote:
                quote = None if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > _REPORTED_DEPTH:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
    return 1


def _long_number_line(text: str) -> int | None:
    found = re.search(r"[0-9_]{4000,}", text)
    return text.count("\n", 0, found.start()) + 1 if found else None


class _Validator:
    """Validates entries into records: by the generated plans (`plans.py`) where they vouch for an
    entry, else by its Pydantic model, whose verdict and messages stand.

    The models (and Pydantic) are imported only when a plan refuses an entry: a ledger of plainly
    valid entries is read without them."""

    def __init__(self, ledger: Ledger) -> None:
        from cndledger.format.plans import builders

        self.ledger = ledger
        self.builders = builders()  # one set per reading: texts interned, ids and dates judged once each

    def add(self, kind: str, source: SourceFile, items: list[Document], start: int = 0) -> None:
        """The entries of `items` (of one kind in one file, from its `start`-th) into the ledger."""
        entries = self.ledger.entries_of(kind)

        def refused(index: int, item: Document) -> None:
            entry = self._by_pydantic(kind, source, index, item)
            if entry is not None:
                entries.append(entry)

        self.builders[kind](items, source, entries, refused, start)

    def _by_pydantic(self, kind: str, source: SourceFile, index: int, item: Document) -> Record | None:
        from pydantic import ValidationError

        from cndledger.format.models import TABLES as MODELS

        model = MODELS[kind]
        try:
            valid = model.model_validate(item)
        except ValidationError as exc:
            self.ledger.problems.extend(_problems_of(exc, model, source.path, source.positions().entry(kind, index)))
            self.ledger.unvalidated_names.setdefault(kind, set()).update(_names_of(item))
            return None
        record: Callable[..., Record] = RECORDS[kind]  # a named tuple: its values in order
        return record(source, index, *(getattr(valid, name) for name in VALUE_FIELDS[kind]))


def _names_of(item: Document) -> list[str]:
    """The names an entry that failed validation would have answered to (its id, a party's aliases)."""
    aliases = item.get("aliases")
    names = [item.get("id"), *(aliases if isinstance(aliases, list) else [])]
    return [name for name in names if isinstance(name, str) and name]


def _problems_of(exc: ValidationError, model: type[Entry], path: str, position: EntryPosition) -> list[Problem]:
    table = f"[[{model.kind}]]"
    from cndledger.format.tables import BY_KIND

    fields = [key.name for key in BY_KIND[model.kind].keys]  # as the TOML writes them (`from`, not the field)
    problems = []
    unknown = [str(detail["loc"][0]) for detail in exc.errors() if detail["type"] == "extra_forbidden" and detail["loc"]]
    for detail in exc.errors(include_url=False):
        key = str(detail["loc"][0]) if detail["loc"] else detail.get("ctx", {}).get("key", "")
        line, column = position.keys.get(key, (position.line, 0))
        where = Location(path, line, column or None)
        kind = detail["type"]
        if kind == "missing_figure":
            problems.append(MISSING_KEY.problem(detail["msg"], Location(path, position.line)))
        elif kind == "conflicting_keys":
            ident = _entry_id(detail)
            problems.append(BAD_VALUE.problem(f"{table}{f' {ident!r}' if ident else ''}: {detail['msg']}", where))
        elif kind == "extra_forbidden":
            problems.append(UNKNOWN_KEY.problem(f"unknown key '{key}' in {table}{_did_you_mean(key, fields)}", where,
                                                hint=f"the keys of {table} are " + ", ".join(fields)))
        elif kind == "missing":
            required = [key.name for key in BY_KIND[model.kind].keys if key.required]
            problems.append(MISSING_KEY.problem(
                f"{table} has no '{key}'; every {model.kind} needs " + ", ".join(required),
                Location(path, position.line), hint=_missing_key_hint(key, table, unknown, position)))
        else:
            problems.append(BAD_VALUE.problem(f"'{key}' in {table}: {_plain(detail)}", where,
                                              hint=_own_hint(detail) or _value_hint(key, detail.get("input"), model.kind)))
    return problems


_DATE_KEYS = {"date", "start", "end", "due", "done", "not_before"}
_AMOUNT_KEYS = {"amount", "budget", "value", "monthly_value"}


def _own_hint(detail: ErrorDetails) -> str | None:
    """The hint a value's own rule gave with its error (a period's: `periods.PeriodError`)."""
    error = (detail.get("ctx") or {}).get("error") if detail["type"] == "value_error" else None
    return getattr(error, "hint", None)


def _value_hint(key: str, value: object = None, kind: str = "") -> str | None:
    if key == "amount" and kind == "expense":
        return "write an amount as a bare number, never zero: 211_000 or 70000.50, or -250.50 for a credit note"
    if kind == "rate" and key == "date":
        return "write the day the rate applies from as 2005-03-01 (no quotes needed): a rate's date is a day"
    if kind == "rate" and key in ("from", "to"):
        return "write an ISO 4217 code in capitals, such as USD or PKR; 'from' and 'to' differ"
    if key == "rate":
        return "write the rate as a bare number above zero, at most 15 significant digits: 59.72 (no quotes)"
    if key in _DATE_KEYS:
        if isinstance(value, str):
            from cndledger.format.dates import date_advice

            advice = date_advice(value)
            if advice is not None:
                return advice  # 30/06/2005: "write 2005-06-30"
        return 'write a day as 2005-02-15 (no quotes needed), a month as "2005-02", a year as "2004"'
    if key in _AMOUNT_KEYS:
        return "write an amount as a bare number above zero: 211_000 or 70000.50, no quotes, no currency sign"
    if key in FIGURE_KEYS:
        return "write the asserted figure as a bare number: 141_000 or -250.50, no quotes"
    if key == "currency":
        return "write an ISO 4217 code in capitals, such as USD or PKR"
    if key == "revision":
        return "write the day of the revision as 2005-02-15 (no quotes needed)"
    if key == "support_cost_rate":
        return "write a share from 0 to 1: 0.13 for 13 %"
    if key == "min_spent":
        return "write a share from 0 to 1: 0.5 means half of what was released"
    return None


def _missing_key_hint(key: str, table: str, unknown: list[str], position: EntryPosition) -> str:
    misspelt = nearest(key, unknown)
    if misspelt is not None:
        return f"'{misspelt}' at line {position.key_line(misspelt)} looks like it, misspelt: write it '{key}'"
    return f"add the line '{key} = …' under this {table} header"


def _entry_id(detail: ErrorDetails) -> str:
    data = detail.get("input")
    return str(data.get("id", "")) if isinstance(data, dict) else ""


def _plain(detail: ErrorDetails) -> str:
    """Pydantic's message, said as a ledger writer would understand it."""
    from cndledger.format.values import describe

    kind, value = detail["type"], detail.get("input")
    if kind == "value_error":
        return str(detail["ctx"]["error"])
    if kind == "literal_error":
        expected = detail["ctx"]["expected"]
        options = [option.strip().strip("'") for option in re.split(r",| or ", expected) if option.strip()]
        guess = _did_you_mean(str(value), options) if isinstance(value, str) else ""
        return f"expected one of {expected}, got {describe(value)}{guess}"
    if kind == "string_type":
        return f"expected text in quotes, got {describe(value)}"
    if kind == "list_type":
        return f'expected a list such as ["a", "b"], got {describe(value)}'
    if kind == "string_pattern_mismatch":
        guess = f"; did you mean '{value.upper()}'?" if isinstance(value, str) and len(value) == 3 else ""
        return f"expected a currency code of three capitals such as USD, got {describe(value)}{guess}"
    if len(detail["loc"]) > 1:  # inside a list
        return f"item {int(detail['loc'][1]) + 1}: {detail['msg'].lower()}, got {describe(value)}"
    return f"{detail['msg'].lower()}, got {describe(value)}"
