from conftest import PREAMBLE


def test_a_minimal_ledger_balances(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
""")
    result = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert result.exit_code == 0, result.stderr
    assert result.json()["projects"][0]["committed"] == "1000.00"
