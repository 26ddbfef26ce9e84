"""The fast reading of command lines (`argv.read`) gives a command exactly what Typer would, or gives up.

Scripts call `cndledger balance` in loops, so `__main__` reads the common command lines without
importing Typer. These tests hold it to Typer: the spelling of every option is derived from the
Typer app, and on generated command lines the two readings must agree wherever the fast one answers.
"""

import subprocess
import sys

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cndledger.cli import argv, commands
from cndledger.cli.app import app

CLICK_COMMANDS = typer.main.get_command(app).commands


def declared(name: str):
    """What cli.py declares for a command, in the shape of `argv.COMMANDS`."""
    arguments, spellings, defaults = [], {}, {}
    for parameter in CLICK_COMMANDS[name].params:
        defaults[parameter.name] = parameter.default
        if parameter.param_type_name == "argument":
            arguments.append((parameter.name, parameter.required, parameter.nargs == -1))
            continue
        kind = argv.FLAG if parameter.is_flag else argv.VALUES if parameter.multiple else argv.VALUE
        for spelling in [*parameter.opts, *parameter.secondary_opts]:
            spellings[spelling] = (parameter.name, kind)
    return tuple(arguments), spellings, defaults


@pytest.mark.parametrize("name", sorted(argv.COMMANDS))
def test_the_fast_reading_knows_each_option_as_cli_declares_it(name):
    assert argv.COMMANDS[name] == declared(name)


def test_every_command_that_reads_a_ledger_starts_fast():
    reading = {name for name, command in CLICK_COMMANDS.items() if any(p.name == "paths" for p in command.params)}
    assert reading == set(argv.COMMANDS)


def as_typer_reads(args: list[str], monkeypatch) -> tuple[str, dict] | None:
    """(command, options) as Typer passes them to `commands`, or None where Typer refuses the command line."""
    calls = []
    for name in commands.COMMANDS:
        monkeypatch.setitem(commands.COMMANDS, name, lambda session, _name=name, **options: calls.append((_name, options)) or 0)
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return calls[0] if calls else None


@pytest.mark.parametrize("args, options", [
    (["balance"], {}),
    (["balance", "a.toml", "--json", "-f", "b", "--ledger=c", "d"],
     {"paths": ["a.toml", "d"], "ledger": ["b", "c"], "json": True}),
    (["check", "--format", "github", "--strict", "--as-of=2005-02", "--no-cache"],
     {"format": "github", "strict": True, "as_of": "2005-02", "no_cache": True}),
    (["release-check", "tf-1", "--on", "2005-02-15", "ledgers"], {"tranche": "tf-1", "on": "2005-02-15", "paths": ["ledgers"]}),
    (["register", "--from", "2005", "--csv", "--", "-odd.toml"], {"start": "2005", "csv": True, "paths": ["-odd.toml"]}),
    (["tranches", "--project", "", ""], {"project": "", "paths": [""]}),
])
def test_plain_command_lines_are_read_as_typer_reads_them(args, options, monkeypatch):
    name, expected = args[0], {**argv.COMMANDS[args[0]][2], **options}
    assert argv.read(args, {}) == (name, expected)
    assert as_typer_reads(args, monkeypatch) == (name, expected)


@pytest.mark.parametrize("args", [
    [], ["--help"], ["balance", "--help"], ["balance", "-h"], ["explain", "unknown-key"], ["schema"],
    ["add", "release"], ["release-check"], ["balance", "--as-of"], ["balance", "--as-of", "--json"],
    ["balance", "--jsn"], ["balance", "-fledger.toml"], ["balance", "--json=yes"], ["balance", "-"],
    ["check", "--as-of", "2005", "--as-of", "2006"], ["release-check", "tf-1", "--project", "P"],
])
def test_anything_else_is_left_to_typer(args):
    assert argv.read(args, {}) is None


def test_completion_is_left_to_typer():
    assert argv.read(["balance"], {"_CNDLEDGER_COMPLETE": "complete_bash"}) is None


def tokens_for(name: str):
    spellings = list(argv.COMMANDS[name][1])
    values = st.sampled_from(["a.toml", "ledgers", "", "2005-02", "-", "--", "-x", "--help", "=", "x=y", "tf-1"])
    assigned = st.builds(lambda spelling, value: f"{spelling}={value}", st.sampled_from(spellings), values)
    return st.lists(st.one_of(st.sampled_from(spellings), values, assigned), max_size=7)


