"""`cndledger iati import`: real published files into ledgers that `check` accepts, with each activity's
money preserved by transaction type; and each rule of the mapping on a small file written here.

The expected figures of the real files are summed straight from the XML with lxml (not with the
reader the import uses): per activity and transaction type, every transaction but those the import
reports at their line as not carried, rolled up the activity tree of the XML's related-activity.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

etree = pytest.importorskip("lxml.etree", reason="the IATI import needs lxml: pip install 'cndledger[iati]'")

DATA = Path(__file__).parent / "data" / "iati" / "samples"
REAL = sorted(DATA.glob("*.xml"))
LETTERS = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7", "QP": "8", "QS": "9", "CG": "10"}
FAR = "2100-12-31"  # every entry counts by then
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<severity>error|warning)\[(?P<code>[a-z-]+)\]: (?P<message>.*)$")


def problems(stderr: str) -> list[dict[str, str]]:
    return [match.groupdict() for line in stderr.splitlines() if (match := PROBLEM.match(line))]


def xml_figures(path: Path, left_out: set[int]) -> tuple[dict[str, dict[str, Decimal]], dict[str, str]]:
    """Per activity: committed, released, refunded, spent, pledged, summed from the XML; and each
    activity's parent (its related-activity of type 1, where that activity is in the file)."""
    tree = etree.parse(str(path))
    figures: dict[str, dict[str, Decimal]] = {}
    related: dict[str, str] = {}
    for activity in tree.iterfind("iati-activity"):
        identifier = activity.findtext("iati-identifier").strip()
        sums = figures.setdefault(identifier, defaultdict(Decimal))
        parents = activity.xpath("related-activity[@type='1']/@ref")
        if parents:
            related[identifier] = parents[0].strip()
        for transaction in activity.iterfind("transaction"):
            if transaction.sourceline in left_out:
                continue
            code = transaction.find("transaction-type").get("code").strip()
            code = LETTERS.get(code.upper(), code)
            value = Decimal(transaction.findtext("value").strip())
            if code in ("11", "2"):
                sums["committed"] += value
            elif code in ("1", "3"):
                sums["released" if value > 0 else "refunded"] += abs(value)
            elif code == "4":
                sums["spent"] += value
            elif code in ("12", "13"):
                sums["pledged"] += value
    parents = {child: parent for child, parent in related.items() if parent in figures and parent != child}
    return figures, parents


def rolled_up(own: dict[str, dict[str, Decimal]], parents: dict[str, str]) -> dict[str, dict[str, Decimal]]:
    total = {identifier: defaultdict(Decimal, sums) for identifier, sums in own.items()}
    for identifier, sums in own.items():
        above = parents.get(identifier)
        while above is not None:
            for figure, amount in sums.items():
                total[above][figure] += amount
            above = parents.get(above)
    return total


def ledger_toml(folder: Path) -> dict[str, list[dict]]:
    entries: dict[str, list[dict]] = defaultdict(list)
    for file in sorted(folder.glob("*.toml")):
        for kind, tables in tomllib.loads(file.read_text(encoding="utf-8")).items():
            entries[kind] += tables
    return entries


@pytest.mark.parametrize("path", REAL, ids=[path.stem for path in REAL])
def test_a_real_file_imports_into_a_ledger_that_check_accepts_with_its_money_by_type(ledger, path):
    result = ledger.run("iati", "import", str(path), "--to", "imported")
    assert result.exit_code in (0, 1), result.stderr
    reported = problems(result.stderr)
    assert reported and all(problem["file"] == str(path) for problem in reported)
    # Exit 1 only where the reader could not read an element (TI: a budget without a period).
    assert (result.exit_code == 1) == any(problem["severity"] == "error" for problem in reported)
    assert {problem["code"] for problem in reported if problem["severity"] == "error"} <= {"iati-left-out"}
    if result.exit_code == 1:
        assert "of the files could not be read, and is left out (iati-left-out, listed above)" in result.stdout
    assert re.search(r"^transactions: \d+ read, \d+ written", result.stdout, re.MULTILINE)

    check = ledger.run("check", "--format", "json", "imported")
    assert check.exit_code == 0, check.stdout
    # Only warnings, of the codes the import documents (docs/iati-import.md): the file's own story.
    assert {problem["code"] for problem in check.json()["problems"]} <= {
        "overspent", "tranche-overdue", "budget-line-exceeded"}
    assert f"cndledger check imported: 0 errors, {len(check.json()['problems'])} warning" in result.stdout

    not_carried = {int(problem["line"]) for problem in reported
                   if problem["code"] in ("iati-not-carried", "iati-needs-rate")}
    own, parents = xml_figures(path, not_carried)
    entries = ledger_toml(ledger.root / "imported")
    projects = {project["id"]: project for project in entries["project"]}
    assert set(projects) == set(own)
    assert {identifier: project.get("parent") for identifier, project in projects.items()} == \
        {identifier: parents.get(identifier) for identifier in own}
    assert all(project["iati_identifier"] == identifier for identifier, project in projects.items())
    # Implied commitments: each reported at the XML line of its disbursement, and added to committed.
    implied = [commitment for commitment in entries["commitment"] if "-IMPLIED" in commitment["id"]]
    implied_messages = [problem["message"] for problem in reported if problem["code"] == "iati-implied-commitment"]
    assert len(implied) == len(implied_messages)
    for commitment in implied:
        assert commitment["note"].startswith("Implied by the import")
        assert any(f"'{commitment['id']}'" in message for message in implied_messages)
        own[commitment["project"]]["committed"] += Decimal(str(commitment["amount"]))
    expected = rolled_up(own, parents)

    balance = ledger.run("balance", "--json", "--as-of", FAR, "imported")
    assert balance.exit_code == 0, balance.stderr
    for project in balance.json()["projects"]:
        sums = expected[project["id"]]
        for figure in ("committed", "released", "refunded", "spent", "pledged"):
            assert Decimal(project[figure]) == sums[figure], (project["id"], figure)


