"""Exit codes and output streams of `check` and `balance` (LEDGER-FORMAT "Exit codes", "Checks")."""

import json

import pytest

from conftest import PREAMBLE

CLEAN = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000

[[release]]
commitment = "C1"
date = 2005-02-01
amount = 400
"""

FATAL = {
    "toml-syntax": "[[party\n",
    "missing-key": '[[release]]\ncommitment = "C1"\ndate = 2005-02-01\n',
    "unknown-key": 'oops = 1\n',
    "bad-value": '[[expense]]\nproject = "P1"\ndate = "Feb 2005"\namount = 1\n',
    "bad-precision": '[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 0.001\n',
    "duplicate-id": '[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\ndate = 2005-01-10\namount = 1\n',
    "unresolved-ref": '[[expense]]\nproject = "P9"\ndate = 2005-02-01\namount = 1\n',
    "cycle": '[[project]]\nid = "P2"\ntitle = "t"\ncurrency = "USD"\nparent = "P2"\n',
    "currency-mismatch": '[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 1\ncurrency = "EUR"\n',
    "no-rate": '[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 1\ncurrency = "EUR"\n',
}

NOT_FATAL = {
    "assert-failed": '[[assert]]\nproject = "P1"\ndate = 2005-12-31\nreleased = 500\n',
    "releases-exceed-commitment": '[[release]]\ncommitment = "C1"\ndate = 2005-03-01\namount = 600.01\n',
    "tranches-exceed-commitment": '[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 1000.01\n',
    "release-before-commitment": '[[release]]\ncommitment = "C1"\ndate = 2005-01-09\namount = 1\n',
    "end-before-start": '[[inkind]]\nid = "K"\nproject = "P1"\nparty = "DONOR"\ndescription = "d"\nnature = "goods"\n'
                        'start = 2005-02-01\nend = 2005-01-31\n',
}


def test_a_clean_ledger_exits_0_everywhere(ledger):
    ledger.write("ledgers/a.toml", CLEAN)
    for args in (["check"], ["check", "--format", "json"], ["check", "--strict"], ["balance"], ["balance", "--json"]):
        result = ledger.run(*args)
        assert (result.exit_code, result.stderr) == (0, ""), args


@pytest.mark.parametrize("code", FATAL)
def test_errors_that_leave_figures_undefined_stop_the_report(ledger, code):
    ledger.write("ledgers/a.toml", CLEAN)
    ledger.write("ledgers/b.toml", FATAL[code])
    checked = ledger.run("check", "--format", "json")
    assert checked.exit_code == 1
    assert code in [problem["code"] for problem in checked.json()["problems"]]
    for args in (["balance"], ["balance", "--json"]):
        result = ledger.run(*args, "--as-of", "2005-12-31")
        assert result.exit_code == 1
        assert result.stdout == ""
        assert f"error[{code}]" in result.stderr


@pytest.mark.parametrize("code", NOT_FATAL)
def test_other_errors_print_the_figures_and_exit_1(ledger, code):
    ledger.write("ledgers/a.toml", CLEAN)
    ledger.write("ledgers/b.toml", NOT_FATAL[code])
    checked = ledger.run("check", "--format", "json")
    assert checked.exit_code == 1
    assert code in [problem["code"] for problem in checked.json()["problems"]]

    result = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert result.exit_code == 1
    assert f"error[{code}]" in result.stderr
    p1, = json.loads(result.stdout)["projects"]  # standard output is the JSON alone
    assert p1["committed"] == "1000.00"

    table = ledger.run("balance", "--as-of", "2005-12-31")
    assert table.exit_code == 1 and "1,000.00" in table.stdout and f"error[{code}]" in table.stderr


def test_warnings_do_not_fail_a_report_nor_appear_on_it(ledger):
    ledger.write("ledgers/a.toml", CLEAN.replace('currency = "USD"', 'currency = "USD"\nbudget = 10'))
    assert ledger.run("check", "--as-of", "2006").exit_code == 0
    assert ledger.run("check", "--as-of", "2006", "--strict").exit_code == 1
    result = ledger.run("balance", "--json", "--as-of", "2006")
    assert result.exit_code == 0 and result.stderr == ""
    json.loads(result.stdout)


def test_check_problems_go_to_standard_output_with_a_summary(ledger):
    ledger.write("ledgers/a.toml", CLEAN + "\n" + NOT_FATAL["assert-failed"])
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "error[assert-failed]" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings in 1 file"


@pytest.mark.parametrize("args", [
    ["check", "--format", "xml"],
    ["check", "--as-of", "2005-13"],
    ["check", "--as-of", "yesterday"],
    ["balance", "--as-of", "Feb 2005"],
    ["balance", "--no-such-option"],
    ["no-such-command"],
])
def test_bad_usage_exits_2(ledger, args):
    ledger.write("ledgers/a.toml", CLEAN)
    result = ledger.run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
