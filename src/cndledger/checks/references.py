"""Every id defined once, every name resolved, no cycle of parents or of tranche order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, groupby
from operator import attrgetter
from typing import TypeVar

from cndledger.checks.check import Check
from cndledger.core.ledger import Ledger
from cndledger.format.codes import CYCLE, DUPLICATE_ID, UNRESOLVED_REF
from cndledger.format.problems import Problem
from cndledger.format.record import Record
from cndledger.format.records import Project, Tranche
from cndledger.format.suggest import did_you_mean

_ID, _PROJECT = map(attrgetter, ("id", "project"))


def duplicate_ids(ledger: Ledger) -> Iterator[Problem]:
    from cndledger.format.tables import TABLES  # the registry: the kinds with an id

    # A kind with aliases (the parties) has one namespace of ids and aliases: looked at below.
    for kind in [table.kind for table in TABLES
                 if table.id_key is not None and not any(key.is_alias for key in table.keys)]:
        entries = ledger.entries_of(kind)
        ids = list(map(_ID, entries))
        if not _any_repeated(ids):
            continue
        first: dict[str, Record] = {}
        for entry, ident in zip(entries, ids):
            if ident is None:
                continue
            if ident in first:
                yield DUPLICATE_ID.problem(f"{kind} id '{ident}' is used again (first at {first[ident].at})",
                                           entry.at_key("id"))
            else:
                first[ident] = entry
    names: dict[str, tuple[str, Record]] = {}  # party ids and aliases share one namespace
    for party in ledger.parties:
        for key, name in [("id", party.id)] + [("aliases", alias) for alias in party.aliases]:
            if name not in names:
                names[name] = ("id" if key == "id" else "alias", party)
                continue
            what, owner = names[name]
            if owner is not party:  # repeating one's own name is redundant, not ambiguous
                yield DUPLICATE_ID.problem(
                    f"party {'alias' if key == 'aliases' else 'id'} '{name}' is already the {what} "
                    f"of a party at {owner.at}", party.at_key(key))


def _any_repeated(ids: list[str | None]) -> bool:
    """Whether an id (not None) is in the list twice."""
    distinct = set(ids)
    distinct.discard(None)
    return len(distinct) != len(ids) - ids.count(None)


def unresolved_refs(ledger: Ledger) -> Iterator[Problem]:
    """Every reference the registry declares (`Key.refers`) names an entry the ledger defines."""
    from cndledger.format.tables import CLUSTER, TABLES

    known: dict[str, set[str]] = {}

    def names(kind: str) -> set[str]:
        # An entry that failed validation is reported already; references to it would mislead.
        if kind not in known:
            known[kind] = ledger.names_of(kind).keys() | ledger.unvalidated_names.get(kind, set())
        return known[kind]

    suggestions: dict[tuple[str, str], str] = {}  # by what is named, and the name: a misspelt name repeats

    def unresolved(entry: Record, key: str, what: str, name: str, names: Iterable[str]) -> Problem:
        if (what, name) not in suggestions:  # `what` says which names are known
            suggestions[(what, name)] = did_you_mean(name, names)
        return UNRESOLVED_REF.problem(f"{entry.label} names {what} '{name}', which the ledger does not define"
                                      f"{suggestions[(what, name)]}", entry.at_key(key))

    for table in TABLES:
        entries = ledger.entries_of(table.kind)
        for key in table.references:
            value_of = attrgetter(key.name)
            if key.refers == CLUSTER:
                if not _clusters_known(ledger, entries, value_of):
                    for entry in entries:
                        project, cluster = ledger.project_by_id.get(_PROJECT(entry)), value_of(entry)
                        if cluster is not None and project is not None and cluster not in project.clusters:
                            yield unresolved(entry, key.name, f"a cluster of project '{project.id}'", cluster,
                                             project.clusters)
                continue
            defined = names(key.refers or "")
            # Entries by the thousand: one pass in C each; one by one only where a name is unknown.
            values = map(value_of, entries)
            if defined.issuperset(chain.from_iterable(values) if key.is_list else
                                  values if key.required else filter(None, values)):
                continue
            for entry in entries:
                value = value_of(entry)
                for name in value if key.is_list else () if value is None else (value,):
                    if name not in defined:
                        yield unresolved(entry, key.name, key.what, name, defined)


def _clusters_known(ledger: Ledger, entries: list[Record], cluster_of: Callable[[Record], str | None]) -> bool:
    """Whether every entry that names a cluster names one its project has (where its project is known).

    Looked at run by run of one project (files keep a project's expenses together): one pass in C.
    """
    for project_id, run in groupby(entries, key=_PROJECT):
        project = ledger.project_by_id.get(project_id)
        if project is not None and not set(map(cluster_of, run)).issubset([None, *project.clusters]):
            return False
    return True


_Node = TypeVar("_Node", Project, Tranche)


def cycles(ledger: Ledger) -> Iterator[Problem]:
    yield from _cycles(ledger.projects, lambda p: [p.parent] if p.parent else [], ledger.project_by_id, "project", "parent")
    yield from _cycles(ledger.tranches, lambda t: t.after, ledger.tranche_by_id, "tranche", "after")


def _cycles(entries: Sequence[_Node], successors: Callable[[_Node], list[str]], by_id: Mapping[str, _Node],
            kind: str, key: str) -> Iterator[Problem]:
    """Report each cycle once, at the entry of the cycle that comes first in the ledger."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    reported: set[frozenset[str]] = set()
    for start in entries:
        if state.get(start.id):
            continue
        path: list[str] = []
        stack = [(start.id, iter(successors(start)))]
        state[start.id] = 1
        path.append(start.id)
        while stack:
            node, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if following not in by_id:
                continue
            if state.get(following) == 1:
                loop: list[str] = path[path.index(following):]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    first = min((by_id[name] for name in loop), key=lambda e: (e.at.file, e.at.line))
                    ring = " → ".join([*loop, following])
                    yield CYCLE.problem(f"{kind} '{first.id}' is part of a cycle of '{key}': {ring}", first.at_key(key))
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                stack.append((following, iter(successors(by_id[following]))))


CHECKS = (
    Check(duplicate_ids, DUPLICATE_ID),
    Check(unresolved_refs, UNRESOLVED_REF, needs_every_file=True),
    Check(cycles, CYCLE),
)
