"""Properties of the arithmetic over generated ledgers (hypothesis)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cndledger.checks import check_ledger
from cndledger.core.figures import balance
from cndledger.render.balance import as_json
from conftest import load

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
    ledger = load([str(path)])
    assert not any(problem.is_fatal for problem in check_ledger(ledger, dt.date(2010, 12, 31))), ledger.problems
    return ledger


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(text=ledgers(), day=days)
def test_outstanding_is_committed_less_released(folder, text, day):
    for figures in balance(read(folder, text), day).projects:
        assert figures.outstanding == figures.committed - figures.released
        assert figures.available == figures.released - figures.spent
        for party in figures.by_party:
            assert party.outstanding == party.committed - party.released


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
