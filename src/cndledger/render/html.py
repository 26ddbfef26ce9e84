"""The donor report as one self-contained HTML page: tables and inline SVG charts, a print style sheet.

Nothing leaves the file: no link, font, image or script from elsewhere, and a Content-Security-Policy
that forbids them (the page's one style sheet and one script are allowed by their hashes). The page
reads without script; its script only sorts tables. Every amount is the core's Decimal written by
`format_amount`, as `--json` writes it: each amount cell carries it in `data-value` (and its figure's
name in `data-figure`, its project and party on an element around it), and shows it grouped.
Standard library only (`html.escape`); nothing here computes a figure.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from cndledger.core.budget import LineFigures
from cndledger.core.report import ProjectReport, Report
from cndledger.core.schedule import CommitmentSchedule, TrancheLine
from cndledger.format.currency import format_amount
from cndledger.format.shares import used, used_share
from cndledger.render import printable, svg

ABSENT = "—"

STYLE = """
:root { color: #111; background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { max-width: 980px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 1.8em; margin: 0 0 .2em; }
h2 { font-size: 1.35em; margin: 1.6em 0 .4em; border-bottom: 2px solid #1f3b57; padding-bottom: .15em; }
h3 { font-size: 1.05em; margin: 1.3em 0 .3em; }
.title-block dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .6em 0; }
.title-block dt { font-weight: 600; }
.title-block dd { margin: 0; }
.note { color: #444; font-size: .9em; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: .4em 0 .8em; font-variant-numeric: tabular-nums; }
th, td { padding: .22em .6em; border-bottom: 1px solid #d0d0d0; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #111; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
tr.total td, tr.total th { border-top: 2px solid #111; font-weight: 600; }
tr.commitment td, tr.commitment th { font-weight: 600; background: #f1f4f7; }
tr.child th { padding-left: 1.6em; font-weight: normal; }
.depth1 { padding-left: 1.4em; } .depth2 { padding-left: 2.8em; } .depth3 { padding-left: 4.2em; }
.status-overdue { font-weight: 700; text-decoration: underline; }
.status-due { font-weight: 700; }
.over { font-weight: 700; }
th button { all: unset; cursor: pointer; }
th button::after { content: " \\2195"; color: #888; }
th[aria-sort=ascending] button::after { content: " \\2191"; }
th[aria-sort=descending] button::after { content: " \\2193"; }
figure { margin: .6em 0 1.2em; }
svg.chart { max-width: 100%; height: auto; display: block; }
nav ol { columns: 2; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  :root { font-size: 8.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  section.project { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, figure, svg.chart { break-inside: avoid; }
  table.small { break-inside: avoid; }
  thead { display: table-header-group; }
  .table { overflow: visible; }
  th button::after { content: none; }
  a { color: inherit; text-decoration: none; }
}
""".strip()

SCRIPT = """
(function () {
  function key(cell) {
    var value = cell ? cell.getAttribute("data-value") : null;
    if (value !== null && value !== "" && !isNaN(value)) { return [0, Number(value)]; }
    return [1, cell ? cell.textContent : ""];
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (head, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = head.textContent;
      button.title = "Sort by " + head.textContent;
      head.textContent = "";
      head.appendChild(button);
      button.addEventListener("click", function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var up = head.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        head.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var order = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
          return up ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
}());
""".strip()


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# Nothing from elsewhere: no fetch, font, image, frame, form, base or connection; only the page's own
# style sheet and script, by their hashes.
POLICY = (f"default-src 'none'; style-src {_hash(STYLE)}; script-src {_hash(SCRIPT)}; img-src data:; "
          "base-uri 'none'; form-action 'none'")


def _t(value: object) -> str:
    return escape(printable(str(value)))


def _attr(value: object) -> str:
    return escape(printable(str(value)), quote=True)


def _money(value: Decimal | None, currency: str, figure: str, *, tag: str = "td", extra: str = "") -> str:
    """An amount cell: grouped for the eye, exact (as `--json` writes it) in `data-value`."""
    if value is None:
        return f'<{tag} class="num" data-figure="{figure}"{extra}>{ABSENT}</{tag}>'
    exact = format_amount(value, currency)
    return (f'<{tag} class="num" data-figure="{figure}" data-value="{exact}"{extra}>'
            f'{format_amount(value, currency, grouping=True)}</{tag}>')


def _share(spent: Decimal, budget: Decimal) -> str:
    share = used_share(spent, budget)
    if share is None:
        return f'<td class="num" data-figure="used">{ABSENT}</td>'
    return f'<td class="num" data-figure="used" data-value="{used(spent, budget)}">{share * 100:.1f} %</td>'


_NUM = ' class="num"'


def _head(*names: str, numeric: Sequence[str] = ()) -> str:
    cells = "".join(f'<th scope="col"{_NUM if name in numeric else ""}>{_t(name)}</th>' for name in names)
    return f"<thead><tr>{cells}</tr></thead>"


def _date(day: _dt.date | None) -> str:
    return ABSENT if day is None else day.isoformat()


def _window_text(report: Report) -> str:
    if report.first is None:
        return f"from the first entry to {report.last.isoformat()} (every flow up to that day)"
    period = f"{report.period}: " if report.period else ""
    return f"{period}{report.first.isoformat()} to {report.last.isoformat()} (both included)"


def as_html(report: Report, files: Sequence[str]) -> str:
    """The whole page."""
    title = f"Funding report as of {report.last.isoformat()}"
    if report.period:
        title = f"Funding report for {report.period}"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="cndledger report">\n',
        f"<title>{_t(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        _title_block(report, files, title),
        _contents(report),
        _summary(report),
    ]
    for number, project in enumerate(report.projects, 1):
        parts.append(_project(report, project, number))
    parts.append(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(parts)


def _title_block(report: Report, files: Sequence[str], title: str) -> str:
    shown = ", ".join(files[:8]) + (f" and {len(files) - 8} more" if len(files) > 8 else "")
    plural = "s" if len(files) != 1 else ""
    return (
        f'<header class="title-block"><h1>{_t(title)}</h1><dl>'
        f"<dt>Ledger</dt><dd>{len(files)} file{plural}: {_t(shown)}</dd>"
        f'<dt>Figures as of</dt><dd data-as-of="{report.last.isoformat()}">{report.last.isoformat()}</dd>'
        f"<dt>Window</dt><dd>{_t(_window_text(report))}</dd>"
        f"<dt>Projects</dt><dd>{len(report.projects)}</dd></dl>"
        '<p class="note">Amounts are in each project\'s own currency; a project\'s figures include its sub-projects\'. '
        "Flows (committed, received, refunded, spent, support cost, in kind) are those of the window; outstanding, "
        "available, gap and pledged are as of its last day. Every amount is exact to the cent, as "
        "<code>cndledger balance --json</code> gives it.</p></header>\n")


def _contents(report: Report) -> str:
    if len(report.projects) < 2:
        return ""
    items = "".join(f'<li><a href="#project-{number}">{_t(own.figures.project.id)}</a> '
                    f"{_t(own.figures.project.title)}</li>" for number, own in enumerate(report.projects, 1))
    return f'<nav aria-label="Projects"><h2>Projects</h2><ol>{items}</ol></nav>\n'


SUMMARY = ("budget", "committed", "released", "outstanding", "spent", "available", "gap")


def _summary(report: Report) -> str:
    numeric = [*SUMMARY, "received"]
    rows = []
    for own in report.projects:
        figures = own.figures
        cur = figures.currency
        depth = f' class="depth{min(figures.depth, 3)}"' if figures.depth else ""
        cells = "".join(_money(getattr(figures, name), cur, name) for name in SUMMARY)
        rows.append(f'<tr data-project="{_attr(figures.project.id)}"><th scope="row"{depth}>{_t(figures.project.id)}'
                    f"</th><td>{_t(cur)}</td>{cells}</tr>")
    head = _head("project", "cur", "budget", "committed", "received", "outstanding", "spent", "available", "gap",
                 numeric=numeric)
    return ('<section class="summary" aria-labelledby="summary"><h2 id="summary">Every project</h2>'
            '<div class="table"><table class="sortable" data-report="balance">'
            f"<caption class=\"note\">received: released to the project; gap: budget less committed.</caption>"
            f"{head}<tbody>{''.join(rows)}</tbody></table></div></section>\n")


def _project(report: Report, own: ProjectReport, number: int) -> str:
    figures = own.figures
    project = figures.project
    cur = project.currency
    ident = f"project-{number}"
    parent = f" · part of {_t(project.parent)}" if project.parent else ""
    parts = [
        (f'<section class="project" id="{ident}" data-project="{_attr(project.id)}" aria-labelledby="{ident}-h">'
         f'<h2 id="{ident}-h">{_t(project.id)} — {_t(project.title)}</h2>'
         f'<p class="note">Currency {_t(cur)}{parent}.</p>'),
        _statement(report, own),
        _parties(own, ident),
        _over_time(report, own, ident),
        _budget(own, ident),
        _tranches(report, own, ident),
        _inkind(own),
        "</section>\n",
    ]
    return "".join(parts)


def _row(label: str, cell: str, note: str = "") -> str:
    return f'<tr><th scope="row">{_t(label)}</th>{cell}<td class="note">{_t(note)}</td></tr>'


def _statement(report: Report, own: ProjectReport) -> str:
    figures = own.figures
    cur = figures.currency
    before = "the day before the window" if report.first is not None else "before the first entry"
    opening = getattr(figures, "opening_available", None)
    rows = [
        _row("opening available", _money(opening, cur, "opening_available"), f"available {before}"),
        _row("received", _money(figures.released, cur, "released"), "released to the project"),
        _row("refunded", _money(figures.refunded, cur, "refunded"), "given back to its parties"),
        _row("spent", _money(figures.spent, cur, "spent"), "its expenses"),
        _row("support cost", _money(figures.support_cost, cur, "support_cost"), "at its support cost rate"),
        (f'<tr class="total"><th scope="row">closing available</th>{_money(figures.available, cur, "available")}'
         '<td class="note">opening + received − refunded − spent − support cost</td></tr>'),
    ]
    inkind = _money(figures.inkind_valued, cur, "inkind_valued")
    unvalued = (f'<td class="num" data-figure="inkind_unvalued" data-value="{figures.inkind_unvalued}">'
                f"{figures.inkind_unvalued}</td>")
    position = [
        _row("budget", _money(figures.budget, cur, "budget"), "its own, else its sub-projects' summed"),
        _row("committed", _money(figures.committed, cur, "committed"), "in the window, net of decommitments"),
        _row("outstanding", _money(figures.outstanding, cur, "outstanding"), "committed, not yet released"),
        _row("gap", _money(figures.gap, cur, "gap"), "budget less committed"),
        _row("pledged", _money(figures.pledged, cur, "pledged"), "announced, not yet committed"),
        _row("exchange difference", _money(figures.exchange_difference, cur, "exchange_difference"),
             "committed − released − outstanding, where rates moved (above zero, a loss)"),
        _row("in kind, valued", inkind, "accrued in the window"),
        _row("in kind, unvalued", unvalued, "contributions counted, never summed"),
    ]
    return ('<h3>Statement of the window</h3><div class="table"><table class="small statement" data-report="balance">'
            f"{_head('figure', cur, 'meaning', numeric=[cur])}<tbody>{''.join(rows)}</tbody></table></div>"
            '<h3>Funding position</h3><div class="table"><table class="small position" data-report="balance">'
            f"{_head('figure', cur, 'meaning', numeric=[cur])}<tbody>{''.join(position)}</tbody></table></div>")


def _parties(own: ProjectReport, ident: str) -> str:
    figures = own.figures
    cur = figures.currency
    parties = figures.by_party
    if not parties:
        return '<h3>By party</h3><p class="note">No party has committed anything to it.</p>'
    rows = [f'<tr data-party="{_attr(party.party)}"><th scope="row">{_t(party.party)}</th>'
            f'{_money(party.committed, cur, "committed")}{_money(party.released, cur, "released")}'
            f'{_money(party.outstanding, cur, "outstanding")}</tr>' for party in parties]
    total = (f'<tfoot><tr class="total"><th scope="row">all parties</th>{_money(figures.committed, cur, "committed")}'
             f'{_money(figures.released, cur, "released")}{_money(figures.outstanding, cur, "outstanding")}</tr></tfoot>')
    table = ('<div class="table"><table class="sortable small" data-report="balance">'
             f"{_head('party', 'committed', 'released', 'outstanding', numeric=['committed', 'released', 'outstanding'])}"
             f"<tbody>{''.join(rows)}</tbody>{total}</table></div>")
    money = lambda value: format_amount(value, cur, grouping=True)
    desc = (f"Bars per party, in {cur}: committed (hollow) and released (filled). "
            + "; ".join(f"{party.party}: committed {money(party.committed)}, released {money(party.released)}"
                        for party in parties) + ".")
    chart = svg.bars(f"{ident}-parties", "Released against committed, per party", desc, f"{cur}",
                     ["committed", "released"],
                     [svg.Bar(party.party, [party.committed, party.released],
                              [money(party.committed), money(party.released)]) for party in parties])
    return f"<h3>By party: committed, released, outstanding</h3>{table}<figure>{chart}</figure>"


def _over_time(report: Report, own: ProjectReport, ident: str) -> str:
    series = own.series
    if not series.days:
        return ""
    figures = own.figures
    cur = figures.currency
    money = lambda value: format_amount(value, cur, grouping=True)
    budget = f" against the budget of {money(figures.budget)}" if figures.budget is not None else ""
    desc = (f"Lines of the cumulative released and spent, in {cur}, at the end of each month from "
            f"{series.days[0].isoformat()[:7]} to {series.days[-1].isoformat()}{budget}. On "
            f"{series.days[-1].isoformat()}: released {money(series.released[-1])}, spent {money(series.spent[-1])}.")
    window = (report.first, report.last) if report.first is not None else None
    chart = svg.lines(f"{ident}-time", "Released and spent over time, against the budget", desc, cur, series.days,
                      [svg.Line("released", series.released), svg.Line("spent", series.spent)],
                      budget=figures.budget, window=window)
    return f"<figure>{chart}</figure>"


def _budget(own: ProjectReport, ident: str) -> str:
    if not own.lines and not own.unbudgeted:
        return ""
    cur = own.figures.project.currency
    rows = []
    for index, line in enumerate(own.lines):
        over = ' class="over"' if line.exceeded else ""
        rows.append(f'<tr data-line="{index}"{over}><td>{_t(line.line.period.text)}</td>'
                    f"<td>{_t(line.line.category or ABSENT)}</td><td>{_t(line.line.cluster or ABSENT)}</td>"
                    f'{_money(line.budget, cur, "budget")}{_money(line.original, cur, "original")}'
                    f'{_money(line.spent, cur, "spent")}{_money(line.remaining, cur, "remaining")}'
                    f"{_share(line.spent, line.budget)}</tr>")
    for rest in own.unbudgeted:
        rows.append(f'<tr data-unbudgeted="{_attr(rest.period.text)}"><td>{_t(rest.period.text)}</td>'
                    f'<td>(unbudgeted)</td><td>{ABSENT}</td><td class="num">{ABSENT}</td><td class="num">{ABSENT}</td>'
                    f'{_money(rest.spent, cur, "spent")}<td class="num">{ABSENT}</td><td class="num">{ABSENT}</td></tr>')
    numeric = ["budget", "original", "spent", "remaining", "used"]
    table = ('<div class="table"><table class="sortable" data-report="budget">'
             f"{_head('period', 'category', 'cluster', *numeric, numeric=numeric)}<tbody>{''.join(rows)}</tbody>"
             "</table></div>")
    chart = _budget_chart(own.lines, cur, ident)
    return f"<h3>Budget against actual, by line</h3>{table}{chart}"


def _line_label(line: LineFigures) -> str:
    return " · ".join(part for part in (line.line.period.text, line.line.category, line.line.cluster) if part)


def _budget_chart(lines: list[LineFigures], cur: str, ident: str) -> str:
    shown = [line for line in lines if line.budget]
    if not shown:
        return ""
    money = lambda value: format_amount(value, cur, grouping=True)
    bars = []
    for line in shown:
        share = used_share(line.spent, line.budget)
        assert share is not None
        note = f"{share * 100:.1f} % ({money(line.spent)} of {money(line.budget)})" + (" over" if line.exceeded else "")
        bars.append(svg.Bar(_line_label(line), [share * 100], [note]))
    desc = ("Bars of the share of each line's budget spent, in per cent (100 % marked): "
            + "; ".join(f"{_line_label(line)}: {bar.notes[0]}" for line, bar in zip(shown, bars)) + ".")
    chart = svg.bars(f"{ident}-budget", "Budget used, per line", desc, "per cent of the line's budget spent",
                     ["used"], bars, reference=100.0, reference_label="100 %")
    # one series: draw it filled (the second style), not hollow
    chart = chart.replace(f'fill="{svg.PAPER}" stroke="{svg.INK}" stroke-width="1.5"',
                          f'fill="{svg.DARK}" stroke="{svg.INK}" stroke-width="1"')
    return f"<figure>{chart}</figure>"


def _conditions(entry_line: TrancheLine) -> str:
    if entry_line.check is None:
        return ""
    failing = [condition.name for condition in entry_line.check.failing]
    return "all hold" if not failing else "not: " + ", ".join(failing)


def _tranches(report: Report, own: ProjectReport, ident: str) -> str:
    if not own.commitments:
        return ""
    rows = []
    marks = []
    for entry in own.commitments:
        rows.append(_commitment_row(entry))
        cur = entry.currency
        for line in entry.tranches:
            tranche = line.tranche
            status = f'<td class="status-{line.status.replace(" ", "-")}">{_t(line.status)}</td>'
            rows.append(f'<tr class="child" data-tranche="{_attr(tranche.id)}"><th scope="row">{_t(tranche.id)}</th>'
                        f'<td></td>{_money(tranche.amount, cur, "amount")}'
                        f'<td class="date">{_t(tranche.due.text if tranche.due else ABSENT)}</td>'
                        f'{_money(line.released, cur, "released")}'
                        f'<td class="date">{_t(line.last_release.text if line.last_release else ABSENT)}</td>{status}'
                        f"<td>{_t(_conditions(line))}</td></tr>")
            marks.append(svg.Mark(tranche.id, (tranche.due.first, tranche.due.last) if tranche.due else None,
                                  line.last_release.last if line.last_release else None, line.status))
        if entry.unscheduled:
            rows.append(f'<tr class="child" data-unscheduled="{_attr(entry.commitment.id)}"><th scope="row">'
                        f'(unscheduled)</th><td></td>{_money(entry.unscheduled, cur, "unscheduled")}'
                        '<td></td><td></td><td></td><td></td><td></td></tr>')
    head = _head("commitment / tranche", "party", "amount", "due", "released", "released on", "status",
                 f"conditions on {report.last.isoformat()}", numeric=["amount", "released"])
    table = (f'<div class="table"><table data-report="tranches">{head}<tbody>{"".join(rows)}</tbody></table></div>'
             '<p class="note">status: released (in full); overdue (its due date ended before the day); due (the day '
             "falls within its due date); partly released; scheduled.</p>")
    chart = ""
    if marks:
        desc = ("For each tranche, its due date (planned) and the date of its latest release (actual): "
                + "; ".join(f"{mark.label}: due {_date(mark.planned[1]) if mark.planned else 'not set'}, "
                            f"released {_date(mark.actual) if mark.actual else 'not yet'} ({mark.status})"
                            for mark in marks) + ".")
        chart = "<figure>" + svg.timeline(f"{ident}-tranches", "Tranches: planned against actual", desc, marks,
                                          report.last) + "</figure>"
    return f"<h3>Tranche schedule</h3>{table}{chart}"


def _commitment_row(entry: CommitmentSchedule) -> str:
    cur = entry.currency
    return (f'<tr class="commitment" data-commitment="{_attr(entry.commitment.id)}"><th scope="row">'
            f"{_t(entry.commitment.id)}</th><td>{_t(entry.party)}</td>{_money(entry.commitment.amount, cur, 'amount')}"
            f'<td class="date">{_t(entry.commitment.date.text)}</td>{_money(entry.released, cur, "released")}<td></td><td></td>'
            f"<td></td></tr>")


def _inkind(own: ProjectReport) -> str:
    figures = own.figures
    if not own.inkind and not figures.inkind_valued and not figures.inkind_unvalued:
        return ""
    cur = figures.currency
    rows = []
    for line in own.inkind:
        contribution = line.contribution
        if contribution.value is not None:
            basis = f"value {format_amount(contribution.value, cur, grouping=True)}"
        elif contribution.monthly_value is not None:
            basis = f"{format_amount(contribution.monthly_value, cur, grouping=True)} a month"
        else:
            basis = "unvalued"
        end = contribution.end.text if contribution.end is not None else ABSENT
        accrued = _money(line.accrued, cur, "accrued") if line.accrued is not None else '<td class="num">unvalued</td>'
        rows.append(f'<tr data-inkind="{_attr(contribution.id)}"><th scope="row">{_t(contribution.id)}</th>'
                    f"<td>{_t(line.party)}</td><td>{_t(contribution.description)}</td><td>{_t(contribution.nature)}</td>"
                    f'<td class="date">{_t(contribution.start.text)} – {_t(end)}</td><td>{_t(basis)}</td>{accrued}</tr>')
    total = (f'<tfoot><tr class="total"><th scope="row" colspan="6">in kind valued, sub-projects included</th>'
             f'{_money(figures.inkind_valued, cur, "inkind_valued")}</tr></tfoot>')
    head = _head("contribution", "party", "description", "nature", "from – to", "basis", "accrued",
                 numeric=["accrued"])
    return (f'<h3>In kind</h3><div class="table"><table data-report="inkind">{head}<tbody>{"".join(rows)}</tbody>'
            f"{total}</table></div>")
