"""Stream an IATI activity file into plain values: activities, transactions, budgets, planned disbursements.

One pass with `lxml.etree.iterparse`: each `iati-activity` is read when it ends and then freed, so a
file of any size is read in the memory of one activity. Every value carries the file and the line
(`sourceline`) of its element. Nothing here raises on bad data: XML that does not parse, a missing
value, an amount or a date that cannot be read, an unknown transaction type are `IatiProblem`s, and
the element they spoil is left out (never half read).

Versions 1.0x and 2.0x are both read. What 1.0x spells differently is normalised to 2.0x:
- transaction types, from letters to the 2.0x codes (`TRANSACTION_TYPE_FROM_1X`, below);
- organisation roles, from words to the 2.0x codes (`ORGANISATION_ROLE_FROM_1X`);
- names and titles, from the element's own text (1.0x) or its first `narrative` (2.0x).
Amounts are the exact `Decimal` of the text, sign included: negative (returned funds,
corrections) and zero values are kept as written; what they mean is for the import to decide.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from lxml import etree  # type: ignore[import-untyped,unused-ignore]  # no stubs: the iati extra has none

from cndledger.iati.problems import IatiProblem

# The IATI mapping of the 1.0x TransactionType letters to the 2.01 codes: IATI-Guidance,
# en/upgrades/integer-upgrade-to-2-01/2-01-changes.rst ("TransactionType: 1.0x / 2.01").
# 11 (incoming commitment), 12 (outgoing pledge) and 13 (incoming pledge) have no 1.0x letter:
# they were added in 2.01 (11) and 2.03 (12, 13). A 1.0x "C" is the reporter's own commitment
# to others, so 2 (outgoing commitment), not 11.
TRANSACTION_TYPE_FROM_1X = {
    "IF": "1",   # incoming funds
    "C": "2",    # commitment -> outgoing commitment
    "D": "3",    # disbursement
    "E": "4",    # expenditure
    "IR": "5",   # interest repayment -> interest payment
    "LR": "6",   # loan repayment
    "R": "7",    # reimbursement
    "QP": "8",   # purchase of equity
    "QS": "9",   # sale of equity
    "CG": "10",  # credit guarantee
}

# The 2.03 TransactionType codelist (tests/data/iati/codelists-2.03/TransactionType.xml).
TRANSACTION_TYPES = {
    "1": "incoming funds", "2": "outgoing commitment", "3": "disbursement", "4": "expenditure",
    "5": "interest payment", "6": "loan repayment", "7": "reimbursement", "8": "purchase of equity",
    "9": "sale of equity", "10": "credit guarantee", "11": "incoming commitment",
    "12": "outgoing pledge", "13": "incoming pledge",
}

# The same guidance page, "OrganisationRole: 1.0x / 2.01".
ORGANISATION_ROLE_FROM_1X = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}


class Organisation(NamedTuple):
    """A `reporting-org`, `participating-org`, `provider-org` or `receiver-org`."""

    ref: str | None
    name: str | None
    role: str | None = None  # participating-org only: the 2.0x OrganisationRole code
    activity_id: str | None = None  # participating-org/@activity-id, provider-/receiver-activity-id
    line: int = 0


class RelatedActivity(NamedTuple):
    type: str  # RelatedActivityType: 1 parent, 2 child, 3 sibling, 4 co-funded, 5 third party
    ref: str
    line: int


class Activity(NamedTuple):
    file: str
    line: int
    identifier: str
    reporting_org: Organisation | None
    title: str | None
    default_currency: str | None
    hierarchy: int | None
    related: tuple[RelatedActivity, ...]
    participating: tuple[Organisation, ...]
    recipient_countries: tuple[str, ...]


class Transaction(NamedTuple):
    file: str
    line: int
    activity: str  # the iati-identifier of its activity
    type: str  # the 2.0x TransactionType code
    type_as_written: str  # "D" in a 1.0x file, "3" in a 2.0x one
    value: Decimal
    currency: str  # the value's own, or the activity's default
    value_date: _dt.date | None
    transaction_date: _dt.date | None
    provider: Organisation | None
    receiver: Organisation | None


class Budget(NamedTuple):
    file: str
    line: int
    activity: str
    type: str | None  # BudgetType: 1 original, 2 revised
    status: str | None  # BudgetStatus: 1 indicative, 2 committed (2.02 on)
    period_start: _dt.date
    period_end: _dt.date
    value: Decimal
    currency: str
    value_date: _dt.date | None


class PlannedDisbursement(NamedTuple):
    file: str
    line: int
    activity: str
    type: str | None  # BudgetType
    period_start: _dt.date
    period_end: _dt.date | None  # optional in the standard
    value: Decimal
    currency: str
    value_date: _dt.date | None
    provider: Organisation | None
    receiver: Organisation | None


class ActivityFile(NamedTuple):
    file: str
    version: str | None  # iati-activities/@version, as written
    activities: tuple[Activity, ...]
    transactions: tuple[Transaction, ...]
    budgets: tuple[Budget, ...]
    planned_disbursements: tuple[PlannedDisbursement, ...]
    problems: tuple[IatiProblem, ...]


# xsd:decimal: no exponent, no thousands separator, no NaN or infinity.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
# xsd:date, optionally with a time zone; real 1.0x files also write a date-time here.
_DATE = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)"
    r"(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d\d:?\d\d)?\Z"
)


def read_activity_file(path: str | Path) -> ActivityFile:
    """Every record of one IATI activity file, and every problem found reading it."""
    activities: list[Activity] = []
    transactions: list[Transaction] = []
    budgets: list[Budget] = []
    planned: list[PlannedDisbursement] = []
    problems: list[IatiProblem] = []
    reader = _Reader(str(path))
    for item in reader.items():
        if isinstance(item, Transaction):
            transactions.append(item)
        elif isinstance(item, Budget):
            budgets.append(item)
        elif isinstance(item, PlannedDisbursement):
            planned.append(item)
        elif isinstance(item, Activity):
            activities.append(item)
        else:
            problems.append(item)
    return ActivityFile(
        reader.file, reader.version, tuple(activities), tuple(transactions), tuple(budgets),
        tuple(planned), tuple(problems),
    )


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.version: str | None = None

    def items(self) -> Iterator[Activity | Transaction | Budget | PlannedDisbursement | IatiProblem]:
        """Each record and problem in file order; the XML's own faults last, where parsing stopped."""
        try:
            # No entities resolved, no DTD, no network: a published file is data, not instructions.
            events = etree.iterparse(
                self.file, events=("start", "end"), resolve_entities=False, load_dtd=False,
                no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
            )
            root_seen = False
            for event, element in events:
                if not root_seen:
                    root_seen = True
                    if element.tag != "iati-activities":
                        yield self._problem(
                            element, "structure",
                            f"not an IATI activity file: its root element is <{_name(element)}>,"
                            " not <iati-activities>",
                        )
                        return
                    self.version = _attr(element, "version")
                    continue
                if event != "end" or element.tag != "iati-activity":
                    continue
                if element.getparent() is not None and element.getparent().tag == "iati-activities":
                    yield from self._activity(element)
                    # Free what is read: the element, and the empty shells before it.
                    element.clear(keep_tail=True)
                    parent = element.getparent()
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            line = error.lineno or (error.position[0] if error.position else 0) or 1
            yield IatiProblem(self.file, line, "xml", f"not well-formed XML: {_xml_message(error)}")
        except OSError as error:
            yield IatiProblem(self.file, 0, "xml", f"cannot read the file: {error.strerror or error}")

    def _problem(self, element, kind: str, message: str) -> IatiProblem:
        return IatiProblem(self.file, element.sourceline or 0, kind, message)

    def _activity(self, element) -> Iterator[Activity | Transaction | Budget | PlannedDisbursement | IatiProblem]:
        identifier = _text(element.find("iati-identifier"))
        if not identifier:
            yield self._problem(element, "missing", "an iati-activity without an iati-identifier: activity skipped")
            return
        default_currency = _attr(element, "default-currency")
        hierarchy_text = _attr(element, "hierarchy")
        hierarchy = int(hierarchy_text) if hierarchy_text and hierarchy_text.isdigit() else None
        related = []
        for node in element.iterfind("related-activity"):
            type_, ref = _attr(node, "type"), _attr(node, "ref")
            if type_ and ref:
                related.append(RelatedActivity(type_, ref, node.sourceline or 0))
            else:
                yield self._problem(node, "missing", "a related-activity without its type and ref: left out")
        participating = tuple(
            _org(node, role=_role(_attr(node, "role")), activity_id=_attr(node, "activity-id"))
            for node in element.iterfind("participating-org")
        )
        countries = tuple(code for node in element.iterfind("recipient-country") if (code := _attr(node, "code")))
        yield Activity(
            self.file, element.sourceline or 0, identifier, _organisation(element.find("reporting-org")),
            _narrative(element.find("title")), default_currency, hierarchy, tuple(related), participating,
            countries,
        )
        context = (identifier, default_currency)
        for child in element:
            tag = child.tag
            if tag == "transaction":
                yield from self._transaction(child, *context)
            elif tag == "budget":
                yield from self._budget(child, *context)
            elif tag == "planned-disbursement":
                yield from self._planned(child, *context)

    def _money(self, element, what: str, default_currency: str | None) -> tuple[Decimal, str, _dt.date | None] | IatiProblem:
        """The value of `element` (its `value` child): amount, currency, value-date; or why not."""
        node = element.find("value")
        if node is None:
            return self._problem(element, "missing", f"a {what} without a value: left out")
        text = (node.text or "").strip()
        if not text:
            return self._problem(node, "missing", f"a {what} whose value is empty: left out")
        if not _DECIMAL.match(text):
            return self._problem(node, "amount", f"a {what} whose value {text!r} is not a decimal number: left out")
        try:
            amount = Decimal(text)
        except InvalidOperation:  # the pattern admits only what Decimal reads; kept for safety
            return self._problem(node, "amount", f"a {what} whose value {text!r} is not a decimal number: left out")
        currency = _attr(node, "currency") or default_currency
        if not currency:
            return self._problem(
                node, "missing", f"a {what} with no currency, and its activity has no default-currency: left out"
            )
        value_date = self._date(node, "value-date", what)
        if isinstance(value_date, IatiProblem):
            return value_date
        return amount, currency, value_date

    def _date(self, node, attribute: str, what: str, text_too: bool = False) -> _dt.date | None | IatiProblem:
        """The date in `node`'s `attribute` (or, with `text_too`, in its text: 1.0x files may write it so)."""
        text = _attr(node, attribute)
        if text is None and text_too:
            text = _text(node)
        if text is None:
            return None
        match = _DATE.match(text)
        if match:
            try:
                return _dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        return self._problem(node, "date", f"a {what} whose {attribute} {text!r} is not a date (YYYY-MM-DD): left out")

    def _element_date(self, parent, tag: str, what: str) -> _dt.date | None | IatiProblem:
        """The `iso-date` of `parent`'s `tag` child."""
        node = parent.find(tag)
        if node is None:
            return None
        return self._date(node, "iso-date", f"{what} {tag}", text_too=True)

    def _transaction(self, element, activity: str, default_currency: str | None) -> Iterator[Transaction | IatiProblem]:
        type_node = element.find("transaction-type")
        written = _attr(type_node, "code") if type_node is not None else None
        if not written:
            yield self._problem(element, "missing", "a transaction without a transaction-type code: left out")
            return
        code = TRANSACTION_TYPE_FROM_1X.get(written.upper(), written)
        if code not in TRANSACTION_TYPES:
            yield self._problem(type_node, "code", f"a transaction whose type {written!r} is no TransactionType: left out")
            return
        money = self._money(element, "transaction", default_currency)
        if isinstance(money, IatiProblem):
            yield money
            return
        transaction_date = self._element_date(element, "transaction-date", "transaction")
        if isinstance(transaction_date, IatiProblem):
            yield transaction_date
            return
        amount, currency, value_date = money
        if transaction_date is None and value_date is None:
            yield self._problem(element, "missing", "a transaction with neither a transaction-date nor a value-date: left out")
            return
        yield Transaction(
            self.file, element.sourceline or 0, activity, code, written, amount, currency, value_date,
            transaction_date, _party(element, "provider-org"), _party(element, "receiver-org"),
        )

    def _period(self, element, what: str, end_required: bool):
        start = self._element_date(element, "period-start", what)
        if isinstance(start, IatiProblem):
            return start
        end = self._element_date(element, "period-end", what)
        if isinstance(end, IatiProblem):
            return end
        if start is None or (end is None and end_required):
            missing = "period-start" if start is None else "period-end"
            return self._problem(element, "missing", f"a {what} without a {missing} date: left out")
        return start, end

    def _budget(self, element, activity: str, default_currency: str | None) -> Iterator[Budget | IatiProblem]:
        period = self._period(element, "budget", end_required=True)
        if isinstance(period, IatiProblem):
            yield period
            return
        money = self._money(element, "budget", default_currency)
        if isinstance(money, IatiProblem):
            yield money
            return
        amount, currency, value_date = money
        yield Budget(
            self.file, element.sourceline or 0, activity, _attr(element, "type"), _attr(element, "status"),
            period[0], period[1], amount, currency, value_date,
        )

    def _planned(self, element, activity: str, default_currency: str | None) -> Iterator[PlannedDisbursement | IatiProblem]:
        period = self._period(element, "planned-disbursement", end_required=False)
        if isinstance(period, IatiProblem):
            yield period
            return
        money = self._money(element, "planned-disbursement", default_currency)
        if isinstance(money, IatiProblem):
            yield money
            return
        amount, currency, value_date = money
        yield PlannedDisbursement(
            self.file, element.sourceline or 0, activity, _attr(element, "type"), period[0], period[1],
            amount, currency, value_date, _party(element, "provider-org"), _party(element, "receiver-org"),
        )


