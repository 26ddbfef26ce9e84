"""docs/format.md is the user's reference of the format: its figures and checks come from the
registries (the generator's `--check` keeps them current, test_registry.py), and the README links it."""

from __future__ import annotations

from pathlib import Path

from cndledger.format.codes import CODES, ERROR
from cndledger.format.figures_doc import FIGURES

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return PAGE.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_every_figure_is_in_the_reference_with_its_definition():
    section = _section("Figures")
    for figure in FIGURES:
        assert f"| {figure.label} | `{figure.name}` |" in section, figure.name
        assert figure.definition in section


def test_every_problem_code_is_in_the_reference_with_its_severity_and_whether_it_stops_reports():
    section = _section("Checks")
    for code in CODES.values():
        severity = "error" if code.severity is ERROR else "warning"
        assert f"| `{code.name}` | {severity} | {'yes' if code.fatal else 'no'} | {code.summary} |" in section
    assert "| `toml-syntax` | error | yes | the file is not valid TOML |" in section


def test_the_reference_has_the_rules_and_the_exit_codes():
    assert "stands for the **last day** of its period" in _section("Rules")
    assert "| `check` | no errors (warnings allowed unless `--strict`) | errors found |" in _section("Exit codes")


def test_the_readme_links_the_reference_and_no_file_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[docs/format.md](docs/format.md)" in readme
    assert "LEDGER-FORMAT.md" not in readme
