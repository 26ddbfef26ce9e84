"""Rates at dates (core/rates.py) and rates CSV files (read/rates_csv.py): each rule of the contract's
"Money in several currencies" on both sides of its boundary."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cndledger.core.rates import NoRate, RateQuote, Rates, duplicate_rates, parse_rate
from cndledger.format.currency import MONEY
from cndledger.read.rates_csv import (
    PLAIN,
    UN,
    UN_SOURCE,
    RowOrigin,
    new_rate_entries,
    parse_rates_csv,
    rate_entry_text,
    read_rates_csv,
)

D = Decimal
MAR_1, FEB_28, MAR_2 = dt.date(2005, 3, 1), dt.date(2005, 2, 28), dt.date(2005, 3, 2)


def quote(day: dt.date, source: str, target: str, rate: str, origin: object = None) -> RateQuote:
    return RateQuote(day, source, target, D(rate), origin)


# --- which rate applies -------------------------------------------------------------------------

def test_a_rate_applies_from_its_own_day_not_the_day_before() -> None:
    rates = Rates([quote(MAR_1, "USD", "PKR", "59.72")])
    assert rates.rate_on("USD", "PKR", MAR_1).rate == D("59.72")
    assert rates.rate_on("USD", "PKR", MAR_2).rate == D("59.72")
    assert rates.rate_on("USD", "PKR", FEB_28) is None


def test_the_latest_rate_on_or_before_the_day_applies() -> None:
    rates = Rates([quote(dt.date(2005, 4, 1), "USD", "PKR", "60"), quote(MAR_1, "USD", "PKR", "59")])
    assert rates.rate_on("USD", "PKR", dt.date(2005, 3, 31)).rate == 59
    assert rates.rate_on("USD", "PKR", dt.date(2005, 4, 1)).rate == 60
    assert rates.convert(D(100), "USD", "PKR", dt.date(2005, 3, 31)) == D("5900.00")
    assert rates.convert(D(100), "USD", "PKR", dt.date(2005, 4, 1)) == D("6000.00")


def test_a_rate_the_other_way_round_divides() -> None:
    rates = Rates([quote(MAR_1, "USD", "PKR", "60")])
    assert rates.convert(D("6000.00"), "PKR", "USD", MAR_1) == D("100.00")
    assert rates.convert(D(100), "PKR", "USD", MAR_1) == D("1.67")  # 1.6666... rounds up
    assert rates.rate_on("PKR", "USD", MAR_1).source == "USD"


def test_the_later_rate_wins_whichever_way_round_it_is() -> None:
    rates = Rates([quote(MAR_1, "USD", "PKR", "60"), quote(MAR_2, "PKR", "USD", "0.02")])
    assert rates.convert(D(100), "USD", "PKR", MAR_1) == D("6000.00")
    assert rates.convert(D(100), "USD", "PKR", MAR_2) == D("5000.00")  # 100 / 0.02
    assert rates.convert(D(100), "PKR", "USD", MAR_2) == D("2.00")


def test_on_a_tie_the_direct_rate_wins_both_ways() -> None:
    rates = Rates([quote(MAR_1, "PKR", "USD", "0.02"), quote(MAR_1, "USD", "PKR", "60")])
    assert rates.convert(D(100), "USD", "PKR", MAR_1) == D("6000.00")  # USD→PKR, not 100 / 0.02
    assert rates.convert(D(100), "PKR", "USD", MAR_1) == D("2.00")  # PKR→USD, not 100 / 60


def test_no_rate_is_chained_through_a_third_currency() -> None:
    rates = Rates([quote(MAR_1, "PKR", "USD", "0.0167"), quote(MAR_1, "USD", "EUR", "0.76")])
    assert rates.rate_on("PKR", "EUR", MAR_1) is None
    with pytest.raises(NoRate) as raised:
        rates.convert(D(100), "PKR", "EUR", MAR_1)
    assert raised.value.message == ("no rate from PKR to EUR on or before 2005-03-01 "
                                    "(the ledger has no rate between PKR and EUR)")


def test_a_currency_to_itself_is_one_and_zero_needs_no_rate() -> None:
    rates = Rates([])
    assert rates.rate_on("USD", "USD", MAR_1).rate == 1
    assert rates.convert(D("70000.50"), "USD", "USD", MAR_1) == D("70000.50")
    assert rates.convert(D(0), "PKR", "USD", MAR_1) == 0
    with pytest.raises(NoRate):
        rates.convert(D("0.01"), "PKR", "USD", MAR_1)


def test_the_no_rate_message_names_the_earliest_rate_there_is() -> None:
    rates = Rates([quote(dt.date(2005, 4, 1), "USD", "PKR", "60"), quote(MAR_1, "USD", "PKR", "59.72", "f.toml:3")])
    with pytest.raises(NoRate) as raised:
        rates.convert(D("150000000"), "PKR", "USD", FEB_28)
    missing = raised.value
    assert missing.message == "no rate from PKR to USD on or before 2005-02-28 (the earliest is dated 2005-03-01)"
    assert str(missing) == missing.message
    assert missing.earliest.origin == "f.toml:3"
    assert (missing.source, missing.target, missing.day) == ("PKR", "USD", FEB_28)
    assert "dated on or before 2005-02-28" in missing.hint
    assert rates.missing("PKR", "USD", FEB_28).message == missing.message


def test_an_entrys_own_rate_replaces_the_ledgers() -> None:
    rates = Rates([quote(MAR_1, "USD", "PKR", "60")])
    assert rates.convert(D(6000), "PKR", "USD", MAR_1, entry_rate=D("0.0168")) == D("100.80")
    assert rates.convert(D(6000), "PKR", "USD", FEB_28, entry_rate=D("0.0168")) == D("100.80")  # no ledger rate needed


# --- rounding ------------------------------------------------------------------------------------

def test_half_a_cent_rounds_up_and_less_rounds_down() -> None:
    rates = Rates([quote(MAR_1, "PKR", "USD", "0.005"), quote(MAR_1, "EUR", "USD", "0.0049999")])
    assert rates.convert(D(1), "PKR", "USD", MAR_1) == D("0.01")  # 0.005 exactly
    assert rates.convert(D(1), "EUR", "USD", MAR_1) == D("0.00")  # 0.0049999
    assert rates.convert(D(3), "PKR", "USD", MAR_1) == D("0.02")  # 0.015: half up, not to even


def test_negative_amounts_round_away_from_zero() -> None:
    rates = Rates([quote(MAR_1, "PKR", "USD", "0.005")])
    assert rates.convert(D(-1), "PKR", "USD", MAR_1) == D("-0.01")
    assert rates.convert(D(-3), "PKR", "USD", MAR_1) == D("-0.02")
    assert str(Rates([quote(MAR_1, "PKR", "USD", "0.004")]).convert(D(-1), "PKR", "USD", MAR_1)) == "0.00"


def test_results_have_the_targets_minor_unit_jpy_and_kwd() -> None:
    rates = Rates([quote(MAR_1, "USD", "JPY", "104.5"), quote(MAR_1, "USD", "KWD", "0.29215")])
    assert str(rates.convert(D(1), "USD", "JPY", MAR_1)) == "105"  # 104.5 half up
    assert str(rates.convert(D("0.01"), "USD", "JPY", MAR_1)) == "1"  # 1.045
    assert str(rates.convert(D(-1), "USD", "JPY", MAR_1)) == "-105"
    assert str(rates.convert(D("10.00"), "USD", "KWD", MAR_1)) == "2.922"  # 2.9215 half up
    assert str(rates.convert(D("0.01"), "USD", "KWD", MAR_1)) == "0.003"  # 0.0029215
    assert str(rates.convert(D(105), "JPY", "USD", MAR_1)) == "1.00"  # 105 / 104.5 = 1.0047...


def test_conversion_is_exact_beyond_28_digits() -> None:
    # 2000100000000099.9949999999999995 exactly (32 digits): rounded to 28 digits first, it would end in
    # ...995 and round up a cent.
    amount, rate = D("2000099999999999.99"), D("1.00000000000005")
    assert MONEY.multiply(amount, rate).quantize(D("0.01"), ROUND_HALF_UP, MONEY) == D("2000100000000100.00")
    converted = Rates([quote(MAR_1, "USD", "EUR", str(rate))]).convert(amount, "USD", "EUR", MAR_1)
    assert converted == D("2000100000000099.99")


def test_no_decimal_context_changes_a_conversion() -> None:
    rates = Rates([quote(MAR_1, "PKR", "USD", "0.005")])
    with localcontext() as context:
        context.prec = 3
        context.rounding = "ROUND_DOWN"
        assert rates.convert(D("12345.67"), "PKR", "USD", MAR_1) == D("61.73")


@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=-10**17, max_value=10**17).filter(bool),
       rate=st.decimals(min_value=D("0.000001"), max_value=D("100000"), places=6, allow_nan=False,
                        allow_infinity=False).filter(lambda rate: rate > 0),
       target=st.sampled_from(["USD", "JPY", "KWD"]))
def test_a_direct_rate_gives_the_product_rounded_half_away_from_zero(cents: int, rate: Decimal, target: str) -> None:
    amount = D(cents).scaleb(-2)
    places = {"USD": 2, "JPY": 0, "KWD": 3}[target]
    with localcontext() as context:  # computed independently: a context wide enough to be exact
        context.prec = 80
        expected = (amount * rate).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    converted = Rates([quote(MAR_1, "PKR", target, str(rate))]).convert(amount, "PKR", target, MAR_2)
    assert converted == expected
    assert converted.as_tuple().exponent == -places


def test_duplicates_are_the_same_from_to_and_date() -> None:
    first = quote(MAR_1, "USD", "PKR", "60", "a:1")
    again = quote(MAR_1, "USD", "PKR", "61", "a:7")
    others = [quote(MAR_1, "PKR", "USD", "0.0167", "a:3"), quote(MAR_2, "USD", "PKR", "60", "a:5")]
    assert duplicate_rates([first, *others, again]) == [(first, again)]
    assert duplicate_rates([first, *others]) == []
    assert Rates([first, again]).rate_on("USD", "PKR", MAR_1) is first  # the first written counts


def test_parse_rate_judges_significant_digits_on_the_value() -> None:
    assert parse_rate(D("123456789012345")) == D("123456789012345")
    assert parse_rate(D("1.234567890123450000")) == D("1.23456789012345")
    assert parse_rate(60) == 60
    for bad in (D("1234567890123456"), D("0.1234567890123456"), D(0), D(-1), D("NaN"), "59.72", True, 1.5):
        with pytest.raises(ValueError):
            parse_rate(bad)


def test_a_lookup_is_a_bisection() -> None:
    days = [dt.date(2000, 1, 1) + dt.timedelta(days=n) for n in range(5000)]
    rates = Rates(quote(day, "USD", "PKR", str(n + 1)) for n, day in enumerate(days))
    assert rates.rate_on("USD", "PKR", days[2500]).rate == 2501
    assert rates.rate_on("USD", "PKR", dt.date(2100, 1, 1)).rate == 5000


# --- CSV ----------------------------------------------------------------------------------------

def test_plain_layout() -> None:
    text = ("date,from,to,rate,source,note\n"
            "2005-03-01,USD,PKR,59.72,UN operational rate of exchange,\n"
            "2005-03-01,PKR,USD,0.0167,,\"a bank's, at receipt\"\n"
            "\n"
            "2005-04-01,EUR,USD,1.3\n")
    read = parse_rates_csv(text, "rates.csv")
    assert read.layout == PLAIN and read.problems == []
    assert [tuple(quote[:4]) for quote in read.quotes] == [
        (MAR_1, "USD", "PKR", D("59.72")), (MAR_1, "PKR", "USD", D("0.0167")), (dt.date(2005, 4, 1), "EUR", "USD", D("1.3"))]
    assert [(q.origin.line, q.origin.source, q.origin.note) for q in read.quotes] == [
        (2, "UN operational rate of exchange", None), (3, None, "a bank's, at receipt"), (5, None, None)]
    assert str(read.quotes[0].origin) == "rates.csv:2"


def test_plain_layout_bad_rows_are_located_at_their_line() -> None:
    text = ("date,from,to,rate\n"
            "2005-03,USD,PKR,59.72\n"        # 2: a month
            "2005-02-30,USD,PKR,59.72\n"     # 3: no such day
            "2005-03-01,usd,PKR,59.72\n"     # 4: lower case
            "2005-03-01,USD,XYZ,59.72\n"     # 5: no such currency
            "2005-03-01,USD,USD,1\n"         # 6: the same currency
            "2005-03-01,USD,PKR,0\n"         # 7: not above zero
            "2005-03-01,USD,PKR,\"59,72\"\n"  # 8: a decimal comma
            "2005-03-01,USD,PKR,1.234567890123456\n"  # 9: 16 digits
            "2005-03-01,USD,PKR\n"           # 10: too few cells
            "2005-03-01,USD,PKR,59.72,x\n"   # 11: a cell beyond the header
            "2005-03-01,USD,PKR,59.72\n"     # 12: good
            "2005-03-01,USD,PKR,59.720\n"    # 13: the same rate again: read once
            "2005-03-01,USD,PKR,59.73\n")    # 14: another rate on the same day
    read = parse_rates_csv(text, "r.csv")
    assert [(problem.line, problem.code) for problem in read.problems] == [
        (line, "bad-value") for line in range(2, 12)] + [(14, "duplicate-id")]
    assert all(problem.file == "r.csv" and problem.hint for problem in read.problems)
    messages = [problem.message for problem in read.problems]
    assert "is a month" in messages[0]
    assert "not a day of the calendar" in messages[1]
    assert "capitals: 'USD'" in messages[2]
    assert "'XYZ' is not an active ISO 4217 currency code" in messages[3]
    assert "both USD" in messages[4]
    assert "above zero" in messages[5]
    assert "comma" in messages[6]
    assert "15 significant digits" in messages[7]
    assert messages[8] == "the row has 3 cells where the header has 4"
    assert messages[9] == "the row has 5 cells where the header has 4"
    assert messages[10] == "a second rate from USD to PKR on 2005-03-01: 59.73, where line 12 gives 59.72"
    assert [quote.origin.line for quote in read.quotes] == [12]


def test_plain_header_problems() -> None:
    read = parse_rates_csv("date,from,to,rte\n2005-03-01,USD,PKR,1\n", "r.csv")
    assert read.quotes == []
    assert [(p.line, p.message) for p in read.problems] == [
        (1, "unknown column 'rte' in the header; did you mean 'rate'?"), (1, "the header has no column 'rate'")]
    read = parse_rates_csv("when,what\n2005-03-01,1\n", "r.csv")
    assert read.layout is None and read.problems[0].line == 1 and "not a header of rates" in read.problems[0].message
    assert parse_rates_csv("", "r.csv").problems[0].message == "the file holds no rows of rates"


UN_EXPORT = ("Country\tCurrency Name\tCurrency Code\tEffective Date\tRate\n"
             "Afghanistan\tAfghanistan Afghani\tAFN\t01 Mar 2005\t48.5\n"
             "Andorra\tEuro\tEUR\t01 Mar 2005\t0.755\n"
             "Austria\tEuro\tEUR\t01 Mar 2005\t0.7550\n"
             "Kuwait\tKuwaiti Dinar\tKWD\t01 Mar 2005\t0.292\n"
             "Pakistan\tPakistan Rupee\tPKR\t01 Mar 2005\t59.72\n"
             "Pakistan\tPakistan Rupee\tPKR\t15-Mar-2005\t59.80\n"
             "United States\tUS Dollar\tUSD\t01 Mar 2005\t1.000\n")


def test_un_layout_with_a_header() -> None:
    read = parse_rates_csv(UN_EXPORT, "un.csv")
    assert read.layout == UN and read.problems == []
    assert [(q.day, q.source, q.target, q.rate, q.origin.line) for q in read.quotes] == [
        (MAR_1, "USD", "AFN", D("48.5"), 2), (MAR_1, "USD", "EUR", D("0.755"), 3), (MAR_1, "USD", "KWD", D("0.292"), 5),
        (MAR_1, "USD", "PKR", D("59.72"), 6), (dt.date(2005, 3, 15), "USD", "PKR", D("59.80"), 7)]
    assert {q.origin.source for q in read.quotes} == {UN_SOURCE}
    rates = Rates(read.quotes)
    assert rates.convert(D("5972.00"), "PKR", "USD", dt.date(2005, 3, 14)) == D("100.00")


def test_un_layout_without_a_header_in_the_exports_order() -> None:
    body = UN_EXPORT.split("\n", 1)[1]
    read = parse_rates_csv(body, "un.csv")
    assert read.layout == UN and read.problems == []
    assert [q.origin.line for q in read.quotes] == [1, 2, 4, 5, 6]


def test_un_layout_other_headers_and_a_title_comma_separated() -> None:
    text = ("United Nations Operational Rates of Exchange\n"
            "\n"
            "Country or Territory,Currency Name,Currency Code,Operational Rate,Effective Date\n"
            "Pakistan,Pakistan Rupee,PKR,59.72,2005-03-01\n")
    read = parse_rates_csv(text, "un.csv")
    assert read.problems == [] and [(q.target, q.rate, q.origin.line) for q in read.quotes] == [("PKR", D("59.72"), 4)]


def test_un_layout_bad_rows_and_a_currency_filter() -> None:
    text = ("Country;Currency Code;Effective Date;Rate\n"
            "Pakistan;PKR;Mar 2005;59.72\n"      # 2: not a day
            "Pakistan;PKR;01 Mar 2005;-1\n"      # 3: not above zero
            "Nowhere;ZZZ;01 Mar 2005;2\n"        # 4: no such currency
            "United States;USD;01 Mar 2005;2\n"  # 5: the dollar at 2 per dollar
            "Pakistan;PKR;01 Mar 2005\n"         # 6: no rate cell
            "Pakistan;PKR;01 Apr 2005;60.1\n")   # 7: good
    read = parse_rates_csv(text, "un.csv")
    assert [p.line for p in read.problems] == [2, 3, 4, 5, 6]
    assert [q.origin.line for q in read.quotes] == [7]
    filtered = parse_rates_csv(text, "un.csv", currencies={"PKR"})
    assert [p.line for p in filtered.problems] == [2, 3, 6]


def test_rows_that_are_not_csv_are_located() -> None:
    read = parse_rates_csv('date,from,to,rate\n2005-03-01,"USD"x,PKR,1\n2005-03-01,USD,PKR,59.72\n'
                           '2005-03-01,"USD,PKR,1\n', "r.csv")
    assert [q.origin.line for q in read.quotes] == [3]
    assert [(p.line, p.message.split(": ")[1]) for p in read.problems] == [
        (2, "a quoted cell has text after its closing quote"), (4, "a quote opened on this line is never closed")]
    assert parse_rates_csv('"date,from\n', "r.csv").problems[0].line == 1


def test_read_from_a_file_in_latin_1_and_a_missing_file(tmp_path) -> None:
    path = tmp_path / "un.csv"
    path.write_bytes("Country,Currency Code,Effective Date,Rate\nC\xf4te d'Ivoire,XOF,01 Mar 2005,495\n".encode("latin-1"))
    read = read_rates_csv(str(path))
    assert read.problems == [] and [q.target for q in read.quotes] == ["XOF"]
    missing = read_rates_csv(str(tmp_path / "none.csv"))
    assert missing.quotes == [] and missing.problems[0].code == "unreadable-file"


# --- writing [[rate]] entries -------------------------------------------------------------------

def test_new_entries_are_valid_toml_in_the_ledgers_style() -> None:
    read = parse_rates_csv(UN_EXPORT, "un.csv", currencies={"PKR", "EUR"})
    new = new_rate_entries(read.quotes, [])
    assert new.problems == [] and new.present == []
    assert new.text.split("\n\n")[0] == (
        '[[rate]]\ndate = "2005-03-01"\nfrom = "USD"\nto = "EUR"\nrate = 0.755\n'
        'source = "UN operational rate of exchange"')
    assert new.text.endswith('"\n') and "\n\n\n" not in new.text
    parsed = tomllib.loads(new.text, parse_float=Decimal)["rate"]
    assert [(entry["date"], entry["to"], entry["rate"]) for entry in parsed] == [
        ("2005-03-01", "EUR", D("0.755")), ("2005-03-01", "PKR", D("59.72")), ("2005-03-15", "PKR", D("59.80"))]


def test_entries_already_in_the_ledger_are_left_out_and_conflicts_refused() -> None:
    read = parse_rates_csv("date,from,to,rate\n2005-03-01,USD,PKR,59.72\n2005-04-01,USD,PKR,60.5\n"
                           "2005-05-01,USD,PKR,61\n", "r.csv")
    existing = [quote(MAR_1, "USD", "PKR", "59.720", "ledgers/rates.toml:3"),
                RateQuote(dt.date(2005, 4, 1), "USD", "PKR", D("60.4"), type("At", (), {"file": "ledgers/rates.toml", "line": 9})()),
                quote(dt.date(2005, 5, 1), "PKR", "USD", "0.0164")]  # the other way round: not a duplicate
    new = new_rate_entries(read.quotes, existing, source="my bank")
    assert [q.origin.line for q in new.present] == [2]
    assert [(p.file, p.line, p.code, p.message) for p in new.problems] == [
        ("r.csv", 3, "duplicate-id", ("the ledger already has a rate from USD to PKR on 2005-04-01: 60.4 at "
                                      "ledgers/rates.toml:9, where this row gives 60.5"))]
    assert [q.day for q in new.added] == [dt.date(2005, 5, 1)]
    assert new.text == '[[rate]]\ndate = "2005-05-01"\nfrom = "USD"\nto = "PKR"\nrate = 61\nsource = "my bank"\n'
    assert new_rate_entries([], []).text == ""


def test_rate_and_text_values_are_written_so_toml_reads_them_back() -> None:
    text = rate_entry_text(quote(MAR_1, "USD", "VND", "15885.5"), source='a "quoted"\tsource\\', note="line\nbreak\x7f")
    entry = tomllib.loads(text, parse_float=Decimal)["rate"][0]
    assert "rate = 15_885.5" in text
    assert entry["rate"] == D("15885.5") and entry["source"] == 'a "quoted"\tsource\\' and entry["note"] == "line\nbreak\x7f"
    assert "rate = 1000\n" in rate_entry_text(quote(MAR_1, "USD", "KRW", "1E+3"))
    assert "rate = 0.00012\n" in rate_entry_text(quote(MAR_1, "VND", "USD", "0.00012"))


def test_a_currency_filter_passes_over_other_rows_unjudged() -> None:
    text = "date,from,to,rate\n2005-03-01,USD,EUR\n2005-03-01,USD,PKR,59.72\n2005-03-01,USD,EUR,x\n"
    read = parse_rates_csv(text, "r.csv", currencies=["PKR"])
    assert read.problems == [] and [q.target for q in read.quotes] == ["PKR"]
    headerless = parse_rates_csv("Pakistan,Pakistan Rupee,PKR,01 Mar 2005,59.72\nPakistan,Pakistan Rupee,PKR,01 Apr 2005\n",
                                 "un.csv")
    assert [p.message for p in headerless.problems] == ["the row has 4 cells where the first row has 5"]


def test_new_entries_fold_repeats_among_themselves() -> None:
    again = [quote(MAR_1, "USD", "PKR", "60", RowOrigin("r.csv", 2)), quote(MAR_1, "USD", "PKR", "60.0", RowOrigin("r.csv", 3)),
             quote(MAR_1, "USD", "PKR", "61", RowOrigin("r.csv", 4))]
    new = new_rate_entries(again, [])
    assert [q.origin.line for q in new.added] == [2] and [q.origin.line for q in new.present] == [3]
    assert [(p.line, p.code, p.message) for p in new.problems] == [
        (4, "duplicate-id", "a second rate from USD to PKR on 2005-03-01: 61, where r.csv:2 gives 60")]
