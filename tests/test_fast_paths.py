"""The fast paths give what the plain ones give: figures of many days in one sweep, spent from
running totals, the TOML parser, validation of whole tables, the lines of entries and the keys of
each, and the quick looks of the checks (hypothesis)."""

import copy
import datetime as dt
import tomllib
from contextlib import contextmanager
from decimal import Decimal
from operator import attrgetter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cndledger.checks import currency, dates, references
from cndledger.core import counting
from cndledger.core.counting import spent_totals
from cndledger.core.figures import balance, totals_as_of
from cndledger.core.ledger import Ledger
from cndledger.format.dates import LedgerDate, parse_date
from cndledger.format.models import TABLES as MODELS
from cndledger.format.plans import builders
from cndledger.format.records import RECORDS, VALUE_FIELDS, Expense, Project
from cndledger.format.values import decimal_places, needs_more_places
from cndledger.read.load import _parse
from cndledger.read.locate import FilePositions, header_lines, locate
from test_properties import PROPERTY, days, folder, ledgers, read  # noqa: F401 (folder: a fixture)


def parse_toml(text: str) -> dict:
    """cndledger's parser on a text, given as the bytes it was read from."""
    return _parse(text, text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(text=ledgers(), asked=st.one_of(
    st.lists(st.tuples(st.integers(0, 6), days), max_size=8),
    st.lists(st.tuples(st.integers(0, 1), days), min_size=6, max_size=16),  # many days along one line
))
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


def every_figure(result) -> list:
    """Each project's figures as their text: 1.0 and 1.00 differ here."""
    names = ("budget", "committed", "released", "outstanding", "inkind_valued", "inkind_unvalued", "spent",
             "available", "gap")
    return [(figures.project.id, *(str(getattr(figures, name)) for name in names),
             [(party.party, str(party.committed), str(party.released)) for party in figures.by_party])
            for figures in result.projects]


@PROPERTY
@given(text=ledgers(), day=days)
def test_spent_from_running_totals_is_spent_summed_one_by_one(folder, text, day):
    ledger = read(folder, text)
    # As a ledger from the cache holds them: the expenses' running totals, and no expense read.
    ahead = copy.copy(ledger)
    ahead.expenses, ahead.spent_totals = [], spent_totals(ledger.expenses)
    assert ahead.spent_totals is not None
    assert every_figure(balance(ahead, day)) == every_figure(balance(ledger, day))


@contextmanager
def money_of_precision(digits):
    """The money context with `digits` significant digits, for the duration (28 in a ledger)."""
    kept = counting.MONEY
    counting.MONEY = kept.copy()
    counting.MONEY.prec = digits
    try:
        yield
    finally:
        counting.MONEY = kept


def amounts_of_any_digits():
    return st.builds(lambda digits, exponent: Decimal(f"{digits}E{exponent}"), st.integers(1, 10**30), st.integers(-30, 5))


@settings(max_examples=300, deadline=None)
@given(spending=st.lists(st.tuples(st.integers(0, 2), days, amounts_of_any_digits()), max_size=12),
       summed_with=st.integers(1, 40), asked_with=st.integers(1, 40), day=days)
def test_spent_from_running_totals_rounds_as_summing_one_by_one_does(spending, summed_with, asked_with, day):
    """Where sums round (more digits than the decimal context holds), the figures are still those of
    adding the expenses one by one, whatever the precision when the totals were made and when asked."""
    projects = [Project(None, 0, "P0", "t", "USD"), Project(None, 1, "P1", "t", "USD", "P0"),
                Project(None, 2, "P2", "t", "USD")]
    expenses = [Expense(None, number, f"P{project}", LedgerDate.of_day(when), amount)
                for number, (project, when, amount) in enumerate(spending)]
    ledger = Ledger(projects=projects, expenses=expenses)
    with money_of_precision(summed_with):
        totals = spent_totals(expenses)
    with money_of_precision(asked_with):
        expected = every_figure(balance(ledger, day))
        summed_ahead = copy.copy(ledger)
        summed_ahead.spent_totals = totals
        assert every_figure(balance(summed_ahead, day)) == expected


@given(amount=st.decimals(allow_nan=False, allow_infinity=False), places=st.integers(0, 4))
def test_needs_more_places_is_counting_the_places(amount, places):
    assert needs_more_places(amount, places) == (decimal_places(amount) > places)


# The parser: toml_rs where it reads the text, tomllib for everything it does not; the same values.

def exact(value):
    """A parsed value with every Decimal as its text: 1.0 and 1.00 differ here, as they do in reports."""
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    return (type(value).__name__, value)


def outcome(parse, text):
    try:
        return exact(parse(text))
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        return ("fault", type(exc).__name__)


def by_tomllib(text):
    return tomllib.loads(text, parse_float=Decimal)


SCALARS = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.builds(lambda whole, cents: f"{whole}.{cents:02d}", st.integers(0, 10**15), st.integers(0, 99)),
    st.builds(lambda cents: f"{cents // 100:_}.{cents % 100:02d}", st.integers(0, 10**15)),
    st.sampled_from(["1e3", "1E+2", "-0.0", "+1.5", "70000.500", "0.1", "1_000.5", "inf", "-inf", "nan", "+nan",
                     "0x1F", "0o17", "0b101", "true", "false", "1979-05-27", "1979-05-27T07:32:00",
                     "1979-05-27 07:32:00Z", "07:32:00", '"a \\"quoted\\" text"', "'literal \\ text'",
                     '"\\u00e9t\\u00e9"', '"""multi\nline"""', "'''raw\nlines'''", "[1, 2, 3]", '["a", "b"]',
                     "{ a = 1, b = \"x\" }", "[]", '""']),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12).map(
        lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)
