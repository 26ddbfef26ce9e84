"""Help for every command and option; `--help` and `--version` start fast (no pydantic, no rich)."""

import subprocess
import sys

import pytest
import typer.main

from cndledger import __version__
from cndledger.cli.app import app

COMMANDS = sorted(typer.main.get_command(app).commands)


def test_there_are_commands():
    assert {"check", "balance"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_option_has_help(ledger, name):
    command = typer.main.get_command(app).commands[name]
    assert command.help and command.help.strip()
    for parameter in command.params:
        if parameter.param_type_name == "option":
            assert parameter.help and parameter.help.strip(), f"{name} {parameter.opts}"
    result = ledger.run(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cndledger {name}")
    assert command.help.split()[0] in result.stdout


def test_top_level_help_lists_every_command(ledger):
    result = ledger.run("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout
    bare = ledger.run()  # no arguments: the same help
    assert "Usage: cndledger" in bare.stdout + bare.stderr


def run_in_a_fresh_interpreter(*args: str) -> tuple[str, list[str]]:
    """Run cndledger ARGS as the console script does; return its output and the heavy modules it imported."""
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['cndledger', *{list(args)!r}]\n"
        "try:\n"
        "    runpy.run_module('cndledger', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        "heavy = sorted({name.split('.')[0] for name in sys.modules} & {'pydantic', 'pydantic_core', 'rich'})\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    output, _, heavy = done.stdout.rpartition("HEAVY=")
    return output, [name for name in heavy.strip().split(",") if name]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["-h"]])
def test_version_and_help_import_neither_pydantic_nor_rich(args):
    output, heavy = run_in_a_fresh_interpreter(*args)
    assert heavy == []
    assert output.strip()


def test_version_prints_the_version():
    output, _ = run_in_a_fresh_interpreter("--version")
    assert output.strip() == f"cndledger {__version__}"
