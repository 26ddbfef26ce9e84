"""Flows back (format v2): refunds, decommitments and credit notes, in figures, checks and reports."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COMMITMENT, line_of, problems, with_code

RELEASED = COMMITMENT + """
[[release]]
commitment = "C1"
date = 2005-02-01
amount = 600
"""


def _balance(ledger, *args):
    result = ledger.run("balance", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {project["id"]: project for project in result.json()["projects"]}


def _entry(kind: str, **keys) -> str:
    def value(item):
        return f'"{item}"' if isinstance(item, str) and not item[:1].isdigit() and item[:1] != "-" else str(item)

    return f"\n[[{kind}]]\n" + "".join(f"{key} = {value(item)}\n" for key, item in keys.items())


# --- Figures ----------------------------------------------------------------------------------------

def test_refunds_decommitments_and_credits_in_the_figures(ledger):
    ledger.write("ledgers/a.toml", RELEASED
                 + _entry("decommitment", commitment="C1", date="2005-06-01", amount=300)
                 + _entry("refund", commitment="C1", date="2005-12-01", amount=100)
                 + _entry("expense", project="P1", date="2005-03-01", amount=200)
                 + _entry("expense", project="P1", date="2005-04-01", amount="-50.50"))
    p1 = _balance(ledger, "--as-of", "2005-12-31")["P1"]
    assert (p1["committed"], p1["released"], p1["refunded"], p1["outstanding"]) == ("700.00", "600.00", "100.00", "100.00")
    assert (p1["spent"], p1["available"]) == ("149.50", "350.50")  # 600 - 100 - 149.50
    assert p1["by_party"] == [{"party": "DONOR", "committed": "700.00", "released": "600.00", "outstanding": "100.00"}]


def test_each_flow_counts_from_its_day_and_not_before(ledger):
    ledger.write("ledgers/a.toml", RELEASED
                 + _entry("decommitment", commitment="C1", date="2005-06-01", amount=300)
                 + _entry("refund", commitment="C1", date="2005-12-01", amount=100))
    before = _balance(ledger, "--as-of", "2005-05-31")["P1"]
    assert (before["committed"], before["refunded"], before["available"]) == ("1000.00", "0.00", "600.00")
    on = _balance(ledger, "--as-of", "2005-06-01")["P1"]
    assert (on["committed"], on["outstanding"], on["refunded"]) == ("700.00", "100.00", "0.00")
    assert _balance(ledger, "--as-of", "2005-11-30")["P1"]["refunded"] == "0.00"
    assert _balance(ledger, "--as-of", "2005-12-01")["P1"]["refunded"] == "100.00"


def test_a_flow_never_counts_before_its_commitment(ledger):
    # The commitment is dated by month: it counts from 2005-03-31, and so do flows dated within March.
    text = COMMITMENT.replace("date = 2005-01-10", 'date = "2005-03"') + """
[[release]]
commitment = "C1"
date = 2005-03-01
amount = 500
""" + _entry("decommitment", commitment="C1", date="2005-03-02", amount=100) \
        + _entry("refund", commitment="C1", date="2005-03-03", amount=50)
    ledger.write("ledgers/a.toml", text)
    early = _balance(ledger, "--as-of", "2005-03-30")["P1"]
    assert (early["committed"], early["released"], early["refunded"]) == ("0.00", "0.00", "0.00")
    counted = _balance(ledger, "--as-of", "2005-03-31")["P1"]
    assert (counted["committed"], counted["released"], counted["refunded"]) == ("900.00", "500.00", "50.00")


def test_a_parent_counts_its_childrens_flows(ledger):
    text = COMMITMENT.replace('project = "P1"\nparty', 'project = "P1-A"\nparty') + """
