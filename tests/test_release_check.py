"""`cndledger release-check TRANCHE --on D`: each condition on both sides of its boundary, exit codes, JSON."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PREAMBLE

COMMITMENT = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = {date}
amount = 1000
"""


def check(ledger, tranche, on, *more):
    result = ledger.run("release-check", tranche, "--on", on, "--json", *more)
    assert result.exit_code in (0, 1), result.stderr
    document = result.json()
    assert result.exit_code == (0 if document["releasable"] else 1)
    return document


def condition(document, name):
    [found] = [c for c in document["conditions"] if c["condition"] == name]
    return found


def holds(ledger, tranche, on, name):
    return condition(check(ledger, tranche, on), name)["holds"]


# committed


@pytest.mark.parametrize("date, before, on", [
    ('"2005-03"', "2005-03-30", "2005-03-31"),
    ('"2005"', "2005-12-30", "2005-12-31"),
    ("2005-03-15", "2005-03-14", "2005-03-15"),
])
def test_committed_counts_from_the_last_day_of_its_period(ledger, date, before, on):
    ledger.write("ledgers/a.toml", COMMITMENT.format(date=date) + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
""")
    assert holds(ledger, "T1", before, "committed") is False
    assert holds(ledger, "T1", on, "committed") is True
    assert "2005" in condition(check(ledger, "T1", before), "committed")["detail"]


def test_on_of_month_and_year_precision_is_the_last_day(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.format(date='"2005-02"') + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
""")
    assert check(ledger, "T1", "2005-02")["on"] == "2005-02-28"
    assert check(ledger, "T1", "2005")["on"] == "2005-12-31"
    assert holds(ledger, "T1", "2005-02", "committed") is True


# unreleased

UNRELEASED = COMMITMENT.format(date="2005-01-10") + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 400

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-02-10
amount = 150

[[release]]
commitment = "C1"
tranche = "T1"
date = "2005-04"
amount = 250
"""


def test_a_partly_released_tranche_is_unreleased_until_its_last_release_counts(ledger):
    ledger.write("ledgers/a.toml", UNRELEASED)
    partly = condition(check(ledger, "T1", "2005-04-29"), "unreleased")
    assert partly["holds"] is True
    assert partly["detail"] == "released 150.00 of 400.00 as of 2005-04-29; 250.00 to release"
    full = condition(check(ledger, "T1", "2005-04-30"), "unreleased")
    assert full["holds"] is False
    assert full["detail"] == "released 400.00 of 400.00 as of 2005-04-30: fully released"


# after

AFTER = COMMITMENT.format(date="2005-01-10") + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 400

[[tranche]]
id = "T2"
commitment = "C1"
amount = 600
after = ["T1"]

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-02-10
amount = 100

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-10
amount = 300
"""


def test_after_holds_once_the_earlier_tranche_is_fully_released(ledger):
    ledger.write("ledgers/a.toml", AFTER)
    partly = condition(check(ledger, "T2", "2005-03-09"), "after")
    assert partly == {"condition": "after", "holds": False,
                      "detail": "'T1' not fully released (100.00 of 400.00) by 2005-03-09"}
    assert holds(ledger, "T2", "2005-03-10", "after") is True


# not_before


@pytest.mark.parametrize("date, before, on", [
    ('"2005-06"', "2005-06-29", "2005-06-30"),
    ('"2005"', "2005-12-30", "2005-12-31"),
    ("2005-06-15", "2005-06-14", "2005-06-15"),
])
def test_not_before(ledger, date, before, on):
    ledger.write("ledgers/a.toml", COMMITMENT.format(date="2005-01-10") + f"""
[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
not_before = {date}
""")
    early = condition(check(ledger, "T1", before), "not_before")
    assert early["holds"] is False
    assert early["detail"].startswith(f"{before} is before {date.strip(chr(34))}")
    assert holds(ledger, "T1", on, "not_before") is True


# requires

