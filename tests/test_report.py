"""`cndledger report`: one self-contained HTML page whose every amount is what `--json` gives for the same
day and window, charts with text alternatives, and the workbook of `--xlsx`."""

from __future__ import annotations

import json
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PREAMBLE

TRUST_FUND = Path(__file__).resolve().parent.parent / "examples" / "trust-fund"
SHIPPED = Path(__file__).resolve().parent.parent / "ledgers"

# A programme with two projects: two parties, tranches released, partly released and overdue, a refund,
# a decommitment, budget lines (one spent above its budget), in kind valued by month and unvalued, and a
# support cost rate; expenses over several months.
LEDGER = PREAMBLE + """
[[project]]
id = "PROG"
title = "A programme <of & for> \\"all\\""
currency = "USD"
budget = 900000

[[project]]
id = "P2"
title = "A second project"
currency = "USD"
parent = "PROG"
budget = 200000
support_cost_rate = 0.07

[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 300000

[[tranche]]
id = "C1-1"
commitment = "C1"
amount = 100000
due = 2005-02-28

[[tranche]]
id = "C1-2"
commitment = "C1"
amount = 150000
due = "2005-06"

[[release]]
commitment = "C1"
tranche = "C1-1"
date = 2005-02-15
amount = 100000

[[release]]
commitment = "C1"
tranche = "C1-2"
date = 2005-05-03
amount = 40000.55

[[refund]]
commitment = "C1"
date = 2005-11-30
amount = 1234.56

[[commitment]]
id = "C2"
project = "P2"
party = "AGENCY"
date = 2005-03-01
amount = 80000

[[release]]
commitment = "C2"
date = 2005-03-20
amount = 30000

[[decommitment]]
commitment = "C2"
date = 2005-09-30
amount = 5000

[[commitment]]
id = "C3"
project = "P2"
party = "OLD-DONOR"
date = 2005-04-01
amount = 20000.10

[[budget]]
project = "P1"
period = "2005"
category = "travel"
amount = 10000

[[budget]]
project = "P1"
period = "2005"
category = "staff"
amount = 50000

[[inkind]]
id = "IK1"
project = "P1"
party = "AGENCY"
description = "Office space"
nature = "goods"
start = "2005-01"
end = "2005-12"
monthly_value = 1500.25

[[inkind]]
id = "IK2"
project = "P2"
party = "DONOR"
description = "An expert's time"
nature = "services"
start = 2005-06-01
"""

EXPENSES = "".join(f"""
[[expense]]
project = "{project}"
date = 2005-{month:02d}-{day:02d}
amount = {amount}
category = "{category}"
""" for project, month, day, amount, category in [
    ("P1", 2, 20, "4000.10", "travel"), ("P1", 3, 1, "7000.01", "travel"), ("P1", 4, 11, "12000", "staff"),
    ("P1", 6, 30, "999.99", "equipment"), ("P2", 4, 2, "3000.33", "staff"), ("P2", 8, 15, "1500.50", "staff"),
    ("P1", 10, 1, "250.75", "staff"), ("P2", 12, 31, "100.01", "travel"),
])


# ---- reading the page ---------------------------------------------------------------------------

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source", "track", "embed", "param"}


class Cell:
    def __init__(self, attrs: dict[str, str], context: dict[str, str]) -> None:
        self.figure = attrs["data-figure"]
        self.value = attrs.get("data-value")
        self.context = context
        self.text = ""

    @property
    def project(self):
        return self.context.get("data-project")

    def __repr__(self) -> str:
        return f"Cell({self.figure}={self.value!r} {self.text!r} {self.context})"