def test_every_transaction_is_written_skipped_or_reported(ledger):
    path = DATA / "WORLDBANK_44000_ANGOLA_1.01.xml"
    result = ledger.run("iati", "import", str(path), "--to", "imported")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "transactions: 56 read, 12 written (1 commitments, 11 releases)" in lines
    assert ("  44 skipped: 21 type 5 (interest payment); 15 type 6 (loan repayment); 4 decommitment beyond what "
            "remains committed; 4 refund beyond what was released") in lines
    reported = problems(result.stderr)
    assert sum(problem["code"] == "iati-not-carried" for problem in reported) == 44
    assert any(problem["line"] == "993" and "a decommitment (negative commitment) of 2,649,999.00 USD" in
               problem["message"] for problem in reported)


# ------------------------------------------------------------------------------------------ small files

def activity(body: str, *, identifier: str = "XM-TEST-1", currency: str = "USD", extra: str = "") -> str:
    return (f'  <iati-activity default-currency="{currency}"{extra}>\n'
            f"    <iati-identifier>{identifier}</iati-identifier>\n"
            '    <reporting-org ref="XM-TEST" type="10"><narrative>Test donor</narrative></reporting-org>\n'
            f"    <title><narrative>A test activity</narrative></title>\n{body}  </iati-activity>\n")


def document(*activities: str, version: str = "2.03") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n' + \
        "".join(activities) + "</iati-activities>\n"


def transaction(code: str, value: str, day: str, currency: str | None = None, provider: str | None = None) -> str:
    own = f' currency="{currency}"' if currency else ""
    org = f'      <provider-org ref="{provider}"><narrative>{provider}</narrative></provider-org>\n' if provider else ""
    return (f"    <transaction>\n      <transaction-type code=\"{code}\"/>\n"
            f"      <transaction-date iso-date=\"{day}\"/>\n{org}"
            f"      <value value-date=\"{day}\"{own}>{value}</value>\n    </transaction>\n")


def imported(ledger, text: str, *args: str, name: str = "activities.xml"):
    ledger.write(name, text)
    result = ledger.run("iati", "import", name, "--to", "out", *args)
    return result, problems(result.stderr)


def figures(ledger, project: str = "XM-TEST-1") -> dict:
    balance = ledger.run("balance", "--json", "--as-of", FAR, "out")
    assert balance.exit_code == 0, balance.stderr
    return next(item for item in balance.json()["projects"] if item["id"] == project)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


def test_negative_values_are_decommitments_refunds_and_credits(ledger):
    text = document(activity(
        transaction("2", "1000", "2020-01-10") + transaction("3", "600", "2020-02-10")
        + transaction("3", "-100", "2020-03-10") + transaction("2", "-200", "2020-04-10")
        + transaction("4", "300", "2020-05-10") + transaction("4", "-50", "2020-06-10")))
    result, reported = imported(ledger, text)
    assert result.exit_code == 0, result.stderr
    assert reported == []
    assert "transactions: 6 read, 6 written (1 commitments, 1 decommitments, 1 releases, 1 refunds, 1 expenses, " \
           "1 credits (negative expenses))" in result.stdout
    assert ledger.run("check", "--strict", "out").exit_code == 0
    project = figures(ledger)
    assert (project["committed"], project["released"], project["refunded"], project["spent"]) == \
        ("800.00", "600.00", "100.00", "250.00")
    entries = ledger_toml(ledger.root / "out")
    assert entries["decommitment"] == [{"commitment": "XM-TEST-1-C1", "date": datetime.date(2020, 4, 10),
                                        "amount": 200}]
    assert entries["expense"][1]["amount"] == -50


