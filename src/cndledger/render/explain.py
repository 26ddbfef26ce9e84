"""`cndledger explain`: one problem code, table, key or figure explained, or the list of them."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cndledger.core.examples import CheckedExample
from cndledger.format.codes import ERROR, Code
from cndledger.format.tables import required_text, type_text
from cndledger.render.problems import as_text

if TYPE_CHECKING:
    from cndledger.format.figures_doc import Figure
    from cndledger.format.glossary import Named
    from cndledger.format.tables import Key, Table

WIDTH = 88


def as_list(codes: Iterable[Code]) -> str:
    codes = list(codes)
    width = max(len(code.name) for code in codes)
    lines = ["Problem codes ('cndledger explain CODE' explains one; * stops every report):", ""]
    for code in codes:
        mark = "*" if code.fatal else " "
        lines.append(f"  {code.name:<{width}}  {code.severity.value:<7} {mark} {code.summary}")
    return "\n".join(lines) + "\n"


def as_text_page(code: Code, example: CheckedExample | None) -> str:
    effect = (f"An error of 'cndledger {code.command}', at a line of the file it reads: it exits 1." if code.command
              and code.severity is ERROR
              else f"A warning of 'cndledger {code.command}', at a line of the file it reads." if code.command
              else "An error that stops every report: no figures, exit 1." if code.fatal
              else "An error: reports still print their figures, and exit 1." if code.severity is ERROR
              else "A warning: 'cndledger check' reports it, and fails on it only with --strict.")
    out = [f"{code.name}: {code.summary}", f"  {effect}", ""]
    out += ["What it means", _paragraph(code.meaning), ""]
    out.append("Example")
    if example is not None:
        out += [f"  {example.name}:", _indented(example.text, 4), "",
                f"  'cndledger {code.command or 'check'} {example.name}' reports:", _indented(as_text(example.problems, example.line), 4),
                ""]
    else:
        out.append(_paragraph(code.setup or ""))
        out.append("")
    out += ["How to fix it", _paragraph(code.fix)]
    if code.fixed is not None:
        out += ["", "  Fixed:", _indented(code.fixed, 4)]
    return "\n".join(out).rstrip("\n") + "\n"


def _paragraph(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)


def _indented(text: str, spaces: int) -> str:
    return textwrap.indent(text.rstrip("\n"), " " * spaces)


def as_index(tables: Iterable[Table], figures: Iterable[Figure]) -> str:
    """The lines under the list of codes: the tables, the keys and the figures `explain` also explains."""
    out = [""]
    out.append(_listed("Tables ('cndledger explain TABLE'): ", (table.kind for table in tables)))
    out.append(textwrap.fill("Keys ('cndledger explain KEY'): any key of a table, such as min_spent, in each table "
                             "that has it.", WIDTH, subsequent_indent="  "))
    out.append(_listed("Figures ('cndledger explain FIGURE'): ", (figure.name for figure in figures)))
    return "\n".join(out) + "\n"


def as_named_page(name: str, named: Named) -> str:
    """Each thing the name is in the format: its table, its figure, its key in each table that has one."""
    pages = []
    if named.table is not None:
        pages.append(_table_page(named.table))
    if named.figure is not None:
        pages.append(_figure_page(named.figure))
    if named.keys:
        pages.append(_key_page(name, named.keys))
    return "\n".join(pages)


def _table_page(table: Table) -> str:
    out = [f"[[{table.kind}]]: a table of the ledger", _paragraph(table.description), "", "Keys (in this order)"]
    width = max(len(key.name) for key in table.keys)
    for key in table.keys:
        required = "required" if key.required else "optional"
        out.append(f"  {key.name:<{width}}  {required}  {type_text(key)}")
        out.append(textwrap.fill(key.description, WIDTH, initial_indent=" " * (width + 4),
                                 subsequent_indent=" " * (width + 4), break_on_hyphens=False))
    out += [_paragraph(f"And: {rule.description}") for rule in table.rules]
    out += ["", _paragraph("'cndledger explain KEY' explains one key; docs/format.md has every table.")]
    return "\n".join(out) + "\n"


def _key_page(name: str, keys: list[tuple[Table, Key]]) -> str:
    where = ", ".join(f"[[{table.kind}]]" for table, _ in keys)
    out = [f"{name}: a key of {where}"]
    for table, key in keys:
        out += ["", f"  In [[{table.kind}]]: {type_text(key)}; required: {required_text(key)}",
                textwrap.fill(key.description, WIDTH, initial_indent="    ", subsequent_indent="    ",
                              break_on_hyphens=False)]
    return "\n".join(out) + "\n"


def _figure_page(figure: Figure) -> str:
    out = [f"{figure.name}: a figure of each project ({figure.label}; 'cndledger balance' prints it)"]
    out += ["  For a project, in its currency, as of a day D (--as-of), counting its children:",
            _paragraph(figure.definition)]
    return "\n".join(out) + "\n"


def _listed(opening: str, names: Iterable[str]) -> str:
    return textwrap.fill(opening + ", ".join(names) + ".", WIDTH, subsequent_indent="  ", break_on_hyphens=False,
                         break_long_words=False)