def _attr(element, name: str) -> str | None:
    """An attribute's value, stripped; None where it is absent or blank."""
    value = element.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _text(element) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _narrative(element) -> str | None:
    """A name or title: its first non-empty narrative (2.0x), else its own text (1.0x)."""
    if element is None:
        return None
    for narrative in element.iterfind("narrative"):
        text = _text(narrative)
        if text:
            return text
    text = " ".join((element.text or "").split())
    return text or None


def _role(written: str | None) -> str | None:
    if written is None:
        return None
    return ORGANISATION_ROLE_FROM_1X.get(written.lower(), written)


def _org(element, role: str | None = None, activity_id: str | None = None) -> Organisation:
    return Organisation(_attr(element, "ref"), _narrative(element), role, activity_id, element.sourceline or 0)


def _organisation(element) -> Organisation | None:
    return None if element is None else _org(element)


def _party(transaction, tag: str) -> Organisation | None:
    node = transaction.find(tag)
    if node is None:
        return None
    return _org(node, activity_id=_attr(node, tag.replace("-org", "-activity-id")))


def _name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else str(element.tag)


def _xml_message(error: etree.XMLSyntaxError) -> str:
    message = str(error.msg or error)
    # lxml appends "(file, line N)"; the problem says where already.
    return re.sub(r",? ?\(.*line \d+.*\)\s*$", "", message).strip() or "syntax error"