def test_zero_values_are_skipped_and_counted(ledger):
    text = document(activity(transaction("2", "0", "2020-01-10") + transaction("2", "500", "2020-01-10")
                             + transaction("3", "0.00", "2020-02-10") + transaction("4", "0", "2020-02-10")))
    result, reported = imported(ledger, text)
    assert result.exit_code == 0
    assert reported == []
    assert "transactions: 4 read, 1 written (1 commitments)" in result.stdout
    assert "  3 skipped: 3 of value zero" in result.stdout.splitlines()
    assert figures(ledger)["committed"] == "500.00"


def test_a_1x_file_with_letter_codes(ledger):
    body = (transaction("C", "1000", "2010-01-10") + transaction("D", "400", "2010-02-10")
            + transaction("E", "150", "2010-03-10") + transaction("IR", "20", "2010-03-10"))
    text = document(activity(body.replace("<narrative>", "").replace("</narrative>", ""), currency="GBP")
                    .replace("<narrative>", "").replace("</narrative>", ""), version="1.03")
    result, reported = imported(ledger, text)
    assert result.exit_code == 0, result.stderr
    assert [(problem["code"], problem["line"]) for problem in reported] == \
        [("iati-not-carried", str(line_of(text, 'code="IR"') - 1))]
    assert "a transaction of type IR (interest payment): the ledger has no table for it" in reported[0]["message"]
    project = figures(ledger)
    assert (project["currency"], project["committed"], project["released"], project["spent"]) == \
        ("GBP", "1000.00", "400.00", "150.00")
    entries = ledger_toml(ledger.root / "out")
    assert entries["party"] == [{"id": "XM-TEST", "name": "Test donor", "iati_ref": "XM-TEST"}]
    assert entries["project"][0]["title"] == "A test activity"


def test_a_disbursement_without_a_commitment_is_reported_at_its_line_with_an_implied_commitment(ledger):
    text = document(activity(transaction("2", "300", "2020-01-10") + transaction("3", "500", "2020-02-10")))
    result, reported = imported(ledger, text)
    assert result.exit_code == 0
    line = line_of(text, 'code="3"') - 1
    assert reported == [{
        "file": "activities.xml", "line": str(line), "severity": "warning", "code": "iati-implied-commitment",
        "message": "a disbursement of 500.00 USD with no commitment of 'XM-TEST' before it for 200.00 USD: written "
                   "against the implied commitment 'XM-TEST-1-IMPLIED1'"}]
    assert f"  {line} | <transaction>" in result.stderr
    assert "1 implied commitment written for disbursements with no commitment before them (200.00 USD)" in result.stdout
    entries = ledger_toml(ledger.root / "out")
    assert [release["commitment"] for release in entries["release"]] == ["XM-TEST-1-C1", "XM-TEST-1-IMPLIED1"]
    assert entries["commitment"][1]["note"].startswith(f"Implied by the import: the disbursement at activities.xml:{line}")
    assert ledger.run("check", "--strict", "out").exit_code == 0
    assert (figures(ledger)["committed"], figures(ledger)["released"]) == ("500.00", "500.00")


def test_a_refund_beyond_what_was_released_is_reported_and_left_out(ledger):
    text = document(activity(transaction("2", "300", "2020-01-10") + transaction("3", "-50", "2020-02-10")))
    result, reported = imported(ledger, text)
    assert [(problem["code"], problem["line"]) for problem in reported] == \
        [("iati-not-carried", str(line_of(text, 'code="3"') - 1))]
    assert "  1 skipped: 1 refund beyond what was released" in result.stdout.splitlines()
    assert figures(ledger)["refunded"] == "0.00"


def test_a_file_that_is_not_well_formed_is_located_and_nothing_is_written(ledger):
    text = document(activity(transaction("2", "300", "2020-01-10"))).replace("</iati-activities>\n", "")
    result, reported = imported(ledger, text, name="bad.xml")
    assert result.exit_code == 1
    assert [(problem["file"], problem["severity"], problem["code"]) for problem in reported] == \
        [("bad.xml", "error", "iati-unreadable")]
    assert reported[0]["message"].startswith("not well-formed XML")
    assert not (ledger.root / "out").exists()
    assert "nothing written" in result.stdout


def test_an_element_that_cannot_be_read_is_located_and_the_rest_written(ledger):
    text = document(activity(transaction("2", "300", "2020-01-10") + transaction("3", "twelve", "2020-02-10")))
    result, reported = imported(ledger, text)
    assert result.exit_code == 1
    assert [(problem["line"], problem["code"]) for problem in reported] == \
        [(str(line_of(text, ">twelve<")), "iati-left-out")]
    assert figures(ledger)["committed"] == "300.00"


