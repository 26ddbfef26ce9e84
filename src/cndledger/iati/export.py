"""A ledger as one IATI 2.03 activity document (`cndledger iati export`): pure, no I/O.

`export_activities(ledger, as_of)` gives the document's bytes, or the problems that stop it: each
identifier the standard needs and the ledger lacks (`iati-missing-identifier`, at the entry that
lacks it). Written as text as it goes (`_Writer`), with no XML library: exporting needs no extra
(validating the result against the XSD does: `validate.py`, lxml).

The mapping (docs/iati.md has it as a table):
- each project is an `iati-activity` (`hierarchy` its depth, 1 for a root; `related-activity` type 1
  to its parent, type 2 to each child), in tree order;
- transactions, each counting on or before the as-of day, dated the day it counts from (a date
  of month or year precision: the period's last day; a release, refund or decommitment never before
  its commitment):
  commitment 11 (incoming commitment), decommitment 11 with a negative value, release 1 (incoming
  funds), refund 1 with a negative value, expense 4 (expenditure; a credit note negative), pledge 13
  (incoming pledge). The IATI standard's note on a transaction's value: "negative for repayments or
  reduced/cancelled commitments".
- `budget`: the `[[budget]]` lines of a project added up by period: their originals (type 1), and
  where a revision is in force on the as-of day the lines' amounts in force then (type 2);
- `planned-disbursement`: each tranche with a `due` date (its period: the days of the due date);
- `conditions`: each tranche's release conditions, as text.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from cndledger.core.budget import budget_lines
from cndledger.core.counting import commitments_of, counting_days, expense_days, release_counting_days
from cndledger.core.ledger import Ledger
from cndledger.format.codes import IATI_BUDGET_PERIOD, IATI_MISSING_IDENTIFIER
from cndledger.format.currency import MONEY, format_amount
from cndledger.format.dates import LedgerDate
from cndledger.format.inherit import inherited_all
from cndledger.format.problems import Location, Problem, sort_key
from cndledger.format.records import Decommitment, Party, Project, Refund, Release, Tranche

VERSION = "2.03"

# TransactionType (2.03) of each kind of entry; a refund, decommitment or credit note is negative.
TRANSACTION_TYPE = {
    "commitment": "11", "decommitment": "11", "release": "1", "refund": "1", "expense": "4", "pledge": "13",
}
# OrganisationType of each party `type` (the reporting organisation needs one).
ORGANISATION_TYPE = {
    "government": "10", "ngo": "21", "multilateral": "40", "private": "70", "academic": "80", "other": "90",
}
FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"  # OrganisationRole
PARENT, CHILD = "1", "2"  # RelatedActivityType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
PIPELINE, IMPLEMENTATION, FINALISATION = "1", "2", "3"  # ActivityStatus
ORIGINAL, REVISED = "1", "2"  # BudgetType
PERFORMANCE, FIDUCIARY = "2", "3"  # ConditionType

_COUNTRY = re.compile(r"[A-Z]{2}")


class ExportUsageError(ValueError):
    """The command line asks for what cannot be: an unknown reporting party, none to choose."""


class Exported(NamedTuple):
    document: bytes | None  # None where problems stop it
    problems: list[Problem]
    activities: int


class _Transaction(NamedTuple):
    day: _dt.date
    order: int  # ledger order within the day
    type: str
    value: Decimal
    currency: str
    ref: str | None
    provider: Party | None
    description: str | None


def reporting_party(ledger: Ledger, only: set[str] | None, given: str | None) -> Party:
    """The reporting organisation: `--reporting-org` where given (an id or alias), else the executing
    party of the exported root projects, which must all name the same one."""
    if given is not None:
        party = ledger.party_by_name.get(given)
        if party is None:
            raise ExportUsageError(f"--reporting-org: the ledger has no party '{given}'")
        return party
    roots = [project for project, _ in _exported(ledger, only)
             if project.parent is None or only is not None and project.parent not in only]
    executing = {ledger.party_id(project.executing) for project in roots if project.executing is not None}
    if len(executing) == 1 and all(project.executing is not None for project in roots):
        name = executing.pop()
        party = ledger.party_by_name.get(name)
        if party is not None:
            return party
    named = ", ".join(sorted(executing)) or "none"
    raise ExportUsageError(
        "cannot tell which party reports: the reporting organisation is the executing party of the root "
        f"projects exported, and they name {'different ones' if len(executing) > 1 else 'none'} ({named}); "
        "give --reporting-org PARTY")


def export_activities(ledger: Ledger, as_of: _dt.date, *, only: set[str] | None = None,
                      reporting_org: str | None = None) -> Exported:
    """The IATI activity document of the projects (`only`: these; else every one) as of the day, or
    every identifier missing for it. Raises `ExportUsageError` where no reporting party can be chosen."""
    projects = _exported(ledger, only)
    reporter = reporting_party(ledger, only, reporting_org)
    exported_ids = {project.id for project, _ in projects}
    countries = inherited_all([project.id for project in ledger.projects],
                              {project.id: project.recipient_country for project in ledger.projects},
                              {project.id: project.parent for project in ledger.projects}, None)
    transactions = _transactions(ledger, as_of, exported_ids)
    funders = _funders(ledger, exported_ids)
    budgets, problems = _budgets(ledger, as_of, exported_ids)
    problems += _missing(ledger, projects, reporter, countries, transactions, funders)
    if problems:
        return Exported(None, sorted(problems, key=sort_key), 0)
    out = _Writer()
    out.parts.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.open("iati-activities", {"version": VERSION})
    plans = _planned(ledger, exported_ids)
    for project, depth in projects:
        _activity(out, ledger, project, depth, as_of, reporter, countries[project.id], funders.get(project.id, []),
                  sorted(transactions.get(project.id, [])), budgets.get(project.id, []),
                  plans.get(project.id, []), exported_ids)
    out.close("iati-activities")
    document = out.document()
    return Exported(document, [], len(projects))


def _exported(ledger: Ledger, only: set[str] | None) -> list[tuple[Project, int]]:
    return [(project, depth) for project, depth in ledger.tree_order() if only is None or project.id in only]


# --- What the standard needs and the ledger may lack -----------------------------------------------

def _missing(ledger: Ledger, projects: list[tuple[Project, int]], reporter: Party,
             countries: dict[str, str | None], transactions: dict[str, list[_Transaction]],
             funders: dict[str, list[Party]]) -> list[Problem]:
    problems: list[Problem] = []
    bad_countries: set[str] = set()
    identified: dict[str, Project] = {}
    for project, _ in projects:
        if not project.iati_identifier:
            problems.append(IATI_MISSING_IDENTIFIER.problem(
                f"project '{project.id}' has no iati_identifier: IATI names each activity by its identifier "
                "(the reporting organisation's identifier, a hyphen and the activity's own)", project.at))
        elif (first := identified.setdefault(project.iati_identifier, project)) is not project:
            problems.append(IATI_MISSING_IDENTIFIER.problem(
                f"project '{project.id}' has the iati_identifier '{project.iati_identifier}' of project "
                f"'{first.id}' (at {first.at}): an activity's identifier is its own; give each project its own",
                project.at_key("iati_identifier")))
        country = countries.get(project.id)
        if not country:
            problems.append(IATI_MISSING_IDENTIFIER.problem(
                f"project '{project.id}' has no recipient_country, nor has any project above it: give the "
                "ISO 3166-1 alpha-2 code of the country it benefits (PK for Pakistan)", project.at))
        elif not _COUNTRY.fullmatch(country):
            source = _giving(ledger, project, "recipient_country")
            if source.id not in bad_countries:  # once, where it is written
                bad_countries.add(source.id)
                problems.append(IATI_MISSING_IDENTIFIER.problem(
                    f"project '{source.id}' has the recipient_country '{country}', which is no ISO 3166-1 alpha-2 "
                    "code: write two capital letters (PK for Pakistan)", source.at_key("recipient_country")))
        if project.start is None and project.end is None and not transactions.get(project.id):
            problems.append(IATI_MISSING_IDENTIFIER.problem(
                f"project '{project.id}' has no start, no end and no entry to date it by: IATI needs an activity "
                "date; give the project its start", project.at))
    parties: dict[str, tuple[Party, str]] = {reporter.id: (reporter, "the reporting organisation")}
    for project, _ in projects:
        if project.executing is not None and (party := ledger.party_by_name.get(project.executing)) is not None:
            parties.setdefault(party.id, (party, f"the executing party of project '{project.id}'"))
        providers = [transaction.provider for transaction in transactions.get(project.id, [])]
        for provider in [*funders.get(project.id, []), *providers]:  # a commitment's party, counting or not
            if provider is not None:
                parties.setdefault(provider.id, (provider, f"a funder of project '{project.id}'"))
    for party, role in parties.values():
        if not party.iati_ref:
            problems.append(IATI_MISSING_IDENTIFIER.problem(
                f"party '{party.id}' ({role}) has no iati_ref: IATI names each organisation by its published "
                "organisation identifier (XM-DAC-41123 for UNIDO)", party.at))
    if reporter.type is None:
        problems.append(IATI_MISSING_IDENTIFIER.problem(
            f"party '{reporter.id}' (the reporting organisation) has no type: IATI needs the reporting "
            "organisation's type (government, multilateral, ngo, private, academic or other)", reporter.at))
    return problems


def _giving(ledger: Ledger, project: Project, key: str) -> Project:
    """The project whose own value of `key` the project has: itself, else the nearest above it that sets it."""
    seen = set()
    current: Project | None = project
    while current is not None and current.id not in seen:
        if getattr(current, key) is not None:
            return current
        seen.add(current.id)
        current = ledger.project_by_id.get(current.parent) if current.parent is not None else None
    return project


# --- Entries into transactions ---------------------------------------------------------------------

def _transactions(ledger: Ledger, as_of: _dt.date, exported: set[str]) -> dict[str, list[_Transaction]]:
    """Each exported project's own transactions counting on or before the day. A description says only
    what the entry's structured keys say (an agreement, a tranche, a category and a cluster): a `note` is
    the ledger keeper's own, and a published file is public."""
    found: dict[str, list[_Transaction]] = {}
    currency_of = ledger.project_currency
    party = ledger.party_by_name.get
    order = 0

    def add(project: str, day: _dt.date, kind: str, value: Decimal, currency: str | None, ref: str | None,
            provider: Party | None, description: str | None) -> None:
        nonlocal order
        if project in exported and day <= as_of:
            order += 1
            found.setdefault(project, []).append(_Transaction(
                day, order, TRANSACTION_TYPE[kind], value, currency or currency_of(project) or "", ref, provider,
                description))

    for pledge in ledger.pledges:
        add(pledge.project, pledge.date.last, "pledge", pledge.amount, pledge.currency, pledge.id,
            party(pledge.party), None)
    for commitment, day in zip(ledger.commitments, counting_days(ledger.commitments)):
        add(commitment.project, day, "commitment", commitment.amount, commitment.currency, commitment.id,
            party(commitment.party), commitment.agreement)
    kinds: tuple[tuple[str, Sequence[Release | Refund | Decommitment], int], ...] = (
        ("decommitment", ledger.decommitments, -1), ("release", ledger.releases, 1), ("refund", ledger.refunds, -1))
    for kind, flows, sign in kinds:
        commitments = commitments_of(ledger, flows)
        for flow, of, day in zip(flows, commitments, release_counting_days(flows, commitments)):
            if of is None:
                continue
            amount = flow.amount if sign > 0 else MONEY.minus(flow.amount)
            add(of.project, day, kind, amount, flow.currency or of.currency, flow.id or flow.reference,
                party(of.party), f"tranche {flow.tranche}" if isinstance(flow, Release) and flow.tranche else None)
    for expense, day in zip(ledger.expenses, expense_days(ledger)):
        described = "; ".join(text for text in (expense.category, expense.cluster) if text)
        add(expense.project, day, "expense", expense.amount, expense.currency, expense.id or expense.reference,
            None, described or None)
    return found


