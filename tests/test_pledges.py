"""Pledges (format v2): announced, never committed; fulfilled by the commitments that name them."""

from conftest import PREAMBLE, line_of, problems, with_code

PLEDGED = PREAMBLE + """
[[project]]
id = "P1-A"
title = "A component"
currency = "USD"
parent = "P1"

[[pledge]]
id = "PL1"
project = "P1-A"
party = "DONOR"
date = 2004-11-15
amount = 1000
"""


def _commitment(number: int, amount: str, date: str = "2005-01-10", party: str = "DONOR", project: str = "P1-A",
                pledge: str = "PL1") -> str:
    return (f'\n[[commitment]]\nid = "C{number}"\nproject = "{project}"\nparty = "{party}"\ndate = {date}\n'
            f'amount = {amount}\npledge = "{pledge}"\n')


def _pledged(ledger, as_of: str) -> dict[str, str]:
    result = ledger.run("balance", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return {project["id"]: project["pledged"] for project in result.json()["projects"]}


def test_pledged_is_what_commitments_have_not_yet_fulfilled(ledger):
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "300") + _commitment(2, "200", date="2005-06-01")
                 + '\n[[decommitment]]\ncommitment = "C1"\ndate = 2005-09-01\namount = 100\n')
    assert _pledged(ledger, "2004-11-14") == {"P1": "0.00", "P1-A": "0.00"}  # not yet announced
    assert _pledged(ledger, "2004-11-15") == {"P1": "1000.00", "P1-A": "1000.00"}
    assert _pledged(ledger, "2005-01-10") == {"P1": "700.00", "P1-A": "700.00"}
    assert _pledged(ledger, "2005-06-01") == {"P1": "500.00", "P1-A": "500.00"}
    assert _pledged(ledger, "2005-09-01") == {"P1": "600.00", "P1-A": "600.00"}  # 300 - 100 decommitted
    result = ledger.run("balance", "--json", "--as-of", "2005-09-01")
    assert {p["id"]: p["committed"] for p in result.json()["projects"]} == {"P1": "400.00", "P1-A": "400.00"}


def test_pledged_never_falls_below_zero_and_exceeding_it_is_a_warning(ledger):
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "1000"))
    assert _pledged(ledger, "2005-12-31")["P1-A"] == "0.00"
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "1000.01"))
    assert _pledged(ledger, "2005-12-31")["P1-A"] == "0.00"
    (found,) = problems(ledger)
    assert (found["code"], found["severity"]) == ("pledge-exceeded", "warning")
    assert found["message"] == ("the commitments fulfilling pledge 'PL1' add up to 1,000.01 USD (net of "
                                "decommitments), more than its 1,000.00 USD")
    assert found["line"] == line_of(path, "amount = 1000", 1)
    # Net of decommitments: a decommitment brings it back within the pledge.
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "1000.01")
                 + '\n[[decommitment]]\ncommitment = "C1"\ndate = 2005-09-01\namount = 0.01\n')
    assert problems(ledger) == []


def test_a_commitment_fulfils_only_a_pledge_of_its_project_party_and_currency(ledger):
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "100", party="OLD-DONOR"))  # an alias of DONOR
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "100", party="AGENCY", project="P1"))
    (found,) = problems(ledger)
    assert (found["code"], found["severity"]) == ("pledge-mismatch", "error")
    assert found["message"] == (f"[[commitment]] 'C1' fulfils pledge 'PL1' (at ledgers/a.toml:"
                                f"{line_of(path, '[[pledge]]')}), which is of project 'P1-A', not 'P1' and party "
                                "'DONOR', not 'AGENCY'")
    assert found["line"] == line_of(path, 'pledge = "PL1"')


def test_a_pledge_in_another_currency_than_its_commitment_is_a_mismatch(ledger):
    # A pledge in another currency than its project is converted where a rate allows (here none: its
    # revaluation on the day is no-rate); the commitment naming it is, besides, a pledge-mismatch.
    ledger.write("ledgers/a.toml", PLEDGED.replace("amount = 1000\n", 'amount = 1000\ncurrency = "EUR"\n')
                 + _commitment(1, "100"))
    assert sorted(problem["code"] for problem in problems(ledger)) == ["no-rate", "pledge-mismatch"]


def test_a_pledge_the_ledger_lacks_is_unresolved(ledger):
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "100", pledge="PL9"))
    (found,) = problems(ledger)
    assert found["code"] == "unresolved-ref"
    assert "'PL9'" in found["message"]


def test_an_assert_may_assert_pledged(ledger):
    base = PLEDGED + _commitment(1, "300")
    ledger.write("ledgers/a.toml", base + '\n[[assert]]\nproject = "P1"\ndate = 2005-12-31\npledged = 700\n')
    assert problems(ledger) == []
    path = ledger.write("ledgers/a.toml", base + '\n[[assert]]\nproject = "P1"\ndate = 2004-12-31\npledged = 700\n')
    (failed,) = with_code(problems(ledger), "assert-failed")
    assert failed["message"] == ("pledged of 'P1' as of 2004-12-31: asserted 700.00 USD, computed 1,000.00 USD, "
                                 "difference 300.00 USD")
    assert failed["line"] == line_of(path, "pledged = 700")


def test_the_balance_table_shows_pledged_only_where_something_is_pledged(ledger):
    ledger.write("ledgers/a.toml", PLEDGED)
    assert "pledged" in ledger.run("balance", "--as-of", "2005-12-31").stdout
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "1000"))
    assert "pledged" not in ledger.run("balance", "--as-of", "2005-12-31").stdout


def test_add_writes_a_pledge(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE)
    result = ledger.run("add", "pledge", "--to", "ledgers/a.toml", "id=PL1", "project=P1", "party=DONOR",
                        "date=2005-01-01", "amount=500")
    assert result.exit_code == 0, result.stderr
    assert "[[pledge]]" in path.read_text()
    assert _pledged(ledger, "2005-12-31")["P1"] == "500.00"


def test_the_register_shows_a_pledge_without_changing_a_running_figure(ledger):
    ledger.write("ledgers/a.toml", PLEDGED + _commitment(1, "300"))
    events = ledger.run("register", "--json", "--as-of", "2005-12-31").json()["events"]
    assert [(e["kind"], e["id"], e["date"], e["party"], e["amount"], e["committed"]) for e in events] == [
        ("pledge", "PL1", "2004-11-15", "DONOR", "1000.00", "0.00"),
        ("commitment", "C1", "2005-01-10", "DONOR", "300.00", "300.00")]
