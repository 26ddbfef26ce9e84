"""The 2.03 schema and codelists, applied to real files and to files spoilt on purpose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("lxml.etree", reason="IATI validation needs lxml: pip install 'cndledger[iati]'")

from cndledger.iati.codelists import load_codelists
from cndledger.iati.validate import validate

DATA = Path(__file__).parent / "data" / "iati"
SCHEMA = DATA / "schema-2.03"
CODELISTS = load_codelists(DATA / "codelists-2.03")
SAMPLES = DATA / "samples"
ADB = SAMPLES / "ADB_ARMENIA_2.03.xml"
MAEC = SAMPLES / "MAEC_IATI_INDONESIA.xml"


def test_codelists_load_as_code_sets():
    assert CODELISTS.problems == ()
    assert CODELISTS["TransactionType"].codes == {str(n) for n in range(1, 14)}
    assert CODELISTS["OrganisationRole"].codes == {"1", "2", "3", "4"}
    assert CODELISTS["BudgetType"].codes == {"1", "2"} and "EUR" in CODELISTS["Currency"]
    for codelist in CODELISTS.lists.values():
        assert not codelist.codes & codelist.withdrawn
        text = (DATA / "codelists-2.03" / f"{codelist.name}.xml").read_text(encoding="utf-8")
        assert len(codelist.codes) + len(codelist.withdrawn) == len(re.findall(r"<codelist-item[\s>]", text))


def test_a_file_that_is_no_codelist_is_a_problem(tmp_path):
    (tmp_path / "Broken.xml").write_text("<codelist", encoding="utf-8")
    (tmp_path / "Other.xml").write_text("<iati-activities/>", encoding="utf-8")
    loaded = load_codelists(tmp_path)
    assert loaded.lists == {} and sorted(p.kind for p in loaded.problems) == ["structure", "xml"]


@pytest.mark.parametrize("path", [ADB, MAEC], ids=lambda p: p.name)
def test_real_2x_files_pass_the_203_schema_and_codelists(path):
    assert validate(path, SCHEMA, CODELISTS) == []


def test_a_code_the_schema_lets_through_is_caught_at_its_line(tmp_path):
    text = ADB.read_bytes().decode("utf-8")
    first = text.index('<transaction-type code="')
    line = text.count("\n", 0, first) + 1
    spoilt = text[:first] + '<transaction-type code="99"' + text[first + len('<transaction-type code="3"'):]
    assert spoilt != text
    [problem] = validate(spoilt.encode("utf-8"), SCHEMA, CODELISTS, file="spoilt.xml")
    assert (problem.file, problem.line, problem.kind) == ("spoilt.xml", line, "code")
    assert "'99' is not in the TransactionType codelist" in problem.message


def test_a_structural_fault_is_a_schema_problem_at_its_line():
    text = MAEC.read_bytes().decode("utf-8")
    first = text.index("<iati-identifier>")
    line = text.count("\n", 0, first) + 1
    spoilt = text[:first] + "<iati-identifier>" + text[first:]  # two identifiers, the first unclosed
    problems = validate(spoilt.encode("utf-8"), SCHEMA, CODELISTS)
    assert problems and problems[0].kind == "xml" and problems[0].line >= line
    missing_version = text.replace(' version="2.01"', "", 1).encode("utf-8")
    [problem] = validate(missing_version, SCHEMA, CODELISTS, file="v.xml")
    assert problem.kind == "schema" and "version" in problem.message
    assert problem.line == text.count("\n", 0, text.index("<iati-activities")) + 1


def test_1x_files_fail_the_203_standard_with_located_reasons():
    problems = validate(SAMPLES / "DFID_GB-1_BURUNDI_1.01.xml", SCHEMA, CODELISTS)
    assert any(p.kind == "schema" for p in problems)
    roles = [p for p in problems if "participating-org/@role 'Funding'" in p.message]
    assert roles and all(p.line > 0 for p in roles)


def test_a_withdrawn_code_is_named_so(tmp_path):
    withdrawn = sorted(CODELISTS["Currency"].withdrawn)
    if not withdrawn:
        pytest.skip("no withdrawn currency in these codelists")
    text = ADB.read_bytes().decode("utf-8").replace('default-currency="EUR"', f'default-currency="{withdrawn[0]}"', 1)
    problems = validate(text.encode("utf-8"), SCHEMA, CODELISTS)
    assert any(f"'{withdrawn[0]}' is a withdrawn code of the Currency codelist" in p.message for p in problems)
