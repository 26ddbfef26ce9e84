"""IATI activities as a ledger: `cndledger iati import`. Pure: files as read (`read.ActivityFile`) in, the
ledger's TOML texts, the problems (each at a line of an XML file) and the counts of the summary out.

The mapping (docs/iati-import.md says it for users):

- each activity is a `[[project]]`: `id` and `iati_identifier` its iati-identifier, `title` its title,
  `currency` its default-currency (where none of its values is in it and the rates given do not convert
  them to it, or it has none, the currency most of its values are in, said in its note), `recipient_country` where it names one country, `executing`
  its implementing organisation where it names one, `parent` the activity its related-activity of type 1
  names (or that names it as a child, type 2), where that activity is imported too;
- each organisation named (reporting, participating, provider, receiver) is a `[[party]]` with its
  `iati_ref`; its id is its ref, else its name in capitals and hyphens, made unique;
- transactions, by TransactionType: 11 and 2 commitment, 1 and 3 release, 4 expense, 13 and 12 pledge;
  a negative 11 or 2 a decommitment, a negative 1 or 3 a refund, a negative 4 a credit (a negative
  expense); zero values are skipped and counted; the other types (5 to 10) are not carried. The party of
  a commitment, release or pledge is its provider-org, else (incoming types) the activity's one funding
  participating-org, else its reporting-org. Its date is the transaction-date, else the value-date;
- a release is against a commitment of its project, party and currency dated on or before it, the
  earliest with something left unreleased (split across several where one does not hold it); what no
  commitment holds becomes an *implied* commitment, dated the release's day, said in its note and
  reported (`iati-implied-commitment`). A decommitment cancels from the latest commitments with something
  left, a refund returns to the latest commitments with something released; what none holds is not
  carried (`iati-not-carried`);
- budgets are `[[budget]]` lines: the period as its label where it is exactly a year, quarter, month or
  fiscal year (a project whose budgets are years from a month other than January gets that
  `fiscal_year_start`), else the smallest such period that holds it (`iati-period-widened`); a revised
  budget (type 2) is a revision dated its value-date, or the original where the file has none for its
  period; a second budget for one period and revision day, or one overlapping another unequally, is not
  carried;
- planned disbursements are `[[tranche]]`s of the commitments of their project, party and currency,
  in order, each commitment holding at most its amount; several of one period are several tranches, and
  the revised ones of a period replace its originals.
  A commitment's releases then release its tranches in order (a release split where it ends one), so
  that a tranche the file shows disbursed is not overdue. An entry converted at a rate (in another
  currency than its project) is split only where no one commitment, or tranche, holds it (`_holders`).

Amounts finer than their currency's minor unit are rounded half away from zero (`iati-rounded`). Entries
in another currency than their project keep their `currency`, and the rates given of the pairs converted
are written (`rate_entries`). Nothing is written that would leave the ledger's figures undefined (`no-rate`):
an entry that the rates given (`--rates`, read from CSV files by `importing`) do not convert on its day
into its project's currency and each currency above it is left out and reported (`iati-needs-rate`), and
so are the releases, refunds and decommitments of a commitment left out so (`_commitments`: no implied
commitment takes them); a rate on or before a commitment's day covers its revaluations on later days too.
An activity in another currency than its parent, where no rate of the pair is given, is written as a root.
Every entry is written after a comment naming the XML file and line it comes from.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import NamedTuple

from cndledger.core.rates import RateQuote, Rates
from cndledger.format.codes import (
    IATI_IMPLIED_COMMITMENT,
    IATI_LEFT_OUT,
    IATI_NEEDS_RATE,
    IATI_NOT_CARRIED,
    IATI_PERIOD_WIDENED,
    IATI_ROUNDED,
    IATI_UNREADABLE,
    Code,
)
from cndledger.format.currency import MINOR_UNITS, format_amount
from cndledger.format.periods import Period, overlaps_unequally, parse_period
from cndledger.format.problems import Location, Problem
from cndledger.iati.read import (
    TRANSACTION_TYPES,
    Activity,
    ActivityFile,
    Budget,
    Organisation,
    PlannedDisbursement,
    Transaction,
)
from cndledger.read.rates_csv import new_rate_entries, rate_entry_text, toml_string

COMMITMENT, RELEASE, EXPENSE, PLEDGE = "commitment", "release", "expense", "pledge"
DECOMMITMENT, REFUND, CREDIT = "decommitment", "refund", "credit"
NO_RATE = "in a currency no rate given converts (--rates)"  # why a transaction is skipped (iati-needs-rate)
# TransactionType code -> the ledger's kind of a positive value (a negative one: NEGATIVE's).
KIND_OF_TYPE = {"11": COMMITMENT, "2": COMMITMENT, "1": RELEASE, "3": RELEASE, "4": EXPENSE,
                "13": PLEDGE, "12": PLEDGE}
NEGATIVE = {COMMITMENT: DECOMMITMENT, RELEASE: REFUND, EXPENSE: CREDIT}
_INCOMING = frozenset({"11", "1", "13"})
FUNDING, IMPLEMENTING = "1", "4"  # OrganisationRole

PARTIES_FILE = "parties.toml"
RATES_FILE = "rates.toml"  # the rates given with --rates


class Imported(NamedTuple):
    """What `to_ledger` makes: the files of the ledger folder and what the summary says."""

    files: dict[str, str]  # file name -> TOML text
    problems: list[Problem]
    activities: int  # written as projects
    transactions: int  # read
    written: Counter[str]  # transactions written, by ledger kind (a credit is counted as credit)
    zero: int  # transactions of value zero: skipped
    not_carried: Counter[str]  # transactions not written, by why (`iati-not-carried`, `iati-left-out`)
    implied: dict[str, Decimal]  # implied commitments: their amounts summed by currency
    implied_count: int
    rounded: int
    rates: set[tuple[str, str]]  # (an entry's currency, its project's or one above) no rate given converts: left out
    other_organisation: int  # activities of another reporting organisation than --reporting-org
    budgets: int  # [[budget]] lines written
    tranches: int  # [[tranche]]s written
    budget_counts: Counter[str]  # budgets "read", "zero"; planned disbursements "planned", "planned zero",
    # "planned written", "planned replaced" (by a revised one of the same period)
    converted: frozenset[tuple[str, str]] = frozenset()  # such pairs where the rates given (--rates) apply


# ---------------------------------------------------------------------------------------------- writing

def amount_text(amount: Decimal) -> str:
    """An amount as the ledger writes it: 235_000, 70_000.5, -1_200 (never an exponent)."""
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    sign = "-" if amount < 0 else ""
    whole, point, fraction = format(abs(amount), "f").partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):_}"
    return sign + whole + point + fraction


def _value_text(value: object) -> str:
    if isinstance(value, Decimal):
        return amount_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value_text(item) for item in value) + "]"
    return toml_string(str(value))


def entry_text(kind: str, fields: Iterable[tuple[str, object]], comment: str | None = None) -> str:
    lines = [f"# {_one_line(comment)}"] if comment else []
    lines.append(f"[[{kind}]]")
    lines += [f"{key} = {_value_text(value)}" for key, value in fields if value is not None]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------- the mapping

class _Flow(NamedTuple):
    """A commitment-side transaction: its kind, amount (positive), day, where, and its project's key."""

    kind: str  # COMMITMENT, RELEASE, DECOMMITMENT or REFUND
    amount: Decimal
    day: _dt.date
    transaction: Transaction


