"""Tables that fit the terminal (README, "Tables that fit the terminal"): on a narrow terminal the
least important columns are left out, and named below the table; an amount is never cut; ids and
texts wrap. `--wide` shows every column, `--plain` a plain table; output that is no terminal has
every column."""

import os
import pty
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cndledger.render import balance, budget, register, table, tranches
from cndledger.render.table import ID_BREAKS, Column, Row, Table, fold, layout

LONG_ID = "UNIDO/PAK/2005/TRUST-FUND/CLUSTER-DEVELOPMENT"  # longer than a 40-column terminal holds

LEDGER = f"""\
[[party]]
id = "TRADE-DEVELOPMENT-AUTHORITY"
name = "A donor with a long id"

[[party]]
id = "UNIDO"
name = "An agency"

[[project]]
id = "PAK-CND"
title = "The programme"
currency = "USD"
budget = 12345678.90
fiscal_year_start = 7

[[project]]
id = "{LONG_ID}"
title = "A trust fund"
currency = "USD"
parent = "PAK-CND"
budget = 2500000

[[project]]
id = "US/PAK/01/099"
title = "A component"
currency = "USD"
parent = "PAK-CND"

[[commitment]]
id = "C-TDA-TRUST-FUND-2005"
project = "{LONG_ID}"
party = "TRADE-DEVELOPMENT-AUTHORITY"
date = 2005-01-10
amount = 2211000.55

[[tranche]]
id = "C-TDA-TRUST-FUND-2005-FIRST"
commitment = "C-TDA-TRUST-FUND-2005"
amount = 1000000
due = 2005-02-01

[[tranche]]
id = "C-TDA-TRUST-FUND-2005-SECOND"
commitment = "C-TDA-TRUST-FUND-2005"
amount = 750000.25
due = "2005-12"
after = ["C-TDA-TRUST-FUND-2005-FIRST"]

[[commitment]]
id = "C-UNIDO-COUNTERPART"
project = "US/PAK/01/099"
party = "UNIDO"
date = 2005-02-01
amount = 9876543.21

[[release]]
id = "R-TDA-FIRST"
commitment = "C-TDA-TRUST-FUND-2005"
tranche = "C-TDA-TRUST-FUND-2005-FIRST"
date = 2005-01-20
amount = 1000000

[[release]]
id = "R-UNIDO-1"
commitment = "C-UNIDO-COUNTERPART"
date = 2005-03-01
amount = 4321098.76

[[expense]]
project = "{LONG_ID}"
date = 2005-08-15
amount = 765432.10
category = "project management and monitoring"

[[budget]]
project = "{LONG_ID}"
period = "FY2005-06"
amount = 1500000
category = "project management and monitoring"

[[budget]]
project = "US/PAK/01/099"
period = "FY2005-06"
amount = 3000000.50
"""

AS_OF = ("--as-of", "2006-06-30")
REPORTS = {
    "balance": [*AS_OF, "--by-party"],
    "tranches": [*AS_OF],
    "register": [*AS_OF],
    "budget": ["--period", "FY2005-06", *AS_OF],
}
# Of each report, the amount columns of the table and where --json has their figures.
AMOUNTS = {
    "balance": {"budget": "budget", "committed": "committed", "released": "released", "outstanding": "outstanding",
                "spent": "spent", "available": "available", "gap": "gap"},
    "tranches": {"amount": "amount", "released": "released"},
    "register": {"amount": "amount", "committed": "committed", "released": "released", "spent": "spent"},
    "budget": {"budget": "budget", "original": "original", "spent": "spent", "remaining": "remaining"},
}


def records(report: str, document: dict) -> list[dict]:
    if report == "balance":
        return [*document["projects"], *(party for project in document["projects"] for party in project["by_party"])]
    if report == "tranches":
        return [*document["commitments"], *(line for entry in document["commitments"] for line in entry["tranches"])]
    return document["events"] if report == "register" else document["lines"]


def grouped(amount: str) -> str:
    return f"{Decimal(amount):,.2f}"  # as a table shows a USD amount


