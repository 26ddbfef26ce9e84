"""Money in several currencies (LEDGER-FORMAT "Money in several currencies"): each entry converted on
its own day at the ledger's rates (or its own), rounded half away from zero to the target's minor unit;
a parent of another currency counting its children's entries one by one; outstanding revalued on the
as-of day; `no-rate` located at the entry that needs it; `balance --currency`."""

import pytest

from conftest import PREAMBLE, line_of, problems, with_code

RATE = '\n[[rate]]\ndate = {date}\nfrom = "{source}"\nto = "{target}"\nrate = {rate}\n'


def rate(date: str, source: str, target: str, value: str) -> str:
    return RATE.format(date=date, source=source, target=target, rate=value)


def commitment(amount: str, currency: str = "PKR", date: str = "2005-02-15", ident: str = "C1", **more: str) -> str:
    extra = "".join(f"{key} = {value}\n" for key, value in more.items())
    return (f'\n[[commitment]]\nid = "{ident}"\nproject = "P1"\nparty = "DONOR"\ndate = {date}\namount = {amount}\n'
            f'currency = "{currency}"\n{extra}')


def figures(ledger, *args: str) -> dict:
    result = ledger.run("balance", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {project["id"]: project for project in result.json()["projects"]}


# --- the rate on a day -------------------------------------------------------------------------

def test_a_commitment_in_rupees_counts_in_dollars_at_the_rate_on_its_day(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("5972000") + rate("2005-02-01", "USD", "PKR", "59.72")
                 + rate("2005-03-01", "USD", "PKR", "60"))
    p1 = figures(ledger, "--as-of", "2005-02-28")["P1"]
    assert (p1["currency"], p1["committed"], p1["outstanding"], p1["exchange_difference"]) == (
        "USD", "100000.00", "100000.00", "0.00")


def test_a_rate_dated_the_day_itself_applies_and_one_dated_the_day_after_does_not(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("5972000") + rate("2005-02-15", "USD", "PKR", "59.72"))
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["committed"] == "100000.00"
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment("5972000") + rate("2005-02-16", "USD", "PKR", "59.72"))
    (missing,) = problems(ledger, "--as-of", "2005-02-28")
    assert (missing["code"], missing["line"]) == ("no-rate", line_of(path, "[[commitment]]"))
    assert "no rate from PKR to USD on or before 2005-02-15 (the earliest is dated 2005-02-16)" in missing["message"]


def test_a_rate_written_the_other_way_round_divides_and_the_direct_one_wins_a_tie(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("1000") + rate("2005-02-01", "PKR", "USD", "0.02"))
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["committed"] == "20.00"
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("1000") + rate("2005-02-01", "USD", "PKR", "40")
                 + rate("2005-02-01", "PKR", "USD", "0.02"))
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["committed"] == "20.00"  # PKR→USD is the direct pair
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("1000") + rate("2005-02-01", "USD", "PKR", "40")
                 + rate("2005-01-01", "PKR", "USD", "0.02"))
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["committed"] == "25.00"  # the latest, either way round


def test_no_rate_is_chained_through_a_third_currency(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment("1000") + rate("2005-01-01", "PKR", "EUR", "0.015")
                        + rate("2005-01-01", "EUR", "USD", "1.3"))
    (missing,) = problems(ledger, "--as-of", "2005-02-28")
    assert missing["code"] == "no-rate" and missing["line"] == line_of(path, "[[commitment]]")
    assert "the ledger has no rate between PKR and USD" in missing["message"]


@pytest.mark.parametrize("amount, expected", [
    ("1.25", "0.63"),  # 0.625: half a cent rounds up
    ("1.23", "0.62"),  # 0.615 → 0.62: half away from zero
    ("1.22", "0.61"),  # 0.61
    ("1.21", "0.61"),  # 0.605 → 0.61
])
def test_each_conversion_rounds_half_away_from_zero_to_the_cent(ledger, amount, expected):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment(amount) + rate("2005-01-01", "PKR", "USD", "0.5"))
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["committed"] == expected


def test_a_credit_note_in_another_currency_rounds_away_from_zero_too(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + rate("2005-01-01", "PKR", "USD", "0.5") + """
[[expense]]
project = "P1"
date = 2005-02-01
amount = 10.01
currency = "PKR"

[[expense]]
project = "P1"
date = 2005-02-02
amount = -1.25
currency = "PKR"
""")
    # 5.005 → 5.01 and −0.625 → −0.63: each converted on its own, never the sum (8.76 × 0.5 = 4.38)
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["spent"] == "4.38"


