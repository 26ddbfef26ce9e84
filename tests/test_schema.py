"""`cndledger schema`: the JSON Schema of a ledger file, generated from the models, agrees with `check`."""

from __future__ import annotations

import datetime as _dt
import json
import math
import tomllib
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cndledger.format.codes import CODES as EXPLANATIONS
from cndledger.format.dates import parse_date
from cndledger.format.schema import ledger_schema_json
from cndledger.format.values import parse_amount
from conftest import COMMITMENT, PREAMBLE

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema" / "ledger.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
# The codes of problems in one file's own text, which a schema can see (not sums, references or precision).
SCHEMA_CODES = {"missing-key", "unknown-key", "bad-value"}


def as_taplo_sees(value):
    """A TOML value as an editor's JSON Schema validator sees it: dates and times as their text, numbers as numbers."""
    if isinstance(value, dict):
        return {key: as_taplo_sees(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_taplo_sees(item) for item in value]
    if isinstance(value, (_dt.date, _dt.time)):  # datetime.datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def schema_errors(text: str) -> list[str]:
    data = as_taplo_sees(tomllib.loads(text, parse_float=Decimal))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in VALIDATOR.iter_errors(data)]


def value_errors(definition: str, value) -> list[str]:
    validator = jsonschema.Draft7Validator({"$ref": f"#/definitions/{definition}", "definitions": SCHEMA["definitions"]})
    return [error.message for error in validator.iter_errors(as_taplo_sees(value))]


def test_the_committed_schema_is_the_one_the_models_generate(ledger):
    printed = ledger.run("schema")
    assert printed.exit_code == 0
    assert printed.stdout == ledger_schema_json()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed.stdout, (
        "schema/ledger.schema.json is stale: run `cndledger schema > schema/ledger.schema.json`")


def test_the_schema_is_a_valid_draft_07_schema_that_taplo_understands():
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert "$defs" not in json.dumps(SCHEMA)  # draft-07 keeps its definitions under "definitions"


def test_every_table_key_and_required_key_of_the_models_is_in_the_schema():
    from cndledger.format.models import TABLES

    assert SCHEMA["additionalProperties"] is False
    assert set(SCHEMA["properties"]) == set(TABLES)
    for kind, model in TABLES.items():
        table = SCHEMA["definitions"][kind]
        assert SCHEMA["properties"][kind]["items"] == {"$ref": f"#/definitions/{kind}"}
        assert table["additionalProperties"] is False
        assert list(table["properties"]) == [field.alias or name for name, field in model.model_fields.items()]
        assert table["required"] == [field.alias or name for name, field in model.model_fields.items()
                                     if field.is_required()]


def test_choices_are_enums_for_completion():
    definitions = SCHEMA["definitions"]
    assert definitions["party"]["properties"]["type"]["enum"] == [
        "government", "multilateral", "private", "ngo", "academic", "other"]
    assert definitions["inkind"]["properties"]["nature"]["enum"] == ["goods", "services"]
    assert "trust-fund" in definitions["commitment"]["properties"]["instrument"]["enum"]
    assert {"USD", "PKR", "JPY"} <= set(definitions["currency"]["enum"])


@pytest.mark.parametrize("path", sorted((ROOT / "ledgers").rglob("*.toml")), ids=lambda path: path.name)
def test_every_shipped_ledger_file_validates(path):
    assert schema_errors(path.read_text(encoding="utf-8")) == []


