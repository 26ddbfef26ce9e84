"""Every check of ledger format v1 across entries; each returns its problems as values.

`check_ledger` runs them all, after the problems the loader found in the files themselves.
Unresolved references are not reported while any file failed to parse: they would mislead.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from itertools import compress, groupby, repeat
from operator import attrgetter, is_, mod
from decimal import Clamped, Decimal, localcontext

from cndledger.core import figures as fig
from cndledger.format.currency import format_amount, minor_unit
from cndledger.format.dates import LedgerDate, days_apart
from cndledger.core.ledger import Ledger
from cndledger.format.records import Project
from cndledger.format.records import VALUE_FIELDS, Record
from cndledger.format.problems import Problem, error, sort_key, warning
from cndledger.format.suggest import did_you_mean
from cndledger.format.values import needs_more_places

COUNTERPART_WINDOW_DAYS = 31
_ID, _PROJECT, _PARTY, _CURRENCY, _CLUSTER = map(attrgetter, ("id", "project", "party", "currency", "cluster"))
_DATE_FIRST = attrgetter("date.first")


def check_ledger(ledger: Ledger, as_of: _dt.date) -> list[Problem]:
    return sorted(ledger_problems(ledger) + dated_problems(ledger, as_of), key=sort_key)


def ledger_problems(ledger: Ledger) -> list[Problem]:
    """The problems found in reading, then every check that does not depend on the day (unsorted)."""
    problems = list(ledger.problems)
    problems += duplicate_ids(ledger)
    if not ledger.any_file_failed:
        problems += unresolved_refs(ledger)
    problems += cycles(ledger)
    problems += currencies(ledger)
    problems += precision(ledger)
    problems += sums_exceeded(ledger)
    problems += date_order(ledger)
    problems += tranche_commitments(ledger)
    problems += counterparts(ledger)
    if not any(problem.is_fatal for problem in problems):
        problems += failed_asserts(ledger)
    problems += outside_project_dates(ledger)
    return problems


def dated_problems(ledger: Ledger, as_of: _dt.date) -> list[Problem]:
    """The checks judged against the day: budgets as of it, tranches due before it (unsorted)."""
    return [*budget_warnings(ledger, as_of), *overdue_tranches(ledger, as_of)]


def _money(amount: Decimal, currency: str | None) -> str:
    return f"{format_amount(amount, currency or 'USD', grouping=True)}" + (f" {currency}" if currency else "")


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
                yield error("duplicate-id", f"{kind} id '{ident}' is used again (first at {first[ident].at})",
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
                yield error("duplicate-id", f"party {'alias' if key == 'aliases' else 'id'} '{name}' is already the {what} "
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
        return error("unresolved-ref", f"{entry.label} names {what} '{name}', which the ledger does not define"
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
                    yield error("cycle", f"{kind} '{first.id}' is part of a cycle of '{key}': {ring}", first.at_key(key))
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                stack.append((following, iter(successors(by_id[following]))))


def _effective_currency(ledger: Ledger, entry) -> tuple[str | None, Project | None]:
    """The currency an entry's amounts are in, and the project that gives it."""
    kind = entry.kind
    if kind == "release":
        project = ledger.commitment_project(entry.commitment)
    elif kind == "tranche":
        project = ledger.commitment_project(entry.commitment)
        return (project.currency if project else None), project
    elif kind == "project":
        return entry.currency, entry
    else:
        project = ledger.project_by_id.get(entry.project)
    own = getattr(entry, "currency", None)
    return (own or (project.currency if project else None)), project


def currencies(ledger: Ledger) -> Iterator[Problem]:
    projects = ledger.project_by_id
    for project in ledger.projects:
        parent = projects.get(project.parent) if project.parent else None
        if parent is not None and parent.currency != project.currency:
            yield error("currency-mismatch", f"project '{project.id}' is in {project.currency} but its parent "
                        f"'{parent.id}' (at {parent.at}) is in {parent.currency}; until exchange rates exist, "
                        "a child keeps its parent's currency", project.at_key("currency"))
    entries = [*ledger.commitments, *ledger.releases, *ledger.inkind, *ledger.expenses]
    for entry in compress(entries, map(_CURRENCY, entries)):  # those that name one (a code is never empty)
        _, project = _effective_currency(ledger, entry)
        if project is not None and entry.currency != project.currency:
            yield error("currency-mismatch", f"{entry.label} is in {entry.currency} but its project '{project.id}' "
                        f"(at {project.at}) is in {project.currency}; until exchange rates exist, entries keep "
                        "their project's currency", entry.at_key("currency"))