def test_figures_add_converted_entries_never_a_converted_sum(ledger):
    expenses = "".join(f'\n[[expense]]\nproject = "P1"\ndate = 2005-02-0{day}\namount = 0.01\ncurrency = "PKR"\n'
                       for day in range(1, 4))
    ledger.write("ledgers/a.toml", PREAMBLE + rate("2005-01-01", "PKR", "USD", "0.5") + expenses)
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["spent"] == "0.03"  # 0.005 → 0.01 three times, not 0.02


def test_an_entry_dated_by_month_converts_on_the_months_last_day(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("1000", date='"2005-02"')
                 + rate("2005-02-01", "PKR", "USD", "0.02") + rate("2005-02-28", "PKR", "USD", "0.01"))
    assert figures(ledger, "--as-of", "2005-02-28")["P1"]["committed"] == "10.00"


def test_a_monthly_value_converts_each_month_on_its_last_day(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + rate("2005-01-01", "PKR", "USD", "0.02")
                 + rate("2005-02-15", "PKR", "USD", "0.01") + """
[[inkind]]
id = "OFFICE"
project = "P1"
party = "DONOR"
description = "Office space"
nature = "services"
start = "2005-01"
monthly_value = 1000
currency = "PKR"
""")
    # January at 0.02 (20.00), February and March at 0.01 (10.00 each)
    assert figures(ledger, "--as-of", "2005-03-31")["P1"]["inkind_valued"] == "40.00"


# --- revaluation: outstanding and the exchange difference ---------------------------------------

RELEASED = PREAMBLE + commitment("100000", date="2005-01-10") + """
[[release]]
commitment = "C1"
date = 2005-02-10
amount = 60000
""" + rate("2005-01-01", "USD", "PKR", "50") + rate("2005-02-01", "USD", "PKR", "60") + rate("2005-03-01", "USD", "PKR", "80")


