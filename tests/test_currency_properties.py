"""Money in several currencies as a property (hypothesis): over generated ledgers of a USD programme
with a PKR child, commitments, releases, decommitments and expenses in either currency (some with their own rate),
and rates USD→PKR and PKR→USD on random days, each project's committed, released, spent and
outstanding are those computed here from the entries by the contract's words, independently of the
code under test: the latest rate of the pair on or before the day, either way round, the direct one on
a tie; each entry converted on its own day with `Fraction`s and rounded half away from zero to the cent;
outstanding revalued on the as-of day at the ledger's rate. Kept small: the machine is shared."""

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cndledger.core.api import check_files
from cndledger.core.figures import balance

FIRST = dt.date(2005, 1, 1)
CURRENCY = {0: "USD", 1: "PKR"}  # P0, the programme, and P1, its child
PAIRS = {("USD", "PKR"), ("PKR", "USD")}

# Days on a coarse grid, so that rates fall on the days of entries, of each other and of the as-of day.
days = st.integers(0, 40).map(lambda step: FIRST + dt.timedelta(days=9 * step))
forms = st.sampled_from(["day", "month"])  # a TOML day, or "YYYY-MM" (counting from the month's last day)
amounts = st.one_of(st.integers(1, 999), st.integers(1, 10**9)).map(lambda cents: Decimal(cents).scaleb(-2))
# A plausible rate each way: 40.00 to 80.00 rupees a dollar, 0.01000 to 0.03000 dollars a rupee.
RATE_OF = {"USD": st.integers(4000, 8000).map(lambda n: Decimal(n).scaleb(-2)),
           "PKR": st.integers(1000, 3000).map(lambda n: Decimal(n).scaleb(-5))}


def last_day(day: dt.date, form: str) -> dt.date:
    if form == "month":
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return day


def written(day: dt.date, form: str) -> str:
    return f'"{day:%Y-%m}"' if form == "month" else day.isoformat()


@st.composite
def ledgers(draw):
    """The rates ({(from, to, day): rate}, one a pair and day, one on FIRST so that every entry converts)
    and the entries, as values; `as_text` writes them out."""
    rates = {}
    forward = draw(st.sets(days, max_size=6))
    # The other way round: days of its own, and often some of the same days (a tie: the direct pair wins).
    backward = draw(st.sets(days, max_size=4)) | (draw(st.sets(st.sampled_from(sorted(forward)))) if forward else set())
    for (source, target), on in ((("USD", "PKR"), forward), (("PKR", "USD"), backward)):
        for day in on:
            rates[(source, target, day)] = draw(RATE_OF[source])
    source, target = draw(st.sampled_from(sorted(PAIRS)))
    rates.setdefault((source, target, FIRST), draw(RATE_OF[source]))

    def own_rate(currency: str, home: str):
        """An entry's own rate, sometimes, where its currency is not its project's (else it is bad-value)."""
        return draw(st.one_of(st.none(), RATE_OF[currency])) if currency != home else None

    commitments = []
    for project, currency, day, form, amount in draw(st.lists(
            st.tuples(st.integers(0, 1), st.sampled_from(["USD", "PKR"]), days, forms, amounts), max_size=4)):
        commitments.append((project, currency, day, form, amount, own_rate(currency, CURRENCY[project])))
    releases, decommitments = [], []
    if commitments:
        for flows, most in ((releases, 6), (decommitments, 2)):
            for number, day, form, amount in draw(st.lists(
                    st.tuples(st.integers(0, len(commitments) - 1), days, forms, amounts), max_size=most)):
                project, currency = commitments[number][:2]
                flows.append((number, day, form, amount, own_rate(currency, CURRENCY[project])))
    expenses = []
    for project, currency, day, form, amount in draw(st.lists(
            st.tuples(st.integers(0, 1), st.sampled_from(["USD", "PKR"]), days, forms, amounts), max_size=4)):
        expenses.append((project, currency, day, form, amount, own_rate(currency, CURRENCY[project])))
    return rates, commitments, releases, decommitments, expenses


def as_text(rates, commitments, releases, decommitments, expenses, child="PKR") -> str:
    out = ['[[party]]\nid = "DONOR"\nname = "A donor"\n',
           '[[project]]\nid = "P0"\ntitle = "A programme in dollars"\ncurrency = "USD"\n',
           f'[[project]]\nid = "P1"\ntitle = "A child"\ncurrency = "{child}"\nparent = "P0"\n']
    for (source, target, day), value in rates.items():
        out.append(f'[[rate]]\ndate = {day.isoformat()}\nfrom = "{source}"\nto = "{target}"\nrate = {value}\n')

    def own(rate) -> str:
        return "" if rate is None else f"rate = {rate}\n"

    for number, (project, currency, day, form, amount, rate) in enumerate(commitments):
        out.append(f'[[commitment]]\nid = "C{number}"\nproject = "P{project}"\nparty = "DONOR"\n'
                   f'date = {written(day, form)}\namount = {amount}\ncurrency = "{currency}"\n{own(rate)}')
    for kind, flows in (("release", releases), ("decommitment", decommitments)):
        for number, day, form, amount, rate in flows:
            out.append(f'[[{kind}]]\ncommitment = "C{number}"\ndate = {written(day, form)}\namount = {amount}\n'
                       f'{own(rate)}')
    for project, currency, day, form, amount, rate in expenses:
        out.append(f'[[expense]]\nproject = "P{project}"\ndate = {written(day, form)}\namount = {amount}\n'
                   f'currency = "{currency}"\n{own(rate)}')
    return "\n".join(out)