def test_a_file_that_is_not_there_or_a_target_that_is_not_empty_is_bad_usage(ledger):
    assert ledger.run("iati", "import", "missing.xml", "--to", "out").exit_code == 2
    text = document(activity(transaction("2", "300", "2020-01-10")))
    assert imported(ledger, text)[0].exit_code == 0
    again = ledger.run("iati", "import", "activities.xml", "--to", "out")
    assert again.exit_code == 2
    assert "--to 'out' is not empty (activities.toml, parties.toml): give a new or empty folder, or --force" in again.stderr
    forced = ledger.run("iati", "import", "activities.xml", "--to", "out", "--force")
    assert forced.exit_code == 0
    assert "overwritten (--force): out/parties.toml, out/activities.toml" in forced.stdout
    assert ledger.run("iati", "import", "--to", "out2").exit_code == 2  # no file


def test_budgets_become_budget_lines_with_their_period_labels_and_revisions(ledger):
    def budget(start: str, end: str, value: str, type_: str = "1", value_date: str | None = None) -> str:
        return (f'    <budget type="{type_}">\n      <period-start iso-date="{start}"/>\n'
                f'      <period-end iso-date="{end}"/>\n      <value value-date="{value_date or start}">{value}</value>\n'
                "    </budget>\n")
    years = document(activity(
        budget("2020-01-01", "2020-12-31", "1000") + budget("2020-01-01", "2020-12-31", "1200", "2", "2020-06-30")
        + budget("2021-01-01", "2021-03-31", "300") + budget("2021-04-01", "2021-04-30", "100")
        + budget("2021-05-01", "2021-05-20", "50") + budget("2021-02-01", "2021-02-28", "10")))
    result, reported = imported(ledger, years)
    assert result.exit_code == 0, result.stderr
    assert [(problem["code"], problem["line"]) for problem in reported] == [
        ("iati-period-widened", str(line_of(years, "2021-05-01") - 1)),
        ("iati-not-carried", str(line_of(years, "2021-02-01") - 1))]
    assert "written for 2021-05, the smallest that holds it" in reported[0]["message"]
    assert "(2021-02) overlaps the budget line for 2021-Q1 without being equal to it" in reported[1]["message"]
    lines = [(line["period"], line["amount"], line.get("revision")) for line in ledger_toml(ledger.root / "out")["budget"]]
    assert [(period, amount, str(revision) if revision else None) for period, amount, revision in lines] == [
        ("2020", 1000, None), ("2020", 1200, "2020-06-30"), ("2021-Q1", 300, None), ("2021-04", 100, None),
        ("2021-05", 50, None)]
    assert "budgets: 6 read, 5 budget lines written; planned disbursements: 0 read, 0 written as 0 tranches" \
        in result.stdout.splitlines()
    assert ledger.run("check", "--strict", "out").exit_code == 0
    report = ledger.run("budget", "--json", "--as-of", FAR, "out").json()
    assert [line["budget"] for line in report["lines"]] == ["1200.00", "300.00", "100.00", "50.00"]


def test_fiscal_year_budgets_give_the_project_its_fiscal_year(ledger):
    def budget(start: str, end: str, value: str) -> str:
        return (f'    <budget type="1">\n      <period-start iso-date="{start}"/>\n'
                f'      <period-end iso-date="{end}"/>\n      <value value-date="{start}">{value}</value>\n    </budget>\n')
    text = document(activity(budget("2010-04-01", "2011-03-31", "500") + budget("2011-04-01", "2012-03-31", "700"),
                             currency="GBP"))
    result, reported = imported(ledger, text)
    assert result.exit_code == 0
    assert reported == []
    entries = ledger_toml(ledger.root / "out")
    assert entries["project"][0]["fiscal_year_start"] == 4
    assert [line["period"] for line in entries["budget"]] == ["FY2010-11", "FY2011-12"]
    assert ledger.run("check", "--strict", "out").exit_code == 0


def test_planned_disbursements_become_tranches_of_the_commitment(ledger):
    planned = ('    <planned-disbursement type="1">\n      <period-start iso-date="2020-01-01"/>\n'
               '      <period-end iso-date="2020-06-30"/>\n      <value value-date="2020-01-01">400</value>\n'
               "    </planned-disbursement>\n")
    text = document(activity(transaction("2", "1000", "2019-12-01") + planned + planned.replace("400", "900")
                             .replace("2020-01-01", "2020-07-01").replace("2020-06-30", "2020-12-31")))
    result, reported = imported(ledger, text)
    assert "planned disbursements: 2 read, 1 written as 1 tranche" in result.stdout
    assert [(problem["code"], problem["line"]) for problem in reported] == \
        [("iati-not-carried", str(line_of(text, "<planned-disbursement", 2)))]
    assert "the commitments of 'XM-TEST' to the activity have 600.00 USD left for tranches" in reported[0]["message"]
    tranches = ledger_toml(ledger.root / "out")["tranche"]
    assert [(tranche["id"], tranche["commitment"], tranche["amount"], str(tranche["due"])) for tranche in tranches] == \
        [("XM-TEST-1-T1", "XM-TEST-1-C1", 400, "2020-06-30")]
    assert ledger.run("check", "--as-of", "2020-01-15", "--strict", "out").exit_code == 0


