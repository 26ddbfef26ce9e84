"""The imports between cndledger's modules, read from the source with `ast`: every import counts, those
under `if TYPE_CHECKING:` and those inside functions included (a type-only cycle is still a tangle a
reader must hold in their head). No cycle, and the folders keep their layers (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cndledger"

# The folders, lowest first: a module may lean on the folders left of its own.
LAYERS = ("format", "read", "core", "checks", "render", "cli")
FRONT_ENDS = {"render", "cli"}
TERMINAL_LIBRARIES = {"typer", "rich", "click"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(name: str, tree: ast.Module) -> set[str]:
    """Every module an import anywhere in the tree names (absolute, whether cndledger's or not)."""
    is_package = MODULES[name].name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package holding this module
                base = name.split(".")[: len(name.split(".")) - node.level + is_package]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            names.add(stem)
            # `from cndledger.format import records` imports the module cndledger.format.records
            names.update(f"{stem}.{alias.name}" for alias in node.names if f"{stem}.{alias.name}" in MODULES)
    return names


IMPORTS = {name: imported_names(name, ast.parse(path.read_text(encoding="utf-8"), str(path)))
           for name, path in MODULES.items()}
GRAPH = {name: sorted(target for target in targets if target in MODULES and target != name)
         for name, targets in IMPORTS.items()}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import one another (Tarjan's strongly connected
    components, iteratively), written as the path of imports that closes it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root, imported in graph.items():
        if root in index:
            continue
        work = [(root, iter(imported))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    found = []
    for group in groups:  # the shortest cycle through each module of the group, each cycle once
        for cycle in sorted((cycle_within(graph, set(group), start) for start in group), key=lambda c: (len(c), c)):
            if not any(set(cycle) <= set(shown) for shown in found):
                found.append(cycle)
    return found


def cycle_within(graph: dict[str, list[str]], group: set[str], start: str) -> list[str]:
    """A shortest path of imports from `start` back to itself, within its group."""
    paths = {start: [start]}
    pending = [start]
    while pending:
        following = []
        for node in pending:
            for successor in graph[node]:
                if successor == start:
                    return [*paths[node], start]
                if successor in group and successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        pending = following
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def test_the_import_graph_is_read_from_every_module():
    assert "cndledger.core.ledger" in MODULES and "cndledger.format.records" in GRAPH
    assert "cndledger.format.problems" in GRAPH["cndledger.format.records"]


def test_the_cycle_finder_names_a_cycle_type_only_and_local_imports_included():
    source = {
        "cndledger.a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cndledger.b import B\n",
        "cndledger.b": "def f():\n    from cndledger import c\n",
        "cndledger.c": "import cndledger.a\n",
        "cndledger.d": "from cndledger.a import A\n",
    }
    graph = {name: sorted(target for target in _imports_of(name, text) if target in source)
             for name, text in source.items()}
    assert cycles(graph) == [["cndledger.a", "cndledger.b", "cndledger.c", "cndledger.a"]]


def _imports_of(name: str, text: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_imports_itself_back_through_others():
    found = cycles(GRAPH)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


KNOWN_LEAKS: set[str] = set()


def test_the_format_folder_imports_no_other_folder_of_cndledger():
    leaks = [f"{name} imports {target}" for name in MODULES if layer(name) == "format"
             for target in GRAPH[name] if layer(target) not in ("format", None) or target == "cndledger.__main__"]
    assert not set(leaks) - KNOWN_LEAKS, "\n".join(leaks)


def test_the_core_imports_no_front_end_nor_a_terminal_library():
    leaks = []
    for name in MODULES:
        if layer(name) in FRONT_ENDS or layer(name) is None:
            continue
        leaks += [f"{name} imports {target}" for target in GRAPH[name]
                  if layer(target) in FRONT_ENDS or target == "cndledger.__main__"]
        leaks += [f"{name} imports {target}" for target in sorted(IMPORTS[name])
                  if target.split(".")[0] in TERMINAL_LIBRARIES]
    assert not leaks, "\n".join(leaks)
