"""The figures of LEDGER-FORMAT "Figures", as `cndledger balance` reports them."""

import io
import re

import pytest

from cndledger.render.table import Column, Row, Table, plain, print_table
from conftest import PREAMBLE


def balance(ledger, *args: str) -> dict[str, dict]:
    """`balance --json ARGS`: each project's figures by id (in the order reported, as dicts keep it)."""
    result = ledger.run("balance", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {project["id"]: project for project in result.json()["projects"]}


# --- what counts as of a day -----------------------------------------------------------------

MONTH_RELEASE = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 211_000

[[release]]
commitment = "C1"
date = "2005-02"
amount = 70_000
"""


@pytest.mark.parametrize("as_of, committed, released", [
    ("2005-01-09", "0.00", "0.00"),
    ("2005-01-10", "211000.00", "0.00"),
    ("2005-02-10", "211000.00", "0.00"),      # "2005-02" has arrived only as of the month's last day
    ("2005-02-27", "211000.00", "0.00"),
    ("2005-02-28", "211000.00", "70000.00"),
    ("2005-02", "211000.00", "70000.00"),     # --as-of 2005-02 means 2005-02-28
    ("2005", "211000.00", "70000.00"),
    ("2004", "0.00", "0.00"),
])
def test_a_date_of_lower_precision_counts_from_the_last_day_of_its_period(ledger, as_of, committed, released):
    ledger.write("ledgers/a.toml", MONTH_RELEASE)
    p1 = balance(ledger, "--as-of", as_of)["P1"]
    assert (p1["committed"], p1["released"]) == (committed, released)


def test_as_of_a_month_is_reported_as_its_last_day(ledger):
    ledger.write("ledgers/a.toml", MONTH_RELEASE)
    assert ledger.run("balance", "--json", "--as-of", "2005-02").json()["as_of"] == "2005-02-28"
    assert ledger.run("balance", "--json", "--as-of", "2004-02").json()["as_of"] == "2004-02-29"
    assert ledger.run("balance", "--json", "--as-of", "2005").json()["as_of"] == "2005-12-31"
    assert "as of 2005-02-28" in ledger.run("balance", "--as-of", "2005-02").stdout


def test_a_release_never_counts_before_its_commitment(ledger):
    # The commitment is known only by its year: it counts from 2005-12-31, and so does a
    # release of March against it (not reported as early: the commitment may be of January).
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = "2005"
amount = 1000

[[release]]
commitment = "C1"
date = 2005-03-01
amount = 400
""")
    assert ledger.run("check").exit_code == 0
    mid_year = balance(ledger, "--as-of", "2005-06-30")["P1"]
    assert (mid_year["committed"], mid_year["released"], mid_year["outstanding"]) == ("0.00", "0.00", "0.00")
    assert mid_year["by_party"] == []
    year_end = balance(ledger, "--as-of", "2005-12-31")["P1"]
    assert (year_end["committed"], year_end["released"], year_end["outstanding"]) == ("1000.00", "400.00", "600.00")


