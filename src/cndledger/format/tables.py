"""The table registry: one declaration per table kind of format v1, from which the rest is derived.

Each `Table` says its TOML name, the names of its record and its ledger list, and its keys in order:
each key's type of value, whether it is required (else its default), whether it is the entry's id,
what it names (a reference), and a line that says what it holds. From these come the Pydantic
models (`models.py`), the records and the ledger's lists (`records.py`, generated), the plans
(`plans.py`, generated), the JSON Schema (`schema.py`), the precision and reference checks, the
table names `add` knows, and the tables of docs/format.md. `scripts/generate_plans.py` writes the
generated files; tests/test_registry.py fails where a kind is missing from any of them.

Plain Python, no imports: reading a ledger never needs this module (the generated files carry what
they need), and the checks that do import it pay nothing for it.
"""

from __future__ import annotations

from typing import NamedTuple

# The types of value a key may hold (`models.py` gives each its Pydantic type, `values.py` its rule).
ID = "id"
ID_LIST = "id list"
TEXT = "text"
TEXT_LIST = "text list"
AMOUNT = "amount"  # above zero, within the currency's minor unit
FIGURE = "figure"  # an amount that may be zero or negative: an asserted figure
CREDIT = "credit"  # an amount that may be negative (a credit note), never zero, within the minor unit
DATE = "date"
CURRENCY = "currency"
SHARE = "share"
CHOICE = "choice"  # one of `Key.choices`
# Format v2: budgets, fiscal years, support costs.
MONTH = "month"  # a month of the year as a bare integer, 1 to 12
PERIOD = "period"  # a period label ("2005", "2005-Q3", "2005-02", "FY2005-06"), resolved by its project
DAY = "day"  # a date that must be a day (not a month or a year)
RATE = "rate"  # an exchange rate: above zero, at most 15 significant digits

LIST_TYPES = (ID_LIST, TEXT_LIST)
AMOUNT_TYPES = (AMOUNT, FIGURE, CREDIT)

# What a reference names: a table kind (its ids; a party's aliases too), or a cluster of the
# project the entry names (its `project` key).
CLUSTER = "cluster"


class Key(NamedTuple):
    name: str
    type: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()  # of a CHOICE
    is_id: bool = False  # the entry's id: unique within its kind across the ledger
    is_alias: bool = False  # other names of the entry, in the namespace of the ids of its kind
    refers: str | None = None  # the kind whose id it names (each, for a list), or CLUSTER
    named_as: str | None = None  # how a message names what it refers to; "the <kind>" unless said
    attribute: str | None = None  # the record's name for it, where the TOML key is a Python keyword (`from`)

    @property
    def field(self) -> str:
        """The name records and models give it: its `attribute`, else the key's own name."""
        return self.attribute or self.name

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES

    @property
    def is_amount(self) -> bool:
        return self.type in AMOUNT_TYPES

    @property
    def default(self) -> list[str] | None:
        """The value of an optional key left out: an empty list for a list, else none."""
        return [] if self.is_list else None

    @property
    def what(self) -> str:
        """What it refers to, as a message names it: "the party", "the parent project"."""
        return self.named_as or f"the {self.refers}"


class Rule(NamedTuple):
    """A rule across the keys of one entry: a function of `rules.py`, and the JSON Schema that says it."""

    function: str
    schema: dict[str, object]
    description: str


class Table(NamedTuple):
    kind: str  # the TOML table: [[kind]]
    record: str  # the class of its records (and of its model)
    ledger_list: str  # the Ledger's list of its entries
    description: str
    keys: tuple[Key, ...]
    rules: tuple[Rule, ...] = ()
    behaviour: str | None = None  # a class of `record.py` whose methods its records have besides their values

    def key(self, name: str) -> Key:
        return next(key for key in self.keys if key.name == name)

    @property
    def id_key(self) -> Key | None:
        return next((key for key in self.keys if key.is_id), None)

    @property
    def amount_keys(self) -> tuple[str, ...]:
        return tuple(key.field for key in self.keys if key.is_amount)

    @property
    def references(self) -> tuple[Key, ...]:
        return tuple(key for key in self.keys if key.refers is not None)


