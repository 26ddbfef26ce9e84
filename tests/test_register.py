"""`cndledger register`: every money event in the order it counts, with running figures."""

import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PREAMBLE

SHIPPED = str(Path(__file__).resolve().parent.parent / "ledgers")

EVENTS = PREAMBLE + """
[[project]]
id = "P1-A"
title = "A component"
currency = "USD"
parent = "P1"
clusters = ["x"]

[[expense]]
id = "E1"
project = "P1-A"
date = 2009-02-28
amount = 10
cluster = "x"

[[release]]
id = "R-EARLY"
commitment = "C1"
date = 2009-02-20
amount = 300

[[commitment]]
id = "C1"
project = "P1"
party = "OLD-DONOR"
date = "2009-02"
amount = 1000

[[commitment]]
id = "C2"
project = "P1-A"
party = "AGENCY"
date = 2009-02-28
amount = 50

[[inkind]]
id = "K-MONTHLY"
project = "P1-A"
party = "AGENCY"
description = "An office"
nature = "services"
start = 2009-01-15
end = "2009-04"
monthly_value = 20

[[inkind]]
id = "K-VALUE"
project = "P1"
party = "DONOR"
description = "A car"
nature = "goods"
start = 2009-03-05
value = 900

[[inkind]]
id = "K-UNVALUED"
project = "P1"
party = "DONOR"
description = "Advice"
nature = "services"
start = "2009"

[[expense]]
id = "E2"
project = "P1"
date = 2009-03-10
amount = 40.5
"""