def _funders(ledger: Ledger, exported: set[str]) -> dict[str, list[Party]]:
    """Each project's parties with a commitment to it, in order of their first commitment."""
    found: dict[str, list[Party]] = {}
    for commitment in ledger.commitments:
        party = ledger.party_by_name.get(commitment.party)
        if commitment.project in exported and party is not None:
            funders = found.setdefault(commitment.project, [])
            if party not in funders:
                funders.append(party)
    return found


# --- Budgets and planned disbursements -----------------------------------------------------------

class _Budget(NamedTuple):
    type: str
    first: _dt.date
    last: _dt.date
    value: Decimal
    currency: str
    value_date: _dt.date


class _Period:
    """The lines of one project and period added up: originals, amounts in force, the latest revision in force."""

    __slots__ = ("original", "in_force", "revised_on", "at")

    def __init__(self, at: Location) -> None:
        self.original = self.in_force = MONEY.create_decimal(0)
        self.revised_on: _dt.date | None = None
        self.at = at


def _budgets(ledger: Ledger, as_of: _dt.date, exported: set[str]) -> tuple[dict[str, list[_Budget]], list[Problem]]:
    """Each project's budget lines added up by period: the originals, and the amounts in force on the day
    where a revision is; a period longer than a year (which IATI refuses) is a problem."""
    periods: dict[tuple[str, _dt.date, _dt.date], _Period] = {}
    problems: list[Problem] = []
    for line in budget_lines(ledger):
        project, original = line.project, line.original
        if project.id not in exported or original is None:
            continue  # a revision without its original is a missing-key error of the ledger
        if not within_a_year(line.period.first, line.period.last):
            problems.append(IATI_BUDGET_PERIOD.problem(
                f"the budget line of project '{project.id}' for {line.period} runs from {line.period.first} to "
                f"{line.period.last}, longer than a year: an IATI budget's period is a year at most; split the "
                "line into periods of a year or less", original.at_key("period")))
            continue
        totals = periods.get((project.id, line.period.first, line.period.last))
        if totals is None:
            totals = periods[(project.id, line.period.first, line.period.last)] = _Period(original.at)
        in_force = line.in_force(as_of) or original
        totals.original = MONEY.add(totals.original, original.amount)
        totals.in_force = MONEY.add(totals.in_force, in_force.amount)
        if in_force.revision is not None and (totals.revised_on is None or in_force.revision.first > totals.revised_on):
            totals.revised_on = in_force.revision.first
    found: dict[str, list[_Budget]] = {}
    for (project_id, first, last), totals in periods.items():
        currency = ledger.project_currency(project_id) or ""
        budgets = found.setdefault(project_id, [])
        budgets.append(_Budget(ORIGINAL, first, last, totals.original, currency, first))
        if totals.revised_on is not None:
            budgets.append(_Budget(REVISED, first, last, totals.in_force, currency, totals.revised_on))
    for budgets in found.values():
        budgets.sort(key=lambda budget: (budget.first, budget.last, budget.type))
    return found, problems


