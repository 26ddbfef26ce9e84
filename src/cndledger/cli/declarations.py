"""Every command of the command line, its arguments and options, declared once.

`app.py` builds the Typer app from these (spelling, help, defaults, completion); `argv.py` reads
the plain command lines of the commands that read a ledger from them, without importing Typer. A
new option is one `Parameter` here, and the keyword argument of its function in `commands.py`.
Plain classes and tuples: the fast start imports this module (no dataclasses, no Typer).
"""

from __future__ import annotations

# A parameter's kind: a positional argument (one value, or every remaining one), or an option that
# is on/off, takes one value, or takes one value each time it is given.
ARGUMENT, ARGUMENTS, FLAG, VALUE, VALUES = "argument", "arguments", "flag", "value", "values"


class Parameter:
    """One argument or option: the name its command's function takes it by, and how it is spelled."""

    __slots__ = ("name", "kind", "spellings", "default", "required", "help", "metavar", "show_default", "complete")

    def __init__(self, name: str, kind: str, *spellings: str, default: object = None, required: bool | None = None,
                 help: str, metavar: str | None = None, show_default: bool = True,
                 complete: tuple[str, ...] | None = None) -> None:
        self.name, self.kind, self.spellings, self.default = name, kind, spellings, default
        self.required = kind == ARGUMENT if required is None else required  # only an argument may be required
        self.help, self.metavar, self.show_default = help, metavar, show_default
        self.complete = complete  # what completes its value: ("ids", kind), ("codes",), ("names",), ("periods",),
        # ("currencies",) or ("formats",)

    def with_help(self, help: str) -> Parameter:
        """The same parameter with other words of help (`--as-of` means another day to another command)."""
        return Parameter(self.name, self.kind, *self.spellings, default=self.default, required=self.required,
                         help=help, metavar=self.metavar, show_default=self.show_default, complete=self.complete)


class Command:
    """A command: its name, its help (the first line is its summary) and its parameters in order."""

    __slots__ = ("name", "help", "parameters")

    def __init__(self, name: str, help: str, *parameters: Parameter) -> None:
        self.name, self.help, self.parameters = name, help, parameters

    @property
    def reads_a_ledger(self) -> bool:
        """Whether it takes ledger paths: those are the commands scripts call in loops (`argv.py`)."""
        return any(parameter.name == "paths" for parameter in self.parameters)


CHECK_FORMATS = ("text", "json", "github")

PATHS = Parameter("paths", ARGUMENTS, help="Ledger files or folders (every *.toml below). Default: $CNDLEDGER_LEDGER, "
                  "else ./ledgers.", show_default=False, metavar="[PATHS]...")
LEDGER = Parameter("ledger", VALUES, "-f", "--ledger", help="A ledger file or folder; repeatable.", show_default=False)
AS_OF = Parameter("as_of", VALUE, "--as-of", help="The day of the figures: 2005-02-15, 2005-02 (its last day) or 2005. "
                  "Default: today.", show_default=False)
PROJECT = Parameter("project", VALUE, "--project", help="Only this project and the projects below it.",
                    show_default=False, complete=("ids", "project"))
JSON = Parameter("json", FLAG, "--json", default=False, help="Print one JSON document (amounts as strings).")
CSV = Parameter("csv", FLAG, "--csv", default=False, help="Print CSV (amounts as exact decimals).")
# The table of a report on a terminal: fitted to its width, the least important columns left out (render/table.py).
WIDE = Parameter("wide", FLAG, "--wide", default=False,
                 help="Show every column, however narrow the terminal (its lines then wrap); by default the least "
                      "important are left out to fit, and named below the table.")
PLAIN = Parameter("plain", FLAG, "--plain", default=False,
                  help="A plain-text table: no colour, no box drawing (as when the output is not a terminal, or with "
                       "NO_COLOR=1).")
