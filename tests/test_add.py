"""`cndledger add`: one entry appended after the file's last byte, only when the whole ledger checks."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from cndledger.core import append
from conftest import COMMITMENT

GRANT = COMMITMENT.replace("amount = 1000\n", "amount = 100_000  # the grant agreement of 10 January\n") + """
[[tranche]]
id = "tf-1"
commitment = "C1"
amount = 40_000
"""
RELEASE = ["commitment=C1", "date=2005-09-30", "amount=40_000", "tranche=tf-1"]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_entry_is_appended_after_the_last_byte_and_the_ledger_still_checks(ledger):
    path = ledger.write("ledgers/funding.toml", GRANT)
    before = path.read_bytes()
    result = ledger.run("add", "release", "--to", "ledgers/funding.toml", *RELEASE, "reference=BANK 2005/117")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "added [[release]] at ledgers/funding.toml:27\n", "")
    assert path.read_bytes() == before + (
        b'\n[[release]]\ncommitment = "C1"\ndate = 2005-09-30\namount = 40_000\ntranche = "tf-1"\n'
        b'reference = "BANK 2005/117"\n')
    assert ledger.run("check").exit_code == 0
    assert ledger.run("balance", "--json", "--as-of", "2005-12").json()["projects"][0]["released"] == "40000.00"


@pytest.mark.parametrize("text, expected", [
    ("amount=40_000", 40000), ("amount=70000.50", "70000.50"), ("date=2005-09-30", "2005-09-30"),
    ('date="2005-09"', '"2005-09"'), ('after=["tf-1"]', '[\n    "tf-1",\n]'), ('note="x = 1"', '"x = 1"'),
    ("project=US/PAK/01/099", '"US/PAK/01/099"'), ("note=two words", '"two words"'), ("note=", '""'),
    ("note=1\nid = 2", '"1\\nid = 2"'), ("note='single'", '"single"'), ("note=true", "true"),
])
def test_a_value_is_read_as_toml_where_it_is_toml_else_as_text(text, expected):
    key = text.split("=")[0]
    assert append.entry_text("expense", append.parse_assignments([text])) == f"[[expense]]\n{key} = {expected}\n"


@pytest.mark.parametrize("original", [
    b"",
    b"\xef\xbb\xbf",
    b"# only a comment, no newline",
    b"[[party]]\nid = 'X'\nname = 'x'",
    b"[[party]]\nid = 'X'\nname = 'x'\n\n\n",
    b"[[party]]\r\nid = 'X'\r\nname = 'x'\r\n",
    b"\xef\xbb\xbf[[party]]\r\n  id    =   'X'   # odd spacing\r\n\tname='\xc3\xa9t\xc3\xa9'",
])
def test_every_byte_before_the_entry_is_kept(ledger, original):
    ledger.write("ledgers/a.toml", GRANT)
    path = ledger.root / "ledgers" / "b.toml"
    path.write_bytes(original)
    result = ledger.run("add", "party", "--to", "ledgers/b.toml", "id=NEW", "name=A new party")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    assert after.startswith(original)
    crlf = b"\r\n" in original
    added = after[len(original):].decode()
    assert added.lstrip("\r\n") == '[[party]]\nid = "NEW"\nname = "A new party"\n'.replace("\n", "\r\n" if crlf else "\n")
    assert ("\n" in added.replace("\r\n", "")) is not crlf or added.count("\n") == 0
    assert ledger.run("check").exit_code == 0
    line = int(result.stdout.rsplit(":", 1)[1])
    assert after.split(b"\n")[line - 1].rstrip(b"\r").removeprefix(b"\xef\xbb\xbf") == b"[[party]]"


def test_a_wrong_entry_is_refused_with_located_problems_and_the_file_is_untouched(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = digest(path)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-09-30",
                        "ammount=40_000", "tranche=tf-2")
    assert result.exit_code == 1
    assert digest(path) == before
    assert "ledgers/a.toml:27: error[missing-key]: [[release]] has no 'amount'" in result.stderr
    assert "ledgers/a.toml:30: error[unknown-key]: unknown key 'ammount' in [[release]]; did you mean 'amount'?" in result.stderr
    assert "  30 | ammount = 40000\n" in result.stderr
    assert result.stderr.endswith(
        "cndledger: nothing was written: with this entry (at ledgers/a.toml:27) the ledger would have 2 errors\n")
    assert result.stdout == ""


@pytest.mark.parametrize("assignments, code", [
    (["commitment=C1", "date=2005-09-30", "amount=nan"], "bad-value"),
    (["commitment=C1", "date=2005-09-30", "amount=inf"], "bad-value"),
    (["commitment=C1", "date=2005-09-30", "amount=" + "9" * 400], "bad-value"),
    (["commitment=C1", "date=2005-09-30", "amount=-5"], "bad-value"),
    (["commitment=C1", "date=2005-09-30", "amount=40000.005"], "bad-precision"),
    (["commitment=C1", "date=2004-12-31", "amount=1"], "release-before-commitment"),
    (["commitment=C1", "date=2005-09-30", "amount=100001"], "releases-exceed-commitment"),
    (["commitment=C9", "date=2005-09-30", "amount=1"], "unresolved-ref"),
    (["commitment=C1", "date=2005-09-30T10:00:00", "amount=1"], "bad-value"),
])
def test_entries_the_format_forbids_are_refused(ledger, assignments, code):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = digest(path)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *assignments)
    assert result.exit_code == 1
    assert f"error[{code}]" in result.stderr and "Traceback" not in result.stderr
    assert digest(path) == before


def test_an_error_already_in_the_ledger_is_shown_and_does_not_block_the_entry(ledger):
    ledger.write("ledgers/a.toml", GRANT)
    broken = ledger.write("ledgers/b.toml", '[[expense]]\nproject = "P9"\ndate = 2005-01-01\namount = 1\n')
    before = digest(broken)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE)
    assert result.exit_code == 0
    assert result.stderr.startswith("cndledger: the ledger had 1 error before this entry (at ledgers/a.toml:")
    assert "ledgers/b.toml:2: error[unresolved-ref]" in result.stderr
    assert result.stdout.startswith("added [[release]] at ledgers/a.toml:")
    assert digest(broken) == before


def test_a_warning_about_the_entry_is_shown_and_the_entry_written(ledger):
    ledger.write("ledgers/a.toml", GRANT.replace('currency = "USD"', 'currency = "USD"\nend = 2005-06-30'))
    result = ledger.run("add", "expense", "--to", "ledgers/a.toml", "project=P1", "date=2006-01-05", "amount=10")
    assert result.exit_code == 0
    assert "warning[outside-project-dates]" in result.stderr
    assert result.stdout.startswith("added [[expense]]")


def test_dry_run_prints_the_entry_and_writes_nothing(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = digest(path)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE, "--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == '[[release]]\ncommitment = "C1"\ndate = 2005-09-30\namount = 40_000\ntranche = "tf-1"\n'
    assert digest(path) == before
    assert not (ledger.root / "ledgers" / ".a.toml.lock").exists()
    refused = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "--dry-run")
    assert refused.exit_code == 1 and "error[missing-key]" in refused.stderr


@pytest.mark.parametrize("args, message", [
    (["relase", "--to", "ledgers/a.toml", "x=1"], "add: 'relase' is not a table of the format (did you mean 'release'?)"),
    (["release", "commitment=C1"], "add: --to FILE is required"),
    (["release", "--to", "ledgers/none.toml", "amount=1"], "add: --to: there is no file 'ledgers/none.toml'"),
    (["release", "--to", "ledgers", "amount=1"], "add: --to: 'ledgers' is a folder"),
    (["release", "--to", "outside.toml", "amount=1"], "add: --to: 'outside.toml' is not a file of the ledger"),
    (["release", "--to", "ledgers/a.toml", "amount"], "add: 'amount' is not KEY=VALUE"),
    (["release", "--to", "ledgers/a.toml", "=5"], "add: '=5' is not KEY=VALUE"),
    (["release", "--to", "ledgers/a.toml", "amount=1", "amount=2"], "add: 'amount' is given twice"),
    (["release", "--to", "ledgers/a.toml", "note={a = 1}"], "add: note={a = 1}: no key of the format takes a table"),
    (["release", "-f", "nowhere", "--to", "ledgers/a.toml", "amount=1"], "add: no ledger at the path 'nowhere'"),
])
def test_bad_usage_exits_2_and_changes_nothing(ledger, args, message):
    path = ledger.write("ledgers/a.toml", GRANT)
    ledger.write("outside.toml", "")
    before = digest(path)
    result = ledger.run("add", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cndledger: {message}"), result.stderr
    assert digest(path) == before


def test_the_file_may_be_named_by_another_path_to_it(ledger):
    path = ledger.write("books/a.toml", GRANT)
    os.symlink("books/a.toml", ledger.root / "link.toml")
    result = ledger.run("add", "release", "-f", "./books", "--to", "link.toml", *RELEASE)
    assert result.stdout == "added [[release]] at ./books/a.toml:27\n"
    assert os.path.islink(ledger.root / "link.toml")
    assert b"[[release]]" in path.read_bytes()


def test_the_file_keeps_its_permissions(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    path.chmod(0o640)
    assert ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE).exit_code == 0
    assert (path.stat().st_mode & 0o777) == 0o640


def test_a_file_changed_by_another_program_meanwhile_is_not_overwritten(ledger, monkeypatch):
    path = ledger.write("ledgers/a.toml", GRANT)
    edited = GRANT + "\n# an edit saved while the add was checking\n"

    def another_program_saves(point: str) -> None:
        if point == "written":
            path.write_text(edited)

    monkeypatch.setattr(append, "_checkpoint", another_program_saves)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE)
    assert result.exit_code == 1
    assert result.stderr == ("cndledger: nothing was written: 'ledgers/a.toml' changed while the entry was being "
                             "checked; run the command again\n")
    assert path.read_text() == edited
    assert [name for name in os.listdir(path.parent) if name.endswith(".tmp")] == []


def cndledger(root, *args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cndledger", *args], cwd=root, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_eight_adds_started_at_once_all_land_once_each(ledger):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = path.read_bytes()
    adds = [cndledger(ledger.root, "add", "release", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-09-30",
                      "amount=1000", f"id=R{number}") for number in range(8)]
    outcomes = [(process.wait(timeout=120), process.stderr.read()) for process in adds]
    assert outcomes == [(0, b"")] * 8
    after = path.read_bytes()
    assert after.startswith(before)
    for number in range(8):
        assert after.count(f'id = "R{number}"\n'.encode()) == 1
    assert after.count(b"[[release]]") == 8
    result = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert (result.exit_code, result.json()["projects"][0]["released"]) == (0, "8000.00")


@pytest.mark.parametrize("point", append.KILL_POINTS)
def test_an_add_killed_at_any_point_leaves_the_file_as_before_or_as_after(ledger, point):
    path = ledger.write("ledgers/a.toml", GRANT)
    before = path.read_bytes()
    process = cndledger(ledger.root, "add", "release", "--to", "ledgers/a.toml", *RELEASE,
                        env={append.KILL_AT_VARIABLE: point})
    assert process.wait(timeout=60) == -signal.SIGKILL
    after = path.read_bytes()
    if point == "renamed":
        assert after.startswith(before) and after[len(before):].startswith(b"\n[[release]]\n")
    else:
        assert after == before
    # The lock died with the process, and a leftover temporary file is no part of the ledger.
    assert ledger.run("add", "expense", "--to", "ledgers/a.toml", "project=P1", "date=2005-10-01", "amount=5").exit_code == 0
    summary = ledger.run("check").stdout.splitlines()[-1]  # (an overspent warning, but where the release was written)
    assert summary in ("0 errors, 0 warnings in 1 file", "0 errors, 1 warning in 1 file")


def test_adds_killed_one_after_another_at_every_point_leave_the_file_whole(ledger):
    """Where a kill lands does not depend on the machine's speed: each add dies at a named point."""
    path = ledger.write("ledgers/a.toml", GRANT)
    now = path.read_bytes()
    for attempt, point in enumerate(append.KILL_POINTS * 2):
        process = cndledger(ledger.root, "add", "release", "--to", "ledgers/a.toml", "commitment=C1",
                            "date=2005-09-30", "amount=10", f"id=K{attempt}", env={append.KILL_AT_VARIABLE: point})
        assert process.wait(timeout=60) == -signal.SIGKILL
        before, now = now, path.read_bytes()
        if append.KILL_POINTS.index(point) < append.KILL_POINTS.index("renamed"):
            assert now == before
        else:
            assert now.startswith(before) and now[len(before):].startswith(b"\n[[release]]\n")
            assert now.count(f'id = "K{attempt}"'.encode()) == 1
        assert ledger.run("check").exit_code == 0


