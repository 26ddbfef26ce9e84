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


# --- examples/pkr-trust-fund: money in several currencies -------------------------------------------

PKR_FUND = TRUST_FUND.parent / "pkr-trust-fund"
PKR_AS_OF = dt.date(2006, 6, 30)


def _pkr_entries(kind):
    found = []
    for path in sorted(PKR_FUND.glob("*.toml")):
        found += tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal).get(kind, [])
    return found


def _month_end(year, month):
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _last_day(value):
    """The day an entry dated so counts from (TOML days, or "YYYY-MM" strings)."""
    if isinstance(value, dt.date):
        return value
    year, month = map(int, value.split("-"))
    return _month_end(year, month)


def _away_from_zero(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)  # ROUND_HALF_UP is away from zero


def _convert(amount, source, target, day, rates):
    """The contract's rule, read from the rates as written: the latest of the pair either way round on
    or before the day, the direct one on a tie; one rounding."""
    amount = Decimal(amount)
    if source == target or not amount:
        return amount
    quotes = [(rate["date"], (rate["from"], rate["to"]) == (source, target), rate) for rate in rates
              if {rate["from"], rate["to"]} == {source, target} and rate["date"] <= day]
    _, direct, quote = max(quotes, key=lambda found: (found[0], found[1]))
    return _away_from_zero(amount * quote["rate"] if direct else amount / quote["rate"])


