"""The tables of ledger format v1 as Pydantic models: one source of truth for validation and schema.

A model holds exactly the keys of its TOML table; where the entry stands in its file is kept
beside it (`Entry.at`), set by the loader when the entry is born.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, PrivateAttr, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from cndledger.currency import MINOR_UNITS
from cndledger.dates import LedgerDate, parse_date
from cndledger.locate import EntryPosition
from cndledger.problems import Location
from cndledger.values import MAX_AMOUNT, parse_amount


def _id(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected an id written as text in quotes")
    if not value.strip():
        raise ValueError("an id must not be empty")
    return value


def _currency(value: str) -> str:
    if value not in MINOR_UNITS:
        hint = " (write it in capitals)" if value.upper() in MINOR_UNITS else ""
        raise ValueError(f"'{value}' is not an ISO 4217 currency code{hint}")
    return value


def _share(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError("expected a share from 0 to 1, such as 0.5")
    share = Decimal(value)
    if not share.is_finite() or not 0 <= share <= 1:
        raise ValueError(f"expected a share from 0 to 1, such as 0.5, got {value}")
    return share


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

Id = Annotated[str, PlainValidator(_id), WithJsonSchema(_ID_SCHEMA)]
IdList = list[Id]
Amount = Annotated[Decimal, PlainValidator(parse_amount), WithJsonSchema(_AMOUNT_SCHEMA)]
SignedAmount = Annotated[Decimal, PlainValidator(lambda v: parse_amount(v, signed=True)), WithJsonSchema(_FIGURE_SCHEMA)]
Date = Annotated[LedgerDate, PlainValidator(parse_date), WithJsonSchema(_DATE_SCHEMA)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency), WithJsonSchema(_CURRENCY_SCHEMA)]
Share = Annotated[Decimal, PlainValidator(_share), WithJsonSchema(_SHARE_SCHEMA)]
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

    @model_validator(mode="after")
    def _one_value(self) -> InKind:
        if self.value is not None and self.monthly_value is not None:
            raise PydanticCustomError(
                "conflicting_keys", "give at most one of 'value' (for the whole contribution) and 'monthly_value'",
                {"key": "monthly_value"})
        return self


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


FIGURE_KEYS = ("committed", "released", "outstanding", "spent", "available")


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

    @model_validator(mode="after")
    def _some_figure(self) -> Assertion:
        if not self.asserted():
            raise PydanticCustomError(
                "missing_figure", "[[assert]] asserts no figure; give at least one of " + ", ".join(FIGURE_KEYS),
                {"key": "committed"})
        return self

    def asserted(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in FIGURE_KEYS if getattr(self, key) is not None}


TABLES: dict[str, type[Entry]] = {
    model.kind: model
    for model in (Party, Project, Commitment, Tranche, Release, InKind, Expense, Milestone, Assertion)
}
