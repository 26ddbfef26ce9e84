"""README, "In the editor, in pre-commit, in CI": its `#:schema` line and its sample problem are true."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## In the editor, in pre-commit, in CI\n", 1)[1].split("\n## ", 1)[0]


def test_the_schema_line_names_the_schema_from_a_shipped_ledger_file_and_is_only_a_comment(ledger):
    (line,) = re.findall(r"^#:schema .*$", SECTION, re.MULTILINE)
    target = line.removeprefix("#:schema ")
    assert (ROOT / "ledgers" / target).resolve() == (ROOT / "schema" / "ledger.schema.json")
    shutil.copytree(ROOT / "ledgers", ledger.root / "ledgers")
    funding = ledger.root / "ledgers" / "funding.toml"
    funding.write_text(line + "\n" + funding.read_text(encoding="utf-8"), encoding="utf-8")
    result = ledger.run("check", "--format", "json", "--as-of", "2006-12-31")
    assert [problem["code"] for problem in result.json()["problems"] if problem["severity"] == "error"] == []


def test_the_sample_problem_is_what_check_prints_on_the_shipped_ledger_with_that_typo(ledger):
    sample = re.search(r"^```text\n(.*?)^```$", SECTION, re.DOTALL | re.MULTILINE).group(1)
    shutil.copytree(ROOT / "ledgers", ledger.root / "ledgers")
    funding = ledger.root / "ledgers" / "funding.toml"
    funding.write_text(funding.read_text(encoding="utf-8").replace('party = "TDAP"', 'party = "TADP"', 1),
                       encoding="utf-8")
    assert ledger.run("check").stdout.startswith(sample)


def test_the_section_names_what_it_documents():
    for words in ("cndledger schema", "cndledger explain CODE", "cndledger-check", "--format github",
                  "docs/ci.md", "--install-completion", "`--project`", "`release-check`"):
        assert words in SECTION
    assert (ROOT / "docs" / "ci.md").exists() and (ROOT / ".pre-commit-hooks.yaml").exists()
