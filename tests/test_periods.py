"""Periods (format v2 "Fiscal years and periods"), support cost rounding and a budget line's `used`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cndledger.format.periods import (
    FISCAL_YEAR,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    PeriodError,
    UsageError,
    contains,
    from_day,
    overlaps,
    overlaps_unequally,
    parse_period,
    period_window,
    read_label,
    read_period_option,
    read_statement_options,
    resolve_fiscal_year_start,
    resolve_fiscal_year_starts,
    unequal_overlaps,
)
from cndledger.format.shares import support_cost, support_costs, used, used_share

D = dt.date


def days(text: str, start: int = 1) -> tuple[dt.date, dt.date]:
    period = parse_period(text, start)
    return period.first, period.last


def hint_of(text: object, start: int) -> tuple[str, str | None]:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, start)
    return caught.value.message, caught.value.hint


# ---- resolution ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, first, last, kind", [
    ("2005", 1, D(2005, 1, 1), D(2005, 12, 31), YEAR),
    ("2005", 7, D(2005, 1, 1), D(2005, 12, 31), YEAR),
    ("2005-02", 1, D(2005, 2, 1), D(2005, 2, 28), MONTH),
    ("2004-02", 1, D(2004, 2, 1), D(2004, 2, 29), MONTH),
    ("1900-02", 1, D(1900, 2, 1), D(1900, 2, 28), MONTH),
    ("2000-02", 1, D(2000, 2, 1), D(2000, 2, 29), MONTH),
    ("2005-12", 1, D(2005, 12, 1), D(2005, 12, 31), MONTH),
    ("2005-Q1", 1, D(2005, 1, 1), D(2005, 3, 31), QUARTER),
    ("2004-Q1", 7, D(2004, 1, 1), D(2004, 3, 31), QUARTER),
    ("2005-Q3", 7, D(2005, 7, 1), D(2005, 9, 30), QUARTER),  # a calendar quarter, not the fiscal year's third
    ("2005-Q3", 12, D(2005, 7, 1), D(2005, 9, 30), QUARTER),
    ("2005-Q4", 1, D(2005, 10, 1), D(2005, 12, 31), QUARTER),
    ("FY2005", 1, D(2005, 1, 1), D(2005, 12, 31), FISCAL_YEAR),
    ("FY2005-06", 7, D(2005, 7, 1), D(2006, 6, 30), FISCAL_YEAR),
    ("FY2005-06", 12, D(2005, 12, 1), D(2006, 11, 30), FISCAL_YEAR),
    ("FY2005-06", 2, D(2005, 2, 1), D(2006, 1, 31), FISCAL_YEAR),
    ("FY2003-04", 3, D(2003, 3, 1), D(2004, 2, 29), FISCAL_YEAR),
    ("FY2004-05", 3, D(2004, 3, 1), D(2005, 2, 28), FISCAL_YEAR),
    ("FY1999-00", 7, D(1999, 7, 1), D(2000, 6, 30), FISCAL_YEAR),
    ("0001", 1, D(1, 1, 1), D(1, 12, 31), YEAR),
    ("0001-Q1", 7, D(1, 1, 1), D(1, 3, 31), QUARTER),
    ("FY0001", 1, D(1, 1, 1), D(1, 12, 31), FISCAL_YEAR),
    ("FY0001-02", 7, D(1, 7, 1), D(2, 6, 30), FISCAL_YEAR),
    ("9999", 1, D(9999, 1, 1), D(9999, 12, 31), YEAR),
    ("9999-12", 7, D(9999, 12, 1), D(9999, 12, 31), MONTH),
    ("9999-Q4", 12, D(9999, 10, 1), D(9999, 12, 31), QUARTER),
    ("FY9999", 1, D(9999, 1, 1), D(9999, 12, 31), FISCAL_YEAR),
    ("FY9998-99", 12, D(9998, 12, 1), D(9999, 11, 30), FISCAL_YEAR),
    ("FY9998-99", 7, D(9998, 7, 1), D(9999, 6, 30), FISCAL_YEAR),
])
def test_a_period_resolves_into_its_days(text, start, first, last, kind):
    period = parse_period(text, start)
    assert (period.first, period.last, period.text, period.kind) == (first, last, text, kind)
    assert str(period) == text


def test_a_period_is_a_value():
    assert parse_period("FY2005-06", 7) == parse_period("FY2005-06", 7)
    assert hash(parse_period("2005-Q3", 1)) == hash(parse_period("2005-Q3", 7))
    assert parse_period("2005", 1) != parse_period("FY2005", 1)  # other labels...
    assert parse_period("2005", 1).span == parse_period("FY2005", 1).span  # ...the same days
    assert sorted([parse_period("2005", 1), parse_period("2005-Q1", 1), parse_period("2004-12", 1)]) == [
        parse_period("2004-12", 1), parse_period("2005-Q1", 1), parse_period("2005", 1)]


@pytest.mark.parametrize("text, start, message, hint", [
    ("FY2005-06", 1,
     ("'FY2005-06' is the form of a fiscal year that starts after January, but the project's fiscal year starts "
     "in January (fiscal_year_start 1)"),
     "write FY2005: the fiscal year from 2005-01-01 to 2005-12-31"),
    ("FY2005", 7,
     ("'FY2005' is the form of a fiscal year that starts in January, but the project's fiscal year starts in "
     "July (fiscal_year_start 7)"),
     "write FY2005-06: the fiscal year from 2005-07-01 to 2006-06-30"),
    ("FY2005", 12,
     ("'FY2005' is the form of a fiscal year that starts in January, but the project's fiscal year starts in "
     "December (fiscal_year_start 12)"),
     "write FY2005-06: the fiscal year from 2005-12-01 to 2006-11-30"),
    ("FY2003", 3,
     ("'FY2003' is the form of a fiscal year that starts in January, but the project's fiscal year starts in "
     "March (fiscal_year_start 3)"),
     "write FY2003-04: the fiscal year from 2003-03-01 to 2004-02-29"),
    ("FY2005-07", 7, "'FY2005-07' is not a fiscal year: one that starts in 2005 ends in 2006",
     "write FY2005-06: the fiscal year from 2005-07-01 to 2006-06-30"),
    ("FY2005-07", 1, "'FY2005-07' is not a fiscal year: one that starts in 2005 ends in 2006",
     "write FY2005: the fiscal year from 2005-01-01 to 2005-12-31"),
    ("FY2005-05", 12, "'FY2005-05' is not a fiscal year: one that starts in 2005 ends in 2006",
     "write FY2005-06: the fiscal year from 2005-12-01 to 2006-11-30"),
    ("FY2005-2006", 7, "'FY2005-2006' is not a period", "write FY2005-06: the fiscal year from 2005-07-01 to 2006-06-30"),
    ("fy2005", 1, "'fy2005' is not a period",
     "write FY2005: the fiscal year from 2005-01-01 to 2005-12-31 (in capitals, without spaces)"),
    ("FY9999-00", 7, "'FY9999-00' would end in June 10000, after the last day a date can have (9999-12-31)",
     "the last fiscal year from July that can be written is FY9998-99"),
    ("FY9999", 12, "'FY9999' would end in November 10000, after the last day a date can have (9999-12-31)",
     "the last fiscal year from December that can be written is FY9998-99"),
    ("FY9999-00", 1,
     ("'FY9999-00' is the form of a fiscal year that starts after January, but the project's fiscal year starts "
     "in January (fiscal_year_start 1)"),
     "write FY9999: the fiscal year from 9999-01-01 to 9999-12-31"),
])
def test_a_fiscal_year_of_the_wrong_form_says_the_right_one(text, start, message, hint):
    assert hint_of(text, start) == (message, hint)


@pytest.mark.parametrize("value, message, hint", [
    ("2005-13", "'2005-13' is not a month of the calendar", 'the months are 01 to 12: "2005-01" to "2005-12"'),
    ("2005-00", "'2005-00' is not a month of the calendar", 'the months are 01 to 12: "2005-01" to "2005-12"'),
    ("2005-Q5", "'2005-Q5' is not a quarter: a year has four", "write 2005-Q1, 2005-Q2, 2005-Q3 or 2005-Q4"),
    ("2005-Q0", "'2005-Q0' is not a quarter: a year has four", "write 2005-Q1, 2005-Q2, 2005-Q3 or 2005-Q4"),
    ("2005-q3", "'2005-q3' is not a period", "write 2005-Q3: in capitals, without spaces"),
    ("0000", "'0000' is not a period of the calendar: the first year is 0001", "write a year from 0001 to 9999"),
    ("2005-02-15", "'2005-02-15' is not a period",
     ('a period is not a day: write a year "2005", a quarter "2005-Q3", a month "2005-02" or a fiscal year '
     '"FY2005-06" ("FY2005" where it starts in January)')),
    ("Q3 2005", "'Q3 2005' is not a period",
     ('write a year "2005", a quarter "2005-Q3", a month "2005-02" or a fiscal year "FY2005-06" ("FY2005" where '
     'it starts in January)')),
    ("", "'' is not a period",
     ('write a year "2005", a quarter "2005-Q3", a month "2005-02" or a fiscal year "FY2005-06" ("FY2005" where '
     'it starts in January)')),
    (2005, "expected a period written as text in quotes, got the number 2005",
     ('write it in quotes, as "2005": a period is a year "2005", a quarter "2005-Q3", a month "2005-02" or a '
     'fiscal year "FY2005-06" ("FY2005" where it starts in January)')),
    (dt.date(2005, 2, 1), "expected a period written as text in quotes, got the date 2005-02-01",
     ('write it in quotes, as "2005": a period is a year "2005", a quarter "2005-Q3", a month "2005-02" or a '
     'fiscal year "FY2005-06" ("FY2005" where it starts in January)')),
])
def test_what_is_not_a_period_is_a_bad_value_with_a_hint(value, message, hint):
    for start in (1, 7):
        assert hint_of(value, start) == (message, hint)
    assert isinstance(PeriodError(message), ValueError)  # what the models' validators may raise


def test_a_label_is_read_without_its_project():
    label = read_label("FY2005-06")
    assert (label.kind, label.year, label.spans_two_years) == (FISCAL_YEAR, 2005, True)
    assert read_label("FY2005").spans_two_years is False
    with pytest.raises(PeriodError) as caught:
        read_label("FY2005-07")
    assert caught.value.hint == "write FY2005-06, or FY2005 where the fiscal year starts in January"


@given(st.integers(1, 12), st.integers(1, 9998))
def test_the_twelve_months_of_a_fiscal_year_tile_it(start, year):
    label = f"FY{year:04d}" if start == 1 else f"FY{year:04d}-{(year + 1) % 100:02d}"
    fiscal = parse_period(label, start)
    # Independently: twelve months from the first of the start month, each ending the day before the next begins.
    firsts = [dt.date(year + (start - 1 + k) // 12, (start - 1 + k) % 12 + 1, 1) for k in range(13)]
    assert fiscal.first == firsts[0]
    assert fiscal.last == firsts[12] - dt.timedelta(days=1)
    months = [parse_period(f"{first.year:04d}-{first.month:02d}", start) for first in firsts[:12]]
    assert [month.first for month in months] == firsts[:12]
    assert [month.last + dt.timedelta(days=1) for month in months] == firsts[1:]
    assert sum((month.last - month.first).days + 1 for month in months) == (fiscal.last - fiscal.first).days + 1
    assert all(contains(fiscal, month.first) and contains(fiscal, month.last) for month in months)
    if fiscal.first > dt.date.min:
        assert not contains(fiscal, fiscal.first - dt.timedelta(days=1))
    assert not contains(fiscal, fiscal.last + dt.timedelta(days=1))


# ---- overlap -------------------------------------------------------------------------------------------

def test_overlap_rules():
    fy = parse_period("FY2005-06", 7)
    assert overlaps(fy, parse_period("FY2005-06", 7)) and not overlaps_unequally(fy, parse_period("FY2005-06", 7))
    # equal days under other labels are equal periods for a line
    assert not overlaps_unequally(parse_period("2005", 1), parse_period("FY2005", 1))
    touching = parse_period("FY2006-07", 7)
    assert not overlaps(fy, touching) and not overlaps(touching, fy)
    nested = parse_period("2005-Q3", 7)
    assert overlaps(fy, nested) and overlaps(nested, fy) and overlaps_unequally(fy, nested)
    assert overlaps(fy, parse_period("2006-06", 7))  # its last month
    assert not overlaps(fy, parse_period("2006-07", 7))
    assert not overlaps(fy, parse_period("2005-06", 7))  # the month before
    assert overlaps_unequally(fy, parse_period("2006", 7))  # crossing: half in each
    disjoint = parse_period("2008", 1)
    assert not overlaps(fy, disjoint) and not overlaps_unequally(disjoint, fy)


def test_contains_is_inclusive_at_both_ends():
    february = parse_period("2004-02", 1)
    assert contains(february, D(2004, 2, 1)) and contains(february, D(2004, 2, 29))
    assert not contains(february, D(2004, 1, 31)) and not contains(february, D(2004, 3, 1))


def test_unequal_overlaps_are_found_in_one_sweep():
    p = [parse_period(text, 7) for text in
         ("FY2005-06", "2005-Q3", "FY2005-06", "FY2006-07", "2008", "2008", "2007-06", "2009-01")]
    # the quarter (sorted first: it ends first) lies in the fiscal year, both copies; 2007-06 in FY2006-07
    assert sorted(unequal_overlaps(p)) == [(1, 0), (1, 2), (3, 6)]
    assert unequal_overlaps([]) == []
    # November is compared with the year, which reaches furthest, not with January, sorted just before it
    q = [parse_period(text, 1) for text in ("2005", "2005-01", "2005-11")]
    assert sorted(unequal_overlaps(q)) == [(0, 2), (1, 0)]


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=12))
def test_unequal_overlaps_agree_with_every_pair(spans):
    periods = [Period(D(2000, 1, 1) + dt.timedelta(days=a), D(2000, 1, 1) + dt.timedelta(days=a + n), "x", YEAR)
               for a, n in spans]
    def key(index):
        return periods[index].first, periods[index].last

    later_in_a_conflict = {j for i in range(len(periods)) for j in range(len(periods))
                           if key(i) < key(j) and overlaps_unequally(periods[i], periods[j])}
    pairs = unequal_overlaps(periods)
    assert all(key(i) < key(j) and overlaps_unequally(periods[i], periods[j]) for i, j in pairs)
    assert [j for _, j in pairs] == sorted(later_in_a_conflict, key=lambda j: (key(j), j))


# ---- inheritance ---------------------------------------------------------------------------------------

def test_fiscal_year_start_is_inherited():
    own = {"PROG": 7, "P1": None, "P2": 1, "OTHER": None}
    parent_of = {"P1": "PROG", "P1.1": "P1", "P2": "PROG", "P2.1": "P2", "PROG": None}
    assert resolve_fiscal_year_start("PROG", own, parent_of) == 7
    assert resolve_fiscal_year_start("P1.1", own, parent_of) == 7
    assert resolve_fiscal_year_start("P2.1", own, parent_of) == 1
    assert resolve_fiscal_year_start("OTHER", own, parent_of) == 1
    assert resolve_fiscal_year_start("UNKNOWN", own, parent_of) == 1
    assert resolve_fiscal_year_starts(["P1.1", "P2.1", "PROG", "OTHER", "P1"], own, parent_of) == {
        "P1.1": 7, "P1": 7, "PROG": 7, "P2.1": 1, "P2": 1, "OTHER": 1}


def test_inheritance_survives_a_ring_of_parents():
    parent_of = {"A": "B", "B": "C", "C": "A", "D": "A"}
    assert resolve_fiscal_year_start("A", {}, parent_of) == 1
    assert resolve_fiscal_year_start("D", {"B": 12}, parent_of) == 12
    assert resolve_fiscal_year_starts(["D", "A", "B", "C"], {}, parent_of) == {"A": 1, "B": 1, "C": 1, "D": 1}
    assert resolve_fiscal_year_start("A", {}, {"A": "A"}) == 1


# ---- the command line ----------------------------------------------------------------------------------

def test_period_window_for_the_reported_projects():
    assert period_window(read_period_option("FY2005-06"), {7}) == (D(2005, 7, 1), D(2006, 6, 30))
    assert period_window(read_period_option("FY2005"), set()) == (D(2005, 1, 1), D(2005, 12, 31))
    assert period_window(read_period_option("2005-Q3"), {1, 7}) == (D(2005, 7, 1), D(2005, 9, 30))
    with pytest.raises(UsageError) as caught:
        period_window(read_period_option("FY2005-06"), {7, 1})
    assert str(caught.value) == (
        "--period FY2005-06: the reported projects' fiscal years start in different months (January, July), so "
        "a fiscal year names no one window; report them one at a time with --project, or give a calendar period "
        "or --from and --as-of")
    with pytest.raises(UsageError) as caught:
        period_window(read_period_option("FY2005"), {7})
    assert str(caught.value) == (
        "--period FY2005: 'FY2005' is the form of a fiscal year that starts in January, but the reported "
        "projects' fiscal year starts in July (fiscal_year_start 7); write FY2005-06: the fiscal year from "
        "2005-07-01 to 2006-06-30")
    with pytest.raises(UsageError) as caught:
        read_period_option("2005-13")
    assert str(caught.value) == "--period: '2005-13' is not a month of the calendar; the months are 01 to 12: " \
                                '"2005-01" to "2005-12"'


def test_statement_options():
    today = D(2010, 5, 17)
    assert read_statement_options(None, None, None, today).window() == (None, today)
    assert read_statement_options(None, "2005", "2005-06", today).window() == (D(2005, 1, 1), D(2005, 6, 30))
    assert read_statement_options(None, "2005-02", None, today).window() == (D(2005, 2, 1), today)
    assert read_statement_options(None, "2005-02-15", "2005-02-15", today).window() == (D(2005, 2, 15),) * 2
    assert read_statement_options("FY2005-06", None, None, today).window({7}) == (D(2005, 7, 1), D(2006, 6, 30))
    assert from_day("2004") == D(2004, 1, 1)
    for options, message in [
        (("2005", "2005-01", None), ("--period excludes --from: the period gives the window's first and last day; "
                                    "give --period alone, or --from and --as-of")),
        (("2005", "2005-01", "2005-03"), ("--period excludes --from and --as-of: the period gives the window's first "
                                         "and last day; give --period alone, or --from and --as-of")),
        (("2005", None, "2005-03"), ("--period excludes --as-of: the period gives the window's first and last day; "
                                    "give --period alone, or --from and --as-of")),
        ((None, "2005-13", None), "--from: '2005-13' is not a date of the calendar"),
        ((None, "Feb 2005", None), ("--from: 'Feb 2005' is not a date; write 2005-02-15, \"2005-02\" (a month) or "
                                   "\"2004\" (a year)")),
        ((None, None, "2005-02-30"), "--as-of: '2005-02-30' is not a date of the calendar"),
        ((None, "2006", "2005"), "--from 2006 is after --as-of 2005-12-31: the window would hold no day"),
        (("FY2005-2006", None, None), ("--period: 'FY2005-2006' is not a period; write FY2005-06, or FY2005 where "
                                      "the fiscal year starts in January")),
    ]:
        with pytest.raises(UsageError) as caught:
            read_statement_options(*options, today)
        assert str(caught.value) == message


# ---- support cost and used ------------------------------------------------------------------------------

@pytest.mark.parametrize("amount, rate, currency, cost", [
    ("70000.55", "0.13", "USD", "9100.07"),   # 9100.0715
    ("0.05", "0.13", "USD", "0.01"),          # 0.0065
    ("0.5", "0.01", "USD", "0.01"),           # 0.005: a half cent, up
    ("0.15", "0.1", "USD", "0.02"),           # 0.015: up, where half to even gives 0.02 too
    ("0.25", "0.1", "USD", "0.03"),           # 0.025: up, where half to even gives 0.02
    ("0.04", "0.1", "USD", "0.00"),           # 0.004: down
    ("-0.5", "0.01", "USD", "-0.01"),         # a credit note: away from zero
    ("-0.25", "0.1", "USD", "-0.03"),
    ("-0.04", "0.1", "USD", "0.00"),          # never -0.00
    ("-1000.00", "0.13", "USD", "-130.00"),
    ("100", "0", "USD", "0.00"),
    ("15", "0.1", "JPY", "2"),                # 1.5 yen: to the yen, up
    ("25", "0.1", "JPY", "3"),
    ("1.005", "0.5", "KWD", "0.503"),         # 0.5025 dinar: to the fils, up
    ("999999999999999999.99", "1", "USD", "999999999999999999.99"),
    # a rate of 30 digits: the product exactly, then one rounding (28 digits half to even first would give 0.01)
    ("0.01", "0.499999999999999999999999999999", "USD", "0.00"),
])
def test_support_cost_rounds_half_away_from_zero(amount, rate, currency, cost):
    got = support_cost(Decimal(amount), Decimal(rate), currency)
    assert str(got) == cost
    assert [str(each) for each in support_costs([Decimal(amount)], Decimal(rate), currency)] == [cost]


def test_support_cost_ignores_the_threads_decimal_context():
    with localcontext() as context:
        context.prec = 3
        context.rounding = "ROUND_DOWN"
        assert support_cost(Decimal("70000.55"), Decimal("0.13"), "USD") == Decimal("9100.07")
        assert used(Decimal(2), Decimal(3)) == "0.6667"


@pytest.mark.parametrize("spent, budget, share", [
    ("844", "1000", "0.8440"),
    ("0.84445", "1", "0.8445"),     # a half, up
    ("0.84435", "1", "0.8444"),     # a half, up (half to even would give 0.8444 too)
    ("0.84425", "1", "0.8443"),     # a half, up (half to even would give 0.8442)
    ("0.844249", "1", "0.8442"),
    ("2", "3", "0.6667"),
    ("1", "3", "0.3333"),
    ("0", "5000", "0.0000"),
    ("1500", "1000", "1.5000"),
    ("-0.00005", "1", "-0.0001"),   # a credit note's share: away from zero
    ("-0.00004", "1", "0.0000"),    # never -0.0000
    ("-250", "1000", "-0.2500"),
    ("1e22", "0.01", "1000000000000000000000000.0000"),
    ("100", "0", None),
    ("0", "0.00", None),
])
def test_used_is_rounded_half_away_from_zero_to_four_places(spent, budget, share):
    assert used(Decimal(spent), Decimal(budget)) == share
    got = used_share(Decimal(spent), Decimal(budget))
    assert (None if got is None else f"{got:.4f}") == share