def fitted(ledger, monkeypatch, report: str, width: int | None, *options: str, rich: bool = True) -> str:
    """The report's table as a terminal `width` columns wide shows it (Rich unless `rich` is False)."""
    monkeypatch.setattr(table, "terminal_width", lambda stream: width)
    monkeypatch.setattr(table, "use_rich", lambda stream: rich)
    result = ledger.run(report, *REPORTS[report], *options)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def header_line(output: str) -> str:
    lines = output.splitlines()
    rule = next(n for n, line in enumerate(lines) if set(line.strip()) <= {"-", " ", "─"} and line.strip())
    return " ".join(lines[2 if lines[1] == "" else 1:rule])


def first_cells(output: str) -> str:
    """The first column's text of every line below the header of a plain table, run together: an id
    folded over lines is whole in it."""
    lines = output.splitlines()
    rule = next(n for n, line in enumerate(lines) if line.startswith("-"))
    width = len(lines[rule].split()[0])
    return "".join(line[:width].strip() for line in lines[rule + 1:])


@pytest.fixture
def shipped(ledger):
    ledger.write("ledgers/a.toml", LEDGER)
    return ledger


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("report", list(REPORTS))
def test_no_amount_is_cut_and_left_out_columns_are_named(shipped, monkeypatch, report, width, rich):
    document = shipped.run(report, *REPORTS[report], "--json").json()
    output = fitted(shipped, monkeypatch, report, width, rich=rich)
    assert "…" not in output and "..." not in output
    header = header_line(output)
    note = re.search(r"Left out to fit (\d+) columns: (.*?) \(--wide shows every column\)\.", " ".join(output.split()))
    left_out = note.group(2).split(", ") if note else []
    assert note is None or note.group(1) == str(width)
    wide = fitted(shipped, monkeypatch, report, width, "--wide", rich=rich)
    assert "Left out" not in wide
    # The table fits, unless even the columns always shown do not (then every other one is left out).
    if max(len(line.rstrip()) for line in output.splitlines()) > width:
        columns = sys.modules[f"cndledger.render.{report}"].COLUMNS.values()
        droppable = [column.header for column in columns if column.rank and column.header in header_line(wide)]
        assert sorted(left_out) == sorted(droppable), output
        assert width == 40
    # every amount column of the whole table is either shown or named as left out
    for column in _amount_columns(report, header_line(wide)):
        assert column in header.split() or column in left_out, (column, header, left_out)
    # every figure of a column shown is whole in the table: the --json figure, grouped
    tokens = set(re.findall(r"-?[\d,]*\d\.\d\d(?![\d,])", output))
    shown = [column for column in _amount_columns(report, header) if column not in left_out]
    expected = {grouped(record[AMOUNTS[report][column]]) for record in records(report, document)
                for column in shown if record.get(AMOUNTS[report][column]) is not None}
    assert expected <= tokens, sorted(expected - tokens)


def _amount_columns(report: str, header: str) -> list[str]:
    words = header.split()
    return [column for column in AMOUNTS[report] if column in words]


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("report", ["balance", "budget"])
def test_project_ids_are_whole_or_folded(shipped, monkeypatch, report, width):
    document = shipped.run(report, *REPORTS[report], "--json").json()
    output = fitted(shipped, monkeypatch, report, width, rich=False)
    cells = first_cells(output)
    for project in {record["project"] if report == "budget" else record["id"] for record in records(report, document)
                    if "project" in record or "id" in record}:
        assert project in output or project in cells, (project, output)
    if width == 40:
        assert LONG_ID not in output  # it folds...
        assert LONG_ID in cells  # ...and none of it is lost


def test_at_80_columns_the_balance_keeps_the_project_and_its_main_figures(shipped, monkeypatch):
    output = fitted(shipped, monkeypatch, "balance", 80)
    header = header_line(output).split()
    assert header == ["project", "cur", "committed", "released", "available"]
    assert ("Left out to fit 80 columns: in-kind, gap, outstanding, budget, spent (--wide shows every column)."
            in " ".join(output.split()))
    assert "12,087,543.76" in output and "2,211,000.55" in output  # committed, whole
    wide = fitted(shipped, monkeypatch, "balance", 80, "--wide")
    assert {"outstanding", "in-kind", "gap"} <= set(header_line(wide).split())