REQUIRES = COMMITMENT.format(date="2005-01-10") + """
[[milestone]]
id = "M1"
project = "P1"
title = "Inception report accepted"
done = 2005-05-10

[[milestone]]
id = "M2"
project = "P1"
title = "Progress report accepted"
done = "2005"

[[milestone]]
id = "M3"
project = "P1"
title = "Final report"

[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
requires = ["M1"]

[[tranche]]
id = "T2"
commitment = "C1"
amount = 400
requires = ["M1", "M2"]

[[tranche]]
id = "T3"
commitment = "C1"
amount = 100
requires = ["M3"]
"""


def test_requires_each_milestone_done_by_the_day(ledger):
    ledger.write("ledgers/a.toml", REQUIRES)
    assert holds(ledger, "T1", "2005-05-09", "requires") is False
    assert holds(ledger, "T1", "2005-05-10", "requires") is True
    late = condition(check(ledger, "T2", "2005-12-30"), "requires")
    assert late["holds"] is False
    assert late["detail"] == "milestone 'M1' done 2005-05-10; milestone 'M2' done 2005 (2005-12-31), after 2005-12-30"
    assert holds(ledger, "T2", "2005-12-31", "requires") is True
    undone = condition(check(ledger, "T3", "2030-01-01"), "requires")
    assert undone == {"condition": "requires", "holds": False, "detail": "milestone 'M3' is not done"}


# min_spent

MIN_SPENT = PREAMBLE + """
[[project]]
id = "P1-A"
title = "A component"
currency = "USD"
parent = "P1"

[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 100000

[[tranche]]
id = "T1"
commitment = "C1"
amount = {released}

[[tranche]]
id = "T2"
commitment = "C1"
amount = 10000
min_spent = {share}

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-02-01
amount = {released}

[[expense]]
project = "P1"
date = 2005-03-01
amount = {own}

[[expense]]
project = "P1-A"
date = 2005-03-02
amount = {child}
"""


def test_min_spent_holds_at_exactly_the_share_children_included(ledger):
    ledger.write("ledgers/a.toml", MIN_SPENT.format(released=1000, share=0.5, own=300, child=200))
    exact = condition(check(ledger, "T2", "2005-03-02"), "min_spent")
    assert exact["holds"] is True
    assert exact["detail"] == "project 'P1' spent 500.00 of 1,000.00 released = 50.0% >= 50% as of 2005-03-02"
    # the day before, the child's expense does not count yet
    short = condition(check(ledger, "T2", "2005-03-01"), "min_spent")
    assert short["holds"] is False
    assert short["detail"] == ("project 'P1' spent 300.00 of 1,000.00 released = 30.0% < 50% "
                               "(needs 500.00 spent) as of 2005-03-01")


def test_min_spent_one_cent_short_shows_the_decimals_that_make_the_difference(ledger):
    ledger.write("ledgers/a.toml", MIN_SPENT.format(released=1000, share=0.5, own=300, child="199.99"))
    short = condition(check(ledger, "T2", "2005-12-31"), "min_spent")
    assert short["holds"] is False
    assert short["detail"] == ("project 'P1' spent 499.99 of 1,000.00 released = 49.999% < 50% "
                               "(needs 500.00 spent) as of 2005-12-31")


def test_min_spent_detail_as_the_issue_writes_it(ledger):
    ledger.write("ledgers/a.toml", MIN_SPENT.format(released="65000.50", share=0.5, own=20000, child=10000))
    detail = condition(check(ledger, "T2", "2005-12-31"), "min_spent")["detail"]
    assert detail.startswith("project 'P1' spent 30,000.00 of 65,000.50 released = 46.2% < 50%")
    assert "(needs 32,500.25 spent)" in detail


def test_min_spent_with_nothing_released_holds(ledger):
    ledger.write("ledgers/a.toml", MIN_SPENT.format(released=1000, share=1, own=1, child=1))
    before_release = condition(check(ledger, "T2", "2005-01-31"), "min_spent")
    assert before_release["holds"] is True
    assert "nothing released yet" in before_release["detail"]


