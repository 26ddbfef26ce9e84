"""Small frictions a new user meets, each as the user sees it."""

from __future__ import annotations

import csv
import io

from conftest import COMMITMENT

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
        "spent": "0.00", "support_cost": "0.00", "available": "400.00", "gap": "",
        "refunded": "0.00", "pledged": "0.00", "exchange_difference": "0.00"}]  # version 2's


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


PYPROJECT = """\
[build-system]
requires = ["hatchling"]

[project]
name = "mine"
version = "1"
"""
TAPLO = """\
include = ["ledgers/*.toml"]

[formatting]
align_entries = true

[[rule]]
include = ["x.toml"]
"""


def test_check_of_a_repository_skips_hidden_folders_and_toml_files_that_are_not_ledgers(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT)
    ledger.write("pyproject.toml", PYPROJECT)
    ledger.write(".taplo.toml", TAPLO)
    ledger.write(".venv/lib/site-packages/pkg/pyproject.toml", "[[project]]\nid = 1\n")
    ledger.write(".git/config.toml", "oops = 1\n")
    result = ledger.run("check", ".")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
    assert result.stderr == ("cndledger: skipped 2 TOML files that hold no ledger table: .taplo.toml, pyproject.toml "
                             "(a ledger's tables are written [[release]]; a file named on the command line is always "
                             "read)\n")


def test_a_misspelt_table_or_stray_keys_are_still_read_and_reported(ledger):
    ledger.write("books/a.toml", COMMITMENT)
    ledger.write("books/typo.toml", '[[comitment]]\nid = "C9"\n')
    ledger.write("books/stray.toml", "oops = 1\n")
    found = [(p["file"], p["code"]) for p in ledger.run("check", "--json", "books").json()["problems"]]
    assert ("books/typo.toml", "unknown-key") in found and ("books/stray.toml", "unknown-key") in found


def test_a_file_named_on_the_command_line_is_always_read(ledger):
    ledger.write("pyproject.toml", PYPROJECT)
    result = ledger.run("check", "pyproject.toml")
    assert result.exit_code == 1
    assert "pyproject.toml:1: error[unknown-key]: unknown table 'build-system'" in result.stdout


def test_a_folder_of_only_non_ledgers_holds_no_ledger(ledger):
    ledger.write("tools/pyproject.toml", PYPROJECT)
    result = ledger.run("check", "tools")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        ("cndledger: skipped 1 TOML file that holds no ledger table: tools/pyproject.toml (a ledger's tables are "
         "written [[release]]; a file named on the command line is always read)"),
        "cndledger: no ledger at the path 'tools' (no such file, or no *.toml below it)"]


def test_from_a_subfolder_the_ledgers_folder_above_is_found(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + "\nbad = 1\n")
    (ledger.root / "docs" / "deep").mkdir(parents=True)
    result = ledger.run_in("docs/deep", "check")
    assert result.exit_code == 1
    assert result.stdout.startswith("../../ledgers/a.toml:")  # paths as the user can open them from here
    ledger.write("ledgers/a.toml", COMMITMENT)
    assert ledger.run_in("docs/deep", "balance", "--json").json()["projects"][0]["committed"] == "1000.00"


def test_the_search_upward_stops_at_the_root_of_a_git_work_tree(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT)
    (ledger.root / "repo" / ".git").mkdir(parents=True)
    (ledger.root / "repo" / "sub").mkdir()
    result = ledger.run_in("repo/sub", "balance")
    assert result.exit_code == 2
    assert result.stdout == ""
    sub, repo = ledger.root / "repo" / "sub", ledger.root / "repo"
    assert result.stderr == (
        f"cndledger: no ledger at the path 'ledgers': no ledgers/ folder here or above; looked in {sub}, {repo} "
        f"(stopped at {repo}, the root of its git work tree)\n"
        "  = hint: name the ledger: cndledger COMMAND -f FILE_OR_FOLDER, or set CNDLEDGER_LEDGER=FOLDER\n")
    assert ledger.run_in("repo/sub", "balance", "-f", "../../ledgers").exit_code == 0


def test_without_a_ledgers_folder_anywhere_it_says_where_it_looked(ledger):
    (ledger.root / "a").mkdir()
    result = ledger.run_in("a", "check")
    assert result.exit_code == 2
    assert f"looked in {ledger.root / 'a'}, {ledger.root}, " in result.stderr
    assert result.stderr.rstrip().endswith("-f FILE_OR_FOLDER, or set CNDLEDGER_LEDGER=FOLDER")