class Page(HTMLParser):
    """The amount cells of a page, each with the data- attributes of the elements around it; and every
    element's attributes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.cells: list[Cell] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.open_cell: Cell | None = None
        self.svg_text: list[str] = []
        self.feed(text)
        self.close()

    def context(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for _, attrs in self.stack:
            found.update({key: value for key, value in attrs.items() if key.startswith("data-")})
        return found

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        self.elements.append((tag, attrs))
        if tag in VOID:
            return
        if "data-figure" in attrs:
            self.open_cell = Cell(attrs, self.context())
            self.cells.append(self.open_cell)
        self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, attrs = self.stack.pop()
            if "data-figure" in attrs:
                self.open_cell = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.open_cell is not None:
            self.open_cell.text += data


def assert_page_equals_json(page: Page, balance: dict, budget: dict, tranches: dict) -> int:
    """Every amount cell of the page holds the figure `--json` gives (in `data-value`, and in its text once
    grouping is taken out); every figure of `balance --json` is in the page. The number of cells checked."""
    projects = {project["id"]: project for project in balance["projects"]}
    seen: set[tuple] = set()
    checked = 0
    lines_of: dict[str, list[dict]] = {}
    for line in budget["lines"]:
        lines_of.setdefault(line["project"], []).append(line)
    unbudgeted = {(rest["project"], rest["period"]): rest for rest in budget["unbudgeted"]}
    commitments = {entry["id"]: entry for entry in tranches["commitments"]}
    tranche_of = {tranche["id"]: tranche for entry in tranches["commitments"] for tranche in entry["tranches"]}
    for cell in page.cells:
        context = cell.context
        report = context.get("data-report")
        if report in ("balance", "inkind"):
            if cell.figure == "accrued":
                continue  # a contribution's own accrual: `balance` gives only their sum
            project = projects[cell.project]
            party = context.get("data-party")
            if party is not None:
                expected = next(p for p in project["by_party"] if p["party"] == party)[cell.figure]
            else:
                expected = project.get(cell.figure, project.get("opening_available"))
                if cell.figure not in project:
                    assert cell.figure == "opening_available" and balance["from"] is None, cell
                    expected = "0.00"
            seen.add((cell.project, party, cell.figure))
        elif report == "budget":
            if "data-unbudgeted" in context:
                expected = unbudgeted[(cell.project, context["data-unbudgeted"])][cell.figure]
            else:
                expected = lines_of[cell.project][int(context["data-line"])][cell.figure]
        elif report == "tranches":
            if "data-tranche" in context:
                expected = tranche_of[context["data-tranche"]][cell.figure]
            elif "data-unscheduled" in context:
                expected = commitments[context["data-unscheduled"]]["unscheduled"]
            else:
                expected = commitments[context["data-commitment"]][cell.figure]
        else:
            raise AssertionError(f"an amount outside the report's tables: {cell}")
        expected = None if expected is None else str(expected)
        assert cell.value == expected, cell
        shown = cell.text.strip()
        if expected is None:
            assert shown == "—", cell
        elif cell.figure == "used":
            assert shown == f"{float(expected) * 100:.1f} %", cell
        else:
            assert shown.replace(",", "") == expected, cell
        checked += 1
    for project_id, project in projects.items():
        for name, value in project.items():
            if name in ("id", "title", "parent", "currency", "by_party"):
                continue
            assert (project_id, None, name) in seen, f"{project_id}: {name} ({value}) is not in the page"
        for party in project["by_party"]:
            for name in ("committed", "released", "outstanding"):
                assert (project_id, party["party"], name) in seen, f"{project_id}, {party['party']}: {name}"
    return checked


def _write(ledger) -> None:
    ledger.write("ledgers/ledger.toml", LEDGER)
    ledger.write("ledgers/expenses.toml", EXPENSES)


def _report(ledger, *args: str) -> str:
    result = ledger.run("report", "-o", "report.html", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote the report to report.html" in result.stderr
    return (ledger.root / "report.html").read_text(encoding="utf-8")


def _json(ledger, *args: str) -> dict:
    result = ledger.run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


# ---- the figures ----------------------------------------------------------------------------------

@pytest.mark.parametrize("window", [("--as-of", "2005-12-31"), ("--as-of", "2005-06-15"), ("--period", "2005-Q2"),
                                    ("--period", "2005")])
def test_every_amount_in_the_page_is_what_json_gives(ledger, window):
    _write(ledger)
    page = Page(_report(ledger, *window))
    if window[0] == "--period":
        balance = _json(ledger, "balance", "--by-party", *window)
        last = balance["as_of"]
        budget = _json(ledger, "budget", *window, "--as-of", last)
    else:
        balance = _json(ledger, "balance", "--by-party", *window)
        last = window[1]
        budget = _json(ledger, "budget", *window)
    tranches = _json(ledger, "tranches", "--as-of", last)
    checked = assert_page_equals_json(page, balance, budget, tranches)
    assert checked > 60
    # The amounts the charts write (labels and text alternatives) are figures of the JSON too.
    # (Their cumulative figures on the last day are `balance --as-of LAST`'s, for a window too.)
    figures = set()
    for document in (balance, budget, tranches, _json(ledger, "balance", "--as-of", last)):
        figures |= set(re.findall(r'"(-?\d+\.\d\d)"', json.dumps(document)))
    charts = "".join(re.findall(r"<svg .*?</svg>", (ledger.root / "report.html").read_text(encoding="utf-8"),
                                re.DOTALL))
    written = set(re.findall(r"(?<![\d,.])-?\d{1,3}(?:,\d{3})*\.\d\d(?!\d)", charts))
    assert written and {amount.replace(",", "") for amount in written} <= figures


def test_the_shipped_ledgers_and_the_trust_fund(ledger):
    for paths, as_of in (([str(SHIPPED)], "2026-01-31"), ([str(TRUST_FUND)], "2006-06-30")):
        result = ledger.run("report", *paths, "--as-of", as_of, "-o", "out.html", "--no-cache")
        assert result.exit_code == 0, result.stderr
        page = Page((ledger.root / "out.html").read_text(encoding="utf-8"))
        balance = _json(ledger, "balance", *paths, "--by-party", "--as-of", as_of)
        budget = _json(ledger, "budget", *paths, "--as-of", as_of)
        tranches = _json(ledger, "tranches", *paths, "--as-of", as_of)
        assert assert_page_equals_json(page, balance, budget, tranches) > 20


def test_the_title_block_says_the_ledger_the_day_and_the_window(ledger):
    _write(ledger)
    text = _report(ledger, "--period", "2005-Q2")
    assert "<title>Funding report for 2005-Q2</title>" in text
    assert "2 files: ledgers/expenses.toml, ledgers/ledger.toml" in text
    assert "2005-Q2: 2005-04-01 to 2005-06-30 (both included)" in text
    assert 'data-as-of="2005-06-30"' in text
    text = _report(ledger, "--as-of", "2005-08")
    assert "from the first entry to 2005-08-31" in text


def test_project_restricts_the_page_to_a_project_and_those_below_it(ledger):
    _write(ledger)
    page = Page(_report(ledger, "--as-of", "2005-12-31", "--project", "P2"))
    assert {cell.project for cell in page.cells} == {"P2"}


def test_text_from_the_ledger_is_escaped(ledger):
    _write(ledger)
    text = _report(ledger, "--as-of", "2005-12-31")
    assert "A programme &lt;of &amp; for&gt; &quot;all&quot;" in text
    assert "<of & for>" not in text


# ---- self-contained ------------------------------------------------------------------------------

def test_the_page_needs_nothing_but_itself(ledger):
    _write(ledger)
    text = _report(ledger, "--as-of", "2005-12-31")
    page = Page(text)
    for tag, attrs in page.elements:
        for name in ("src", "href", "xlink:href", "action", "poster", "data"):
            if name in attrs:
                assert attrs[name].startswith("#"), (tag, attrs)
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "form"), tag
    assert not re.search(r"(https?:)?//[a-z0-9]", text.replace("http://www.w3.org/2000/svg", ""), re.IGNORECASE)
    assert "@import" not in text and "url(" not in text.replace("url(#chart", "")
    # A policy forbids anything from elsewhere; the one style sheet and the one script are allowed by hash.
    from cndledger.render.html import POLICY, SCRIPT, STYLE

    assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in text
    assert POLICY.startswith("default-src 'none';")
    assert text.count("<script>") == 1 and f"<script>{SCRIPT}</script>" in text
    assert text.count("<style>") == 1 and f"<style>{STYLE}</style>" in text
    assert ' style="' not in text  # no inline style attribute: the policy would refuse it


def test_the_figures_are_in_the_page_without_script(ledger):
    """The script only sorts: the tables are written whole in the HTML."""
    _write(ledger)
    text = _report(ledger, "--as-of", "2005-12-31")
    body = text.split("<script>")[0]
    assert 'data-figure="available" data-value="' in body
    assert "<table" in body and "<svg" in body


def test_a_print_style_sheet_breaks_pages_between_projects(ledger):
    from cndledger.render.html import STYLE

    assert "@page { size: A4;" in STYLE
    printed = STYLE.split("@media print", 1)[1]
    assert "section.project { break-before: page; }" in printed
    assert "tr, figure, svg.chart { break-inside: avoid; }" in printed
    assert "thead { display: table-header-group; }" in printed


# ---- charts -------------------------------------------------------------------------------------

def test_every_chart_has_a_title_a_description_and_axes(ledger):
    _write(ledger)
    text = _report(ledger, "--as-of", "2005-12-31")
    charts = re.findall(r"<svg .*?</svg>", text, re.DOTALL)
    assert len(charts) == 3 * 2 + 2  # each project's parties and its figures over time; P1's budget and tranches
    for chart in charts:
        assert 'role="img"' in chart
        ident = re.search(r'aria-labelledby="(\S+)-title \1-desc"', chart).group(1)
        assert f'<title id="{ident}-title">' in chart and f'<desc id="{ident}-desc">' in chart
    joined = "".join(charts)
    for title in ("Released against committed, per party", "Released and spent over time, against the budget",
                  "Budget used, per line", "Tranches: planned against actual"):
        assert f">{title}</title>" in joined
    assert "USD, cumulative" in joined and "per cent of the line&#x27;s budget spent" in joined
    assert "released 140,000.55, spent 24,250.85" in joined  # P1's description, as of the day


def test_series_differ_by_more_than_colour(ledger):
    """In grey, a chart reads as in colour: lines differ by dash, bars by fill and outline."""
    _write(ledger)
    text = _report(ledger, "--as-of", "2005-12-31")
    over_time = re.search(r'<svg [^>]*aria-labelledby="project-1-time-title.*?</svg>', text, re.DOTALL).group(0)
    dashes = re.findall(r'<polyline fill="none" stroke="[^"]+" stroke-width="[^"]+"(?: stroke-dasharray="([^"]+)")?',
                        over_time)
    assert len(dashes) == 2 and len(set(dashes)) == 2  # released solid, spent dashed
    with_budget = re.search(r'<svg [^>]*aria-labelledby="project-2-time-title.*?</svg>', text, re.DOTALL).group(0)
    assert 'stroke-dasharray="12 3 2 3"' in with_budget and "budget 900,000.00" in with_budget  # dash-dotted
    parties = re.search(r'<svg [^>]*aria-labelledby="project-1-parties-title.*?</svg>', text, re.DOTALL).group(0)
    assert 'fill="#ffffff" stroke="#111111" stroke-width="1.5"' in parties  # committed: hollow, outlined
    assert 'fill="#1f3b57" stroke="#111111" stroke-width="1"' in parties  # released: filled dark
    assert "300,000.00" in parties and "140,000.55" in parties  # each bar's figure written at its end


def test_charts_aggregate_by_month_never_an_element_per_entry(ledger):
    ledger.write("ledgers/ledger.toml", LEDGER)
    many = "".join(f'\n[[expense]]\nproject = "P1"\ndate = 2005-{1 + n % 12:02d}-{1 + n % 28:02d}\namount = 1.01\n'
                   for n in range(2000))
    ledger.write("ledgers/expenses.toml", many)
    text = _report(ledger, "--as-of", "2005-12-31")
    assert len(text) < 200_000
    assert len(re.findall(r"<(rect|circle|line|polyline|path|text)\b", text)) < 800
    points = re.findall(r'<polyline [^>]*points="([^"]*)"', text)
    assert points and all(len(found.split()) <= 12 for found in points)  # a point per month end


def test_dates_at_the_ends_of_the_calendar_give_a_page_not_a_traceback(ledger):
    ledger.write("ledgers/l.toml", """
