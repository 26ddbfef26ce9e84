"""When money counts and how it adds up (core/counting.py), as balance, register, asserts, tranches
and release-check report it, on both sides of each boundary day."""

from decimal import localcontext

import pytest

from conftest import PREAMBLE

CHILD = PREAMBLE + """
[[project]]
id = "P1-A"
title = "A child"
currency = "USD"
parent = "P1"
"""

# A commitment known by its month counts from 2005-03-31; a release against it dated 2005-03-10 is
# not an error (the commitment may be of March 1st), and counts from the commitment's day too.
EARLY_RELEASE = CHILD + """
[[commitment]]
id = "C1"
project = "P1-A"
party = "DONOR"
date = "2005-03"
amount = 1000

[[tranche]]
id = "T1"
commitment = "C1"
amount = 400

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-10
amount = 400
"""


def figures(ledger, as_of: str, *args: str) -> dict[str, dict]:
    result = ledger.run("balance", "--json", "--as-of", as_of, *args)
    assert result.exit_code == 0, result.stderr
    return {project["id"]: project for project in result.json()["projects"]}


def events(ledger, as_of: str) -> list[tuple]:
    result = ledger.run("register", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return [(event["kind"], event["project"], event["counts_from"], event["amount"], event["committed"],
             event["released"], event["spent"]) for event in result.json()["events"]]


@pytest.mark.parametrize("as_of, committed, released", [
    ("2005-03-10", "0.00", "0.00"),  # the release's own day: its commitment does not count yet
    ("2005-03-30", "0.00", "0.00"),
    ("2005-03-31", "1000.00", "400.00"),
])
def test_a_release_dated_before_its_commitment_counts_from_the_commitment_day(ledger, as_of, committed, released):
    ledger.write("ledgers/a.toml", EARLY_RELEASE)
    assert ledger.run("check").exit_code == 0
    for project in ("P1-A", "P1"):  # the parent's figures include its child's
        shown = figures(ledger, as_of)[project]
        assert (shown["committed"], shown["released"]) == (committed, released)


def test_the_register_dates_an_early_release_on_its_commitment_day(ledger):
    ledger.write("ledgers/a.toml", EARLY_RELEASE)
    assert events(ledger, "2005-03-30") == []
    assert events(ledger, "2005-03-31") == [
        ("commitment", "P1-A", "2005-03-31", "1000.00", "1000.00", "0.00", "0.00"),
        ("release", "P1-A", "2005-03-31", "400.00", "1000.00", "400.00", "0.00"),
    ]


@pytest.mark.parametrize("day, holds", [("2005-03-30", False), ("2005-03-31", True)])
def test_an_assert_counts_an_early_release_from_its_commitment_day(ledger, day, holds):
    ledger.write("ledgers/a.toml", EARLY_RELEASE + f"""
[[assert]]
project = "P1"
date = {day}
released = 400
""")
    result = ledger.run("check")
    assert result.exit_code == (0 if holds else 1)
    if not holds:
        assert ("error[assert-failed]: released of 'P1' as of 2005-03-30: asserted 400.00 USD, computed 0.00 USD, "
                "difference -400.00 USD") in result.stdout + result.stderr


@pytest.mark.parametrize("on, status", [("2005-03-30", "scheduled"), ("2005-03-31", "released")])
def test_the_tranche_of_an_early_release_is_released_from_the_commitment_day(ledger, on, status):
    ledger.write("ledgers/a.toml", EARLY_RELEASE)
    result = ledger.run("tranches", "--json", "--as-of", on)
    assert result.exit_code == 0, result.stderr
    commitments = result.json()["commitments"]
    assert [line["status"] for entry in commitments for line in entry["tranches"]] == ([status] if commitments else [])
    assert bool(commitments) == (status == "released")  # a commitment is listed once it counts


MONTH_EXPENSE = CHILD + """
[[expense]]
project = "P1-A"
date = "2005-02"
amount = 250
"""


@pytest.mark.parametrize("cache", [("--no-cache",), ()])  # summed one by one; from the cache's running totals
@pytest.mark.parametrize("as_of, spent", [("2005-02-01", "0.00"), ("2005-02-27", "0.00"), ("2005-02-28", "250.00"),
                                          ("2005-03-01", "250.00")])
def test_a_month_precision_expense_counts_from_the_month_last_day(ledger, cache, as_of, spent):
    ledger.write("ledgers/a.toml", MONTH_EXPENSE)
    figures(ledger, as_of, *cache)  # a first run writes the cache; the second reads it where used
    shown = figures(ledger, as_of, *cache)
    assert (shown["P1-A"]["spent"], shown["P1"]["spent"]) == (spent, spent)
    assert shown["P1"]["available"] == f"-{spent}" if spent != "0.00" else shown["P1"]["available"] == "0.00"


MONTHLY_INKIND = CHILD + """
[[inkind]]
id = "K1"
project = "P1-A"
party = "DONOR"
description = "an office"
nature = "services"
start = 2005-01-15
end = "2005-02"
monthly_value = 100
"""


@pytest.mark.parametrize("as_of, valued", [
    ("2005-01-30", "0.00"),    # the first month has not ended
    ("2005-01-31", "100.00"),  # ... and now has
    ("2005-02-27", "100.00"),
    ("2005-02-28", "200.00"),
    ("2005-03-31", "200.00"),  # nothing after its end
])
def test_in_kind_accrues_by_month_across_a_month_end(ledger, as_of, valued):
    ledger.write("ledgers/a.toml", MONTHLY_INKIND)
    shown = figures(ledger, as_of)
    assert (shown["P1-A"]["inkind_valued"], shown["P1"]["inkind_valued"]) == (valued, valued)
    accrued = [(event[2], event[3]) for event in events(ledger, as_of)]
    assert len(accrued) * 100 == int(float(valued))
    assert accrued == [("2005-01-31", "100.00"), ("2005-02-28", "100.00")][:len(accrued)]


def test_the_thread_decimal_context_changes_no_figure(ledger):
    """Money is summed in counting.MONEY, never in the caller's context (here three digits)."""
    ledger.write("ledgers/a.toml", MONTH_EXPENSE + """
[[commitment]]
id = "C1"
project = "P1-A"
party = "DONOR"
date = 2005-01-10
amount = 123_456.78

[[release]]
commitment = "C1"
date = 2005-01-20
amount = 12_345.67
""")
    expected = figures(ledger, "2005-12-31", "--no-cache")
    with localcontext(prec=3):
        assert figures(ledger, "2005-12-31", "--no-cache") == expected
        assert figures(ledger, "2005-12-31") == expected
    assert (expected["P1"]["outstanding"], expected["P1"]["available"]) == ("111111.11", "12095.67")


def test_running_totals_are_kept_after_money_was_rounded_elsewhere():
    """MONEY's own operations raise its flags (a share of 1/3 is rounded); the running totals made
    after them still hold (a stale flag would send every warm balance back to summing one by one)."""
    import datetime as dt

    from cndledger.core import counting
    from cndledger.format.dates import LedgerDate
    from cndledger.format.records import Expense

    counting.MONEY.divide(1, 3)
    expenses = [Expense(None, 0, "P1", LedgerDate.of_day(dt.date(2005, 1, 1)), counting.MONEY.add(1, 0))]
    totals = counting.spent_totals(expenses)
    assert totals is not None
    assert counting.totals_by(totals, ["P1"], dt.date(2005, 1, 1)) == {"P1": 1}
