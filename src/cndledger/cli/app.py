"""The command line as Typer reads it: built from `declarations.py`, it words the help and the errors.

What a command does is in `commands.py` (the same function whichever way its options were read);
`argv.py` reads the common command lines without Typer, from the same declarations. Only what
`--help` needs is imported here.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from cndledger import __version__
from cndledger.cli.declarations import (
    ARGUMENT,
    ARGUMENTS,
    CHECK_FORMATS,
    COMMANDS,
    FLAG,
    GROUPS,
    VALUES,
    Command,
    Parameter,
)

app = typer.Typer(
    name="cndledger",
    help="A budget and funding ledger for development-aid projects, kept in TOML files under git.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_ids(kind: str):
    """Complete the ids of a table kind from the ledger named so far on the command line (else the default)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from cndledger.cli.complete import ids

        return [(ident, about) for ident, about in ids(_given_paths(ctx), kind) if ident.startswith(incomplete)]

    return complete


def _complete_periods(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The budget lines' periods and the projects' fiscal years, from the ledger named so far."""
    from cndledger.cli.complete import periods

    return [(label, about) for label, about in periods(_given_paths(ctx)) if label.startswith(incomplete)]


def _given_paths(ctx: typer.Context) -> list[str]:
    # While an option's value is being completed, the positional paths are left in ctx.args (after the
    # CSV file of `rates import`, which is not a ledger; the file it appends to is).
    positional = ctx.params.get("paths") or [arg for arg in ctx.args if not arg.startswith("-")]
    if ctx.command.name == "import" and ctx.parent is not None and ctx.parent.command.name == "rates" and positional:
        positional = [*positional[1:], *([ctx.params["to"]] if ctx.params.get("to") else [])]
    return [*(ctx.params.get("ledger") or []), *positional]


def _version(value: bool) -> None:
    if value:
        print(f"cndledger {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Keep committed, released, in-kind and spent funds of projects in TOML; check and report them."""


def _complete_codes(incomplete: str) -> list[tuple[str, str]]:
    from cndledger.format.codes import CODES as EXPLANATIONS

    return [(code, e.summary) for code, e in EXPLANATIONS.items() if code.startswith(incomplete)]


def _complete_names(incomplete: str) -> list[tuple[str, str]]:
    """What `explain` takes: the problem codes, then the tables, keys and figures of the format."""
    from cndledger.format.glossary import every_name

    names = [(name, "a table, key or figure") for name in every_name() if name.startswith(incomplete)]
    return _complete_codes(incomplete) + names


_COMPLETIONS: dict[str, Callable[..., Any]] = {"formats": lambda: (lambda: list(CHECK_FORMATS)), "ids": _complete_ids, "codes": lambda: _complete_codes}
_COMPLETIONS["names"] = lambda: _complete_names
_COMPLETIONS["periods"] = lambda: _complete_periods


def _complete_currencies(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The currencies of the ledger named so far: its projects', then its entries' and rates'."""
    from cndledger.cli.complete import currencies

    return [(code, about) for code, about in currencies(_given_paths(ctx)) if code.startswith(incomplete)]


_COMPLETIONS["currencies"] = lambda: _complete_currencies


def _annotated(parameter: Parameter) -> object:
    """The parameter as Typer takes it: its type, annotated with how it is spelled, helped and completed."""
    if parameter.kind in (ARGUMENTS, VALUES):
        kind: object = list[str] | None
    elif parameter.kind == FLAG:
        kind = bool
    else:
        kind = str if parameter.required or parameter.default is not None else str | None
    settings: dict[str, Any] = {"help": parameter.help}
    if not parameter.show_default:
        settings["show_default"] = False
    if parameter.metavar is not None:
        settings["metavar"] = parameter.metavar
    if parameter.complete is not None:
        what, *of = parameter.complete
        settings["autocompletion"] = _COMPLETIONS[what](*of)
    if parameter.kind in (ARGUMENT, ARGUMENTS):
        return Annotated[kind, typer.Argument(**settings)]
    return Annotated[kind, typer.Option(*parameter.spellings, **settings)]


def _add_command(declared: Command) -> None:
    """A Typer command of the declared parameters that runs `commands.py`'s function of the same name."""

    def command(ctx: typer.Context, **options: object) -> None:
        from cndledger.cli.commands import Session, run

        session = ctx.obj  # from `main`; a test invoking the app gives none
        raise typer.Exit(run(session if isinstance(session, Session) else Session(), declared.name, options))

    empty = inspect.Parameter.empty
    parameters = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    parameters += [inspect.Parameter(parameter.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                     default=empty if parameter.required else parameter.default,
                                     annotation=_annotated(parameter))
                   for parameter in declared.parameters]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    command.__doc__ = declared.help
    command.__name__ = command.__qualname__ = declared.name.replace("-", "_").replace(" ", "_")
    group, _, name = declared.name.rpartition(" ")
    (_group(group) if group else app).command(name)(command)


_GROUP_APPS: dict[str, typer.Typer] = {}


def _group(name: str) -> typer.Typer:
    """The Typer app of a command group (`cndledger iati ...`), made and added once."""
    if name not in _GROUP_APPS:
        _GROUP_APPS[name] = typer.Typer(help=GROUPS[name], no_args_is_help=True, rich_markup_mode=None,
                                        context_settings={"help_option_names": ["-h", "--help"]})
        app.add_typer(_GROUP_APPS[name], name=name)
    return _GROUP_APPS[name]


for _declared in COMMANDS.values():
    _add_command(_declared)


def main() -> None:
    """The command line through Typer (`__main__` reads the common command lines without it)."""
    from cndledger.cli.commands import Session, not_enough_memory
    from cndledger.render.text import plain_fallbacks

    plain_fallbacks(sys.stdout, sys.stderr)
    session = Session(standalone=True)
    try:
        app(obj=session)
    except MemoryError:  # a ledger of many large files: say so rather than print a traceback
        sys.exit(not_enough_memory())
    except SystemExit as exit:
        if session.opened and isinstance(exit.code, (int, type(None))):
            session.leave(exit.code or 0)
        raise