EVERY_KEY = PREAMBLE.replace('currency = "USD"', '''currency = "USD"
budget = 50_000.50
start = "2004"
end = "2006-12"
executing = "AGENCY"
clusters = ["Cutlery", "Fans"]
note = "all keys"''') + """
[[project]]
id = "P2"
title = "A child"
currency = "USD"
parent = "P1"

[[commitment]]
id = "C1"
project = "P1"
party = "OLD-DONOR"
date = 2005-01-10
amount = 40_000
currency = "USD"
instrument = "trust-fund"
agreement = "TF-1"

[[commitment]]
id = "C2"
project = "P1"
party = "AGENCY"
date = "2005-01"
amount = 5000
instrument = "counterpart"

[[milestone]]
id = "M1"
project = "P1"
title = "Report accepted"
due = 2005-06-30
done = 2005-02-20

[[tranche]]
id = "T1"
commitment = "C1"
amount = 20_000
due = 2005-03-31
not_before = 2005-02-01
requires = ["M1"]
min_spent = 0.5
matched_by = "C2"

[[tranche]]
id = "T2"
commitment = "C1"
amount = 20_000
after = ["T1"]

[[release]]
id = "R1"
commitment = "C1"
tranche = "T1"
date = 2005-03-01
amount = 20_000
reference = "TX-1"

[[release]]
commitment = "C2"
date = 2005-03-05
amount = 5000

[[inkind]]
id = "K1"
project = "P1"
party = "AGENCY"
description = "Office space"
nature = "services"
start = 2005-01-01
end = "2005-12"
monthly_value = 250
basis = "market rent"

[[expense]]
id = "E1"
project = "P1"
date = 2005-04-01
amount = 12_000.25
cluster = "Cutlery"
category = "training"

[[assert]]
project = "P1"
date = 2005-12-31
committed = 45_000
available = 12_999.75
source = "statement"
"""

TEST_LEDGERS = {"preamble": PREAMBLE, "a commitment": COMMITMENT, "every key": EVERY_KEY}
TEST_LEDGERS |= {f"{code} fixed": e.fixed for code, e in EXPLANATIONS.items() if e.fixed is not None}


@pytest.mark.parametrize("name", TEST_LEDGERS)
def test_every_test_ledger_validates_and_checks_clean(ledger, name):
    assert schema_errors(TEST_LEDGERS[name]) == []
    ledger.write("a.toml", TEST_LEDGERS[name])
    result = ledger.run("check", "--format", "json", "--as-of", "2005-12-31", "a.toml")
    assert result.json()["problems"] == []


@pytest.mark.parametrize("code", [code for code, e in EXPLANATIONS.items() if e.example and code != "toml-syntax"])
def test_the_schema_rejects_an_example_exactly_when_its_problem_is_in_the_file_text(code):
    errors = schema_errors(EXPLANATIONS[code].example)
    assert bool(errors) == (code in SCHEMA_CODES), errors


P1 = '[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\n'
RELEASE = '[[release]]\ncommitment = "C1"\ndate = 2005-02-01\n'

REJECTED = {
    # name: (file text, the error's path and words, the code `check` reports)
    "an unknown key": (P1 + "budgett = 5\n", "project/0: Additional properties", "unknown-key"),
    "an unknown table": (P1 + '[[relase]]\ncommitment = "C1"\n', ": Additional properties", "unknown-key"),
    "a missing amount": (RELEASE, "release/0: 'amount' is a required property", "missing-key"),
    "a negative amount": (RELEASE + "amount = -100\n", "release/0/amount: -100 is less than or equal to", "bad-value"),
    "a zero amount": (RELEASE + "amount = 0\n", "release/0/amount: 0 is less than or equal to", "bad-value"),
    "an amount written as text": (RELEASE + 'amount = "100"\n', "release/0/amount: '100' is not of type 'number'",
                                  "bad-value"),
    "a boolean amount": (RELEASE + "amount = true\n", "release/0/amount: True is not of type 'number'", "bad-value"),
    "an absurdly large amount": (RELEASE + "amount = 1e19\n", "release/0/amount:", "bad-value"),
    "a date-time": (RELEASE.replace("2005-02-01", "2005-02-01T10:00:00") + "amount = 1\n", "release/0/date:",
                    "bad-value"),
    "month 13": (RELEASE.replace("2005-02-01", '"2005-13"') + "amount = 1\n", "release/0/date:", "bad-value"),
    "a date in words": (RELEASE.replace("2005-02-01", '"Feb 2005"') + "amount = 1\n", "release/0/date:", "bad-value"),
    "a currency in small letters": (P1.replace("USD", "usd"), "project/0/currency: 'usd' is not one of", "bad-value"),
    "an unknown currency": (P1.replace("USD", "XYZ"), "project/0/currency: 'XYZ' is not one of", "bad-value"),
    "an unknown party type": ('[[party]]\nid = "D"\nname = "D"\ntype = "bank"\n', "party/0/type: 'bank' is not one of",
                              "bad-value"),
    "an empty id": ('[[party]]\nid = ""\nname = "D"\n', "party/0/id:", "bad-value"),
    "a blank id": ('[[party]]\nid = "  "\nname = "D"\n', "party/0/id:", "bad-value"),
    "a number as an id": ('[[party]]\nid = 7\nname = "D"\n', "party/0/id: 7 is not of type 'string'", "bad-value"),
    "an alias that is not text": ('[[party]]\nid = "D"\nname = "D"\naliases = [1]\n', "party/0/aliases/0:",
                                  "bad-value"),
    "a share above one": ('[[tranche]]\nid = "T"\ncommitment = "C"\namount = 5\nmin_spent = 1.5\n',
                          "tranche/0/min_spent: 1.5 is greater than the maximum of 1", "bad-value"),
    "a table instead of an array of tables": (P1.replace("[[project]]", "[project]"), "project: {", "bad-value"),
}


