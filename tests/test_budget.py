"""Budgets by line and period (format v2): `[[budget]]` lines, their checks, and `cndledger budget`."""

import csv
import io

import pytest

from conftest import problems

TRUST_FUND = """\
[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "TF"
title = "A trust fund"
currency = "USD"
fiscal_year_start = 7
clusters = ["health", "wash"]

[[project]]
id = "TF-A"
title = "A component"
currency = "USD"
parent = "TF"
clusters = ["health"]

[[commitment]]
id = "C1"
project = "TF"
party = "DONOR"
date = 2005-01-10
amount = 100000

[[release]]
commitment = "C1"
date = 2005-01-20
amount = 100000
"""

LINES = TRUST_FUND + """
[[budget]]
project = "TF"
period = "FY2005-06"
amount = 1000
cluster = "health"

[[budget]]
project = "TF"
period = "FY2005-06"
amount = 1200
cluster = "health"
revision = 2006-01-15

[[budget]]
project = "TF"
period = "FY2005-06"
amount = 500
category = "travel"

[[budget]]
project = "TF-A"
period = "2005-Q3"
amount = 100

[[expense]]
project = "TF"
date = 2005-06-30
amount = 11
cluster = "health"

[[expense]]
project = "TF"
date = 2005-07-01
amount = 600
cluster = "health"

[[expense]]
project = "TF-A"
date = 2005-09-30
amount = 70
cluster = "health"
category = "travel"
reference = "INV-0042"

[[expense]]
project = "TF"
date = 2006-06-30
amount = 33.33
category = "fuel"

[[expense]]
project = "TF"
date = 2006-07-01
amount = 50
cluster = "health"
"""