def within_a_year(first: _dt.date, last: _dt.date) -> bool:
    """Whether `first`..`last` is at most a year long, as an IATI budget's period must be."""
    try:
        year_later = first.replace(year=first.year + 1)
    except ValueError:  # from 29 February
        year_later = _dt.date(first.year + 1, 3, 1)
    return last < year_later


def _planned(ledger: Ledger, exported: set[str]) -> dict[str, list[tuple[Tranche, Party | None, str]]]:
    """Each project's tranches, with the funder and currency of their commitments."""
    found: dict[str, list[tuple[Tranche, Party | None, str]]] = {}
    for tranche in ledger.tranches:
        commitment = ledger.commitment_by_id.get(tranche.commitment)
        if commitment is None or commitment.project not in exported:
            continue
        currency = commitment.currency or ledger.project_currency(commitment.project) or ""
        found.setdefault(commitment.project, []).append(
            (tranche, ledger.party_by_name.get(commitment.party), currency))
    return found


def _conditions(ledger: Ledger, tranche: Tranche, currency: str) -> Iterable[tuple[str, str]]:
    """Each release condition of a tranche, as (ConditionType, text)."""
    what = f"Tranche {tranche.id} ({format_amount(tranche.amount, currency)} {currency} of commitment " \
           f"{tranche.commitment}) is released only"
    if tranche.after:
        many = len(tranche.after) > 1
        yield FIDUCIARY, (f"{what} after tranche{'s' if many else ''} {', '.join(tranche.after)} "
                          f"{'have' if many else 'has'} been fully released.")
    if tranche.not_before is not None:
        yield FIDUCIARY, f"{what} on or after {tranche.not_before.first.isoformat()}."
    if tranche.requires:
        titles = []
        for ident in tranche.requires:
            milestone = ledger.milestone_by_id.get(ident)
            titles.append(f"{ident} ({milestone.title})" if milestone is not None else ident)
        many = len(titles) > 1
        yield PERFORMANCE, f"{what} once milestone{'s' if many else ''} {', '.join(titles)} {'are' if many else 'is'} done."
    if tranche.min_spent is not None:
        share = f"{(tranche.min_spent * 100).normalize():f}%"
        yield PERFORMANCE, f"{what} once the project's expenses reach {share} of the cash released to it so far."
    if tranche.matched_by is not None:
        yield FIDUCIARY, f"{what} together with a release of the counterpart commitment {tranche.matched_by}."


