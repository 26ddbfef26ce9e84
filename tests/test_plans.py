"""The generated plans (src/cndledger/format/plans.py) are those of the current models, and a ledger of
plainly valid entries is read without Pydantic; an entry a plan refuses still gets Pydantic's words."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import COMMITMENT

ROOT = Path(__file__).resolve().parent.parent


def test_the_plans_are_generated_from_the_current_models():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_plans.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + "\nsrc/cndledger/format/plans.py is stale: run python scripts/generate_plans.py"


VALID = COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500
after = []
requires = ["M1"]
min_spent = 0.5

[[milestone]]
id = "M1"
project = "P1"
title = "A report"
done = "2005-02"

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-01
amount = 500.00

[[inkind]]
id = "K1"
project = "P1"
party = "AGENCY"
description = "Office space"
nature = "services"
start = "2005"
monthly_value = 100

[[expense]]
project = "P1"
date = 2005-03-02
amount = 120.50
currency = "USD"

[[assert]]
project = "P1"
date = 2005-12-31
released = 500
spent = 120.50
"""

# Reads the ledger in the current folder through the library; prints what it found and whether Pydantic was imported.
LIBRARY = textwrap.dedent("""\
    import datetime, json, sys
    from cndledger.core import api
    day = datetime.date(2006, 1, 1)
    opened = api.open_ledger(["ledgers"], day, use_cache=False)
    checked = api.check_files(["ledgers/a.toml"], day)
    print(json.dumps({
        "entries": sum(len(opened.ledger.entries_of(kind)) for kind in ("party", "project", "commitment", "tranche",
                       "milestone", "release", "inkind", "expense", "assert")),
        "problems": [f"{p.code} {p.line}: {p.message}" for p in opened.problems],
        "same": [p.message for p in opened.problems] == [p.message for p in checked.problems],
        "pydantic": sorted({name.split(".")[0] for name in sys.modules} & {"pydantic", "pydantic_core"}),
    }))
""")


def read_by_the_library(ledger, text: str) -> dict:
    ledger.write("ledgers/a.toml", text)
    done = subprocess.run([sys.executable, "-c", LIBRARY], cwd=ledger.root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CNDLEDGER_NO_CACHE": "1"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_ledger_of_plainly_valid_entries_is_read_without_pydantic(ledger):
    found = read_by_the_library(ledger, VALID)
    assert found == {"entries": 10, "problems": [], "same": True, "pydantic": []}


def test_an_entry_a_plan_refuses_is_judged_and_worded_by_pydantic(ledger):
    text = VALID + '\n[[expense]]\nproject = "P1"\ndate = "2005-02-30"\namount = 1\n'
    found = read_by_the_library(ledger, text)
    assert found["pydantic"] == ["pydantic", "pydantic_core"]
    line = text.splitlines().index('date = "2005-02-30"') + 1
    assert found["problems"] == [f"bad-value {line}: 'date' in [[expense]]: '2005-02-30' is not a date of the calendar"]
    assert found["entries"] == 10 and found["same"]


def test_the_command_reads_a_valid_ledger_without_pydantic(ledger):
    ledger.write("ledgers/a.toml", VALID)
    for command in (["check", "--no-cache"], ["balance", "--no-cache", "--as-of", "2006-01-01"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cndledger", *command, "ledgers"],
                              cwd=ledger.root, capture_output=True, text=True, timeout=120)
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        assert done.returncode == 0, done.stderr
        assert "pydantic" not in imported, command
