"""The tables of ledger format v1 as Pydantic models: one source of truth for validation and schema.

A model holds exactly the keys of its TOML table; where the entry stands in its file is kept
beside it (`Entry.at`), set by the loader when the entry is born.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, PrivateAttr, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from cndledger.format.currency import MINOR_UNITS
from cndledger.format.dates import LedgerDate, parse_date
from cndledger.read.locate import EntryPosition
from cndledger.format.problems import Location
from cndledger.format.rules import BrokenRule, at_most_one_value, some_figure
from cndledger.format.values import MAX_AMOUNT, parse_amount, parse_currency, parse_figure, parse_id, parse_share


def _rule(rule: Callable[[object], None]) -> Any:
    """A model's own rule across keys: the plain function of `rules.py`, its failure worded for Pydantic.

    The function is kept on the validator (`rule`): the plans' generator runs the same one."""

    def check(self: Entry) -> Entry:
        try:
            rule(self)
        except BrokenRule as broken:
            raise PydanticCustomError(broken.code, broken.message, {"key": broken.key}) from None
        return self

    check.rule = rule  # type: ignore[attr-defined]
    return model_validator(mode="after")(check)


# The JSON Schema of each value (`cndledger schema`); a TOML local date reaches a schema as its text.
_DATE_SCHEMA = {
    "type": "string", "pattern": r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
    "description": 'A date: 2005-02-15 (a TOML local date, or text), "2005-02" (a month) or "2004" (a year).',
}
_ID_SCHEMA = {"type": "string", "minLength": 1, "pattern": r"\S", "description": "An id: non-empty text."}
_AMOUNT_SCHEMA = {
    "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": int(MAX_AMOUNT),
    "description": "An amount above zero, as a bare number: 211_000 or 70000.50, with no more decimal places "
                   "than the currency's minor unit.",
}
_FIGURE_SCHEMA = {
    "type": "number", "exclusiveMinimum": -int(MAX_AMOUNT), "exclusiveMaximum": int(MAX_AMOUNT),
    "description": "An amount as a bare number; it may be zero or negative.",
}
_CURRENCY_SCHEMA = {"type": "string", "enum": sorted(MINOR_UNITS), "description": "An ISO 4217 currency code."}
_SHARE_SCHEMA = {"type": "number", "minimum": 0, "maximum": 1, "description": "A share from 0 to 1, such as 0.5."}

# Each type's rule is a plain function (`values.py`, `dates.py`), which the generated plans call too.
Id = Annotated[str, PlainValidator(parse_id), WithJsonSchema(_ID_SCHEMA)]
IdList = list[Id]
Amount = Annotated[Decimal, PlainValidator(parse_amount), WithJsonSchema(_AMOUNT_SCHEMA)]
SignedAmount = Annotated[Decimal, PlainValidator(parse_figure), WithJsonSchema(_FIGURE_SCHEMA)]
Date = Annotated[LedgerDate, PlainValidator(parse_date), WithJsonSchema(_DATE_SCHEMA)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(parse_currency), WithJsonSchema(_CURRENCY_SCHEMA)]
Share = Annotated[Decimal, PlainValidator(parse_share), WithJsonSchema(_SHARE_SCHEMA)]
Text = str


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True)
    kind: ClassVar[str]
    _file: str = PrivateAttr(default="")
    _position: EntryPosition = PrivateAttr(default_factory=lambda: EntryPosition(1))

    def place(self, file: str, position: EntryPosition) -> None:
        self._file = file
        self._position = position

    @property
    def at(self) -> Location:
        """The line of the entry's `[[table]]` header."""
        return Location(self._file, self._position.line)

    def at_key(self, key: str) -> Location:
        """The line of one of its keys (the header's where the key is absent)."""
        line, column = self._position.keys.get(key, (self._position.line, 0))
        return Location(self._file, line, column or None)

    @property
    def label(self) -> str:
        ident = getattr(self, "id", None)
        return f"[[{self.kind}]] '{ident}'" if ident else f"[[{self.kind}]]"


class Party(Entry):
    kind: ClassVar[str] = "party"
    id: Id
    name: Text
    aliases: IdList = []
    type: Literal["government", "multilateral", "private", "ngo", "academic", "other"] | None = None
    note: Text | None = None


class Project(Entry):
    kind: ClassVar[str] = "project"
    id: Id
    title: Text
    currency: Currency
    parent: Id | None = None
    budget: Amount | None = None
    start: Date | None = None
    end: Date | None = None
    executing: Id | None = None
    clusters: list[Text] = []
    note: Text | None = None


class Commitment(Entry):
    kind: ClassVar[str] = "commitment"
    id: Id
    project: Id
    party: Id
    date: Date
    amount: Amount
    currency: Currency | None = None
    instrument: Literal["grant", "trust-fund", "counterpart", "cost-sharing", "parallel", "other"] | None = None
    agreement: Text | None = None
    note: Text | None = None


class Tranche(Entry):
    kind: ClassVar[str] = "tranche"
    id: Id
    commitment: Id
    amount: Amount
    due: Date | None = None
    after: IdList = []
    not_before: Date | None = None
    requires: IdList = []
    min_spent: Share | None = None
    matched_by: Id | None = None
    note: Text | None = None


class Release(Entry):
    kind: ClassVar[str] = "release"
    commitment: Id
    date: Date
    amount: Amount
    id: Id | None = None
    tranche: Id | None = None
    currency: Currency | None = None
    reference: Text | None = None
    note: Text | None = None


class InKind(Entry):
    kind: ClassVar[str] = "inkind"
    id: Id
    project: Id
    party: Id
    description: Text
    nature: Literal["goods", "services"]
    start: Date
    end: Date | None = None
    value: Amount | None = None
    monthly_value: Amount | None = None
    currency: Currency | None = None
    basis: Text | None = None
    note: Text | None = None

    _one_value = _rule(at_most_one_value)


class Expense(Entry):
    kind: ClassVar[str] = "expense"
    project: Id
    date: Date
    amount: Amount
    id: Id | None = None
    cluster: Text | None = None
    category: Text | None = None
    currency: Currency | None = None
    note: Text | None = None


class Milestone(Entry):
    kind: ClassVar[str] = "milestone"
    id: Id
    project: Id
    title: Text
    due: Date | None = None
    done: Date | None = None
    note: Text | None = None


class Assertion(Entry):
    kind: ClassVar[str] = "assert"
    project: Id
    date: Date
    committed: SignedAmount | None = None
    released: SignedAmount | None = None
    outstanding: SignedAmount | None = None
    spent: SignedAmount | None = None
    available: SignedAmount | None = None
    source: Text | None = None
    note: Text | None = None

    _some_figure = _rule(some_figure)


TABLES: dict[str, type[Entry]] = {
    model.kind: model
    for model in (Party, Project, Commitment, Tranche, Release, InKind, Expense, Milestone, Assertion)
}