# matched_by

MATCHED = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000

[[commitment]]
id = "CP"
project = "P1"
party = "AGENCY"
date = {counterpart_date}
amount = 500

[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
matched_by = "CP"
{releases}
"""

COUNTERPART_RELEASE = """
[[release]]
commitment = "CP"
date = {date}
amount = {amount}
"""


def test_matched_by_fails_while_the_counterpart_is_not_committed(ledger):
    ledger.write("ledgers/a.toml", MATCHED.format(counterpart_date='"2005-02"', releases=""))
    early = condition(check(ledger, "T1", "2005-02-27"), "matched_by")
    assert early["holds"] is False
    assert early["detail"] == ("counterpart commitment 'CP' dated 2005-02 (2005-02-28) does not count yet "
                               "on 2005-02-27")
    assert holds(ledger, "T1", "2005-02-28", "matched_by") is True


def test_matched_by_holds_while_part_of_the_counterpart_is_unreleased(ledger):
    ledger.write("ledgers/a.toml", MATCHED.format(
        counterpart_date="2005-01-01", releases=COUNTERPART_RELEASE.format(date="2005-01-05", amount=499)))
    partly = condition(check(ledger, "T1", "2010-01-01"), "matched_by")
    assert partly == {"condition": "matched_by", "holds": True,
                      "detail": "counterpart commitment 'CP' has 1.00 of 500.00 unreleased on 2010-01-01"}


@pytest.mark.parametrize("release_date, within, beyond", [
    ("2005-03-01", "2005-04-01", "2005-04-02"),
    ('"2005-02"', "2005-03-31", "2005-04-01"),  # a month counts from its last day
])
def test_matched_by_a_full_release_counts_for_31_days(ledger, release_date, within, beyond):
    ledger.write("ledgers/a.toml", MATCHED.format(
        counterpart_date="2005-01-01", releases=COUNTERPART_RELEASE.format(date=release_date, amount=500)))
    inside = condition(check(ledger, "T1", within), "matched_by")
    assert inside["holds"] is True
    assert "is 31 days before" in inside["detail"] and "within 31" in inside["detail"]
    outside = condition(check(ledger, "T1", beyond), "matched_by")
    assert outside["holds"] is False
    assert "is 32 days before" in outside["detail"] and "more than 31" in outside["detail"]


# the answer as a whole


def test_json_shape_and_the_order_of_conditions(ledger):
    ledger.write("ledgers/a.toml", MATCHED.format(
        counterpart_date="2005-01-01", releases=COUNTERPART_RELEASE.format(date="2005-01-05", amount=100)
    ).replace('matched_by = "CP"', 'matched_by = "CP"\nnot_before = 2005-02-01\nmin_spent = 0'))
    result = ledger.run("release-check", "T1", "--on", "2005-02-01", "--json")
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert list(document) == ["tranche", "on", "releasable", "conditions"]
    assert document["tranche"] == "T1" and document["on"] == "2005-02-01" and document["releasable"] is True
    assert [c["condition"] for c in document["conditions"]] == [
        "committed", "unreleased", "not_before", "min_spent", "matched_by"]
    for entry in document["conditions"]:
        assert list(entry) == ["condition", "holds", "detail"]
        assert entry["holds"] is True and isinstance(entry["detail"], str) and entry["detail"]


def test_only_the_first_two_conditions_apply_to_a_plain_tranche(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.format(date="2005-01-10") + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
""")
    assert [c["condition"] for c in check(ledger, "T1", "2005-02-01")["conditions"]] == ["committed", "unreleased"]