def test_outstanding_is_revalued_on_the_day_and_the_exchange_difference_closes_the_gap(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    p1 = figures(ledger, "--as-of", "2005-03-31")["P1"]
    # committed 100,000 PKR at 50 = 2,000.00; released 60,000 at 60 = 1,000.00; 40,000 unreleased at 80 = 500.00
    assert (p1["committed"], p1["released"], p1["outstanding"], p1["exchange_difference"]) == (
        "2000.00", "1000.00", "500.00", "500.00")
    (donor,) = p1["by_party"]
    assert donor["outstanding"] == "500.00"


def test_an_assert_may_assert_the_exchange_difference(ledger):
    path = ledger.write("ledgers/a.toml", RELEASED + '\n[[assert]]\nproject = "P1"\ndate = 2005-03-31\n'
                        'exchange_difference = 500\noutstanding = 500\n')
    assert problems(ledger, "--as-of", "2005-03-31") == []
    ledger.write("ledgers/a.toml", RELEASED + '\n[[assert]]\nproject = "P1"\ndate = 2005-03-31\n'
                 'exchange_difference = 0\n')
    (failed,) = with_code(problems(ledger, "--as-of", "2005-03-31"), "assert-failed")
    assert "exchange_difference of 'P1' as of 2005-03-31: asserted 0.00 USD, computed 500.00 USD" in failed["message"]
    assert path.exists()


def test_balance_in_the_commitments_own_currency_has_no_exchange_difference(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("balance", "--json", "--as-of", "2005-03-31", "--currency", "PKR")
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["currency"] == "PKR"
    (p1,) = document["projects"]
    assert (p1["currency"], p1["committed"], p1["released"], p1["outstanding"], p1["exchange_difference"]) == (
        "PKR", "100000.00", "60000.00", "40000.00", "0.00")


# --- an entry's own rate ------------------------------------------------------------------------

def test_an_entrys_own_rate_replaces_the_ledgers_in_its_projects_currency_only(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("100000", date="2005-01-10", rate="0.025")
                 + rate("2005-01-01", "USD", "PKR", "50") + rate("2005-01-01", "USD", "EUR", "0.8"))
    p1 = figures(ledger, "--as-of", "2005-03-31")["P1"]
    assert p1["committed"] == "2500.00"  # 100,000 × 0.025, the bank's rate
    assert p1["outstanding"] == "2000.00"  # a revaluation never uses it: 100,000 ÷ 50
    assert p1["exchange_difference"] == "500.00"
    # In another currency, from the entry's own amount at the ledger's rates (PKR→EUR has none: no-rate)
    result = ledger.run("balance", "--json", "--as-of", "2005-03-31", "--currency", "EUR")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no rate from PKR to EUR on or before 2005-01-10" in result.stderr


def test_a_rate_on_an_entry_in_its_projects_own_currency_is_bad_value(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment("100", currency="USD", rate="1.5"))
    (bad,) = problems(ledger)
    assert (bad["code"], bad["line"]) == ("bad-value", line_of(path, "rate = 1.5"))
    assert "nothing to convert" in bad["message"]


def test_a_release_in_rupees_against_a_commitment_in_rupees_takes_its_own_rate(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("100000", date="2005-01-10") + """
[[release]]
commitment = "C1"
date = 2005-02-10
amount = 50000
rate = 0.02
""" + rate("2005-01-01", "USD", "PKR", "50"))
    p1 = figures(ledger, "--as-of", "2005-03-31")["P1"]
    assert (p1["committed"], p1["released"], p1["outstanding"]) == ("2000.00", "1000.00", "1000.00")


# --- a tree of several currencies -------------------------------------------------------------

TREE = PREAMBLE + """
[[project]]
id = "P2"
title = "A child in rupees"
currency = "PKR"
parent = "P1"
budget = 1000000

[[commitment]]
id = "C2"
project = "P2"
party = "DONOR"
date = 2005-01-10
amount = 100.01

[[commitment]]
id = "C3"
project = "P2"
party = "DONOR"
date = 2005-01-11
amount = 100.01
""" + rate("2005-01-01", "PKR", "USD", "0.5") + rate("2005-06-01", "PKR", "USD", "0.25")


def test_a_child_in_another_currency_counts_in_its_parent_entry_by_entry(ledger):
    ledger.write("ledgers/a.toml", TREE)
    projects = figures(ledger, "--as-of", "2005-03-31")
    assert (projects["P2"]["currency"], projects["P2"]["committed"]) == ("PKR", "200.02")
    # 50.005 → 50.01 twice; converting the child's sum (200.02 × 0.5 = 100.01) would lose a cent
    assert (projects["P1"]["currency"], projects["P1"]["committed"]) == ("USD", "100.02")
    assert projects["P1"]["budget"] == "500000.00"  # the child's budget at the rate on the day


def test_a_childs_budget_counts_in_its_parents_derived_budget_at_the_rate_on_the_day(ledger):
    ledger.write("ledgers/a.toml", TREE)
    assert figures(ledger, "--as-of", "2005-06-30")["P1"]["budget"] == "250000.00"


def test_over_budget_compares_in_the_projects_currency(ledger):
    # The child's 150,000,000 PKR are 1,500,000.00 USD at 0.01: over the programme's budget of 2,000,000? No.
    ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"\n', 'currency = "USD"\nbudget = 2000000\n', 1)
                 + """
[[project]]
id = "P2"
title = "A child in rupees"
currency = "PKR"
parent = "P1"

[[commitment]]
id = "C2"
project = "P2"
party = "DONOR"
date = 2005-01-10
amount = 150000000
""" + rate("2005-01-01", "PKR", "USD", "0.01"))
    assert problems(ledger, "--as-of", "2005-03-31") == []


def test_the_register_shows_each_event_in_its_own_currency_and_in_its_projects(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("register", "--json", "--as-of", "2005-03-31")
    assert result.exit_code == 0, result.stderr
    events = result.json()["events"]
    commitment_event = next(event for event in events if event["kind"] == "commitment")
    assert commitment_event["amount"] == "2000.00" and commitment_event["currency"] == "USD"
    assert (commitment_event["own_amount"], commitment_event["own_currency"]) == ("100000.00", "PKR")


# --- reports meet what check was not asked about ----------------------------------------------

def test_a_report_for_a_day_before_any_rate_stops_with_a_located_no_rate(ledger):
    path = ledger.write("ledgers/a.toml", RELEASED)
    assert problems(ledger, "--as-of", "2005-03-31") == []
    result = ledger.run("balance", "--as-of", "2005-01-31", "--currency", "EUR")
    assert result.exit_code == 1 and result.stdout == ""
    assert f"ledgers/a.toml:{line_of(path, '[[commitment]]')}" in result.stderr.replace("\\", "/")
    assert "no-rate" in result.stderr


def test_an_unknown_currency_for_currency_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("balance", "--currency", "usd")
    assert result.exit_code == 2
    assert "did you mean 'USD'" in result.stderr


# --- the [[rate]] table ------------------------------------------------------------------------

def test_two_rates_of_one_pair_on_one_day_are_a_duplicate_and_the_other_way_round_is_not(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + rate("2005-01-01", "USD", "PKR", "59")
                        + rate("2005-01-01", "PKR", "USD", "0.017") + rate("2005-01-01", "USD", "PKR", "60"))
    (duplicate,) = problems(ledger)
    assert (duplicate["code"], duplicate["line"]) == ("duplicate-id", line_of(path, "[[rate]]", 3))


@pytest.mark.parametrize("written, key, expected", [
    ('date = "2005-01"\nfrom = "USD"\nto = "PKR"\nrate = 59', "date", "expected a day"),
    ('date = 2005-01-01\nfrom = "USD"\nto = "USD"\nrate = 1', "to", "'from' and 'to' are both USD"),
    ('date = 2005-01-01\nfrom = "USD"\nto = "PKR"\nrate = 0', "rate", "above zero"),
    ('date = 2005-01-01\nfrom = "USD"\nto = "PKR"\nrate = 1.234567890123456', "rate", "at most 15 significant digits"),
    ('date = 2005-01-01\nfrom = "usd"\nto = "PKR"\nrate = 59', "from", "'from'"),
])
def test_a_bad_rate_is_located_at_its_key(ledger, written, key, expected):
    path = ledger.write("ledgers/a.toml", PREAMBLE + f"\n[[rate]]\n{written}\n")
    (bad,) = problems(ledger)
    assert bad["code"] == "bad-value"
    assert bad["line"] == line_of(path, f"{key} = ")
    assert expected in bad["message"]


# --- what a budget or a pledge needs a rate for ---------------------------------------------------

CHILD_IN_RUPEES = """
[[project]]
id = "P2"
title = "A child in rupees"
currency = "PKR"
parent = "P1"
budget = 1000000
"""


def test_a_childs_budget_needs_no_rate_where_its_parent_has_a_budget_of_its_own(ledger):
    # Its budget counts in no figure shown in dollars: the parent's budget is its own.
    ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"\n', 'currency = "USD"\nbudget = 500\n', 1)
                 + CHILD_IN_RUPEES)
    assert problems(ledger, "--as-of", "2005-06-30") == []
    projects = figures(ledger, "--as-of", "2005-06-30")
    assert (projects["P1"]["budget"], projects["P2"]["budget"]) == ("500.00", "1000000.00")


def test_a_childs_budget_in_a_derived_budget_without_a_rate_is_no_rate_at_the_child_naming_its_budget(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + CHILD_IN_RUPEES)
    (missing,) = problems(ledger, "--as-of", "2005-06-30")
    assert (missing["code"], missing["line"]) == ("no-rate", line_of(path, "[[project]]", 2))
    assert missing["message"].startswith("[[project]] 'P2': its budget, converted on the day, no rate from PKR to USD "
                                         "on or before 2005-06-30")


def test_a_pledge_without_a_rate_on_the_day_is_no_rate_naming_its_pledged_amount(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + """
[[pledge]]
id = "PL1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
currency = "PKR"
""")
    (missing,) = problems(ledger, "--as-of", "2005-06-30")
    assert (missing["code"], missing["line"]) == ("no-rate", line_of(path, "[[pledge]]"))
    assert missing["message"].startswith("[[pledge]] 'PL1': its pledged amount, revalued on the day, no rate from PKR "
                                         "to USD on or before 2005-06-30")


def test_tranches_and_release_conditions_are_in_the_commitments_currency(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("597200", date="2005-03-05") + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 300000
due = 2005-04-01

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-04-03
amount = 300000
""" + rate("2005-03-01", "USD", "PKR", "59.72"))
    result = ledger.run("tranches", "--json", "--as-of", "2005-06-30")
    assert result.exit_code == 0, result.stderr
    (entry,) = result.json()["commitments"]
    assert (entry["currency"], entry["amount"]) == ("PKR", "597200.00")
    assert figures(ledger, "--as-of", "2005-06-30")["P1"]["released"] == "5023.44"  # 300,000 ÷ 59.72
    check = ledger.run("release-check", "T1", "--json", "--on", "2005-04-02")
    assert check.exit_code == 0
    unreleased = next(c for c in check.json()["conditions"] if c["condition"] == "unreleased")
    assert unreleased["detail"] == "released 0.00 PKR of 300,000.00 PKR as of 2005-04-02; 300,000.00 PKR to release"


def test_release_conditions_name_the_currency_of_each_amount_where_the_ledger_has_several(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment("597200", date="2005-03-05") + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 300000

[[tranche]]
id = "T2"
commitment = "C1"
amount = 297200
min_spent = 0.5

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-04-03
amount = 300000

[[expense]]
project = "P1"
date = 2005-04-10
amount = 1000
""" + rate("2005-03-01", "USD", "PKR", "59.72"))
    check = ledger.run("release-check", "T2", "--on", "2005-05-01")
    assert check.exit_code == 1
    # the tranche in its commitment's rupees; min_spent in the project's dollars (300,000 ÷ 59.72 released)
    assert "released 0.00 PKR of 297,200.00 PKR as of 2005-05-01" in check.stdout
    assert "project 'P1' spent 1,000.00 USD of 5,023.44 USD released" in check.stdout
    assert "(needs 2,511.72 USD spent)" in check.stdout


def test_a_refused_rate_is_said_once_without_a_no_rate_for_each_entry_it_would_convert(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment("5972") + '\n[[rate]]\ndate = "2005-03"\nfrom = "usd"\n'
                        'to = "PKR"\nrate = 1e400\n')
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("bad-value", line_of(path, 'date = "2005-03"')), ("bad-value", line_of(path, 'from = "usd"')),
        ("bad-value", line_of(path, "rate = 1e400"))]
    assert "10^18" in found[2]["message"]


