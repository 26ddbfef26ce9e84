"""The fast paths give what the plain ones give: figures of many days in one sweep, the TOML
parser, validation of whole tables, and the lines of entries (hypothesis)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cndledger.figures import balance, totals_as_of
from cndledger.values import decimal_places, needs_more_places
from test_properties import PROPERTY, days, folder, ledgers, read  # noqa: F401 (folder: a fixture)


@PROPERTY
@given(text=ledgers(), asked=st.lists(st.tuples(st.integers(0, 6), days), max_size=8))
def test_totals_of_many_days_are_the_balance_of_each_day(folder, text, asked):
    ledger = read(folder, text)
    questions = [(f"P{number}", day) for number, day in asked]
    answers = totals_as_of(ledger, questions)
    for project, day in questions:
        figures = balance(ledger, day).of(project)
        if figures is None:  # no such project
            assert (project, day) not in answers
            continue
        totals = answers[(project, day)]
        for name in ("committed", "released", "outstanding", "spent", "available"):
            assert totals.figure(name) == figures.figure(name)
    assert totals_as_of(ledger, []) == {}


@given(amount=st.decimals(allow_nan=False, allow_infinity=False), places=st.integers(0, 4))
def test_needs_more_places_is_counting_the_places(amount, places):
    assert needs_more_places(amount, places) == (decimal_places(amount) > places)