def cents(value: Fraction) -> Decimal:
    """Rounded half away from zero to the cent, by hand."""
    units = math.floor(abs(value) * 100 + Fraction(1, 2))
    return (Decimal(units) if value >= 0 else -Decimal(units)).scaleb(-2)


def rate_on(rates, source: str, target: str, day: dt.date) -> Fraction:
    """How many units of `target` one unit of `source` is worth on `day`: the latest rate of the pair,
    either way round, on or before the day; the direct one where both are dated that day."""
    candidates = [(on, (was_from, was_to) == (source, target), value)
                  for (was_from, was_to, on), value in rates.items()
                  if {was_from, was_to} == {source, target} and on <= day]
    _, direct, value = max(candidates, key=lambda found: found[:2])
    return Fraction(value) if direct else 1 / Fraction(value)


def convert(rates, amount: Decimal, source: str, target: str, day: dt.date, own_rate=None) -> Decimal:
    if source == target or not amount:
        return amount
    rate = Fraction(own_rate) if own_rate is not None else rate_on(rates, source, target, day)
    return cents(Fraction(amount) * rate)


def expected_figures(generated, as_of: dt.date, currency=None, currencies=CURRENCY):
    """Each project's committed, released, spent and outstanding as of the day, in its currency (in
    `currency` where given), its child's entries counted in the programme's."""
    rates, commitments, releases, decommitments, expenses = generated
    found = {}
    for project in (0, 1):
        subtree = {0, 1} if project == 0 else {1}
        target = currency or currencies[project]
        committed = released = spent = outstanding = Decimal(0)
        for number, (owner, its_currency, day, form, amount, rate) in enumerate(commitments):
            counts_from = last_day(day, form)
            if owner not in subtree or counts_from > as_of:
                continue
            own = rate if target == currencies[owner] else None
            committed += convert(rates, amount, its_currency, target, counts_from, own)
            unreleased = amount
            for flows, sign in ((releases, 1), (decommitments, -1)):
                for of, flow_day, flow_form, flow_amount, flow_rate in flows:
                    flow_counts = max(last_day(flow_day, flow_form), counts_from)  # never before its commitment
                    if of != number or flow_counts > as_of:
                        continue
                    unreleased -= flow_amount  # what is cancelled is not outstanding either
                    own = flow_rate if target == currencies[owner] else None
                    value = convert(rates, flow_amount, its_currency, target, flow_counts, own)
                    if sign > 0:
                        released += value
                    else:
                        committed -= value  # committed is net of decommitments, each converted on its day
            outstanding += convert(rates, unreleased, its_currency, target, as_of)  # revalued: no own rate
        for owner, its_currency, day, form, amount, rate in expenses:
            if owner in subtree and last_day(day, form) <= as_of:
                own = rate if target == currencies[owner] else None
                spent += convert(rates, amount, its_currency, target, last_day(day, form), own)
        found[f"P{project}"] = (committed, released, spent, outstanding)
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("currency-properties")


def read(folder, text: str):
    path = folder / "ledger.toml"
    path.write_text(text, encoding="utf-8")
    opened = check_files([str(path)], dt.date(2006, 12, 31))
    assert opened.figures_defined, opened.problems
    assert not [problem for problem in opened.problems if problem.code == "no-rate"], opened.problems
    return opened.ledger


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(generated=ledgers(), as_of=days, currency=st.sampled_from([None, "USD", "PKR"]))
def test_each_figure_is_its_entries_each_converted_on_its_own_day(folder, generated, as_of, currency):
    ledger = read(folder, as_text(*generated))
    reported = balance(ledger, as_of, currency=currency)
    assert reported.currency == currency
    expected = expected_figures(generated, as_of, currency)
    for figures in reported.projects:
        assert figures.currency == (currency or figures.project.currency)
        committed, released, spent, outstanding = expected[figures.project.id]
        assert (figures.committed, figures.released, figures.spent, figures.outstanding) == (
            committed, released, spent, outstanding), figures.project.id
        assert figures.exchange_difference == committed - released - outstanding
        assert figures.available == released - spent


