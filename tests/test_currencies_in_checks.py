"""Money in several currencies where checks and reports compare or show amounts (LEDGER-FORMAT.md,
version 2): each test is a user's ledger, as a review of the first implementation wrote it, and what
the contract says the command must print."""

from __future__ import annotations

from conftest import LedgerDir, problems, with_code

PARTY = """\
[[party]]
id = "DON"
name = "Donor"
"""

USD_IN_PKR = PARTY + """
[[project]]
id = "P"
title = "PKR project"
currency = "PKR"

[[commitment]]
id = "C1"
project = "P"
party = "DON"
date = 2005-03-01
amount = 1000
currency = "USD"

[[rate]]
date = 2005-03-01
from = "USD"
to = "PKR"
rate = 60
"""


def test_balance_currency_converts_a_ledger_of_one_currency(ledger: LedgerDir) -> None:
    """`balance --currency C` reports every project in C: a PKR-only ledger with a USD rate."""
    ledger.write("l.toml", PARTY + """
[[project]]
id = "P"
title = "PKR project"
currency = "PKR"
budget = 600000

[[commitment]]
id = "C1"
project = "P"
party = "DON"
date = 2005-03-01
amount = 120000

[[release]]
commitment = "C1"
date = 2005-03-02
amount = 60000

[[expense]]
project = "P"
date = 2005-03-05
amount = 6000

[[rate]]
date = 2005-03-01
from = "USD"
to = "PKR"
rate = 60
""")
    result = ledger.run("balance", "l.toml", "--as-of", "2005-03-31", "--currency", "USD", "--json")
    assert result.exit_code == 0, result.stderr
    project = result.json()["projects"][0]
    assert project["currency"] == "USD"
    assert project["budget"] == "10000.00"
    assert project["committed"] == "2000.00"  # printed 120000.00 (PKR amounts labelled USD)
    assert project["released"] == "1000.00"
    assert project["spent"] == "100.00"
    assert project["gap"] == "8000.00"


def test_a_tranche_may_name_its_commitments_currency(ledger: LedgerDir) -> None:
    """"A [[tranche]], [[release]], [[refund]] or [[decommitment]] ... each takes an optional currency"."""
    ledger.write("l.toml", USD_IN_PKR + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500
currency = "USD"
""")
    assert problems(ledger, "l.toml", "--as-of", "2005-03-31") == []  # printed unknown-key 'currency'


def test_a_tranche_in_another_currency_is_currency_mismatch(ledger: LedgerDir) -> None:
    ledger.write("l.toml", USD_IN_PKR + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500
currency = "PKR"
""")
    found = problems(ledger, "l.toml", "--as-of", "2005-03-31")
    assert [problem["code"] for problem in found] == ["currency-mismatch"]  # printed unknown-key


def test_spent_negative_totals_expenses_in_the_projects_currency(ledger: LedgerDir) -> None:
    """10 USD (600 PKR) then a credit of 500 PKR: spent is 100.00 PKR, never below zero."""
    ledger.write("l.toml", USD_IN_PKR + """
[[release]]
commitment = "C1"
date = 2005-03-02
amount = 100

[[expense]]
project = "P"
date = 2005-03-05
amount = 10
currency = "USD"

[[expense]]
project = "P"
date = 2005-03-05
amount = -500
""")
    found = problems(ledger, "l.toml", "--as-of", "2005-03-31")
    assert with_code(found, "spent-negative") == []  # printed "total -490.00 PKR"


def test_spent_negative_sees_a_credit_in_another_currency(ledger: LedgerDir) -> None:
    """500 PKR spent, then a credit of 10 USD (600 PKR): -100.00 PKR at the end of the day."""
    ledger.write("l.toml", USD_IN_PKR + """
[[release]]
commitment = "C1"
date = 2005-03-02
amount = 100

[[expense]]
project = "P"
date = 2005-03-05
amount = 500

[[expense]]
project = "P"
date = 2005-03-05
amount = -10
currency = "USD"
""")
    found = problems(ledger, "l.toml", "--as-of", "2005-03-31")
    assert [problem["code"] for problem in with_code(found, "spent-negative")] == ["spent-negative"]