def test_spent_and_available(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000

[[release]]
commitment = "C1"
date = 2005-01-20
amount = 300

[[expense]]
project = "P1"
date = 2005-02-01
amount = 120.25

[[expense]]
project = "P1"
date = "2005-03"
amount = 200
""")
    feb = balance(ledger, "--as-of", "2005-03-30")["P1"]
    assert (feb["spent"], feb["available"]) == ("120.25", "179.75")
    march = balance(ledger, "--as-of", "2005-03-31")["P1"]
    assert (march["spent"], march["available"]) == ("320.25", "-20.25")


# --- in kind ---------------------------------------------------------------------------------

def inkind(start: str, end: str | None = None, value: str | None = None) -> str:
    lines = ['[[inkind]]', 'id = "K1"', 'project = "P1"', 'party = "DONOR"', 'description = "Office space"',
             'nature = "services"', f"start = {start}"]
    lines += [f"end = {end}"] if end else []
    lines += [value] if value else []
    return PREAMBLE + "\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("as_of, accrued", [
    ("2005-01-14", "0.00"),
    ("2005-01-30", "0.00"),      # January has not ended
    ("2005-01-31", "100.00"),    # the month of start counts whole once it has ended
    ("2005-02-28", "200.00"),
    ("2005-03-30", "200.00"),
    ("2005-03-31", "300.00"),    # the month of end counts too
    ("2006-12-31", "300.00"),    # and nothing after it
])
def test_monthly_value_accrues_per_calendar_month_ended_from_start_to_end(ledger, as_of, accrued):
    ledger.write("ledgers/a.toml", inkind("2005-01-15", "2005-03-10", "monthly_value = 100"))
    p1 = balance(ledger, "--as-of", as_of)["P1"]
    assert (p1["inkind_valued"], p1["inkind_unvalued"]) == (accrued, 0)


def test_monthly_value_open_ended(ledger):
    ledger.write("ledgers/a.toml", inkind("2005-11-01", value="monthly_value = 99.99"))
    assert balance(ledger, "--as-of", "2006-02-28")["P1"]["inkind_valued"] == "399.96"
    assert balance(ledger, "--as-of", "2006-03-15")["P1"]["inkind_valued"] == "399.96"


def test_monthly_value_with_dates_of_lower_precision(ledger):
    # "2005" stands for 2005-12-31: the accrual starts with December 2005; "2006-02" ends with February.
    ledger.write("ledgers/a.toml", inkind('"2005"', '"2006-02"', "monthly_value = 100"))
    assert balance(ledger, "--as-of", "2005-11-30")["P1"]["inkind_valued"] == "0.00"
    assert balance(ledger, "--as-of", "2005-12-31")["P1"]["inkind_valued"] == "100.00"
    assert balance(ledger, "--as-of", "2007")["P1"]["inkind_valued"] == "300.00"


@pytest.mark.parametrize("as_of, accrued", [("2005-03-14", "0.00"), ("2005-03-15", "1200.00"), ("2009", "1200.00")])
def test_a_value_counts_in_full_once_started(ledger, as_of, accrued):
    ledger.write("ledgers/a.toml", inkind("2005-03-15", "2006-03-14", "value = 1200"))
    assert balance(ledger, "--as-of", as_of)["P1"]["inkind_valued"] == accrued


def test_unvalued_contributions_are_counted_never_summed(ledger):
    ledger.write("ledgers/a.toml", inkind("2005-03-15") + """
[[inkind]]
id = "K2"
project = "P1"
party = "AGENCY"
description = "Desks"
nature = "goods"
start = 2005-01-01
value = 250
""")
    before = balance(ledger, "--as-of", "2005-03-14")["P1"]
    assert (before["inkind_valued"], before["inkind_unvalued"]) == ("250.00", 0)
    after = balance(ledger, "--as-of", "2005-03-15")["P1"]
    assert (after["inkind_valued"], after["inkind_unvalued"]) == ("250.00", 1)
    table = ledger.run("balance", "--as-of", "2005-03-15").stdout
    assert "250.00 +1 unvalued" in table


def test_nothing_valued_is_zero_in_kind(ledger):
    ledger.write("ledgers/a.toml", inkind("2005-03-15"))
    p1 = balance(ledger, "--as-of", "2006")["P1"]
    assert (p1["inkind_valued"], p1["inkind_unvalued"]) == ("0.00", 1)


# --- roll-up of children into parents --------------------------------------------------------

# Written children first: the report lists the tree, a parent before its children.
PROGRAMME = """
[[party]]
id = "DONOR"
name = "A donor"
aliases = ["OLD-DONOR"]

[[party]]
id = "AGENCY"
name = "An agency"

[[project]]
id = "A1"
title = "Grandchild under A"
currency = "USD"
parent = "A"
budget = 100

[[project]]
id = "A"
title = "Child with a budget of its own"
currency = "USD"
parent = "PROG"
budget = 600

[[project]]
id = "B1"
title = "Grandchild under B"
currency = "USD"
parent = "B"
budget = 50

[[project]]
id = "B"
title = "Child without a budget"
currency = "USD"
parent = "PROG"

[[project]]
id = "PROG"
title = "The programme"
currency = "USD"

[[commitment]]
id = "C-A"
project = "A"
party = "DONOR"
date = 2005-01-10
amount = 500

[[commitment]]
id = "C-A1"
project = "A1"
party = "AGENCY"
date = 2005-01-10
amount = 100

[[commitment]]
id = "C-B1"
project = "B1"
party = "OLD-DONOR"
date = 2005-01-10
amount = 30

[[release]]
commitment = "C-A"
date = 2005-02-01
amount = 200

[[release]]
commitment = "C-A1"
date = 2005-02-01
amount = 100

[[release]]
commitment = "C-B1"
date = 2005-02-01
amount = 30

[[expense]]
project = "A1"
date = 2005-03-01
amount = 40

[[expense]]
project = "PROG"
date = 2005-03-01
amount = 5

[[inkind]]
id = "K1"
project = "B1"
party = "AGENCY"
description = "Desks"
nature = "goods"
start = 2005-01-01
value = 10

[[inkind]]
id = "K2"
project = "A"
party = "DONOR"
description = "Advice"
nature = "services"
start = 2005-01-01
"""

FIGURES = ("budget", "committed", "released", "outstanding", "inkind_valued", "inkind_unvalued", "spent",
           "available", "gap")


def test_parents_include_their_childrens_figures_down_the_tree(ledger):
    ledger.write("ledgers/a.toml", PROGRAMME)
    projects = balance(ledger, "--as-of", "2005-12-31")
    assert list(projects) == ["PROG", "A", "A1", "B", "B1"]
    assert {pid: tuple(p[k] for k in FIGURES) for pid, p in projects.items()} == {
        "A1": ("100.00", "100.00", "100.00", "0.00", "0.00", 0, "40.00", "60.00", "0.00"),
        "A": ("600.00", "600.00", "300.00", "300.00", "0.00", 1, "40.00", "260.00", "0.00"),
        "B1": ("50.00", "30.00", "30.00", "0.00", "10.00", 0, "0.00", "30.00", "20.00"),
        "B": ("50.00", "30.00", "30.00", "0.00", "10.00", 0, "0.00", "30.00", "20.00"),
        "PROG": ("650.00", "630.00", "330.00", "300.00", "10.00", 1, "45.00", "285.00", "20.00"),
    }
    assert [(p["id"], p["parent"]) for p in projects.values()] == [
        ("PROG", None), ("A", "PROG"), ("A1", "A"), ("B", "PROG"), ("B1", "B")]


def test_parents_by_party_include_their_childrens_with_aliases_resolved(ledger):
    ledger.write("ledgers/a.toml", PROGRAMME)
    projects = balance(ledger, "--as-of", "2005-12-31")
    assert projects["PROG"]["by_party"] == [
        {"party": "AGENCY", "committed": "100.00", "released": "100.00", "outstanding": "0.00"},
        {"party": "DONOR", "committed": "530.00", "released": "230.00", "outstanding": "300.00"},
    ]
    assert projects["B1"]["by_party"] == [
        {"party": "DONOR", "committed": "30.00", "released": "30.00", "outstanding": "0.00"}]


def test_a_budget_set_nowhere_is_absent_never_zero(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[project]]
id = "P2"
title = "Child"
currency = "USD"
parent = "P1"

[[commitment]]
id = "C1"
project = "P2"
party = "DONOR"
date = 2005-01-10
amount = 1000
""")
    projects = balance(ledger, "--as-of", "2005-12-31")
    for project in ("P1", "P2"):
        assert (projects[project]["budget"], projects[project]["gap"]) == (None, None)
    rows = [line.split() for line in ledger.run("balance", "--as-of", "2005-12-31").stdout.splitlines()]
    p1 = next(row for row in rows if row and row[0] == "P1")
    assert p1 == ["P1", "USD", "—", "1,000.00", "0.00", "1,000.00", "0.00", "0.00", "0.00", "—"]


