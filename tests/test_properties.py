"""Properties of the arithmetic over generated ledgers (hypothesis)."""

import calendar
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cndledger.core.api import check_files
from cndledger.core.figures import balance
from cndledger.render.balance import as_json

PARTIES = """
[[party]]
id = "DONOR"
name = "A donor"
aliases = ["OLD-DONOR"]

[[party]]
id = "AGENCY"
name = "An agency"
"""

amounts = st.integers(1, 10**11).map(lambda cents: Decimal(cents).scaleb(-2))  # up to a billion, to the cent
days = st.dates(dt.date(2000, 1, 1), dt.date(2010, 12, 31))


@st.composite
def ledger_dates(draw) -> str:
    """A date as a ledger writes it: a TOML date, or a string of a day, a month or a year."""
    day = draw(days)
    return draw(st.sampled_from([day.isoformat(), f'"{day.isoformat()}"', f'"{day:%Y-%m}"', f'"{day:%Y}"']))


@st.composite
def ledgers(draw) -> str:
    """A ledger of up to six projects in a tree, with commitments, releases, expenses and in kind."""
    count = draw(st.integers(1, 6))
    out = [PARTIES]
    for number in range(count):
        parent = draw(st.one_of(st.none(), st.integers(0, number - 1))) if number else None
        budget = draw(st.one_of(st.none(), amounts))
        out.append(f'[[project]]\nid = "P{number}"\ntitle = "t"\ncurrency = "USD"\n'
                   + (f'parent = "P{parent}"\n' if parent is not None else "")
                   + (f"budget = {budget}\n" if budget is not None else ""))
    projects = st.integers(0, count - 1)
    commitments = draw(st.lists(st.tuples(projects, st.sampled_from(["DONOR", "OLD-DONOR", "AGENCY"]),
                                          ledger_dates(), amounts), max_size=6))
    for number, (project, party, date, amount) in enumerate(commitments):
        out.append(f'[[commitment]]\nid = "C{number}"\nproject = "P{project}"\nparty = "{party}"\n'
                   f"date = {date}\namount = {amount}\n")
    if commitments:
        for commitment, date, amount in draw(st.lists(
                st.tuples(st.integers(0, len(commitments) - 1), ledger_dates(), amounts), max_size=8)):
            out.append(f'[[release]]\ncommitment = "C{commitment}"\ndate = {date}\namount = {amount}\n')
    for project, date, amount in draw(st.lists(st.tuples(projects, ledger_dates(), amounts), max_size=4)):
        out.append(f'[[expense]]\nproject = "P{project}"\ndate = {date}\namount = {amount}\n')
    kinds = st.sampled_from(["", "value", "monthly_value"])
    for number, (project, start, end, kind, amount) in enumerate(draw(st.lists(
            st.tuples(projects, ledger_dates(), st.one_of(st.none(), ledger_dates()), kinds, amounts), max_size=3))):
        out.append(f'[[inkind]]\nid = "K{number}"\nproject = "P{project}"\nparty = "AGENCY"\ndescription = "d"\n'
                   f'nature = "goods"\nstart = {start}\n' + (f"end = {end}\n" if end else "")
                   + (f"{kind} = {amount}\n" if kind else ""))
    return "\n".join(out)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


def read(folder, text: str, name: str = "ledger.toml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    opened = check_files([str(path)], dt.date(2010, 12, 31))
    assert opened.figures_defined, opened.problems
    return opened.ledger


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def last_day(day: dt.date, form: str) -> dt.date:
    """The day a date written in this form counts from: the last day of its period."""
    if form == "year":
        return dt.date(day.year, 12, 31)
    if form == "month":
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def written(day: dt.date, form: str) -> str:
    return {"toml": day.isoformat(), "day": f'"{day.isoformat()}"', "month": f'"{day:%Y-%m}"', "year": f'"{day:%Y}"'}[form]


forms = st.sampled_from(["toml", "day", "month", "year"])
CANONICAL = {"DONOR": "DONOR", "OLD-DONOR": "DONOR", "AGENCY": "AGENCY"}


@st.composite
def entries(draw):
    """Projects in a tree (each project's parent comes before it), with commitments, releases and
    expenses, as values: the test writes them out and computes their figures itself."""
    count = draw(st.integers(1, 5))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, number - 1))) for number in range(1, count)]
    projects = st.integers(0, count - 1)
    commitments = draw(st.lists(st.tuples(projects, st.sampled_from(sorted(CANONICAL)), days, forms, amounts),
                                max_size=5))
    releases = draw(st.lists(st.tuples(st.integers(0, 4), days, forms, amounts), max_size=8)) if commitments else []
    releases = [(number % len(commitments), *rest) for number, *rest in releases]
    expenses = draw(st.lists(st.tuples(projects, days, forms, amounts), max_size=6))
    return parents, commitments, releases, expenses


def as_text(parents, commitments, releases, expenses) -> str:
    out = [PARTIES]
    for number, parent in enumerate(parents):
        out.append(f'[[project]]\nid = "P{number}"\ntitle = "t"\ncurrency = "USD"\n'
                   + (f'parent = "P{parent}"\n' if parent is not None else ""))
    for number, (project, party, day, form, amount) in enumerate(commitments):
        out.append(f'[[commitment]]\nid = "C{number}"\nproject = "P{project}"\nparty = "{party}"\n'
                   f"date = {written(day, form)}\namount = {amount}\n")
    for commitment, day, form, amount in releases:
        out.append(f'[[release]]\ncommitment = "C{commitment}"\ndate = {written(day, form)}\namount = {amount}\n')
    for project, day, form, amount in expenses:
        out.append(f'[[expense]]\nproject = "P{project}"\ndate = {written(day, form)}\namount = {amount}\n')
    return "\n".join(out)