def test_disbursements_release_the_tranches_of_their_commitment_in_order(ledger):
    planned = ('    <planned-disbursement type="1">\n      <period-start iso-date="2020-01-01"/>\n'
               '      <period-end iso-date="2020-06-30"/>\n      <value value-date="2020-01-01">400</value>\n'
               "    </planned-disbursement>\n")
    text = document(activity(transaction("2", "1000", "2019-12-01") + planned
                             + transaction("3", "500", "2020-05-10")))
    result, reported = imported(ledger, text)
    assert result.exit_code == 0 and reported == []
    releases = ledger_toml(ledger.root / "out")["release"]
    line = line_of(text, 'code="3"') - 1
    assert releases == [
        {"commitment": "XM-TEST-1-C1", "date": datetime.date(2020, 5, 10), "amount": 400,
         "tranche": "XM-TEST-1-T1", "note": f"Part 1 of 2 of the disbursement at activities.xml:{line}."},
        {"commitment": "XM-TEST-1-C1", "date": datetime.date(2020, 5, 10), "amount": 100,
         "note": f"Part 2 of 2 of the disbursement at activities.xml:{line}."}]
    assert "transactions: 2 read, 2 written (1 commitments, 1 releases)" in result.stdout
    assert ledger.run("check", "--strict", "out").exit_code == 0  # no tranche-overdue: the tranche is released


def test_a_value_in_another_currency_no_rate_converts_is_left_out_and_reported(ledger):
    text = _eur_activity_with_usd()  # a USD expense in a EUR activity, and no --rates
    result, reported = imported(ledger, text)
    assert result.exit_code == 0
    assert [(problem["code"], problem["line"]) for problem in reported] == \
        [("iati-needs-rate", str(line_of(text, 'code="4"') - 1))]
    assert reported[0]["message"] == (
        "the transaction of type 4 (expenditure) is in USD and its activity 'XM-TEST-1' is in EUR: left out, as no "
        "rate converts it; --rates FILE.csv with a rate from USD to EUR dated on or before 2020-03-10 would carry it")
    assert "transactions: 3 read, 2 written (1 commitments, 1 releases)" in result.stdout
    assert "  1 skipped: 1 in a currency no rate given converts (--rates)" in result.stdout.splitlines()
    assert "rates: no rate converts from USD to EUR (the files carry none)" in result.stdout
    assert "cndledger check out: 0 errors, 0 warnings" in result.stdout
    entries = ledger_toml(ledger.root / "out")
    assert "expense" not in entries and "USD" not in (ledger.root / "out" / "activities.toml").read_text()
    assert entries["commitment"][0]["party"] == "XM-FUNDER"
    assert ledger.run("check", "--strict", "out").exit_code == 0
    project = figures(ledger)  # balance runs: the figures are the file's, less the expense left out
    assert (project["committed"], project["released"], project["spent"]) == ("1000.00", "400.00", "0.00")


def test_a_commitment_no_rate_converts_is_left_out_with_its_releases(ledger):
    text = document(activity(transaction("2", "1000", "2020-01-10", currency="EUR")
                             + transaction("3", "400", "2020-02-10", currency="EUR")
                             + transaction("3", "-100", "2020-03-10", currency="EUR")
                             + transaction("2", "-200", "2020-04-10", currency="EUR")
                             + transaction("4", "10", "2020-02-11")))  # in USD, the default: the project's
    result, reported = imported(ledger, text)
    assert result.exit_code == 0
    commitment = line_of(text, 'code="2"') - 1
    assert [(problem["code"], problem["line"]) for problem in reported] == [
        ("iati-needs-rate", str(commitment)), ("iati-needs-rate", str(line_of(text, 'code="3"') - 1)),
        ("iati-needs-rate", str(line_of(text, 'code="3"', 2) - 1)),
        ("iati-needs-rate", str(line_of(text, 'code="2"', 2) - 1))]
    assert reported[1]["message"] == (
        f"the disbursement is against the commitment at line {commitment}, in EUR, which no rate given converts: "
        "left out with it (--rates FILE.csv with a rate for that commitment's day would carry both)")
    assert "transactions: 5 read, 1 written (1 expenses)" in result.stdout
    assert "  4 skipped: 4 in a currency no rate given converts (--rates)" in result.stdout.splitlines()
    entries = ledger_toml(ledger.root / "out")
    assert set(entries) == {"party", "project", "expense"}  # no implied commitment in EUR
    assert entries["project"][0]["currency"] == "USD"
    check = ledger.run("check", "--format", "json", "out")  # the expense with nothing released: the file's story
    assert check.exit_code == 0 and [problem["code"] for problem in check.json()["problems"]] == ["overspent"]


