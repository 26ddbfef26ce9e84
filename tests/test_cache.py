"""The cache of loaded ledgers: never stale, the same answers as reading the files, private, and
left alone on request. (conftest gives each test a cache directory of its own.)"""

import os
import pickle
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cndledger.core.api
import cndledger.read.cache
import cndledger.read.load
from conftest import COMMITMENT, PREAMBLE

LEDGER = COMMITMENT + """
[[expense]]
project = "P1"
date = 2005-02-01
amount = 100
"""

TROUBLED = PREAMBLE + """
budget = 500

[[commitment]]
id = "C1"
project = "P1"
party = "OLD-DONOR"
date = 2005-01-10
amount = 1000.505

[[release]]
commitment = "C1"
date = 2005-01-01
amount = 2000
ammount = 3

[[tranche]]
id = "T1"
commitment = "C1"
amount = 500
due = 2005-03

[[assert]]
project = "P1"
date = 2005-12-31
committed = 999
"""


def cache_files() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "cndledger"
    return sorted(folder.glob("*")) if folder.exists() else []


def spent(result) -> str:
    return result.json()["projects"][0]["spent"]


@pytest.fixture
def no_reading(monkeypatch):
    """Fail the test if the ledger is read from its files rather than from the cache."""
    def refuse(contents):
        raise AssertionError("the ledger was read from its files, not from the cache")

    def forbid():
        monkeypatch.setattr(cndledger.core.api, "load_contents", refuse)

    return forbid


def reads(monkeypatch, run) -> int:
    """How many times `run` read a ledger from its files."""
    calls = []
    real = cndledger.read.load.load_contents
    monkeypatch.setattr(cndledger.core.api, "load_contents", lambda contents: calls.append(1) or real(contents))
    run()
    monkeypatch.setattr(cndledger.core.api, "load_contents", real)
    return len(calls)


def test_a_second_run_reads_the_cache_and_gives_the_same_figures(ledger, no_reading):
    ledger.write("ledgers/a.toml", LEDGER)
    first = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert spent(first) == "100.00"
    assert len(cache_files()) == 1
    no_reading()
    again = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert again.stdout == first.stdout and again.exit_code == first.exit_code == 0


