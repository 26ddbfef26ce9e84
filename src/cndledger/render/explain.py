"""`cndledger explain`: one problem code explained, or the list of every code."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from cndledger.core.examples import CheckedExample
from cndledger.format.explanations import Explanation
from cndledger.render.problems import as_text

WIDTH = 88


def as_list(explanations: Iterable[Explanation]) -> str:
    explanations = list(explanations)
    width = max(len(explanation.code) for explanation in explanations)
    lines = ["Problem codes ('cndledger explain CODE' explains one; * stops every report):", ""]
    for explanation in explanations:
        mark = "*" if explanation.stops_reports else " "
        lines.append(f"  {explanation.code:<{width}}  {explanation.severity.value:<7} {mark} {explanation.summary}")
    return "\n".join(lines) + "\n"


def as_text_page(explanation: Explanation, example: CheckedExample | None) -> str:
    effect = ("An error that stops every report: no figures, exit 1." if explanation.stops_reports
              else "An error: reports still print their figures, and exit 1." if explanation.severity.value == "error"
              else "A warning: 'cndledger check' reports it, and fails on it only with --strict.")
    out = [f"{explanation.code}: {explanation.summary}", f"  {effect}", ""]
    out += ["What it means", _paragraph(explanation.meaning), ""]
    out.append("Example")
    if example is not None:
        out += [f"  {example.name}:", _indented(example.text, 4), "",
                f"  'cndledger check {example.name}' reports:", _indented(as_text(example.problems, example.line), 4),
                ""]
    else:
        out.append(_paragraph(explanation.setup or ""))
        out.append("")
    out += ["How to fix it", _paragraph(explanation.fix)]
    if explanation.fixed is not None:
        out += ["", "  Fixed:", _indented(explanation.fixed, 4)]
    return "\n".join(out).rstrip("\n") + "\n"


def _paragraph(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)


def _indented(text: str, spaces: int) -> str:
    return textwrap.indent(text.rstrip("\n"), " " * spaces)