def test_a_rate_after_a_commitment_leaves_it_out_with_its_later_releases(ledger):
    ledger.write("rates.csv", "date,from,to,rate\n2020-02-01,EUR,USD,1.1\n")
    text = document(activity(transaction("2", "400", "2020-01-10", currency="EUR")
                             + transaction("3", "400", "2020-02-10", currency="EUR")
                             + transaction("2", "500", "2020-03-01", currency="EUR")
                             + transaction("3", "800", "2020-03-10", currency="EUR")
                             + transaction("4", "10", "2020-03-11")))
    result, reported = imported(ledger, text, "--rates", "rates.csv")
    assert result.exit_code == 0
    # The first commitment has no rate on its day; its disbursement (on a day with a rate) goes with it, not to
    # an implied commitment. The second converts: the disbursement of 800 after it is written, 300 of it against
    # an implied commitment.
    assert [(problem["code"], problem["line"]) for problem in reported] == [
        ("iati-needs-rate", str(line_of(text, 'code="2"') - 1)), ("iati-needs-rate", str(line_of(text, 'code="3"') - 1)),
        ("iati-implied-commitment", str(line_of(text, 'code="3"', 2) - 1))]
    assert "the rates given have none of the pair on or before its day" in reported[0]["message"]
    entries = ledger_toml(ledger.root / "out")
    assert [(commitment["id"], str(commitment["date"]), commitment["amount"]) for commitment in entries["commitment"]] \
        == [("XM-TEST-1-C1", "2020-03-01", 500), ("XM-TEST-1-IMPLIED1", "2020-03-10", 300)]
    assert "transactions: 5 read, 3 written (1 commitments, 1 releases, 1 expenses)" in result.stdout
    assert "  2 skipped: 2 in a currency no rate given converts (--rates)" in result.stdout.splitlines()
    assert ledger.run("check", "--strict", "out").exit_code == 0
    project = figures(ledger)
    assert (project["committed"], project["released"]) == ("880.00", "880.00")  # 500 + 300 EUR at 1.1


def test_a_child_in_another_currency_than_its_parent_and_no_rate_is_a_root(ledger):
    child = activity(transaction("2", "100", "2020-01-10"), identifier="XM-TEST-1-A").replace(
        "    <title>", '    <related-activity ref="XM-TEST-1" type="1"/>\n    <title>')
    parent = activity(transaction("2", "200", "2020-01-10", currency="EUR"), currency="EUR").replace(
        "    <title>", '    <related-activity ref="XM-TEST-1-A" type="2"/>\n    <title>')
    text = document(parent, child)
    result, reported = imported(ledger, text)
    assert result.exit_code == 0
    assert [(problem["code"], problem["line"]) for problem in reported] == \
        [("iati-needs-rate", str(line_of(text, 'ref="XM-TEST-1" type="1"')))]  # said once, of type 1 and 2
    assert reported[0]["message"] == (
        "activity 'XM-TEST-1-A' is in USD and its parent 'XM-TEST-1' in EUR: written as a root project (no parent), "
        "as its figures would count in the parent's at a rate; --rates FILE.csv with a rate between USD and EUR "
        "would link it")
    assert "transactions: 2 read, 2 written (2 commitments)" in result.stdout
    projects = {project["id"]: project.get("parent") for project in ledger_toml(ledger.root / "out")["project"]}
    assert projects == {"XM-TEST-1": None, "XM-TEST-1-A": None}
    assert ledger.run("check", "--strict", "out").exit_code == 0
    assert figures(ledger)["committed"] == "200.00"

    ledger.write("rates.csv", "date,from,to,rate\n2019-01-01,USD,EUR,0.9\n")
    result, reported = imported(ledger, text, "--rates", "rates.csv", "--force")
    assert result.exit_code == 0 and reported == []
    projects = {project["id"]: project.get("parent") for project in ledger_toml(ledger.root / "out")["project"]}
    assert projects == {"XM-TEST-1": None, "XM-TEST-1-A": "XM-TEST-1"}
    assert figures(ledger)["committed"] == "290.00"  # its child's 100 USD at 0.9


def test_amounts_finer_than_the_minor_unit_are_rounded_half_away_from_zero(ledger):
    text = document(activity(transaction("2", "10.005", "2020-01-10") + transaction("4", "5.125", "2020-01-11")
                             + transaction("4", "-2.125", "2020-01-12")))
    result, reported = imported(ledger, text)
    assert [problem["code"] for problem in reported] == ["iati-rounded"] * 3
    assert "written as 10.01" in reported[0]["message"] and "written as -2.13" in reported[2]["message"]
    assert "  3 amounts rounded to the currency's minor unit" in result.stdout.splitlines()
    assert (figures(ledger)["committed"], figures(ledger)["spent"]) == ("10.01", "3.00")


