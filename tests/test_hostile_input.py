"""Hostile input: every one gets a located, plain message and exit 1 or 2, never a traceback or a hang."""

from __future__ import annotations

import os
import random

import pytest

from conftest import PREAMBLE

VALID_RELEASE = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000

[[release]]
commitment = "C1"
date = 2005-02-01
amount = 400
"""


def project_with_budget(budget: str) -> str:
    return f'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget = {budget}\n'


def assert_plain(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (1, 2)


def only_problem(result) -> dict:
    assert_plain(result)
    problems = result.json()["problems"]
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize("as_of, accrued", [
    ("9999-12-31", "599940.00"), ("0001-01-15", "0.00"), ("0001-01-31", "5.00"), ("2005-06-15", "120265.00"),
])
def test_in_kind_accrues_at_the_ends_of_the_calendar(ledger, as_of, accrued):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[inkind]]
id = "K"
project = "P1"
party = "DONOR"
description = "office"
nature = "goods"
start = 0001-01-01
monthly_value = 5
""")
    result = ledger.run("balance", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    assert result.json()["projects"][0]["inkind_valued"] == accrued