def _pkr_figures(target_of):
    """Each project's figures (the child's entries counted in the parent too), each entry converted on
    its own; `target_of(project)` is the currency the project's figures are in."""
    projects = {project["id"]: project for project in _pkr_entries("project")}
    rates = _pkr_entries("rate")
    commitments = {entry["id"]: entry for entry in _pkr_entries("commitment")}
    home = {ident: projects[entry["project"]]["currency"] for ident, entry in commitments.items()}

    def currency(entry):
        if "commitment" in entry:
            return currency(commitments[entry["commitment"]])
        return entry.get("currency", projects[entry["project"]]["currency"])

    def project_of(entry):
        return commitments[entry["commitment"]]["project"] if "commitment" in entry else entry["project"]

    def converted(entry, amount, target, day, *, revalued=False):
        if "rate" in entry and not revalued and target == (
                home[entry["commitment"]] if "commitment" in entry else projects[entry["project"]]["currency"]):
            return _away_from_zero(Decimal(amount) * entry["rate"])
        return _convert(amount, currency(entry), target, day, rates)

    found = {}
    for ident, project in projects.items():
        target = target_of(project)
        subtree = {ident} | {child for child, other in projects.items() if other.get("parent") == ident}
        figures = dict.fromkeys(("committed", "released", "refunded", "spent", "inkind", "outstanding", "pledged",
                                 "budget"), Decimal(0))
        for kind, name, sign in (("commitment", "committed", 1), ("decommitment", "committed", -1),
                                 ("release", "released", 1), ("refund", "refunded", 1), ("expense", "spent", 1)):
            for entry in _pkr_entries(kind):
                if project_of(entry) in subtree:
                    figures[name] += sign * converted(entry, entry["amount"], target, _last_day(entry["date"]))
        for ident_c, commitment in commitments.items():
            if commitment["project"] in subtree:
                unreleased = commitment["amount"] - sum(
                    flow["amount"] for kind in ("release", "decommitment") for flow in _pkr_entries(kind)
                    if flow["commitment"] == ident_c)
                figures["outstanding"] += converted(commitment, unreleased, target, PKR_AS_OF, revalued=True)
        for contribution in _pkr_entries("inkind"):
            if contribution["project"] in subtree:
                start, end = _last_day(contribution["start"]), _last_day(contribution["end"])
                month = (start.year, start.month)
                while _month_end(*month) <= min(end, PKR_AS_OF):
                    figures["inkind"] += converted(contribution, contribution["monthly_value"], target,
                                                   _month_end(*month))
                    month = (month[0] + month[1] // 12, month[1] % 12 + 1)
        for pledge in _pkr_entries("pledge"):
            if pledge["project"] in subtree:
                fulfilled = sum(commitment["amount"] - sum(flow["amount"] for flow in _pkr_entries("decommitment")
                                                           if flow["commitment"] == ident_c)
                                for ident_c, commitment in commitments.items() if commitment.get("pledge") == pledge["id"])
                figures["pledged"] += converted(pledge, max(pledge["amount"] - fulfilled, 0), target, PKR_AS_OF,
                                                revalued=True)
        figures["budget"] = _convert(project["budget"], project["currency"], target, PKR_AS_OF, rates)
        figures["available"] = figures["released"] - figures["refunded"] - figures["spent"]
        figures["exchange_difference"] = figures["committed"] - figures["released"] - figures["outstanding"]
        found[ident] = figures
    return found


def _pkr_balance(*args):
    result = CliRunner().invoke(app, ["balance", "--json", "--as-of", "2006-06-30", *args, "--no-cache",
                                      "-f", str(PKR_FUND)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _as_reported(figures):
    names = {"committed": "committed", "released": "released", "refunded": "refunded", "spent": "spent",
             "inkind": "inkind_valued", "outstanding": "outstanding", "pledged": "pledged", "budget": "budget",
             "available": "available", "exchange_difference": "exchange_difference"}
    return {names[name]: _cents(value) for name, value in figures.items()}


def test_the_pkr_example_says_it_is_illustrative_and_checks_clean_with_strict():
    files = sorted(PKR_FUND.glob("*.toml"))
    assert files
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE"), path.name
    assert "ILLUSTRATIVE" in (PKR_FUND / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--strict", "--as-of", "2006-06-30", "--no-cache", "-f", str(PKR_FUND)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(f"0 errors, 0 warnings in {len(files)} files")


def test_the_pkr_example_has_what_the_tour_shows():
    projects = {project["id"]: project for project in _pkr_entries("project")}
    assert (projects["PKR-TF"]["currency"], projects["PKR-TF"]["fiscal_year_start"]) == ("USD", 7)
    assert projects["PKR-TF-LOCAL"]["currency"] == "PKR" and projects["PKR-TF-LOCAL"]["parent"] == "PKR-TF"
    rates = _pkr_entries("rate")
    assert len(rates) == 24 and {(rate["from"], rate["to"]) for rate in rates} == {("USD", "PKR")}
    assert sorted(rate["date"] for rate in rates) == [dt.date(2004 + (6 + n) // 12, (6 + n) % 12 + 1, 1)
                                                      for n in range(24)]
    assert any("rate" in release for release in _pkr_entries("release"))
    assert any(entry["amount"] < 0 for entry in _pkr_entries("expense"))
    assert _pkr_entries("refund") and _pkr_entries("decommitment") and _pkr_entries("pledge")
    (office,) = _pkr_entries("inkind")
    assert office["currency"] == "PKR" and "monthly_value" in office


def test_the_pkr_example_balances_to_the_cent_in_each_projects_currency():
    expected = _pkr_figures(lambda project: project["currency"])
    document = _pkr_balance()
    assert document["currency"] is None
    reported = {project["id"]: project for project in document["projects"]}
    for ident, figures in expected.items():
        assert {name: reported[ident][name] for name in _as_reported(figures)} == _as_reported(figures), ident
    # pinned, so that a change to the example or the rules is seen in review
    usd = reported["PKR-TF"]
    assert (usd["currency"], usd["committed"], usd["released"], usd["outstanding"], usd["exchange_difference"],
            usd["inkind_valued"], usd["pledged"], usd["available"]) == (
        "USD", "835500.10", "759419.71", "66555.75", "9524.64", "66412.77", "282861.90", "283172.10")
    pkr = reported["PKR-TF-LOCAL"]
    assert (pkr["currency"], pkr["committed"], pkr["released"], pkr["refunded"], pkr["spent"],
            pkr["exchange_difference"]) == ("PKR", "12000000.00", "11000000.00", "400000.00", "9750000.00", "0.00")


def test_the_pkr_example_in_rupees_uses_no_entrys_own_rate():
    expected = _pkr_figures(lambda project: "PKR")
    document = _pkr_balance("--currency", "PKR")
    assert document["currency"] == "PKR"
    reported = {project["id"]: project for project in document["projects"]}
    for ident, figures in expected.items():
        assert reported[ident]["currency"] == "PKR"
        assert {name: reported[ident][name] for name in _as_reported(figures)} == _as_reported(figures), ident
    assert (reported["PKR-TF"]["released"], reported["PKR-TF"]["exchange_difference"]) == ("44715000.00", "0.00")


def test_the_pkr_examples_mistake_is_a_located_no_rate_that_stops_the_report():
    mistake = PKR_FUND.parent / "pkr-no-rate.toml"
    assert mistake.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE")
    result = CliRunner().invoke(app, ["balance", "--as-of", "2006-06-30", "--no-cache", "-f", str(PKR_FUND),
                                      "-f", str(mistake)], catch_exceptions=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert (f"{mistake}:5: error[no-rate]: [[expense]]: no rate from PKR to USD on or before 2004-06-28 "
            "(the earliest is dated 2004-07-01)") in result.stderr