def test_reporting_org_keeps_only_its_activities_and_the_tree_comes_from_related_activity(ledger):
    child = activity(transaction("2", "100", "2020-01-10"), identifier="XM-TEST-1-A").replace(
        "    <title>", '    <related-activity ref="XM-TEST-1" type="1"/>\n    <title>')
    other = activity(transaction("2", "50", "2020-01-10"), identifier="XM-OTHER-9").replace(
        'ref="XM-TEST"', 'ref="XM-OTHER"')
    text = document(activity(transaction("2", "200", "2020-01-10")), child, other)
    result, reported = imported(ledger, text, "--reporting-org", "XM-TEST")
    assert result.exit_code == 0
    assert reported == []
    assert "imported 2 activities from 1 file" in result.stdout
    assert "  skipped 1 activity of other reporting organisations (--reporting-org)" in result.stdout.splitlines()
    assert "transactions: 2 read, 2 written (2 commitments)" in result.stdout
    projects = {project["id"]: project.get("parent") for project in ledger_toml(ledger.root / "out")["project"]}
    assert projects == {"XM-TEST-1": None, "XM-TEST-1-A": "XM-TEST-1"}
    assert figures(ledger)["committed"] == "300.00"  # the parent's figures include its child's


def test_pledges_and_incoming_funds_name_their_funder(ledger):
    funder = ('    <participating-org ref="XM-FUNDER" role="1"><narrative>A funder</narrative></participating-org>\n'
              '    <participating-org ref="XM-DOER" role="4"><narrative>An agency</narrative></participating-org>\n')
    text = document(activity(funder + transaction("13", "900", "2020-01-05") + transaction("12", "100", "2020-01-06")
                             + transaction("13", "-50", "2020-01-07") + transaction("11", "700", "2020-01-10")
                             + transaction("1", "700", "2020-02-10")))
    result, reported = imported(ledger, text)
    assert "transactions: 5 read, 4 written (1 commitments, 1 releases, 2 pledges)" in result.stdout
    assert [(problem["code"], problem["line"]) for problem in reported] == \
        [("iati-not-carried", str(line_of(text, 'code="13"', 2) - 1))]
    assert "a pledge cannot be negative" in reported[0]["message"]
    entries = ledger_toml(ledger.root / "out")
    assert [(pledge["id"], pledge["party"], pledge["amount"]) for pledge in entries["pledge"]] == \
        [("XM-TEST-1-P1", "XM-FUNDER", 900), ("XM-TEST-1-P2", "XM-TEST", 100)]
    assert entries["commitment"][0]["party"] == "XM-FUNDER"
    assert entries["project"][0]["executing"] == "XM-DOER"
    assert [party["id"] for party in entries["party"]] == ["XM-TEST", "XM-FUNDER", "XM-DOER"]
    project = figures(ledger)
    assert (project["pledged"], project["committed"], project["released"]) == ("1000.00", "700.00", "700.00")
    assert ledger.run("check", "--strict", "out").exit_code == 0


def test_an_activity_read_twice_is_imported_once(ledger):
    text = document(activity(transaction("2", "300", "2020-01-10")))
    ledger.write("copy.xml", text)
    result, reported = imported(ledger, text, "copy.xml")  # two FILEs: activities.xml, copy.xml
    assert result.exit_code == 0
    assert [(problem["file"], problem["code"]) for problem in reported] == [("copy.xml", "iati-not-carried")]
    assert "a second activity 'XM-TEST-1'" in result.stderr
    assert figures(ledger)["committed"] == "300.00"
    assert sorted(path.name for path in (ledger.root / "out").iterdir()) == ["activities.toml", "parties.toml"]


def test_a_default_currency_no_value_is_in_gives_way_to_the_values_currency(ledger):
    text = document(activity(transaction("1", "250", "2020-01-10", currency="GBP")
                             + transaction("4", "100", "2020-02-10", currency="GBP"), currency="EUR"))
    result, reported = imported(ledger, text)
    assert result.exit_code == 0 and [problem["code"] for problem in reported] == ["iati-implied-commitment"]
    project = ledger_toml(ledger.root / "out")["project"][0]
    assert (project["currency"], project["note"]) == ("GBP", "IATI default-currency EUR; the activity's values are in GBP.")
    assert "rates:" not in result.stdout
    assert ledger.run("check", "--strict", "out").exit_code == 0


def test_explain_says_an_iati_code_is_the_imports(ledger):
    result = ledger.run("explain", "iati-implied-commitment")
    assert result.exit_code == 0
    assert result.stdout.startswith("iati-implied-commitment: a disbursement without a commitment before it (iati "
                                    "import)\n  A warning of 'cndledger iati import', at a line of the file it reads.\n")
    assert "cndledger iati import on an activity holding a disbursement (type 3) and no commitment" in result.stdout