def test_ids_fold_only_where_the_columns_always_shown_do_not_fit():
    columns = [Column("id", wraps="id"), Column("amount", "right"), Column("extra", "right", rank=1)]
    fitting = Table("T", columns, [Row(["ABCDEFGHIJ/KLMNOPQRST", "1,000.00", "2.00"])])
    assert layout(fitting, 40).left_out == [] and layout(fitting, 40).widths == [21, 8, 5]
    assert layout(fitting, 31).left_out == ["extra"] and layout(fitting, 31).widths == [21, 8]
    assert layout(fitting, 20).widths == [10, 8]  # the id folds; the amount never
    assert fold("ABCDEFGHIJ/KLMNOPQRST", 12, ID_BREAKS) == ["ABCDEFGHIJ/", "KLMNOPQRST"]
    assert fold("ABCDEFGHIJKLMNOPQRST", 12) == ["ABCDEFGHIJKL", "MNOPQRST"]
    assert fold("a long detail of words", 10) == ["a long", "detail of", "words"]


def test_the_order_of_leaving_out_is_documented():
    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").split())
    for report, module in {"balance": balance, "tranches": tranches, "register": register, "budget": budget}.items():
        said = f"`{report}`: " + ", ".join(table.left_out_first(list(module.COLUMNS.values())))
        assert said in readme, said


# On a real terminal (a pseudo-terminal), as a person runs it.

def run_on_a_terminal(root: Path, width: int, *args: str, **environ: str) -> str:
    leader, follower = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "TERM", "COLUMNS")}
    env |= {"COLUMNS": str(width), "TERM": "xterm-256color", "CNDLEDGER_NO_CACHE": "1", **environ}
    done = subprocess.Popen([sys.executable, "-m", "cndledger", *args], cwd=root, stdout=follower,
                            stderr=subprocess.PIPE, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    done.wait(timeout=60)
    assert done.returncode == 0, done.stderr.read()
    return out.decode("utf-8").replace("\r\n", "\n")


ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def test_on_a_terminal_of_80_columns(shipped):
    coloured = run_on_a_terminal(shipped.root, 80, "balance", *AS_OF)
    assert ESCAPE.search(coloured)  # Rich, in colour
    text = ESCAPE.sub("", coloured)
    assert "Left out to fit 80 columns" in text and "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    plain = run_on_a_terminal(shipped.root, 80, "balance", *AS_OF, "--plain")
    no_colour = run_on_a_terminal(shipped.root, 80, "balance", *AS_OF, NO_COLOR="1")
    assert plain == no_colour and not ESCAPE.search(plain) and "─" not in plain
    assert "Left out to fit 80 columns" in plain and "-------  ---" in plain
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_piped_output_has_every_column(shipped):
    piped = shipped.run("balance", *AS_OF, env={"COLUMNS": "40"})
    assert "Left out" not in piped.stdout
    assert {"outstanding", "in-kind", "gap", "available"} <= set(header_line(piped.stdout).split())


@pytest.mark.parametrize("report", list(REPORTS))
@pytest.mark.parametrize("options", [["--wide", "--json"], ["--plain", "--csv"]])
def test_wide_and_plain_are_for_tables(shipped, report, options):
    result = shipped.run(report, *REPORTS[report], *options)
    assert result.exit_code == 2
    assert f"{options[0]} shapes the table: not with {options[1]}" in result.stderr


def test_wide_characters_count_two_columns():
    assert table.cell_width("日本 fund") == 9 and table.cell_width("é") == 1 and table.cell_width("e\u0301") == 1
    wide_text = Table("T", [Column("name", wraps="text"), Column("amount", "right")],
                      [Row(["日本の基金 for the valley", "1.00"]), Row(["x", "22.00"])])
    lines = table.plain(wide_text, 24).splitlines()
    assert max(table.cell_width(line) for line in lines) <= 24
    assert lines[2:] == ["name              amount", "----------------  ------", "日本の基金 for      1.00", "the valley",
                         "x                  22.00"]