[[project]]
id = "P1-A"
title = "A component"
currency = "USD"
parent = "P1"
""" + _entry("release", commitment="C1", date="2005-02-01", amount=400) \
        + _entry("decommitment", commitment="C1", date="2005-03-01", amount=250) \
        + _entry("refund", commitment="C1", date="2005-04-01", amount=40)
    ledger.write("ledgers/a.toml", text)
    figures = _balance(ledger, "--as-of", "2005-12-31")
    for project in ("P1", "P1-A"):
        assert (figures[project]["committed"], figures[project]["refunded"], figures[project]["available"]) == \
            ("750.00", "40.00", "360.00"), project


def test_the_balance_table_gains_a_refunded_column_only_where_something_was_refunded(ledger):
    ledger.write("ledgers/a.toml", RELEASED)
    assert "refunded" not in ledger.run("balance", "--as-of", "2005-12-31").stdout
    ledger.write("ledgers/a.toml", RELEASED + _entry("refund", commitment="C1", date="2005-12-01", amount=100))
    table = ledger.run("balance", "--as-of", "2005-12-31").stdout
    assert "refunded" in table and "100.00" in table


def test_an_assert_may_assert_refunded(ledger):
    base = RELEASED + _entry("refund", commitment="C1", date="2005-12-01", amount=100)
    ledger.write("ledgers/a.toml", base + _entry("assert", project="P1", date="2005-12-31", refunded=100,
                                                 available=500))
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", base + _entry("assert", project="P1", date="2005-11-30", refunded=100))
    (failed,) = with_code(problems(ledger), "assert-failed")
    assert failed["message"] == ("refunded of 'P1' as of 2005-11-30: asserted 100.00 USD, computed 0.00 USD, "
                                 "difference -100.00 USD")
    assert failed["line"] == line_of(path, "refunded = 100")


# --- Negative expenses ------------------------------------------------------------------------------

def test_an_expense_of_zero_is_a_located_bad_value_with_a_hint(ledger):
    path = ledger.write("ledgers/a.toml", RELEASED + _entry("expense", project="P1", date="2005-03-01", amount=0))
    result = ledger.run("check")
    assert result.exit_code == 1
    line = line_of(path, "amount = 0")
    assert (f"a.toml:{line}: error[bad-value]: 'amount' in [[expense]]: an expense amount must not be zero, got 0; "
            "a credit note is a negative amount") in result.stdout + result.stderr
    assert "-250.50 for a credit note" in result.stdout + result.stderr


def test_a_negative_amount_is_still_refused_where_direction_comes_from_the_kind(ledger):
    ledger.write("ledgers/a.toml", RELEASED + _entry("refund", commitment="C1", date="2005-03-01", amount=-5))
    (bad,) = with_code(problems(ledger), "bad-value")
    assert "above zero" in bad["message"]


def test_spent_negative_on_both_sides_of_the_end_of_the_day(ledger):
    spent = RELEASED + _entry("expense", project="P1", date="2005-03-01", amount=100)
    # The credit on the same day as the expense it corrects, written first: at the end of the day, 0.
    ledger.write("ledgers/a.toml", RELEASED + _entry("expense", project="P1", date="2005-03-01", amount=-100)
                 + _entry("expense", project="P1", date="2005-03-01", amount=100))
    assert problems(ledger) == []
    # A day before it: below zero at the end of 2005-02-28.
    path = ledger.write("ledgers/a.toml", spent + _entry("expense", project="P1", date="2005-02-28", amount="-100.01"))
    (found,) = problems(ledger)
    assert (found["code"], found["severity"]) == ("spent-negative", "error")
    assert found["message"] == ("the expenses of project 'P1' total -100.01 USD at the end of 2005-02-28, below "
                                "zero: a credit cannot take back more than was spent")
    assert found["line"] == line_of(path, "amount = -100.01")
    # A credit that takes back less than was spent before it.
    ledger.write("ledgers/a.toml", spent + _entry("expense", project="P1", date="2005-03-02", amount=-100))
    assert problems(ledger) == []
    ledger.write("ledgers/a.toml", spent + _entry("expense", project="P1", date="2005-03-02", amount="-100.01"))
    assert [problem["code"] for problem in problems(ledger)] == ["spent-negative"]


def test_credits_give_the_same_spent_from_the_cache(ledger):
    text = RELEASED + "".join(_entry("expense", project="P1", date=f"2005-03-{day:02d}", amount=amount)
                              for day, amount in ((1, 100), (2, "-30.25"), (3, 50), (4, -20)))
    ledger.write("ledgers/a.toml", text)
    cold = _balance(ledger, "--as-of", "2005-03-02")["P1"]["spent"]
    warm = _balance(ledger, "--as-of", "2005-03-02")["P1"]["spent"]
    assert cold == warm == "69.75"
    assert _balance(ledger, "--as-of", "2005-12-31")["P1"]["spent"] == "99.75"


def test_running_totals_hold_credits_where_no_sum_rounds():
    from cndledger.core import counting
    from cndledger.format.dates import LedgerDate
    from cndledger.format.records import Expense

    def expense(day: int, amount: str) -> Expense:
        return Expense(None, day, "P1", LedgerDate.of_day(dt.date(2005, 1, day)), Decimal(amount))

    totals = counting.spent_totals([expense(1, "100"), expense(2, "-40.5"), expense(3, "10")])
    assert totals is not None
    assert counting.totals_by(totals, ["P1"], dt.date(2005, 1, 2)) == {"P1": Decimal("59.5")}
    # Sizes whose sum no longer fits the money context: summed one by one instead.
    assert counting.spent_totals([expense(1, "9" * 17 + ".99999999999"), expense(2, "-0.00000000001"),
                                  expense(3, "1")]) is None


# --- Checks -----------------------------------------------------------------------------------------

def test_refunds_exceed_releases_on_both_sides(ledger):
    ledger.write("ledgers/a.toml", RELEASED + _entry("refund", commitment="C1", date="2005-12-01", amount=500)
                 + _entry("refund", commitment="C1", date="2005-11-01", amount=100))
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", RELEASED
                        + _entry("refund", commitment="C1", date="2005-12-01", amount="500.01")
                        + _entry("refund", commitment="C1", date="2005-11-01", amount=100))
    overspent, found = problems(ledger)  # (the project first, by line; nothing spent, yet the refunds leave available below zero)
    assert (overspent["code"], overspent["severity"]) == ("overspent", "warning")
    assert (found["code"], found["severity"]) == ("refunds-exceed-releases", "error")
    assert found["message"] == (f"refunds against commitment 'C1' (at ledgers/{path.name}:{line_of(path, '[[commitment]]')}) "
                                "reach 600.01 USD with this one, more than the 600.00 USD released against it")
    assert found["line"] == line_of(path, "amount = 500.01")  # the later one, in date order


def test_decommitments_exceed_the_commitment_on_both_sides(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + _entry("decommitment", commitment="C1", date="2005-02-01", amount=400)
                 + _entry("decommitment", commitment="C1", date="2005-03-01", amount=600))
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", COMMITMENT
                        + _entry("decommitment", commitment="C1", date="2005-02-01", amount=400)
                        + _entry("decommitment", commitment="C1", date="2005-03-01", amount="600.01"))
    (found,) = problems(ledger)
    assert found["code"] == "decommitments-exceed-commitment"
    assert found["message"] == (f"decommitments of commitment 'C1' (at ledgers/{path.name}:"
                                f"{line_of(path, '[[commitment]]')}) reach 1,000.01 USD with this one, more than "
                                "its 1,000.00 USD")
    assert found["line"] == line_of(path, "amount = 600.01")


def test_where_decommitments_exceed_the_releases_and_tranches_are_not_also_reported(ledger):
    ledger.write("ledgers/a.toml", RELEASED + _entry("tranche", id="T1", commitment="C1", amount=900)
                 + _entry("decommitment", commitment="C1", date="2005-03-01", amount=1001))
    assert [problem["code"] for problem in problems(ledger)] == ["decommitments-exceed-commitment"]


def test_releases_and_tranches_are_compared_with_the_commitment_less_its_decommitments(ledger):
    decommitted = _entry("decommitment", commitment="C1", date="2005-06-01", amount=400)
    ledger.write("ledgers/a.toml", RELEASED + decommitted + _entry("tranche", id="T1", commitment="C1", amount=600))
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", RELEASED + decommitted.replace("400", "400.01"))
    (found,) = problems(ledger)
    assert found["code"] == "releases-exceed-commitment"
    assert found["message"] == (f"releases against commitment 'C1' (at ledgers/{path.name}:{line_of(path, '[[commitment]]')}) "
                                "reach 600.00 USD with this one, more than its 599.99 USD (1,000.00 USD less "
                                "400.01 USD decommitted)")
    ledger.write("ledgers/a.toml", COMMITMENT + decommitted + _entry("tranche", id="T1", commitment="C1", amount="600.01"))
    assert [problem["code"] for problem in problems(ledger)] == ["tranches-exceed-commitment"]


def test_flows_dated_after_the_day_of_the_check_are_future_dated(ledger):
    ledger.write("ledgers/a.toml", RELEASED + _entry("refund", commitment="C1", date="2205-01-01", amount=10)
                 + _entry("decommitment", commitment="C1", date="2205-01-01", amount=10))
    assert [problem["code"] for problem in problems(ledger, "--as-of", "2010-01-01")] == ["future-dated"] * 2


def test_refunds_with_the_same_reference_are_reported(ledger):
    refund = _entry("refund", commitment="C1", date="2005-12-01", amount=10, reference="TT-1")
    ledger.write("ledgers/a.toml", RELEASED + refund + refund)
    (found,) = problems(ledger)
    assert found["code"] == "duplicate-reference"
    assert found["message"].startswith("refund reference 'TT-1' is also the reference of the refund at ")


def test_a_flow_in_another_currency_than_its_commitment_is_a_currency_mismatch(ledger):
    ledger.write("ledgers/a.toml", RELEASED + _entry("refund", commitment="C1", date="2005-12-01", amount=10,
                                                     currency="PKR"))
    assert "currency-mismatch" in [problem["code"] for problem in problems(ledger)]
    ledger.write("ledgers/a.toml", RELEASED + _entry("refund", commitment="C1", date="2005-12-01", amount=10,
                                                     currency="USD"))
    assert problems(ledger) == []


def test_a_decommitment_counts_in_a_counterparts_unreleased_part(ledger):
    text = COMMITMENT + _entry("commitment", id="GOV", project="P1", party="AGENCY", date="2005-01-10", amount=500) \
        + _entry("tranche", id="T1", commitment="C1", amount=100, matched_by="GOV") \
        + _entry("release", commitment="GOV", date="2005-01-15", amount=300)
    ledger.write("ledgers/a.toml", text + _entry("decommitment", commitment="GOV", date="2005-03-01", amount=199))
    result = ledger.run("release-check", "T1", "--on", "2005-06-01", "--json")
    (matched,) = [c for c in result.json()["conditions"] if c["condition"] == "matched_by"]
    assert matched["holds"] and matched["detail"].startswith("counterpart commitment 'GOV' has 1.00 of 301.00 unreleased")
    ledger.write("ledgers/a.toml", text + _entry("decommitment", commitment="GOV", date="2005-03-01", amount=200))
    result = ledger.run("release-check", "T1", "--on", "2005-06-01", "--json")
    (matched,) = [c for c in result.json()["conditions"] if c["condition"] == "matched_by"]
    assert not matched["holds"] and "is fully released" in matched["detail"]


def test_the_register_shows_decommitments_and_refunds(ledger):
    ledger.write("ledgers/a.toml", RELEASED + _entry("decommitment", commitment="C1", date="2005-06-01", amount=300)
                 + _entry("refund", commitment="C1", date="2005-12-01", amount=100, reference="TT-9"))
    events = ledger.run("register", "--json", "--as-of", "2005-12-31").json()["events"]
    assert [(e["kind"], e["amount"], e["committed"], e["refunded"]) for e in events] == [
        ("commitment", "1000.00", "1000.00", "0.00"), ("release", "600.00", "1000.00", "0.00"),
        ("decommitment", "300.00", "700.00", "0.00"), ("refund", "100.00", "700.00", "100.00")]
    assert events[-1]["detail"] == "commitment C1; TT-9"


def test_add_knows_the_new_kinds(ledger):
    path = ledger.write("ledgers/a.toml", RELEASED)
    result = ledger.run("add", "refund", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-12-01", "amount=100")
    assert result.exit_code == 0, result.stderr
    assert "[[refund]]" in path.read_text()
    assert _balance(ledger, "--as-of", "2005-12-31")["P1"]["refunded"] == "100.00"


# --- The identity of outstanding --------------------------------------------------------------------

_AMOUNTS = st.integers(min_value=1, max_value=10**6).map(lambda cents: Decimal(cents).scaleb(-2))
_DAYS = st.integers(min_value=0, max_value=400).map(lambda n: dt.date(2005, 1, 1) + dt.timedelta(days=n))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commitments=st.lists(st.tuples(_DAYS, _AMOUNTS), min_size=1, max_size=4),
       flows=st.lists(st.tuples(st.sampled_from(["release", "refund", "decommitment"]), st.integers(0, 3), _DAYS,
                                _AMOUNTS), max_size=10),
       as_of=_DAYS)
def test_committed_less_released_less_outstanding_is_zero(ledger, commitments, flows, as_of):
    text = COMMITMENT.split("[[commitment]]")[0]
    for number, (day, amount) in enumerate(commitments):
        text += _entry("commitment", id=f"C{number}", project="P1", party="DONOR", date=day.isoformat(), amount=amount)
    for kind, which, day, amount in flows:
        text += _entry(kind, commitment=f"C{which % len(commitments)}", date=day.isoformat(), amount=amount)
    ledger.write("ledgers/a.toml", text)
    result = ledger.run("balance", "--json", "--as-of", as_of.isoformat())
    assert result.exit_code in (0, 1), result.stderr
    (p1,) = result.json()["projects"]
    # Computed from the entries: each counts from its day, never before its commitment.
    counts_from = {f"C{number}": day for number, (day, _) in enumerate(commitments)}
    committed = sum((amount for day, amount in commitments if day <= as_of), Decimal(0))
    by_kind = {"release": Decimal(0), "refund": Decimal(0), "decommitment": Decimal(0)}
    for kind, which, day, amount in flows:
        if max(day, counts_from[f"C{which % len(commitments)}"]) <= as_of:
            by_kind[kind] += amount
    committed -= by_kind["decommitment"]
    assert Decimal(p1["committed"]) == committed
    assert Decimal(p1["released"]) == by_kind["release"]
    assert Decimal(p1["refunded"]) == by_kind["refund"]
    assert Decimal(p1["committed"]) - Decimal(p1["released"]) - Decimal(p1["outstanding"]) == 0
    assert Decimal(p1["available"]) == by_kind["release"] - by_kind["refund"]
