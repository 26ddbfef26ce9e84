"""No command ends in a traceback whatever the encoding of the terminal: every character we print has
a plain spelling, and text from a ledger that the encoding lacks is written as an escape."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parent.parent / "ledgers"

# Non-ASCII text in every place a report shows it, and an error whose source line is shown.
UNICODE = """\
[[party]]
id = "DONOR"
name = "Bailleur — Société générale ✓ 東京"

[[party]]
id = "AGENCY"
name = "Agence d’exécution"

[[project]]
id = "P1"
title = "Développement — phase Ⅱ"
currency = "EUR"

[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
note = "première tranche — à vérifier"

[[tranche]]
id = "T1"
commitment = "C1"
amount = 400
due = 2005-02-01

[[release]]
id = "R1"
commitment = "C1"
tranche = "T1"
date = 2005-02-03
amount = 400
note = "virement reçu …"

[[expense]]
project = "P1"
date = 2005-03-01
amount = 100
note = "matériel — ordinateurs"
"""

BROKEN = UNICODE + """
[[expense]]
project = "P1"
date = 2005-04-01
amount = 50
remarque = "clé inconnue — é"
"""

COMMANDS = [
    ["check"], ["check", "--format", "json"], ["check", "--format", "github"], ["check", "--strict"],
    ["balance"], ["balance", "--by-party"], ["balance", "--json"],
    ["tranches"], ["tranches", "--json"], ["tranches", "--csv"],
    ["register"], ["register", "--json"], ["register", "--csv"],
    ["explain"], ["explain", "unknown-key"], ["explain", "no-such-code"], ["schema"],
    ["--help"], ["check", "--help"], ["balance", "--help"], ["tranches", "--help"], ["register", "--help"],
    ["release-check", "--help"], ["explain", "--help"], ["schema", "--help"], ["add", "--help"],
]
ENCODINGS = ["ascii", "latin-1", "cp437"]


def _run(folder: Path, encoding: str, args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    env.pop("CNDLEDGER_LEDGER", None)
    return subprocess.run([sys.executable, "-m", "cndledger", *args], cwd=folder, env=env, capture_output=True)


def _every_run(folder: Path, encoding: str, commands: list[list[str]]) -> dict[tuple[str, ...], int]:
    codes = {}
    for args in commands:
        run = _run(folder, encoding, args)
        stderr = run.stderr.decode(encoding, errors="replace")
        assert "Traceback" not in stderr, (args, stderr)
        assert "Error" not in stderr.replace("error[", "").replace("errors", ""), (args, stderr)
        run.stdout.decode(encoding)  # all of it in the terminal's encoding
        codes[tuple(args)] = run.returncode
    return codes


def _expected(codes: dict[tuple[str, ...], int], problems: int) -> None:
    for args, code in codes.items():
        if "--help" in args or args[0] in ("explain", "schema") and args[-1] != "no-such-code":
            assert code == 0, args
        elif args[-1] == "no-such-code":
            assert code == 2, args
        elif args == ("check", "--strict") or args[0] in ("balance", "tranches", "register", "check"):
            assert code in (0, problems), args


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_command_on_the_shipped_ledgers(tmp_path: Path, encoding: str):
    shutil.copytree(SHIPPED, tmp_path / "ledgers")
    commands = [*COMMANDS, ["release-check", "TDAP-PAK-CND-TF-1"], ["release-check", "TDAP-PAK-CND-TF-1", "--json"],
                ["add", "expense", "project=PAK-CND-TF", "date=2005-09-30", "amount=10", "note=matériel — 2",
                 "--to", "ledgers/funding.toml", "--dry-run"]]
    codes = _every_run(tmp_path, encoding, commands)
    _expected(codes, problems=1)
    assert codes[("check",)] == 0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_command_on_a_ledger_of_non_ascii_text(tmp_path: Path, encoding: str):
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers" / "a.toml").write_text(UNICODE, encoding="utf-8")
    commands = [*COMMANDS, ["release-check", "T1", "--on", "2005-02-01"],
                ["release-check", "T1", "--on", "2005-02-01", "--json"],
                ["add", "expense", "project=P1", "date=2005-09-30", "amount=10", "note=matériel — 2",
                 "--to", "ledgers/a.toml"]]
    codes = _every_run(tmp_path, encoding, commands)
    _expected(codes, problems=1)
    assert codes[("check",)] == 0
    assert codes[("add", "expense", "project=P1", "date=2005-09-30", "amount=10", "note=matériel — 2",
                  "--to", "ledgers/a.toml")] == 0
    balance = _run(tmp_path, encoding, ["balance"]).stdout.decode(encoding)
    assert "P1" in balance and "110.00" in balance  # the added expense counts


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_command_on_a_ledger_with_an_error_in_non_ascii_text(tmp_path: Path, encoding: str):
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers" / "a.toml").write_text(BROKEN, encoding="utf-8")
    codes = _every_run(tmp_path, encoding, [*COMMANDS, ["release-check", "T1", "--on", "2005-02-01"]])
    _expected(codes, problems=1)
    assert codes[("check",)] == 1
    assert codes[("release-check", "T1", "--on", "2005-02-01")] == 2
    shown = _run(tmp_path, encoding, ["check"]).stdout.decode(encoding)
    assert "unknown-key" in shown and "remarque" in shown


def test_the_marks_and_dashes_have_plain_spellings(tmp_path: Path):
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers" / "a.toml").write_text(UNICODE, encoding="utf-8")
    balance = _run(tmp_path, "ascii", ["balance"]).stdout.decode("ascii")
    assert "\\u2014" not in balance and "  -\n" in balance  # our own dash is a plain "-", not an escape
    (tmp_path / "ledgers" / "a.toml").write_text(BROKEN, encoding="utf-8")
    shown = _run(tmp_path, "ascii", ["check"]).stdout.decode("ascii")
    assert 'remarque = "cl\\xe9 inconnue - \\xe9"' in shown  # the ledger's own letters: exact, as escapes
    assert 'remarque = "cl\xe9 inconnue - \xe9"' in _run(tmp_path, "latin-1", ["check"]).stdout.decode("latin-1")