class _Tranche:
    __slots__ = ("id", "amount", "unreleased")

    def __init__(self, id: str, amount: Decimal) -> None:
        self.id, self.amount, self.unreleased = id, amount, amount


class _Release(NamedTuple):
    """One disbursement: its flow, and the parts of it each commitment holds (in order)."""

    flow: _Flow
    comment: str
    parts: list[tuple[_Commitment, Decimal]]


class _Commitment:
    __slots__ = ("id", "party", "amount", "day", "currency", "comment", "note", "released", "decommitted",
                 "refunded", "tranched", "implied", "tranches", "skipped")

    def __init__(self, id: str, party: str, amount: Decimal, day: _dt.date, currency: str, comment: str,
                 note: str | None = None, implied: bool = False, skipped: int | None = None) -> None:
        self.id, self.party, self.amount, self.day, self.currency = id, party, amount, day, currency
        self.comment, self.note, self.implied = comment, note, implied
        self.skipped = skipped  # the XML line of a commitment left out for want of a rate: not written, but
        # its releases, refunds and decommitments are held to it (and left out with it)
        self.released = self.decommitted = self.refunded = self.tranched = Decimal(0)
        self.tranches: list[_Tranche] = []  # in the order of their due days

    @property
    def unreleased(self) -> Decimal:
        return self.amount - self.decommitted - self.released


class _Project:
    __slots__ = ("activity", "id", "currency", "note", "parent", "executing", "fiscal_year_start", "entries",
                 "file")

    def __init__(self, activity: Activity, currency: str, note: str | None, file: str) -> None:
        self.activity, self.id, self.currency, self.note, self.file = activity, activity.identifier, currency, note, file
        self.parent: str | None = None
        self.executing: str | None = None
        self.fiscal_year_start: int | None = None
        self.entries: list[str] = []


class _Parties:
    """The parties of the organisations named, each once: by ref, else by name."""

    def __init__(self) -> None:
        self.by_ref: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.entries: dict[str, tuple[str, str | None, Organisation, str]] = {}  # id -> name, ref, org, file

    def add(self, organisation: Organisation | None, file: str) -> str | None:
        if organisation is None or not (organisation.ref or organisation.name):
            return None
        ref, name = organisation.ref, organisation.name
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        if not ref and name and name.casefold() in self.by_name:
            return self.by_name[name.casefold()]
        base = ref or _slug(name or "")
        party_id, n = base, 1
        while party_id in self.entries:
            n += 1
            party_id = f"{base}-{n}"
        self.entries[party_id] = (name or ref or party_id, ref, organisation, file)
        if ref:
            self.by_ref[ref] = party_id
        if name:
            self.by_name.setdefault(name.casefold(), party_id)
        return party_id

    def text(self) -> str:
        blocks = []
        for party_id, (name, ref, organisation, file) in self.entries.items():
            fields: list[tuple[str, object]] = [("id", party_id), ("name", name), ("iati_ref", ref)]
            blocks.append(entry_text("party", fields, f"{file}:{organisation.line}"))
        return "\n".join(blocks)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:48].rstrip("-")
    return slug or "ORGANISATION"


def _where(item: Transaction | Budget | PlannedDisbursement | Activity | Organisation, file: str) -> Location:
    return Location(file, item.line)


def to_ledger(read: Sequence[ActivityFile], reporting_org: str | None = None,
              rates: Sequence[RateQuote] = ()) -> Imported:
    """The ledger folder of the activities of these files (see the module's docstring); `rates`, those
    given to convert the entries in another currency than their activity (`--rates`), which
    `rate_entries` then writes."""
    return _Import(read, reporting_org, rates).run()


def currencies_of(read: Sequence[ActivityFile]) -> set[str]:
    """Every currency the files name: the rates of the others are not needed (and not judged)."""
    found = {activity.default_currency for activity_file in read for activity in activity_file.activities
             if activity.default_currency}
    for activity_file in read:
        items: list[Transaction | Budget | PlannedDisbursement] = [
            *activity_file.transactions, *activity_file.budgets, *activity_file.planned_disbursements]
        found.update(item.currency for item in items if item.currency)
    return found


class RateEntries(NamedTuple):
    text: str  # the [[rate]] entries, each after a comment naming its CSV line ("" where there are none)
    written: list[RateQuote]
    problems: list[Problem]  # a second rate of one pair and day with another rate (duplicate-id), at its CSV line


def rate_entries(quotes: Sequence[RateQuote], imported: Imported) -> RateEntries:
    """The `[[rate]]` entries of the rates given between the pairs of currencies the ledger converts (the
    rates of other pairs are left out), sorted by date."""
    pairs = {frozenset(pair) for pair in (*imported.converted, *imported.rates)}
    wanted = [quote for quote in quotes if frozenset((quote.source, quote.target)) in pairs]
    new = new_rate_entries(wanted, ())
    texts = [(f"# {quote.origin}\n" if quote.origin is not None else "")
             + rate_entry_text(quote, source=getattr(quote.origin, "source", None),
                               note=getattr(quote.origin, "note", None)) for quote in new.added]
    return RateEntries("\n".join(texts), new.added, new.problems)