def test_an_edit_of_one_byte_with_the_same_size_and_mtime_is_seen(ledger):
    path = ledger.write("ledgers/a.toml", LEDGER)
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "100.00"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count("amount = 100\n") == 1
    path.write_text(text.replace("amount = 100\n", "amount = 200\n"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "200.00"


@pytest.mark.parametrize("args", [
    ["check"], ["check", "--format", "json"], ["check", "--as-of", "2005-06-30"],
    ["balance", "--as-of", "2005-12-31", "--json"], ["balance", "--by-party"],
    ["tranches", "--json", "--as-of", "2005-06-30"], ["register", "--csv"], ["release-check", "T1", "--on", "2005-06"],
])
def test_problems_lines_and_figures_from_the_cache_are_those_from_the_files(ledger, no_reading, args):
    ledger.write("ledgers/a.toml", TROUBLED)
    ledger.write("ledgers/b.toml", LEDGER.replace(PREAMBLE, "").replace('id = "C1"', 'id = "C2"'))
    from_files = ledger.run(*args, "--no-cache")
    assert cache_files() == []
    written = ledger.run(*args)
    no_reading()
    from_cache = ledger.run(*args)
    for result in (written, from_cache):
        assert (result.exit_code, result.stdout, result.stderr) == (from_files.exit_code, from_files.stdout, from_files.stderr)


SPENDING = COMMITMENT + """
[[project]]
id = "P2"
title = "A child"
currency = "USD"
parent = "P1"

[[project]]
id = "P3"
title = "Another"
currency = "USD"

[[expense]]
project = "P1"
date = 2005-02-01
amount = 100.10

[[expense]]
project = "P2"
date = "2005-02"
amount = 0.5

[[expense]]
project = "P1"
date = 2005-02-28
amount = 7

[[expense]]
project = "P3"
date = "2005"
amount = 1_000.25

[[expense]]
project = "P1"
date = 2005-01-31
amount = 0.01
"""


@pytest.mark.parametrize("day", ["2005-01-30", "2005-01-31", "2005-02-01", "2005-02-27", "2005-02", "2005-12-30", "2005"])
def test_spent_on_any_day_from_the_cache_is_spent_from_the_files(ledger, no_reading, day):
    ledger.write("ledgers/a.toml", SPENDING)
    args = ["balance", "--json", "--by-party", "--as-of", day]
    from_files = ledger.run(*args, "--no-cache")
    ledger.run(*args)
    no_reading()
    from_cache = ledger.run(*args)
    assert (from_cache.exit_code, from_cache.stdout, from_cache.stderr) == (0, from_files.stdout, "")


def test_the_files_of_an_entry_and_their_paths_as_given_are_its_key(ledger):
    ledger.write("ledgers/a.toml", LEDGER.replace("amount = 100\n", "amount = 100\nammount = 1\n"))
    plain = ledger.run("check", "ledgers")
    dotted = ledger.run("check", "./ledgers")
    assert "ledgers/a.toml:" in plain.stdout and "./ledgers/a.toml:" in dotted.stdout
    assert len(cache_files()) == 2
    ledger.write("ledgers/b.toml", '[[party]]\nid = "B"\nname = "b"\n')  # a new file: another key
    assert "in 2 files" in ledger.run("check", "ledgers").stdout


@pytest.mark.parametrize("how", ["option", "environment"])
def test_no_cache_neither_reads_nor_writes_it(ledger, monkeypatch, how):
    ledger.write("ledgers/a.toml", LEDGER)
    args = ["balance", "--json", "--as-of", "2005-12-31"] + (["--no-cache"] if how == "option" else [])
    env = {"CNDLEDGER_NO_CACHE": "1"} if how == "environment" else None
    assert spent(ledger.run(*args, env=env)) == "100.00"
    assert cache_files() == []
    ledger.run("balance")  # now there is an entry...
    monkeypatch.setattr(cndledger.read.cache, "lookup", lambda contents: pytest.fail("the cache was read"))
    assert spent(ledger.run(*args, env=env)) == "100.00"  # ...and it is not read


def test_a_corrupt_entry_is_ignored_and_replaced(ledger):
    ledger.write("ledgers/a.toml", LEDGER)
    ledger.run("balance")
    entry, = cache_files()
    data = bytearray(entry.read_bytes())
    data[-40] ^= 0xFF  # one flipped bit deep in the pickled ledger: the digest no longer matches
    entry.write_bytes(bytes(data))
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "100.00"
    entry.write_bytes(b"not a cache at all")
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "100.00"
    entry.write_bytes(b"")
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "100.00"
    assert len(entry.read_bytes()) > 100  # written anew


def test_an_entry_of_another_version_is_not_used(ledger, monkeypatch):
    ledger.write("ledgers/a.toml", LEDGER)
    ledger.run("balance")
    assert reads(monkeypatch, lambda: ledger.run("balance")) == 0
    monkeypatch.setattr(cndledger.read.cache, "__version__", "0.0.0-other")
    assert reads(monkeypatch, lambda: ledger.run("balance")) == 1


def test_the_cache_directory_is_private_and_entries_are_written_whole(ledger):
    ledger.write("ledgers/a.toml", LEDGER)
    ledger.run("balance")
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "cndledger"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    entry, = cache_files()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert entry.name.endswith(".ledger-cache")  # no temporary file left behind


def test_a_directory_others_may_write_is_never_used(ledger, monkeypatch):
    ledger.write("ledgers/a.toml", LEDGER)
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "cndledger"
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "100.00"
    assert list(folder.iterdir()) == []  # nothing written
    folder.chmod(0o700)
    ledger.run("balance")
    assert len(cache_files()) == 1
    folder.chmod(0o770)  # an entry in a directory the group may write could be anyone's: not read
    assert reads(monkeypatch, lambda: ledger.run("balance")) == 1


def test_a_directory_that_is_a_symbolic_link_is_never_used(ledger, tmp_path_factory):
    ledger.write("ledgers/a.toml", LEDGER)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    elsewhere.chmod(0o700)
    (Path(os.environ["XDG_CACHE_HOME"]) / "cndledger").symlink_to(elsewhere)
    assert spent(ledger.run("balance", "--json", "--as-of", "2005-12-31")) == "100.00"
    assert list(elsewhere.iterdir()) == []


def test_a_file_that_cannot_be_read_is_never_cached(ledger):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = ledger.write("ledgers/a.toml", LEDGER)
    path.chmod(0)
    assert ledger.run("check").exit_code == 1
    assert cache_files() == []


def test_entries_are_pruned_to_the_last_few(ledger):
    ledger.write("ledgers/a.toml", LEDGER)
    for number in range(cndledger.read.cache.KEEP + 3):
        ledger.write(f"other{number}/a.toml", LEDGER)
        ledger.run("check", f"other{number}")
    assert len(cache_files()) == cndledger.read.cache.KEEP


def run_the_command(root, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run cndledger ARGS as the console script does, in a fresh interpreter: its result, and the
    modules it had imported when it exited."""
    code = (
        "import os, runpy, sys\n"
        f"sys.argv = ['cndledger', *{list(args)!r}]\n"
        "real_exit = os._exit\n"
        "def leaving(code):\n"
        "    sys.stdout.flush()\n"
        "    sys.stderr.write('MODULES=' + ' '.join(sorted(sys.modules))); sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = leaving\n"
        "try:\n"
        "    runpy.run_module('cndledger', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    leaving(exit.code or 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    done.stderr, _, modules = done.stderr.rpartition("MODULES=")
    return done, set(modules.split())


def written() -> bool:
    """Whether the cache holds a whole entry, waiting a while for the child process that writes it."""
    for _ in range(200):
        if cache_files() and not any(path.name.endswith(".tmp") for path in cache_files()):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("args", [["balance", "ledgers"], ["balance", "-fledgers"]], ids=["fast start", "typer"])
def test_the_command_writes_the_cache_in_the_background_and_a_warm_run_parses_no_toml(ledger, args):
    ledger.write("ledgers/a.toml", LEDGER)
    first, modules = run_the_command(ledger.root, *args)
    assert "Balance as of" in first.stdout and ("typer" in modules) == (args[1] == "-fledgers")
    assert written()  # by the command itself, once it answered (a test's own runs write at once)
    again, modules = run_the_command(ledger.root, *args)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert not modules & {"toml_rs", "tomllib", "pydantic"}  # from the cache: nothing parsed, nothing validated


def test_a_report_neither_finds_nor_locates_the_warnings_it_does_not_show(ledger):
    """Warnings are `check`'s: a report that found and located them (reading the files) would take
    longer for nothing."""
    ledger.write("ledgers/a.toml", COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 500\n'
                 'due = "2005-03"\n')
    assert "warning[tranche-overdue]" in ledger.run("check", "--as-of", "2005-12-31").stdout
    first, _ = run_the_command(ledger.root, "balance", "--as-of", "2005-12-31")
    assert written()
    again, modules = run_the_command(ledger.root, "balance", "--as-of", "2005-12-31")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, "")
    assert "cndledger.read.locate" not in modules


def test_explain_and_add_never_touch_the_cache(ledger, monkeypatch):
    ledger.write("ledgers/a.toml", LEDGER)
    monkeypatch.setattr(cndledger.read.cache, "lookup", lambda contents: pytest.fail("the cache was read"))
    assert ledger.run("explain", "tranche-overdue").exit_code == 0
    assert ledger.run("add", "expense", "--to", "ledgers/a.toml", "project=P1", "date=2005-03-01",
                      "amount=5").exit_code == 0
    assert ledger.run("add", "expense", "--to", "ledgers/a.toml", "project=P1", "date=2005-03-01", "amount=5",
                      "--dry-run").exit_code == 0
    assert cache_files() == []


def test_a_balance_from_the_cache_builds_no_expense(ledger, no_reading):
    """Expenses are most of a ledger: from the cache, `balance` takes what they add up to from their
    running totals, and `check` never needs them."""
    import datetime as dt

    from cndledger.core.figures import balance

    path = str(ledger.write("a.toml", LEDGER))
    day = dt.date(2005, 12, 31)
    cndledger.core.api.open_ledger([path], day)  # read from the file; as a library call, cached before it returns
    no_reading()
    opened = cndledger.core.api.open_ledger([path], day)
    assert balance(opened.ledger, day).of("P1").spent == 100
    assert balance(opened.ledger, dt.date(2005, 1, 31)).of("P1").spent == 0
    assert "expenses" not in vars(opened.ledger)  # never built
    assert [expense.amount for expense in opened.ledger.expenses] == [100]  # yet there when asked


class Planted:
    """What another user could leave in a cache: a pickle that acts when loaded (here: makes a file)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("how", [
    "ours", "entry of another user", "folder of another user", "entry others may write", "entry the group may write",
    "folder others may write", "entry is a link", "folder is a link",
])
def test_a_planted_entry_is_loaded_only_from_a_folder_and_file_of_ours_alone(ledger, monkeypatch, tmp_path_factory, how):
    """Pickle runs code of whoever wrote it: an entry is never loaded where someone else could have
    written it. (Set up here, whatever earlier tests left: the cache folder, the environment.)"""
    if "another user" in how and os.geteuid() != 0:
        pytest.skip("giving a file to another user (chown) needs root")
    cache_home = tmp_path_factory.mktemp("planted")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("CNDLEDGER_NO_CACHE", raising=False)
    path = str(ledger.write("a.toml", LEDGER))
    name = cndledger.read.cache._entry_name([(path, b"")])  # an entry's name is its paths' (as given)
    marker = tmp_path_factory.mktemp("marker") / "loaded"
    planted = pickle.dumps(Planted(marker))

    folder = cache_home / "cndledger"
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    elsewhere.chmod(0o700)
    if how == "folder is a link":
        folder.symlink_to(elsewhere)
        (elsewhere / name).write_bytes(planted)
        (elsewhere / name).chmod(0o600)
    else:
        folder.mkdir(mode=0o700)
        entry = folder / name
        if how == "entry is a link":
            (elsewhere / "entry").write_bytes(planted)
            (elsewhere / "entry").chmod(0o600)
            entry.symlink_to(elsewhere / "entry")
        else:
            entry.write_bytes(planted)
            entry.chmod({"entry others may write": 0o602, "entry the group may write": 0o620}.get(how, 0o600))
        nobody = 65534
        if how == "entry of another user":
            os.chown(entry, nobody, nobody)
        elif how == "folder of another user":
            os.chown(folder, nobody, nobody)
        elif how == "folder others may write":
            folder.chmod(0o703)

    result = ledger.run("balance", "--json", "--as-of", "2005-12-31", path)
    assert (result.exit_code, spent(result)) == (0, "100.00")  # from the file, whatever the cache held
    assert marker.exists() == (how == "ours")  # loaded only where no one else could have written it