def test_text_answer_one_line_per_condition_then_the_verdict(ledger):
    ledger.write("ledgers/a.toml", AFTER)
    result = ledger.run("release-check", "T2", "--on", "2005-03-09")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:3]] == [["✓", "committed"], ["✓", "unreleased"], ["✗", "after"]]
    assert lines[3] == "Tranche 'T2' may not be released on 2005-03-09: after does not hold."
    assert len(lines) == 4
    result = ledger.run("release-check", "T2", "--on", "2005-03-10")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Tranche 'T2' may be released on 2005-03-10: every condition holds."


def test_exit_2_on_an_unknown_tranche_with_a_suggestion(ledger):
    ledger.write("ledgers/a.toml", AFTER)
    result = ledger.run("release-check", "T3", "--on", "2005-03-10", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "the ledger has no tranche 'T3'" in result.stderr


@pytest.mark.parametrize("args", [["T1", "--on", "2005-13"], ["T1", "--on", "tomorrow"], []])
def test_exit_2_on_bad_usage(ledger, args):
    ledger.write("ledgers/a.toml", AFTER)
    assert ledger.run("release-check", *args).exit_code == 2


def test_exit_2_on_any_ledger_error_even_one_that_leaves_figures_defined(ledger):
    ledger.write("ledgers/a.toml", AFTER + """
[[assert]]
project = "P1"
date = 2005-12-31
released = 1
""")
    result = ledger.run("release-check", "T2", "--on", "2005-03-10", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "assert-failed" in result.stderr and "a.toml:" in result.stderr


def test_warnings_do_not_stop_the_answer(ledger):
    ledger.write("ledgers/a.toml", AFTER.replace('after = ["T1"]', 'after = ["T1"]\ndue = 2005-01-31'))
    result = ledger.run("release-check", "T2", "--on", "2005-03-10")
    assert result.exit_code == 0, result.stderr


def test_exit_2_when_there_is_no_ledger_at_the_path(ledger):
    assert ledger.run("release-check", "T1", "-f", "nowhere").exit_code == 2


def run_on_an_ascii_terminal(ledger, *args):
    """Run cndledger in a process whose standard output is ASCII (as on a C-locale terminal)."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    return subprocess.run([sys.executable, "-m", "cndledger", *args], cwd=ledger.root, env=env, capture_output=True)


def test_a_terminal_that_cannot_write_the_marks_gets_ascii_ones(ledger):
    ledger.write("ledgers/a.toml", AFTER)
    run = run_on_an_ascii_terminal(ledger, "release-check", "T2", "--on", "2005-03-09")
    assert run.returncode == 1, run.stderr
    lines = run.stdout.decode("ascii").splitlines()
    assert [line.split()[:2] for line in lines[:3]] == [["ok", "committed"], ["ok", "unreleased"], ["NO", "after"]]


def test_json_on_a_terminal_that_cannot_write_an_id_escapes_it(ledger):
    ledger.write("ledgers/a.toml", AFTER.replace('"T2"', '"T2-Übergabe"'))
    run = run_on_an_ascii_terminal(ledger, "release-check", "T2-Übergabe", "--on", "2005-03-10", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["tranche"] == "T2-Übergabe"
    text = run_on_an_ascii_terminal(ledger, "release-check", "T2-Übergabe", "--on", "2005-03-10")
    assert text.returncode == 0, text.stderr
    assert text.stdout.decode("ascii").splitlines()[-1] == "Tranche 'T2-?bergabe' may be released on 2005-03-10: every condition holds."


def test_on_the_shipped_ledgers(ledger):
    shipped = str(Path(__file__).resolve().parent.parent / "ledgers")
    document = check(ledger, "TDAP-PAK-CND-TF-1", "2005-01-31", shipped)
    assert document["releasable"] is False
    assert [(c["condition"], c["holds"]) for c in document["conditions"]] == [
        ("committed", True), ("unreleased", True), ("matched_by", False)]
    released = check(ledger, "TDAP-PAK-CND-TF-1", "2005-02", shipped)
    assert [(c["condition"], c["holds"]) for c in released["conditions"]] == [
        ("committed", True), ("unreleased", False), ("matched_by", True)]
