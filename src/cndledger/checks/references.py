"""Every id defined once, every name resolved, no cycle of parents or of tranche order."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter

from cndledger.checks.check import Check
from cndledger.core.ledger import Ledger
from cndledger.format.codes import CYCLE, DUPLICATE_ID, UNRESOLVED_REF
from cndledger.format.problems import Problem
from cndledger.format.records import Record
from cndledger.format.suggest import did_you_mean

_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


def duplicate_ids(ledger: Ledger) -> Iterator[Problem]:
    for kind in ("project", "commitment", "tranche", "release", "inkind", "expense", "milestone"):
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
    def known(kind: str, valid: dict) -> set[str]:
        # An entry that failed validation is reported already; references to it would mislead.
        return valid.keys() | ledger.unvalidated_names.get(kind, set())

    suggestions: dict[tuple[str, str], str] = {}  # by what is named, and the name: a misspelt name repeats

    def unresolved(entry: Record, key: str, what: str, name: str, names) -> Problem:
        if (what, name) not in suggestions:  # `what` says which names are known
            suggestions[(what, name)] = did_you_mean(name, names)
        return UNRESOLVED_REF.problem(f"{entry.label} names {what} '{name}', which the ledger does not define"
                                      f"{suggestions[(what, name)]}", entry.at_key(key))

    projects, parties = known("project", ledger.project_by_id), known("party", ledger.party_by_name)
    commitments, tranches = known("commitment", ledger.commitment_by_id), known("tranche", ledger.tranche_by_id)
    milestones = known("milestone", ledger.milestone_by_id)
    for project in ledger.projects:
        if project.parent is not None and project.parent not in projects:
            yield unresolved(project, "parent", "the parent project", project.parent, projects)
        if project.executing is not None and project.executing not in parties:
            yield unresolved(project, "executing", "the party", project.executing, parties)
    # Entries by the thousand: each list is gone through one by one only where a name in it is unknown.
    funding = [*ledger.commitments, *ledger.inkind]
    if not (projects.issuperset(map(_PROJECT, funding)) and parties.issuperset(map(_PARTY, funding))):
        for entry in funding:
            if entry.project not in projects:
                yield unresolved(entry, "project", "the project", entry.project, projects)
            if entry.party not in parties:
                yield unresolved(entry, "party", "the party", entry.party, parties)
    expenses = ledger.expenses
    expenses_known = _expense_names_known(ledger, projects)
    others = [*ledger.milestones, *ledger.asserts]
    if not (expenses_known and projects.issuperset(map(_PROJECT, others))):
        for entry in [*expenses, *others]:
            if entry.project not in projects:
                yield unresolved(entry, "project", "the project", entry.project, projects)
    if not expenses_known:
        for expense in expenses:
            project = ledger.project_by_id.get(expense.project)
            if expense.cluster is not None and project is not None and expense.cluster not in project.clusters:
                yield unresolved(expense, "cluster", f"a cluster of project '{project.id}'", expense.cluster,
                                  project.clusters)
    for tranche in ledger.tranches:
        if tranche.commitment not in commitments:
            yield unresolved(tranche, "commitment", "the commitment", tranche.commitment, commitments)
        for after in tranche.after:
            if after not in tranches:
                yield unresolved(tranche, "after", "the tranche", after, tranches)
        for milestone in tranche.requires:
            if milestone not in milestones:
                yield unresolved(tranche, "requires", "the milestone", milestone, milestones)
        if tranche.matched_by is not None and tranche.matched_by not in commitments:
            yield unresolved(tranche, "matched_by", "the counterpart commitment", tranche.matched_by, commitments)
    for release in ledger.releases:
        if release.commitment not in commitments:
            yield unresolved(release, "commitment", "the commitment", release.commitment, commitments)
        if release.tranche is not None and release.tranche not in tranches:
            yield unresolved(release, "tranche", "the tranche", release.tranche, tranches)


def _expense_names_known(ledger: Ledger, projects: set[str]) -> bool:
    """Whether every expense names a known project, and a cluster its project has (if it names one).

    Looked at run by run of one project (files keep a project's expenses together): one pass in C.
    """
    for project_id, run in groupby(ledger.expenses, key=_PROJECT):
        if project_id not in projects:
            return False
        project = ledger.project_by_id.get(project_id)
        if project is not None and not set(map(_CLUSTER, run)).issubset([None, *project.clusters]):
            return False
    return True


def cycles(ledger: Ledger) -> Iterator[Problem]:
    yield from _cycles(ledger.projects, lambda p: [p.parent] if p.parent else [], ledger.project_by_id, "project", "parent")
    yield from _cycles(ledger.tranches, lambda t: t.after, ledger.tranche_by_id, "tranche", "after")


def _cycles(entries, successors, by_id, kind: str, key: str) -> Iterator[Problem]:
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
                loop = path[path.index(following):]
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