def test_a_duplicate_rate_says_how_to_keep_one(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + rate("2005-01-01", "USD", "PKR", "59") + rate("2005-01-01", "USD", "PKR", "60"))
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "keep one of the two" in result.stdout and "another id" not in result.stdout


def test_a_ledger_of_several_currencies_balances_the_same_from_the_cache(ledger):
    ledger.write("ledgers/a.toml", TREE + """
[[expense]]
project = "P2"
date = 2005-02-01
amount = 10.01

[[expense]]
project = "P2"
date = 2005-07-01
amount = -4.00
currency = "USD"
rate = 2.5

[[expense]]
project = "P1"
date = 2005-07-02
amount = 7.77
currency = "PKR"
""")
    runs = [ledger.run("balance", "--json", "--as-of", day, *more, env=env) for day in ("2005-03-31", "2005-12-31")
            for more in ((), ("--currency", "PKR")) for env in ({"CNDLEDGER_NO_CACHE": "1"}, None, None)]
    for first, cached, again in zip(runs[::3], runs[1::3], runs[2::3]):
        assert first.exit_code == 0, first.stderr
        assert first.stdout == cached.stdout == again.stdout
    closing = {project["id"]: project for project in runs[6].json()["projects"]}
    # P2: 10.01 PKR, then -4.00 USD at its own 2.5 (-10.00 PKR): 0.01; P1 counts P2's at the ledger's rates
    # (5.005 → 5.01, and -4.00 USD as written) and its own 7.77 PKR at 0.25 (1.9425 → 1.94): 2.95
    assert (closing["P2"]["spent"], closing["P1"]["spent"]) == ("0.01", "2.95")


