"""Reading the common command lines without Typer, for a fast start.

Scripts call `cndledger balance` and `cndledger release-check` in loops, and importing Typer alone
takes longer than ledger-cli takes to answer on a small ledger. So `__main__` first tries `read`
here: it understands only plain command lines of the commands that read a ledger, and gives up
(None) on anything else (help, completion, an unknown or doubtful option, a missing value, too
few or too many arguments), which Typer then reads, answers and words the errors of.

Where `read` does understand a command line, it gives the options exactly as Typer would pass
them to the command: `COMMANDS` must say what `cli.py` declares (`test_argv` derives it from the
Typer app and compares, and compares the two readings on generated command lines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

FLAG, VALUE, VALUES = "flag", "value", "values"  # an option's kind: on/off, one value, repeatable

# command -> (arguments in order as (name, required, variadic); option spelling -> (name, kind); defaults)
COMMANDS: dict[str, tuple[tuple[tuple[str, bool, bool], ...], dict[str, tuple[str, str]], dict[str, object]]] = {
    "check": (
        (("paths", False, True),),
        {"-f": ("ledger", VALUES), "--ledger": ("ledger", VALUES), "--format": ("format", VALUE),
         "--strict": ("strict", FLAG), "--as-of": ("as_of", VALUE), "--no-cache": ("no_cache", FLAG)},
        {"paths": None, "ledger": None, "format": "text", "strict": False, "as_of": None, "no_cache": False},
    ),
    "balance": (
        (("paths", False, True),),
        {"-f": ("ledger", VALUES), "--ledger": ("ledger", VALUES), "--as-of": ("as_of", VALUE),
         "--project": ("project", VALUE), "--by-party": ("by_party", FLAG), "--json": ("json", FLAG),
         "--no-cache": ("no_cache", FLAG)},
        {"paths": None, "ledger": None, "as_of": None, "project": None, "by_party": False, "json": False,
         "no_cache": False},
    ),
    "release-check": (
        (("tranche", True, False), ("paths", False, True)),
        {"-f": ("ledger", VALUES), "--ledger": ("ledger", VALUES), "--on": ("on", VALUE), "--json": ("json", FLAG),
         "--no-cache": ("no_cache", FLAG)},
        {"tranche": None, "paths": None, "ledger": None, "on": None, "json": False, "no_cache": False},
    ),
    "tranches": (
        (("paths", False, True),),
        {"-f": ("ledger", VALUES), "--ledger": ("ledger", VALUES), "--as-of": ("as_of", VALUE),
         "--project": ("project", VALUE), "--json": ("json", FLAG), "--csv": ("csv", FLAG),
         "--no-cache": ("no_cache", FLAG)},
        {"paths": None, "ledger": None, "as_of": None, "project": None, "json": False, "csv": False,
         "no_cache": False},
    ),
    "register": (
        (("paths", False, True),),
        {"-f": ("ledger", VALUES), "--ledger": ("ledger", VALUES), "--from": ("start", VALUE),
         "--as-of": ("as_of", VALUE), "--project": ("project", VALUE), "--json": ("json", FLAG),
         "--csv": ("csv", FLAG), "--no-cache": ("no_cache", FLAG)},
        {"paths": None, "ledger": None, "start": None, "as_of": None, "project": None, "json": False,
         "csv": False, "no_cache": False},
    ),
}

COMPLETION_VARIABLE = "_CNDLEDGER_COMPLETE"  # set by the shell when it asks Click for completions


def read(args: Sequence[str], environ: Mapping[str, str]) -> tuple[str, dict[str, object]] | None:
    """(command, its options as Typer would pass them), or None where Typer must read the command line."""
    if not args or args[0] not in COMMANDS or COMPLETION_VARIABLE in environ:
        return None
    arguments, spellings, defaults = COMMANDS[args[0]]
    options = dict(defaults)
    given: set[str] = set()
    positional: list[str] = []
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
            options[name] = [*(options[name] or []), value]
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
