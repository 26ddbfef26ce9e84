"""The answer of `release-check`: a line per condition with ✓ or ✗, then the verdict; or JSON."""

from __future__ import annotations

from cndledger.core.conditions import ReleaseCheck
from cndledger.render import printable

MARKS = ("✓", "✗")
ASCII_MARKS = ("ok", "NO")


def as_dict(check: ReleaseCheck) -> dict[str, object]:
    return {
        "tranche": check.tranche.id, "on": check.on.isoformat(), "releasable": check.releasable,
        "conditions": conditions_as_list(check),
    }


def conditions_as_list(check: ReleaseCheck) -> list[dict[str, object]]:
    return [{"condition": c.name, "holds": c.holds, "detail": c.detail} for c in check.conditions]


def as_json(check: ReleaseCheck, *, ascii_only: bool = False) -> str:
    import json  # only for --json: a table needs none

    return json.dumps(as_dict(check), indent=2, ensure_ascii=ascii_only)


def as_text(check: ReleaseCheck, marks: tuple[str, str] = MARKS) -> str:
    width = max(len(condition.name) for condition in check.conditions)
    lines = [f"{marks[0] if c.holds else marks[1]} {c.name.ljust(width)}  {c.detail}" for c in check.conditions]
    lines.append(verdict(check))
    return printable("\n".join(lines) + "\n")


def verdict(check: ReleaseCheck) -> str:
    head = f"Tranche '{check.tranche.id}'"
    if check.releasable:
        return f"{head} may be released on {check.on}: every condition holds."
    failing = [condition.name for condition in check.failing]
    verb = "does" if len(failing) == 1 else "do"
    return f"{head} may not be released on {check.on}: {', '.join(failing)} {verb} not hold."