def test_gap_may_be_negative(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nbudget = 800') + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
""")
    assert balance(ledger, "--as-of", "2005")["P1"]["gap"] == "-200.00"


def test_siblings_in_ledger_order_across_files(ledger):
    ledger.write("ledgers/b.toml", '[[project]]\nid = "FIRST-IN-B"\ntitle = "t"\ncurrency = "USD"\nparent = "P1"\n')
    ledger.write("ledgers/a.toml", PREAMBLE + '\n[[project]]\nid = "Z-IN-A"\ntitle = "t"\ncurrency = "USD"\nparent = "P1"\n')
    assert list(balance(ledger)) == ["P1", "Z-IN-A", "FIRST-IN-B"]


# --- by party --------------------------------------------------------------------------------

def test_by_party_is_sorted_by_party_id_with_aliases_resolved_and_only_counting_commitments(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[party]]
id = "ZED"
name = "Last by id"

[[party]]
id = "LATE"
name = "Commits later"

[[commitment]]
id = "C1"
project = "P1"
party = "ZED"
date = 2005-01-10
amount = 10

[[commitment]]
id = "C2"
project = "P1"
party = "OLD-DONOR"
date = 2005-01-10
amount = 20

[[commitment]]
id = "C3"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 30.50

[[commitment]]
id = "C4"
project = "P1"
party = "AGENCY"
date = 2005-01-10
amount = 40

[[commitment]]
id = "C5"
project = "P1"
party = "LATE"
date = 2006-01-10
amount = 50

[[release]]
commitment = "C2"
date = 2005-02-01
amount = 5
""")
    p1 = balance(ledger, "--as-of", "2005-12-31")["P1"]
    assert p1["by_party"] == [
        {"party": "AGENCY", "committed": "40.00", "released": "0.00", "outstanding": "40.00"},
        {"party": "DONOR", "committed": "50.50", "released": "5.00", "outstanding": "45.50"},
        {"party": "ZED", "committed": "10.00", "released": "0.00", "outstanding": "10.00"},
    ]
    table = ledger.run("balance", "--by-party", "--as-of", "2005-12-31").stdout
    party_rows = [line.split() for line in table.splitlines() if "·" in line]
    assert party_rows == [
        ["·", "AGENCY", "40.00", "0.00", "40.00"],
        ["·", "DONOR", "50.50", "5.00", "45.50"],
        ["·", "ZED", "10.00", "0.00", "10.00"],
    ]


