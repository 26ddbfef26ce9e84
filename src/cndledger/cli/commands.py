"""What each command does, given its options already read: open the ledger, make one library call, render.

Typer is not imported here. `declarations.py` declares how the options are spelled; `app.py` reads
them through Typer (its help and its errors), `argv.py` reads the common command lines without Typer,
for a fast start; both call these functions with the run's `Session` and the same keyword arguments.
Each returns the exit code, or raises `Exit` once it has said why it stops. The core and the
renderers are imported inside, when needed.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple

from cndledger.cli.declarations import CHECK_FORMATS

if TYPE_CHECKING:
    from collections.abc import Callable

    from cndledger.read.cache import Cache

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Exit(Exception):
    """Stop the command with this exit code; what the user needs to know is already printed."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _fail_usage(message: str) -> Exit:
    print(f"cndledger: {message}", file=sys.stderr)
    return Exit(EXIT_USAGE)


def _day(text: str | None, option: str):
    from cndledger.format.dates import parse_as_of

    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise _fail_usage(f"{option}: {exc}") from None


def _first_day(text: str | None, option: str):
    if text is None:
        return None
    from cndledger.format.dates import parse_date

    try:
        return parse_date(text).first
    except ValueError as exc:
        raise _fail_usage(f"{option}: {exc}") from None


