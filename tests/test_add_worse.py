"""`add` refuses only what the new entry makes worse; `add --from-file` adds several entries, all or none."""

from conftest import line_of
from test_add import GRANT, digest

STATEMENT = GRANT + """
[[assert]]
project = "P1"
date = 2005-12-31
released = 70_000
source = "Bank statement of December 2005"
"""


def test_each_release_a_failing_assert_waits_for_is_written_one_after_the_other(ledger):
    path = ledger.write("ledgers/a.toml", STATEMENT)
    first = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-09-30", "amount=40_000")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == "added [[release]] at ledgers/a.toml:33\n"
    assert first.stderr.startswith("cndledger: the ledger had 1 error before this entry (at ledgers/a.toml:33), "
                                   "which it does not make worse:\n")
    assert (f"ledgers/a.toml:{line_of(path, 'released = 70_000')}: error[assert-failed]: released of 'P1' as of "
            "2005-12-31: asserted 70,000.00 USD, computed 40,000.00 USD, difference -30,000.00 USD") in first.stderr
    second = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-11-30", "amount=30_000")
    assert (second.exit_code, second.stdout, second.stderr) == (0, "added [[release]] at ledgers/a.toml:38\n", "")
    assert ledger.run("check").exit_code == 0


def test_an_error_in_the_entry_blocks_it_and_the_errors_already_there_are_told_apart(ledger):
    path = ledger.write("ledgers/a.toml", STATEMENT)
    before = digest(path)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "tranche=tf-1",
                        "date=2005-09-30", "amount=50_000")
    assert result.exit_code == 1
    assert "ledgers/a.toml:36: error[releases-exceed-tranche]" in result.stderr
    assert "cndledger: the ledger had 1 error before this entry (at ledgers/a.toml:33)" in result.stderr
    assert result.stderr.endswith("cndledger: nothing was written: with this entry (at ledgers/a.toml:33) the ledger "
                                  "would have 1 new error\n")
    assert digest(path) == before


def test_an_error_the_entry_makes_elsewhere_blocks_it(ledger):
    # A release over the commitment: the error is at the release that takes the total past it, an old one.
    path = ledger.write("ledgers/a.toml", GRANT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-09-30\namount = 90_000\n')
    before = digest(path)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-02-01", "amount=20_000")
    assert result.exit_code == 1
    assert f"ledgers/a.toml:{line_of(path, 'amount = 90_000')}: error[releases-exceed-commitment]" in result.stderr
    assert "the ledger had" not in result.stderr
    assert digest(path) == before


ENTRIES = """\
# The bank statement of September, as it came
[[release]]
commitment = "C1"
date = 2005-09-30
amount = 40_000

[[expense]]
project = "P1"
date = 2005-09-30
amount = 1_200
"""


def test_several_entries_from_a_file_are_added_together(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = path.read_bytes()
    ledger.write("september.toml", ENTRIES)
    result = ledger.run("add", "--from-file", "september.toml", "--to", "ledgers/a.toml")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "added 2 entries at ledgers/a.toml:27\n", "")
    assert path.read_bytes() == before + b"\n" + ENTRIES.encode()
    figures = ledger.run("balance", "--json", "--as-of", "2005-12").json()["projects"][0]
    assert (figures["released"], figures["spent"]) == ("40000.00", "1200.00")


def test_entries_from_a_file_are_all_refused_where_one_is_wrong(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = digest(path)
    ledger.write("september.toml", ENTRIES.replace('project = "P1"', 'project = "P2"'))
    result = ledger.run("add", "--from-file", "september.toml", "--to", "ledgers/a.toml")
    assert result.exit_code == 1
    assert "ledgers/a.toml:34: error[unresolved-ref]" in result.stderr
    assert result.stderr.endswith("cndledger: nothing was written: with these 2 entries (from ledgers/a.toml:27) the "
                                  "ledger would have 1 error\n")
    assert digest(path) == before


def test_an_entries_file_must_hold_tables_only(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = digest(path)
    ledger.write("loose.toml", 'note = "joins the last entry"\n' + ENTRIES)
    result = ledger.run("add", "--from-file", "loose.toml", "--to", "ledgers/a.toml")
    assert (result.exit_code, result.stderr) == (
        2, ("cndledger: add: --from-file: 'loose.toml' must hold [[kind]] tables only, from its first line on; it "
           "starts with 'note = \"joins the last entry\"'\n"))
    ledger.write("typo.toml", ENTRIES.replace("[[expense]]", "[[expence]]"))
    result = ledger.run("add", "--from-file", "typo.toml", "--to", "ledgers/a.toml")
    assert result.exit_code == 2 and "'expence' is not a table of the format (did you mean 'expense'?)" in result.stderr
    result = ledger.run("add", "release", "amount=1", "--from-file", "typo.toml", "--to", "ledgers/a.toml")
    assert result.exit_code == 2 and "give no KIND nor KEY=VALUE with it" in result.stderr
    assert ledger.run("add", "--to", "ledgers/a.toml").exit_code == 2
    assert digest(path) == before
