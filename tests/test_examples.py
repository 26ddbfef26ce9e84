"""The illustrative ledger under examples/: it checks clean, and its reports equal sums computed here, from
its entries read independently with tomllib."""

import datetime as dt
import json
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from typer.testing import CliRunner

from cndledger.cli.app import app

TRUST_FUND = Path(__file__).resolve().parent.parent / "examples" / "trust-fund"
AS_OF = dt.date(2006, 6, 30)
FY2005_06 = (dt.date(2005, 7, 1), dt.date(2006, 6, 30))
CENT = Decimal("0.01")


def _run(*args):
    result = CliRunner().invoke(app, [*args, "--no-cache", "-f", str(TRUST_FUND)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _entries(kind):
    found = []
    for path in sorted(TRUST_FUND.glob("*.toml")):
        found += tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal).get(kind, [])
    return found


def _cents(value):
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def test_every_file_says_it_is_illustrative():
    files = sorted(TRUST_FUND.glob("*.toml"))
    assert files
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE"), path.name


def test_it_checks_clean_with_strict():
    code, stdout, stderr = _run("check", "--strict", "--as-of", "2006-06-30")
    assert code == 0, stdout + stderr
    assert stdout.strip().endswith("0 errors, 0 warnings in 5 files")


def test_the_budget_for_fy2005_06_is_the_sum_of_its_entries():
    (project,) = _entries("project")
    assert project["fiscal_year_start"] == 7  # so FY2005-06 is 1 July 2005 to 30 June 2006
    first, last = FY2005_06
    lines = {}
    for entry in _entries("budget"):
        assert entry["project"] == project["id"]
        if entry["period"] != "FY2005-06":
            continue
        line = lines.setdefault((entry.get("category"), entry.get("cluster")), {"original": None, "revisions": []})
        if "revision" in entry:
            line["revisions"].append((entry["revision"], entry["amount"]))
        else:
            line["original"] = entry["amount"]
    assert any(line["revisions"] for line in lines.values())  # the example shows a revision
    spent = dict.fromkeys(lines, Decimal(0))
    unbudgeted = Decimal(0)
    for expense in _entries("expense"):
        if not first <= expense["date"] <= min(last, AS_OF):
            continue
        matched = [key for key in lines if key[0] in (None, expense.get("category"))
                   and key[1] in (None, expense.get("cluster"))]
        for key in matched:
            spent[key] += Decimal(expense["amount"])
        if not matched:
            unbudgeted += Decimal(expense["amount"])
    assert any(expense["amount"] < 0 for expense in _entries("expense"))  # and a credit note

    code, stdout, stderr = _run("budget", "--json", "--period", "FY2005-06", "--as-of", "2006-06-30")
    assert code == 0, stderr
    document = json.loads(stdout)
    reported = {(line["category"], line["cluster"]): line for line in document["lines"]}
    assert set(reported) == set(lines)
    for key, line in lines.items():
        in_force = [amount for day, amount in sorted(line["revisions"]) if day <= AS_OF]
        budget = in_force[-1] if in_force else line["original"]
        figures = reported[key]
        assert (figures["start"], figures["end"]) == ("2005-07-01", "2006-06-30")
        assert figures["budget"] == _cents(budget)
        assert figures["original"] == (_cents(line["original"]) if in_force else None)
        assert figures["spent"] == _cents(spent[key])
        assert figures["remaining"] == _cents(budget - spent[key])
        assert figures["used"] == str((spent[key] / budget).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    assert document["unbudgeted"] == [
        {"project": project["id"], "period": "FY2005-06", "currency": "USD", "spent": _cents(unbudgeted)}]


def test_the_balance_is_the_sum_of_its_entries():
    (project,) = _entries("project")
    rate = project["support_cost_rate"]
    committed = sum(entry["amount"] for entry in _entries("commitment")) \
        - sum(entry["amount"] for entry in _entries("decommitment"))
    released = sum(entry["amount"] for entry in _entries("release"))
    refunded = sum(entry["amount"] for entry in _entries("refund"))
    expenses = [Decimal(entry["amount"]) for entry in _entries("expense")]
    spent = sum(expenses)
    # each expense's support cost rounded on its own, half away from zero
    support = sum((amount * rate).quantize(CENT, rounding=ROUND_HALF_UP) if amount >= 0
                  else -(-amount * rate).quantize(CENT, rounding=ROUND_HALF_UP) for amount in expenses)
    pledged = sum(entry["amount"] for entry in _entries("pledge")) \
        - sum(entry["amount"] for entry in _entries("commitment") if "pledge" in entry)
    assert all(entry["date"] <= AS_OF for kind in ("commitment", "release", "refund", "decommitment", "expense")
               for entry in _entries(kind))

    code, stdout, stderr = _run("balance", "--json", "--as-of", "2006-06-30")
    assert code == 0, stderr
    (figures,) = json.loads(stdout)["projects"]
    assert (figures["committed"], figures["released"], figures["refunded"], figures["outstanding"],
            figures["spent"], figures["support_cost"], figures["available"], figures["pledged"]) == (
        _cents(committed), _cents(released), _cents(refunded), _cents(committed - released), _cents(spent),
        _cents(support), _cents(released - refunded - spent - support), _cents(pledged))
