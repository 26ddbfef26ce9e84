"""Shell completion: commands and options from Typer, project ids from the ledger (never a traceback)."""

from __future__ import annotations

import datetime
import os

from typer.testing import CliRunner

from cndledger.cli.app import app
from cndledger.cli.complete import ids, periods
from conftest import PREAMBLE


def complete(ledger, words: str) -> list[str]:
    """What bash completes for the last word of `words` (a trailing space: a new, empty word)."""
    old = os.getcwd()
    os.chdir(ledger.root)
    try:
        result = CliRunner().invoke(app, [], prog_name="cndledger", env={
            "_CNDLEDGER_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)})
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.stdout
    return [line for line in result.stdout.splitlines() if line]


PROJECTS = PREAMBLE + """
[[project]]
id = "US/PAK/01/099"
title = "Pilot clusters"
currency = "USD"
parent = "P1"
"""


def test_commands_and_options_complete(ledger):
    assert complete(ledger, "cndledger ex") == ["explain"]
    assert "--project" in complete(ledger, "cndledger balance --pro")
    assert complete(ledger, "cndledger check --format ") == ["text", "json", "github"]
    assert complete(ledger, "cndledger explain unknown") == ["unknown-key"]
    assert complete(ledger, "cndledger explain min_") == ["min_spent"]
    assert complete(ledger, "cndledger explain outs") == ["outside-project-dates", "outstanding"]


def test_project_ids_complete_from_the_default_ledger(ledger):
    ledger.write("ledgers/projects.toml", PROJECTS)
    assert complete(ledger, "cndledger balance --project ") == ["P1", "US/PAK/01/099"]
    assert complete(ledger, "cndledger balance --project US") == ["US/PAK/01/099"]


def test_project_ids_complete_from_the_ledger_named_on_the_line(ledger):
    ledger.write("other/a.toml", PROJECTS)
    assert complete(ledger, "cndledger balance -f other --project U") == ["US/PAK/01/099"]
    assert complete(ledger, "cndledger balance other --project P") == ["P1"]
    assert complete(ledger, "cndledger balance other/a.toml --by-party --project ") == ["P1", "US/PAK/01/099"]


def test_tranche_ids_complete_for_release_check_and_projects_for_every_report(ledger):
    ledger.write("ledgers/a.toml", PROJECTS + '\n[[tranche]]\nid = "TF-1"\ncommitment = "C1"\namount = 5\n'
                                              '\n[[tranche]]\nid = "TF-2"\ncommitment = "C1"\namount = 5\n')
    assert complete(ledger, "cndledger release-check TF") == ["TF-1", "TF-2"]
    assert complete(ledger, "cndledger release-check --on 2005-02 TF-2") == ["TF-2"]
    for report in ("tranches", "register"):
        assert complete(ledger, f"cndledger {report} --project US") == ["US/PAK/01/099"]


def test_a_broken_or_missing_ledger_completes_what_it_can_and_never_raises(ledger):
    ledger.write("ledgers/a.toml", PROJECTS + "\n[[project]]\nid = 5\n")  # validation would fail; ids still read
    ledger.write("ledgers/b.toml", "[[project]\nid = \"X\"\n")  # not TOML
    ledger.write("ledgers/c.toml", 'project = "not a table"\n')
    assert complete(ledger, "cndledger balance --project ") == ["P1", "US/PAK/01/099"]
    assert complete(ledger, "cndledger balance -f nowhere --project ") == []


def test_ids_gives_each_id_once_in_ledger_order_with_a_word_on_it(tmp_path):
    (tmp_path / "a.toml").write_text(PROJECTS + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 5\n')
    (tmp_path / "b.toml").write_text('[[project]]\nid = "P1"\ntitle = "Again"\ncurrency = "USD"\n')
    assert ids([str(tmp_path)], "project") == [("P1", "A project"), ("US/PAK/01/099", "Pilot clusters")]
    assert ids([str(tmp_path)], "tranche") == [("T1", "of commitment C1")]
    assert ids([str(tmp_path / "missing")], "project") == []



FISCAL = PREAMBLE.replace('currency = "USD"\n', 'currency = "USD"\nstart = "2004-07"\nend = 2006-06-30\n'
                          'fiscal_year_start = 7\n', 1) + """
[[project]]
id = "P1-A"
title = "A component, its fiscal year its parent's"
currency = "USD"
parent = "P1"
start = 2006-09-01
end = "2007"

[[project]]
id = "P2"
title = "A project of calendar years"
currency = "USD"
start = 2001-01-01

[[budget]]
project = "P2"
period = "2005-Q3"
amount = 10

[[budget]]
project = "P1"
period = "FY2005-06"
amount = 10

[[budget]]
project = "P2"
period = "2005-Q3"
amount = 20
"""


def test_periods_complete_the_budget_lines_then_the_fiscal_years(ledger):
    ledger.write("ledgers/a.toml", FISCAL)
    offered = ["2005-Q3", "FY2005-06", "FY2004-05", "FY2006-07", "FY2007-08"]
    for report in ("balance", "budget", "register"):
        assert complete(ledger, f"cndledger {report} --period ") == offered
    assert complete(ledger, "cndledger balance --period FY2006") == ["FY2006-07"]
    assert complete(ledger, "cndledger budget --period 2") == ["2005-Q3"]


def test_periods_say_what_each_is_and_never_raise(tmp_path):
    (tmp_path / "a.toml").write_text(FISCAL)
    assert periods([str(tmp_path)])[:3] == [("2005-Q3", "the period of a budget line"),
                                            ("FY2005-06", "the period of a budget line"),
                                            ("FY2004-05", "the fiscal year 2004-07-01 to 2005-06-30")]
    # No end: the fiscal years up to today's.
    (tmp_path / "a.toml").write_text(FISCAL.replace('end = "2007"\n', ""))
    assert [label for label, _ in periods([str(tmp_path)], today=datetime.date(2009, 7, 1))][-1] == "FY2009-10"
    (tmp_path / "a.toml").write_text(FISCAL.replace("fiscal_year_start = 7", 'fiscal_year_start = "July"')
                                     .replace('"FY2005-06"', "5"))
    assert periods([str(tmp_path)]) == [("2005-Q3", "the period of a budget line")]
    (tmp_path / "a.toml").write_text('[[project]]\nid = "X"\nparent = "X"\nstart = "20"\n[[budget]]\nperiod = []\n')
    assert periods([str(tmp_path)]) == []
    assert periods([str(tmp_path / "missing")]) == []

def test_install_completion_is_offered(ledger):
    result = ledger.run("--help")
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def test_currencies_complete_from_the_ledger_its_projects_first(ledger):
    ledger.write("ledgers/a.toml", PROJECTS + """
[[project]]
id = "P2"
title = "In rupees"
currency = "PKR"
parent = "P1"

[[expense]]
project = "P1"
date = 2005-02-01
amount = 5
currency = "EUR"

[[rate]]
date = 2005-01-01
from = "USD"
to = "JPY"
rate = 110
""")
    assert complete(ledger, "cndledger balance --currency ") == ["USD", "PKR", "EUR", "JPY"]
    assert complete(ledger, "cndledger balance --currency P") == ["PKR"]
    assert complete(ledger, "cndledger rates import rates.csv --to ledgers/a.toml --currency J") == ["JPY"]
    ledger.write("ledgers/b.toml", "[[project]\n")  # not TOML: what can be read still completes
    assert complete(ledger, "cndledger balance --currency E") == ["EUR"]