@PROPERTY
@given(generated=ledgers(), as_of=days)
def test_in_one_currency_nothing_converts_and_there_is_no_exchange_difference(folder, generated, as_of):
    # Every entry in rupees and no entry's own rate: the child's figures are its entries as written.
    rates, commitments, releases, decommitments, expenses = generated
    commitments = [(1, "PKR", day, form, amount, None) for _, _, day, form, amount, _ in commitments]
    releases = [(number, day, form, amount, None) for number, day, form, amount, _ in releases]
    decommitments = [(number, day, form, amount, None) for number, day, form, amount, _ in decommitments]
    expenses = [(1, "PKR", day, form, amount, None) for _, _, day, form, amount, _ in expenses]
    figures = balance(read(folder, as_text(rates, commitments, releases, decommitments, expenses)), as_of).of("P1")
    assert figures is not None and figures.exchange_difference == 0
    assert figures.outstanding == figures.committed - figures.released
    committed = sum((amount for _, _, day, form, amount, _ in commitments if last_day(day, form) <= as_of), Decimal(0))
    cancelled = sum((amount for number, day, form, amount, _ in decommitments
                     if max(last_day(day, form), last_day(*commitments[number][2:4])) <= as_of), Decimal(0))
    assert figures.committed == committed - cancelled


@PROPERTY
@given(generated=ledgers(), as_of=days)
def test_a_ledger_all_in_dollars_reported_in_rupees_converts_every_entry(folder, generated, as_of):
    # Nothing converts into the projects' own currency, so the ledger counts as written; `--currency PKR`
    # still converts each entry on its own day.
    rates, commitments, releases, decommitments, expenses = generated
    commitments = [(project, "USD", day, form, amount, None) for project, _, day, form, amount, _ in commitments]
    releases = [(number, day, form, amount, None) for number, day, form, amount, _ in releases]
    decommitments = [(number, day, form, amount, None) for number, day, form, amount, _ in decommitments]
    expenses = [(project, "USD", day, form, amount, None) for project, _, day, form, amount, _ in expenses]
    ledger = read(folder, as_text(rates, commitments, releases, decommitments, expenses, child="USD"))
    dollars = {0: "USD", 1: "USD"}
    for currency in ("USD", "PKR"):
        expected = expected_figures((rates, commitments, releases, decommitments, expenses), as_of, currency, dollars)
        for figures in balance(ledger, as_of, currency=currency).projects:
            assert (figures.committed, figures.released, figures.spent, figures.outstanding) == \
                expected[figures.project.id], (currency, figures.project.id)


# --- Converting a column of amounts (`Rates.convert_all`, the expenses' fast path) -----------------

MINOR = {"USD": 2, "PKR": 2, "JPY": 0, "KWD": 3}
column_days = st.integers(0, 30).map(lambda step: FIRST + dt.timedelta(days=step))
# Credits and debits, of a few digits or of very many decimal places (those leave the columns' path).
column_amounts = st.one_of(
    st.integers(-10**9, 10**9).filter(bool).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.integers(-99, 99).filter(bool).map(lambda units: Decimal(units).scaleb(-4)),
    st.integers(1, 10**40).map(lambda units: Decimal(units).scaleb(-38)))
column_rates = st.integers(1, 10**15 - 1).flatmap(lambda digits: st.integers(0, 14).map(lambda exp: Decimal(digits).scaleb(-exp)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MINOR)), st.sampled_from(sorted(MINOR)), st.booleans(),
       st.dictionaries(column_days, column_rates, min_size=1, max_size=5),
       st.dictionaries(column_days, column_rates, max_size=3),
       st.lists(st.tuples(column_amounts, column_days), max_size=12))
def test_a_column_of_amounts_converts_as_each_would_on_its_own(source, target, both_ways, forward, backward, rows):
    from cndledger.core.rates import NoRate, RateQuote, Rates

    if source == target:
        target = "USD" if source != "USD" else "PKR"
    quotes = [RateQuote(day, source, target, rate) for day, rate in forward.items()]
    if both_ways:
        quotes += [RateQuote(day, target, source, rate) for day, rate in backward.items()]
    amounts, on = [amount for amount, _ in rows], [day for _, day in rows]

    def expected(amount: Decimal, day: dt.date) -> str:
        """By the contract's words, with Fractions: the latest rate either way, the direct one on a tie."""
        candidates = [(quote.day, quote.source == source, quote) for quote in quotes if quote.day <= day]
        if not candidates:
            raise LookupError(day)
        quote = max(candidates, key=lambda candidate: candidate[:2])[2]
        exact = Fraction(amount) * Fraction(quote.rate) if quote.source == source else Fraction(amount) / Fraction(quote.rate)
        units = math.floor(abs(exact) * 10 ** MINOR[target] + Fraction(1, 2))
        sign = "-" if exact < 0 and units else ""
        text = str(units).rjust(MINOR[target] + 1, "0")
        return sign + (f"{text[:-MINOR[target]]}.{text[-MINOR[target]:]}" if MINOR[target] else text)

    try:
        wanted = [expected(amount, day) for amount, day in zip(amounts, on)]
    except LookupError:
        with pytest.raises(NoRate):
            Rates(quotes).convert_all(amounts, source, target, on)
        return
    assert list(map(str, Rates(quotes).convert_all(amounts, source, target, on))) == wanted
