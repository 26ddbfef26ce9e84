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


SOURCE = Path(SHIPPED) / "source" / "unido-technical-assistance.txt"


def _quotations(path: Path) -> list[str]:
    """The passages a ledger file's comments quote: comment lines opening with `"` up to the closing one."""
    quotations, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line[1:].strip() if line.startswith("#") else None
        if current is None and text and text.startswith('"'):
            current = text
        elif current is not None and text is not None:
            current += " " + text
        else:
            current = None
        if current is not None and current.endswith('"') and len(current) > 1:
            quotations.append(current[1:-1])
            current = None
    return quotations


def _plain(text: str) -> str:
    """Curly quotes and runs of spaces, non-breaking or not, as plain ones: a comment may write either."""
    return " ".join(text.translate({ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}).split())


def test_the_ledgers_cite_their_source_in_the_repository():
    for path in Path(SHIPPED).glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert '(source/unido-technical-assistance.txt)' in text, path.name
        assert "../shared" not in text, path.name
    assert SOURCE.read_text(encoding="utf-8").startswith("UNIDO Technical Assistance\n")


def test_every_passage_the_ledgers_quote_is_in_the_source():
    source = _plain(SOURCE.read_text(encoding="utf-8"))
    quoted = [passage for path in sorted(Path(SHIPPED).glob("*.toml")) for passage in _quotations(path)]
    assert len(quoted) > 10
    for passage in quoted:
        for part in passage.split("[...]"):
            part = _plain(part).strip(" ,;.")
            assert part in source, part


def test_check_reads_the_ledgers_and_not_their_source_text(shipped):
    result = shipped("check")
    assert result.exit_code == 0
    assert "in 4 files" in result.stdout and "unido-technical-assistance" not in result.stdout + result.stderr
