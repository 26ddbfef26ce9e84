"""`--csv` of every tabular report (balance, tranches, register, budget): it parses with the csv
module, has a header row, and holds exactly the figures of `--json`: amounts as exact decimals
with their currency's minor unit, dates in ISO 8601."""

import csv
import datetime as dt
import io
import re

import pytest

from test_table_width import AS_OF, LEDGER

REPORTS = {"balance": AS_OF, "tranches": AS_OF, "register": AS_OF, "budget": AS_OF}

# A second tree in a currency of no minor unit: its amounts have no decimals.
YEN = """
[[project]]
id = "JP-1"
title = "A project in yen"
currency = "JPY"
budget = 5000000

[[commitment]]
id = "C-JP"
project = "JP-1"
party = "UNIDO"
date = 2005-03-01
amount = 1234567

[[release]]
commitment = "C-JP"
date = 2005-04-01
amount = 1000000

[[expense]]
project = "JP-1"
date = 2005-09-01
amount = 250000
"""

AMOUNT = {"USD": re.compile(r"-?\d+\.\d\d"), "JPY": re.compile(r"-?\d+")}
LEDGER_DATE = re.compile(r"\d{4}(-\d\d(-\d\d)?)?")


@pytest.fixture
def reports(ledger):
    ledger.write("ledgers/a.toml", LEDGER + YEN)
    return ledger


def as_csv(ledger, report: str, *options: str) -> list[dict[str, str]]:
    result = ledger.run(report, *REPORTS[report], *options, "--csv")
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames and rows
    return rows


def as_json(ledger, report: str, *options: str) -> dict:
    result = ledger.run(report, *REPORTS[report], *options, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def cell(value) -> str:
    """What a JSON value is in the CSV: null is an empty cell."""
    return "" if value is None else str(value)


def assert_amounts_exact(row: dict[str, str], names: list[str]) -> None:
    for name in names:
        if row[name]:
            assert AMOUNT[row["currency"]].fullmatch(row[name]), (name, row[name])


@pytest.mark.parametrize("by_party", [False, True])
def test_balance(reports, by_party):
    options = ["--by-party"] if by_party else []
    document = as_json(reports, "balance", *options)
    rows = as_csv(reports, "balance", *options)
    expected = []
    for project in document["projects"]:
        expected.append({name: cell(value) for name, value in project.items() if name != "by_party"}
                        | ({"party": ""} if by_party else {}))
        if by_party:
            for party in project["by_party"]:
                figures = {name: "" for name in project if name != "by_party"}
                expected.append(figures | {name: cell(project[name]) for name in ("id", "title", "parent", "currency")}
                                | {name: cell(value) for name, value in party.items()})
    assert [dict(row) for row in rows] == expected
    for row in rows:
        assert_amounts_exact(row, ["budget", "committed", "released", "outstanding", "spent", "available", "gap"])
    assert {row["id"]: row["committed"] for row in rows if not row.get("party")}["JP-1"] == "1234567"


def test_tranches(reports):
    document = as_json(reports, "tranches")
    rows = as_csv(reports, "tranches")
    expected = []
    for entry in document["commitments"]:
        head = {"commitment": entry["id"], "project": entry["project"], "party": entry["party"],
                "currency": entry["currency"], "commitment_amount": entry["amount"]}
        for line in entry["tranches"]:
            conditions = line["conditions"] or []
            expected.append(head | {
                "tranche": line["id"], "amount": line["amount"], "due": cell(line["due"]), "released": line["released"],
                "released_on": cell(line["released_on"]), "status": line["status"],
                "releasable": "" if line["releasable"] is None else str(line["releasable"]).lower(),
                "conditions_holding": " ".join(c["condition"] for c in conditions if c["holds"]),
                "conditions_failing": " ".join(c["condition"] for c in conditions if not c["holds"])})
        if entry["unscheduled"] != "0.00" and entry["unscheduled"] != "0":
            expected.append(head | {"tranche": "", "amount": entry["unscheduled"], "due": "", "released": "",
                                    "released_on": "", "status": "unscheduled", "releasable": "",
                                    "conditions_holding": "", "conditions_failing": ""})
    assert [dict(row) for row in rows] == expected
    for row in rows:
        assert_amounts_exact(row, ["commitment_amount", "amount", "released"])
        for name in ("due", "released_on"):
            assert not row[name] or LEDGER_DATE.fullmatch(row[name])


def test_register(reports):
    document = as_json(reports, "register")
    rows = as_csv(reports, "register")
    reader = csv.reader(io.StringIO(reports.run("register", *AS_OF, "--csv").stdout))
    header = next(reader)
    assert [dict(row) for row in rows] == [{name: cell(event[name]) for name in header} for event in document["events"]]
    # a refunded column only where something was refunded: here nothing was
    assert [name for name in document["events"][0] if name not in header] == ["refunded"]
    for row in rows:
        assert_amounts_exact(row, ["amount", "committed", "released", "spent"])
        assert LEDGER_DATE.fullmatch(row["date"]) and dt.date.fromisoformat(row["counts_from"])


def test_budget(reports):
    document = as_json(reports, "budget")
    rows = as_csv(reports, "budget")
    lines = [row for row in rows if row["row"] == "line"]
    assert [{name: value for name, value in row.items() if name != "row"} for row in lines] == [
        {name: cell(value) for name, value in line.items()} for line in document["lines"]]
    unbudgeted = [row for row in rows if row["row"] == "unbudgeted"]
    assert [(row["project"], row["period"], row["currency"], row["spent"]) for row in unbudgeted] == [
        (rest["project"], rest["period"], rest["currency"], rest["spent"]) for rest in document["unbudgeted"]]
    assert len(lines) + len(unbudgeted) == len(rows)
    for row in rows:
        assert_amounts_exact(row, ["budget", "original", "spent", "remaining"])
        assert dt.date.fromisoformat(row["start"]) <= dt.date.fromisoformat(row["end"])


@pytest.mark.parametrize("report", list(REPORTS))
def test_csv_and_json_exclude_each_other(reports, report):
    result = reports.run(report, *REPORTS[report], "--csv", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--json and --csv exclude each other; give one" in result.stderr