def precision(ledger: Ledger) -> Iterator[Problem]:
    amount_keys = {
        "project": ("budget",), "commitment": ("amount",), "tranche": ("amount",), "release": ("amount",),
        "inkind": ("value", "monthly_value"), "expense": ("amount",),
        "assert": ("committed", "released", "outstanding", "spent", "available"),
    }
    # No amount can have too many places for its currency without having too many for the ledger's
    # coarsest currency: only those entries are looked at closely.
    currencies = {project.currency for project in ledger.projects}
    for kind in amount_keys:
        if kind != "project" and "currency" in VALUE_FIELDS[kind]:  # a project's is counted above
            currencies.update(filter(None, map(attrgetter("currency"), ledger.entries_of(kind))))
    known = [places for places in map(minor_unit, currencies) if places is not None]
    if not known:
        return
    coarsest = min(known)
    for kind, keys in amount_keys.items():
        entries = ledger.entries_of(kind)
        suspect = set().union(*(map(id, _finer_than(entries, key, coarsest)) for key in keys))
        suspects = [entry for entry in entries if id(entry) in suspect] if suspect else []
        for entry in suspects:
            currency, _ = _effective_currency(ledger, entry)
            places = minor_unit(currency) if currency else None
            if places is None:
                continue
            for key in keys:
                amount = getattr(entry, key)
                if amount is not None and needs_more_places(amount, places):
                    yield error("bad-precision", f"'{key}' {amount} in {entry.label} has more decimal places than "
                                f"{currency} allows ({places})", entry.at_key(key))


def _finer_than(entries: list, key: str, places: int) -> list:
    """The entries whose amount at `key` has more than `places` decimal places."""
    amounts = list(map(attrgetter(key), entries))
    if not any(map(is_, amounts, repeat(None))):
        # Every entry has one (an amount below 10^18, validated): one exact remainder each, in C; usually
        # none is finer, and the first pass stops at the first that is. A remainder below the smallest
        # exponent comes out as 0 (clamped): then the places are counted one by one.
        step = Decimal(1).scaleb(-places)
        with localcontext() as context:
            context.clear_flags()
            if not any(map(mod, amounts, repeat(step))):
                if not context.flags[Clamped]:
                    return []
            else:
                finer = list(compress(entries, map(mod, amounts, repeat(step))))
                if not context.flags[Clamped]:
                    return finer
    return [entry for entry, amount in zip(entries, amounts) if amount is not None and needs_more_places(amount, places)]


def sums_exceeded(ledger: Ledger) -> Iterator[Problem]:
    tranches_of: dict[str, list] = {}
    for tranche in ledger.tranches:
        tranches_of.setdefault(tranche.commitment, []).append(tranche)
    for commitment_id, tranches in tranches_of.items():
        commitment = ledger.commitment_by_id.get(commitment_id)
        if commitment is None:
            continue
        total = Decimal(0)
        for tranche in tranches:
            total += tranche.amount
            if total > commitment.amount:
                currency = ledger.project_currency(commitment.project)
                yield error("tranches-exceed-commitment",
                            f"the tranches of commitment '{commitment.id}' (at {commitment.at}) add up to "
                            f"{_money(sum(t.amount for t in tranches), currency)}, more than its "
                            f"{_money(commitment.amount, currency)}", tranche.at_key("amount"))
                break
    yield from _releases_exceed(ledger, "commitment", ledger.commitment_by_id, "releases-exceed-commitment")
    yield from _releases_exceed(ledger, "tranche", ledger.tranche_by_id, "releases-exceed-tranche")


def _releases_exceed(ledger: Ledger, key: str, by_id, code: str) -> Iterator[Problem]:
    """Point at the release that, in date order, takes the total past the amount."""
    releases_of: dict[str, list] = {}
    for release in ledger.releases:
        target = getattr(release, key)
        if target is not None and target in by_id:
            releases_of.setdefault(target, []).append(release)
    for target_id, releases in releases_of.items():
        target = by_id[target_id]
        total = Decimal(0)
        for release in sorted(releases, key=lambda r: r.date):
            total += release.amount
            if total > target.amount:
                project = ledger.commitment_project(release.commitment)
                currency = project.currency if project else None
                yield error(code, f"releases against {key} '{target_id}' (at {target.at}) reach "
                            f"{_money(total, currency)} with this one, more than its {_money(target.amount, currency)}",
                            release.at_key("amount"))
                break


def date_order(ledger: Ledger) -> Iterator[Problem]:
    for release in ledger.releases:
        commitment = ledger.commitment_by_id.get(release.commitment)
        if commitment is not None and release.date.last < commitment.date.first:
            yield error("release-before-commitment", f"release dated {release.date} comes before its commitment "
                        f"'{commitment.id}' (at {commitment.at}), dated {commitment.date}", release.at_key("date"))
    for entry in [*ledger.inkind, *ledger.projects]:
        if entry.start is not None and entry.end is not None and entry.end.last < entry.start.first:
            yield error("end-before-start", f"{entry.label} ends ({entry.end}) before it starts ({entry.start})",
                        entry.at_key("end"))


def tranche_commitments(ledger: Ledger) -> Iterator[Problem]:
    for release in ledger.releases:
        tranche = ledger.tranche_by_id.get(release.tranche) if release.tranche else None
        if tranche is not None and tranche.commitment != release.commitment:
            yield error("tranche-commitment", f"release against commitment '{release.commitment}' names tranche "
                        f"'{tranche.id}' (at {tranche.at}), which belongs to commitment '{tranche.commitment}'",
                        release.at_key("tranche"))


