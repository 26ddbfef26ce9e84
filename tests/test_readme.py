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


def test_ci_runs_the_readme_test_command_after_the_pinned_linter_and_type_checker():
    import re
    import tomllib

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = re.findall(r"^```sh\n(.*?)\n```$", readme, re.DOTALL | re.MULTILINE)[1]
    install, run_tests = test_command.split(" && ")[-2:]
    steps = [line.replace(" --quiet", "") for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert f"python -m {install}" in steps
    assert steps[-1] == run_tests
    assert steps.index("python -m ruff check src tests scripts bench") < steps.index("python -m mypy") < len(steps) - 1
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert {requirement.split("==")[0] for requirement in extra["test"] if "==" in requirement} >= {"ruff", "mypy"}