KEYS = st.sampled_from(["amount", "date", "id", "note", "a-b", "x_1", '"quoted key"', "dotted.key"])


@st.composite
def toml_documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        header = draw(st.sampled_from(["[[expense]]", "[[ release ]]", "[project]", "[a.b]", "", "# a comment"]))
        if header:
            lines.append(header)
        for _ in range(draw(st.integers(0, 4))):
            lines.append(f"{draw(KEYS)} = {draw(SCALARS)}" + draw(st.sampled_from(["", "  # note"])))
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):  # some damage: most documents stay valid, some not
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["=", "[", "]", '"', "'", "\n", " ", "_", ".", "#", "{", ""])) + text[at:]
    return text


@settings(max_examples=400, deadline=None)
@given(text=toml_documents())
def test_the_parser_reads_what_tomllib_reads_and_faults_where_it_faults(text):
    assert outcome(parse_toml, text) == outcome(by_tomllib, text)


@settings(max_examples=200, deadline=None)
@given(cents=st.lists(st.integers(1, 10**17), min_size=1, max_size=20), style=st.sampled_from(["plain", "grouped", "zeros"]))
def test_amounts_are_read_exact_to_the_cent(cents, style):
    def written(amount: int) -> str:
        whole, part = divmod(amount, 100)
        if style == "grouped":
            return f"{whole:_}.{part:02d}"
        return f"{whole}.{part:02d}" + ("0" if style == "zeros" else "")
    text = "".join(f"[[expense]]\namount = {written(amount)}\n" for amount in cents)
    amounts = [entry["amount"] for entry in parse_toml(text)["expense"]]
    assert amounts == [Decimal(amount).scaleb(-2) for amount in cents]
    assert sum(amounts) == Decimal(sum(cents)).scaleb(-2)


# Positions: the quick pass and the reading of one entry's lines find what the full scan finds.

KEY_LINES = st.sampled_from([
    'id = "E1"', "amount = 1_000.50", "date = 2005-02-15", 'note = "a [[expense]] \\" # not a comment"',
    "note = 'x = [[1]]'", "clusters = [\n  \"health\",\n  \"wash\", # a comment\n]", "a.b = 1", '"quoted key" = 2',
    "inline = { x = 1, y = [1, 2] }", "# [[expense]] in a comment", "", "   ", "  indented = 3",
    # multi-line strings, and triple quotes that open none
    'note = """\n[[expense]]\nid = 1\n"""', "note = '''\n[[release]]\n'''", 'note = """a \\""" b\n[[expense]]\n"""',
    'note = """\nends in quotes""""', "note = '''\n[[release]]'''''", 'note = "say \\"\"\" [[expense]]"',
    "note = \"'''\"", "# a comment with ''' and \"\"\"", 'notes = ["\'\'\'", \'\'\'\n[[expense]]\n\'\'\']',
    '"key \'\'\'" = """\n[table.x]\n"""', 'note = "\\" \'\'\'"', 'notes = [\'\'\'\nb\'\'\', "\'\'\'", \'\'\'\n[[expense]]\n\'\'\']',
])
UNSURE_LINES = st.sampled_from(["nested = [\n[1.5],\n[[2]],\n]"])  # a value taken for a header
HEADERS = st.sampled_from(["[[expense]]", "[[release]]", "  [[expense]]", "[[ release ]]", "[table]",
                           "[[expense]] # a comment"])
