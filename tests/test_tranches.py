"""`cndledger tranches`: each commitment's tranches planned against released, statuses, the remainder."""

import csv
import io
from pathlib import Path

import pytest

from conftest import PREAMBLE

SHIPPED = str(Path(__file__).resolve().parent.parent / "ledgers")

SCHEDULE = PREAMBLE + """
[[project]]
id = "P2"
title = "Another project"
currency = "USD"

[[commitment]]
id = "C1"
project = "P1"
party = "OLD-DONOR"
date = 2005-01-10
amount = 1000

[[tranche]]
id = "T-RELEASED"
commitment = "C1"
amount = 200
due = 2005-02-01

[[tranche]]
id = "T-PARTLY"
commitment = "C1"
amount = 300
due = "2005-12"

[[tranche]]
id = "T-MONTH"
commitment = "C1"
amount = 100
due = "2005-06"
after = ["T-PARTLY"]

[[tranche]]
id = "T-LATER"
commitment = "C1"
amount = 150

[[release]]
commitment = "C1"
tranche = "T-RELEASED"
date = 2005-01-20
amount = 120

[[release]]
commitment = "C1"
tranche = "T-RELEASED"
date = "2005-02"
amount = 80

[[release]]
commitment = "C1"
tranche = "T-PARTLY"
date = 2005-03-01
amount = 100

[[release]]
commitment = "C1"
date = 2005-03-02
amount = 5

[[commitment]]
id = "C2"
project = "P2"
party = "AGENCY"
date = 2005-01-01
amount = 700.50

[[commitment]]
id = "C-LATER"
project = "P1"
party = "AGENCY"
date = 2007-01-01
amount = 10
"""