def _note() -> Key:
    return Key("note", TEXT, "Free text.")


def _currency() -> Key:
    return Key("currency", CURRENCY, "Its currency, if not its project's: converted into the project's at the "
                                     "ledger's rates.")


def _flow_currency() -> Key:
    return Key("currency", CURRENCY, "Its currency: always its commitment's (it may be omitted).")


def _rate() -> Key:
    return Key("rate", RATE, "The rate from its currency to its project's actually applied (a bank's rate): it "
                             "replaces the ledger's rate wherever it counts in that currency.")


FIGURE_KEYS = ("committed", "released", "outstanding", "spent", "available", "refunded", "pledged", "support_cost",
               "exchange_difference")

TABLES: tuple[Table, ...] = (
    Table("party", "Party", "parties", "An organisation that gives, receives or hosts.", (
        Key("id", ID, "Its id; references name it by id or by an alias.", required=True, is_id=True),
        Key("name", TEXT, "Its name.", required=True),
        Key("aliases", ID_LIST, "Former names or acronyms: a reference by an alias resolves to the party.",
            is_alias=True),
        Key("type", CHOICE, "What kind of organisation it is.",
            choices=("government", "multilateral", "private", "ngo", "academic", "other")),
        Key("iati_ref", TEXT, "Its IATI organisation identifier (XM-DAC-41123 for UNIDO), for `cndledger iati export`."),
        _note(),
    )),
    Table("project", "Project", "projects", "A project, or a programme (a project with children).", (
        Key("id", ID, "Its id, such as a project number.", required=True, is_id=True),
        Key("title", TEXT, "Its title.", required=True),
        Key("currency", CURRENCY, "The currency of its figures and entries.", required=True),
        Key("parent", ID, "The project it is part of: a parent's figures include its children's.",
            refers="project", named_as="the parent project"),
        Key("budget", AMOUNT, "Its budget."),
        Key("start", DATE, "When it starts."),
        Key("end", DATE, "When it ends."),
        Key("executing", ID, "The party that executes it.", refers="party"),
        Key("clusters", TEXT_LIST, "The names of the clusters its expenses may be attributed to."),
        Key("fiscal_year_start", MONTH, "The month its fiscal year starts in (7: July); default: its parent's, else 1."),
        Key("support_cost_rate", SHARE, "The share of each of its expenses charged as support cost (0.13); "
                                        "default: its parent's, else 0."),
        Key("iati_identifier", TEXT, "Its IATI activity identifier (its reporting organisation's identifier, a hyphen "
                                     "and its own), for `cndledger iati export`."),
        Key("recipient_country", TEXT, "The ISO 3166-1 alpha-2 code of the country it benefits (PK), for "
                                       "`cndledger iati export`."),
        _note(),
    )),
    Table("pledge", "Pledge", "pledges", "A party's non-binding announcement of funds to a project, never committed.", (
        Key("id", ID, "Its id.", required=True, is_id=True),
        Key("project", ID, "The project it is announced to.", required=True, refers="project"),
        Key("party", ID, "The party that pledges (by id or alias).", required=True, refers="party"),
        Key("date", DATE, "When it was announced.", required=True),
        Key("amount", AMOUNT, "How much it announces.", required=True),
        _currency(),
        _note(),
    )),
    Table("commitment", "Commitment", "commitments", "A party's binding promise of cash to a project.", (
        Key("id", ID, "Its id.", required=True, is_id=True),
        Key("project", ID, "The project it funds.", required=True, refers="project"),
        Key("party", ID, "The party that commits (by id or alias).", required=True, refers="party"),
        Key("date", DATE, "When it was made.", required=True),
        Key("amount", AMOUNT, "How much it commits.", required=True),
        _currency(),
        _rate(),
        Key("instrument", CHOICE, "How it is given.",
            choices=("grant", "trust-fund", "counterpart", "cost-sharing", "parallel", "other")),
        Key("agreement", TEXT, "The agreement it rests on."),
        Key("pledge", ID, "The pledge it fulfils: of the same project and party, in the same currency.",
            refers="pledge"),
        _note(),
    )),
    Table("tranche", "Tranche", "tranches",
          "One scheduled instalment of a commitment, with its release conditions.", (
        Key("id", ID, "Its id.", required=True, is_id=True),
        Key("commitment", ID, "The commitment it is an instalment of.", required=True, refers="commitment"),
        Key("amount", AMOUNT, "How much it releases.", required=True),
        _flow_currency(),
        Key("due", DATE, "When it is due."),
        Key("after", ID_LIST, "The tranches that must be fully released first.", refers="tranche"),
        Key("not_before", DATE, "The first day it may be released."),
        Key("requires", ID_LIST, "The milestones that must be done first.", refers="milestone"),
        Key("min_spent", SHARE, "The share of the cash released to the project so far that its expenses must reach."),
        Key("matched_by", ID, "A commitment whose release must accompany this one: a counterpart.",
            refers="commitment", named_as="the counterpart commitment"),
        _note(),
    )),
    Table("release", "Release", "releases",
          "Cash that actually arrived against a commitment (and, usually, a tranche).", (
        Key("commitment", ID, "The commitment it is released against.", required=True, refers="commitment"),
        Key("date", DATE, "When the cash arrived.", required=True),
        Key("amount", AMOUNT, "How much arrived.", required=True),
        Key("id", ID, "Its id.", is_id=True),
        Key("tranche", ID, "The tranche of the same commitment it releases.", refers="tranche"),
        _flow_currency(),
        _rate(),
        Key("reference", TEXT, "The statement or transfer reference."),
        _note(),
    )),
    Table("refund", "Refund", "refunds", "Cash that the project returned to the commitment's party.", (
        Key("commitment", ID, "The commitment whose cash it returns.", required=True, refers="commitment"),
        Key("date", DATE, "When the cash was returned; it never counts before its commitment.", required=True),
        Key("amount", AMOUNT, "How much was returned.", required=True),
        Key("id", ID, "Its id.", is_id=True),
        _flow_currency(),
        _rate(),
        Key("reference", TEXT, "The statement or transfer reference."),
        _note(),
    )),
    Table("decommitment", "Decommitment", "decommitments", "Part of a commitment cancelled from its date.", (
        Key("commitment", ID, "The commitment it cancels part of.", required=True, refers="commitment"),
        Key("date", DATE, "When the part was cancelled; it never counts before its commitment.", required=True),
        Key("amount", AMOUNT, "How much of the commitment is cancelled.", required=True),
        Key("id", ID, "Its id.", is_id=True),
        _flow_currency(),
        _rate(),
        Key("reference", TEXT, "The letter or amendment that cancels it."),
        _note(),
    )),
    Table("inkind", "InKind", "inkind", "A contribution in kind: goods or services, valued or not.", (
        Key("id", ID, "Its id.", required=True, is_id=True),
        Key("project", ID, "The project it contributes to.", required=True, refers="project"),
        Key("party", ID, "The party that contributes (by id or alias).", required=True, refers="party"),
        Key("description", TEXT, "What is contributed.", required=True),
        Key("nature", CHOICE, "Goods or services.", required=True, choices=("goods", "services")),
        Key("start", DATE, "When the contribution starts.", required=True),
        Key("end", DATE, "When it ends; open-ended without it."),
        Key("value", AMOUNT, "Its value for the whole contribution."),
        Key("monthly_value", AMOUNT, "Its value per month."),
        _currency(),
        _rate(),
        Key("basis", TEXT, "How the value was set."),
        _note(),
    ), rules=(
        Rule("at_most_one_value", {"not": {"required": ["value", "monthly_value"]}},
             "At most one of `value` and `monthly_value`; with neither, it is unvalued."),
    )),
    Table("expense", "Expense", "expenses", "Money spent by a project, optionally attributed to a cluster.", (
        Key("project", ID, "The project that spent it.", required=True, refers="project"),
        Key("date", DATE, "When it was spent.", required=True),
        Key("amount", CREDIT, "How much was spent; negative for a credit note or a correction, never zero.",
            required=True),
        Key("id", ID, "Its id.", is_id=True),
        Key("cluster", TEXT, "One of its project's clusters.", refers=CLUSTER),
        Key("category", TEXT, "A category of spending."),
        Key("reference", TEXT, "A voucher or invoice number."),
        _currency(),
        _rate(),
        _note(),
    )),
    Table("budget", "Budget", "budgets", "A line of a project's budget for a period, or a revision of its amount.", (
        Key("project", ID, "The project whose budget it is a line of.", required=True, refers="project"),
        Key("period", PERIOD, "The period it budgets, resolved by its project's fiscal year.", required=True),
        Key("amount", AMOUNT, "How much the line holds (as of `revision`, where given).", required=True),
        Key("category", TEXT, "The category of spending it budgets; every category without it."),
        Key("cluster", TEXT, "The cluster of its project it budgets; every cluster without it.", refers=CLUSTER),
        Key("revision", DAY, "The day of a revised amount; without it, the line's original amount."),
        _note(),
    )),
    Table("rate", "Rate", "rates", "An exchange rate on a day: one unit of `from` is worth `rate` units of `to`.", (
        Key("date", DAY, "The day it applies from (until a later rate of the pair).", required=True),
        Key("from", CURRENCY, "The currency it converts from.", required=True, attribute="from_currency"),
        Key("to", CURRENCY, "The currency it converts into.", required=True, attribute="to_currency"),
        Key("rate", RATE, "How many units of `to` one unit of `from` is worth.", required=True),
        Key("source", TEXT, "Where it comes from (UN operational rate of exchange)."),
        _note(),
    ), rules=(
        Rule("different_currencies", {}, "`from` and `to` are different currencies."),
    )),
    Table("milestone", "Milestone", "milestones", "A deliverable that a tranche's release can depend on.", (
        Key("id", ID, "Its id.", required=True, is_id=True),
        Key("project", ID, "The project that delivers it.", required=True, refers="project"),
        Key("title", TEXT, "What is delivered.", required=True),
        Key("due", DATE, "When it is due."),
        Key("done", DATE, "When it was done."),
        _note(),
    )),
    Table("assert", "Assertion", "asserts", "A figure from an outside statement that the ledger must reproduce.", (
        Key("project", ID, "The project whose figures it asserts.", required=True, refers="project"),
        Key("date", DATE, "The day the figures are as of.", required=True),
        *(Key(figure, FIGURE, f"The project's {figure} figure as of `date`, exactly.") for figure in FIGURE_KEYS),
        Key("source", TEXT, "The statement it comes from."),
        _note(),
    ), rules=(
        Rule("some_figure", {"anyOf": [{"required": [key]} for key in FIGURE_KEYS]},
             "At least one of " + ", ".join(f"`{key}`" for key in FIGURE_KEYS) + "."),
    ), behaviour="Asserted"),
)