UNSURE_HEADERS = st.sampled_from(['[["expense"]]', "[expense.sub]", "[[release.sub]]"])


@st.composite
def toml_texts(draw, sure: bool | None = None) -> str:
    """Entries under headers of any form, keys of any form; sometimes an inline array of tables first.
    Half of them (`sure`) only such as the quick pass vouches for."""
    sure = draw(st.booleans()) if sure is None else sure
    headers = HEADERS if sure else st.one_of(HEADERS, UNSURE_HEADERS)
    keys = KEY_LINES if sure else st.one_of(KEY_LINES, UNSURE_LINES)
    lines = [draw(st.sampled_from(["", "x = 1"] if sure else ["", "expense = [{ id = 1 }, { id = 2 }]", "x = 1"]))]
    for _ in range(draw(st.integers(0, 6))):
        lines.append(draw(headers))
        lines += draw(st.lists(keys, max_size=4))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


def entry_counts(text: str) -> dict[str, int] | None:
    """How many entries of each kind the text has, as the loader counts them; None where it is not TOML."""
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return {key: len(value) for key, value in parsed.items()
            if isinstance(value, list) and all(isinstance(item, dict) for item in value)}


@settings(max_examples=200, deadline=None)
@given(text=toml_texts(sure=True))
def test_the_quick_pass_finds_every_header_of_a_plain_text(text):
    counts = entry_counts(text)
    if counts is not None:
        assert header_lines(text) is not None
        found, dotted = header_lines(text)
        assert {kind: len(lines) for kind, (lines, _) in found.items()} == counts and not dotted


@settings(max_examples=300, deadline=None)
@given(text=toml_texts())
def test_entries_and_keys_stand_where_the_full_scan_finds_them(text):
    counts = entry_counts(text)
    if counts is None:
        return
    positions, scan = FilePositions(text, counts), locate(text)
    for kind, count in counts.items():
        for index in range(count):
            assert positions.entry_line(kind, index) == scan.entry(kind, index).line
            assert positions.entry(kind, index) == scan.entry(kind, index)
    lines = text.split("\n")
    for number in range(-1, len(lines) + 3):
        assert positions.line_text(number) == (lines[number - 1].rstrip("\r") if 0 < number <= len(lines) else "")


@pytest.mark.parametrize("text", [
    "x = 1\n" * 2500 + "[[expense]]\nid = 1\n" + "# a comment\n" * 2500,  # lines far from any header
    'note = """\n' + "line\r\n" * 1500 + '"""\n[[expense]]\nid = 1',  # no quick pass: counted, or an index
])
@pytest.mark.parametrize("entry_first", [False, True])  # with an entry asked first, lines are counted from headers
def test_a_line_far_from_a_header_is_the_line_of_the_text(text, entry_first):
    positions, lines = FilePositions(text, {"expense": 1}), text.split("\n")
    if entry_first:
        assert lines[positions.entry_line("expense", 0) - 1].startswith("[[expense]]")
    for number in [*range(-1, 20), *range(990, 1020), *range(2490, 2520), *range(len(lines) - 5, len(lines) + 3)]:
        assert positions.line_text(number) == (lines[number - 1].rstrip("\r") if 0 < number <= len(lines) else "")


# Validation: the plans say yes only where Pydantic does, with the values Pydantic gives.

VALUES = st.one_of(
    st.sampled_from(["", " ", "P1", "USD", "usd", "USD\n", "XYZ", "grant", "goods", "services", "Grant", "2005-02",
                     "2005", "2005-02-30", "2005-13", "Feb 2005", "2005-02-15", "1000", "government", "x" * 50]),
    st.integers(-5, 10**19), st.booleans(),
    st.decimals(allow_nan=True, places=3, min_value=-10, max_value=10**6),
    st.sampled_from([Decimal("1e18"), Decimal("0.5"), Decimal(1), Decimal(0), Decimal("inf"), Decimal("1.005")]),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.just(dt.datetime(2005, 1, 1, 12, 0)), st.just(dt.time(12, 0)),
    st.lists(st.sampled_from(["a", "T1", " ", ""]), max_size=3), st.lists(st.integers(0, 3), max_size=2),
    st.just({"a": 1}), st.none(),
)


