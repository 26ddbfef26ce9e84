"""Small frictions a new user meets, each as the user sees it."""

from __future__ import annotations

import csv
import io

from conftest import COMMITMENT, PREAMBLE

RELEASED = COMMITMENT + """
[[party]]
id = "OTHER"
name = "Another donor"

[[commitment]]
id = "C2"
project = "P1"
party = "OTHER"
date = 2005-01-12
amount = 1_234.5

[[release]]
commitment = "C1"
date = 2005-02-01
amount = 400
"""


def test_check_takes_json_as_every_report_does(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT)
    with_flag = ledger.run("check", "--json")
    assert with_flag.exit_code == 0
    assert with_flag.stdout == ledger.run("check", "--format", "json").stdout
    assert with_flag.json()["problems"] == []


def test_check_json_with_another_format_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT)
    result = ledger.run("check", "--json", "--format", "github")
    assert result.exit_code == 2
    assert result.stderr == "cndledger: --json is --format json: give one, not --json with --format github\n"
    assert ledger.run("check", "--json", "--format", "json").exit_code == 0


def test_balance_csv_has_the_json_keys_and_exact_amounts(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("balance", "--csv", "--as-of", "2005-12-31")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    keys = [key for key in ledger.run("balance", "--json")
            .json()["projects"][0] if key != "by_party"]
    assert list(rows[0]) == keys
    assert rows == [{
        "id": "P1", "title": "A project", "parent": "", "currency": "USD", "budget": "", "committed": "2234.50",
        "released": "400.00", "outstanding": "1834.50", "inkind_valued": "0.00", "inkind_unvalued": "0",
        "spent": "0.00", "available": "400.00", "gap": ""}]


def test_balance_csv_by_party_adds_a_row_per_party(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("balance", "--csv", "--by-party", "--as-of", "2005-12-31")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][-1] == "party"
    assert [(row[0], row[5], row[6], row[7], row[-1]) for row in rows[1:]] == [
        ("P1", "2234.50", "400.00", "1834.50", ""),
        ("P1", "1000.00", "400.00", "600.00", "DONOR"),
        ("P1", "1234.50", "0.00", "1234.50", "OTHER"),
    ]


def test_balance_csv_and_json_exclude_each_other(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT)
    result = ledger.run("balance", "--csv", "--json")
    assert result.exit_code == 2
    assert "--json and --csv exclude each other" in result.stderr


def test_register_from_after_as_of_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("register", "--from", "2006", "--as-of", "2005")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("cndledger: --from 2006 (its first day, 2006-01-01) is after --as-of 2005 (its last day, "
                             "2005-12-31): nothing can be listed; give a --from on or before the --as-of day\n")


def test_register_from_after_today_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("register", "--from", "2999-01-01", "--json")
    assert result.exit_code == 2
    assert "is after the day of the figures (today, " in result.stderr


def test_register_from_within_as_of_lists(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("register", "--from", "2005-02", "--as-of", "2005-02", "--json")
    assert result.exit_code == 0, result.stderr
    assert [event["kind"] for event in result.json()["events"]] == ["release"]