# --- --rates FILE.csv: the [[rate]]s that convert the entries in another currency than their activity ---

def _eur_activity_with_usd() -> str:
    return document(activity(transaction("11", "1000", "2020-01-10", provider="XM-FUNDER")
                             + transaction("1", "400", "2020-02-10", provider="XM-FUNDER")
                             + transaction("4", "110", "2020-03-10", currency="USD"), currency="EUR"))


def test_rates_given_convert_the_entries_in_another_currency_and_check_is_clean(ledger):
    text = _eur_activity_with_usd()
    ledger.write("rates.csv", "date,from,to,rate,source\n"
                              "2020-01-01,USD,EUR,0.9,ECB reference rate\n"
                              "2020-03-01,USD,EUR,0.91,ECB reference rate\n"
                              "2020-03-01,USD,PKR,160,not needed\n")
    result, reported = imported(ledger, text, "--rates", "rates.csv")
    assert result.exit_code == 0, result.stderr
    assert reported == []  # no iati-needs-rate: a rate given converts the expense on its day
    assert "rates: 3 read from --rates, 2 rates written to out/rates.toml" in result.stdout
    assert "the ledger needs exchange rates" not in result.stdout
    assert "cndledger check out: 0 errors, 0 warnings" in result.stdout
    assert (ledger.root / "out" / "rates.toml").read_text(encoding="utf-8").count("# rates.csv:") == 2
    assert [(str(rate["date"]), rate["from"], rate["to"], rate["rate"], rate["source"])
            for rate in ledger_toml(ledger.root / "out")["rate"]] == [
        ("2020-01-01", "USD", "EUR", 0.9, "ECB reference rate"), ("2020-03-01", "USD", "EUR", 0.91, "ECB reference rate")]
    assert ledger.run("check", "--strict", "out").exit_code == 0
    assert figures(ledger)["spent"] == "100.10"  # 110 USD at 0.91 on 2020-03-10


def test_the_un_layout_is_read_and_only_the_currencies_of_the_files_are_judged(ledger):
    ledger.write("un.csv", "Country\tCurrency Name\tCurrency Code\tEffective Date\tRate\n"
                           "Austria\tEuro\tEUR\t01 Jan 2020\t0.895\n"
                           "Belgium\tEuro\tEUR\t01 Jan 2020\t0.895\n"
                           "Nowhere\tNot a currency\tXXQ\t01 Jan 2020\tnot a rate\n")
    result, reported = imported(ledger, _eur_activity_with_usd(), "--rates", "un.csv")
    assert result.exit_code == 0 and reported == []
    assert [(rate["from"], rate["to"], rate["rate"], rate["source"]) for rate in ledger_toml(ledger.root / "out")["rate"]] \
        == [("USD", "EUR", 0.895, "UN operational rate of exchange")]
    assert "cndledger check out: 0 errors, 0 warnings" in result.stdout


def test_a_rate_after_the_entry_does_not_convert_it_and_a_bad_row_is_at_its_csv_line(ledger):
    ledger.write("late.csv", "date,from,to,rate\n2020-03-11,USD,EUR,0.91\n")
    ledger.write("bad.csv", "date,from,to,rate\n2020-01-01,USD,EUR,0,9\n2020-13-01,USD,EUR,0.9\n")
    text = _eur_activity_with_usd()
    result, reported = imported(ledger, text, "--rates", "late.csv", "--rates", "bad.csv")
    assert result.exit_code == 1  # written, but a row of a rates file could not be read
    assert [(problem["file"], problem["line"], problem["code"]) for problem in reported] == [
        ("activities.xml", str(line_of(text, 'code="4"') - 1), "iati-needs-rate"),
        ("bad.csv", "2", "bad-value"), ("bad.csv", "3", "bad-value")]
    assert "the rates given have none of the pair on or before its day" in reported[0]["message"]
    assert "dated on or before 2020-03-10" in reported[0]["message"]
    assert "rates: no rate converts from USD to EUR (the rates given have none for some entries)" in result.stdout
    assert "  1 skipped: 1 in a currency no rate given converts (--rates)" in result.stdout.splitlines()
    assert "expense" not in ledger_toml(ledger.root / "out")
    assert "cndledger check out: 0 errors, 0 warnings" in result.stdout


def test_a_rates_file_that_is_not_there_is_bad_usage(ledger):
    result, _ = imported(ledger, _eur_activity_with_usd(), "--rates", "nowhere.csv")
    assert result.exit_code == 2
    assert "--rates: no rates file at 'nowhere.csv'" in result.stderr
    assert not (ledger.root / "out").exists()
