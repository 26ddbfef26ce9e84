"""The table registry (format/tables.py) is the one place a table kind is declared: every kind it
declares is in the models, the records, the plans, the JSON Schema, the ledger's lists, the cache,
the checks of precision and references, `add`'s table names and docs/format.md, each as declared."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

import cndledger.core.api
from cndledger.core import api
from cndledger.format import tables
from cndledger.format.tables import TABLES, Key, Table

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2005, 12, 31)
KINDS = [table.kind for table in TABLES]


def test_the_registry_declares_each_kind_once_with_keys_it_can_describe():
    assert len(set(KINDS)) == len(KINDS)
    for table in TABLES:
        names = [key.name for key in table.keys]
        assert len(set(names)) == len(names), table.kind
        assert table.description and all(key.description for key in table.keys), table.kind
        assert all(key.type in vars(tables).values() for key in table.keys), table.kind
        assert all(bool(key.choices) == (key.type == tables.CHOICE) for key in table.keys), table.kind
        assert all(key.refers in (*KINDS, tables.CLUSTER) for key in table.references), table.kind
        assert all(key.type in (tables.ID, tables.ID_LIST) for key in table.references if key.refers != tables.CLUSTER)
        # A record's values are its required keys, then its optional ones (the order a named tuple takes)
        required = [key.required for key in table.keys]
        assert required == sorted(required, reverse=True), table.kind


def test_each_rule_is_a_function_of_rules_py():
    from cndledger.format import rules

    for table in TABLES:
        for rule in table.rules:
            assert callable(getattr(rules, rule.function)), (table.kind, rule.function)


def test_the_files_generated_from_the_registry_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_plans.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_kind_has_its_model_with_the_declared_keys():
    from cndledger.format.models import TABLES as MODELS

    assert list(MODELS) == KINDS
    for table in TABLES:
        model = MODELS[table.kind]
        assert model.__name__ == table.record and model.kind == table.kind
        assert list(model.model_fields) == [key.field for key in table.keys]
        assert [field.is_required() for field in model.model_fields.values()] == [key.required for key in table.keys]


def test_every_kind_has_its_record_its_plan_and_its_list_in_the_ledger():
    from cndledger.core.ledger import Ledger
    from cndledger.format.plans import builders
    from cndledger.format.records import RECORDS, VALUE_FIELDS

    assert list(RECORDS) == KINDS and list(builders()) == KINDS
    empty = Ledger()
    for table in TABLES:
        record = RECORDS[table.kind]
        assert record.__name__ == table.record and record.kind == table.kind
        assert VALUE_FIELDS[table.kind] == tuple(key.field for key in table.keys)
        assert record.amount_keys == table.amount_keys
        assert getattr(empty, table.ledger_list) == [] and empty.entries_of(table.kind) is getattr(empty, table.ledger_list)


def test_every_kind_is_in_the_json_schema():
    from cndledger.format.schema import ledger_schema

    schema = ledger_schema()
    assert list(schema["properties"]) == KINDS
    for table in TABLES:
        definition = schema["definitions"][table.kind]
        assert definition["description"] == schema["properties"][table.kind]["description"] == table.description
        assert list(definition["properties"]) == [key.name for key in table.keys]
        for rule in table.rules:
            assert all(definition[name] == value for name, value in rule.schema.items())


def test_every_kind_is_a_table_add_knows():
    from cndledger.core import append

    assert list(append.TABLES) == KINDS


def test_every_kind_and_key_is_in_the_format_reference():
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for table in TABLES:
        section = text.split(f"### `[[{table.kind}]]`\n", 1)[1].split("\n### ", 1)[0]
        for key in table.keys:
            assert f"| `{key.name}` |" in section, (table.kind, key.name)


# One entry of each kind, each with every key it can have at once, all names resolving: a ledger
# made from the registry alone, so that a new kind is in it without a line here.

_WITHIN_THE_NET_COMMITMENT = {"decommitment": Decimal(1), "tranche": Decimal(99), "release": Decimal(99),
                              "refund": Decimal(99)}


def _sample_value(table: Table, key: Key) -> object:
    if key.is_id:
        return f"{table.kind}-1"
    if key.refers == tables.CLUSTER or key.type == tables.TEXT_LIST:
        return ["cluster-1"] if key.is_list else "cluster-1"
    if key.refers is not None:
        return [f"{key.refers}-1"] if key.is_list else f"{key.refers}-1"
    if key.type == tables.CHOICE:
        return key.choices[0]
    if key.name == "amount" and table.kind in _WITHIN_THE_NET_COMMITMENT:  # 100 committed, 1 decommitted
        return _WITHIN_THE_NET_COMMITMENT[table.kind]

    if key.is_alias:
        return [f"{table.kind}-alias"]
    if key.type == tables.RATE:  # a rate's own; an entry of the sample ledger is in its project's currency
        return Decimal("59.72") if table.kind == "rate" else None
    if table.kind == "rate" and key.name == "to":
        return "PKR"
    if key.type == tables.DAY and key.name != "revision":  # a budget's revision: alone, it has no original
        return dt.date(2005, 1, 1)
    return {
        tables.ID: "id-1", tables.TEXT: f"a {key.name}", tables.AMOUNT: Decimal(100), tables.FIGURE: Decimal(0), tables.CREDIT: Decimal(100),
        tables.DATE: dt.date(2005, 1, 1), tables.CURRENCY: "USD", tables.SHARE: Decimal("0.5"),
        tables.MONTH: 7, tables.PERIOD: "2005",
        tables.DAY: None,  # a budget's revision: alone, a revision without an original (missing-key)
    }[key.type]


def sample_entry(table: Table) -> dict[str, object]:
    """Every key of the table, but those that would name the entry itself (a cycle), and the last
    key its rules refuse with the others."""
    from pydantic import ValidationError

    from cndledger.format.models import TABLES as MODELS

    def valid(entry: dict[str, object]) -> bool:
        try:
            MODELS[table.kind].model_validate(tomllib.loads(tomli_w.dumps(entry), parse_float=Decimal))
        except ValidationError:
            return False
        return True

    entry = {key.name: value for key in table.keys if key.refers != table.kind
             and (value := _sample_value(table, key)) is not None}
    if valid(entry):
        return entry
    for key in reversed([key for key in table.keys if not key.required and key.name in entry]):
        fewer = {name: value for name, value in entry.items() if name != key.name}
        if valid(fewer):
            return fewer
    raise AssertionError(f"no sample of [[{table.kind}]]: teach _sample_value its keys")


def sample_ledger(changed: dict[str, dict[str, object]] | None = None) -> str:
    """The sample ledger as TOML; `changed` replaces keys of the entry of a kind."""
    entries = {table.kind: sample_entry(table) | (changed or {}).get(table.kind, {}) for table in TABLES}
    return tomli_w.dumps({kind: [entry] for kind, entry in entries.items()})


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ledger.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_sample_ledger_has_every_kind_and_reads_without_an_error(tmp_path):
    checked = api.check_files([_write(tmp_path, sample_ledger())], DAY)
    for table in TABLES:
        assert len(checked.ledger.entries_of(table.kind)) == 1, table.kind
    assert [problem.code for problem in checked.errors if problem.code != "assert-failed"] == []


def test_every_kind_comes_back_from_the_cache_as_it_was_read(tmp_path, monkeypatch):
    path = _write(tmp_path, sample_ledger())
    read = api.open_ledger([path], DAY)
    monkeypatch.setattr(cndledger.core.api, "load_contents", lambda contents: pytest.fail("not from the cache"))
    cached = api.open_ledger([path], DAY)
    assert [problem.message for problem in cached.problems] == [problem.message for problem in read.problems]
    for table in TABLES:
        (before,), (after,) = read.ledger.entries_of(table.kind), cached.ledger.entries_of(table.kind)
        assert type(after) is type(before) and tuple(after)[1:] == tuple(before)[1:], table.kind
        assert after.at == before.at, table.kind


def test_the_command_line_answers_the_same_from_the_cache(tmp_path):
    path = _write(tmp_path, sample_ledger())
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src")}
    env.pop("CNDLEDGER_NO_CACHE", None)
    runs = [subprocess.run([sys.executable, "-m", "cndledger", "balance", "-f", path, "--as-of", "2005-12-31",
                            "--json"], capture_output=True, text=True, env=env) for _ in range(2)]
    assert list((tmp_path / "cache" / "cndledger").iterdir()), "the first run wrote no cache"
    assert (runs[1].returncode, runs[1].stdout, runs[1].stderr) == (runs[0].returncode, runs[0].stdout, runs[0].stderr)
    assert json.loads(runs[0].stdout)["projects"]


AMOUNT_KEYS = [(table, name) for table in TABLES for name in table.amount_keys]


@pytest.mark.parametrize(("table", "name"), AMOUNT_KEYS, ids=[f"{t.kind}.{n}" for t, n in AMOUNT_KEYS])
def test_every_amount_key_is_held_to_its_currencys_places(tmp_path, table, name):
    if name not in sample_entry(table):
        pytest.skip(f"{table.kind}.{name} is left out of the sample by a rule")
    checked = api.check_files([_write(tmp_path, sample_ledger({table.kind: {name: Decimal("100.005")}}))], DAY)
    assert [problem.message.split(" in ")[0] for problem in checked.problems if problem.code == "bad-precision"] \
        == [f"'{name}' 100.005"]


REFERENCES = [(table, key) for table in TABLES for key in table.references if key.refers != table.kind]


@pytest.mark.parametrize(("table", "key"), REFERENCES, ids=[f"{t.kind}.{k.name}" for t, k in REFERENCES])
def test_every_reference_to_a_name_the_ledger_lacks_is_reported(tmp_path, table, key):
    value = ["nowhere"] if key.is_list else "nowhere"
    checked = api.check_files([_write(tmp_path, sample_ledger({table.kind: {key.name: value}}))], DAY)
    found = [problem for problem in checked.problems if problem.code == "unresolved-ref"]
    assert len(found) == 1 and "'nowhere'" in found[0].message, [problem.message for problem in checked.problems]
    assert found[0].line == checked.ledger.entries_of(table.kind)[0].at_key(key.name).line