def counterparts(ledger: Ledger) -> Iterator[Problem]:
    releases_of: dict[str, list] = {}
    for release in ledger.releases:
        releases_of.setdefault(release.commitment, []).append(release)
    for release in ledger.releases:
        tranche = ledger.tranche_by_id.get(release.tranche) if release.tranche else None
        if tranche is None or tranche.matched_by is None or tranche.matched_by not in ledger.commitment_by_id:
            continue
        matching = releases_of.get(tranche.matched_by, [])
        if not any(days_apart(release.date, other.date) <= COUNTERPART_WINDOW_DAYS for other in matching):
            counterpart = ledger.commitment_by_id[tranche.matched_by]
            yield error("unmatched-counterpart", f"tranche '{tranche.id}' was released on {release.date} but its "
                        f"counterpart commitment '{counterpart.id}' (at {counterpart.at}) has no release within "
                        f"{COUNTERPART_WINDOW_DAYS} days of it", release.at_key("date"))


def failed_asserts(ledger: Ledger) -> Iterator[Problem]:
    totals = fig.totals_as_of(ledger, [(assertion.project, assertion.date.last) for assertion in ledger.asserts])
    for assertion in ledger.asserts:
        figures = totals.get((assertion.project, assertion.date.last))
        if figures is None:
            continue
        currency = ledger.project_by_id[assertion.project].currency
        for name, asserted in assertion.asserted().items():
            computed = figures.figure(name)
            if computed != asserted:
                yield error("assert-failed", f"{name} of '{assertion.project}' as of {assertion.date}: asserted "
                            f"{_money(asserted, currency)}, computed {_money(computed, currency)}, difference "
                            f"{_money(computed - asserted, currency)}", assertion.at_key(name))


def budget_warnings(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    for figures in fig.balance(ledger, as_of, with_spent=False).projects:
        if figures.budget is not None and figures.committed > figures.budget:
            project, currency = figures.project, figures.project.currency
            yield warning("over-budget", f"project '{project.id}' has {_money(figures.committed, currency)} committed "
                          f"as of {as_of}, above its budget of {_money(figures.budget, currency)}",
                          project.at_key("budget") if project.budget is not None else project.at)


def outside_project_dates(ledger: Ledger) -> Iterator[Problem]:
    def outside(project: Project | None, when: LedgerDate) -> str | None:
        if project is None:
            return None
        if project.start is not None and when.last < project.start.first:
            return f"before project '{project.id}' starts ({project.start})"
        if project.end is not None and when.first > project.end.last:
            return f"after project '{project.id}' ends ({project.end})"
        return None

    # Only what falls outside a project's widest span can be outside its dates: a quick look first.
    spans = {project.id: (project.start.first if project.start else _dt.date.min,
                          project.end.last if project.end else _dt.date.max) for project in ledger.project_by_id.values()}
    expenses = _outside_spans(ledger.expenses, spans)
    dated = [(c, "date", ledger.project_by_id.get(c.project), c.date) for c in ledger.commitments]
    dated += [(r, "date", ledger.commitment_project(r.commitment), r.date) for r in ledger.releases]
    dated += [(e, "date", ledger.project_by_id.get(e.project), e.date) for e in expenses]
    dated += [(k, "start", ledger.project_by_id.get(k.project), k.start) for k in ledger.inkind]
    for entry, key, project, when in dated:
        if (reason := outside(project, when)) is not None:
            yield warning("outside-project-dates", f"{entry.label} dated {when} is {reason}", entry.at_key(key))


def _outside_spans(expenses: list, spans: dict[str, tuple[_dt.date, _dt.date]]) -> list:
    """The expenses of a project in `spans` whose date starts outside its span, in ledger order.

    Looked at run by run of one project (files keep a project's expenses together): the earliest
    and the latest day of a run are found in C, and a run is gone through only where one is outside.
    """
    outside = []
    for project_id, run in groupby(expenses, key=_PROJECT):
        if (span := spans.get(project_id)) is not None:
            run = list(run)
            firsts = list(map(_DATE_FIRST, run))
            if min(firsts) < span[0] or max(firsts) > span[1]:
                outside += [expense for expense, first in zip(run, firsts) if not span[0] <= first <= span[1]]
    return outside


def overdue_tranches(ledger: Ledger, as_of: _dt.date) -> Iterator[Problem]:
    released = fig.released_by_tranche(ledger, as_of)
    for tranche in ledger.tranches:
        if tranche.due is None or tranche.due.last >= as_of:
            continue
        got = released.get(tranche.id, Decimal(0))
        if got < tranche.amount:
            currency = ledger.project_currency(getattr(ledger.commitment_by_id.get(tranche.commitment), "project", ""))
            yield warning("tranche-overdue", f"tranche '{tranche.id}' was due {tranche.due} and has "
                          f"{_money(got, currency)} of {_money(tranche.amount, currency)} released as of {as_of}",
                          tranche.at_key("due"))
