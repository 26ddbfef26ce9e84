"""`cndledger iati export`: a ledger as one IATI 2.03 activity document that the XSD and the codelists
accept, whose transactions add up to `balance --json`, and that names each missing identifier at file:line."""

from __future__ import annotations

import datetime as _dt
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

etree = pytest.importorskip("lxml.etree", reason="validating IATI needs lxml: pip install 'cndledger[iati]'")

from cndledger.iati.export import within_a_year
from cndledger.iati.validate import validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "iati"
SCHEMA, CODELISTS = DATA / "schema-2.03", DATA / "codelists-2.03"

PARTIES = """\
[[party]]
id = "AGENCY"
name = "An executing agency"
type = "multilateral"
iati_ref = "XX-TEST-AGENCY"

[[party]]
id = "DONOR"
name = "A donor"
aliases = ["OLD-DONOR"]
type = "government"
iati_ref = "XX-TEST-DONOR"
"""

# A programme and its project; month- and year-precision dates; every kind of money entry.
PROGRAMME = PARTIES + """
[[project]]
id = "PROG"
title = "A programme"
currency = "USD"
start = "2004"
end = 2007-06-30
executing = "AGENCY"
recipient_country = "PK"
iati_identifier = "XX-TEST-AGENCY-PROG"

[[project]]
id = "P1"
title = "A project"
currency = "USD"
parent = "PROG"
start = 2004-07-01
end = "2006-06"
executing = "AGENCY"
fiscal_year_start = 7
clusters = ["Fans"]
iati_identifier = "XX-TEST-AGENCY-P1"

[[pledge]]
id = "PL1"
project = "P1"
party = "DONOR"
date = 2004-03-15
amount = 500_000

[[commitment]]
id = "C1"
project = "P1"
party = "OLD-DONOR"
date = "2004-05"
amount = 400_000
pledge = "PL1"

[[commitment]]
id = "C2"
project = "PROG"
party = "AGENCY"
date = "2004"
amount = 50_000

[[tranche]]
id = "T1"
commitment = "C1"
amount = 200_000
due = "2004-09"

[[tranche]]
id = "T2"
commitment = "C1"
amount = 150_000
due = 2005-09-30
after = ["T1"]
min_spent = 0.5

[[release]]
commitment = "C1"
tranche = "T1"
date = 2004-05-10
amount = 200_000
reference = "TT-1"

[[release]]
commitment = "C1"
tranche = "T2"
date = 2005-10-02
amount = 150_000

[[release]]
commitment = "C2"
date = 2005-01-10
amount = 50_000

[[refund]]
commitment = "C1"
date = "2006-05"
amount = 2_500.50

[[decommitment]]
commitment = "C1"
date = 2006-03-31
amount = 50_000

[[expense]]
project = "P1"
date = 2004-10-12
amount = 100_000
cluster = "Fans"
category = "training"

[[expense]]
project = "P1"
date = "2005-11"
amount = 120_000.25

[[expense]]
project = "P1"
date = 2006-02-09
amount = -1_275.40
note = "credit note"

[[expense]]
project = "PROG"
date = 2005-03-01
amount = 30_000

[[budget]]
project = "P1"
period = "FY2004-05"
amount = 180_000

[[budget]]
project = "P1"
period = "FY2005-06"
amount = 150_000
cluster = "Fans"

[[budget]]
project = "P1"
period = "FY2005-06"
amount = 175_000
cluster = "Fans"
revision = 2006-01-15

[[budget]]
project = "P1"
period = "FY2005-06"
amount = 20_000
category = "audit"
"""


def export(ledger, *args: str):
    result = ledger.run("iati", "export", "ledger.toml", *args)
    assert result.exit_code == 0, result.stderr
    return result, etree.fromstring(result.stdout.encode())


