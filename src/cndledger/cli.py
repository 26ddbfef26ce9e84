"""The command line: each command parses its options, makes one library call, renders.

Only what `--help` and `--version` need is imported here; the core (pydantic) and Rich are
imported inside the commands.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from cndledger import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
CHECK_FORMATS = ("text", "json", "github")

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
        from cndledger.complete import ids

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


def _fail_usage(message: str) -> typer.Exit:
    print(f"cndledger: {message}", file=sys.stderr)
    return typer.Exit(EXIT_USAGE)


def _day(text: str | None, option: str):
    from cndledger.dates import parse_as_of

    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise _fail_usage(f"{option}: {exc}") from None


def _open(paths: list[str] | None, ledger: list[str] | None, as_of, no_cache: bool):
    from cndledger import cache
    from cndledger.api import open_ledger

    if _IN_ITS_OWN_PROCESS:
        cache.write_later()  # the answer need not wait for the cache to be written

    opened = open_ledger([*(ledger or []), *(paths or [])], as_of, use_cache=not no_cache)
    if _IN_ITS_OWN_PROCESS:
        _OPENED.append(opened)
    if opened.missing:
        for path in opened.missing:
            print(f"cndledger: no ledger at the path '{path}' (no such file, or no *.toml below it)", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    return opened


def _source_line(opened):
    def line(path: str, number: int) -> str:
        source = opened.ledger.file(path)
        return source.line_text(number) if source is not None else ""

    return line


def _report_problems(opened) -> None:
    """For reports: errors go to standard error; warnings are left to `cndledger check`."""
    from cndledger.render.problems import as_text

    errors = opened.errors
    if errors:
        sys.stderr.write(as_text(errors, _source_line(opened)))


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
    if format not in CHECK_FORMATS:
        raise _fail_usage(f"--format must be text, json or github, not '{format}'")
    opened = _open(paths, ledger, _day(as_of, "--as-of"), no_cache)
    from cndledger.render import problems as render

    if format == "json":
        print(render.as_json(opened.problems))
    elif format == "github":
        sys.stdout.write(render.as_github(opened.problems, _source_line(opened)))
        print(render.summary(opened.problems, len(opened.ledger.files)))
    else:
        sys.stdout.write(render.as_text(opened.problems, _source_line(opened)))
        print(render.summary(opened.problems, len(opened.ledger.files)))
    failing = opened.errors or (strict and opened.problems)
    raise typer.Exit(EXIT_PROBLEMS if failing else EXIT_OK)


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
    day = _day(as_of, "--as-of")
    opened = _open(paths, ledger, day, no_cache)
    _report_problems(opened)
    if not opened.figures_defined:
        raise typer.Exit(EXIT_PROBLEMS)
    from cndledger.figures import balance as compute
    from cndledger.render import balance as render

    result = compute(opened.ledger, day)
    keep = _only_projects(opened, project)
    if keep is not None:
        result.projects = [figures for figures in result.projects if figures.project.id in keep]
    if json:
        print(render.as_json(result))
    else:
        from cndledger.render.table import print_table

        print_table(render.as_table(result, by_party=by_party))
    raise typer.Exit(EXIT_PROBLEMS if opened.errors else EXIT_OK)


Csv = Annotated[bool, typer.Option("--csv", help="Print CSV (amounts as exact decimals).")]
ProjectOption = Annotated[Optional[str], typer.Option(
    "--project", help="Only this project and the projects below it.", show_default=False,
    autocompletion=_complete_ids("project"))]


def _only_projects(opened, project: str | None) -> set[str] | None:
    if project is None:
        return None
    if project not in opened.ledger.project_by_id:
        from cndledger.suggest import did_you_mean

        raise _fail_usage(f"--project: the ledger has no project '{project}'"
                          f"{did_you_mean(project, opened.ledger.project_by_id)}")
    return opened.ledger.descendants(project)


def _output_format(json: bool, csv: bool) -> str:
    if json and csv:
        raise _fail_usage("--json and --csv exclude each other; give one")
    return "json" if json else "csv" if csv else "table"


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
    day = _day(on, "--on")
    opened = _open(paths, ledger, day, no_cache)
    if opened.errors:
        _report_problems(opened)
        print("cndledger: release-check gives no answer while the ledger has errors (see above)", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    from cndledger.conditions import release_check as compute

    result = compute(opened.ledger, tranche, day)
    if result is None:
        from cndledger.suggest import did_you_mean

        raise _fail_usage(f"the ledger has no tranche '{tranche}'{did_you_mean(tranche, opened.ledger.tranche_by_id)}")
    from cndledger.render import release_check as render
    from cndledger.render.text import can_encode, write

    # A payment script must get an answer whatever the encoding of its standard output.
    if json:
        document = render.as_json(result)
        print(document if can_encode(sys.stdout, document) else render.as_json(result, ascii_only=True))
    else:
        marks = render.MARKS if can_encode(sys.stdout, "".join(render.MARKS)) else render.ASCII_MARKS
        write(render.as_text(result, marks), sys.stdout)
    raise typer.Exit(EXIT_OK if result.releasable else EXIT_PROBLEMS)


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
    output = _output_format(json, csv)
    day = _day(as_of, "--as-of")
    opened, only = _open_report(paths, ledger, day, project, no_cache)
    from cndledger.render import tranches as render
    from cndledger.schedule import schedule

    _finish_report(opened, render, schedule(opened.ledger, day, only), output)


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
    output = _output_format(json, csv)
    day = _day(as_of, "--as-of")
    first = _first_day(start, "--from")
    opened, only = _open_report(paths, ledger, day, project, no_cache)
    from cndledger.register import register as compute
    from cndledger.render import register as render

    _finish_report(opened, render, compute(opened.ledger, day, first, only), output)


def _first_day(text: str | None, option: str):
    if text is None:
        return None
    from cndledger.dates import parse_date

    try:
        return parse_date(text).first
    except ValueError as exc:
        raise _fail_usage(f"{option}: {exc}") from None


def _open_report(paths, ledger, day, project: str | None, no_cache: bool):
    """Open the ledger for a report: its errors on standard error; stop where they leave figures undefined."""
    opened = _open(paths, ledger, day, no_cache)
    _report_problems(opened)
    if not opened.figures_defined:
        raise typer.Exit(EXIT_PROBLEMS)
    return opened, _only_projects(opened, project)


def _finish_report(opened, render, result, output: str) -> None:
    """Print the report as JSON, CSV or a table; exit 1 where the ledger has errors."""
    if output == "json":
        print(render.as_json(result))
    elif output == "csv":
        sys.stdout.write(render.as_csv(result))
    else:
        from cndledger.render.table import print_table

        print_table(render.as_table(result))
    raise typer.Exit(EXIT_PROBLEMS if opened.errors else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a ledger file, for editors (taplo, Even Better TOML) and validators."""
    from cndledger.schema import ledger_schema_json

    sys.stdout.write(ledger_schema_json())


