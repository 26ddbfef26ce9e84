"""The IATI codelists of a folder (`<codelist name="...">` XML files), as code sets."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from lxml import etree  # type: ignore[import-untyped,unused-ignore]  # no stubs: the iati extra has none

from cndledger.iati.problems import IatiProblem


class Codelist(NamedTuple):
    name: str
    codes: frozenset[str]  # the codes in use
    withdrawn: frozenset[str]  # codes the list still holds with status="withdrawn"

    def __contains__(self, code: object) -> bool:
        return code in self.codes


class Codelists:
    """Codelists by name ("TransactionType"), and the files of the folder that are no codelist."""

    __slots__ = ("lists", "problems")

    def __init__(self, lists: dict[str, Codelist], problems: tuple[IatiProblem, ...]) -> None:
        self.lists = lists
        self.problems = problems

    def __getitem__(self, name: str) -> Codelist:
        return self.lists[name]

    def __contains__(self, name: object) -> bool:
        return name in self.lists

    def get(self, name: str) -> Codelist | None:
        return self.lists.get(name)


def load_codelists(folder: str | Path) -> Codelists:
    """Every `*.xml` codelist in `folder`, by name; a file that is none is a problem, not an exception."""
    lists: dict[str, Codelist] = {}
    problems: list[IatiProblem] = []
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    for path in sorted(Path(folder).glob("*.xml")):
        try:
            root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError as error:
            problems.append(IatiProblem(str(path), error.lineno or 1, "xml", f"not well-formed XML: {error.msg}"))
            continue
        except OSError as error:
            problems.append(IatiProblem(str(path), 0, "xml", f"cannot read the file: {error.strerror or error}"))
            continue
        if root.tag != "codelist":
            problems.append(IatiProblem(str(path), root.sourceline or 1, "structure", "not an IATI codelist"))
            continue
        name = root.get("name") or path.stem
        codes: set[str] = set()
        withdrawn: set[str] = set()
        for item in root.iter("codelist-item"):
            code = (item.findtext("code") or "").strip()
            if code:
                (withdrawn if item.get("status") == "withdrawn" else codes).add(code)
        lists[name] = Codelist(name, frozenset(codes), frozenset(withdrawn))
    return Codelists(lists, tuple(problems))