def _budget(ledger, *args):
    result = ledger.run("budget", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def _rows(document):
    return [(line["project"], line["period"], line["category"], line["cluster"], line["budget"], line["original"],
             line["spent"], line["remaining"], line["used"]) for line in document["lines"]]


def test_lines_in_tree_order_budget_as_of_the_day_spent_by_category_and_cluster(ledger):
    ledger.write("ledgers/a.toml", LINES)
    document = _budget(ledger, "--as-of", "2006-06-30")
    assert document["as_of"] == "2006-06-30" and document["period"] is None and document["from"] is None
    assert _rows(document) == [
        # the cluster's line: its own expense and the component's (same cluster), not the one before July
        ("TF", "FY2005-06", None, "health", "1200.00", "1000.00", "670.00", "530.00", "0.5583"),
        # the category's line: the component's travel, whatever its cluster
        ("TF", "FY2005-06", "travel", None, "500.00", None, "70.00", "430.00", "0.1400"),
        # a line without category or cluster takes every expense of its project and period
        ("TF-A", "2005-Q3", None, None, "100.00", None, "70.00", "30.00", "0.7000"),
    ]
    line = document["lines"][0]
    assert (line["start"], line["end"], line["currency"]) == ("2005-07-01", "2006-06-30", "USD")
    assert document["unbudgeted"] == [{"project": "TF", "period": "FY2005-06", "currency": "USD", "spent": "33.33"}]


def test_a_revision_counts_from_its_own_day(ledger):
    ledger.write("ledgers/a.toml", LINES)
    before = _budget(ledger, "--as-of", "2006-01-14")["lines"][0]
    on_the_day = _budget(ledger, "--as-of", "2006-01-15")["lines"][0]
    after = _budget(ledger, "--as-of", "2006-01-16")["lines"][0]
    assert (before["budget"], before["original"]) == ("1000.00", None)
    assert (on_the_day["budget"], on_the_day["original"]) == ("1200.00", "1000.00")
    assert (after["budget"], after["original"]) == ("1200.00", "1000.00")


def test_period_selects_lines_by_their_projects_fiscal_year_and_never_cuts_their_spent(ledger):
    ledger.write("ledgers/a.toml", LINES)
    document = _budget(ledger, "--period", "2005-Q4", "--as-of", "2006-06-30")
    assert document["period"] == "2005-Q4"
    # the quarter overlaps the fiscal year's lines, not the component's Q3; their spent is the whole year's
    assert [(line["project"], line["period"], line["spent"]) for line in document["lines"]] == [
        ("TF", "FY2005-06", "670.00"), ("TF", "FY2005-06", "70.00")]
    fiscal = _budget(ledger, "--period", "FY2005-06", "--as-of", "2006-06-30")
    assert len(fiscal["lines"]) == 3  # the component inherits July: its Q3 lies within FY2005-06
    later = _budget(ledger, "--from", "2005-10", "--as-of", "2006-06-30")
    assert later["from"] == "2005-10-01" and [line["project"] for line in later["lines"]] == ["TF", "TF"]


def test_csv_and_table(ledger):
    ledger.write("ledgers/a.toml", LINES)
    result = ledger.run("budget", "--csv", "--as-of", "2006-06-30")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["row", "project", "period", "start", "end", "category", "cluster", "currency", "budget",
                       "original", "spent", "remaining", "used"]
    assert rows[1] == ["line", "TF", "FY2005-06", "2005-07-01", "2006-06-30", "", "health", "USD", "1200.00",
                       "1000.00", "670.00", "530.00", "0.5583"]
    assert rows[-1] == ["unbudgeted", "TF", "FY2005-06", "2005-07-01", "2006-06-30", "", "", "USD", "", "",
                        "33.33", "", ""]
    table = ledger.run("budget", "--as-of", "2006-06-30", "--project", "TF-A").stdout
    assert table.splitlines()[0] == "Budget as of 2006-06-30"
    assert "TF-A     2005-Q3  —         —        USD  100.00" in table and "FY2005-06" not in table


def test_budget_line_exceeded_warns_at_the_amount_in_force(ledger):
    ledger.write("ledgers/a.toml", LINES + """
[[expense]]
project = "TF"
date = 2006-02-01
amount = 600
cluster = "health"
""")
    found = [problem for problem in problems(ledger, "--as-of", "2006-06-30") if problem["code"] == "budget-line-exceeded"]
    assert [(problem["line"], problem["message"]) for problem in found] == [
        (40, ("budget line of project 'TF' for FY2005-06, cluster 'health': spent 1,270.00 USD is above its budget "
             "1,200.00 USD as of 2006-06-30 (by 70.00 USD)"))]
    assert found[0]["severity"] == "warning"


def test_period_labels_judged_by_the_projects_fiscal_year(ledger):
    ledger.write("ledgers/a.toml", TRUST_FUND + """
[[budget]]
project = "TF-A"
period = "FY2005"
amount = 100

[[budget]]
project = "TF"
period = "FY2005-2006"
amount = 100

[[budget]]
project = "TF"
period = "2005"
amount = 100
revision = "2005-06"
""")
    result = ledger.run("check")
    assert result.exit_code == 1
    assert ("a.toml:33: error[bad-value]: 'period' in [[budget]]: 'FY2005' is the form of a fiscal year that starts "
            "in January, but the project's fiscal year starts in July (fiscal_year_start 7)") in result.stdout
    assert "= hint: write FY2005-06: the fiscal year from 2005-07-01 to 2006-06-30" in result.stdout
    assert "a.toml:38: error[bad-value]: 'period' in [[budget]]: 'FY2005-2006' is not a period" in result.stdout
    assert "= hint: write FY2005-06, or FY2005 where the fiscal year starts in January" in result.stdout
    assert ("a.toml:45: error[bad-value]: 'revision' in [[budget]]: expected a day such as 2005-02-15, got the "
            "month '2005-06'") in result.stdout


def test_originals_revisions_and_overlaps(ledger):
    ledger.write("ledgers/a.toml", TRUST_FUND + """
[[budget]]
project = "TF"
period = "FY2005-06"
amount = 100

[[budget]]
project = "TF"
period = "FY2005-06"
amount = 200

[[budget]]
project = "TF"
period = "2006"
amount = 100
category = "x"
revision = 2006-01-01

[[budget]]
project = "TF"
period = "2006"
amount = 100
category = "x"
revision = 2006-01-01

[[budget]]
project = "TF"
period = "2006-Q1"
amount = 100

[[budget]]
project = "TF"
period = "2006-Q3"
amount = 100

[[budget]]
project = "TF"
period = "2006-Q1"
amount = 100
cluster = "wash"
""")
    found = [(problem["line"], problem["code"], problem["message"]) for problem in problems(ledger)]
    assert found == [
        (36, "duplicate-id", ("budget line of project 'TF' for FY2005-06 has a second original (the first at "
                             "ledgers/a.toml:31); a revised amount needs `revision = DAY`")),
        # a revision without an original, at the first revision's header
        (41, "missing-key", ("budget line of project 'TF' for 2006, category 'x' has a revision but no original: "
                            "every line needs an entry without 'revision', its original amount")),
        (53, "duplicate-id", ("budget line of project 'TF' for 2006, category 'x' has a second revision dated "
                             "2006-01-01 (the first at ledgers/a.toml:41)")),
        # a quarter within a fiscal year of the same kind of line (Q3 only touches it: no overlap)
        (57, "budget-overlap", ("budget line of project 'TF' for 2006-Q1 (2006-01-01 to 2006-03-31) overlaps the "
                               "line for FY2005-06 (2005-07-01 to 2006-06-30) at ledgers/a.toml:31: lines of one "
                               "project, category and cluster must not share days")),
    ]


def test_a_version_1_ledger_has_no_budget_lines(ledger):
    ledger.write("ledgers/a.toml", TRUST_FUND)
    document = _budget(ledger)
    assert document["lines"] == [] and document["unbudgeted"] == []


def test_bad_usage(ledger):
    ledger.write("ledgers/a.toml", LINES)
    both = ledger.run("budget", "--period", "FY2005-06", "--from", "2005-07")
    assert both.exit_code == 2 and "--period excludes --from" in both.stderr
    wrong_form = ledger.run("budget", "--period", "FY2005")
    assert wrong_form.exit_code == 2
    assert "--period FY2005: for project 'TF': 'FY2005' is the form of a fiscal year that starts in January" \
        in wrong_form.stderr


# From the cache: a warm `check` or `budget` reads each line's spent from its running totals, never the expenses.
OVER = LINES + """
[[expense]]
project = "TF-A"
date = 2006-01-10
amount = 600
cluster = "health"

[[expense]]
project = "TF-A"
date = 2006-01-10
amount = -20.5
cluster = "health"
category = "fuel"
"""


def _figures_and_warnings(ledger, day, *cache):
    report = ledger.run("budget", "--json", "--as-of", day, *cache)
    checked = ledger.run("check", "--format", "json", "--as-of", day, *cache)
    assert report.exit_code == 0 and checked.exit_code in (0, 1), (report.stderr, checked.stderr)
    warnings = [(problem["file"], problem["line"], problem["message"]) for problem in checked.json()["problems"]
                if problem["code"] == "budget-line-exceeded"]
    return report.json(), warnings


def test_budget_figures_and_warnings_are_the_same_from_the_cache_as_from_the_files(ledger, monkeypatch):
    import cndledger.core.api

    ledger.write("ledgers/a.toml", OVER)
    days = ["2004-12-31", "2005-06-30", "2005-07-01", "2006-01-09", "2006-01-10", "2006-01-14", "2006-01-15",
            "2006-06-30", "2007-12-31"]
    cold = {day: _figures_and_warnings(ledger, day, "--no-cache") for day in days}
    ledger.run("check")  # writes the cache entry
    monkeypatch.setattr(cndledger.core.api, "load_contents", lambda contents: pytest.fail("read from the files"))
    warm = {day: _figures_and_warnings(ledger, day) for day in days}
    assert warm == cold
    # not vacuous: an as-of inside the fiscal year, after the revision; the component's spending (a credit
    # among it) counts in the trust fund's cluster line; the component's own line is of Q3 only
    document, warnings = warm["2006-01-15"]
    assert _rows(document) == [
        ("TF", "FY2005-06", None, "health", "1200.00", "1000.00", "1249.50", "-49.50", "1.0413"),
        ("TF", "FY2005-06", "travel", None, "500.00", None, "70.00", "430.00", "0.1400"),
        ("TF-A", "2005-Q3", None, None, "100.00", None, "70.00", "30.00", "0.7000"),
    ]
    assert document["unbudgeted"] == []
    assert warnings == [("ledgers/a.toml", 40, (  # the revision in force
        "budget line of project 'TF' for FY2005-06, cluster 'health': spent 1,249.50 USD is above its budget "
        "1,200.00 USD as of 2006-01-15 (by 49.50 USD)"))]
    assert [warning[1:] for warning in warm["2006-01-14"][1]] == [(34, (  # the day before it: the original
        "budget line of project 'TF' for FY2005-06, cluster 'health': spent 1,249.50 USD is above its budget "
        "1,000.00 USD as of 2006-01-14 (by 249.50 USD)"))]
    assert warm["2006-01-09"][1] == []
    assert [line["spent"] for line in warm["2004-12-31"][0]["lines"]] == ["0.00", "0.00", "0.00"]


def test_a_budget_report_from_the_cache_builds_no_expense(ledger):
    import datetime as dt

    from cndledger.core.api import open_ledger
    from cndledger.core.budget import budget_report

    path = str(ledger.write("a.toml", OVER))
    day = dt.date(2007, 12, 31)  # after every expense (an expense after the day is read to warn future-dated)
    first = open_ledger([path], day)  # read from the file; as a library call, cached before it returns
    opened = open_ledger([path], day)
    assert [str(line.spent) for line in budget_report(opened.ledger, day).lines] == \
        [str(line.spent) for line in budget_report(first.ledger, day).lines] == ["1249.5", "70", "70"]
    assert [problem.code for problem in opened.problems] == [problem.code for problem in first.problems]
    assert "expenses" not in vars(opened.ledger)  # never built: neither the check nor the report needed them


def test_a_childs_spending_in_another_currency_counts_converted_from_the_cache_as_from_the_files(ledger, monkeypatch):
    import cndledger.core.api

    ledger.write("ledgers/a.toml", TRUST_FUND + """
[[project]]
id = "TF-P"
title = "A component in rupees"
currency = "PKR"
parent = "TF"
clusters = ["health"]

[[rate]]
date = 2005-01-01
from = "USD"
to = "PKR"
rate = 60

[[rate]]
date = 2006-01-01
from = "USD"
to = "PKR"
rate = 64

[[budget]]
project = "TF"
period = "FY2005-06"
amount = 1000
cluster = "health"

[[budget]]
project = "TF-P"
period = "FY2005-06"
amount = 50000

[[expense]]
project = "TF-P"
date = 2005-08-01
amount = 6000
cluster = "health"

[[expense]]
project = "TF-P"
date = 2006-02-01
amount = 64001
cluster = "health"
""")
    days = ["2005-07-31", "2005-08-01", "2006-01-31", "2006-06-30"]
    cold = {day: _figures_and_warnings(ledger, day, "--no-cache") for day in days}
    ledger.run("check")
    monkeypatch.setattr(cndledger.core.api, "load_contents", lambda contents: pytest.fail("read from the files"))
    warm = {day: _figures_and_warnings(ledger, day) for day in days}
    assert warm == cold
    document, warnings = warm["2006-06-30"]
    # each expense converted on its own day into the line's currency: 6000 / 60 + 64001 / 64 (1000.015625)
    assert [(line["project"], line["currency"], line["spent"]) for line in document["lines"]] == [
        ("TF", "USD", "1100.02"), ("TF-P", "PKR", "70001.00")]
    assert [message for _, _, message in warnings] == [
        ("budget line of project 'TF' for FY2005-06, cluster 'health': spent 1,100.02 USD is above its budget "
        "1,000.00 USD as of 2006-06-30 (by 100.02 USD)"),
        ("budget line of project 'TF-P' for FY2005-06: spent 70,001.00 PKR is above its budget 50,000.00 PKR as of "
        "2006-06-30 (by 20,001.00 PKR)")]
    assert [line["spent"] for line in warm["2005-07-31"][0]["lines"]] == ["0.00", "0.00"]