@PROPERTY
@given(generated=entries(), day=days)
def test_each_figure_is_the_sum_of_the_amounts_counting_by_the_day_in_the_projects_subtree(folder, generated, day):
    parents, commitments, releases, expenses = generated
    below = {number: {number} for number in range(len(parents))}  # each project and those below it
    for number in reversed(range(len(parents))):
        if parents[number] is not None:
            below[parents[number]] |= below[number]
    committed_from = [last_day(on, form) for _, _, on, form, _ in commitments]
    # A release counts from its own date, but never before its commitment counts.
    released = [(commitments[c][0], CANONICAL[commitments[c][1]], amount)
                for c, on, form, amount in releases if max(last_day(on, form), committed_from[c]) <= day]
    committed = [(project, CANONICAL[party], amount)
                 for (project, party, _, _, amount), counts_from in zip(commitments, committed_from)
                 if counts_from <= day]
    spent = [(project, amount) for project, on, form, amount in expenses if last_day(on, form) <= day]

    figures = {f.project.id: f for f in balance(read(folder, as_text(*generated)), day).projects}
    assert set(figures) == {f"P{number}" for number in range(len(parents))}
    for number, subtree in below.items():
        got = figures[f"P{number}"]
        expected_committed = sum((amount for project, _, amount in committed if project in subtree), Decimal(0))
        expected_released = sum((amount for project, _, amount in released if project in subtree), Decimal(0))
        expected_spent = sum((amount for project, amount in spent if project in subtree), Decimal(0))
        assert (got.committed, got.released, got.spent) == (expected_committed, expected_released, expected_spent)
        assert got.outstanding == expected_committed - expected_released
        assert got.available == expected_released - expected_spent
        for party in got.by_party:
            assert party.committed == sum((a for p, who, a in committed if p in subtree and who == party.party), Decimal(0))
            assert party.released == sum((a for p, who, a in released if p in subtree and who == party.party), Decimal(0))


@PROPERTY
@given(text=ledgers(), day=days)
def test_a_parents_figures_are_its_own_plus_its_childrens(folder, text, day):
    tree = {f.project.id: f for f in balance(read(folder, text), day).projects}
    # The same ledger with every project made a root: each project's figures are then its own.
    flat_text = "\n".join(line for line in text.split("\n") if not line.startswith("parent = "))
    own = {f.project.id: f for f in balance(read(folder, flat_text, "flat.toml"), day).projects}
    for ident, figures in tree.items():
        children = [tree[c.project.id] for c in tree.values() if c.project.parent == ident]
        for name in ("committed", "released", "spent", "inkind_valued", "inkind_unvalued"):
            assert getattr(figures, name) == getattr(own[ident], name) + sum(getattr(c, name) for c in children)
        parties = {p.party for p in figures.by_party}
        assert parties == {p.party for f in [own[ident], *children] for p in f.by_party}
        for party in figures.by_party:
            for name in ("committed", "released"):
                assert getattr(party, name) == sum(
                    getattr(p, name) for f in [own[ident], *children] for p in f.by_party if p.party == party.party)
        children_budgets = [c.budget for c in children if c.budget is not None]
        if figures.project.budget is not None:
            assert figures.budget == figures.project.budget
        elif children_budgets:
            assert figures.budget == sum(children_budgets)
        else:
            assert figures.budget is None and figures.gap is None


@PROPERTY
@given(text=ledgers(), first=days, second=days)
def test_nothing_counted_falls_as_the_as_of_day_moves_on(folder, text, first, second):
    earlier, later = sorted([first, second])
    ledger = read(folder, text)
    before = {f.project.id: f for f in balance(ledger, earlier).projects}
    for figures in balance(ledger, later).projects:
        then = before[figures.project.id]
        for name in ("committed", "released", "spent", "inkind_valued", "inkind_unvalued"):
            assert getattr(figures, name) >= getattr(then, name)
        then_parties = {p.party: p for p in then.by_party}
        for party in figures.by_party:
            if party.party in then_parties:
                assert party.committed >= then_parties[party.party].committed
                assert party.released >= then_parties[party.party].released
        assert set(then_parties) <= {p.party for p in figures.by_party}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=st.lists(st.integers(1, 10**13), min_size=1, max_size=30))
def test_amounts_stay_exact(folder, cents):
    # Sums of cents that binary floats cannot hold (0.1 + 0.2, large totals) come out to the cent.
    amounts = [Decimal(c).scaleb(-2) for c in cents]
    text = PARTIES + '\n[[project]]\nid = "P0"\ntitle = "t"\ncurrency = "USD"\n' + "".join(
        f'\n[[commitment]]\nid = "C{n}"\nproject = "P0"\nparty = "DONOR"\ndate = 2005-01-01\namount = {amount}\n'
        for n, amount in enumerate(amounts))
    result = balance(read(folder, text), dt.date(2005, 1, 1))
    figures, = result.projects
    assert isinstance(figures.committed, Decimal) and figures.committed == sum(amounts)
    assert json.loads(as_json(result))["projects"][0]["committed"] == f"{sum(amounts):.2f}"


def test_tenths_add_up_exactly(folder):
    text = PARTIES + '\n[[project]]\nid = "P0"\ntitle = "t"\ncurrency = "USD"\n' + "".join(
        f'\n[[expense]]\nproject = "P0"\ndate = 2005-01-01\namount = {amount}\n' for amount in ["0.10", "0.20"] * 5)
    figures, = balance(read(folder, text), dt.date(2005, 1, 1)).projects
    assert figures.spent == Decimal("1.50") and str(figures.spent) == "1.50"