NO_CACHE = Parameter("no_cache", FLAG, "--no-cache", default=False,
                     help="Read every file anew; neither use nor write the cache (also CNDLEDGER_NO_CACHE=1).")

COMMANDS = {command.name: command for command in (
    Command(
        "check", "Report every problem of the ledger, each as FILE:LINE: severity[CODE]: message.",
        PATHS, LEDGER,
        Parameter("format", VALUE, "--format", default="text", metavar="text|json|github", complete=("formats",),
                  help="text; json; or github (GitHub Actions annotations on the lines of a pull request)."),
        JSON.with_help("The same as --format json, as every report takes it."),
        Parameter("strict", FLAG, "--strict", default=False, help="Warnings fail the check too."),
        Parameter("ignore", VALUES, "--ignore", show_default=False, metavar="CODE", complete=("codes",),
                  help="Leave out the warnings of this code (a known, accepted one); repeatable. Errors are never left out."),
        AS_OF.with_help("The day against which due dates are judged. Default: today."),
        NO_CACHE,
    ),
    Command(
        "balance", "Per project: budget, committed, released, outstanding, in kind, spent, available, gap.",
        PATHS, LEDGER,
        Parameter("start", VALUE, "--from", show_default=False,
                  help="A period statement: the flows from this day (2005-02-15, 2005-02 or 2005: its first day) to "
                       "--as-of, with the opening available."),
        AS_OF,
        Parameter("period", VALUE, "--period", show_default=False, metavar="PERIOD", complete=("periods",),
                  help="A period statement from its first day to its last: 2005, 2005-Q3, 2005-02, FY2005-06 (by the "
                       "reported projects' fiscal year); not with --from or --as-of."),
        PROJECT,
        Parameter("by_party", FLAG, "--by-party", default=False, help="Each party's figures under its project."),
        Parameter("currency", VALUE, "--currency", show_default=False, metavar="CODE", complete=("currencies",),
                  help="Every project's figures in this currency (USD, PKR), each entry converted on its day at the "
                       "ledger's rates, outstanding and pledged revalued on the as-of day."),
        JSON, CSV, WIDE, PLAIN, NO_CACHE,
    ),
    Command(
        "release-check", "May the tranche be released on the day? Exit 0 if every condition holds, 1 if one does "
        "not,\n2 on any ledger error, an unknown tranche or bad usage.",
        Parameter("tranche", ARGUMENT, help="The id of the tranche.", show_default=False, metavar="TRANCHE",
                  complete=("ids", "tranche")),
        PATHS, LEDGER,
        Parameter("on", VALUE, "--on", show_default=False,
                  help="The day of the release: 2005-02-15, 2005-02 (its last day) or 2005. Default: today."),
        JSON, NO_CACHE,
    ),
    Command(
        "tranches", "Each commitment's tranches: amount, due, released, status, release conditions; and the "
        "unscheduled rest.",
        PATHS, LEDGER, AS_OF, PROJECT, JSON, CSV, WIDE, PLAIN, NO_CACHE,
    ),
    Command(
        "register", "Every money event in the order it counts, with its project's running committed, released and "
        "spent.",
        PATHS, LEDGER,
        Parameter("start", VALUE, "--from", show_default=False,
                  help="The first day listed: 2005-02-15, 2005-02 or 2005 (its first day). Default: the first event."),
        AS_OF,
        Parameter("period", VALUE, "--period", show_default=False, metavar="PERIOD", complete=("periods",),
                  help="The events from the period's first day to its last: 2005, 2005-Q3, 2005-02, FY2005-06 (by "
                       "the reported projects' fiscal year); not with --from or --as-of."),
        PROJECT, JSON, CSV, WIDE, PLAIN, NO_CACHE,
    ),
    Command(
        "budget", "Budget against actual per budget line and period: budget (as of the day), original, spent, "
        "remaining, used;\nthen each project and period's unbudgeted spending.",
        PATHS, LEDGER,
        Parameter("period", VALUE, "--period", show_default=False, metavar="PERIOD", complete=("periods",),
                  help='Only the lines whose period overlaps it: 2005, 2005-Q3, 2005-02, FY2005-06 (by each line\'s '
                       'project\'s fiscal year).'),
        Parameter("start", VALUE, "--from", show_default=False,
                  help="Only the lines whose period overlaps the days from this one (2005-02-15, 2005-02 or 2005: its "
                       "first day) to --as-of."),
        AS_OF.with_help("The day of the figures (the budget in force, the expenses counted): 2005-02-15, 2005-02 "
                        "(its last day) or 2005. Default: today."),
        PROJECT, JSON, CSV, WIDE, PLAIN, NO_CACHE,
    ),
    Command(
        "report", "A report to hand round: one self-contained HTML page, tables and charts per project, every amount "
        "as --json gives it;\nwith --xlsx, a workbook of the balance, budget, tranches and register.",
        PATHS, LEDGER,
        AS_OF.with_help("The day of the figures (the window runs from the first entry to it): 2005-02-15, 2005-02 "
                        "(its last day) or 2005. Default: today."),
        Parameter("period", VALUE, "--period", show_default=False, metavar="PERIOD", complete=("periods",),
                  help="The window, from its first day to its last: 2005, 2005-Q3, 2005-02, FY2005-06 (by the "
                       "reported projects' fiscal year); not with --as-of."),
        PROJECT,
        Parameter("output", VALUE, "-o", "--output", show_default=False, metavar="FILE",
                  help="Write the HTML page to FILE (- for standard output). Default: standard output, or no page "
                       "where --xlsx is given."),
        Parameter("xlsx", VALUE, "--xlsx", show_default=False, metavar="FILE",
                  help="Also write a workbook to FILE: a sheet per report (needs openpyxl: pip install "
                       "'cndledger[xlsx]')."),
        NO_CACHE,
    ),
    Command("schema", "Print the JSON Schema of a ledger file, for editors (taplo, Even Better TOML) and validators."),
    Command(
        "explain", "What a problem code means, an example that triggers it, and how to fix it; or what a table, a "
        "key or a figure of the format is.",
        Parameter("code", ARGUMENT, metavar="NAME", required=False, show_default=False, complete=("names",),
                  help="A problem code (unknown-key), a table (release), a key (min_spent) or a figure "
                       "(outstanding). Without one: the list of them."),
    ),
    Command(
        "add", "Append one entry to a ledger file, after checking the whole ledger with it; nothing else changes.\n"
        "Refused only where it makes the ledger worse: errors already there are shown, and do not block it.",
        Parameter("kind", ARGUMENT, show_default=False, metavar="KIND", required=False,
                  help="The table: release, expense, inkind, commitment, tranche, milestone, assert, party or project."),
        Parameter("assignments", ARGUMENTS, show_default=False, metavar="KEY=VALUE...",
                  help="The entry's keys: amount=40_000 date=2005-09-30 after='[\"tf-1\"]' project=US/PAK/01/099 "
                       "(a TOML value where the text is one, else text)."),
        Parameter("to", VALUE, "--to", help="The file of the ledger to append the entry to.", show_default=False,
                  metavar="FILE"),
        LEDGER,
        Parameter("from_file", VALUE, "--from-file", show_default=False, metavar="ENTRIES.toml",
                  help="Append every [[kind]] entry of this file instead (a statement's batch): all of them, or none."),
        Parameter("dry_run", FLAG, "--dry-run", default=False, help="Check the entry and print it; write nothing."),
    ),
)}