# --- JSON and the table ----------------------------------------------------------------------

def test_json_amounts_are_strings_with_the_currencys_minor_unit_decimals(ledger):
    ledger.write("ledgers/a.toml", """
[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "USD-P"
title = "In dollars"
currency = "USD"
budget = 65000.5

[[project]]
id = "JPY-P"
title = "In yen"
currency = "JPY"
budget = 1_000_000

[[project]]
id = "KWD-P"
title = "In dinars"
currency = "KWD"

[[commitment]]
id = "C-USD"
project = "USD-P"
party = "DONOR"
date = 2005-01-10
amount = 42000

[[commitment]]
id = "C-JPY"
project = "JPY-P"
party = "DONOR"
date = 2005-01-10
amount = 250000

[[commitment]]
id = "C-KWD"
project = "KWD-P"
party = "DONOR"
date = 2005-01-10
amount = 1.5
""")
    result = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert result.exit_code == 0
    document = result.json()
    assert list(document) == ["as_of", "from", "currency", "projects"] and document["as_of"] == "2005-12-31"
    assert (document["from"], document["currency"]) == (None, None)  # no window, each project's own currency
    projects = {project["id"]: project for project in document["projects"]}
    assert (projects["USD-P"]["budget"], projects["USD-P"]["gap"]) == ("65000.50", "23000.50")
    assert (projects["JPY-P"]["committed"], projects["JPY-P"]["gap"]) == ("250000", "750000")
    assert (projects["KWD-P"]["committed"], projects["KWD-P"]["budget"]) == ("1.500", None)
    assert set(projects["USD-P"]) == {"id", "title", "parent", "currency", "budget", "committed", "released",
                                     "outstanding", "inkind_valued", "inkind_unvalued", "spent", "support_cost", "available",
                                     "gap", "by_party"} | {"refunded", "pledged", "exchange_difference"}  # version 2's
    for project in projects.values():
        for key in ("committed", "released", "outstanding", "inkind_valued", "spent", "available"):
            assert isinstance(project[key], str)
        assert isinstance(project["inkind_unvalued"], int)
    assert '"committed": 42000' not in result.stdout and "42000.0," not in result.stdout


def test_the_table_shows_currency_thousands_and_children_indented(ledger):
    ledger.write("ledgers/a.toml", PROGRAMME)
    result = ledger.run("balance", "--as-of", "2005-12-31")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Balance as of 2005-12-31"
    header = next(line for line in lines if line.startswith("project"))
    for column in ("budget", "committed", "released", "outstanding", "in-kind", "spent", "available", "gap"):
        assert column in header
    rows = {line.strip().split()[0]: line for line in lines if re.match(r"\s*(PROG|A1?|B1?)\s", line)}
    assert not rows["PROG"].startswith(" ") and rows["A"].startswith("  A ") and rows["A1"].startswith("    A1 ")
    assert "USD" in rows["PROG"] and "650.00" in rows["PROG"] and "10.00 +1 unvalued" in rows["PROG"]
    assert "\x1b[" not in result.stdout and "┃" not in result.stdout and "│" not in result.stdout


def test_thousands_separators_in_the_table(ledger):
    ledger.write("ledgers/a.toml", MONTH_RELEASE)
    row = next(line for line in ledger.run("balance", "--as-of", "2005-12-31").stdout.splitlines() if line.startswith("P1"))
    assert row.split() == ["P1", "USD", "—", "211,000.00", "70,000.00", "141,000.00", "0.00", "0.00", "70,000.00", "—"]


def test_project_option_keeps_the_project_and_those_below_it(ledger):
    ledger.write("ledgers/a.toml", PROGRAMME)
    everything = balance(ledger, "--as-of", "2005-12-31")
    only_a = balance(ledger, "--as-of", "2005-12-31", "--project", "A")
    assert list(only_a) == ["A", "A1"]
    assert only_a["A"] == everything["A"] and only_a["A1"] == everything["A1"]
    table = ledger.run("balance", "--as-of", "2005-12-31", "--project", "B").stdout
    assert "B1" in table and "PROG" not in table and "A1" not in table


def test_project_option_naming_no_project_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", PROGRAMME)
    result = ledger.run("balance", "--project", "NOPE")
    assert result.exit_code == 2 and result.stdout == "" and "NOPE" in result.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_rich_unless_no_color_is_set(monkeypatch):
    table = Table("Balance", [Column("project"), Column("committed", "right")], [Row(["P1", "1,000.00"])])
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    drawn = Terminal()
    print_table(table, drawn)
    assert "1,000.00" in drawn.getvalue() and drawn.getvalue() != plain(table)
    monkeypatch.setenv("NO_COLOR", "1")
    uncoloured = Terminal()
    print_table(table, uncoloured)
    assert uncoloured.getvalue() == plain(table)