class Session:
    """One run of the command line, made by its entry point (`__main__`, `app.main`) and given to the
    command: the cache it reads and keeps entries for, and, where it is the `cndledger` process itself
    (`standalone`; not a test or a program calling the library), the ledgers it read, kept alive until
    it exits (`leave`), so that nothing is freed one object at a time."""

    def __init__(self, *, standalone: bool = False) -> None:
        self.standalone = standalone
        self.opened: list = []
        self._cache: Cache | None = None

    @property
    def cache(self) -> Cache:
        """Written once the command has answered where standalone, else as soon as it is stored."""
        if self._cache is None:
            from cndledger.read.cache import Cache

            self._cache = Cache(write_later=self.standalone)
        return self._cache

    def leave(self, code: int) -> None:
        """After reading a ledger: the answer out, the cache written by a child process, and exit at
        once. Freeing a million objects one by one would only delay the exit."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (`| head`): nothing more to say
                pass
        if self._cache is not None:
            self._cache.write_pending()
        os._exit(code)


def _open(session: Session, paths: list[str] | None, ledger: list[str] | None, as_of, no_cache: bool,
          *, warnings: bool = False):
    """The ledger checked as of the day; its warnings only where they are shown (`check`)."""
    from cndledger.core.api import open_ledger

    opened = open_ledger([*(ledger or []), *(paths or [])], as_of, use_cache=not no_cache, cache=session.cache,
                         warnings=warnings)
    if session.standalone:
        session.opened.append(opened)
    _say_skipped(opened.skipped)
    if opened.missing:
        from cndledger.read.find import DEFAULT_PATH, ENVIRONMENT_VARIABLE, no_default_ledger

        if not paths and not ledger and opened.missing == [DEFAULT_PATH] and not os.environ.get(ENVIRONMENT_VARIABLE):
            print(f"cndledger: {no_default_ledger()}", file=sys.stderr)
            raise Exit(EXIT_USAGE)
        for path in opened.missing:
            print(f"cndledger: no ledger at the path '{path}' (no such file, or no *.toml below it)", file=sys.stderr)
        raise Exit(EXIT_USAGE)
    return opened


def _say_skipped(skipped: list[str]) -> None:
    if skipped:
        from cndledger.render import printable

        plural = "s" if len(skipped) > 1 else ""
        print(printable(f"cndledger: skipped {len(skipped)} TOML file{plural} that hold{'' if plural else 's'} no "
                        f"ledger table: {', '.join(skipped)} (a ledger's tables are written [[release]]; a file named on the "
                        "command line is always read)"), file=sys.stderr)


def _source_line(opened):
    def line(path: str, number: int) -> str:
        source = opened.ledger.file(path)
        return source.line_text(number) if source is not None else ""

    return line


def _report_problems(opened) -> None:
    """For reports: errors go to standard error; warnings are left to `cndledger check`."""
    errors = opened.errors
    if errors:
        from cndledger.render.problems import as_text

        sys.stderr.write(as_text(errors, _source_line(opened)))


def _only_projects(opened, project: str | None) -> set[str] | None:
    if project is None:
        return None
    if project not in opened.ledger.project_by_id:
        from cndledger.format.suggest import did_you_mean

        raise _fail_usage(f"--project: the ledger has no project '{project}'"
                          f"{did_you_mean(project, opened.ledger.project_by_id)}")
    return opened.ledger.descendants(project)


class Output(NamedTuple):
    """How a report is printed: its format (json, csv or table) and, for a table, --wide and --plain."""

    format: str
    wide: bool = False
    plain: bool = False


def _output_format(json: bool, csv: bool, wide: bool = False, plain: bool = False) -> Output:
    if json and csv:
        raise _fail_usage("--json and --csv exclude each other; give one")
    if (json or csv) and (wide or plain):
        given = " and ".join(option for option, on in (("--wide", wide), ("--plain", plain)) if on)
        raise _fail_usage(f"{given} shape{'s' if ' and ' not in given else ''} the table: not with "
                          f"{'--json' if json else '--csv'}, which has every column already")
    return Output("json" if json else "csv" if csv else "table", wide, plain)


def _print_table(table, output: Output) -> None:
    from cndledger.render.table import print_table

    print_table(table, wide=output.wide, plain_text=output.plain)


def _open_report(session: Session, paths, ledger, day, project: str | None, no_cache: bool):
    """Open the ledger for a report: its errors on standard error; stop where they leave figures undefined."""
    opened = _open(session, paths, ledger, day, no_cache)
    _report_problems(opened)
    if not opened.figures_defined:
        raise Exit(EXIT_PROBLEMS)
    return opened, _only_projects(opened, project)


def _finish_report(opened, render, result, output: Output) -> int:
    """Print the report as JSON, CSV or a table; exit 1 where the ledger has errors."""
    if output.format == "json":
        print(render.as_json(result))
    elif output.format == "csv":
        sys.stdout.write(render.as_csv(result))
    else:
        _print_table(render.as_table(result), output)
    return EXIT_PROBLEMS if opened.errors else EXIT_OK


def check(session: Session, paths, ledger, format: str, json: bool, strict: bool, as_of, no_cache: bool,
          ignore=None) -> int:
    if json:
        if format not in ("text", "json"):
            raise _fail_usage(f"--json is --format json: give one, not --json with --format {format}")
        format = "json"
    if format not in CHECK_FORMATS:
        raise _fail_usage(f"--format must be text, json or github, not '{format}'")
    ignored = _ignored_warnings(ignore or [])
    opened = _open(session, paths, ledger, _day(as_of, "--as-of"), no_cache, warnings=True)
    left_out = ""
    if ignored:
        kept = [problem for problem in opened.problems if problem.code not in ignored]
        if count := len(opened.problems) - len(kept):  # said, so that an ignored warning is never invisible
            left_out = f" ({count} warning{'' if count == 1 else 's'} ignored: {', '.join(sorted(ignored))})"
        opened.problems = kept
    from cndledger.render import problems as render

    if format == "json":
        print(render.as_json(opened.problems))
    elif format == "github":
        sys.stdout.write(render.as_github(opened.problems, _source_line(opened)))
        print(render.summary(opened.problems, len(opened.ledger.files)) + left_out)
    else:
        sys.stdout.write(render.as_text(opened.problems, _source_line(opened)))
        print(render.summary(opened.problems, len(opened.ledger.files)) + left_out)
    failing = opened.errors or (strict and opened.problems)
    return EXIT_PROBLEMS if failing else EXIT_OK


def _ignored_warnings(codes: list[str]) -> set[str]:
    """The codes of `--ignore`: warnings only. An error is never left out (it would pass a check that
    must fail), so naming one is bad usage, as an unknown code is."""
    from cndledger.format.codes import CODES, WARNING

    for code in codes:
        known = CODES.get(code)
        if known is None:
            from cndledger.format.suggest import did_you_mean

            raise _fail_usage(f"--ignore: no problem has the code '{code}'{did_you_mean(code, CODES)} "
                              "(cndledger explain lists them)")
        if known.severity is not WARNING:
            raise _fail_usage(f"--ignore: '{code}' is an error, and errors are never left out; only warnings "
                              "can be ignored: fix the error instead (cndledger explain " + code + ")")
    return set(codes)


def balance(session: Session, paths, ledger, as_of, project, by_party: bool, json: bool, csv: bool,
            no_cache: bool, start=None, period=None, wide: bool = False, plain: bool = False, currency=None) -> int:
    output = _output_format(json, csv, wide, plain)
    currency = _currency(currency)
    if start is not None or period is not None:
        return _statement(session, paths, ledger, start, as_of, period, project, by_party, output, no_cache, currency)
    day = _day(as_of, "--as-of")
    opened = _open(session, paths, ledger, day, no_cache)
    _report_problems(opened)
    if not opened.figures_defined:
        return EXIT_PROBLEMS
    from cndledger.core.figures import balance as compute

    return _print_balance(opened, compute(opened.ledger, day, currency=currency), project, by_party, output)


def _currency(text: str | None) -> str | None:
    """`--currency`: an ISO 4217 code that cndledger knows."""
    if text is None:
        return None
    from cndledger.format.currency import MINOR_UNITS

    if text not in MINOR_UNITS:
        from cndledger.format.suggest import did_you_mean

        hint = did_you_mean(text.upper(), MINOR_UNITS) if text.upper() not in MINOR_UNITS else \
            f"; did you mean '{text.upper()}'? (codes are in capitals)"
        raise _fail_usage(f"--currency: '{text}' is not an ISO 4217 currency code{hint}")
    return text


def _statement(session: Session, paths, ledger, start, as_of, period, project, by_party: bool, output: Output,
               no_cache: bool, currency: str | None = None) -> int:
    """`balance --from D1 [--as-of D2]` or `balance --period P`: the window's flows, the closing figures and
    the opening available."""
    from cndledger.format.dates import parse_as_of
    from cndledger.format.periods import UsageError, read_statement_options

    today = parse_as_of(None)
    try:
        options = read_statement_options(period, start, as_of, today)
    except UsageError as exc:
        raise _fail_usage(str(exc)) from None
    # The day only judges warnings, which a report leaves to `check`: a fiscal year's last day is known
    # once the ledger is (the reported projects' fiscal_year_start).
    opened = _open(session, paths, ledger, options.last or today, no_cache)
    _report_problems(opened)
    if not opened.figures_defined:
        return EXIT_PROBLEMS
    window = _window(opened, options, _only_projects(opened, project))
    from cndledger.core.figures import statement

    assert window.first is not None
    return _print_balance(opened, statement(opened.ledger, window.first, window.last, currency=currency), project,
                          by_party, output)


def _window(opened, options, keep: set[str] | None):
    """The days of `--period` (or `--from` and `--as-of`) for the reported projects: a fiscal year
    is theirs (their fiscal_year_start)."""
    from cndledger.format.periods import UsageError

    starts: set[int] = set()
    if options.period is not None:
        from cndledger.core.budget import fiscal_year_starts

        starts = {month for project_id, month in fiscal_year_starts(opened.ledger).items()
                  if keep is None or project_id in keep}
    try:
        return options.window(starts)
    except UsageError as exc:
        raise _fail_usage(str(exc)) from None


def _print_balance(opened, result, project, by_party: bool, output: Output) -> int:
    from cndledger.render import balance as render

    keep = _only_projects(opened, project)
    if keep is not None:
        result.projects = [figures for figures in result.projects if figures.project.id in keep]
    if output.format == "json":
        print(render.as_json(result))
    elif output.format == "csv":
        sys.stdout.write(render.as_csv(result, by_party=by_party))
    else:
        _print_table(render.as_table(result, by_party=by_party), output)
    return EXIT_PROBLEMS if opened.errors else EXIT_OK


def release_check(session: Session, tranche: str, paths, ledger, on, json: bool, no_cache: bool) -> int:
    day = _day(on, "--on")
    opened = _open(session, paths, ledger, day, no_cache)
    if opened.errors:
        _report_problems(opened)
        print("cndledger: release-check gives no answer while the ledger has errors (see above)", file=sys.stderr)
        return EXIT_USAGE
    from cndledger.core.conditions import release_check as compute

    result = compute(opened.ledger, tranche, day)
    if result is None:
        from cndledger.format.suggest import did_you_mean

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
    return EXIT_OK if result.releasable else EXIT_PROBLEMS


def tranches(session: Session, paths, ledger, as_of, project, json: bool, csv: bool, no_cache: bool,
             wide: bool = False, plain: bool = False) -> int:
    output = _output_format(json, csv, wide, plain)
    day = _day(as_of, "--as-of")
    opened, only = _open_report(session, paths, ledger, day, project, no_cache)
    from cndledger.core.schedule import schedule
    from cndledger.render import tranches as render

    return _finish_report(opened, render, schedule(opened.ledger, day, only), output)


def register(session: Session, paths, ledger, start, as_of, project, json: bool, csv: bool, no_cache: bool,
             period=None, wide: bool = False, plain: bool = False) -> int:
    output = _output_format(json, csv, wide, plain)
    if period is not None:
        return _register_of_period(session, paths, ledger, start, as_of, period, project, output, no_cache)
    day = _day(as_of, "--as-of")
    first = _first_day(start, "--from")
    if first is not None and first > day:
        as_of_said = f"--as-of {as_of} (its last day, {day})" if as_of else f"the day of the figures (today, {day})"
        raise _fail_usage(f"--from {start} (its first day, {first}) is after {as_of_said}: nothing can be listed; "
                          "give a --from on or before the --as-of day")
    opened, only = _open_report(session, paths, ledger, day, project, no_cache)
    from cndledger.core.register import register as compute
    from cndledger.render import register as render

    return _finish_report(opened, render, compute(opened.ledger, day, first, only), output)


def _register_of_period(session: Session, paths, ledger, start, as_of, period, project, output: Output,
                        no_cache: bool) -> int:
    """`register --period P`: the events from P's first day to its last (a fiscal year's once the ledger
    gives the reported projects' fiscal_year_start)."""
    from cndledger.format.dates import parse_as_of
    from cndledger.format.periods import UsageError, read_statement_options

    try:
        options = read_statement_options(period, start, as_of)
    except UsageError as exc:
        raise _fail_usage(str(exc)) from None
    opened, only = _open_report(session, paths, ledger, parse_as_of(None), project, no_cache)
    window = _window(opened, options, only)
    from cndledger.core.register import register as compute
    from cndledger.render import register as render

    return _finish_report(opened, render, compute(opened.ledger, window.last, window.first, only), output)


