"""Check an IATI activity document against the 2.03 standard: its XML Schema, then its codes.

The schema checks structure and types, not codes: `transaction-type/@code="99"` passes it. So each
coded attribute is also looked up in its codelist (`CODED_ATTRIBUTES`). Both kinds of fault come
back as `IatiProblem`s with the document's line, never as exceptions. Validation is lxml's
(`etree.XMLSchema`): the `xmlschema` package accepts some documents IATI's own should-fail tests
reject (text inside element-only elements).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped,unused-ignore]  # no stubs: the iati extra has none

from cndledger.iati.codelists import Codelists, load_codelists
from cndledger.iati.problems import IatiProblem

SCHEMA_FILE = "iati-activities-schema.xsd"

# (element, attribute) -> the codelist its value is drawn from, in the 2.03 activity standard.
# An attribute whose codelist is not in the folder given is not checked.
CODED_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("iati-activity", "default-currency"): "Currency",
    ("value", "currency"): "Currency",
    ("transaction-type", "code"): "TransactionType",
    ("reporting-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "type"): "OrganisationType",
    ("provider-org", "type"): "OrganisationType",
    ("receiver-org", "type"): "OrganisationType",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("related-activity", "type"): "RelatedActivityType",
    ("recipient-country", "code"): "Country",
    ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus",
    ("planned-disbursement", "type"): "BudgetType",
    ("condition", "type"): "ConditionType",
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


@lru_cache(maxsize=4)
def _schema(folder: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(folder) / SCHEMA_FILE), _parser()))


def load_schema(folder: str | Path) -> etree.XMLSchema:
    """The activity schema of `folder` (it includes `iati-common.xsd` and imports `xml.xsd` beside it)."""
    return _schema(str(Path(folder).resolve()))


def parse_document(source: str | Path | bytes, file: str | None = None):
    """(tree, problems): the parsed document, or None and why not. `file` names bytes in messages."""
    label = file or (str(source) if not isinstance(source, bytes) else "<document>")
    try:
        if isinstance(source, bytes):
            return etree.ElementTree(etree.fromstring(source, _parser())), []
        return etree.parse(str(source), _parser()), []
    except etree.XMLSyntaxError as error:
        return None, [IatiProblem(label, error.lineno or 1, "xml", f"not well-formed XML: {error.msg}")]
    except OSError as error:
        return None, [IatiProblem(label, 0, "xml", f"cannot read the file: {error.strerror or error}")]


def schema_problems(tree, schema: etree.XMLSchema, file: str) -> list[IatiProblem]:
    """Every departure of the document from the schema, at its line."""
    if schema.validate(tree):
        return []
    return [IatiProblem(file, error.line or 0, "schema", error.message) for error in schema.error_log]


def code_problems(tree, codelists: Codelists, file: str) -> list[IatiProblem]:
    """Every coded attribute whose value is not a current code of its codelist, at its line."""
    by_tag: dict[str, list[tuple[str, str]]] = {}
    for (tag, attribute), name in CODED_ATTRIBUTES.items():
        if name in codelists:
            by_tag.setdefault(tag, []).append((attribute, name))
    problems = []
    for element in tree.iter(*by_tag):
        for attribute, name in by_tag[element.tag]:
            value = element.get(attribute)
            if value is None:
                continue
            codelist = codelists[name]
            if value in codelist.codes:
                continue
            state = "a withdrawn code of" if value in codelist.withdrawn else "not in"
            problems.append(IatiProblem(
                file, element.sourceline or 0, "code",
                f"{element.tag}/@{attribute} {value!r} is {state} the {name} codelist",
            ))
    return problems


def validate(
    source: str | Path | bytes, schema_folder: str | Path, codelists: Codelists | str | Path,
    file: str | None = None,
) -> list[IatiProblem]:
    """Every problem of an activity document against the 2.03 schema and codelists, in line order."""
    label = file or (str(source) if not isinstance(source, bytes) else "<document>")
    tree, problems = parse_document(source, label)
    if tree is None:
        return problems
    if not isinstance(codelists, Codelists):
        codelists = load_codelists(codelists)
    problems = schema_problems(tree, load_schema(schema_folder), label) + code_problems(tree, codelists, label)
    return sorted(problems, key=lambda problem: problem.line)
