"""The tables of ledger format v1 as Pydantic models: one source of truth for validation and schema.

Each model is built from its table's declaration in the registry (`tables.py`): a model holds
exactly the keys of its TOML table, each of the Pydantic type of its type of value.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from cndledger.format import rules, tables
from cndledger.format.currency import MINOR_UNITS
from cndledger.format.dates import LedgerDate, parse_date, parse_day
from cndledger.format.periods import parse_fiscal_year_start, parse_period_label
from cndledger.format.rules import BrokenRule
from cndledger.format.values import (
    MAX_AMOUNT,
    parse_amount,
    parse_credit,
    parse_currency,
    parse_figure,
    parse_id,
    parse_rate,
    parse_share,
)


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
_CREDIT_SCHEMA = {
    "type": "number", "exclusiveMinimum": -int(MAX_AMOUNT), "exclusiveMaximum": int(MAX_AMOUNT), "not": {"const": 0},
    "description": "An amount as a bare number, never zero: negative for a credit note or a correction.",
}
_CURRENCY_SCHEMA = {"type": "string", "enum": sorted(MINOR_UNITS), "description": "An ISO 4217 currency code."}
_RATE_SCHEMA = {"type": "number", "exclusiveMinimum": 0,
                "description": "An exchange rate above zero, as a bare number of at most 15 significant digits: 59.72."}
_SHARE_SCHEMA = {"type": "number", "minimum": 0, "maximum": 1, "description": "A share from 0 to 1, such as 0.5."}

# Each type's rule is a plain function (`values.py`, `dates.py`), which the generated plans call too.
Id = Annotated[str, PlainValidator(parse_id), WithJsonSchema(_ID_SCHEMA)]
IdList = list[Id]
Amount = Annotated[Decimal, PlainValidator(parse_amount), WithJsonSchema(_AMOUNT_SCHEMA)]
SignedAmount = Annotated[Decimal, PlainValidator(parse_figure), WithJsonSchema(_FIGURE_SCHEMA)]
CreditAmount = Annotated[Decimal, PlainValidator(parse_credit), WithJsonSchema(_CREDIT_SCHEMA)]
Date = Annotated[LedgerDate, PlainValidator(parse_date), WithJsonSchema(_DATE_SCHEMA)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(parse_currency), WithJsonSchema(_CURRENCY_SCHEMA)]
Share = Annotated[Decimal, PlainValidator(parse_share), WithJsonSchema(_SHARE_SCHEMA)]
Rate = Annotated[Decimal, PlainValidator(parse_rate), WithJsonSchema(_RATE_SCHEMA)]
Text = str
_MONTH_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 12,
                 "description": "A month of the year as a bare number: 7 for July."}
_PERIOD_SCHEMA = {
    "type": "string", "pattern": r"^([0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?|FY[0-9]{4}(-[0-9]{2})?)$",
    "description": 'A period: "2005" (a year), "2005-Q3" (a quarter), "2005-02" (a month), "FY2005-06" (a fiscal '
                   'year from a month other than January) or "FY2005" (one from January).',
}
_DAY_SCHEMA = {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
               "description": "A day: 2005-02-15 (a TOML local date, or text)."}
Month = Annotated[int, PlainValidator(parse_fiscal_year_start), WithJsonSchema(_MONTH_SCHEMA)]
PeriodLabel = Annotated[str, PlainValidator(parse_period_label), WithJsonSchema(_PERIOD_SCHEMA)]
Day = Annotated[LedgerDate, PlainValidator(parse_day), WithJsonSchema(_DAY_SCHEMA)]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True)
    kind: ClassVar[str]


# The Pydantic type of each type of value of the registry.
_TYPES: dict[str, Any] = {
    tables.ID: Id, tables.ID_LIST: IdList, tables.TEXT: Text, tables.TEXT_LIST: list[Text],
    tables.AMOUNT: Amount, tables.FIGURE: SignedAmount, tables.CREDIT: CreditAmount, tables.DATE: Date,
    tables.CURRENCY: Currency, tables.SHARE: Share, tables.MONTH: Month, tables.PERIOD: PeriodLabel, tables.DAY: Day,
    tables.RATE: Rate,
}


def _annotation(key: tables.Key) -> Any:
    kind = Literal[key.choices] if key.type == tables.CHOICE else _TYPES[key.type]
    kind = kind if key.required or key.is_list else kind | None
    # A key named as a Python keyword (`from`) is a field of another name, read from the key.
    return kind if key.attribute is None else Annotated[kind, Field(alias=key.name)]


def _model(table: tables.Table) -> type[Entry]:
    """The model of a table: its keys as fields in the registry's order, its rules as validators."""
    namespace: dict[str, Any] = {
        "__module__": __name__, "__qualname__": table.record, "kind": table.kind,
        "__annotations__": {"kind": ClassVar[str], **{key.field: _annotation(key) for key in table.keys}},
    }
    namespace.update({key.field: key.default for key in table.keys if not key.required})
    namespace.update({f"_{rule.function}": _rule(getattr(rules, rule.function)) for rule in table.rules})
    model = types.new_class(table.record, (Entry,), exec_body=lambda body: body.update(namespace))  # a class statement
    return cast("type[Entry]", model)


TABLES: dict[str, type[Entry]] = {table.kind: _model(table) for table in tables.TABLES}
globals().update({model.__name__: model for model in TABLES.values()})  # models.Party, models.InKind...