def test_two_trees_in_two_currencies_need_no_rate_between_them(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[project]]
id = "E"
title = "A project in euros, under no other"
currency = "EUR"

[[commitment]]
id = "C2"
project = "E"
party = "DONOR"
date = 2005-01-01
amount = 100

[[release]]
commitment = "C2"
date = 2005-01-02
amount = 100

[[expense]]
project = "E"
date = 2005-02-01
amount = 10

[[expense]]
project = "E"
date = 2005-02-02
amount = -5

[[assert]]
project = "E"
date = 2005-12-31
spent = 5
""")
    assert problems(ledger, "--as-of", "2006-01-01") == []
    projects = figures(ledger, "--as-of", "2006-01-01")
    assert (projects["E"]["currency"], projects["E"]["spent"], projects["P1"]["spent"]) == ("EUR", "5.00", "0.00")


def test_the_balance_table_shows_the_exchange_difference_only_where_rates_moved(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    moved = ledger.run("balance", "--as-of", "2005-03-31", "--wide")
    assert moved.exit_code == 0, moved.stderr
    assert "exch. diff" in moved.stdout and "500.00" in moved.stdout
    assert "exch. diff: committed − released − outstanding" in moved.stdout
    still = ledger.run("balance", "--as-of", "2005-03-31", "--currency", "PKR")
    assert "Balance as of 2005-03-31, in PKR" in still.stdout
    assert "exch. diff" not in still.stdout  # all in the commitment's currency: nothing moved


@pytest.mark.parametrize("written, hint", [
    ('date = "2005-01"\nfrom = "USD"\nto = "PKR"\nrate = 59', "a rate's date is a day"),
    ('date = 2005-01-01\nfrom = "usd"\nto = "PKR"\nrate = 59', "'from' and 'to' differ"),
    ('date = 2005-01-01\nfrom = "USD"\nto = "PKR"\nrate = "59"', "at most 15 significant digits: 59.72"),
])
def test_a_bad_rate_has_a_hint_about_rates(ledger, written, hint):
    ledger.write("ledgers/a.toml", PREAMBLE + f"\n[[rate]]\n{written}\n")
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "hint: write" in result.stdout and hint in result.stdout