# Command groups: a command named "GROUP SUB" is `cndledger GROUP SUB`, under the group's help.
GROUPS = {
    "iati": "IATI activity files (the International Aid Transparency Initiative's XML): publish a ledger as one "
            "(export); read published files into a ledger (import, which needs lxml: pip install 'cndledger[iati]').",
    "rates": "Exchange rates: import a CSV file of rates (date,from,to,rate, or the UN operational rates of "
             "exchange) into a ledger file as [[rate]] entries.",
}

COMMANDS["iati import"] = Command(
    "iati import", "Read IATI activity files (2.0x, or 1.0x letter codes) into a new ledger folder: each activity a\n"
    "project, its transactions commitments, releases, expenses and pledges, its budgets budget lines.\n"
    "Says what it wrote and skipped; each value it could not carry is reported at its line of the XML.\n"
    "Exit 0 written; 1 written, but a file (XML or --rates CSV) or an element of one could not be read; 2 bad usage.",
    Parameter("files", ARGUMENTS, required=True, show_default=False, metavar="FILE.xml...",
              help="The IATI activity files (<iati-activities>) to import."),
    Parameter("to", VALUE, "--to", required=True, show_default=False, metavar="DIR",
              help="The folder of the new ledger: one TOML file per XML file, and parties.toml. It must be new or "
                   "empty, unless --force."),
    Parameter("reporting_org", VALUE, "--reporting-org", show_default=False, metavar="REF",
              help="Only the activities this organisation reports (its reporting-org ref, such as GB-1); the "
                   "others are counted and skipped."),
    Parameter("force", FLAG, "--force", default=False,
              help="Write into a folder that is not empty: files of the same names are overwritten (each named), "
                   "the others kept."),
    Parameter("rates", VALUES, "--rates", show_default=False, metavar="FILE.csv",
              help="A CSV file of exchange rates (date,from,to,rate, or the UN operational rates); repeatable. "
                   "The rates that convert the entries in another currency than their activity are written to "
                   "DIR/rates.toml."),
)