def register(ledger, *args):
    result = ledger.run("register", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def summary(document):
    return [(e["date"], e["kind"], e["id"], e["project"], e["amount"], e["committed"], e["released"], e["spent"])
            for e in document["events"]]


def test_order_running_totals_and_dates_as_written(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    document = register(ledger, "--as-of", "2009-12-31")
    assert document["as_of"] == "2009-12-31" and document["from"] is None
    assert summary(document) == [
        # 2009-01-31: the first month of the monthly in-kind value
        ("2009-01", "inkind", "K-MONTHLY", "P1-A", "20.00", "0.00", "0.00", "0.00"),
        # 2009-02-28: commitments (ledger order), the release (it counts from its commitment's day), expense
        ("2009-02", "commitment", "C1", "P1", "1000.00", "1000.00", "0.00", "0.00"),
        ("2009-02-28", "commitment", "C2", "P1-A", "50.00", "50.00", "0.00", "0.00"),
        ("2009-02-20", "release", "R-EARLY", "P1", "300.00", "1050.00", "300.00", "0.00"),
        ("2009-02", "inkind", "K-MONTHLY", "P1-A", "20.00", "50.00", "0.00", "0.00"),
        ("2009-02-28", "expense", "E1", "P1-A", "10.00", "50.00", "0.00", "10.00"),
        ("2009-03-05", "inkind", "K-VALUE", "P1", "900.00", "1050.00", "300.00", "10.00"),
        ("2009-03-10", "expense", "E2", "P1", "40.50", "1050.00", "300.00", "50.50"),
        ("2009-03", "inkind", "K-MONTHLY", "P1-A", "20.00", "50.00", "0.00", "10.00"),
        ("2009-04", "inkind", "K-MONTHLY", "P1-A", "20.00", "50.00", "0.00", "10.00"),
        ("2009", "inkind", "K-UNVALUED", "P1", None, "1050.00", "300.00", "50.50"),
    ]
    first = document["events"][1]
    assert first["party"] == "DONOR" and first["currency"] == "USD" and first["counts_from"] == "2009-02-28"
    assert document["events"][5]["party"] is None and document["events"][5]["detail"] == "x"


def test_as_of_leaves_out_what_does_not_count_yet(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    # On 2009-03-30 March has not ended: its accrual is not yet an event; the release counts from 2009-02-28.
    assert [(e["kind"], e["id"], e["date"]) for e in register(ledger, "--as-of", "2009-03-30")["events"]] == [
        ("inkind", "K-MONTHLY", "2009-01"), ("commitment", "C1", "2009-02"), ("commitment", "C2", "2009-02-28"),
        ("release", "R-EARLY", "2009-02-20"), ("inkind", "K-MONTHLY", "2009-02"), ("expense", "E1", "2009-02-28"),
        ("inkind", "K-VALUE", "2009-03-05"), ("expense", "E2", "2009-03-10")]
    assert [e["id"] for e in register(ledger, "--as-of", "2009-02-27")["events"]] == ["K-MONTHLY"]


def test_from_lists_later_events_with_totals_counting_the_earlier_ones(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    document = register(ledger, "--as-of", "2009-12-31", "--from", "2009-03")
    assert document["from"] == "2009-03-01"
    assert summary(document)[:2] == [
        ("2009-03-05", "inkind", "K-VALUE", "P1", "900.00", "1050.00", "300.00", "10.00"),
        ("2009-03-10", "expense", "E2", "P1", "40.50", "1050.00", "300.00", "50.50"),
    ]
    assert len(document["events"]) == 5


def test_project_narrows_to_its_events_and_its_childrens(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    child = register(ledger, "--as-of", "2009-12-31", "--project", "P1-A")
    assert {e["project"] for e in child["events"]} == {"P1-A"}
    assert len(child["events"]) == 6
    whole = register(ledger, "--as-of", "2009-12-31", "--project", "P1")
    assert len(whole["events"]) == 11
    assert ledger.run("register", "--project", "nope").exit_code == 2


def test_csv(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    result = ledger.run("register", "--csv", "--as-of", "2009-12-31")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["date", "counts_from", "kind", "id", "project", "party", "currency", "amount",
                             "own_currency", "own_amount", "committed", "released", "spent", "detail"]
    assert (rows[-1]["id"], rows[-1]["amount"]) == ("K-UNVALUED", "")
    assert rows[3]["detail"] == "" and rows[7]["spent"] == "50.50"


def test_table(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    result = ledger.run("register", "--as-of", "2009-12-31", "--from", "2009")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Register as of 2009-12-31 from 2009-01-01")
    assert "unvalued" in result.stdout


def test_bad_from_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    assert ledger.run("register", "--from", "March").exit_code == 2



def test_period_is_the_window_from_its_first_day_to_its_last(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    document = register(ledger, "--period", "2009-03")
    assert (document["from"], document["as_of"]) == ("2009-03-01", "2009-03-31")
    assert document == register(ledger, "--from", "2009-03-01", "--as-of", "2009-03-31")
    assert [(e["kind"], e["id"]) for e in document["events"]] == [
        ("inkind", "K-VALUE"), ("expense", "E2"), ("inkind", "K-MONTHLY")]
    result = ledger.run("register", "--period", "2009-Q1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Register as of 2009-03-31 from 2009-01-01")


def test_period_fiscal_year_is_the_reported_projects(ledger):
    ledger.write("ledgers/a.toml", EVENTS.replace('currency = "USD"\n', 'currency = "USD"\nfiscal_year_start = 7\n', 1))
    document = register(ledger, "--period", "FY2008-09")
    assert (document["from"], document["as_of"]) == ("2008-07-01", "2009-06-30")
    assert [e["id"] for e in document["events"]][-2:] == ["K-MONTHLY", "K-MONTHLY"]  # March and April; not 2009
    result = ledger.run("register", "--period", "FY2009")
    assert result.exit_code == 2 and "write FY2009-10" in result.stderr


def test_period_with_from_or_as_of_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", EVENTS)
    for other in (("--from", "2009-01"), ("--as-of", "2009-12-31")):
        result = ledger.run("register", "--period", "2009", *other)
        assert result.exit_code == 2
        assert result.stderr == (f"cndledger: --period excludes {other[0]}: the period gives the window's first and "
                                 "last day; give --period alone, or --from and --as-of\n")
    assert ledger.run("register", "--period", "March").exit_code == 2

def test_shipped_ledgers(ledger):
    document = register(ledger, "--as-of", "2006-12-31", SHIPPED)
    assert [(e["date"], e["kind"], e["project"], e["released"]) for e in document["events"]][-2:] == [
        ("2005-02", "release", "PAK-CND-TF", "70000.00"), ("2005-02", "release", "PAK-CND-TF", "120000.00")]


# Property: a row's running figures are the balance of its project as of the row's day, once the
# events of that day in the project's subtree are all counted.

DAYS = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2006, 12, 31))
WRITTEN = st.one_of(DAYS.map(lambda d: d.isoformat()), DAYS.map(lambda d: f'"{d:%Y-%m}"'),
                    DAYS.map(lambda d: f'"{d:%Y}"'))
AMOUNTS = st.integers(min_value=1, max_value=10_000)


@st.composite
def ledgers(draw):
    text = PREAMBLE + '\n[[project]]\nid = "P1-A"\ntitle = "c"\ncurrency = "USD"\nparent = "P1"\n'
    projects = st.sampled_from(["P1", "P1-A"])
    commitments = draw(st.integers(min_value=1, max_value=4))
    for n in range(commitments):
        text += (f'\n[[commitment]]\nid = "C{n}"\nproject = "{draw(projects)}"\nparty = "DONOR"\n'
                 f"date = {draw(WRITTEN)}\namount = {draw(AMOUNTS)}\n")
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        text += (f'\n[[release]]\ncommitment = "C{draw(st.integers(0, commitments - 1))}"\n'
                 f"date = {draw(WRITTEN)}\namount = {draw(AMOUNTS)}\n")
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        text += f'\n[[expense]]\nproject = "{draw(projects)}"\ndate = {draw(WRITTEN)}\namount = {draw(AMOUNTS)}\n'
    return text


@settings(max_examples=60, deadline=None)
@given(ledgers(), DAYS)
def test_running_figures_agree_with_the_balance(text, as_of):
    from cndledger.core.api import open_ledger
    from cndledger.core.figures import balance
    from cndledger.core.register import register as compute

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.toml"
        path.write_text(text, encoding="utf-8")
        opened = open_ledger([str(path)], as_of)
    assert opened.figures_defined, opened.problems
    events = compute(opened.ledger, as_of).events
    for index, event in enumerate(events):
        subtree = opened.ledger.descendants(event.project.id)
        if any(later.day == event.day and later.project.id in subtree for later in events[index + 1:]):
            continue
        figures = balance(opened.ledger, event.day).of(event.project.id)
        assert (event.committed, event.released, event.spent) == (figures.committed, figures.released, figures.spent)
    final = balance(opened.ledger, as_of)
    for project in ("P1", "P1-A"):
        counted = sum((e.amount for e in events if e.kind == "expense"
                       and e.project.id in opened.ledger.descendants(project)), Decimal(0))
        assert counted == final.of(project).spent


@settings(max_examples=200, deadline=None)
@given(WRITTEN, st.one_of(st.none(), WRITTEN), DAYS, AMOUNTS)
def test_accrual_events_add_up_to_the_accrued_in_kind(start, end, as_of, monthly):
    from cndledger.core.counting import accrued_month_ends, inkind_accrued
    from cndledger.format.dates import parse_date
    from cndledger.format.models import InKind

    contribution = InKind.model_construct(
        id="K", project="P1", party="DONOR", description="d", nature="goods", start=parse_date(start.strip('"')),
        end=None if end is None else parse_date(end.strip('"')), value=None, monthly_value=Decimal(monthly))
    months = accrued_month_ends(contribution, as_of)
    assert monthly * len(months) == inkind_accrued(contribution, as_of)
    assert months == sorted(months) and all(month <= as_of for month in months)