def test_over_budget_of_a_derived_budget_compares_in_the_parents_currency(ledger: LedgerDir) -> None:
    """PROG (USD) derives 10,000.00 USD from P's 600,000 PKR; P's 500,000 PKR is 8,333.33 USD: within it."""
    ledger.write("l.toml", PARTY + """
[[project]]
id = "PROG"
title = "Programme"
currency = "USD"

[[project]]
id = "P"
title = "PKR project"
currency = "PKR"
parent = "PROG"
budget = 600000

[[commitment]]
id = "C1"
project = "P"
party = "DON"
date = 2005-03-01
amount = 500000

[[release]]
commitment = "C1"
date = 2005-03-02
amount = 500000

[[rate]]
date = 2005-03-01
from = "USD"
to = "PKR"
rate = 60
""")
    found = problems(ledger, "l.toml", "--as-of", "2005-03-31")
    assert with_code(found, "over-budget") == []  # printed "'PROG' has 500,000.00 USD committed"


def test_a_period_statement_needs_no_rate_before_its_window(ledger: LedgerDir) -> None:
    """Budget and gap are as of D2; outstanding as of D2: nothing is revalued on the day before D1."""
    ledger.write("l.toml", PARTY + """
[[project]]
id = "PROG"
title = "Programme"
currency = "USD"
fiscal_year_start = 7

[[project]]
id = "P"
title = "PKR project"
currency = "PKR"
parent = "PROG"
budget = 600000

[[expense]]
project = "P"
date = 2005-08-15
amount = 12000

[[rate]]
date = 2005-07-01
from = "USD"
to = "PKR"
rate = 60
""")
    result = ledger.run("balance", "l.toml", "--period", "FY2005-06", "--json")
    assert "no-rate" not in result.stderr  # printed no-rate ... on or before 2005-06-30
    project = {row["id"]: row for row in result.json()["projects"]}
    assert project["PROG"]["budget"] == "10000.00"
    assert project["PROG"]["spent"] == "200.00"


def test_checks_name_the_commitments_currency(ledger: LedgerDir) -> None:
    """releases-exceed-tranche compares in the commitment's currency (USD) and must say so."""
    ledger.write("l.toml", USD_IN_PKR + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 300

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-10
amount = 400
""")
    found = with_code(problems(ledger, "l.toml", "--as-of", "2005-03-31"), "releases-exceed-tranche")
    assert "400.00 USD" in found[0]["message"]  # printed "reach 400.00 PKR ... more than its 300.00 PKR"
    assert "PKR" not in found[0]["message"]


def test_tranches_shows_the_commitments_currency(ledger: LedgerDir) -> None:
    ledger.write("l.toml", USD_IN_PKR)
    result = ledger.run("tranches", "l.toml", "--as-of", "2005-03-31", "--json")
    commitment = result.json()["commitments"][0]
    assert (commitment["currency"], commitment["amount"]) == ("USD", "1000.00")  # printed PKR, 1000.00


def test_no_rate_for_a_budget_does_not_speak_of_an_outstanding_amount(ledger: LedgerDir) -> None:
    ledger.write("l.toml", """
[[project]]
id = "PROG"
title = "Programme"
currency = "USD"

[[project]]
id = "P"
title = "PKR project"
currency = "PKR"
parent = "PROG"
budget = 600000
""")
    found = with_code(problems(ledger, "l.toml", "--as-of", "2005-03-31"), "no-rate")
    assert found and "outstanding" not in found[0]["message"]  # printed "its outstanding amount, revalued"


def test_condition_broken_leaves_the_release_out_in_the_projects_currency(ledger: LedgerDir) -> None:
    """Before T2's release: 30,000.00 PKR released (T1's 500 USD), 18,000.00 PKR spent: 60% >= 50%, so
    min_spent held. The release itself (500 USD = 30,000.00 PKR) must be left out converted."""
    ledger.write("l.toml", USD_IN_PKR + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500

[[tranche]]
id = "T2"
commitment = "C1"
amount = 500
min_spent = 0.5

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-10
amount = 500

[[expense]]
project = "P"
date = 2005-03-20
amount = 300
currency = "USD"

[[release]]
commitment = "C1"
tranche = "T2"
date = 2005-03-25
amount = 500
""")
    assert ledger.run("release-check", "T2", "l.toml", "--on", "2005-03-24").exit_code == 0
    found = problems(ledger, "l.toml", "--as-of", "2005-03-31")
    assert with_code(found, "condition-broken") == []  # printed "spent 18,000.00 of 59,500.00 released = 30.3%"
