"""The pre-commit hook (.pre-commit-hooks.yaml), installed and run by pre-commit on throw-away git repositories:
once as a plain configuration naming the hook, once as the configuration docs/ci.md gives.

pre-commit installs cndledger from a local clone of this checkout into an environment of its own, with pip:
that needs cndledger's dependencies from a package index. Where they cannot be had (offline), the tests skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COMMITMENT

yaml = pytest.importorskip("yaml")
pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parent.parent
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info", ".pytest_cache",
                                     ".hypothesis", "build", "dist")
OFFLINE = re.compile(r"No matching distribution|Could not find a version|Temporary failure in name resolution|"
                     r"Network is unreachable|Failed to establish a new connection|ProxyError|ConnectTimeout", re.IGNORECASE)

GOOD = COMMITMENT
BROKEN = COMMITMENT.replace("amount = 1000", "ammount = 1000")


def git_environment(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    return env | {
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",  # no hooksPath or template of the machine
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
        "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    }


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


class Setup:
    def __init__(self, clone: Path, rev: str, env: dict[str, str], base: Path) -> None:
        self.clone, self.rev, self.env, self.base = clone, rev, env, base

    def new_repository(self, name: str, config: dict) -> Path:
        repository = self.base / name
        repository.mkdir()
        run(["git", "init", "-q"], repository, self.env).check_returncode()
        (repository / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
        run(["git", "add", ".pre-commit-config.yaml"], repository, self.env).check_returncode()
        return repository

    def pre_commit(self, repository: Path, *args: str) -> subprocess.CompletedProcess:
        return run([sys.executable, "-m", "pre_commit", *args], repository, self.env)

    def commit(self, repository: Path, message: str, files: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Write the files (path: text), add them and everything changed, and `git commit` (running the hook)."""
        for name, text in (files or {}).items():
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            (repository / name).write_text(text, encoding="utf-8")
        run(["git", "add", "-A"], repository, self.env).check_returncode()
        return run(["git", "commit", "-m", message], repository, self.env)


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Setup:
    """A clone of this checkout (its working tree as it is, committed), and a pre-commit home with the hook
    installed from it once for the module."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("pre-commit")
    env = git_environment(base / "home")
    clone = base / "cndledger"
    shutil.copytree(ROOT, clone, ignore=NOT_SHIPPED, symlinks=True)
    for step in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        run(step, clone, env).check_returncode()
    rev = run(["git", "rev-parse", "HEAD"], clone, env).stdout.strip()
    made = Setup(clone, rev, env, base)
    probe = made.new_repository("probe", hook_config(made))
    installed = made.pre_commit(probe, "install-hooks")
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        log = base / "home" / "pre-commit.log"
        output += log.read_text() if log.exists() else ""
        if OFFLINE.search(output):
            pytest.skip("pre-commit cannot install cndledger's dependencies here (no package index)")
        pytest.fail(f"pre-commit could not install the hook:\n{output}")
    return made


def hook_config(setup: Setup, **hook) -> dict:
    return {"repos": [{"repo": str(setup.clone), "rev": setup.rev, "hooks": [{"id": "cndledger-check", **hook}]}]}


def test_the_hook_passes_a_good_ledger_and_stops_a_broken_one_before_it_is_committed(setup):
    repository = setup.new_repository("plain", hook_config(setup))
    assert setup.pre_commit(repository, "install").returncode == 0

    committed = setup.commit(repository, "a good ledger", {"good.toml": GOOD})
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert re.search(r"cndledger check\.+Passed", committed.stdout + committed.stderr)

    refused = setup.commit(repository, "a broken ledger", {"broken.toml": BROKEN})
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert re.search(r"cndledger check\.+Failed", output)
    assert "broken.toml:20: error[unknown-key]: unknown key 'ammount' in [[commitment]]; did you mean 'amount'?" in output
    assert "broken.toml:15: error[missing-key]" in output
    log = run(["git", "log", "--format=%s"], repository, setup.env).stdout.splitlines()
    assert log == ["a good ledger"]


def test_the_hook_checks_only_toml_files(setup):
    repository = setup.new_repository("types", hook_config(setup))
    (repository / "notes.txt").write_text("ammount = not a ledger\n")
    result = setup.pre_commit(repository, "run", "--files", "notes.txt")
    assert result.returncode == 0
    assert re.search(r"cndledger check\.+\(no files to check\)Skipped", result.stdout)


def docs_block(first_line: str) -> str:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    (block,) = [block for block in blocks if block.startswith(first_line + "\n")]
    return block


def test_the_configuration_in_docs_ci_md_checks_the_whole_ledger_folder_at_each_commit(setup):
    config = yaml.safe_load(docs_block("# .pre-commit-config.yaml"))
    (repo,) = config["repos"]
    assert repo["hooks"][0]["id"] == "cndledger-check"
    repo |= {"repo": str(setup.clone), "rev": setup.rev}  # the local clone stands in for the address
    repository = setup.new_repository("documented", config)
    assert setup.pre_commit(repository, "install").returncode == 0
    parties, projects = GOOD.split("[[project]]")
    committed = setup.commit(repository, "the ledger", {
        "pyproject.toml": '[project]\nname = "not-a-ledger"\n',
        "ledgers/parties.toml": parties, "ledgers/projects.toml": "[[project]]" + projects})
    assert committed.returncode == 0, committed.stdout + committed.stderr

    # A commit that touches one file is checked with the rest of the folder: its references resolve.
    release = '[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 400\n'
    committed = setup.commit(repository, "a release", {"ledgers/funding.toml": release})
    assert committed.returncode == 0, committed.stdout + committed.stderr

    refused = setup.commit(repository, "a release against nothing", {"ledgers/funding.toml": release.replace("C1", "C2")})
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert ("ledgers/funding.toml:2: error[unresolved-ref]: [[release]] names the commitment 'C2', which the ledger "
            "does not define") in output
    assert "pyproject.toml" not in output