class _Import:
    def __init__(self, read: Sequence[ActivityFile], reporting_org: str | None, rates: Sequence[RateQuote]) -> None:
        self.read = read
        self.given = Rates(rates)
        self.converted: set[tuple[str, str]] = set()
        self.reporting_org = reporting_org
        self.problems: list[Problem] = []
        self.parties = _Parties()
        self.projects: dict[str, _Project] = {}
        self.ids: set[str] = set()  # entry ids of every kind but party and project, across the ledger
        self.numbers: Counter[str] = Counter()
        self.seen: set[str] = set()  # the identifiers of the activities imported, across the files
        self.written: Counter[str] = Counter()
        self.not_carried: Counter[str] = Counter()
        self.implied: dict[str, Decimal] = defaultdict(Decimal)
        self.implied_count = self.zero = self.rounded = self.other = self.transactions = 0
        self.budgets = self.tranches = 0
        self.counts: Counter[str] = Counter()
        self.rates: set[tuple[str, str]] = set()
        self.unlinked: set[tuple[str, str]] = set()  # (child, parent) left apart for want of a rate

    def problem(self, code: Code, message: str, at: Location, hint: str | None = None) -> None:
        self.problems.append(code.problem(message, at, hint=hint))

    def unique(self, prefix: str) -> str:
        """The next free id of the prefix: P1-C1, P1-C2..."""
        n = self.numbers[prefix]
        while True:
            n += 1
            entry_id = f"{prefix}{n}"
            if entry_id not in self.ids:
                break
        self.numbers[prefix] = n
        self.ids.add(entry_id)
        return entry_id

    def run(self) -> Imported:
        kept: list[tuple[ActivityFile, list[Activity], list[Activity | None]]] = []
        for activity_file in self.read:
            unreadable = any(fault.kind in ("xml", "structure") for fault in activity_file.problems)
            for fault in activity_file.problems:
                if fault.kind in ("xml", "structure"):
                    self.problem(IATI_UNREADABLE, f"{fault.message}; nothing of the file is imported",
                                 Location(fault.file, fault.line))
                elif not unreadable:
                    self.problem(IATI_LEFT_OUT, fault.message, Location(fault.file, fault.line))
            if unreadable:  # a file cut short would give part of its activities' money: none of it is taken
                activity_file = activity_file._replace(activities=(), transactions=(), budgets=(),
                                                       planned_disbursements=())
            kept.append((activity_file, list(activity_file.activities), self._keep(activity_file)))
        names = _file_names([activity_file.file for activity_file in self.read])
        for (activity_file, activities, keep), name in zip(kept, names):
            self._projects(activity_file, keep, name)
        self._tree()
        for activity_file, activities, keep in kept:
            self._money(activity_file, activities, keep)
        files = {PARTIES_FILE: _header("parties") + self.parties.text()} if self.parties.entries else {}
        by_file: dict[str, list[str]] = defaultdict(list)
        for project in self.projects.values():
            by_file[project.file].append(self._project_text(project) + "".join("\n" + entry for entry in project.entries))
        for name in names:
            if name in by_file:
                files[name] = _header("activities") + "\n".join(by_file[name])
        self.problems.sort(key=lambda problem: (problem.file, problem.line))
        return Imported(files, self.problems, len(self.projects), self.transactions, self.written, self.zero,
                        self.not_carried, dict(self.implied), self.implied_count, self.rounded, self.rates, self.other,
                        self.budgets, self.tranches, self.counts, frozenset(self.converted))

    # ---------------------------------------------------------------------------------------- activities

    def _keep(self, activity_file: ActivityFile) -> list[Activity | None]:
        """Each activity of the file, or None where it is not imported (another organisation's, a duplicate)."""
        keep: list[Activity | None] = []
        seen = self.seen
        for activity in activity_file.activities:
            reporter = activity.reporting_org.ref if activity.reporting_org else None
            if self.reporting_org is not None and reporter != self.reporting_org:
                self.other += 1
                keep.append(None)
            elif activity.identifier in seen:
                self.problem(IATI_NOT_CARRIED, f"a second activity '{activity.identifier}': only the first is "
                             "imported, with its transactions, budgets and planned disbursements",
                             _where(activity, activity_file.file))
                keep.append(None)
            else:
                seen.add(activity.identifier)
                keep.append(activity)
        return keep

    def _projects(self, activity_file: ActivityFile, keep: list[Activity | None], name: str) -> None:
        values: dict[str, Counter[str]] = defaultdict(Counter)
        items: list[Transaction | Budget | PlannedDisbursement] = [
            *activity_file.transactions, *activity_file.budgets, *activity_file.planned_disbursements]
        for item in items:
            values[item.activity][item.currency] += 1
        for activity in keep:
            if activity is None:
                continue
            file = activity_file.file
            currency, note = _currency_of(activity, values.get(activity.identifier, Counter()), self.given)
            project = _Project(activity, currency, note, name)
            self.projects[activity.identifier] = project
            self.parties.add(activity.reporting_org, file)
            implementing = []
            for organisation in activity.participating:
                party = self.parties.add(organisation, file)
                if organisation.role == IMPLEMENTING and party and party not in implementing:
                    implementing.append(party)
            if len(implementing) == 1:
                project.executing = implementing[0]

    def _tree(self) -> None:
        for project in self.projects.values():
            for related in project.activity.related:
                if related.type == "1" and related.ref in self.projects and related.ref != project.id:
                    self._set_parent(project, self.projects[related.ref], related.line)
                    break
        for project in self.projects.values():
            for related in project.activity.related:
                child = self.projects.get(related.ref)
                if related.type == "2" and child is not None and child.parent is None and child is not project:
                    self._set_parent(child, project, related.line)

    def _set_parent(self, child: _Project, parent: _Project, line: int) -> None:
        above: _Project | None = parent
        while above is not None:  # no cycle: the parent must not be below the child
            if above is child:
                return
            above = self.projects.get(above.parent) if above.parent else None
        if parent.currency != child.currency and self.given.earliest(child.currency, parent.currency) is None:
            if (child.id, parent.id) not in self.unlinked:  # said once, where type 1 and type 2 both link them
                self.unlinked.add((child.id, parent.id))
                self.rates.add((child.currency, parent.currency))
                given = " the rates given have none of the pair;" if self.given else ""
                self.problem(IATI_NEEDS_RATE, f"activity '{child.id}' is in {child.currency} and its parent "
                             f"'{parent.id}' in {parent.currency}: written as a root project (no parent), as its "
                             f"figures would count in the parent's at a rate;{given} --rates FILE.csv with a rate "
                             f"between {child.currency} and {parent.currency} would link it",
                             Location(child.activity.file, line))
            return
        child.parent = parent.id

    def _project_text(self, project: _Project) -> str:
        activity = project.activity
        countries = activity.recipient_countries
        fields: list[tuple[str, object]] = [
            ("id", project.id), ("title", activity.title or project.id), ("currency", project.currency),
            ("parent", project.parent), ("executing", project.executing),
            ("fiscal_year_start", project.fiscal_year_start), ("iati_identifier", activity.identifier),
            ("recipient_country", countries[0] if len(countries) == 1 else None), ("note", project.note),
        ]
        return entry_text("project", fields, f"{activity.file}:{activity.line}")

    # ---------------------------------------------------------------------------------------- money

    def _money(self, activity_file: ActivityFile, activities: list[Activity], keep: list[Activity | None]) -> None:
        lines = [activity.line for activity in activities]

        def owner(item: Transaction | Budget | PlannedDisbursement) -> _Project | None:
            index = bisect_right(lines, item.line) - 1
            activity = keep[index] if index >= 0 else None
            return self.projects[activity.identifier] if activity is not None else None

        transactions: dict[str, list[Transaction]] = defaultdict(list)
        budgets: dict[str, list[Budget]] = defaultdict(list)
        planned: dict[str, list[PlannedDisbursement]] = defaultdict(list)
        for transaction in activity_file.transactions:
            project = owner(transaction)
            if project is not None:
                self.transactions += 1
                transactions[project.id].append(transaction)
        for budget in activity_file.budgets:
            if (project := owner(budget)) is not None:
                budgets[project.id].append(budget)
        for disbursement in activity_file.planned_disbursements:
            if (project := owner(disbursement)) is not None:
                planned[project.id].append(disbursement)
        for activity in keep:
            if activity is None:
                continue
            project = self.projects[activity.identifier]
            commitments, releases, flows = self._transactions(project, transactions[project.id])
            tranches = self._planned(project, planned[project.id],
                                     [c for c in commitments if not c.implied and c.skipped is None])
            flows += self._releases(project, releases)
            project.entries += [self._commitment_text(project, commitment)
                                for commitment in sorted(commitments, key=lambda commitment: commitment.day)
                                if commitment.skipped is None]
            project.entries += tranches
            project.entries += [text for _, _, text in sorted(flows, key=lambda item: item[:2])]
            self._budgets(project, budgets[project.id])

    def _amount(self, value: Decimal, currency: str, at: Location, what: str) -> Decimal | None:
        """The value rounded to its currency's minor unit (and said so); None where the currency is unknown."""
        places = MINOR_UNITS.get(currency)
        if places is None:
            self.problem(IATI_NOT_CARRIED, f"{what} in '{currency}', which is no active ISO 4217 currency: "
                         "left out", at)
            return None
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if rounded != value:
            self.rounded += 1
            self.problem(IATI_ROUNDED, f"{what} of {value} {currency} has more than {places} decimal places: "
                         f"written as {rounded}", at)
        return rounded

    def _above(self, project: _Project) -> list[_Project]:
        """The project and the projects above it: an entry counts in the currency of each."""
        chain = [project]
        while chain[-1].parent is not None:
            chain.append(self.projects[chain[-1].parent])
        return chain

    def _missing(self, project: _Project, currency: str, day: _dt.date) -> _Project | None:
        """The first of the project and those above it whose currency the rates given do not convert an
        amount in `currency` of `day` into (None where they all do, or it is theirs)."""
        return next((above for above in self._above(project) if above.currency != currency
                     and self.given.rate_on(currency, above.currency, day) is None), None)

    def _converts(self, project: _Project, currency: str) -> None:
        """An entry in `currency` of the project is written: the rates of its pairs go to rates.toml."""
        self.converted.update((currency, above.currency) for above in self._above(project) if above.currency != currency)

    def _left_out(self, project: _Project, currency: str, day: _dt.date, at: Location, what: str,
                  counted: bool = True) -> bool:
        """Whether the entry is left out for want of a rate (and reported, and counted where `counted`): the
        rates given do not convert it on its day into its project's currency or one above. Else its pairs'
        rates are written."""
        above = self._missing(project, currency, day)
        if above is None:
            self._converts(project, currency)
            return False
        self.rates.add((currency, above.currency))
        if counted:
            self.not_carried[NO_RATE] += 1
        where = f"its activity '{project.id}' is in {project.currency}" if above is project else \
            f"its activity '{project.id}' counts in '{above.id}', in {above.currency}"
        given = " the rates given have none of the pair on or before its day;" if self.given else ""
        self.problem(IATI_NEEDS_RATE, f"{what} is in {currency} and {where}: left out, as no rate converts it;{given} "
                     f"--rates FILE.csv with a rate from {currency} to {above.currency} dated on or before "
                     f"{day.isoformat()} would carry it", at)
        return True

    def _held_by_skipped(self, parts: list[tuple[_Commitment, Decimal]], at: Location, what: str) -> bool:
        """Whether the entry is left out with a commitment it is against, left out for want of a rate
        (and reported, and counted)."""
        skipped = next((commitment for commitment, _ in parts if commitment.skipped is not None), None)
        if skipped is None:
            return False
        self.not_carried[NO_RATE] += 1
        self.problem(IATI_NEEDS_RATE, f"{what} is against the commitment at line {skipped.skipped}, in "
                     f"{skipped.currency}, which no rate given converts: left out with it (--rates FILE.csv with a "
                     "rate for that commitment's day would carry both)", at)
        return True

    def _party(self, project: _Project, transaction: Transaction | PlannedDisbursement, incoming: bool) -> str:
        activity, file = project.activity, project.activity.file
        party = self.parties.add(transaction.provider, file)
        if party is None and incoming:
            funders = {self.parties.add(organisation, file) for organisation in activity.participating
                       if organisation.role == FUNDING}
            funders.discard(None)
            if len(funders) == 1:
                party = funders.pop()
        if party is None:
            party = self.parties.add(activity.reporting_org, file)
        if party is None:
            party = self.parties.add(Organisation(None, "Unknown organisation", line=activity.line), file)
        assert party is not None
        return party

    def _transactions(self, project: _Project, transactions: list[Transaction]
                      ) -> tuple[list[_Commitment], list[_Release], list[tuple[_dt.date, int, str]]]:
        """The activity's commitments, its disbursements (written once the tranches are known), and the
        texts of its other entries with their days and lines."""
        file = project.activity.file
        flows: dict[tuple[str, str], list[_Flow]] = defaultdict(list)  # (party, currency) -> flows
        entries: list[tuple[_dt.date, int, str]] = []  # pledges and expenses: (day, line, text)
        for transaction in transactions:
            at = _where(transaction, file)
            type_name = f"transaction of type {transaction.type_as_written} ({TRANSACTION_TYPES[transaction.type]})"
            if transaction.value == 0:
                self.zero += 1
                continue
            kind = KIND_OF_TYPE.get(transaction.type)
            if kind is None:
                self.not_carried[f"type {transaction.type} ({TRANSACTION_TYPES[transaction.type]})"] += 1
                self.problem(IATI_NOT_CARRIED, f"a {type_name}: the ledger has no table for it; left out", at)
                continue
            amount = self._amount(transaction.value, transaction.currency, at, f"a {type_name}")
            if amount is None:
                self.not_carried["unknown currency"] += 1
                continue
            if amount == 0:
                self.zero += 1
                continue
            day = transaction.transaction_date or transaction.value_date
            assert day is not None  # the reader leaves out a transaction with neither
            comment = f"{file}:{transaction.line}: {type_name}"
            if kind == PLEDGE:
                if amount < 0:
                    self.not_carried["negative pledge"] += 1
                    self.problem(IATI_NOT_CARRIED, f"a {type_name} of {amount}: a pledge cannot be negative "
                                 "(the ledger has no withdrawn pledge); left out", at)
                    continue
                if self._left_out(project, transaction.currency, day, at, f"the {type_name}"):
                    continue
                party = self._party(project, transaction, transaction.type in _INCOMING)
                currency = _own(transaction.currency, project)
                fields: list[tuple[str, object]] = [
                    ("id", self.unique(f"{project.id}-P")), ("project", project.id), ("party", party), ("date", day),
                    ("amount", amount), ("currency", currency)]
                entries.append((day, transaction.line, entry_text(PLEDGE, fields, comment)))
                self.written[PLEDGE] += 1
            elif kind == EXPENSE:
                if self._left_out(project, transaction.currency, day, at, f"the {type_name}"):
                    continue
                currency = _own(transaction.currency, project)
                fields = [("project", project.id), ("date", day), ("amount", amount), ("currency", currency)]
                entries.append((day, transaction.line, entry_text(EXPENSE, fields, comment)))
                self.written[CREDIT if amount < 0 else EXPENSE] += 1
            else:
                party = self._party(project, transaction, transaction.type in _INCOMING)
                flow_kind = NEGATIVE[kind] if amount < 0 else kind
                flows[(party, transaction.currency)].append(_Flow(flow_kind, abs(amount), day, transaction))
        commitments: list[_Commitment] = []
        releases: list[_Release] = []
        for (party, currency), group in flows.items():
            made, released, texts = self._commitments(project, party, currency, group)
            commitments += made
            releases += released
            entries += texts
        return commitments, releases, entries

    def _releases(self, project: _Project, releases: list[_Release]) -> list[tuple[_dt.date, int, str]]:
        """Each disbursement as releases: a part for each commitment that holds some of it, and within a
        commitment for each of its tranches, in order, while they have something unreleased."""
        file = project.activity.file
        texts = []
        for release in sorted(releases, key=lambda release: (release.flow.day, release.flow.transaction.line)):
            pieces: list[tuple[_Commitment, Decimal, str | None]] = []
            for commitment, part in release.parts:
                tranches = commitment.tranches
                if commitment.currency != project.currency:  # converted: to one tranche that holds it, or none
                    tranches = [tranche for tranche in tranches if tranche.unreleased >= part][:1]
                for tranche in tranches:
                    if part and tranche.unreleased > 0:
                        piece = min(part, tranche.unreleased)
                        tranche.unreleased -= piece
                        pieces.append((commitment, piece, tranche.id))
                        part -= piece
                if part:
                    pieces.append((commitment, part, None))
            line = release.flow.transaction.line
            for n, (commitment, piece, tranche_id) in enumerate(pieces, 1):
                note = f"Part {n} of {len(pieces)} of the disbursement at {file}:{line}." if len(pieces) > 1 else None
                fields: list[tuple[str, object]] = [
                    ("commitment", commitment.id), ("date", release.flow.day), ("amount", piece), ("tranche", tranche_id),
                    ("currency", _own(commitment.currency, project)), ("note", note)]
                texts.append((release.flow.day, line, entry_text(RELEASE, fields, release.comment)))
        return texts

    def _commitment_text(self, project: _Project, commitment: _Commitment) -> str:
        currency = commitment.currency if commitment.currency != project.currency else None
        fields: list[tuple[str, object]] = [
            ("id", commitment.id), ("project", project.id), ("party", commitment.party), ("date", commitment.day),
            ("amount", commitment.amount), ("currency", currency), ("note", commitment.note)]
        return entry_text(COMMITMENT, fields, commitment.comment)

    def _commitments(self, project: _Project, party: str, currency: str, flows: list[_Flow]
                     ) -> tuple[list[_Commitment], list[_Release], list[tuple[_dt.date, int, str]]]:
        """The commitments of one project, party and currency, and the texts of their releases, refunds and
        decommitments: every release against commitments dated on or before it (implied where none holds it)."""
        file = project.activity.file
        order = {COMMITMENT: 0, RELEASE: 1, DECOMMITMENT: 2, REFUND: 3}
        commitments: list[_Commitment] = []
        releases: list[_Release] = []
        texts: list[tuple[_dt.date, int, str]] = []
        refunds: list[_Flow] = []
        converted = currency != project.currency  # each part of an entry split across commitments would round
        for flow in sorted(flows, key=lambda flow: (flow.day, order[flow.kind], flow.transaction.line)):
            transaction = flow.transaction
            at = _where(transaction, file)
            comment = f"{file}:{transaction.line}: transaction of type {transaction.type_as_written} " \
                      f"({TRANSACTION_TYPES[transaction.type]})"
            if flow.kind == COMMITMENT:
                if self._left_out(project, currency, flow.day, at, "the commitment"):
                    commitments.append(_Commitment("", party, flow.amount, flow.day, currency, comment,
                                                   skipped=transaction.line))
                    continue
                commitments.append(_Commitment(self.unique(f"{project.id}-C"), party, flow.amount, flow.day,
                                               currency, comment))
                self.written[COMMITMENT] += 1
            elif flow.kind == RELEASE:
                # Left out where no rate converts it on its day, or where it is against a commitment left out
                # so (no implied commitment takes it). Its parts are held all the same: what the written
                # commitments count unreleased is then at most what the file's story leaves them.
                parts: list[tuple[_Commitment, Decimal]] = []
                left = flow.amount
                for commitment in _holders(commitments, _unreleased, left, converted):
                    if left and commitment.unreleased > 0 and not commitment.implied:
                        part = min(left, commitment.unreleased)
                        commitment.released += part
                        parts.append((commitment, part))
                        left -= part
                if self._held_by_skipped(parts, at, "the disbursement") \
                        or self._left_out(project, currency, flow.day, at, "the disbursement"):
                    continue
                if left:
                    implied = _Commitment(
                        self.unique(f"{project.id}-IMPLIED"), party, left, flow.day, currency, comment,
                        note=f"Implied by the import: the disbursement at {file}:{transaction.line} has no "
                             f"commitment of this party before it for {_said(left, currency)}.",
                        implied=True)
                    implied.released = left
                    commitments.append(implied)
                    parts.append((implied, left))
                    self.implied[currency] += left
                    self.implied_count += 1
                    self.problem(IATI_IMPLIED_COMMITMENT, f"a disbursement of {_said(flow.amount, currency)} "
                                 f"with no commitment of '{party}' before it for {_said(left, currency)}: "
                                 f"written against the implied commitment '{implied.id}'", at)
                releases.append(_Release(flow, comment, parts))
                self.written[RELEASE] += 1
            elif flow.kind == DECOMMITMENT:
                parts = []
                left = flow.amount
                held = sum((commitment.unreleased for commitment in commitments if not commitment.implied), Decimal(0))
                if held < left:
                    self.not_carried["decommitment beyond what remains committed"] += 1
                    self.problem(IATI_NOT_CARRIED, f"a decommitment (negative commitment) of "
                                 f"{_said(flow.amount, currency)}, where the commitments of '{party}' before it have "
                                 f"{_said(held, currency)} left unreleased: left out", at)
                    continue
                for commitment in _holders(commitments[::-1], _unreleased, left, converted):
                    if left and commitment.unreleased > 0 and not commitment.implied:
                        part = min(left, commitment.unreleased)
                        commitment.decommitted += part
                        parts.append((commitment, part))
                        left -= part
                if self._held_by_skipped(parts, at, "the decommitment") \
                        or self._left_out(project, currency, flow.day, at, "the decommitment"):
                    continue
                for n, (commitment, part) in enumerate(parts, 1):
                    note = f"Part {n} of {len(parts)} of the negative commitment at {file}:{transaction.line}." \
                        if len(parts) > 1 else None
                    fields: list[tuple[str, object]] = [("commitment", commitment.id), ("date", flow.day),
                                                        ("amount", part), ("currency", _own(currency, project)),
                                                        ("note", note)]
                    texts.append((flow.day, transaction.line, entry_text(DECOMMITMENT, fields, comment)))
                self.written[DECOMMITMENT] += 1
            else:
                refunds.append(flow)
        for flow in refunds:  # a commitment's refunds are held to its releases in total, whatever their days
            transaction = flow.transaction
            at = _where(transaction, file)
            comment = f"{file}:{transaction.line}: transaction of type {transaction.type_as_written} " \
                      f"({TRANSACTION_TYPES[transaction.type]})"
            returnable = [commitment for commitment in commitments if commitment.day <= flow.day] or commitments
            held = sum((commitment.released - commitment.refunded for commitment in returnable), Decimal(0))
            if held < flow.amount:
                self.not_carried["refund beyond what was released"] += 1
                self.problem(IATI_NOT_CARRIED, f"a refund (negative disbursement) of {_said(flow.amount, currency)}, "
                             f"where '{party}' released {_said(held, currency)} (less refunds) "
                             "against commitments before it: left out", at)
                continue
            parts, left = [], flow.amount
            for commitment in _holders(returnable[::-1], _returnable, left, converted):
                if left and commitment.released - commitment.refunded > 0:
                    part = min(left, commitment.released - commitment.refunded)
                    commitment.refunded += part
                    parts.append((commitment, part))
                    left -= part
            if self._held_by_skipped(parts, at, "the refund") \
                    or self._left_out(project, currency, flow.day, at, "the refund"):
                continue
            for n, (commitment, part) in enumerate(parts, 1):
                note = f"Part {n} of {len(parts)} of the negative disbursement at {file}:{transaction.line}." \
                    if len(parts) > 1 else None
                fields = [("commitment", commitment.id), ("date", flow.day), ("amount", part),
                          ("currency", _own(currency, project)), ("note", note)]
                texts.append((flow.day, transaction.line, entry_text(REFUND, fields, comment)))
            self.written[REFUND] += 1
        return commitments, releases, texts

    # ---------------------------------------------------------------------------------------- budgets

    def _budgets(self, project: _Project, budgets: list[Budget]) -> None:
        file = project.activity.file
        project.fiscal_year_start = _fiscal_year_start(budgets)
        starts = project.fiscal_year_start or 1
        originals: dict[str, tuple[Budget, Decimal, str | None]] = {}
        revisions: dict[str, dict[_dt.date, tuple[Budget, Decimal, str | None]]] = defaultdict(dict)
        periods: dict[str, Period] = {}
        for budget in budgets:
            at = _where(budget, file)
            what = f"a budget for {budget.period_start} to {budget.period_end}"
            self.counts["read"] += 1
            if budget.value == 0:
                self.counts["zero"] += 1
                continue
            if budget.value < 0:
                self.problem(IATI_NOT_CARRIED, f"{what} of {budget.value}: a budget line cannot be negative; left out", at)
                continue
            if budget.currency != project.currency:
                self.problem(IATI_NOT_CARRIED, f"{what} in {budget.currency}, where its activity is in "
                             f"{project.currency}: a budget line is in its project's currency; left out", at)
                continue
            amount = self._amount(budget.value, budget.currency, at, what)
            if amount is None or amount == 0:
                self.counts["zero" if amount is not None else "unknown currency"] += 1
                continue
            label, exact = period_label(budget.period_start, budget.period_end, starts)
            if label is None:
                self.problem(IATI_NOT_CARRIED, f"{what}: no year, quarter, month or fiscal year holds it; left out", at)
                continue
            note = None
            if not exact:
                note = f"IATI budget period {budget.period_start} to {budget.period_end}."
                self.problem(IATI_PERIOD_WIDENED, f"{what} is no year, quarter, month or fiscal year: written for "
                             f"{label}, the smallest that holds it", at)
            period = parse_period(label, starts)
            clash = next((other for other, held in periods.items() if overlaps_unequally(period, held)), None)
            if clash is not None:
                self.problem(IATI_NOT_CARRIED, f"{what} ({label}) overlaps the budget line for {clash} without "
                             "being equal to it: left out", at)
                continue
            periods[label] = period
            revised = (budget.type or "").lower() in ("2", "revised")
            if not revised:
                if label in originals:
                    first = originals[label][0]
                    self.problem(IATI_NOT_CARRIED, f"{what}: a second original budget for {label} (the first is at "
                                 f"line {first.line}); left out", at)
                    continue
                originals[label] = (budget, amount, note)
            else:
                day = budget.value_date or budget.period_start
                if day in revisions[label]:
                    first = revisions[label][day][0]
                    self.problem(IATI_NOT_CARRIED, f"{what}: a second revised budget for {label} valued on {day} "
                                 f"(the first is at line {first.line}); left out", at)
                    continue
                revisions[label][day] = (budget, amount, note)
        lines: list[tuple[_dt.date, _dt.date | None, str]] = []
        for label, period in periods.items():
            later = dict(sorted(revisions.get(label, {}).items()))
            if label in originals:
                original = originals[label]
            else:  # a revision without an original is missing-key: the first revision is the original
                day = next(iter(later))
                budget, amount, note = later.pop(day)
                original = (budget, amount, _joined(note, f"IATI revised budget valued on {day}; the file has no "
                                                          "original budget for this period."))
            budget, amount, note = original
            fields: list[tuple[str, object]] = [("project", project.id), ("period", label), ("amount", amount),
                                                ("note", note)]
            lines.append((period.first, None, entry_text("budget", fields, _budget_comment(file, budget))))
            for day, (budget, amount, note) in later.items():
                fields = [("project", project.id), ("period", label), ("amount", amount), ("revision", day),
                          ("note", note)]
                lines.append((period.first, day, entry_text("budget", fields, _budget_comment(file, budget))))
        lines.sort(key=lambda line: (line[0], line[1] or _dt.date.min))
        project.entries += [text for _, _, text in lines]
        self.budgets += len(lines)

    # ---------------------------------------------------------------------------------------- tranches

    def _planned(self, project: _Project, planned: list[PlannedDisbursement], commitments: list[_Commitment]
                 ) -> list[str]:
        file = project.activity.file
        originals: dict[tuple[str, str, _dt.date, _dt.date | None], list[PlannedDisbursement]] = defaultdict(list)
        revised: dict[tuple[str, str, _dt.date, _dt.date | None], list[PlannedDisbursement]] = defaultdict(list)
        for disbursement in planned:
            self.counts["planned"] += 1
            party = self._party(project, disbursement, incoming=False)
            key = (party, disbursement.currency, disbursement.period_start, disbursement.period_end)
            is_revised = (disbursement.type or "").lower() in ("2", "revised")
            (revised if is_revised else originals)[key].append(disbursement)
        chosen: list[tuple[tuple[str, str, _dt.date, _dt.date | None], PlannedDisbursement]] = []
        for key in {**originals, **revised}:  # several of one period are several tranches (of one commitment, or not)
            if revised.get(key):  # the revised planned disbursements of a period replace its originals
                self.counts["planned replaced"] += len(originals.get(key, ()))
            chosen += [(key, disbursement) for disbursement in revised.get(key) or originals[key]]
        texts: list[tuple[_dt.date, int, str]] = []
        for key, disbursement in sorted(chosen, key=lambda item: (item[0][2], item[1].line)):
            party, currency, start, end = key
            at = _where(disbursement, file)
            what = f"a planned disbursement for {start}" + (f" to {end}" if end else "")
            if disbursement.value == 0:
                self.counts["planned zero"] += 1
                continue
            if disbursement.value < 0:
                self.problem(IATI_NOT_CARRIED, f"{what} of {disbursement.value}: a tranche cannot be negative; "
                             "left out", at)
                continue
            amount = self._amount(disbursement.value, currency, at, what)
            if amount is None or amount == 0:
                self.counts["planned zero" if amount is not None else "planned unknown currency"] += 1
                continue
            if self._left_out(project, currency, end or start, at, what, counted=False):
                continue
            holding = [commitment for commitment in commitments
                       if commitment.party == party and commitment.currency == currency]
            room = sum((commitment.amount - commitment.decommitted - commitment.tranched for commitment in holding),
                       Decimal(0))
            if room < amount:
                self.problem(IATI_NOT_CARRIED, f"{what} of {_said(amount, currency)}: the commitments of "
                             f"'{party}' to the activity have {_said(room, currency)} left for tranches; "
                             "left out", at)
                continue
            parts: list[tuple[_Commitment, Decimal]] = []
            left = amount
            for commitment in holding:
                free = commitment.amount - commitment.decommitted - commitment.tranched
                if left and free > 0:
                    part = min(left, free)
                    commitment.tranched += part
                    parts.append((commitment, part))
                    left -= part
            for n, (commitment, part) in enumerate(parts, 1):
                period = f"{start}" + (f" to {end}" if end else "")
                note = f"IATI planned disbursement for {period}" + \
                    (f", part {n} of {len(parts)}." if len(parts) > 1 else ".")
                tranche = _Tranche(self.unique(f"{project.id}-T"), part)
                commitment.tranches.append(tranche)
                fields: list[tuple[str, object]] = [
                    ("id", tranche.id), ("commitment", commitment.id), ("amount", part), ("due", end or start),
                    ("note", note)]
                comment = f"{file}:{disbursement.line}: planned-disbursement"
                texts.append((end or start, disbursement.line, entry_text("tranche", fields, comment)))
            self.tranches += len(parts)
            self.counts["planned written"] += 1
        return [text for _, _, text in sorted(texts, key=lambda item: item[:2])]