@st.composite
def command_lines(draw):
    name = draw(st.sampled_from(sorted(argv.COMMANDS)))
    return [name, *draw(tokens_for(name))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=command_lines())
def test_where_the_fast_reading_answers_typer_gives_the_same(args, monkeypatch):
    fast = argv.read(args, {})
    if fast is not None:
        assert as_typer_reads(args, monkeypatch) == fast


def run_as_the_console_script(*args: str, cwd) -> tuple[subprocess.CompletedProcess, bool]:
    """Run cndledger ARGS in a fresh interpreter; its result, and whether it imported Typer."""
    code = (
        "import sys, runpy, atexit\n"
        f"sys.argv = ['cndledger', *{list(args)!r}]\n"
        "import os\n"
        "real_exit = os._exit\n"
        "def leaving(code):\n"
        "    sys.stdout.flush()\n"
        "    sys.stderr.write('TYPER=%s' % ('typer' in sys.modules)); sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = leaving\n"
        "try:\n"
        "    runpy.run_module('cndledger', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    leaving(exit.code or 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd)
    stderr, _, typer_imported = done.stderr.rpartition("TYPER=")
    done.stderr = stderr
    return done, typer_imported == "True"


LEDGER = """\
format = 1
[[party]]
id = "EPB"
name = "Export Promotion Bureau"
[[project]]
id = "P1"
name = "Cluster development"
currency = "USD"
start = "2004"
[[commitment]]
id = "c1"
party = "EPB"
project = "P1"
amount = 211_000
date = "2004-06-30"
[[release]]
commitment = "c1"
amount = 70_000.00
date = "2005-02-15"
"""


@pytest.mark.parametrize("args", [
    ["balance", "--as-of", "2005-12-31"], ["balance", "--json", "--as-of", "2005-12-31"],
    ["check", "--as-of", "2005-12-31"], ["release-check", "nothing-of-the-kind"],
    ["balance", "--as-of", "2005-13"], ["balance", "no/such/folder"], ["register", "--json", "--csv"],
])
def test_the_command_without_typer_answers_as_with_it(ledger, args):
    ledger.write("ledgers/funding.toml", LEDGER)
    fast, typer_imported = run_as_the_console_script(*args, cwd=ledger.root)
    assert not typer_imported
    through_typer = ledger.run(*args)
    assert (fast.returncode, fast.stdout, fast.stderr) == (through_typer.exit_code, through_typer.stdout,
                                                           through_typer.stderr)


def test_help_and_mistakes_still_go_through_typer(ledger):
    ledger.write("ledgers/funding.toml", LEDGER)
    done, typer_imported = run_as_the_console_script("balance", "--jsn", cwd=ledger.root)
    assert typer_imported and done.returncode == 2
    assert "No such option: --jsn" in done.stderr


@pytest.mark.parametrize("stop", [KeyboardInterrupt, BrokenPipeError])
def test_an_interrupt_or_a_closed_pipe_ends_the_command_as_typer_ends_it(monkeypatch, capsys, stop):
    from cndledger import __main__

    def stopped(session, name, options):
        raise stop

    monkeypatch.setattr(commands, "run", stopped)
    through_typer = CliRunner().invoke(app, ["balance"])
    monkeypatch.setattr(sys, "argv", ["cndledger", "balance"])
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # __main__ replaces a broken standard output
    with pytest.raises(SystemExit) as exited:
        __main__.main()
    assert (exited.value.code, capsys.readouterr().err) == (through_typer.exit_code, through_typer.stderr)
    assert exited.value.code == {KeyboardInterrupt: 130, BrokenPipeError: 1}[stop]


def test_a_command_run_by_a_test_is_the_code_of_this_source_tree(tmp_path):
    """conftest points the programs tests start at `src`: a staleness test sees the edit just made."""
    from conftest import SOURCE

    done = subprocess.run([sys.executable, "-c", "import cndledger; print(cndledger.__file__)"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == str(SOURCE / "cndledger" / "__init__.py")
