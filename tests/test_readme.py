"""The README's generated outputs are those of the current code (scripts/update_readme.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_outputs_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_readme.py"), "--check"], cwd=ROOT)
    assert result.returncode == 0, "README.md is stale: run python scripts/update_readme.py"


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    assert any("cndledger balance" in line for line in head)
    assert any("pytest" in line for line in head)
