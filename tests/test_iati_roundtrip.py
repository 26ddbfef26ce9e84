"""The round trip: a ledger exported as IATI (`iati export`) and read back (`iati import --to DIR`, with
the ledger's rates given back as a CSV file, `--rates`, where it has entries in other currencies) has,
per project, the same committed, released, refunded and spent (and per party, committed and released)
in `balance --json` on every day asked, and the same budget per project and period in `budget --json`.

`pledged` is not compared: a commitment's `pledge` key (the pledge it fulfils) has no place in IATI,
where an incoming pledge (13) and an incoming commitment (11) are separate transactions. Imported,
every pledge stays pledged in full, so `pledged` is the pledges' sum (docs/iati-import.md). Nor are
`budget` (the project's own `budget` key, which IATI does not carry: its budgets are the budget lines),
`support_cost` (a project's `support_cost_rate` is not published) and `available` (released less spent
and support cost) compared.

Projects are known after import by their iati_identifier, parties by their iati_ref.
"""

from __future__ import annotations

import datetime as _dt
import shutil
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LedgerDir

pytest.importorskip("lxml.etree", reason="the IATI import needs lxml: pip install 'cndledger[iati]'")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = "2030-12-31"  # the export's day: every generated entry counts by then
MINOR_UNITS = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
FIGURES = ("committed", "released", "refunded", "spent")
FIRST, LAST = _dt.date(2000, 1, 1).toordinal(), _dt.date(2012, 12, 31).toordinal()


# ------------------------------------------------------------------------------------ comparing ---

def balances(ledger: LedgerDir, folder: str, days: list[str], projects: dict[str, str], parties: dict[str, str]
             ) -> dict[str, dict]:
    """Per day, per project (by iati_identifier): the figures compared, and per party (by iati_ref)."""
    found = {}
    for day in days:
        result = ledger.run("balance", folder, "--json", "--as-of", day, "--no-cache")
        assert result.exit_code == 0, result.stderr
        for project in result.json()["projects"]:
            key = projects.get(project["id"], project["id"])
            by_party = {parties.get(party["party"], party["party"]): (party["committed"], party["released"])
                        for party in project["by_party"]}
            found[f"{day} {key}"] = {**{name: project[name] for name in FIGURES}, "by_party": by_party}
    return found