COMMANDS["iati export"] = Command(
    "iati export", "Write the ledger as one IATI 2.03 activity document: a project an activity, its commitments,\n"
    "releases, refunds, decommitments, expenses and pledges its transactions, its budget lines, tranches and\n"
    "release conditions. Lists each identifier IATI needs that the ledger lacks, at file:line, and exits 1.",
    PATHS, LEDGER, PROJECT,
    AS_OF.with_help("The day of the export: the entries counting on or before it (2005-02-15, 2005-02: its last "
                    "day, or 2005). Default: today."),
    Parameter("reporting_org", VALUE, "--reporting-org", show_default=False, metavar="PARTY",
              complete=("ids", "party"),
              help="The party that publishes the file (its iati_ref). Default: the executing party of the "
                   "root projects exported."),
    Parameter("output", VALUE, "-o", "--output", show_default=False, metavar="FILE",
              help="Write the document to FILE (replaced whole, only once complete). Default: standard output."),
    NO_CACHE,
)

COMMANDS["rates import"] = Command(
    "rates import", "Append the rates of a CSV file to a ledger file as [[rate]] entries, checked with the whole "
    "ledger first.\nLayouts: a header date,from,to,rate[,source,note]; or the UN Treasury's operational rates "
    "(Country,\nCurrency name, Code, Effective date, Rate: units per US dollar). Rates the ledger has are left out.\n"
    "All or none: a bad row, or another rate than the ledger's for a pair and day, is reported at its CSV\n"
    "line and nothing is written (exit 1).",
    Parameter("file", ARGUMENT, show_default=False, metavar="FILE.csv",
              help="The CSV file of rates (commas, tabs or semicolons)."),
    Parameter("to", VALUE, "--to", required=True, show_default=False, metavar="FILE.toml",
              help="The file of the ledger to append the [[rate]] entries to (it must exist: an empty file will do)."),
    PATHS, LEDGER,
    Parameter("currency", VALUES, "--currency", show_default=False, metavar="CODE", complete=("currencies",),
              help="Only the rates from or to this currency (an ISO 4217 code: PKR); repeatable. The other rows are "
                   "not read."),
)