BY_KIND: dict[str, Table] = {table.kind: table for table in TABLES}

_TYPE_NAMES = {
    ID: "id", ID_LIST: "list of ids", TEXT: "text", TEXT_LIST: "list of texts", AMOUNT: "amount",
    FIGURE: "amount (may be zero or negative)", CREDIT: "amount (negative for a credit, never zero)", DATE: "date",
    CURRENCY: "currency", SHARE: "share (0 to 1)", MONTH: "month (1 to 12)", PERIOD: "period", DAY: "day",
    RATE: "rate (above zero, at most 15 significant digits)",
}


def type_text(key: Key) -> str:
    """Its type as docs/format.md and `cndledger explain` say it: "id of `[[party]]` (an id or an alias)"."""
    if key.type == CHOICE:
        return "one of " + ", ".join(f"`{choice}`" for choice in key.choices)
    name = _TYPE_NAMES[key.type]
    if key.refers == CLUSTER:
        return f"{name}: a cluster of its project"
    if key.refers is not None:
        return f"{name} of `[[{key.refers}]]`" + (" (an id or an alias)" if key.refers == "party" else "")
    return name


def required_text(key: Key) -> str:
    """Whether it is required, as docs/format.md and `cndledger explain` say it."""
    if key.required:
        return "yes (its id)" if key.is_id else "yes"
    if key.is_list:
        return "no (default `[]`)"
    return "no (its id)" if key.is_id else "no"


def tables_with_key(name: str) -> list[tuple[Table, Key]]:
    """Each table that has a key of this name, with its key, in the registry's order."""
    return [(table, key) for table in TABLES for key in table.keys if key.name == name]