def test_a_file_that_writes_its_entries_inline_is_explained_not_broken(ledger):
    path = ledger.write("ledgers/a.toml", 'party = [\n    { id = "A", name = "a" },\n]\n')
    before = digest(path)
    result = ledger.run("add", "party", "--to", "ledgers/a.toml", "id=B", "name=b")
    assert result.exit_code == 1
    assert ("ledgers/a.toml:5: error[toml-syntax]: the file writes its party entries inline (party = [...]), and "
            "TOML allows no [[party]] table after that\n") in result.stderr
    assert digest(path) == before


@pytest.mark.parametrize("assignment, written", [
    ("note=2025", 'note = "2025"'), ("note=true", 'note = "true"'), ("id=12345", 'id = "12345"'),
    ("reference=2005/117", 'reference = "2005/117"'), ('note="quoted"', 'note = "quoted"'),
    ("note=[1, 2]", 'note = "[1, 2]"'), ("currency=USD", 'currency = "USD"'),
])
def test_a_text_key_takes_the_text_as_written(ledger, assignment, written):
    ledger.write("ledgers/a.toml", GRANT)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE, assignment, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"\n{written}\n" in result.stdout


def test_a_text_id_that_looks_like_a_number_is_recorded_and_found(ledger):
    ledger.write("ledgers/a.toml", GRANT)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE, "id=12345", "note=true")
    assert result.exit_code == 0, result.stderr
    assert ledger.run("check").exit_code == 0
    events = ledger.run("register", "--json", "--as-of", "2005-12").json()["events"]
    assert [event["id"] for event in events if event["kind"] == "release"] == ["12345"]


