"""Period statements (format v2, "Period figures"): `balance --from D1 [--as-of D2]` and `balance --period P`."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RATE = Decimal("0.13")
RELEASES = [("2005-02-01", "400.00"), ("2005-08-01", "300.00"), ("2005-12-31", "100.00")]
REFUNDS = [("2005-03-01", "5.00"), ("2005-09-01", "50.00")]
DECOMMITMENTS = [("2005-09-15", "200.00")]
EXPENSES = [("2005-03-01", "100.25"), ("2005-06-30", "10.00"), ("2005-08-15", "123.45"), ("2005-10-01", "77.77"),
            ("2006-01-01", "10.00")]
FIRST, LAST = "2005-07-01", "2005-12-31"


def _ledger_text(fiscal_year_start: int | None = None) -> str:
    start = f"fiscal_year_start = {fiscal_year_start}\n" if fiscal_year_start is not None else ""
    text = f"""\
[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "P1"
title = "A project"
currency = "USD"
support_cost_rate = 0.13
{start}
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
"""
    for kind, entries in (("release", RELEASES), ("refund", REFUNDS), ("decommitment", DECOMMITMENTS)):
        for day, amount in entries:
            text += f'\n[[{kind}]]\ncommitment = "C1"\ndate = {day}\namount = {amount}\n'
    for day, amount in EXPENSES:
        text += f'\n[[expense]]\nproject = "P1"\ndate = {day}\namount = {amount}\n'
    return text


def _sum(entries, first: str, last: str, of=Decimal) -> Decimal:
    return sum((of(Decimal(amount)) for day, amount in entries if first <= day <= last), Decimal("0.00"))


def _support(amount: Decimal) -> Decimal:
    return (amount * RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _statement(ledger, *args: str) -> dict:
    result = ledger.run("balance", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_a_statement_is_the_window_s_flows_and_opening_plus_flows_is_closing(ledger):
    ledger.write("ledgers/a.toml", _ledger_text())
    document = _statement(ledger, "--from", FIRST, "--as-of", LAST)
    assert (document["as_of"], document["from"]) == (LAST, FIRST)
    p1 = document["projects"][0]
    released, refunded = _sum(RELEASES, FIRST, LAST), _sum(REFUNDS, FIRST, LAST)
    spent, support = _sum(EXPENSES, FIRST, LAST), _sum(EXPENSES, FIRST, LAST, of=_support)
    committed = -_sum(DECOMMITMENTS, FIRST, LAST)  # a decommitment in the window: negative
    before = "2005-06-30"
    opening = (_sum(RELEASES, "", before) - _sum(REFUNDS, "", before) - _sum(EXPENSES, "", before)
               - _sum(EXPENSES, "", before, of=_support))
    closing = opening + released - refunded - spent - support
    assert {name: Decimal(p1[name]) for name in ("committed", "released", "refunded", "spent", "support_cost",
                                                 "opening_available", "available")} == {
        "committed": committed, "released": released, "refunded": refunded, "spent": spent,
        "support_cost": support, "opening_available": opening, "available": closing}
    # outstanding is as of the last day: 1000 − 200 decommitted − 800 released
    assert p1["outstanding"] == "0.00" and committed == Decimal("-200.00")
    assert p1["by_party"] == [{"party": "DONOR", "committed": "-200.00", "released": "400.00", "outstanding": "0.00"}]
    # the closing figures are those of balance as of the last day
    plain = _statement(ledger, "--as-of", LAST)
    assert plain["from"] is None and "opening_available" not in plain["projects"][0]
    assert {name: plain["projects"][0][name] for name in ("available", "outstanding", "gap", "pledged")} == \
        {name: p1[name] for name in ("available", "outstanding", "gap", "pledged")}


def test_the_table_says_which_window_it_shows(ledger):
    ledger.write("ledgers/a.toml", _ledger_text())
    result = ledger.run("balance", "--from", FIRST, "--as-of", LAST)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Balance from {FIRST} to {LAST}"
    assert "opening" in result.stdout.splitlines()[2]
    csv = ledger.run("balance", "--csv", "--from", FIRST, "--as-of", LAST).stdout
    assert csv.splitlines()[0].endswith(",opening_available")


def test_a_from_of_a_month_means_its_first_day(ledger):
    ledger.write("ledgers/a.toml", _ledger_text())
    document = _statement(ledger, "--from", "2005-08", "--as-of", "2005-08")
    assert (document["from"], document["as_of"]) == ("2005-08-01", "2005-08-31")
    p1 = document["projects"][0]
    assert (p1["released"], p1["spent"], p1["committed"]) == ("300.00", "123.45", "0.00")
    assert _statement(ledger, "--from", "2005", "--as-of", "2005-12-31")["from"] == "2005-01-01"


def test_a_fiscal_year_period_on_a_july_project(ledger):
    ledger.write("ledgers/a.toml", _ledger_text(fiscal_year_start=7))
    document = _statement(ledger, "--period", "FY2005-06")
    assert (document["from"], document["as_of"]) == ("2005-07-01", "2006-06-30")
    p1 = document["projects"][0]
    assert p1["spent"] == str(_sum(EXPENSES, "2005-07-01", "2006-06-30"))
    assert p1 == _statement(ledger, "--from", "2005-07-01", "--as-of", "2006-06-30")["projects"][0]


def test_a_fiscal_year_needs_one_fiscal_year_start_for_the_reported_projects(ledger):
    ledger.write("ledgers/a.toml", _ledger_text(fiscal_year_start=7)
                 + '\n[[project]]\nid = "P2"\ntitle = "Another"\ncurrency = "USD"\n')
    result = ledger.run("balance", "--period", "FY2005-06")
    assert result.exit_code == 2
    assert "the reported projects' fiscal years start in different months (January, July)" in result.stderr
    assert result.stdout == ""
    assert _statement(ledger, "--period", "FY2005-06", "--project", "P1")["from"] == "2005-07-01"
    assert _statement(ledger, "--period", "2005-Q3")["as_of"] == "2005-09-30"  # a calendar period never needs one


@pytest.mark.parametrize("args, said", [
    (["--period", "2005", "--from", "2005-01"], "--period excludes --from"),
    (["--period", "2005", "--as-of", "2005-12-31"], "--period excludes --as-of"),
    (["--from", "2006", "--as-of", "2005-12-31"], "--from 2006 is after --as-of 2005-12-31"),
    (["--period", "FY2005"], "FY2005"),
])
def test_bad_window_options_are_bad_usage(ledger, args, said):
    ledger.write("ledgers/a.toml", _ledger_text(fiscal_year_start=7))
    result = ledger.run("balance", *args)
    assert result.exit_code == 2
    assert said in result.stderr and result.stdout == ""


_AMOUNTS = st.integers(min_value=1, max_value=10**6).map(lambda cents: Decimal(cents).scaleb(-2))
_DAYS = st.integers(min_value=0, max_value=400).map(lambda n: dt.date(2005, 1, 1) + dt.timedelta(days=n))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(committed_on=_DAYS,
       flows=st.lists(st.tuples(st.sampled_from(["release", "refund", "decommitment", "expense"]), _DAYS, _AMOUNTS),
                      max_size=10),
       window=st.tuples(_DAYS, _DAYS).map(sorted))
def test_the_statement_identity_holds_for_any_entries(ledger, committed_on, flows, window):
    first, last = window
    text = _ledger_text().split("[[commitment]]")[0] + (
        f'[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\ndate = {committed_on}\namount = 10_000_000\n')
    for kind, day, amount in flows:
        target = 'project = "P1"' if kind == "expense" else 'commitment = "C1"'
        text += f"\n[[{kind}]]\n{target}\ndate = {day}\namount = {amount}\n"
    ledger.write("ledgers/a.toml", text)
    result = ledger.run("balance", "--json", "--from", first.isoformat(), "--as-of", last.isoformat())
    assert result.exit_code in (0, 1), result.stderr
    (p1,) = result.json()["projects"]
    # Computed from the entries: a flow back counts from its day, never before its commitment.
    flowing = {kind: Decimal("0.00") for kind in ("release", "refund", "decommitment", "expense", "support")}
    opening = Decimal("0.00")
    for kind, day, amount in flows:
        counts_from = day if kind == "expense" else max(day, committed_on)
        sign = -1 if kind in ("refund", "expense") else 1
        if counts_from < first and kind != "decommitment":
            opening += sign * amount - (_support(amount) if kind == "expense" else 0)
        elif first <= counts_from <= last:
            flowing[kind] += amount
            if kind == "expense":
                flowing["support"] += _support(amount)
    committed = (Decimal(10_000_000) if first <= committed_on <= last else 0) - flowing["decommitment"]
    assert Decimal(p1["committed"]) == committed
    assert (Decimal(p1["released"]), Decimal(p1["refunded"]), Decimal(p1["spent"]), Decimal(p1["support_cost"])) == (
        flowing["release"], flowing["refund"], flowing["expense"], flowing["support"])
    assert Decimal(p1["opening_available"]) == opening
    assert Decimal(p1["available"]) == (Decimal(p1["opening_available"]) + Decimal(p1["released"])
                                        - Decimal(p1["refunded"]) - Decimal(p1["spent"]) - Decimal(p1["support_cost"]))