def _complete_codes(incomplete: str) -> list[tuple[str, str]]:
    from cndledger.explanations import EXPLANATIONS

    return [(code, e.summary) for code, e in EXPLANATIONS.items() if code.startswith(incomplete)]


@app.command()
def explain(
    code: Annotated[Optional[str], typer.Argument(
        help="A problem code, such as unknown-key. Without one: the list of every code.", show_default=False,
        autocompletion=_complete_codes)] = None,
) -> None:
    """What a problem code means, an example that triggers it, and how to fix it."""
    from cndledger.explanations import EXPLANATIONS
    from cndledger.render import explain as render

    if code is None:
        sys.stdout.write(render.as_list(EXPLANATIONS.values()))
        raise typer.Exit(EXIT_OK)
    explanation = EXPLANATIONS.get(code)
    if explanation is None:
        from cndledger.suggest import did_you_mean

        raise _fail_usage(f"no problem has the code '{code}'{did_you_mean(code, EXPLANATIONS)} "
                          "('cndledger explain' lists every code)")
    example = None
    if explanation.example is not None:
        from cndledger.dates import parse_as_of
        from cndledger.examples import check_example

        example = check_example(explanation.example, parse_as_of(None))
    sys.stdout.write(render.as_text_page(explanation, example))


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
    if to is None:
        raise _fail_usage("add: --to FILE is required: the file of the ledger to append the entry to")
    import datetime as _dt

    from cndledger.append import AddError, WriteFailed, add_entry
    from cndledger.render.problems import as_text

    try:
        added = add_entry(kind, assignments or [], to, ledger or [], _dt.date.today(), dry_run=dry_run)
    except AddError as exc:
        raise _fail_usage(f"add: {exc}") from None
    except WriteFailed as exc:
        print(f"cndledger: nothing was written: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_PROBLEMS) from None
    errors = added.opened.errors
    shown = errors or [problem for problem in added.entry_problems if not problem.is_error]
    sys.stderr.write(as_text(shown, _source_line(added.opened)))
    if errors:
        plural = "" if len(errors) == 1 else "s"
        print(f"cndledger: nothing was written: with this entry (at {added.path}:{added.line}) the ledger would have "
              f"{len(errors)} error{plural}", file=sys.stderr)
        raise typer.Exit(EXIT_PROBLEMS)
    if dry_run:
        sys.stdout.write(added.entry)
    else:
        print(f"added [[{kind}]] at {added.path}:{added.line}")
    raise typer.Exit(EXIT_OK)


_IN_ITS_OWN_PROCESS = False  # run as the command (not called in a test or another program)
_OPENED: list = []  # ledgers read by this command, kept until it exits


def main() -> None:
    global _IN_ITS_OWN_PROCESS
    _IN_ITS_OWN_PROCESS = True
    try:
        app()
    except MemoryError:  # a ledger of many large files: say so rather than print a traceback
        print("cndledger: not enough memory to read this ledger; check fewer files at once, or on a machine "
              "with more memory", file=sys.stderr)
        sys.exit(EXIT_PROBLEMS)
    except SystemExit as exit:
        if _OPENED and isinstance(exit.code, (int, type(None))):
            _leave(exit.code or 0)
        raise


def _leave(code: int) -> None:
    """After reading a ledger: the answer out, the cache written by a child process (`cache.write_pending`),
    and exit at once. Freeing a million objects one by one would only delay the exit."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): nothing more to say
            pass
    from cndledger import cache

    cache.write_pending()
    os._exit(code)
