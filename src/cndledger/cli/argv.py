"""Reading the common command lines without Typer, for a fast start.

Scripts call `cndledger balance` and `cndledger release-check` in loops, and importing Typer alone
takes longer than ledger-cli takes to answer on a small ledger. So `__main__` first tries `read`
here: it understands only plain command lines of the commands that read a ledger, and gives up
(None) on anything else (help, completion, an unknown or doubtful option, a missing value, too
few or too many arguments), which Typer then reads, answers and words the errors of.

Where `read` does understand a command line, it gives the options exactly as Typer would pass
them to the command: `COMMANDS` is derived from `declarations.py`, as the Typer app is
(`test_argv` compares it to the app, and the two readings on generated command lines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cndledger.cli.declarations import ARGUMENT, ARGUMENTS, FLAG, VALUE, VALUES, Command
from cndledger.cli.declarations import COMMANDS as DECLARED

__all__ = ["COMMANDS", "FLAG", "VALUE", "VALUES", "read"]

Reading = tuple[tuple[tuple[str, bool, bool], ...], dict[str, tuple[str, str]], dict[str, object]]


def _reading(command: Command) -> Reading:
    """(arguments in order as (name, required, variadic); option spelling -> (name, kind); defaults)."""
    arguments = tuple((parameter.name, parameter.required, parameter.kind == ARGUMENTS)
                      for parameter in command.parameters if parameter.kind in (ARGUMENT, ARGUMENTS))
    spellings = {spelling: (parameter.name, parameter.kind) for parameter in command.parameters
                 for spelling in parameter.spellings}
    defaults = {parameter.name: parameter.default for parameter in command.parameters}
    return arguments, spellings, defaults


COMMANDS: dict[str, Reading] = {name: _reading(command) for name, command in DECLARED.items()
                                 if command.reads_a_ledger and " " not in name}  # a group's commands: Typer's

COMPLETION_VARIABLE = "_CNDLEDGER_COMPLETE"  # set by the shell when it asks Click for completions


def read(args: Sequence[str], environ: Mapping[str, str]) -> tuple[str, dict[str, object]] | None:
    """(command, its options as Typer would pass them), or None where Typer must read the command line."""
    if not args or args[0] not in COMMANDS or COMPLETION_VARIABLE in environ:
        return None
    arguments, spellings, defaults = COMMANDS[args[0]]
    options = dict(defaults)
    given: set[str] = set()
    positional: list[str] = []
    repeated: dict[str, list[str]] = {}  # the values of each repeatable option given, in order
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            positional.extend(rest)
            break
        if not arg.startswith("-") or arg == "-":
            if arg == "-":
                return None  # "-" names standard input to Click: let Typer say what it makes of it
            positional.append(arg)
            continue
        spelling, equals, attached = arg.partition("=")
        if spelling not in spellings:
            return None  # --help, a misspelling, -fFILE: Typer's to answer
        name, kind = spellings[spelling]
        if kind == FLAG:
            if equals:
                return None
            options[name] = True
            continue
        value: str | None
        if equals:
            if not spelling.startswith("--"):
                return None
            value = attached
        else:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None  # a missing value, or one that looks like an option: Typer's to judge
        if kind == VALUE:
            if name in given:
                return None
            given.add(name)
            options[name] = value
        else:
            repeated.setdefault(name, []).append(value)
    options.update(repeated)
    for name, required, variadic in arguments:
        if variadic:
            options[name] = positional or None
            positional = []
        elif positional:
            options[name] = positional.pop(0)
        elif required:
            return None
    if positional:
        return None  # more arguments than the command takes
    return args[0], options
