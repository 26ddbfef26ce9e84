"""`cndledger rates import FILE.csv --to FILE.toml`: the rates of a CSV file appended as [[rate]] entries, through
the atomic path of `add`; all or none; duplicates left out or refused; every bad row at its CSV line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tomllib
from decimal import Decimal

import pytest

from cndledger.core import append
from conftest import COMMITMENT

PLAIN = """\
date,from,to,rate,source
2005-03-01,USD,PKR,59.72,UN operational rate of exchange
2005-04-01,USD,PKR,59.8,
2005-03-01,EUR,USD,1.3012,ECB
"""

PLAIN_ENTRIES = """\
[[rate]]
date = "2005-03-01"
from = "EUR"
to = "USD"
rate = 1.3012
source = "ECB"

[[rate]]
date = "2005-03-01"
from = "USD"
to = "PKR"
rate = 59.72
source = "UN operational rate of exchange"

[[rate]]
date = "2005-04-01"
from = "USD"
to = "PKR"
rate = 59.8
"""

UN_EXPORT = ("Country\tCurrency Name\tCurrency Code\tEffective Date\tRate\n"
             "Afghanistan\tAfghanistan Afghani\tAFN\t01-Mar-2005\t48.5\n"
             "Andorra\tEuro\tEUR\t01-Mar-2005\t0.755\n"
             "Austria\tEuro\tEUR\t01-Mar-2005\t0.7550\n"
             "Pakistan\tPakistan Rupee\tPKR\t01-Mar-2005\t59.72\n"
             "Pakistan\tPakistan Rupee\tPKR\t15-Mar-2005\t59.80\n"
             "United States\tUS Dollar\tUSD\t01-Mar-2005\t1.000\n")


@pytest.fixture
def rates_ledger(ledger):
    ledger.write("ledgers/funding.toml", COMMITMENT)
    ledger.write("ledgers/rates.toml", "# Rates of exchange\n")
    return ledger


def run_import(ledger, *args):
    return ledger.run("rates", "import", *args)


def test_plain_layout_is_appended_sorted_and_the_ledger_still_checks(rates_ledger):
    path = rates_ledger.root / "ledgers/rates.toml"
    rates_ledger.write("rates.csv", PLAIN)
    result = run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "added 3 rates at ledgers/rates.toml:3\n", "")
    text = path.read_text(encoding="utf-8")
    assert text == "# Rates of exchange\n\n" + PLAIN_ENTRIES
    assert [(rate["date"], rate["from"], rate["to"], rate["rate"]) for rate in
            tomllib.loads(text, parse_float=Decimal)["rate"]] == [
        ("2005-03-01", "EUR", "USD", Decimal("1.3012")), ("2005-03-01", "USD", "PKR", Decimal("59.72")),
        ("2005-04-01", "USD", "PKR", Decimal("59.8"))]
    checked = rates_ledger.run("check")
    assert checked.exit_code == 0, checked.stdout


def test_un_layout_tab_separated_one_currency(rates_ledger):
    path = rates_ledger.root / "ledgers/rates.toml"
    rates_ledger.write("un.tsv", UN_EXPORT)
    result = run_import(rates_ledger, "un.tsv", "--to", "ledgers/rates.toml", "--currency", "PKR")
    assert (result.exit_code, result.stdout) == (0, "added 2 rates at ledgers/rates.toml:3\n")
    rates = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)["rate"]
    assert rates == [
        {"date": "2005-03-01", "from": "USD", "to": "PKR", "rate": Decimal("59.72"),
         "source": "UN operational rate of exchange"},
        {"date": "2005-03-15", "from": "USD", "to": "PKR", "rate": Decimal("59.80"),
         "source": "UN operational rate of exchange"}]
    # the whole table: each currency's rate read once (the euro of two countries), the dollar's own passed over
    everything = run_import(rates_ledger, "un.tsv", "--to", "ledgers/rates.toml")
    assert everything.exit_code == 0
    assert everything.stdout == "added 2 rates at ledgers/rates.toml:17; 2 already in the ledger\n"
    assert [(rate["to"], rate["rate"]) for rate in tomllib.loads(path.read_text(encoding="utf-8"),
                                                                 parse_float=Decimal)["rate"]][2:] == [
        ("AFN", Decimal("48.5")), ("EUR", Decimal("0.755"))]
    assert rates_ledger.run("check").exit_code == 0


def test_rates_already_in_the_ledger_are_left_out_and_another_rate_is_refused_at_its_line(rates_ledger):
    path = rates_ledger.root / "ledgers/rates.toml"
    rates_ledger.write("rates.csv", PLAIN)
    assert run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml").exit_code == 0
    written = path.read_bytes()
    again = run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml")
    assert (again.exit_code, again.stdout, again.stderr) == (0, "added no rate: all 3 already in the ledger\n", "")
    assert path.read_bytes() == written
    # the ledger has 59.72 for USD->PKR on 2005-03-01 (its line 10); a new file says 59.9, and brings a new rate too
    rates_ledger.write("other.csv", "date,from,to,rate\n2005-05-01,USD,PKR,60.1\n2005-03-01,USD,PKR,59.9\n")
    refused = run_import(rates_ledger, "other.csv", "--to", "ledgers/rates.toml")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.splitlines()[0] == (
        "other.csv:3: error[duplicate-id]: the ledger already has a rate from USD to PKR on 2005-03-01: 59.72 at "
        "ledgers/rates.toml:10, where this row gives 59.9")
    assert "  3 | 2005-03-01,USD,PKR,59.9" in refused.stderr
    assert refused.stderr.splitlines()[-1] == (
        "cndledger: nothing was written: 1 problem in other.csv (all its rates or none: correct the rows, or "
        "leave them out with --currency)")
    assert path.read_bytes() == written  # all or none: not even the new rate of May


def test_two_rows_of_one_pair_and_day_with_two_rates_are_refused(rates_ledger):
    rates_ledger.write("rates.csv", "date,from,to,rate\n2005-03-01,USD,PKR,59.72\n2005-03-01,USD,PKR,59.720\n"
                                    "2005-03-01,USD,PKR,59.73\n")
    result = run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("rates.csv:4: error[duplicate-id]: a second rate from USD to PKR on "
                                             "2005-03-01: 59.73, where line 2 gives 59.72")
    assert (rates_ledger.root / "ledgers/rates.toml").read_text() == "# Rates of exchange\n"


def test_a_bad_row_is_located_at_its_csv_line_and_nothing_is_written(rates_ledger):
    path = rates_ledger.root / "ledgers/rates.toml"
    before = path.read_bytes()
    rates_ledger.write("rates.csv", 'date,from,to,rate\n2005-03-01,USD,PKR,59.72\n\n2005-04,USD,PKR,59.8\n'
                                    '2005-04-01,USD,PKR,"59,8"\n')
    result = run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml")
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[0] == ("rates.csv:4: error[bad-value]: a rate's date is a day, and '2005-04' is a month: write the "
                        "day the rate takes effect, such as 2005-03-01")
    assert lines[1] == "  4 | 2005-04,USD,PKR,59.8"
    assert any(line.startswith("rates.csv:5: error[bad-value]: the rate '59,8' has a comma") for line in lines)
    assert lines[-1].startswith("cndledger: nothing was written: 2 problems in rates.csv")
    assert path.read_bytes() == before
    # --currency leaves the other rows unread: here every row is of PKR, so they are all judged
    assert run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml", "--currency", "EUR").stdout == \
        "added no rate: rates.csv holds no rate of EUR\n"


def test_the_rates_are_appended_after_the_last_byte_in_the_files_line_endings(rates_ledger):
    path = rates_ledger.root / "ledgers/rates.toml"
    path.write_bytes(b'[[rate]]\r\ndate = 2005-01-01\r\nfrom = "USD"\r\nto = "PKR"\r\nrate = 58\r\n')
    before = path.read_bytes()
    rates_ledger.write("rates.csv", "date,from,to,rate\n2005-02-01,USD,PKR,59\n2005-01-01,USD,PKR,58.0\n")
    result = run_import(rates_ledger, "rates.csv", "--to", "ledgers/rates.toml")
    assert (result.exit_code, result.stdout) == (0, "added 1 rate at ledgers/rates.toml:7; 1 already in the ledger\n")
    assert path.read_bytes() == before + b'\r\n[[rate]]\r\ndate = "2005-02-01"\r\nfrom = "USD"\r\nto = "PKR"\r\nrate = 59\r\n'


def cndledger(root, *args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cndledger", *args], cwd=root, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("point", ["checked", "written", "renamed"])
def test_an_import_killed_at_any_point_leaves_the_file_as_before_or_as_after(rates_ledger, point):
    path = rates_ledger.root / "ledgers/rates.toml"
    before = path.read_bytes()
    rates_ledger.write("rates.csv", PLAIN)
    process = cndledger(rates_ledger.root, "rates", "import", "rates.csv", "--to", "ledgers/rates.toml",
                        env={append.KILL_AT_VARIABLE: point})
    assert process.wait(timeout=60) == -signal.SIGKILL
    after = path.read_bytes()
    assert after == (before + b"\n" + PLAIN_ENTRIES.encode() if point == "renamed" else before)
    assert rates_ledger.run("check").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["none.csv", "--to", "ledgers/rates.toml"], "rates import: there is no file 'none.csv'"),
    (["rates.csv", "--to", "elsewhere.toml"], "rates import: --to: there is no file 'elsewhere.toml'"),
    (["rates.csv", "--to", "rates.csv"], "rates import: --to: 'rates.csv' is not a file of the ledger"),
    (["rates.csv", "--to", "ledgers/rates.toml", "--currency", "pkr"],
     "rates import: --currency: write the currency code in capitals: 'PKR', not 'pkr'"),
    (["rates.csv", "--to", "ledgers/rates.toml", "nowhere"], "no ledger at the path 'nowhere'"),
])
def test_bad_usage_exits_2_and_writes_nothing(rates_ledger, args, message):
    rates_ledger.write("rates.csv", PLAIN)
    before = (rates_ledger.root / "ledgers/rates.toml").read_bytes()
    result = run_import(rates_ledger, *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert (rates_ledger.root / "ledgers/rates.toml").read_bytes() == before


def test_the_to_option_is_required(rates_ledger):
    rates_ledger.write("rates.csv", PLAIN)
    result = run_import(rates_ledger, "rates.csv")
    assert result.exit_code == 2 and "--to" in result.stderr