# --- The document ----------------------------------------------------------------------------------

# What XML 1.0 cannot hold at all (control characters but tab, newline and carriage return; lone
# surrogates; U+FFFE, U+FFFF): a ledger's text may, so it is written as U+FFFD rather than spoil the file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;",
                                    "\n": "&#10;", "\r": "&#13;"})


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value).translate(_TEXT_ESCAPES)


def _attributes(attributes: dict[str, str]) -> str:
    return "".join(f' {name}="{_NOT_XML.sub(chr(0xFFFD), value).translate(_ATTRIBUTE_ESCAPES)}"'
                   for name, value in attributes.items())


class _Writer:
    """The document as text, written as it goes (an element tree of a large ledger would cost its size
    in memory several times over, and serialising it most of the time), indented two spaces a level."""

    __slots__ = ("parts", "indent")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.indent = ""

    def open(self, tag: str, attributes: dict[str, str] | None = None) -> None:
        self.parts.append(f"{self.indent}<{tag}{_attributes(attributes) if attributes else ''}>\n")
        self.indent += "  "

    def close(self, tag: str) -> None:
        self.indent = self.indent[:-2]
        self.parts.append(f"{self.indent}</{tag}>\n")

    def empty(self, tag: str, attributes: dict[str, str]) -> None:
        self.parts.append(f"{self.indent}<{tag}{_attributes(attributes)}/>\n")

    def text(self, tag: str, text: str, attributes: dict[str, str] | None = None) -> None:
        self.parts.append(f"{self.indent}<{tag}{_attributes(attributes) if attributes else ''}>{_text(text)}</{tag}>\n")

    def narrative(self, tag: str, text: str, attributes: dict[str, str] | None = None) -> None:
        self.open(tag, attributes)
        self.text("narrative", text)
        self.close(tag)

    def org(self, tag: str, party: Party, **attributes: str) -> None:
        settings = {"ref": party.iati_ref or ""}
        if party.type in ORGANISATION_TYPE:
            settings["type"] = ORGANISATION_TYPE[party.type]
        settings.update(attributes)
        self.narrative(tag, party.name, settings)

    def value(self, amount: Decimal, currency: str, day: _dt.date) -> None:
        self.parts.append(f'{self.indent}<value currency="{_text(currency)}" value-date="{day.isoformat()}">'
                          f"{format_amount(amount, currency)}</value>\n")

    def period(self, first: _dt.date, last: _dt.date) -> None:
        self.parts.append(f'{self.indent}<period-start iso-date="{first.isoformat()}"/>\n'
                          f'{self.indent}<period-end iso-date="{last.isoformat()}"/>\n')

    def document(self) -> bytes:
        return "".join(self.parts).encode("utf-8")