@pytest.mark.parametrize("name", REJECTED)
def test_the_schema_rejects_what_check_reports_in_the_file_text(ledger, name):
    text, expected, code = REJECTED[name]
    errors = schema_errors(text)
    assert any(error.startswith(expected) for error in errors), errors
    ledger.write("a.toml", text)
    assert code in {problem["code"] for problem in ledger.run("check", "--format", "json", "a.toml").json()["problems"]}


@pytest.mark.parametrize("text, code", [
    ('[[assert]]\nproject = "P1"\ndate = 2005-12-31\nsource = "no figure"\n', "missing-key"),
    (('[[inkind]]\nid = "K"\nproject = "P"\nparty = "D"\ndescription = "x"\nnature = "goods"\nstart = 2005-01-01\n'
      'value = 10\nmonthly_value = 1\n'), "bad-value"),
], ids=["an assert without a figure", "an in-kind with both value and monthly_value"])
def test_the_schema_says_the_rules_across_keys_of_a_table_as_the_models_do(ledger, text, code):
    assert schema_errors(text)
    ledger.write("a.toml", text)
    assert code in {problem["code"] for problem in ledger.run("check", "--format", "json", "a.toml").json()["problems"]}


def test_an_assert_may_hold_zero_and_negative_figures():
    assert schema_errors('[[assert]]\nproject = "P1"\ndate = 2005-12-31\navailable = -10\nspent = 0\n') == []


def _accepts(parse, value) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


amounts = st.one_of(
    st.integers(min_value=-10**20, max_value=10**20),
    st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=4, allow_nan=False),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=8), st.none(), st.dates(),
)


@given(amounts)
def test_the_schema_and_the_models_agree_on_amounts(value):
    if isinstance(value, Decimal) and value.is_nan():
        return  # JSON has no NaN, so no schema can refuse it; `check` does (bad-value)
    if isinstance(value, Decimal) and value.is_finite() and value != 0 and abs(value) < Decimal("1e-300"):
        return  # below what a float (JSON's number) holds: `check` reports it as bad-precision
    schema_accepts = not value_errors("amount", value)
    if isinstance(value, Decimal) and value.is_finite() and abs(value) >= Decimal("1e18"):
        float_value = float(value)
        assert not schema_accepts or math.isclose(float_value, 1e18)  # the float rounds at the boundary
        return
    assert schema_accepts == _accepts(parse_amount, value)


dates = st.one_of(
    st.dates(), st.datetimes(),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"), st.from_regex(r"\A[0-9-]{0,12}\Z"), st.text(max_size=12),
    st.integers(),
)


@given(dates)
def test_the_schema_and_the_models_agree_on_dates(value):
    schema_accepts = not value_errors("date", value)
    try:
        parse_date(value)
    except ValueError as exc:
        # The schema's pattern knows no calendar: "2005-02-30" matches it.
        assert not schema_accepts or "is not a date of the calendar" in str(exc)
    else:
        assert schema_accepts


def test_the_taplo_configuration_points_the_shipped_ledgers_at_the_schema():
    config = tomllib.loads((ROOT / ".taplo.toml").read_text(encoding="utf-8"))
    (rule,) = config["rule"]
    assert rule["include"] == ["ledgers/**/*.toml"]
    assert (ROOT / rule["schema"]["path"]).resolve() == SCHEMA_FILE