def budgets(ledger: LedgerDir, folder: str, projects: dict[str, str]) -> dict[tuple[str, str], Decimal]:
    """The budget in force per project (by iati_identifier) and period, its lines added up."""
    result = ledger.run("budget", folder, "--json", "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 0, result.stderr
    found: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in result.json()["lines"]:
        if line["period"] is not None:
            found[(projects.get(line["project"], line["project"]), f"{line['start']}..{line['end']}")] += \
                Decimal(line["budget"])
    return dict(found)


def round_trip(ledger: LedgerDir, source: str, days: list[str], projects: dict[str, str], parties: dict[str, str],
               reporting_org: str | None = None, rates: tuple[str, ...] = ()) -> None:
    """Export the ledger in `source`, import it into `imported/` (with the rates files given), and compare
    their figures."""
    check = ledger.run("check", source, "--no-cache")
    assert check.exit_code == 0, check.stdout + check.stderr
    extra = ("--reporting-org", reporting_org) if reporting_org else ()
    exported = ledger.run("iati", "export", source, "--as-of", AS_OF, "--no-cache", "-o", "out.xml", *extra)
    assert exported.exit_code == 0, exported.stderr
    imported = ledger.run("iati", "import", "out.xml", "--to", "imported", *(f"--rates={path}" for path in rates))
    assert imported.exit_code == 0, imported.stderr
    # nothing is left out, implied, rounded or in want of a rate: each problem would say where
    assert "error[" not in imported.stderr and "warning[" not in imported.stderr, imported.stderr
    again = ledger.run("check", "imported", "--no-cache")
    assert again.exit_code == 0, again.stdout + again.stderr
    before = balances(ledger, source, days, projects, parties)
    after = balances(ledger, "imported", days, {}, {})
    assert after == before
    assert budgets(ledger, "imported", {}) == budgets(ledger, source, projects)


def test_the_trust_fund_example_comes_back_with_its_figures(tmp_path):
    ledger = LedgerDir(tmp_path)
    shutil.copytree(EXAMPLES / "trust-fund", tmp_path / "trust-fund")
    days = ["2004-07-20", "2004-09-30", "2005-06-30", "2005-12-31", "2006-03-31", "2006-06-30", AS_OF]
    round_trip(ledger, "trust-fund", days, {"TF-EXAMPLE": "XX-EXAMPLE-UN-TF-EXAMPLE"},
               {"DONOR": "XX-EXAMPLE-DONOR", "AGENCY": "XX-EXAMPLE-AGENCY"})
    # what does not come back, and why: the pledge the commitment fulfils, the support cost rate
    before = ledger.run("balance", "trust-fund", "--json", "--as-of", AS_OF).json()["projects"][0]
    after = ledger.run("balance", "imported", "--json", "--as-of", AS_OF).json()["projects"][0]
    assert (before["pledged"], after["pledged"]) == ("50000.00", "350000.00")
    assert (before["support_cost"], after["support_cost"]) == ("36926.02", "0.00")


MANY_CURRENCIES = """\
[[party]]
id = "DONOR"
name = "A donor"
type = "government"
iati_ref = "XX-DONOR"

[[party]]
id = "AGENCY"
name = "An agency"
type = "multilateral"
iati_ref = "XX-AGENCY"

[[project]]
id = "P1"
title = "A project in euros, funded in dollars"
currency = "EUR"
start = 2020-01-01
executing = "AGENCY"
iati_identifier = "XX-AGENCY-P1"
recipient_country = "KE"

[[project]]
id = "P2"
title = "Its part in Kenyan shillings"
currency = "KES"
parent = "P1"
start = 2020-01-01
executing = "AGENCY"
iati_identifier = "XX-AGENCY-P2"

[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2020-01-10
amount = 1000
currency = "USD"

[[tranche]]
id = "T1"
commitment = "C1"
amount = 400.05
due = 2020-12-31

[[release]]
commitment = "C1"
date = 2020-02-10
amount = 400.10
currency = "USD"

[[refund]]
commitment = "C1"
date = 2020-04-10
amount = 15.5
currency = "USD"

[[commitment]]
id = "C2"
project = "P2"
party = "AGENCY"
date = 2020-01-15
amount = 60_000

[[release]]
commitment = "C2"
date = 2020-02-15
amount = 60_000

[[expense]]
project = "P1"
date = 2020-03-10
amount = 110
currency = "USD"

[[expense]]
project = "P2"
date = 2020-03-12
amount = 5000
"""

RATES = [("2020-01-01", "USD", "EUR", "0.9"), ("2020-03-01", "USD", "EUR", "0.91"), ("2020-01-01", "EUR", "KES", "120")]


def test_a_ledger_in_several_currencies_comes_back_with_its_rates_given_as_csv(tmp_path):
    """IATI carries no rates: the ledger's, given back as a CSV file (--rates), convert the same entries
    on the same days; the project in euros funded only in dollars stays in euros; and the release of
    400.10 USD is not split at the end of the tranche of 400.05 USD (at 0.9 the parts, 360.05 and 0.05
    EUR, would add up to a cent more than the whole, 360.09 EUR)."""
    ledger = LedgerDir(tmp_path)
    rates = "".join(f"\n[[rate]]\ndate = {day}\nfrom = \"{source}\"\nto = \"{target}\"\nrate = {rate}\n"
                    for day, source, target, rate in RATES)
    ledger.write("source/ledger.toml", MANY_CURRENCIES + rates)
    ledger.write("rates.csv", "date,from,to,rate\n" + "".join(",".join(rate) + "\n" for rate in RATES))
    days = ["2020-01-10", "2020-02-15", "2020-03-10", "2020-03-12", "2020-04-10", AS_OF]
    round_trip(ledger, "source", days, {"P1": "XX-AGENCY-P1", "P2": "XX-AGENCY-P2"},
               {"DONOR": "XX-DONOR", "AGENCY": "XX-AGENCY"}, rates=("rates.csv",))
    after = ledger.run("balance", "imported", "--json", "--as-of", AS_OF).json()["projects"]
    assert [(project["id"], project["currency"], project["committed"]) for project in after] == [
        ("XX-AGENCY-P1", "EUR", "1400.00"), ("XX-AGENCY-P2", "KES", "60000.00")]


# ------------------------------------------------------------------------------------ generating ---

def amount(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-MINOR_UNITS[currency])


@st.composite
def dates(draw, earliest: _dt.date | None = None) -> tuple[object, _dt.date]:
    """A date on or after `earliest` (its whole period), as a day, a month or a year; and its last day."""
    low = max(FIRST, earliest.toordinal()) if earliest else FIRST
    day = _dt.date.fromordinal(draw(st.integers(low, max(low, LAST))))
    form = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
    if form == "month" and day.replace(day=1).toordinal() >= low:
        following = _dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day.strftime("%Y-%m"), following - _dt.timedelta(days=1)
    if form == "year" and _dt.date(day.year, 1, 1).toordinal() >= low:
        return str(day.year), _dt.date(day.year, 12, 31)
    return day, day


# Entries in another currency than their project, where several currencies are drawn: in a project in
# USD, entries in JPY; in one in KWD, entries in USD. The rates (moving in 2006) convert every amount of
# these exactly (0.01 USD or 1 JPY at any of them is a whole number of the project's minor unit): an
# entry the import must split (where no one commitment holds it) then adds up to the same.
FOREIGN = {"USD": "JPY", "KWD": "USD"}
MOVING_RATES = [("1999-12-31", "JPY", "USD", "0.01"), ("2006-01-01", "JPY", "USD", "0.02"),
                ("1999-12-31", "USD", "KWD", "0.3"), ("2006-01-01", "USD", "KWD", "0.2")]


@st.composite
def ledgers(draw) -> tuple[str, list[_dt.date], bool]:
    """A valid ledger with every identifier IATI needs, as TOML, the days its entries count from, and
    whether it has entries in other currencies than their project (and the MOVING_RATES)."""
    import tomli_w

    several = draw(st.booleans())

    def money_of(project: str) -> str:
        own = currency[project]
        return FOREIGN[own] if several and own in FOREIGN and draw(st.booleans()) else own

    entries: list[tuple[str, dict]] = []
    days: list[_dt.date] = []
    parties = [f"PARTY-{n}" for n in range(draw(st.integers(2, 3)))]
    for n, party in enumerate(parties):
        fields = {"id": party, "name": f"Party {n}", "iati_ref": f"XX-TEST-{party}"}
        if n == 0 or draw(st.booleans()):
            fields["type"] = draw(st.sampled_from(["government", "multilateral", "ngo", "other"]))
        entries.append(("party", fields))
    currency: dict[str, str] = {}
    projects: list[str] = []
    for n in range(draw(st.integers(1, 4))):
        project = f"P{n}"
        parent = draw(st.sampled_from([None, *projects]))
        # a tree has one currency (a child in another would count in its parent at a rate)
        currency[project] = currency[parent] if parent else draw(st.sampled_from(sorted(MINOR_UNITS)))
        start, _ = draw(dates())
        fields = {"id": project, "title": f"Project {n}", "currency": currency[project], "start": start,
                  "iati_identifier": f"XX-TEST-ACTIVITY-{n}"}
        if parent:
            fields["parent"] = parent
        else:
            fields["recipient_country"] = draw(st.sampled_from(["PK", "KE"]))
        if draw(st.booleans()):
            fields["executing"] = draw(st.sampled_from(parties))
        entries.append(("project", fields))
        projects.append(project)

    pledges: dict[str, list] = {}  # id -> [project, party, currency, amount left to fulfil]
    for n in range(draw(st.integers(0, 2))):
        project, party = draw(st.sampled_from(projects)), draw(st.sampled_from(parties))
        date, last = draw(dates())
        units, money = draw(st.integers(1, 10**7)), money_of(project)
        pledges[f"PL-{n}"] = [project, party, money, units]
        days.append(last)
        fields = {"id": f"PL-{n}", "project": project, "party": party, "date": date, "amount": amount(units, money)}
        if money != currency[project]:
            fields["currency"] = money
        entries.append(("pledge", fields))

    for n in range(draw(st.integers(0, 4))):
        commitment, project, party = f"C-{n}", draw(st.sampled_from(projects)), draw(st.sampled_from(parties))
        money = money_of(project)
        date, committed_on = draw(dates())
        units = draw(st.integers(1, 10**7))
        fields: dict = {"id": commitment, "project": project, "party": party, "date": date,
                        "amount": amount(units, money)}
        if money != currency[project] or draw(st.booleans()):
            fields["currency"] = money
        if draw(st.booleans()):
            fields["agreement"] = f"Agreement {n}"
        fulfils = [ident for ident, (p, q, c, left) in pledges.items()
                   if (p, q, c) == (project, party, money) and left >= units]
        if fulfils and draw(st.booleans()):
            fields["pledge"] = fulfils[0]
            pledges[fulfils[0]][3] -= units
        days.append(committed_on)
        entries.append(("commitment", fields))
        after = _first_day(date)
        left = units
        if draw(st.booleans()):  # a decommitment first takes its share of what can be released
            share = draw(st.integers(1, left))
            left -= share
            when, last = draw(dates(after))
            days.append(last)
            entries.append(("decommitment", {"commitment": commitment, "date": when, "amount": amount(share, money),
                                             "reference": f"Letter {n}"}))
        tranche_room = left
        capacity: dict[str, int] = {}
        for m in range(draw(st.integers(0, 2))):
            if tranche_room == 0:
                break
            share = draw(st.integers(1, tranche_room))
            tranche_room -= share
            due, _ = draw(dates(after))
            fields = {"id": f"T-{n}-{m}", "commitment": commitment, "amount": amount(share, money), "due": due}
            if capacity and draw(st.booleans()):
                fields["after"] = [f"T-{n}-{m - 1}"]
            capacity[fields["id"]] = share
            entries.append(("tranche", fields))
        released = 0
        for m in range(draw(st.integers(0, 3))):
            if left == 0:
                break
            share = draw(st.integers(1, left))
            left -= share
            released += share
            when, last = draw(dates(after))
            days.append(last)
            fields = {"commitment": commitment, "date": when, "amount": amount(share, money)}
            if draw(st.booleans()):
                fields["id"] = f"R-{n}-{m}"
            held = [tranche for tranche, room in capacity.items() if room >= share]
            if held and draw(st.booleans()):
                fields["tranche"] = held[0]
                capacity[held[0]] -= share
            entries.append(("release", fields))
        for m in range(draw(st.integers(0, 2))):
            if released == 0:
                break
            share = draw(st.integers(1, released))
            released -= share
            when, last = draw(dates(after))
            days.append(last)
            entries.append(("refund", {"commitment": commitment, "date": when, "amount": amount(share, money)}))

    for n in range(draw(st.integers(0, 5))):
        project = draw(st.sampled_from(projects))
        date, last = draw(dates())
        units, money = draw(st.integers(1, 10**6)), money_of(project)
        fields = {"project": project, "date": date, "amount": amount(units, money)}
        if draw(st.booleans()):
            fields["category"] = draw(st.sampled_from(["travel", "equipment"]))
        if money != currency[project] or draw(st.booleans()):
            fields["currency"] = money
        days.append(last)
        entries.append(("expense", fields))
        if money == currency[project] and draw(st.integers(0, 2)) == 0:
            # a credit note, negative: of this expense (in its currency: a later rate could make it more),
            # never below zero spent
            when, credited = draw(dates(last))
            days.append(credited)
            entries.append(("expense", {"project": project, "date": when,
                                        "amount": -amount(draw(st.integers(1, units)), currency[project])}))

    for project in projects:  # budget lines: one period in each of some years, a revision of some
        for year in draw(st.lists(st.integers(2000, 2012), unique=True, max_size=2)):
            period = draw(st.sampled_from([str(year), f"{year}-Q{draw(st.integers(1, 4))}",
                                           f"{year}-{draw(st.integers(1, 12)):02d}"]))
            for category in draw(st.lists(st.sampled_from([None, "travel", "staff"]), unique=True, min_size=1,
                                          max_size=2)):
                fields = {"project": project, "period": period,
                          "amount": amount(draw(st.integers(1, 10**7)), currency[project])}
                if category:
                    fields["category"] = category
                entries.append(("budget", dict(fields)))
                if draw(st.integers(0, 3)) == 0:
                    revised, _ = draw(dates())
                    if isinstance(revised, _dt.date):
                        fields["revision"] = revised
                        fields["amount"] = amount(draw(st.integers(1, 10**7)), currency[project])
                        entries.append(("budget", fields))

    if several:
        entries += [("rate", {"date": _dt.date.fromisoformat(day), "from": source, "to": target,
                              "rate": Decimal(rate)}) for day, source, target, rate in MOVING_RATES]
    text = "\n".join(f"[[{kind}]]\n" + tomli_w.dumps(fields) for kind, fields in entries)
    return text, days, several


def _first_day(date: object) -> _dt.date:
    if isinstance(date, _dt.date):
        return date
    text = str(date)
    return _dt.date(int(text[:4]), int(text[5:7]) if len(text) > 4 else 1, 1)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(ledgers(), st.data())
def test_any_ledger_comes_back_from_iati_with_the_same_figures(generated, data):
    text, entry_days, several = generated
    sample = data.draw(st.lists(st.sampled_from(entry_days), max_size=3, unique=True)) if entry_days else []
    days = sorted({day.isoformat() for day in sample}) + [AS_OF]
    with tempfile.TemporaryDirectory(prefix="cndledger-roundtrip-") as folder:
        ledger = LedgerDir(Path(folder))
        ledger.write("source/ledger.toml", text)
        projects = {f"P{n}": f"XX-TEST-ACTIVITY-{n}" for n in range(4)}
        parties = {f"PARTY-{n}": f"XX-TEST-PARTY-{n}" for n in range(3)}
        if several:  # the ledger's rates, which IATI does not carry, given back as a CSV file
            ledger.write("rates.csv", "date,from,to,rate\n" + "".join(",".join(rate) + "\n" for rate in MOVING_RATES))
        round_trip(ledger, "source", days, projects, parties, reporting_org="PARTY-0",
                   rates=("rates.csv",) if several else ())
