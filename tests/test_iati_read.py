"""Reading real published IATI files: every count and sum against the XML itself, every fault located.

The expected figures are computed here independently of the reader (a regular expression over the
text for counts, an lxml XPath over the whole tree for sums), so the reader is held to the files.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

etree = pytest.importorskip("lxml.etree", reason="the IATI reader needs lxml: pip install 'cndledger[iati]'")

from cndledger.iati.read import TRANSACTION_TYPE_FROM_1X, read_activity_file

DATA = Path(__file__).parent / "data" / "iati"
SAMPLES = DATA / "samples"
MAEC = SAMPLES / "MAEC_IATI_INDONESIA.xml"
DFID = SAMPLES / "DFID_GB-1_BURUNDI_1.01.xml"
WORLD_BANK = SAMPLES / "WORLDBANK_44000_ANGOLA_1.01.xml"
TI = SAMPLES / "TI_21033_COLLECTION_1.00.xml"
ADB = SAMPLES / "ADB_ARMENIA_2.03.xml"
ALL = [MAEC, DFID, WORLD_BANK, TI, ADB]

# Each file read once for the whole module: the tests look at the same values from several sides.
_read_cache: dict[Path, object] = {}


def read(path: Path):
    if path not in _read_cache:
        _read_cache[path] = read_activity_file(path)
    return _read_cache[path]


def text_of(path: Path) -> str:
    return path.read_bytes().decode("latin-1")  # every byte a character: counts need no decoding


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_counts_of_activities_transactions_and_budgets_are_the_files(path):
    text = text_of(path)
    result = read(path)
    assert len(result.activities) == len(re.findall(r"<iati-activity[\s>]", text))
    assert len(result.transactions) == len(re.findall(r"<transaction[\s>]", text))
    budgets = len(re.findall(r"<budget[\s>]", text))
    assert len(result.budgets) == budgets - (1 if path == TI else 0)  # TI's one budget has no period
    assert len(result.planned_disbursements) == len(re.findall(r"<planned-disbursement[\s>]", text))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_sums_per_activity_and_transaction_type_are_the_xpath_sums(path):
    tree = etree.parse(str(path))
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for activity in tree.xpath("/iati-activities/iati-activity"):
        identifier = activity.xpath("normalize-space(iati-identifier)")
        for transaction in activity.xpath("transaction"):
            code = transaction.xpath("string(transaction-type/@code)")
            expected[identifier, code] += Decimal(transaction.xpath("normalize-space(value)"))
    got: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for transaction in read(path).transactions:
        got[transaction.activity, transaction.type_as_written] += transaction.value
    assert got == expected
    assert len(expected) > 1


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_each_value_is_kept_exactly_as_written(path):
    written = [text.strip() for text in etree.parse(str(path)).xpath("//transaction/value/text()")]
    assert [str(transaction.value) for transaction in read(path).transactions] == written


def test_negative_and_zero_values_are_kept_as_read():
    values = [transaction.value for transaction in read(MAEC).transactions]
    assert Decimal(0) in values and any(value < 0 for value in values)
    world_bank = [transaction.value for transaction in read(WORLD_BANK).transactions]
    assert sum(1 for value in world_bank if value < 0) == len(
        re.findall(r"<value[^>]*>\s*-", text_of(WORLD_BANK))
    )
    assert [budget.value for budget in read(MAEC).budgets].count(Decimal(0)) == len(
        re.findall(r"<budget[\s>](?:(?!</budget>).)*<value[^>]*>0</value>", text_of(MAEC), re.DOTALL)
    )


def test_letter_codes_of_1x_files_become_the_2x_codes():
    # IATI's own table (IATI-Guidance, integer upgrade to 2.01), spelled out here, not imported.
    iati_table = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                  "QP": "8", "QS": "9", "CG": "10"}
    assert TRANSACTION_TYPE_FROM_1X == iati_table
    pairs = {path.name: Counter((t.type_as_written, t.type) for t in read(path).transactions)
             for path in (DFID, WORLD_BANK, TI)}
    assert pairs[DFID.name] == {("C", "2"): 34, ("D", "3"): 139, ("E", "4"): 54}
    assert pairs[WORLD_BANK.name] == {("C", "2"): 5, ("D", "3"): 15, ("IR", "5"): 21, ("LR", "6"): 15}
    assert pairs[TI.name] == {("IF", "1"): 10, ("E", "4"): 3}
    assert {t.type for t in read(MAEC).transactions} == {"2", "3"}  # 2.0x codes pass as they are


def test_organisation_roles_of_1x_files_become_the_2x_codes():
    roles = Counter(org.role for activity in read(DFID).activities for org in activity.participating)
    assert set(roles) <= {"1", "2", "3", "4"} and roles["1"] > 0
    assert roles["1"] == len(re.findall(r'<participating-org[^>]*role="Funding"', text_of(DFID)))


def test_currency_is_the_values_own_else_the_activitys_default():
    assert {t.currency for t in read(TI).transactions} == {"GBP"}  # the activity's default is EUR
    assert read(TI).activities[0].default_currency == "EUR"
    by_activity = {a.identifier: a.default_currency for a in read(ADB).activities}
    assert set(by_activity.values()) == {"USD", "EUR"}
    assert all(t.currency == by_activity[t.activity] for t in read(ADB).transactions)
    # currency="" on every World Bank value: the default (USD) stands.
    assert {t.currency for t in read(WORLD_BANK).transactions} == {"USD"}


def test_every_record_is_located_at_its_own_element():
    for path in ALL:
        lines = text_of(path).splitlines()
        result = read(path)
        for record, tag in [*((a, "<iati-activity") for a in result.activities),
                            *((t, "<transaction") for t in result.transactions),
                            *((b, "<budget") for b in result.budgets),
                            *((p, "<planned-disbursement") for p in result.planned_disbursements)]:
            assert record.file == str(path)
            assert tag in lines[record.line - 1], (path.name, record.line)


def test_activities_carry_their_identity_and_parties():
    activity = read(MAEC).activities[0]
    assert activity.identifier and activity.reporting_org.ref and activity.reporting_org.name
    assert activity.title and activity.default_currency is None  # MAEC gives each value its own
    assert read(MAEC).version == "2.01" and read(DFID).version == "1.01"
    dfid = read(DFID).activities
    assert all(a.reporting_org.ref == "GB-1" for a in dfid)
    assert sum(len(a.recipient_countries) for a in dfid) == len(re.findall(r"<recipient-country[\s>]", text_of(DFID)))
    related = [r for a in dfid for r in a.related]
    assert len(related) == len(re.findall(r"<related-activity[\s>]", text_of(DFID)))
    assert {a.hierarchy for a in dfid} <= {1, 2, None}


def test_dates_with_zones_and_times_are_read_as_their_day():
    transaction = read(DFID).transactions[0]
    assert transaction.transaction_date is not None and transaction.value_date is not None
    budgets = read(ADB).budgets  # period-end iso-date="2026-12-31+08:00" style
    assert all(b.period_start <= b.period_end for b in budgets)


def test_real_faults_are_located_problems():
    problems = read(TI).problems
    assert [(p.line, p.kind) for p in problems] == [(28, "missing")]
    assert "period-start" in problems[0].message and problems[0].file == str(TI)
    for path in (MAEC, DFID, WORLD_BANK, ADB):
        assert read(path).problems == ()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ACTIVITY = """<iati-activities version="2.03">
 <iati-activity default-currency="USD">
  <iati-identifier>XX-1</iati-identifier>
  <transaction>
   <transaction-type code="{code}"/>
   <transaction-date iso-date="{date}"/>
   <value value-date="2020-01-01">{value}</value>
  </transaction>
 </iati-activity>
