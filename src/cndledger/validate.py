"""Validating entries with the models' own rules, fast: Pydantic only where it has something to say.

A plan is read once from each model (`models.py` stays the one source of truth): the keys it
allows and requires, each field's defaults, the function each field's type runs (the same
functions Pydantic calls: `parse_amount`, `parse_date`, the id rule...), the model's own rules
across keys. An entry that the plan accepts is built straight into its record (`records.py`);
any other entry, or a model the plan cannot read, goes to Pydantic, whose verdict and messages
stand. The plan only ever says yes where Pydantic would, with the same values
(`test_fast_paths` checks it on generated entries).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Annotated, Literal, Union, get_args, get_origin

from pydantic import AfterValidator, PlainValidator, WithJsonSchema
from pydantic.fields import FieldInfo

from cndledger.dates import parse_date
from cndledger.models import Entry


class Refused(Exception):
    """The plan cannot vouch for this value: Pydantic must judge it."""


Convert = Callable[[object], object]


def _refuse(value: object) -> object:
    raise Refused


def _text(value: object) -> object:
    if type(value) is not str:
        raise Refused
    return value


def _optional(inner: Convert) -> Convert:
    if inner is _refuse:
        return _refuse
    return lambda value: None if value is None else inner(value)


def _list_of(item: Convert) -> Convert:
    def convert(value: object) -> object:
        if type(value) is not list:
            raise Refused
        return [item(element) for element in value]

    return convert


def _one_of(options: frozenset[str]) -> Convert:
    def convert(value: object) -> object:
        if type(value) is not str or value not in options:
            raise Refused
        return value

    return convert


def _matching(inner: Convert, pattern: re.Pattern[str]) -> Convert:
    def convert(value: object) -> object:
        value = inner(value)
        # Pydantic's regular expressions are not Python's: say yes only to plain one-line text.
        if not (isinstance(value, str) and value.isascii() and value.isprintable() and pattern.search(value)):
            raise Refused
        return value

    return convert


def _then(inner: Convert, after: list[Callable]) -> Convert:
    def convert(value: object) -> object:
        value = inner(value)
        for function in after:
            value = function(value)
        return value

    return convert


def _remembered(function: Callable) -> Convert:
    """For a pure function of a few distinct values (dates): each answer once, shared.

    Answers are kept by value only where the function gave one: a date never equals a text, and
    values that are equal across types (1, True, 1.0) are all refused by it, so never kept."""
    answers: dict[object, object] = {}

    def convert(value: object) -> object:
        try:
            return answers[value]
        except KeyError:
            answer = answers[value] = function(value)
            return answer
        except TypeError:  # unhashable: a list or a table
            return function(value)

    return convert


_PURE = {parse_date}  # validators whose answers may be remembered and shared


def _converter(annotation: object) -> Convert:
    """The conversion the annotation asks Pydantic for, or `_refuse` where it asks for more than we know."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        plain, after, pattern = None, [], None
        for item in metadata:
            if isinstance(item, PlainValidator):
                plain = item.func
            elif isinstance(item, AfterValidator):
                after.append(item.func)
            elif isinstance(item, WithJsonSchema):
                continue
            elif isinstance(item, FieldInfo) and _only_a_pattern(item) is not None:
                pattern = re.compile(_only_a_pattern(item))
            else:
                return _refuse
        if plain is not None:
            convert = _remembered(plain) if plain in _PURE else plain
        else:
            convert = _converter(base)
            if pattern is not None:
                convert = _matching(convert, pattern)
        return _then(convert, after) if after else convert
    if origin in (Union, types.UnionType):
        options = get_args(annotation)
        others = [option for option in options if option is not type(None)]
        if len(others) == 1 and len(options) == 2:
            return _optional(_converter(others[0]))
        return _refuse
    if origin is list:
        (item,) = get_args(annotation)
        return _list_of(_converter(item))
    if origin is Literal:
        options = get_args(annotation)
        return _one_of(frozenset(options)) if all(type(option) is str for option in options) else _refuse
    if annotation is str:
        return _text
    return _refuse


def _without_none(annotation: object) -> object | None:
    """X, where the annotation is `X | None`; else None."""
    if get_origin(annotation) in (Union, types.UnionType):
        options = get_args(annotation)
        others = [option for option in options if option is not type(None)]
        if len(others) == 1 and len(options) == 2:
            return others[0]
    return None