[[party]]
id = "D"
name = "D"

[[project]]
id = "P"
title = "P"
currency = "JPY"
budget = 1000

[[commitment]]
id = "C"
project = "P"
party = "D"
date = 0001-01-01
amount = 500

[[tranche]]
id = "T"
commitment = "C"
amount = 500
due = 9999-12-31

[[release]]
commitment = "C"
tranche = "T"
date = 0001-01-02
amount = 100

[[expense]]
project = "P"
date = 0001-01-03
amount = 10
""")
    for as_of in ("9999-12-31", "0001-01-05"):
        text = _report(ledger, "--as-of", as_of)
        assert text.count("<svg") == 3
        points = re.findall(r'<polyline [^>]*points="([^"]*)"', text)
        assert all(len(found.split()) <= 241 for found in points)
        assert 'data-figure="released" data-value="100"' in text  # JPY: no minor unit


# ---- usage --------------------------------------------------------------------------------------

def test_period_excludes_as_of(ledger):
    _write(ledger)
    result = ledger.run("report", "--period", "2005", "--as-of", "2005-12-31")
    assert result.exit_code == 2
    assert "--period excludes --as-of" in result.stderr


def test_an_unknown_project_is_bad_usage(ledger):
    _write(ledger)
    result = ledger.run("report", "--project", "P9", "-o", "x.html")
    assert result.exit_code == 2
    assert "--project: the ledger has no project 'P9'" in result.stderr
    assert not (ledger.root / "x.html").exists()


def test_without_o_the_page_goes_to_standard_output(ledger):
    _write(ledger)
    result = ledger.run("report", "--as-of", "2005-12-31")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>\n")


def test_a_file_that_cannot_be_written_is_said_plainly(ledger):
    _write(ledger)
    result = ledger.run("report", "-o", "no/such/folder/r.html")
    assert result.exit_code == 2
    assert "cndledger: -o: cannot write 'no/such/folder/r.html'" in result.stderr


def test_errors_in_the_ledger_exit_1_and_a_fatal_one_writes_nothing(ledger):
    _write(ledger)
    ledger.write("ledgers/more.toml", '[[release]]\ncommitment = "C3"\ndate = 2005-05-01\namount = 30000\n')  # exceeds
    result = ledger.run("report", "-o", "r.html", "--as-of", "2005-12-31")
    assert result.exit_code == 1 and (ledger.root / "r.html").exists()
    assert "error[" in result.stderr
    ledger.write("ledgers/more.toml", '[[project]]\nid = "P1"\ntitle = "again"\ncurrency = "USD"\n')  # duplicate id: fatal
    result = ledger.run("report", "-o", "r2.html")
    assert result.exit_code == 1 and not (ledger.root / "r2.html").exists()


# ---- the workbook -------------------------------------------------------------------------------

def _cells(path: Path, sheet: int) -> dict[str, tuple[str | None, str | None, str | None]]:
    """A sheet's cells as written in the file: reference -> (type, style, text of its value)."""
    with zipfile.ZipFile(path) as book:
        xml = book.read(f"xl/worksheets/sheet{sheet}.xml").decode("utf-8")
    found = {}
    for match in re.finditer(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', xml):
        reference, attributes, body = match.groups()
        kind = re.search(r'\bt="(\w+)"', attributes)
        style = re.search(r'\bs="(\d+)"', attributes)
        value = re.search(r"<v>(.*?)</v>", body or "") or re.search(r"<t[^>]*>(.*?)</t>", body or "")
        found[reference] = (kind and kind.group(1), style and style.group(1), value and value.group(1))
    return found


def test_the_workbook_has_a_sheet_per_report_with_exact_amounts(ledger):
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) is not installed")
    _write(ledger)
    ledger.write("ledgers/big.toml", '[[expense]]\nproject = "P2"\ndate = 2005-05-05\namount = 123456789012345.67\n'
                             'category = "travel"\n')
    result = ledger.run("report", "--as-of", "2005-12-31", "--xlsx", "book.xlsx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # no page asked for
    assert "wrote the workbook to book.xlsx" in result.stderr
    path = ledger.root / "book.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["balance", "budget", "tranches", "register"]
    balance = _json(ledger, "balance", "--by-party", "--as-of", "2005-12-31")
    sheet = book["balance"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["project", "title", "parent", "currency", "party"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["B"].width >= len('A programme <of & for> "all"')
    raw = _cells(path, 1)
    rows = {(row[0].value, row[4].value): row for row in sheet.iter_rows(min_row=2)}
    compared = 0
    for project in balance["projects"]:
        for party in [None, *(p["party"] for p in project["by_party"])]:
            row = rows[(project["id"], party)]
            expected = project if party is None else next(p for p in project["by_party"] if p["party"] == party)
            for cell in row[5:]:
                name = header[cell.column - 1]
                if name not in expected:
                    continue
                value = expected[name]
                if value is None:
                    assert cell.value is None and cell.coordinate not in raw
                    continue
                kind, _, text = raw[cell.coordinate]
                assert kind == "n" and text == str(value), (name, cell.coordinate)  # exact, as --json writes it
                if name != "inkind_unvalued":
                    assert cell.number_format == "#,##0.00"
                compared += 1
    assert compared > 40
    spent = raw[next(cell.coordinate for cell in sheet[rows[("P2", None)][0].row] if header[cell.column - 1] == "spent")]
    assert spent[2] == next(p for p in balance["projects"] if p["id"] == "P2")["spent"]
    # budget: dates as dates, shares as percentages
    sheet = book["budget"]
    assert sheet.freeze_panes == "A2"
    first = [cell for cell in sheet[2]]
    import datetime as dt

    assert first[3].value == dt.datetime(2005, 1, 1) and first[3].is_date
    assert first[12].number_format == "0.0%"
    budget = _json(ledger, "budget", "--as-of", "2005-12-31")
    assert str(first[12].value) == str(float(budget["lines"][0]["used"]))
    # tranches: a due month stays text, a due day is a date
    sheet = book["tranches"]
    due = {row[5].value: row[7].value for row in sheet.iter_rows(min_row=2)}
    assert due["C1-1"] == dt.datetime(2005, 2, 28) and due["C1-2"] == "2005-06"
    # register: every event, its running figures exact
    sheet = book["register"]
    register = _json(ledger, "register", "--as-of", "2005-12-31")
    assert sheet.max_row == len(register["events"]) + 1
    raw = _cells(path, 4)
    for row, event in zip(sheet.iter_rows(min_row=2), register["events"]):
        assert row[1].value == dt.datetime.fromisoformat(event["counts_from"])
        for column, name in ((7, "amount"), (8, "committed"), (9, "released"), (10, "spent")):
            assert raw.get(row[column].coordinate, (None, None, None))[2] == event[name]


def test_without_openpyxl_xlsx_says_what_to_install(ledger, monkeypatch):
    _write(ledger)
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl raises ImportError
    result = ledger.run("report", "--xlsx", "book.xlsx")
    assert result.exit_code == 2
    assert "--xlsx needs openpyxl, which is not installed" in result.stderr
    assert "pip install 'cndledger[xlsx]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (ledger.root / "book.xlsx").exists()
