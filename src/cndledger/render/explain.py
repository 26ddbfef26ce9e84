"""`cndledger explain`: one problem code explained, or the list of every code."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from cndledger.core.examples import CheckedExample
from cndledger.format.codes import ERROR, Code
from cndledger.render.problems import as_text

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
    effect = ("An error that stops every report: no figures, exit 1." if code.fatal
              else "An error: reports still print their figures, and exit 1." if code.severity is ERROR
              else "A warning: 'cndledger check' reports it, and fails on it only with --strict.")
    out = [f"{code.name}: {code.summary}", f"  {effect}", ""]
    out += ["What it means", _paragraph(code.meaning), ""]
    out.append("Example")
    if example is not None:
        out += [f"  {example.name}:", _indented(example.text, 4), "",
                f"  'cndledger check {example.name}' reports:", _indented(as_text(example.problems, example.line), 4),
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