# Values that may well be right for a key (so that many entries are accepted, and compared), or near misses.
IDS = st.sampled_from(["P1", "P2", "T1", "C1", "a", "US/PAK/01/099", "P1 ", "é", "P1", "P2", " ", ""])
DAYS = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
                 st.sampled_from(["2005-02", "2005", "2005-02-15", "2004-02-29", "2005-02-29", "2005-00", "05-02"]))
AMOUNTS = st.one_of(st.integers(-2, 10**18 + 1), st.decimals(min_value=0, max_value=10**6, places=3),
                    st.sampled_from([Decimal("1.0"), Decimal("1.00"), Decimal("1e2"), Decimal("0E-5"), Decimal("-0")]))
PLAUSIBLE = {
    **dict.fromkeys(["amount", "budget", "value", "monthly_value", "committed", "released", "outstanding", "spent",
                     "available", "min_spent"], AMOUNTS),
    **dict.fromkeys(["date", "start", "end", "due", "done", "not_before"], DAYS),
    **dict.fromkeys(["aliases", "after", "requires", "clusters"], st.lists(IDS, max_size=3)),
    "currency": st.sampled_from(["USD", "JPY", "PKR", "USD", "usd", "XYZ", "US", "ÉUR"]),
    "type": st.sampled_from(["government", "ngo", "academic", "Other"]),
    "instrument": st.sampled_from(["grant", "trust-fund", "other", "loan"]),
    "nature": st.sampled_from(["goods", "services", "goods", "cash"]),
    "min_spent": st.sampled_from([Decimal("0.5"), 0, 1, Decimal("1.5"), True]),
}


@st.composite
def entries(draw, kind: str) -> dict:
    fields = list(MODELS[kind].model_fields)
    keys = draw(st.lists(st.sampled_from([*fields, "ammount", "extra"]), unique=True, max_size=len(fields) + 1))
    required = [name for name, info in MODELS[kind].model_fields.items() if info.is_required()]
    mostly = st.integers(0, 3).map(bool)  # true three times in four
    if draw(mostly):
        keys = list(dict.fromkeys([*required, *keys]))
    if draw(mostly):
        keys = [key for key in keys if key not in ("ammount", "extra")]
    plausible = draw(st.booleans())  # every value plausible, else each value plausible or not
    return {key: draw(PLAUSIBLE.get(key, IDS) if plausible or draw(st.booleans()) else VALUES) for key in keys}


@pytest.mark.parametrize("kind", list(RECORDS))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_plan_accepts_an_entry_only_as_pydantic_does(kind, data):
    # Entries of other kinds first, through the same builders: what they learnt (ids, dates) is shared.
    before = [(other, data.draw(entries(other))) for other in data.draw(st.lists(st.sampled_from(list(RECORDS)), max_size=2))]
    items = data.draw(st.lists(entries(kind), min_size=1, max_size=3))
    build = builders()
    for other, item in before:
        build[other]([item], None, [], lambda index, item: None)
    built, refused = [], []
    build[kind](items, None, built, lambda index, item: refused.append(index))
    assert len(built) + len(refused) == len(items)
    accepted = [index for index in range(len(items)) if index not in refused]
    for index, record in zip(accepted, built, strict=True):
        assert record.entry_number == index
        model = MODELS[kind].model_validate(items[index])  # raises if the plan said yes where Pydantic says no
        for name in VALUE_FIELDS[kind]:
            assert exact(getattr(record, name)) == exact(getattr(model, name)), name


def test_plans_take_every_plain_entry_without_pydantic(monkeypatch):
    import cndledger.read.load
    from cndledger.read.find import find_files
    from conftest import load

    monkeypatch.setattr(cndledger.read.load._Validator, "_by_pydantic", lambda *args: pytest.fail(f"to Pydantic: {args}"))
    ledger = load(find_files(["ledgers"]).files)
    assert not ledger.problems
    assert {kind for kind in RECORDS if ledger.entries_of(kind)} >= {"party", "project", "commitment", "tranche", "release", "inkind"}