def _holders(commitments: list[_Commitment], room: Callable[[_Commitment], Decimal], amount: Decimal,
             converted: bool) -> list[_Commitment]:
    """The commitments to take a release, decommitment or refund from, in order. Where it is converted at a
    rate (its currency is not its project's), the one with the least room that holds all of it, where one
    does (the first of those): each part of a split entry is converted and rounded on its own, and the
    parts could add up to a minor unit more or less than the whole (the round trip of `iati export`)."""
    if converted:
        holding = [commitment for commitment in commitments if room(commitment) >= amount]
        if holding:
            return [min(holding, key=room)]
    return commitments


def _unreleased(commitment: _Commitment) -> Decimal:
    return Decimal(0) if commitment.implied else commitment.unreleased


def _returnable(commitment: _Commitment) -> Decimal:
    return commitment.released - commitment.refunded


def _own(currency: str, project: _Project) -> str | None:
    """The `currency` key of an entry of a commitment: written where it is not its project's."""
    return currency if currency != project.currency else None


def _said(amount: Decimal, currency: str) -> str:
    """An amount as messages and notes say it: 25,361.00 GBP."""
    return f"{format_amount(amount, currency, grouping=True)} {currency}"


def _budget_comment(file: str, budget: Budget) -> str:
    kind = "revised" if (budget.type or "").lower() in ("2", "revised") else "original"
    return f"{file}:{budget.line}: {kind} budget, {budget.period_start} to {budget.period_end}"


