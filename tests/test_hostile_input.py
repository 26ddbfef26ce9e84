"""Hostile input: every one gets a located, plain message and exit 1 or 2, never a traceback or a hang."""

from __future__ import annotations

from conftest import PREAMBLE, codes


def project_with_budget(budget: str) -> str:
    return f'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget = {budget}\n'


def assert_plain(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (1, 2)


def test_an_amount_with_a_huge_exponent_is_too_large_not_an_overflow(ledger):
    ledger.write("ledgers/a.toml", project_with_budget("1e999999999"))
    result = ledger.run("check", "--format", "json")
    assert_plain(result)
    problem = result.json()["problems"][0]
    assert (problem["code"], problem["line"]) == ("bad-value", 5)
    assert "too large" in problem["message"]