def test_records_have_the_fields_of_their_models():
    for kind, model in MODELS.items():
        assert VALUE_FIELDS[kind] == tuple(model.model_fields), kind


@given(amount=st.one_of(st.decimals(), st.integers(-10**20, 10**20),
                        st.sampled_from([Decimal("1e18"), Decimal("-1e18"), 10**18, -10**18, 0, True, False])),
       signed=st.booleans())
def test_an_amount_is_taken_exactly_as_written_or_refused(amount, signed):
    from cndledger.format.values import MAX_AMOUNT, parse_amount, parse_figure

    fine = (not isinstance(amount, bool) and Decimal(amount).is_finite() and abs(Decimal(amount)) < MAX_AMOUNT
            and (signed or Decimal(amount) > 0))
    try:
        taken = (parse_figure if signed else parse_amount)(amount)
    except ValueError:
        assert not fine
    else:
        assert fine and str(taken) == str(Decimal(amount))


@given(year=st.integers(1, 9999), month=st.integers(-1, 14))
def test_a_month_ends_where_the_calendar_says(year, month):
    import calendar

    from cndledger.format.dates import month_end

    try:
        expected = dt.date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        with pytest.raises(ValueError):
            month_end(year, month)
    else:
        assert month_end(year, month) == expected


# The checks: each quick look over entries by the thousand finds what the plain loop finds.

FINE_AMOUNTS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e17"), max_value=Decimal("1e17")),
    st.integers(1, 10**9).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.sampled_from([Decimal("1e-999999999"), Decimal("-1e-999999999"), Decimal("70000.500"), Decimal("1E+5"),
                     Decimal("0.001"), Decimal("-0.5")]),
)


class Amounts(tuple):
    amount = property(lambda self: self[0])


@given(amounts=st.lists(st.one_of(FINE_AMOUNTS, FINE_AMOUNTS.map(lambda amount: amount.quantize(Decimal(1))), st.none()),
                        max_size=12),
       places=st.integers(0, 4))
def test_the_entries_finer_than_a_currency_are_those_of_too_many_places(amounts, places):
    entries = [Amounts([amount]) for amount in amounts]
    plain = [entry for entry in entries if entry.amount is not None and needs_more_places(entry.amount, places)]
    assert currency._finer_than(entries, "amount", places) == plain


@given(ids=st.lists(st.one_of(st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.none()), max_size=8))
def test_an_id_is_repeated_where_the_plain_count_says(ids):
    assert references._any_repeated(ids) == any(ids.count(ident) > 1 for ident in ids if ident is not None)


PROJECT_IDS = ["P0", "P1", "P2", "P3"]
CLUSTERS = ["health", "wash", "food"]
some_dates = st.builds(lambda day, form: parse_date(day.isoformat()[:form]),
                       st.dates(dt.date(2000, 1, 1), dt.date(2004, 12, 31)), st.sampled_from([10, 10, 7, 4]))


@st.composite
def expense_ledgers(draw) -> tuple[Ledger, set[str]]:
    """Projects with clusters and dates, and expenses in runs of one project (or not) naming known
    and unknown projects and clusters: a ledger as the checks see it, without the files."""
    projects = []
    for number, project_id in enumerate(draw(st.lists(st.sampled_from(PROJECT_IDS), unique=True))):
        start, end = draw(st.one_of(st.none(), some_dates)), draw(st.one_of(st.none(), some_dates))
        clusters = draw(st.lists(st.sampled_from(CLUSTERS), unique=True))
        projects.append(Project(None, number, project_id, "t", "USD", start=start, end=end, clusters=clusters))
    expenses = []
    for _ in range(draw(st.integers(0, 6))):  # runs of one project, as files keep them
        project_id = draw(st.sampled_from([*PROJECT_IDS, "NOWHERE"]))
        for _ in range(draw(st.integers(1, 4))):
            cluster = draw(st.one_of(st.none(), st.sampled_from(CLUSTERS)))
            expenses.append(Expense(None, len(expenses), project_id, draw(some_dates), Decimal(1), cluster=cluster))
    if draw(st.booleans()):
        expenses = draw(st.permutations(expenses))
    known = {project.id for project in projects} | set(draw(st.lists(st.sampled_from([*PROJECT_IDS, "NOWHERE"]))))
    return Ledger(projects=projects, expenses=list(expenses)), known


