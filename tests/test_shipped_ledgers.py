"""The programme's own ledgers (`ledgers/` in the repository), as the seed text gives them."""

from pathlib import Path

import pytest

SHIPPED = str(Path(__file__).resolve().parent.parent / "ledgers")


@pytest.fixture
def shipped(ledger):
    def run(*args: str):
        return ledger.run(*args, "-f", SHIPPED)
    return run


def test_check_finds_no_error(shipped):
    result = shipped("check", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert [p for p in result.json()["problems"] if p["severity"] == "error"] == []


@pytest.mark.parametrize("as_of", ["2006-12-31", "2005-02", None])
def test_the_follow_up_projects_funding(shipped, as_of):
    result = shipped("balance", "--json", *(["--as-of", as_of] if as_of else []))
    assert result.exit_code == 0, result.stderr
    projects = {p["id"]: p for p in result.json()["projects"]}
    follow_up = projects["PAK-CND-TF"]
    assert follow_up["parent"] == "PAK-CND"
    by_party = {row["party"]: row for row in follow_up["by_party"]}
    assert by_party["TDAP"] == {"party": "TDAP", "committed": "211000.00", "released": "70000.00",
                                "outstanding": "141000.00"}
    assert by_party["UNIDO"] == {"party": "UNIDO", "committed": "50000.00", "released": "50000.00",
                                 "outstanding": "0.00"}
    assert (follow_up["committed"], follow_up["released"], follow_up["outstanding"]) == (
        "261000.00", "120000.00", "141000.00")
    assert follow_up["inkind_unvalued"] == 1 and follow_up["inkind_valued"] == "0.00"


def test_the_pilot_projects_budget_and_the_programme_tree(shipped):
    projects = {p["id"]: p for p in shipped("balance", "--json", "--as-of", "2006-12-31").json()["projects"]}
    assert list(projects) == ["PAK-CND", "US/PAK/01/099", "PAK-CND-TF"]
    pilot = projects["US/PAK/01/099"]
    assert (pilot["parent"], pilot["currency"], pilot["budget"]) == ("PAK-CND", "USD", "235000.00")
    programme = projects["PAK-CND"]
    assert programme["committed"] == "496000.00" and programme["released"] == "120000.00"
    assert programme["inkind_unvalued"] == 2


def test_the_first_tranche_arrived_as_of_the_end_of_february_2005(shipped):
    def follow_up(as_of):
        result = shipped("balance", "--json", "--as-of", as_of, "--project", "PAK-CND-TF")
        return result.json()["projects"][0]

    assert follow_up("2005-02-27")["released"] == "0.00"
    assert follow_up("2005-02-28")["released"] == "120000.00"
    assert follow_up("2005-01-31")["committed"] == "211000.00"  # the commitment of 2004


def test_the_table_prints(shipped):
    result = shipped("balance", "--by-party", "--as-of", "2006-12-31")
    assert result.exit_code == 0
    assert "211,000.00" in result.stdout and "141,000.00" in result.stdout and "235,000.00" in result.stdout
    assert "· TDAP" in result.stdout