def _activity_dates(project: Project, as_of: _dt.date, transactions: list[_Transaction]) -> list[tuple[str, _dt.date]]:
    """(ActivityDateType, day): a start written as a month or a year is its first day, an end its last."""
    dates = []
    start: LedgerDate | None = project.start
    if start is not None:
        dates.append((ACTUAL_START if start.first <= as_of else PLANNED_START, start.first))
    elif transactions and project.end is None:
        dates.append((ACTUAL_START, transactions[0].day))  # nothing else dates it: its first transaction
    if project.end is not None:
        dates.append((ACTUAL_END if project.end.last <= as_of else PLANNED_END, project.end.last))
    return dates


def _status(project: Project, as_of: _dt.date) -> str:
    if project.start is not None and project.start.first > as_of:
        return PIPELINE
    if project.end is not None and project.end.last < as_of:
        return FINALISATION
    return IMPLEMENTATION


def _activity(out: _Writer, ledger: Ledger, project: Project, depth: int, as_of: _dt.date, reporter: Party,
              country: str | None, funders: list[Party], transactions: list[_Transaction], budgets: list[_Budget],
              tranches: list[tuple[Tranche, Party | None, str]], exported: set[str]) -> None:
    out.open("iati-activity", {"default-currency": project.currency, "hierarchy": str(depth + 1)})
    out.text("iati-identifier", project.iati_identifier or "")
    out.org("reporting-org", reporter)
    out.narrative("title", project.title)
    out.narrative("description", project.title, {"type": "1"})
    for party in funders:
        out.org("participating-org", party, role=FUNDING)
    executing = ledger.party_by_name.get(project.executing) if project.executing is not None else None
    out.org("participating-org", executing or reporter, role=ACCOUNTABLE)
    if executing is not None:
        out.org("participating-org", executing, role=IMPLEMENTING)
    out.empty("activity-status", {"code": _status(project, as_of)})
    for type_, day in _activity_dates(project, as_of, transactions):
        out.empty("activity-date", {"type": type_, "iso-date": day.isoformat()})
    if country:
        out.empty("recipient-country", {"code": country, "percentage": "100"})
    for budget in budgets:
        out.open("budget", {"type": budget.type})
        out.period(budget.first, budget.last)
        out.value(budget.value, budget.currency, budget.value_date)
        out.close("budget")
    for tranche, funder, currency in tranches:
        if tranche.due is None:
            continue
        out.open("planned-disbursement", {"type": ORIGINAL})
        out.period(tranche.due.first, tranche.due.last)
        out.value(tranche.amount, currency, tranche.due.last)
        if funder is not None:
            out.org("provider-org", funder)
        out.close("planned-disbursement")
    for transaction in transactions:
        out.open("transaction", {"ref": transaction.ref} if transaction.ref else None)
        out.empty("transaction-type", {"code": transaction.type})
        out.empty("transaction-date", {"iso-date": transaction.day.isoformat()})
        out.value(transaction.value, transaction.currency, transaction.day)
        if transaction.description:
            out.narrative("description", transaction.description)
        if transaction.provider is not None:
            out.org("provider-org", transaction.provider)
        out.close("transaction")
    parent = ledger.project_by_id.get(project.parent) if project.parent is not None else None
    if parent is not None and parent.iati_identifier:
        out.empty("related-activity", {"ref": parent.iati_identifier, "type": PARENT})
    for child in ledger.children.get(project.id, []):
        if child.id in exported and child.iati_identifier:
            out.empty("related-activity", {"ref": child.iati_identifier, "type": CHILD})
    conditions = [condition for tranche, _, currency in tranches for condition in _conditions(ledger, tranche, currency)]
    if conditions:
        out.open("conditions", {"attached": "1"})
        for type_, text in conditions:
            out.narrative("condition", text, {"type": type_})
        out.close("conditions")
    else:
        out.empty("conditions", {"attached": "0"})
    out.close("iati-activity")
