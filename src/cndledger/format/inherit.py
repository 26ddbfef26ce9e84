"""Values a project inherits: its own where set, else its parent's (recursively), else the format's default
(`fiscal_year_start`: 1; `support_cost_rate`: 0)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")


def inherited(project_id: str, own: Mapping[str, V | None], parent_of: Mapping[str, str | None], default: V) -> V:
    """The project's own value, else the nearest ancestor's, else `default`. A ring of parents (a
    `parent-cycle` error elsewhere) ends the walk where it closes, at the default; so does an unknown parent."""
    seen = set()
    project: str | None = project_id
    while project is not None and project not in seen:
        value = own.get(project)
        if value is not None:
            return value
        seen.add(project)
        project = parent_of.get(project)
    return default


def inherited_all(projects: Iterable[str], own: Mapping[str, V | None], parent_of: Mapping[str, str | None],
                  default: V) -> dict[str, V]:
    """`inherited` for every project, each ancestor walked once however many descend from it."""
    resolved: dict[str, V] = {}
    for project_id in projects:
        walked: list[str] = []
        on_path: set[str] = set()
        project: str | None = project_id
        value = default
        while project is not None:
            if project in resolved:
                value = resolved[project]
                break
            if project in on_path:  # a ring: the default, as `inherited` gives
                break
            own_value = own.get(project)
            if own_value is not None:
                value = resolved[project] = own_value
                break
            walked.append(project)
            on_path.add(project)
            project = parent_of.get(project)
        for project in walked:
            resolved[project] = value
    return resolved