def _joined(*notes: str | None) -> str | None:
    text = " ".join(note for note in notes if note)
    return text or None


def _header(what: str) -> str:
    return f"# Imported from IATI by `cndledger iati import`: {what}. Each entry follows the line of the XML it comes from.\n\n"


def _file_names(paths: list[str]) -> list[str]:
    """One TOML file name per XML file: its name's stem, made unique (and never the parties' file)."""
    taken = {PARTIES_FILE, RATES_FILE}
    names = []
    for path in paths:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", PurePath(path).stem).strip("-.") or "activities"
        name, n = f"{stem}.toml", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}.toml"
        taken.add(name)
        names.append(name)
    return names


def _currency_of(activity: Activity, values: Counter[str], given: Rates) -> tuple[str, str | None]:
    """The project's currency: the activity's default-currency, unless none of its values is in it and
    the rates given (`--rates`) do not convert them all to it."""
    default = activity.default_currency
    known = Counter({currency: n for currency, n in values.items() if currency in MINOR_UNITS})
    if default in MINOR_UNITS and (default in values or not known or all(
            given.earliest(currency, default) is not None for currency in known)):
        return default, None
    if known:
        currency = known.most_common(1)[0][0]
        if default:
            return currency, (f"IATI default-currency {default}; the activity's values are in {currency}"
                              + ("." if len(known) == 1 else " and others."))
        return currency, f"The IATI activity has no default-currency; {currency} is the currency of most of its values."
    return "USD", "The IATI activity has no currency and no value: USD is the import's placeholder."