def test_the_document_is_iati_2_03_that_the_schema_and_the_codelists_accept(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    result, root = export(ledger, "--as-of", "2006-06-30")
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">')
    assert validate(result.stdout.encode(), SCHEMA, CODELISTS) == []
    assert root.xpath("iati-activity/iati-identifier/text()") == ["XX-TEST-AGENCY-PROG", "XX-TEST-AGENCY-P1"]
    assert root.xpath("iati-activity/@hierarchy") == ["1", "2"]
    programme, project = root.xpath("iati-activity")
    assert programme.xpath("related-activity[@type='2']/@ref") == ["XX-TEST-AGENCY-P1"]
    assert project.xpath("related-activity[@type='1']/@ref") == ["XX-TEST-AGENCY-PROG"]
    assert project.xpath("recipient-country/@code") == ["PK"]  # the programme's, inherited
    assert project.xpath("reporting-org/@ref") == ["XX-TEST-AGENCY"]
    assert [(org.get("ref"), org.get("role")) for org in project.xpath("participating-org")] == [
        ("XX-TEST-DONOR", "1"), ("XX-TEST-AGENCY", "2"), ("XX-TEST-AGENCY", "4")]
    assert project.xpath("title/narrative/text()") == ["A project"]
    # A year start is its first day, a month end its last.
    assert [(d.get("type"), d.get("iso-date")) for d in programme.xpath("activity-date")] == [
        ("2", "2004-01-01"), ("3", "2007-06-30")]
    assert [(d.get("type"), d.get("iso-date")) for d in project.xpath("activity-date")] == [
        ("2", "2004-07-01"), ("4", "2006-06-30")]
    assert project.xpath("activity-status/@code") == ["2"]


def test_the_trust_fund_example_exports_valid_iati(tmp_path):
    ledger = tmp_path / "trust-fund"
    shutil.copytree(ROOT / "examples" / "trust-fund", ledger)
    from conftest import LedgerDir

    result = LedgerDir(tmp_path).run("iati", "export", "trust-fund", "--as-of", "2006-06-30")
    assert result.exit_code == 0, result.stderr
    assert validate(result.stdout.encode(), SCHEMA, CODELISTS) == []
    root = etree.fromstring(result.stdout.encode())
    assert root.xpath("iati-activity/iati-identifier/text()") == ["XX-EXAMPLE-UN-TF-EXAMPLE"]
    assert root.xpath("count(//transaction)") == 1 + 2 + 4 + 1 + 1 + 15  # pledge, commitments, releases, ...


def _sums(activity, types: dict[str, str]) -> dict[str, Decimal]:
    """The activity's transactions added up: `types` names each sum, as "11", "1+" (positive), "1-"."""
    sums = {name: Decimal(0) for name in types.values()}
    for transaction in activity.xpath("transaction"):
        code = transaction.xpath("string(transaction-type/@code)")
        value = Decimal(transaction.xpath("string(value)"))
        for key in (code, code + ("+" if value > 0 else "-")):
            if key in types:
                sums[types[key]] += value
    return sums


@pytest.mark.parametrize("as_of", ["2004-05-31", "2004-12-31", "2005-10-01", "2006-03", "2006-06-30", "2009"])
def test_the_transactions_add_up_to_the_balance_on_the_same_day(ledger, as_of):
    ledger.write("ledger.toml", PROGRAMME)
    balance = {project["id"]: project for project in ledger.run("balance", "ledger.toml", "--json", "--as-of", as_of).json()["projects"]}
    _, root = export(ledger, "--as-of", as_of)
    types = {"11": "committed", "1+": "released", "1-": "refunded", "4": "spent", "13": "pledges"}
    own = {activity.xpath("string(iati-identifier)").rsplit("-", 1)[1]: _sums(activity, types)
           for activity in root.xpath("iati-activity")}
    # The programme's figures include its project's; an activity's transactions are its own.
    expected = {"P1": own["P1"], "PROG": {name: own["PROG"][name] + own["P1"][name] for name in types.values()}}
    for project_id, sums in expected.items():
        figures = balance[project_id]
        assert sums["committed"] == Decimal(figures["committed"])
        assert sums["released"] == Decimal(figures["released"])
        assert -sums["refunded"] == Decimal(figures["refunded"])
        assert sums["spent"] == Decimal(figures["spent"])
    day = _dt.date.fromisoformat({"2006-03": "2006-03-31", "2009": "2009-12-31"}.get(as_of, as_of))
    for value_date in root.xpath("//transaction/value/@value-date"):
        assert _dt.date.fromisoformat(value_date) <= day  # nothing counting after the day


def test_each_value_has_its_currency_and_the_day_it_counts_from(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    _, root = export(ledger, "--as-of", "2006-06-30")
    found = {(t.xpath("string(transaction-type/@code)"), t.xpath("string(value)")):
             (t.xpath("string(value/@value-date)"), t.xpath("string(transaction-date/@iso-date)"),
              t.xpath("string(value/@currency)")) for t in root.xpath("//transaction")}
    assert found[("11", "400000.00")] == ("2004-05-31", "2004-05-31", "USD")  # "2004-05": its last day
    assert found[("11", "50000.00")][0] == "2004-12-31"  # "2004"
    assert found[("1", "200000.00")][0] == "2004-05-31"  # dated 2004-05-10: never before its commitment ("2004-05")
    assert found[("1", "-2500.50")][0] == "2006-05-31"  # a refund: incoming funds returned, negative
    assert found[("11", "-50000.00")][0] == "2006-03-31"  # a decommitment: a reduced commitment, negative
    assert found[("4", "120000.25")][0] == "2005-11-30"
    assert found[("4", "-1275.40")][0] == "2006-02-09"  # a credit note, negative
    assert found[("13", "500000.00")][0] == "2004-03-15"  # a pledge: incoming pledge
    release = root.xpath("//transaction[@ref='TT-1']")[0]
    assert release.xpath("provider-org/@ref") == ["XX-TEST-DONOR"]  # the party, named by its alias
    assert release.xpath("description/narrative/text()") == ["tranche T1"]
    descriptions = root.xpath("//transaction/description/narrative/text()")
    assert "training; Fans" in descriptions
    assert not [text for text in descriptions if "credit note" in text]  # a note is the keeper's own, not published


def test_budget_lines_become_budgets_a_fiscal_year_across_two_calendar_years_whole(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    _, root = export(ledger, "--project", "P1", "--as-of", "2006-06-30")
    budgets = [(b.get("type"), b.xpath("string(period-start/@iso-date)"), b.xpath("string(period-end/@iso-date)"),
                b.xpath("string(value)"), b.xpath("string(value/@value-date)")) for b in root.xpath("//budget")]
    assert budgets == [
        ("1", "2004-07-01", "2005-06-30", "180000.00", "2004-07-01"),
        ("1", "2005-07-01", "2006-06-30", "170000.00", "2005-07-01"),  # the lines' originals, added up
        ("2", "2005-07-01", "2006-06-30", "195000.00", "2006-01-15"),  # as revised on the day
    ]
    _, before = export(ledger, "--project", "P1", "--as-of", "2006-01-14")
    assert before.xpath("//budget/@type") == ["1", "1"]  # no revision in force yet


def test_a_budget_period_is_a_year_at_most():
    assert within_a_year(_dt.date(2005, 7, 1), _dt.date(2006, 6, 30))
    assert within_a_year(_dt.date(2004, 1, 1), _dt.date(2004, 12, 31))  # a leap year
    assert within_a_year(_dt.date(2004, 2, 29), _dt.date(2005, 2, 28))
    assert not within_a_year(_dt.date(2005, 7, 1), _dt.date(2006, 7, 1))
    assert not within_a_year(_dt.date(2004, 1, 1), _dt.date(2005, 12, 31))


def test_tranches_become_planned_disbursements_and_their_conditions_text(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    _, root = export(ledger, "--project", "P1", "--as-of", "2006-06-30")
    planned = [(p.xpath("string(period-start/@iso-date)"), p.xpath("string(period-end/@iso-date)"),
                p.xpath("string(value)"), p.xpath("string(provider-org/@ref)")) for p in root.xpath("//planned-disbursement")]
    assert planned == [("2004-09-01", "2004-09-30", "200000.00", "XX-TEST-DONOR"),  # due "2004-09": its days
                       ("2005-09-30", "2005-09-30", "150000.00", "XX-TEST-DONOR")]
    assert root.xpath("//conditions/@attached") == ["1"]
    conditions = [(c.get("type"), c.xpath("string(narrative)")) for c in root.xpath("//conditions/condition")]
    assert conditions == [
        ("3", "Tranche T2 (150000.00 USD of commitment C1) is released only after tranche T1 has been fully released."),
        ("2", ("Tranche T2 (150000.00 USD of commitment C1) is released only once the project's expenses reach 50% "
              "of the cash released to it so far.")),
    ]


def test_a_project_of_another_currency_has_its_own(ledger):
    ledger.write("ledger.toml", PARTIES + """
[[project]]
id = "E1"
title = "A project in euros"
currency = "EUR"
start = 2005-01-01
executing = "AGENCY"
recipient_country = "SN"
iati_identifier = "XX-TEST-AGENCY-E1"

[[project]]
id = "J1"
title = "A project in yen"
currency = "JPY"
start = 2005-01-01
executing = "AGENCY"
recipient_country = "SN"
iati_identifier = "XX-TEST-AGENCY-J1"

[[commitment]]
id = "CE"
project = "E1"
party = "DONOR"
date = 2005-02-01
amount = 1000.5

[[commitment]]
id = "CJ"
project = "J1"
party = "DONOR"
date = 2005-02-01
amount = 150000
""")
    result, root = export(ledger, "--as-of", "2005-12-31")
    assert validate(result.stdout.encode(), SCHEMA, CODELISTS) == []
    assert root.xpath("iati-activity/@default-currency") == ["EUR", "JPY"]
    assert [(v.get("currency"), v.text) for v in root.xpath("//transaction/value")] == [
        ("EUR", "1000.50"), ("JPY", "150000")]


MISSING = """\
[[party]]
id = "AGENCY"
name = "An executing agency"

[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "P1"
title = "A project"
currency = "USD"
start = 2005-01-01
executing = "AGENCY"

[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
"""


def test_each_missing_identifier_is_named_at_its_line_and_nothing_is_written(ledger):
    ledger.write("ledger.toml", MISSING)
    assert ledger.run("check", "ledger.toml").exit_code == 0  # a complete ledger, short of IATI's identifiers
    result = ledger.run("iati", "export", "ledger.toml", "--as-of", "2005-12-31", "-o", "out.xml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not (ledger.root / "out.xml").exists()
    lines = [line for line in result.stderr.splitlines() if "error[iati-missing-identifier]" in line]
    assert [line.split(": error")[0] for line in lines] == [
        "ledger.toml:1", "ledger.toml:1", "ledger.toml:5", "ledger.toml:9", "ledger.toml:9"]
    assert "party 'AGENCY' (the reporting organisation) has no iati_ref" in lines[0]
    assert "party 'AGENCY' (the reporting organisation) has no type" in lines[1]
    assert "party 'DONOR' (a funder of project 'P1') has no iati_ref" in lines[2]
    assert "project 'P1' has no iati_identifier" in lines[3]
    assert "project 'P1' has no recipient_country" in lines[4]
    assert "iati export wrote nothing: 5 identifiers or values that IATI needs are missing" in result.stderr


def test_a_country_that_is_no_iso_code_is_named_at_its_key(ledger):
    ledger.write("ledger.toml", PROGRAMME.replace('recipient_country = "PK"', 'recipient_country = "Pakistan"'))
    result = ledger.run("iati", "export", "ledger.toml", "--as-of", "2006-06-30")
    assert result.exit_code == 1 and result.stdout == ""
    assert "ledger.toml:21: error[iati-missing-identifier]: project 'PROG' has the recipient_country 'Pakistan'" \
        in result.stderr
    assert "project 'P1'" not in result.stderr  # its parent's, reported once there


def test_the_shipped_ledgers_name_each_identifier_the_source_does_not_give(tmp_path):
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    from conftest import LedgerDir

    result = LedgerDir(tmp_path).run("iati", "export", "--as-of", "2006-06-30")
    assert result.exit_code == 1 and result.stdout == ""
    located = sorted(line.split(": error")[0] for line in result.stderr.splitlines() if "error[" in line)
    parties = (tmp_path / "ledgers" / "parties.toml").read_text(encoding="utf-8").splitlines()
    projects = (tmp_path / "ledgers" / "projects.toml").read_text(encoding="utf-8").splitlines()

    def header_of(lines: list[str], ident: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if line == f'id = "{ident}"') - 1  # above it

    assert located == sorted([
        *(f"ledgers/parties.toml:{header_of(parties, ident)}" for ident in ("UNIDO", "TDAP")),
        *(f"ledgers/projects.toml:{header_of(projects, ident)}" for ident in ("PAK-CND", "US/PAK/01/099", "PAK-CND-TF")),
    ])
    assert "recipient_country" not in result.stderr  # Pakistan: in the text, on the programme
    assert "SMEDA" not in result.stderr  # in kind only: IATI's participating organisations here are funders


def test_the_output_file_is_written_whole(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    result = ledger.run("iati", "export", "ledger.toml", "--as-of", "2006-06-30", "-o", "activities.xml")
    assert result.exit_code == 0 and result.stdout == ""
    assert "wrote 2 IATI activities to activities.xml" in result.stderr
    assert validate(ledger.root / "activities.xml", SCHEMA, CODELISTS) == []
    assert [path.name for path in ledger.root.iterdir() if path.name.startswith(".cndledger-")] == []
    umask = os.umask(0)
    os.umask(umask)
    assert (ledger.root / "activities.xml").stat().st_mode & 0o777 == 0o666 & ~umask  # as any new file's


def test_project_exports_it_and_those_below_it(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    _, root = export(ledger, "--project", "P1", "--as-of", "2006-06-30")
    assert root.xpath("iati-activity/iati-identifier/text()") == ["XX-TEST-AGENCY-P1"]
    assert root.xpath("iati-activity/@hierarchy") == ["2"]
    assert root.xpath("//related-activity[@type='1']/@ref") == ["XX-TEST-AGENCY-PROG"]


def test_the_reporting_organisation(ledger):
    ledger.write("ledger.toml", PROGRAMME)
    _, root = export(ledger, "--reporting-org", "OLD-DONOR", "--as-of", "2006-06-30")
    assert set(root.xpath("//reporting-org/@ref")) == {"XX-TEST-DONOR"}
    unknown = ledger.run("iati", "export", "ledger.toml", "--reporting-org", "NOBODY")
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert "--reporting-org: the ledger has no party 'NOBODY'" in unknown.stderr
    ledger.write("ledger.toml", PROGRAMME.replace('executing = "AGENCY"\nrecipient_country', 'recipient_country'))
    none = ledger.run("iati", "export", "ledger.toml", "--as-of", "2006-06-30")
    assert none.exit_code == 2 and none.stdout == ""
    assert "give --reporting-org PARTY" in none.stderr


def test_a_ledger_with_errors_is_not_exported(ledger):
    ledger.write("ledger.toml", PROGRAMME + '\n[[release]]\ncommitment = "NOPE"\ndate = 2005-01-01\namount = 1\n')
    result = ledger.run("iati", "export", "ledger.toml", "--as-of", "2006-06-30")
    assert result.exit_code == 1 and result.stdout == ""
    assert "error[unresolved-ref]" in result.stderr
    assert "iati export writes nothing while the ledger has errors" in result.stderr


def test_text_of_any_kind_stays_well_formed_xml(ledger):
    odd = 'Fans & \\"jewellery\\" <Gujrat>\\u0001\\ttab'  # TOML escapes: quotes, a control character, a tab
    ledger.write("ledger.toml", PROGRAMME.replace('title = "A project"', f'title = "{odd}"')
                 .replace('note = "credit note"', 'category = "line one\\nline two"'))
    result, root = export(ledger, "--as-of", "2006-06-30")
    assert validate(result.stdout.encode(), SCHEMA, CODELISTS) == []
    assert root.xpath("iati-activity[2]/title/narrative/text()") == ['Fans & "jewellery" <Gujrat>\ufffd\ttab']
    assert "line one\nline two" in root.xpath("//transaction/description/narrative/text()")


def test_an_identifier_used_twice_and_a_project_with_no_date_are_named(ledger):
    ledger.write("ledger.toml", PARTIES + """
[[project]]
id = "A"
title = "A"
currency = "USD"
start = 2005-01-01
executing = "AGENCY"
recipient_country = "PK"
iati_identifier = "XX-TEST-AGENCY-1"

[[project]]
id = "B"
title = "B"
currency = "USD"
executing = "AGENCY"
recipient_country = "PK"
iati_identifier = "XX-TEST-AGENCY-1"
""")
    result = ledger.run("iati", "export", "ledger.toml", "--as-of", "2006-01-01")
    assert result.exit_code == 1 and result.stdout == ""
    assert ("ledger.toml:29: error[iati-missing-identifier]: project 'B' has the iati_identifier 'XX-TEST-AGENCY-1' "
            "of project 'A' (at ledger.toml:14)") in result.stderr
    assert "ledger.toml:23: error[iati-missing-identifier]: project 'B' has no start, no end and no entry" in result.stderr


def _with_identifiers(generated) -> dict[str, bytes]:
    """The files of a generated ledger with the identifiers IATI needs (and a date for every project)."""
    from fuzz_ledgers import write_text

    layout = {"crlf": False, "bom": False, "grouped": False, "comments": False, "multiline": False,
              "final_newline": True}
    files = {}
    for name, entries in generated.files.items():
        written = []
        for kind, fields in entries:
            fields = dict(fields)
            if kind == "party":
                fields["iati_ref"] = f"XX-TEST-{fields['id']}"
                fields.setdefault("type", "other")
            elif kind == "project":
                fields["iati_identifier"] = f"XX-TEST-{fields['id']}"
                fields["recipient_country"] = "PK"
                if "start" not in fields and "end" not in fields:
                    fields["start"] = "1995"  # before any generated entry
            written.append((kind, fields))
        files[name] = write_text(written, layout)
    return files


def test_on_any_valid_ledger_the_export_is_valid_and_adds_up_to_the_balance():
    import tempfile

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from conftest import LedgerDir
    from fuzz_ledgers import as_of_days, valid_ledgers

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        generated = data.draw(valid_ledgers())
        as_of = data.draw(as_of_days(generated))
        with tempfile.TemporaryDirectory(prefix="cndledger-iati-") as folder:
            ledger = LedgerDir(Path(folder))
            for name, raw in _with_identifiers(generated).items():
                (ledger.root / name).parent.mkdir(parents=True, exist_ok=True)
                (ledger.root / name).write_bytes(raw)
            args = ("--as-of", as_of, "--no-cache", *generated.files)
            result = ledger.run("iati", "export", "--reporting-org", "PARTY-0", *args)
            assert result.exit_code == 0, result.stderr
            assert validate(result.stdout.encode(), SCHEMA, CODELISTS) == []
            balance = ledger.run("balance", "--json", *args).json()["projects"]
        root = etree.fromstring(result.stdout.encode())
        types = {"11": "committed", "1+": "released", "1-": "refunded", "4": "spent"}
        own = {activity.xpath("string(iati-identifier)")[len("XX-TEST-"):]: _sums(activity, types)
               for activity in root.xpath("iati-activity")}
        parents = {project["id"]: project["parent"] for project in balance}
        for project in balance:
            below = [ident for ident in own if _is_below(ident, project["id"], parents)]
            for name in types.values():
                total = sum((own[ident][name] for ident in below), Decimal(0))
                assert (-total if name == "refunded" else total) == Decimal(project[name]), (project["id"], name)

    run()


def _is_below(project: str, ancestor: str, parents: dict[str, str | None]) -> bool:
    current: str | None = project
    while current is not None:
        if current == ancestor:
            return True
        current = parents.get(current)
    return False