def budget(session: Session, paths, ledger, period, start, as_of, project, json: bool, csv: bool,
           no_cache: bool, wide: bool = False, plain: bool = False) -> int:
    output = _output_format(json, csv, wide, plain)
    if period is not None and start is not None:
        raise _fail_usage("--period excludes --from: give the period, or the first day with --from")
    from cndledger.format.periods import UsageError, read_period_option

    try:
        label = read_period_option(period) if period is not None else None
    except UsageError as exc:
        raise _fail_usage(str(exc)) from None
    day = _day(as_of, "--as-of")
    first = _first_day(start, "--from")
    if first is not None and first > day:
        raise _fail_usage(f"--from {start} is after --as-of {day.isoformat()}: the window would hold no day")
    opened, only = _open_report(session, paths, ledger, day, project, no_cache)
    from cndledger.core.budget import WindowError, budget_report
    from cndledger.render import budget as render

    try:
        result = budget_report(opened.ledger, day, period=label, first=first, only=only)
    except WindowError as exc:
        raise _fail_usage(str(exc)) from None
    return _finish_report(opened, render, result, output)


def report(session: Session, paths, ledger, as_of, period, project, output, xlsx, no_cache: bool) -> int:
    """`report`: the HTML page (to -o FILE, else standard output where no --xlsx is asked) and the workbook."""
    from cndledger.format.dates import parse_as_of
    from cndledger.format.periods import UsageError, read_statement_options

    if xlsx is not None:
        from cndledger.render.xlsx import XlsxUnavailable, check_available

        try:
            check_available()
        except XlsxUnavailable as exc:
            raise _fail_usage(str(exc)) from None
    today = parse_as_of(None)
    try:
        options = read_statement_options(period, None, as_of, today)
    except UsageError as exc:
        raise _fail_usage(str(exc).replace("--from and --as-of", "--as-of")) from None
    opened, only = _open_report(session, paths, ledger, options.last or today, project, no_cache)
    window = _window(opened, options, only)
    from cndledger.core.report import report as compute

    result = compute(opened.ledger, window.first, window.last, period=options.period, only=only,
                     with_register=xlsx is not None)
    files = [source.path for source in opened.ledger.files]
    if output is not None or xlsx is None:
        from cndledger.render.html import as_html

        page = as_html(result, files)
        if output is None or output == "-":
            sys.stdout.write(page)
        else:
            _write_file(output, page.encode("utf-8"), "-o")
            print(f"cndledger: wrote the report to {output}", file=sys.stderr)
    if xlsx is not None:
        from cndledger.render.xlsx import as_xlsx

        _write_file(xlsx, as_xlsx(result), "--xlsx")
        print(f"cndledger: wrote the workbook to {xlsx}", file=sys.stderr)
    return EXIT_PROBLEMS if opened.errors else EXIT_OK