@given(drawn=expense_ledgers())
def test_the_names_of_expenses_are_known_where_each_expense_says_so(drawn):
    ledger, known = drawn

    def named_well(expense) -> bool:
        project = ledger.project_by_id.get(expense.project)
        return expense.project in known and (expense.cluster is None or project is None or expense.cluster in project.clusters)

    quick = known.issuperset(expense.project for expense in ledger.expenses) and references._clusters_known(
        ledger, ledger.expenses, attrgetter("cluster"))
    assert quick == all(map(named_well, ledger.expenses))


@given(drawn=expense_ledgers())
def test_the_expenses_outside_their_projects_span_are_those_each_says(drawn):
    ledger, _ = drawn
    spans = {project.id: (project.start.first if project.start else dt.date.min,
                          project.end.last if project.end else dt.date.max) for project in ledger.projects}
    plain = [expense for expense in ledger.expenses
             if (span := spans.get(expense.project)) and not span[0] <= expense.date.first <= span[1]]
    assert dates._outside_spans(ledger.expenses, spans) == plain


# Budget lines: spent from the lines' running totals (`budget.spent_ahead`, what the cache keeps), and
# spent summed for the day alone (`budget._summed_as_of`, a cold run's), is spent added one by one, on any
# day, whatever rounds.

def every_line_figure(report) -> list:
    return ([(figures.line.key, str(figures.budget), str(figures.original), str(figures.spent), str(figures.remaining))
             for figures in report.lines],
            [(rest.project.id, rest.period.span, str(rest.spent)) for rest in report.unbudgeted])


@contextmanager
def one_by_one():
    """The report as it is where running totals would round: adding the expenses one by one."""
    from cndledger.core import budget

    kept = budget._summed_ahead, budget._summed_as_of
    budget._summed_ahead = lambda ledger: None
    budget._summed_as_of = lambda ledger, day: None
    try:
        yield
    finally:
        budget._summed_ahead, budget._summed_as_of = kept


PERIODS = ["2005", "2006", "FY2005-06", "2005-Q3", "2006-01", "FY2006-07"]
KINDS = [None, "a", "b"]
around = st.dates(dt.date(2004, 12, 1), dt.date(2007, 7, 31))  # the periods' days, and a little either side


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(PERIODS), st.sampled_from(KINDS),
                                st.sampled_from(KINDS), st.one_of(st.none(), around)), min_size=1, max_size=8),
       spending=st.lists(st.tuples(st.integers(0, 2), around, amounts_of_any_digits(), st.booleans(),
                                   st.sampled_from(KINDS), st.sampled_from(KINDS)), min_size=1, max_size=14),
       summed_with=st.sampled_from([3, 8, 28]), asked_with=st.sampled_from([3, 8, 28]), day=around)
def test_budget_spent_from_running_totals_or_for_the_day_is_spent_added_one_by_one(lines, spending, summed_with, asked_with, day):
    from cndledger.core.budget import budget_report, spent_ahead
    from cndledger.format.records import Budget

    projects = [Project(None, 0, "P0", "t", "USD", None, None, None, None, None, [], 7),
                Project(None, 1, "P1", "t", "USD", "P0"), Project(None, 2, "P2", "t", "USD")]
    budgets = [Budget(None, number, f"P{project}", period, Decimal(number + 1), category, cluster,
                      None if revision is None else LedgerDate.of_day(revision))
               for number, (project, period, category, cluster, revision) in enumerate(lines)]
    expenses = [Expense(None, number, f"P{project}", LedgerDate.of_day(when), amount if positive else -amount, None,
                        cluster, category)
                for number, (project, when, amount, positive, category, cluster) in enumerate(spending)]
    with_totals = Ledger(projects=projects, budgets=budgets, expenses=expenses)
    with money_of_precision(summed_with):
        spent_ahead(with_totals)
    with money_of_precision(asked_with):
        from_totals = every_line_figure(budget_report(with_totals, day))
        for_the_day = every_line_figure(budget_report(Ledger(projects=projects, budgets=budgets, expenses=expenses), day))
        with one_by_one():
            one_at_a_time = every_line_figure(budget_report(Ledger(projects=projects, budgets=budgets, expenses=expenses),
                                                            day))
    assert from_totals == one_at_a_time and for_the_day == one_at_a_time