def tranches(ledger, *args):
    result = ledger.run("tranches", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def lines(document, commitment):
    [entry] = [c for c in document["commitments"] if c["id"] == commitment]
    return {line["id"]: line for line in entry["tranches"]}


@pytest.mark.parametrize("day, expected", [
    ("2005-05-31", {"T-RELEASED": "released", "T-PARTLY": "partly released", "T-MONTH": "scheduled",
                    "T-LATER": "scheduled"}),
    ("2005-06-01", {"T-RELEASED": "released", "T-PARTLY": "partly released", "T-MONTH": "due",
                    "T-LATER": "scheduled"}),
    ("2005-06-30", {"T-RELEASED": "released", "T-PARTLY": "partly released", "T-MONTH": "due",
                    "T-LATER": "scheduled"}),
    ("2005-07-01", {"T-RELEASED": "released", "T-PARTLY": "partly released", "T-MONTH": "overdue",
                    "T-LATER": "scheduled"}),
    ("2005-12-15", {"T-RELEASED": "released", "T-PARTLY": "due", "T-MONTH": "overdue", "T-LATER": "scheduled"}),
    ("2006-01-01", {"T-RELEASED": "released", "T-PARTLY": "overdue", "T-MONTH": "overdue", "T-LATER": "scheduled"}),
])
def test_statuses_on_both_sides_of_the_due_period(ledger, day, expected):
    ledger.write("ledgers/a.toml", SCHEDULE)
    got = lines(tranches(ledger, "--as-of", day), "C1")
    assert {name: line["status"] for name, line in got.items()} == expected


def test_a_tranche_released_in_a_month_is_released_from_its_last_day(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    before = lines(tranches(ledger, "--as-of", "2005-02-27"), "C1")["T-RELEASED"]
    assert (before["status"], before["released"], before["released_on"]) == ("overdue", "120.00", "2005-01-20")
    after = lines(tranches(ledger, "--as-of", "2005-02-28"), "C1")["T-RELEASED"]
    assert (after["status"], after["released"], after["released_on"]) == ("released", "200.00", "2005-02")
    assert after["releasable"] is None and after["conditions"] is None


def test_conditions_of_each_unreleased_tranche(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    got = lines(tranches(ledger, "--as-of", "2005-06-15"), "C1")
    month = got["T-MONTH"]
    assert month["releasable"] is False
    assert [(c["condition"], c["holds"]) for c in month["conditions"]] == [
        ("committed", True), ("unreleased", True), ("after", False)]
    assert got["T-LATER"]["releasable"] is True


def test_the_unscheduled_remainder_and_json_amounts_as_strings(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    document = tranches(ledger, "--as-of", "2006-12-31")
    assert document["as_of"] == "2006-12-31"
    c1, c2 = document["commitments"]
    assert (c1["id"], c1["party"], c1["amount"], c1["scheduled"], c1["unscheduled"], c1["released"]) == (
        "C1", "DONOR", "1000.00", "750.00", "250.00", "305.00")
    assert (c2["id"], c2["amount"], c2["scheduled"], c2["unscheduled"], c2["tranches"]) == (
        "C2", "700.50", "0.00", "700.50", [])
    assert list(c1["tranches"][0]) == ["id", "amount", "due", "released", "released_on", "status", "releasable",
                                       "conditions"]
    assert c1["tranches"][3]["due"] is None


def test_commitments_not_yet_made_are_left_out_and_project_narrows(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    assert [c["id"] for c in tranches(ledger, "--as-of", "2006-12-31")["commitments"]] == ["C1", "C2"]
    assert [c["id"] for c in tranches(ledger, "--as-of", "2007")["commitments"]] == ["C1", "C-LATER", "C2"]
    assert [c["id"] for c in tranches(ledger, "--as-of", "2007", "--project", "P2")["commitments"]] == ["C2"]
    unknown = ledger.run("tranches", "--project", "P9")
    assert unknown.exit_code == 2 and "no project 'P9'" in unknown.stderr


def test_csv_a_row_per_tranche_and_one_for_the_remainder(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    result = ledger.run("tranches", "--csv", "--as-of", "2005-07-01", "--project", "P1")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["tranche"], row["amount"], row["status"]) for row in rows] == [
        ("T-RELEASED", "200.00", "released"), ("T-PARTLY", "300.00", "partly released"),
        ("T-MONTH", "100.00", "overdue"), ("T-LATER", "150.00", "scheduled"), ("", "250.00", "unscheduled")]
    assert rows[2]["conditions_failing"] == "after"
    assert rows[2]["conditions_holding"] == "committed unreleased"
    assert rows[0]["releasable"] == "" and rows[3]["releasable"] == "true"


def test_json_and_csv_exclude_each_other(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    assert ledger.run("tranches", "--json", "--csv").exit_code == 2


def test_table_overdue_rows_stand_out(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE)
    result = ledger.run("tranches", "--as-of", "2005-07-01")
    assert result.exit_code == 0
    text = result.stdout
    assert "Tranches as of 2005-07-01" in text
    assert "(unscheduled)" in text and "250.00" in text

    import datetime

    from cndledger.core.api import open_ledger
    from cndledger.core.schedule import schedule
    from cndledger.render.tranches import as_table

    opened = open_ledger([str(ledger.root / "ledgers")], datetime.date(2005, 7, 1))
    table = as_table(schedule(opened.ledger, datetime.date(2005, 7, 1)))
    styles = {row.cells[0]: row.style for row in table.rows}
    assert "red" in styles["T-MONTH"]
    assert styles["T-LATER"] is None


def test_shipped_ledgers_show_the_trust_funds_unscheduled_141000(ledger):
    document = tranches(ledger, "--as-of", "2006-12-31", SHIPPED)
    by_id = {c["id"]: c for c in document["commitments"]}
    trust_fund = by_id["TDAP-PAK-CND-TF"]
    assert trust_fund["unscheduled"] == "141000.00"
    [first] = trust_fund["tranches"]
    assert (first["status"], first["released"], first["released_on"]) == ("released", "70000.00", "2005-02")
    assert by_id["UNIDO-US/PAK/01/099"]["unscheduled"] == "235000.00"


def test_a_ledger_error_that_leaves_figures_defined_still_prints_and_exits_1(ledger):
    ledger.write("ledgers/a.toml", SCHEDULE.replace("amount = 150\n", "amount = 450\n"))
    result = ledger.run("tranches", "--json", "--as-of", "2006")
    assert result.exit_code == 1
    assert "tranches-exceed-commitment" in result.stderr
    assert result.json()["commitments"][0]["unscheduled"] == "-50.00"