def _fiscal_year_start(budgets: list[Budget]) -> int | None:
    """The month the activity's budget years start in, where it is not January (April: the UK's)."""
    months = Counter(budget.period_start.month for budget in budgets
                     if budget.period_start.day == 1 and _year_after(budget.period_start) == budget.period_end)
    if not months:
        return None
    month = months.most_common(1)[0][0]
    return None if month == 1 else month


def _year_after(day: _dt.date) -> _dt.date:
    """The day before the same day a year later (the last day of a year that starts on `day`, the 1st)."""
    return _dt.date(day.year + 1, day.month, 1) - _dt.timedelta(days=1)


def _month_end(year: int, month: int) -> _dt.date:
    return (_dt.date(year + month // 12, month % 12 + 1, 1)) - _dt.timedelta(days=1)


def period_label(start: _dt.date, end: _dt.date, fiscal_year_start: int = 1) -> tuple[str | None, bool]:
    """The period label of the days `start` to `end`, and whether it is exact: the label of exactly
    these days where there is one (month, quarter, year, fiscal year), else the smallest period that
    holds them (None where none does: they span more than a year)."""
    candidates: list[tuple[_dt.date, _dt.date, str]] = []
    year = start.year
    candidates.append((_dt.date(year, start.month, 1), _month_end(year, start.month), f"{year:04d}-{start.month:02d}"))
    quarter = (start.month - 1) // 3
    candidates.append((_dt.date(year, 3 * quarter + 1, 1), _month_end(year, 3 * quarter + 3),
                       f"{year:04d}-Q{quarter + 1}"))
    if fiscal_year_start != 1:
        first_year = year if start.month >= fiscal_year_start else year - 1
        first = _dt.date(first_year, fiscal_year_start, 1)
        candidates.append((first, _year_after(first), f"FY{first_year:04d}-{(first_year + 1) % 100:02d}"))
    candidates.append((_dt.date(year, 1, 1), _dt.date(year, 12, 31), f"{year:04d}"))
    for first, last, label in candidates:
        if (first, last) == (start, end):
            return label, True
    holding = [(last - first, label) for first, last, label in candidates if first <= start and end <= last]
    if not holding or end < start:
        return None, False
    return min(holding)[1], False