def _only_a_pattern(info: FieldInfo) -> str | None:
    """The pattern of a `Field(pattern=...)` that says nothing else."""
    constraints = [item for item in info.metadata]
    if len(constraints) != 1 or getattr(constraints[0], "pattern", None) is None:
        return None
    others = {key: value for key, value in vars(constraints[0]).items() if key != "pattern" and value is not None}
    return None if others else constraints[0].pattern


_MISSING = object()


def _refuse_entry(item: dict, source: object, index: int, strings: dict[str, str]) -> object:
    raise Refused


class Plan:
    """How to build an entry of one model without Pydantic, where the entry is plainly valid."""

    def __init__(self, model: type[Entry]) -> None:
        hints = typing.get_type_hints(model, include_extras=True)
        self.fields = tuple(model.model_fields)
        self.allowed = frozenset(self.fields)
        self.required = frozenset(name for name, info in model.model_fields.items() if info.is_required())
        self.nullable = frozenset(name for name in self.fields if _without_none(hints[name]) is not None)
        self.converters = {name: _converter(_without_none(hints[name]) or hints[name]) for name in self.fields}
        self.defaults = {name: info.get_default(call_default_factory=True)
                         for name, info in model.model_fields.items() if not info.is_required()}
        self.fresh = [name for name, value in self.defaults.items() if isinstance(value, (list, dict, set))]
        decorators = model.__pydantic_decorators__
        self.after = [decorator.func for decorator in decorators.model_validators.values()
                      if decorator.info.mode == "after"]
        config = model.model_config
        self.usable = (
            config.get("extra") == "forbid"
            and not decorators.field_validators and not decorators.validators and not decorators.root_validators
            and all(decorator.info.mode == "after" for decorator in decorators.model_validators.values())
            and all(info.alias is None and info.validation_alias is None for info in model.model_fields.values())
        )

    @property
    def complete(self) -> bool:
        """Whether every field can be judged here (else its entries all go to Pydantic)."""
        return self.usable and all(convert is not _refuse for convert in self.converters.values())

    def builder(self, record: type[tuple]) -> Callable[[dict, object, int, dict[str, str]], object]:
        """A function (item, source, index, strings) -> the record (a named tuple) of a plainly valid entry.

        It raises `Refused`, or the error of a field's own function, where Pydantic must judge.
        Texts are interned in `strings`: ids repeat thousands of times, and one object each is
        less memory and less to cache. The function is written out field by field, as dataclasses
        write `__init__`: a loop over the keys costs twice as much, and it runs once per entry.
        """
        if not self.usable:
            return _refuse_entry
        names: dict[str, object] = {"Refused": Refused, "MISSING": _MISSING, "record": record, "new": tuple.__new__,
                                    "allowed": self.allowed, "required": self.required}
        lines = [
            "def build(item, source, index, strings):",
            "    if not (item.keys() <= allowed and required <= item.keys()):",
            "        raise Refused",
            "    get, intern = item.get, strings.setdefault",
        ]
        for number, name in enumerate(self.fields):
            value, convert = f"v{number}", self.converters[name]
            names[f"c{number}"], names[f"d{number}"] = convert, self.defaults.get(name)
            lines.append(f"    value = get({name!r}, MISSING)")
            if name in self.required:
                lines.append("    if value is None:" if name in self.nullable else "    if False:")
            else:
                default = f"d{number}.copy()" if name in self.fresh else f"d{number}"
                lines += ["    if value is MISSING:", f"        {value} = {default}",
                          "    elif value is None:" if name in self.nullable else "    elif False:"]
            lines.append(f"        {value} = None")
            if convert is _text:
                lines += ["    elif value.__class__ is str:", f"        {value} = intern(value, value)",
                          "    else:", "        raise Refused"]
            else:
                lines += ["    else:", f"        {value} = c{number}(value)",
                          f"        if {value}.__class__ is str:", f"            {value} = intern({value}, {value})"]
        values = "".join(f", v{n}" for n in range(len(self.fields)))
        lines.append(f"    return new(record, (source, index{values}))")
        exec("\n".join(lines), names)  # noqa: S102 - our own code, from the model's field names
        return names["build"]

    def check(self, record: object) -> None:
        """The model's own rules across keys (raise where one does not hold)."""
        for rule in self.after:
            rule(record)