</iati-activities>
"""


@pytest.mark.parametrize(("fields", "line", "kind", "words"), [
    ({"value": "1,000"}, 7, "amount", "'1,000' is not a decimal number"),
    ({"value": "NaN"}, 7, "amount", "not a decimal number"),
    ({"value": ""}, 7, "missing", "value is empty"),
    ({"date": "2020-13-01"}, 6, "date", "'2020-13-01' is not a date"),
    ({"date": "last year"}, 6, "date", "is not a date"),
    ({"code": "Z"}, 5, "code", "'Z' is no TransactionType"),
    ({"code": "99"}, 5, "code", "'99' is no TransactionType"),
], ids=["thousands", "nan", "empty", "month-13", "words", "letter", "number"])
def test_a_malformed_transaction_is_a_located_problem_and_left_out(tmp_path, fields, line, kind, words):
    values = {"code": "3", "date": "2020-01-01", "value": "5", **fields}
    path = write(tmp_path, "bad.xml", ACTIVITY.format(**values))
    result = read_activity_file(path)
    assert result.transactions == () and len(result.activities) == 1
    [problem] = result.problems
    assert (problem.file, problem.line, problem.kind) == (str(path), line, kind)
    assert words in problem.message and str(problem).startswith(f"{path}:{line}: ")


def test_a_missing_value_element_is_a_located_problem(tmp_path):
    text = ACTIVITY.format(code="3", date="2020-01-01", value="5").replace(
        '   <value value-date="2020-01-01">5</value>\n', "")
    [problem] = read_activity_file(write(tmp_path, "novalue.xml", text)).problems
    assert (problem.line, problem.kind) == (4, "missing") and "without a value" in problem.message


def test_a_real_file_cut_short_keeps_what_came_before_and_says_where_it_broke(tmp_path):
    raw = MAEC.read_bytes()
    cut = raw[: len(raw) // 2]
    path = tmp_path / "cut.xml"
    path.write_bytes(cut)
    result = read_activity_file(path)
    [problem] = result.problems
    assert problem.kind == "xml" and problem.line == cut.count(b"\n") + 1
    assert "not well-formed XML" in problem.message
    complete = cut.count(b"</iati-activity>")
    assert len(result.activities) == complete and 0 < complete < 83
    whole = [t._replace(file=str(path)) for t in read(MAEC).transactions]
    assert list(result.transactions) == whole[: len(result.transactions)]


@pytest.mark.parametrize(("text", "words"), [
    ("", "not well-formed XML"),
    ("<iati-activities><iati-activity>", "not well-formed"),
    ('<?xml version="1.0"?>\n<iati-organisations/>', "root element is <iati-organisations>"),
    ('<!DOCTYPE x [<!ENTITY big "b">]><iati-activities>&big;</iati-activities>', None),
])
def test_no_input_raises(tmp_path, text, words):
    result = read_activity_file(write(tmp_path, "odd.xml", text))
    assert result.activities == ()
    if words:
        assert words in result.problems[0].message and result.problems[0].line >= 1


def test_a_missing_file_is_a_problem(tmp_path):
    [problem] = read_activity_file(tmp_path / "absent.xml").problems
    assert problem.kind == "xml" and "cannot read" in problem.message
