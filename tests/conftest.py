"""Shared helpers: write a ledger inline, run the command line on it."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cndledger.cli.app import app

# The parties and project most tests build on, written out where a test needs them.
PREAMBLE = """\
[[party]]
id = "DONOR"
name = "A donor"
aliases = ["OLD-DONOR"]

[[party]]
id = "AGENCY"
name = "An agency"

[[project]]
id = "P1"
title = "A project"
currency = "USD"
"""

# The preamble with one commitment of the donor to the project: a ledger with no problem.
COMMITMENT = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
"""


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


class LedgerDir:
    """A folder of ledger files written by a test; `run` runs cndledger inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.run_in(".", *args, env=env)

    def run_in(self, folder: str, *args: str, env: dict[str, str] | None = None) -> Result:
        """Run cndledger in a folder below the root."""
        import os

        old = os.getcwd()
        os.chdir(self.root / folder)
        try:
            result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
        finally:
            os.chdir(old)
        return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(autouse=True)
def _no_ledger_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CNDLEDGER_LEDGER", raising=False)


SOURCE = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture(scope="session", autouse=True)
def _no_cache_in_the_home_directory(tmp_path_factory: pytest.TempPathFactory):
    """Set before any fixture copies the environment: the programs tests start (pre-commit's hook, CI
    steps) keep their cache in a temporary folder too, never in the home directory; and they run
    the code of this source tree, as the tests do (`pythonpath` in pyproject.toml), not an installed copy."""
    import os

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-cache")))
        patch.setenv("PYTHONPATH", os.pathsep.join([str(SOURCE), *filter(None, [os.environ.get("PYTHONPATH")])]))
        yield


@pytest.fixture(autouse=True)
def _a_cache_of_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test reads and writes a cache of its own, never the one in the home directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("CNDLEDGER_NO_CACHE", raising=False)


@pytest.fixture
def ledger(tmp_path: Path) -> LedgerDir:
    return LedgerDir(tmp_path)


def codes(result: Result) -> list[str]:
    """The problem codes of `check --format json`, in the order reported."""
    return [problem["code"] for problem in result.json()["problems"]]


def problems(ledger: LedgerDir, *args: str) -> list[dict]:
    """`cndledger check --format json ARGS` in the ledger's folder: the problems it lists."""
    result = ledger.run("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.json()["problems"]


def with_code(found: list[dict], code: str) -> list[dict]:
    return [problem for problem in found if problem["code"] == code]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The number of the line of a written file holding `needle` (its `occurrence`-th such line)."""
    seen = 0
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in text:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} is not in {path} {occurrence} times")


def load(paths: list[str]):
    """The ledger of the files at the paths (as `find_files` gives them), read without the cache."""
    from cndledger.read.load import load_contents, read_bytes

    return load_contents([(path, read_bytes(path)) for path in paths])
