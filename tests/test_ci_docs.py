"""docs/ci.md: its GitHub Actions workflow, run as far as it can be offline, and its sample outputs, which must
be what cndledger prints. (Its pre-commit configuration is run through pre-commit in test_precommit.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")

PARTIES = '[[party]]\nid = "TDAP"\nname = "Trade Development Authority of Pakistan"\naliases = ["EPB"]\n'
PROJECTS = '[[project]]\nid = "PAK-CND-TF"\ntitle = "Follow-up in five clusters"\ncurrency = "USD"\nbudget = 211_000\n'
INKIND = ('[[inkind]]\nid = "K1"\nproject = "PAK-CND-TF"\nparty = "TDAP"\ndescription = "Office space"\n'
          'nature = "services"\nstart = "2004"\n')
FUNDING = """\
[[commitment]]
id = "TF"
project = "PAK-CND-TF"
party = "EPB"
date = "2004"
amount = 211_000
instrument = "trust-fund"

[[release]]
commitment = "TF"
date = 2005-02-15
amount = 70_000
"""
BROKEN_FUNDING = FUNDING.replace("amount = 70_000", "ammount = 70_000")


def fenced(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC, re.DOTALL | re.MULTILINE)


def workflow() -> dict:
    (block,) = [block for block in fenced("yaml") if block.startswith("# .github/workflows/")]
    return yaml.safe_load(block)


def precommit_config() -> dict:
    (block,) = [block for block in fenced("yaml") if block.startswith("# .pre-commit-config.yaml")]
    return yaml.safe_load(block)


def ledger_repository(root: Path, funding: str) -> Path:
    (root / "ledgers").mkdir(parents=True)
    for name, text in {"parties": PARTIES, "projects": PROJECTS, "inkind": INKIND, "funding": funding}.items():
        (root / "ledgers" / f"{name}.toml").write_text(text, encoding="utf-8")
    return root


def run_step(script: str, cwd: Path, summary: Path) -> subprocess.CompletedProcess:
    """A `run:` step as GitHub's runner runs it on Linux: bash -e, in the checkout, cndledger on the PATH."""
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true",
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("CNDLEDGER_LEDGER", None)
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def cndledger_steps() -> list[dict]:
    (job,) = workflow()["jobs"].values()
    return [step for step in job["steps"] if "run" in step and "pip install" not in step["run"]]


def test_the_workflow_runs_on_pushes_and_pull_requests_with_a_python_cndledger_supports():
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and "push" in triggers
    (job,) = flow["jobs"].values()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert tuple(map(int, python["with"]["python-version"].split("."))) >= (3, 11)
    assert any("--format github" in step["run"] for step in cndledger_steps())


def test_the_workflow_installs_the_same_cndledger_as_the_precommit_configuration():
    (job,) = workflow()["jobs"].values()
    (install,) = [step["run"] for step in job["steps"] if "pip install" in step.get("run", "")]
    (repo,) = precommit_config()["repos"]
    assert f"cndledger @ git+{repo['repo']}@{repo['rev']}" in install


def test_the_workflow_steps_pass_on_a_good_ledger_and_put_the_balance_on_the_summary(tmp_path):
    checkout = ledger_repository(tmp_path / "checkout", FUNDING)
    summary = tmp_path / "summary.md"
    for step in cndledger_steps():
        result = run_step(step["run"], checkout, summary)
        assert result.returncode == 0, (step, result.stdout, result.stderr)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("```\nBalance as of ")
    assert re.search(r"PAK-CND-TF\s+USD\s+211,000\.00\s+211,000\.00\s+70,000\.00\s+141,000\.00", text)


def test_the_check_step_fails_on_a_broken_ledger_with_an_annotation_on_the_line(tmp_path):
    checkout = ledger_repository(tmp_path / "checkout", BROKEN_FUNDING)
    (check,) = [step for step in cndledger_steps() if "cndledger check" in step["run"]]
    result = run_step(check["run"], checkout, tmp_path / "summary.md")
    assert result.returncode == 1
    annotations = result.stdout.splitlines()
    assert annotations[0].startswith("::error file=ledgers/funding.toml,line=9,col=1,endColumn=11,title=missing-key::")
    assert annotations[1].startswith("::error file=ledgers/funding.toml,line=12,col=1,endColumn=7,title=unknown-key::")


def test_the_sample_outputs_on_the_page_are_what_cndledger_prints(tmp_path):
    checkout = ledger_repository(tmp_path / "checkout", BROKEN_FUNDING)
    text_sample, github_sample = fenced("text")
    printed = run_step("cndledger check --ledger ledgers ledgers/funding.toml", checkout, tmp_path / "s.md")
    # pre-commit's own lines, then exactly what the hook printed
    assert text_sample.split("\n\n", 1)[1] == printed.stdout
    printed = run_step("cndledger check --format github ledgers", checkout, tmp_path / "s.md")
    shown = github_sample.strip().removesuffix("…")
    assert printed.stdout.startswith(shown)