@pytest.mark.parametrize("assignment, written", [
    ("amount=1_200", "amount = 1_200"), ("amount=1200", "amount = 1200"), ("amount=1_000.50", "amount = 1_000.50"),
    ("amount=1e3", "amount = 1e3"),
])
def test_a_number_is_written_as_the_user_wrote_it(ledger, assignment, written):
    ledger.write("ledgers/a.toml", GRANT)
    args = [arg for arg in RELEASE if not arg.startswith("amount=")]
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", *args, assignment, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"\n{written}\n" in result.stdout


def test_keys_are_written_in_the_tables_order(ledger):
    ledger.write("ledgers/a.toml", GRANT)
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", "note=n", "tranche=tf-1", "amount=40_000",
                        "reference=BANK 1", "date=2005-09-30", "commitment=C1", "id=R9", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ('[[release]]\ncommitment = "C1"\ndate = 2005-09-30\namount = 40_000\nid = "R9"\n'
                             'tranche = "tf-1"\nreference = "BANK 1"\nnote = "n"\n')


def test_no_lock_file_is_seen_by_git_nor_left_behind(ledger):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("no git here")
    path = ledger.write("ledgers/a.toml", GRANT)
    subprocess.run(["git", "init", "-q"], cwd=ledger.root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=ledger.root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "ledger"], cwd=ledger.root,
                   check=True)
    assert ledger.run("add", "release", "--to", "ledgers/a.toml", *RELEASE).exit_code == 0
    killed = cndledger(ledger.root, "add", "expense", "--to", "ledgers/a.toml", "project=P1", "date=2005-10-01",
                       "amount=5", env={append.KILL_AT_VARIABLE: "checked"})
    assert killed.wait(timeout=60) == -signal.SIGKILL
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ledger.root,
                            capture_output=True, text=True, check=True).stdout
    assert status == " M ledgers/a.toml\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.toml"]


def test_a_period_and_a_rate_are_added_as_written(ledger):
    path = ledger.write("ledgers/a.toml", COMMITMENT)
    result = ledger.run("add", "budget", "--to", "ledgers/a.toml", "project=P1", "period=2005", "amount=500")
    assert result.exit_code == 0, result.stderr
    assert 'period = "2005"' in path.read_text()  # a period label, never the integer 2005
    result = ledger.run("add", "rate", "--to", "ledgers/a.toml", "date=2005-01-01", "from=EUR", "to=USD", "rate=1.3",
                        "source=UN operational rate of exchange")
    assert result.exit_code == 0, result.stderr
    assert 'from = "EUR"\nto = "USD"\nrate = 1.3\n' in path.read_text()
