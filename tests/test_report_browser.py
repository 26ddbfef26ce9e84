"""The report in a real browser: headless Chromium (Debian's `chromium`) opens the page from the file, and
must log nothing to its console, ask for nothing but the file itself, show every figure of
`balance --json` where the page says it is, and print it to PDF, a page per project at least.

Chromium is driven from its command line (`--dump-dom`, `--screenshot`, `--print-to-pdf`, with its
console on standard error and its network log in a file): no Python dependency. The screenshot, the PDF
and the page are kept in tests/artifacts/ (git-ignored) for a person to look at. Where Chromium is not
installed the tests skip, saying so; `.ci/run` installs it where apt-get can.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_report import SHIPPED, TRUST_FUND, Page, _json, _write, assert_page_equals_json

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no headless Chromium to open the report in (Debian: apt-get install chromium; "
                             ".ci/run installs it where apt-get can)")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# A browser that starts nothing of its own over the network, and resolves no name at all.
FLAGS = [
    "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
    "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter,SpellCheck,DialMediaRouteProvider",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
    *(["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),  # root (a CI container)
]


class Opened:
    def __init__(self, stdout: str, console: list[str], requests: list[str]) -> None:
        self.stdout, self.console, self.requests = stdout, console, requests


def open_in_chromium(page: Path, work: Path, *action: str) -> Opened:
    """Chromium's answer to the action on the page: what it printed, its console's messages, and the URLs
    the page asked for (the browser's own requests, which a page cannot make, left out)."""
    net_log = work / f"net-{len(list(work.glob('net-*')))}.json"
    profile = work / "profile"
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--log-net-log={net_log}", *action,
                             page.as_uri()], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    events = json.loads(net_log.read_text(encoding="utf-8"))
    start_job = events["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requests = [event["params"]["url"] for event in events["events"] if event["type"] == start_job
                and "url" in event.get("params", {}) and event["params"].get("initiator") != "not an origin"]
    return Opened(result.stdout, console, requests)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def test_the_harness_sees_a_console_message_and_a_request(tmp_path):
    """The checks below can fail: a console message and a request for an image are seen."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><img src="https://example.invalid/x.png">'
                    '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    opened = open_in_chromium(page, tmp_path, "--dump-dom")
    assert any('"boom"' in line for line in opened.console)
    assert "https://example.invalid/x.png" in opened.requests


def test_the_report_opens_with_no_console_message_no_request_and_every_figure(ledger, tmp_path, artifacts):
    _write(ledger)
    result = ledger.run("report", "--as-of", "2005-12-31", "-o", "report.html")
    assert result.exit_code == 0, result.stderr
    page = ledger.root / "report.html"
    opened = open_in_chromium(page, tmp_path, "--dump-dom")
    assert opened.console == []  # no error, no blocked load, nothing at all
    assert opened.requests == []
    dom = Page(opened.stdout)  # the page as the browser built it, its script run
    balance = _json(ledger, "balance", "--by-party", "--as-of", "2005-12-31")
    budget = _json(ledger, "budget", "--as-of", "2005-12-31")
    tranches = _json(ledger, "tranches", "--as-of", "2005-12-31")
    assert assert_page_equals_json(dom, balance, budget, tranches) > 60
    assert any(tag == "button" for tag, _ in dom.elements)  # the script ran: the sortable headers have buttons
    assert not any(name in ("src", "href") and not value.startswith("#")
                   for _, attrs in dom.elements for name, value in attrs.items())


@pytest.mark.parametrize("name, paths, as_of", [("shipped", [SHIPPED], "2026-01-31"),
                                                ("trust-fund", [TRUST_FUND], "2006-06-30")])
def test_a_screenshot_and_a_pdf_of_the_report(ledger, tmp_path, artifacts, name, paths, as_of):
    result = ledger.run("report", *map(str, paths), "--as-of", as_of, "-o", "report.html", "--no-cache")
    assert result.exit_code == 0, result.stderr
    page = artifacts / f"report-{name}.html"
    shutil.copyfile(ledger.root / "report.html", page)
    screenshot, pdf = artifacts / f"report-{name}.png", artifacts / f"report-{name}.pdf"
    for stale in (screenshot, pdf):
        stale.unlink(missing_ok=True)
    opened = open_in_chromium(page, tmp_path, f"--screenshot={screenshot}", "--window-size=1100,1600")
    assert opened.console == [] and opened.requests == []
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    opened = open_in_chromium(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert opened.console == []
    printed = pdf.read_bytes()
    assert printed.startswith(b"%PDF-")
    projects = len(_json(ledger, "balance", *map(str, paths), "--as-of", as_of)["projects"])
    pages = printed.count(b"/Type /Page\n") + printed.count(b"/Type /Page>") + printed.count(b"/Type /Page/")
    assert pages > projects  # the summary, then each project from a new page


def test_its_script_sorts_a_table_by_the_exact_figures(ledger, tmp_path):
    """A click on a header (made by a second script, allowed in a copy of the page by its hash) sorts the
    rows by the column's figures; the script logs nothing."""
    import base64
    import hashlib

    from cndledger.render.html import POLICY

    _write(ledger)
    result = ledger.run("report", "--as-of", "2005-12-31", "-o", "report.html")
    assert result.exit_code == 0, result.stderr
    click = ('var t = document.querySelector("table[data-report=balance].sortable");'
             'var b = t.tHead.rows[0].cells[3].querySelector("button"); b.click();'
             'document.body.setAttribute("data-sorted", Array.prototype.map.call(t.tBodies[0].rows,'
             ' function (r) { return r.getAttribute("data-project"); }).join(" "));')
    digest = base64.b64encode(hashlib.sha256(click.encode()).digest()).decode()
    text = (ledger.root / "report.html").read_text(encoding="utf-8")
    text = text.replace(POLICY, POLICY.replace("script-src ", f"script-src 'sha256-{digest}' "))
    text = text.replace("</body>", f"<script>{click}</script></body>")
    page = tmp_path / "clicked.html"
    page.write_text(text, encoding="utf-8")
    opened = open_in_chromium(page, tmp_path, "--dump-dom")
    assert opened.console == []
    sorted_by = next(attrs["data-sorted"] for tag, attrs in Page(opened.stdout).elements if tag == "body")
    # committed, ascending: PROG and P2 95,000.10 (in tree order, P1 first, before the click), then P1 300,000.00
    assert sorted_by.split()[-1] == "P1" and sorted(sorted_by.split()[:-1]) == ["P2", "PROG"]
