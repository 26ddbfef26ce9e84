"""The command line as Typer reads it: how each command and option is spelled, its help, its errors.

What a command does is in `commands.py` (the same function whichever way its options were read);
`argv.py` reads the common command lines without Typer. Only what `--help` needs is imported here.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from cndledger import __version__
from cndledger.cli.commands import CHECK_FORMATS  # commands.py imports nothing heavy

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

        # While an option's value is being completed, the positional paths are left in ctx.args.
        positional = ctx.params.get("paths") or [arg for arg in ctx.args if not arg.startswith("-")]
        given = [*(ctx.params.get("ledger") or []), *positional]
        return [(ident, about) for ident, about in ids(given, kind) if ident.startswith(incomplete)]

    return complete


Paths = Annotated[Optional[list[str]], typer.Argument(
    help="Ledger files or folders (every *.toml below). Default: $CNDLEDGER_LEDGER, else ./ledgers.",
    show_default=False, metavar="[PATHS]...")]
LedgerOption = Annotated[Optional[list[str]], typer.Option(
    "-f", "--ledger", help="A ledger file or folder; repeatable.", show_default=False)]
AsOf = Annotated[Optional[str], typer.Option(
    "--as-of", help="The day of the figures: 2005-02-15, 2005-02 (its last day) or 2005. Default: today.",
    show_default=False)]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document (amounts as strings).")]
NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Read every file anew; neither use nor write the cache (also CNDLEDGER_NO_CACHE=1).")]


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


@app.command()
def check(
    paths: Paths = None,
    ledger: LedgerOption = None,
    format: Annotated[str, typer.Option(
        "--format", help="text; json; or github (GitHub Actions annotations on the lines of a pull request).",
        metavar="text|json|github", autocompletion=lambda: list(CHECK_FORMATS))] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The day against which due dates are judged. Default: today.", show_default=False)] = None,
    no_cache: NoCache = False,
) -> None:
    """Report every problem of the ledger, each as FILE:LINE: severity[CODE]: message."""
    _run("check", locals())


@app.command()
def balance(
    paths: Paths = None,
    ledger: LedgerOption = None,
    as_of: AsOf = None,
    project: Annotated[Optional[str], typer.Option(
        "--project", help="Only this project and the projects below it.", show_default=False,
        autocompletion=_complete_ids("project"))] = None,
    by_party: Annotated[bool, typer.Option("--by-party", help="Each party's figures under its project.")] = False,
    json: Json = False,
    no_cache: NoCache = False,
) -> None:
    """Per project: budget, committed, released, outstanding, in kind, spent, available, gap."""
    _run("balance", locals())


Csv = Annotated[bool, typer.Option("--csv", help="Print CSV (amounts as exact decimals).")]
ProjectOption = Annotated[Optional[str], typer.Option(
    "--project", help="Only this project and the projects below it.", show_default=False,
    autocompletion=_complete_ids("project"))]


@app.command("release-check")
def release_check(
    tranche: Annotated[str, typer.Argument(help="The id of the tranche.", show_default=False, metavar="TRANCHE",
                                           autocompletion=_complete_ids("tranche"))],
    paths: Paths = None,
    ledger: LedgerOption = None,
    on: Annotated[Optional[str], typer.Option(
        "--on", help="The day of the release: 2005-02-15, 2005-02 (its last day) or 2005. Default: today.",
        show_default=False)] = None,
    json: Json = False,
    no_cache: NoCache = False,
) -> None:
    """May the tranche be released on the day? Exit 0 if every condition holds, 1 if one does not,
    2 on any ledger error, an unknown tranche or bad usage."""
    _run("release-check", locals())


@app.command()
def tranches(
    paths: Paths = None,
    ledger: LedgerOption = None,
    as_of: AsOf = None,
    project: ProjectOption = None,
    json: Json = False,
    csv: Csv = False,
    no_cache: NoCache = False,
) -> None:
    """Each commitment's tranches: amount, due, released, status, release conditions; and the unscheduled rest."""
    _run("tranches", locals())


@app.command()
def register(
    paths: Paths = None,
    ledger: LedgerOption = None,
    start: Annotated[Optional[str], typer.Option(
        "--from", help="The first day listed: 2005-02-15, 2005-02 or 2005 (its first day). Default: the first event.",
        show_default=False)] = None,
    as_of: AsOf = None,
    project: ProjectOption = None,
    json: Json = False,
    csv: Csv = False,
    no_cache: NoCache = False,
) -> None:
    """Every money event in the order it counts, with its project's running committed, released and spent."""
    _run("register", locals())


@app.command()
def schema() -> None:
    """Print the JSON Schema of a ledger file, for editors (taplo, Even Better TOML) and validators."""
    _run("schema", locals())


def _complete_codes(incomplete: str) -> list[tuple[str, str]]:
    from cndledger.format.codes import CODES as EXPLANATIONS

    return [(code, e.summary) for code, e in EXPLANATIONS.items() if code.startswith(incomplete)]


@app.command()
def explain(
    code: Annotated[Optional[str], typer.Argument(
        help="A problem code, such as unknown-key. Without one: the list of every code.", show_default=False,
        autocompletion=_complete_codes)] = None,
) -> None:
    """What a problem code means, an example that triggers it, and how to fix it."""
    _run("explain", locals())


@app.command()
def add(
    kind: Annotated[str, typer.Argument(
        help="The table: release, expense, inkind, commitment, tranche, milestone, assert, party or project.",
        show_default=False, metavar="KIND")],
    assignments: Annotated[Optional[list[str]], typer.Argument(
        help="The entry's keys: amount=40_000 date=2005-09-30 after='[\"tf-1\"]' project=US/PAK/01/099 "
             "(a TOML value where the text is one, else text).", show_default=False, metavar="KEY=VALUE...")] = None,
    to: Annotated[Optional[str], typer.Option(
        "--to", help="The file of the ledger to append the entry to.", show_default=False, metavar="FILE")] = None,
    ledger: LedgerOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the entry and print it; write nothing.")] = False,
) -> None:
    """Append one entry to a ledger file, after checking the whole ledger with it; nothing else changes."""
    _run("add", locals())


def _run(name: str, options: dict) -> None:
    from cndledger.cli.commands import run

    raise typer.Exit(run(name, options))


def main() -> None:
    """The command line through Typer (`__main__` reads the common command lines without it)."""
    from cndledger.cli.commands import leave, not_enough_memory, process

    process.standalone = True
    try:
        app()
    except MemoryError:  # a ledger of many large files: say so rather than print a traceback
        sys.exit(not_enough_memory())
    except SystemExit as exit:
        if process.opened and isinstance(exit.code, (int, type(None))):
            leave(exit.code or 0)
        raise