def _write_file(path: str, data: bytes, option: str) -> None:
    """The file written whole or not at all (a temporary file beside it, renamed over it); a path that is
    not a regular file (/dev/stdout, a pipe) is written to as it is, never replaced."""
    import tempfile

    if os.path.exists(path) and not os.path.isfile(path):
        try:
            with open(path, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise _fail_usage(f"{option}: cannot write '{path}': {exc.strerror or exc}") from None
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".cndledger-", suffix=".tmp")
    except OSError as exc:
        raise _fail_usage(f"{option}: cannot write '{path}': {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise _fail_usage(f"{option}: cannot write '{path}': {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def schema(session: Session) -> int:
    from cndledger.format.schema import ledger_schema_json

    sys.stdout.write(ledger_schema_json())
    return EXIT_OK


def explain(session: Session, code: str | None) -> int:
    from cndledger.format.codes import CODES as EXPLANATIONS
    from cndledger.render import explain as render

    if code is None:
        from cndledger.format.figures_doc import FIGURES
        from cndledger.format.tables import TABLES

        sys.stdout.write(render.as_list(EXPLANATIONS.values()) + render.as_index(TABLES, FIGURES))
        return EXIT_OK
    explanation = EXPLANATIONS.get(code)
    if explanation is None:
        from cndledger.format.glossary import every_name, named

        found = named(code)
        if found:
            sys.stdout.write(render.as_named_page(code, found))
            return EXIT_OK
        from cndledger.format.suggest import did_you_mean

        raise _fail_usage(f"no problem code, table, key or figure of the format is named '{code}'"
                          f"{did_you_mean(code, [*EXPLANATIONS, *every_name()])} ('cndledger explain' lists them)")
    example = None
    if explanation.example is not None:
        from cndledger.core.examples import check_example
        from cndledger.format.dates import parse_as_of

        example = check_example(explanation.example, parse_as_of(None))
        if explanation.command == "iati export" and not example.problems:
            example.problems = _iati_export_problems(example.text, parse_as_of(None), example.name)
    sys.stdout.write(render.as_text_page(explanation, example))
    return EXIT_OK


def _iati_export_problems(text: str, as_of, name: str) -> list:
    """What `cndledger iati export` reports on a ledger written as text (an explanation's example)."""
    import tempfile

    from cndledger.core.api import check_files
    from cndledger.iati.export import export_activities

    with tempfile.TemporaryDirectory(prefix="cndledger-example-") as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        problems = export_activities(check_files([path], as_of).ledger, as_of).problems
    return [problem._replace(file=name, message=problem.message.replace(path, name)) for problem in problems]


def add(session: Session, kind: str | None, assignments, to: str | None, ledger, dry_run: bool,
        from_file: str | None = None) -> int:
    if to is None:
        raise _fail_usage("add: --to FILE is required: the file of the ledger to append the entry to")
    import datetime as _dt

    from cndledger.core.append import AddError, WriteFailed, add_entry, entries_of_file
    from cndledger.render.problems import as_text

    try:
        entries = None
        if from_file is not None:
            if kind is not None or assignments:
                raise AddError("--from-file takes the entries from the file: give no KIND nor KEY=VALUE with it")
            entries = entries_of_file(_read_entries(from_file), from_file)
        elif kind is None:
            raise AddError("give the KIND of the entry and its KEY=VALUE pairs, or --from-file ENTRIES.toml")
        added = add_entry(kind, assignments or [], to, ledger or [], _dt.date.today(), dry_run=dry_run, entries=entries)
    except AddError as exc:
        raise _fail_usage(f"add: {exc}") from None
    except WriteFailed as exc:
        print(f"cndledger: nothing was written: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    blocking, existing = added.blocking, added.existing
    what = f"this entry (at {added.path}:{added.line})" if added.count == 1 else \
        f"these {added.count} entries (from {added.path}:{added.line})"
    shown = blocking or [problem for problem in added.entry_problems if not problem.is_error]
    sys.stderr.write(as_text(shown, _source_line(added.opened)))
    if existing:
        plural = "" if len(existing) == 1 else "s"
        print(f"cndledger: the ledger had {len(existing)} error{plural} before {what}, which "
              f"{'it does' if added.count == 1 else 'they do'} not make worse:", file=sys.stderr)
        sys.stderr.write(as_text(existing, _source_line(added.opened)))
    if blocking:
        plural = "" if len(blocking) == 1 else "s"
        print(f"cndledger: nothing was written: with {what} the ledger would have "
              f"{len(blocking)} {'new ' if existing else ''}error{plural}", file=sys.stderr)
        return EXIT_PROBLEMS
    if dry_run:
        sys.stdout.write(added.entry)
    elif added.count == 1 and from_file is None:
        print(f"added [[{kind}]] at {added.path}:{added.line}")
    else:
        print(f"added {added.count} entries at {added.path}:{added.line}")
    return EXIT_OK


def _read_entries(path: str) -> str:
    from cndledger.core.append import AddError

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise AddError(f"--from-file: cannot read '{path}': {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AddError(f"--from-file: '{path}' is not UTF-8 text; save it as UTF-8") from None


def rates_import(session: Session, file: str, to: str, paths, ledger, currency) -> int:
    import datetime as _dt

    from cndledger.read.rates_csv import parse_code

    try:
        currencies = None if not currency else [parse_code(code) for code in currency]
    except ValueError as exc:
        raise _fail_usage(f"rates import: --currency: {exc}") from None
    if not os.path.isfile(file):
        raise _fail_usage(f"rates import: there is no file '{file}'" + (" (it is a folder)" if os.path.isdir(file) else ""))
    today = _dt.date.today()
    opened = _open(session, paths, ledger, today, False)
    from cndledger.core.append import AddError, WriteFailed
    from cndledger.core.rates_import import import_rates
    from cndledger.render.problems import as_text

    try:
        done = import_rates(opened.ledger, file, to, [*(ledger or []), *(paths or [])], today, currencies=currencies)
    except AddError as exc:
        raise _fail_usage(f"rates import: {exc}") from None
    except WriteFailed as exc:
        print(f"cndledger: nothing was written: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    rates = _count(len(done.added), "rate")
    if done.problems:
        sys.stderr.write(as_text(done.problems, _lines_of(file)))
        print(f"cndledger: nothing was written: {_count(len(done.problems), 'problem')} in {file} (all its rates or "
              "none: correct the rows, or leave them out with --currency)", file=sys.stderr)
        return EXIT_PROBLEMS
    appended = done.appended
    if appended is not None and not appended.written:
        sys.stderr.write(as_text(appended.blocking, _source_line(appended.opened)))
        print(f"cndledger: nothing was written: with these {rates} the ledger would have "
              f"{_count(len(appended.blocking), 'new error')}", file=sys.stderr)
        return EXIT_PROBLEMS
    present = f"{len(done.present)} already in the ledger"
    if appended is not None:
        print(f"added {rates} at {appended.path}:{appended.line}" + (f"; {present}" if done.present else ""))
    elif done.present:
        print(f"added no rate: all {present}")
    else:
        print(f"added no rate: {file} holds no rate" + (f" of {', '.join(currencies)}" if currencies else ""))
    return EXIT_OK


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


def _lines_of(path: str):
    """The lines of a file named in problems (a CSV file), for `as_text`; none where it cannot be read."""
    from cndledger.read.rates_csv import decode

    try:
        with open(path, "rb") as handle:
            lines = decode(handle.read()).splitlines()
    except OSError:
        lines = []

    def line(file: str, number: int) -> str:
        return lines[number - 1] if file == path and 0 < number <= len(lines) else ""

    return line


def iati_import(session: Session, files, to: str, reporting_org: str | None, force: bool, rates=None) -> int:
    try:
        from cndledger.iati.importing import ImportRefused, import_files
    except ImportError:  # lxml: the iati extra
        raise _fail_usage("iati import needs lxml: pip install 'cndledger[iati]'") from None
    import datetime as _dt

    from cndledger.render import iati_import as render
    from cndledger.render.problems import as_text

    try:
        done = import_files(list(files or []), to, reporting_org=reporting_org, force=force, rates=list(rates or []))
    except ImportRefused as exc:
        raise _fail_usage(f"iati import: {exc}") from None
    except OSError as exc:
        print(f"cndledger: iati import: cannot write the ledger: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    sys.stderr.write(as_text(done.imported.problems, render.xml_lines()))  # the CSV files' lines too
    sys.stdout.write(render.summary(done, to, len(files or [])))
    if done.written:
        from cndledger.core.api import open_ledger

        opened = open_ledger([to], _dt.date.today(), use_cache=False, warnings=True)
        sys.stdout.write(render.check_line(opened, to))
    return EXIT_PROBLEMS if any(problem.is_error for problem in done.imported.problems) else EXIT_OK


def iati_export(session: Session, paths, ledger, project, as_of, reporting_org, output, no_cache: bool) -> int:
    day = _day(as_of, "--as-of")
    opened = _open(session, paths, ledger, day, no_cache)
    if opened.errors:
        _report_problems(opened)
        print("cndledger: iati export writes nothing while the ledger has errors (see above)", file=sys.stderr)
        return EXIT_PROBLEMS
    only = _only_projects(opened, project)
    if not opened.ledger.projects:
        raise _fail_usage("iati export: the ledger has no project: an IATI activity is a project")
    from cndledger.iati.export import ExportUsageError, export_activities

    try:
        exported = export_activities(opened.ledger, day, only=only, reporting_org=reporting_org)
    except ExportUsageError as exc:
        raise _fail_usage(f"iati export: {exc}") from None
    if exported.problems:
        from cndledger.render.problems import as_text

        sys.stderr.write(as_text(exported.problems, _source_line(opened)))
        count = len(exported.problems)
        print(f"cndledger: iati export wrote nothing: {count} identifier{'' if count == 1 else 's'} or value"
              f"{'' if count == 1 else 's'} that IATI needs {'is' if count == 1 else 'are'} missing (see above)",
              file=sys.stderr)
        return EXIT_PROBLEMS
    assert exported.document is not None
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(exported.document)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        _write_whole(output, exported.document)
    except OSError as exc:
        print(f"cndledger: nothing was written: cannot write '{output}': {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    plural = "" if exported.activities == 1 else "s"
    print(f"cndledger: wrote {exported.activities} IATI activit{'ies' if plural else 'y'} to {output}", file=sys.stderr)
    return EXIT_OK


def _write_whole(path: str, data: bytes) -> None:
    """Write the file whole or not at all: a temporary file beside it, then renamed over it."""
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o777  # a file replaced keeps its permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # a new one gets those of any new file
    handle, temporary = tempfile.mkstemp(prefix=".cndledger-", suffix=".xml", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


COMMANDS: dict[str, Callable[..., int]] = {
    "check": check, "balance": balance, "release-check": release_check, "tranches": tranches,
    "register": register, "budget": budget, "report": report, "schema": schema, "explain": explain, "add": add,
}
COMMANDS["iati import"] = iati_import
COMMANDS["iati export"] = iati_export
COMMANDS["rates import"] = rates_import


def run(session: Session, name: str, options: dict) -> int:
    """The exit code of the command `name` with these options (its own exit, or `Exit`'s)."""
    try:
        return COMMANDS[name](session, **options)
    except Exit as exit:
        return exit.code
    except Exception as error:
        from cndledger.core.counting import Unconvertible

        if not isinstance(error, Unconvertible):
            raise
        return _no_rate(name, error.problem)


def _no_rate(name: str, problem) -> int:
    """A report met an amount it cannot convert (a day or a currency `check` was not asked about): the
    located no-rate problem, and no figures, as for any error that leaves them undefined."""
    from pathlib import Path

    from cndledger.render.problems import as_text

    def line(path: str, number: int) -> str:
        try:
            return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[number - 1]
        except (OSError, IndexError):
            return ""

    sys.stderr.write(as_text([problem], line))
    return EXIT_USAGE if name == "release-check" else EXIT_PROBLEMS


def not_enough_memory() -> int:
    print("cndledger: not enough memory to read this ledger; check fewer files at once, or on a machine "
          "with more memory", file=sys.stderr)
    return EXIT_PROBLEMS
