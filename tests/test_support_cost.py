"""Support costs (format v2): each expense × its own project's support_cost_rate, rounded per expense."""

LEDGER = """\
[[party]]
id = "D"
name = "D"

[[project]]
id = "TF"
title = "T"
currency = "USD"
support_cost_rate = 0.13

[[project]]
id = "TF-A"
title = "A"
currency = "USD"
parent = "TF"

[[project]]
id = "TF-B"
title = "B"
currency = "USD"
parent = "TF"
support_cost_rate = 0.07

[[commitment]]
id = "C1"
project = "TF"
party = "D"
date = 2005-01-10
amount = 1000

[[release]]
commitment = "C1"
date = 2005-01-20
amount = 1000

[[expense]]
project = "TF"
date = 2005-02-01
amount = 0.50

[[expense]]
project = "TF-A"
date = 2005-02-01
amount = 0.50

[[expense]]
project = "TF-A"
date = 2005-02-01
amount = 100.05

[[expense]]
project = "TF-B"
date = 2005-02-01
amount = 10.50
"""


def test_support_cost_rounds_per_expense_and_rolls_up(ledger):
    ledger.write("ledgers/a.toml", LEDGER)
    result = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert result.exit_code == 0, result.stderr
    figures = {p["id"]: (p["spent"], p["support_cost"], p["available"]) for p in result.json()["projects"]}
    assert figures == {
        # its own 0.065 -> 0.07, and its children's: a parent's includes them
        "TF": ("111.55", "13.89", "874.56"),
        # inherits 13 %: 0.50 -> 0.07 and 100.05 -> 13.0065 -> 13.01, each rounded on its own
        "TF-A": ("100.55", "13.08", "-113.63"),
        # its own 7 %: 10.50 -> 0.735 -> 0.74 (half away from zero)
        "TF-B": ("10.50", "0.74", "-11.24"),
    }
    table = ledger.run("balance", "--as-of", "2005-12-31").stdout
    assert "spent  support  available" in table
    assert "TF       USD       —   1,000.00  1,000.00         0.00     0.00  111.55    13.89     874.56" in table


def test_without_a_rate_the_table_is_that_of_version_1(ledger):
    ledger.write("ledgers/a.toml", LEDGER.replace("support_cost_rate = 0.13\n", "").replace("support_cost_rate = 0.07\n", ""))
    result = ledger.run("balance", "--as-of", "2005-12-31")
    assert "support" not in result.stdout
    assert ledger.run("balance", "--json", "--as-of", "2005-12-31").json()["projects"][0]["support_cost"] == "0.00"


def test_an_assert_counts_available_net_of_support_cost_as_balance_does(ledger):
    # The figures of balance above, asserted: an assert computes them as balance shows them.
    asserted = ('\n[[assert]]\nproject = "TF"\ndate = 2005-12-31\nsupport_cost = 13.89\navailable = 874.56\n'
                '\n[[assert]]\nproject = "TF-B"\ndate = 2005-12-31\nsupport_cost = 0.74\navailable = -11.24\n')
    ledger.write("ledgers/a.toml", LEDGER + asserted)
    result = ledger.run("check", "--format", "json", "--as-of", "2005-12-31")
    assert [p["code"] for p in result.json()["problems"] if p["severity"] == "error"] == []
    path = ledger.write("ledgers/a.toml", LEDGER + asserted.replace("available = 874.56", "available = 888.45"))
    result = ledger.run("check", "--format", "json", "--as-of", "2005-12-31")
    (failed,) = [p for p in result.json()["problems"] if p["code"] == "assert-failed"]
    assert failed["message"] == ("available of 'TF' as of 2005-12-31: asserted 888.45 USD, computed 874.56 USD, "
                                 "difference -13.89 USD")
    assert failed["line"] == path.read_text().splitlines().index("available = 888.45") + 1
