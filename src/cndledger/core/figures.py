"""The figures of the reports: what each project committed, released, spent, in kind, per party.

Everything here is as of a day D and in the project's currency; a parent's figures include its
children's. When an entry counts, in which currency, how sums are made and how the tree rolls up
are `counting`'s: this module only lays its answers out per project.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import accumulate, compress, groupby
from operator import attrgetter, itemgetter

from cndledger.core import counting
from cndledger.core.counting import ZERO, difference, money, total
from cndledger.core.ledger import Ledger
from cndledger.format.records import Commitment, Decommitment, Expense, Project, Refund, Release

_PROJECT, _AMOUNT = attrgetter("project"), attrgetter("amount")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


# Plain classes, not dataclasses: the command starts without importing `dataclasses` (docs/performance.md).
class PartyFigures:
    """What one party committed to a project and released to it (its children included)."""

    __slots__ = ("party", "committed", "released", "outstanding_value")

    def __init__(self, party: str, committed: Decimal = ZERO, released: Decimal = ZERO,
                 outstanding_value: Decimal | None = None) -> None:
        self.party = party
        self.committed = committed
        self.released = released
        self.outstanding_value = outstanding_value  # revalued on the day, where amounts convert

    @property
    def outstanding(self) -> Decimal:
        if self.outstanding_value is not None:
            return self.outstanding_value
        return difference(self.committed, self.released)

    def __repr__(self) -> str:
        return f"PartyFigures({self.party!r}, committed={self.committed}, released={self.released})"


class Totals:
    """A project's committed (net of decommitments), released, refunded, spent and support cost as of a
    day, its children included."""

    __slots__ = ("committed", "released", "spent", "refunded", "pledged", "support_cost", "outstanding_value")

    def __init__(self, *, committed: Decimal = ZERO, released: Decimal = ZERO, spent: Decimal = ZERO,
                 refunded: Decimal = ZERO, pledged: Decimal = ZERO, support_cost: Decimal = ZERO,
                 outstanding_value: Decimal | None = None) -> None:
        self.committed = committed
        self.released = released
        self.spent = spent
        self.refunded = refunded
        self.pledged = pledged  # pledges not (yet) fulfilled by commitments
        self.support_cost = support_cost  # of the expenses counting, at the rate of each one's own project
        # Where amounts convert: each commitment's unreleased amount, in its own currency, revalued on the day.
        self.outstanding_value = outstanding_value

    @property
    def outstanding(self) -> Decimal:
        if self.outstanding_value is not None:
            return self.outstanding_value
        return difference(self.committed, self.released)

    @property
    def exchange_difference(self) -> Decimal:
        """committed − released − outstanding: zero where every commitment is in the figures' currency,
        else the loss (above zero) or gain (below) from rates moving between commitments, releases and the day."""
        return difference(difference(self.committed, self.released), self.outstanding)

    @property
    def available(self) -> Decimal:
        """released − refunded − spent − support cost (`min_spent` compares spent alone)."""
        return difference(difference(difference(self.released, self.refunded), self.spent), self.support_cost)

    def figure(self, name: str) -> Decimal:
        """One of the figures by name: committed, released, outstanding, spent, available, refunded, pledged,
        support_cost or exchange_difference."""
        value: Decimal = getattr(self, name)
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(committed={self.committed}, released={self.released}, spent={self.spent})"


class ProjectFigures(Totals):
    """A project's figures as of a day: its own and its children's, its budget, in kind, and per party."""

    __slots__ = ("project", "currency", "depth", "own_budget", "budget", "inkind_valued", "inkind_unvalued", "parties")

    def __init__(self, project: Project, depth: int, own_budget: Decimal | None, budget: Decimal | None = None,
                 currency: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.currency = currency or project.currency  # of these figures: the project's, or that of `--currency`
        self.depth = depth
        self.own_budget = own_budget
        self.budget = budget
        self.inkind_valued = ZERO
        self.inkind_unvalued = 0
        self.parties: dict[str, PartyFigures] = {}

    @property
    def gap(self) -> Decimal | None:
        return None if self.budget is None else difference(self.budget, self.committed)

    @property
    def by_party(self) -> list[PartyFigures]:
        return [self.parties[key] for key in sorted(self.parties)]

    def add(self, other: ProjectFigures) -> None:
        """Another project's figures into these (a child's into its parent's), budget apart."""
        if self.outstanding_value is not None or other.outstanding_value is not None:
            self.outstanding_value = self.outstanding + other.outstanding
        self.committed += other.committed
        self.released += other.released
        self.spent += other.spent
        self.refunded += other.refunded
        self.pledged += other.pledged
        self.inkind_valued += other.inkind_valued
        self.inkind_unvalued += other.inkind_unvalued
        self.support_cost += other.support_cost
        for party, theirs in other.parties.items():
            ours = self.parties.get(party)
            if ours is None:
                ours = self.parties[party] = PartyFigures(party)
            if ours.outstanding_value is not None or theirs.outstanding_value is not None:
                ours.outstanding_value = ours.outstanding + theirs.outstanding
            ours.committed += theirs.committed
            ours.released += theirs.released


class Balance:
    """Every project's figures as of a day, in ledger order, each parent before its children."""

    __slots__ = ("as_of", "projects", "currency")

    def __init__(self, as_of: _dt.date, projects: list[ProjectFigures], currency: str | None = None) -> None:
        self.as_of = as_of
        self.projects = projects
        self.currency = currency  # every project's figures are in it (`--currency`); None: each in its own

    def of(self, project_id: str) -> ProjectFigures | None:
        return next((figures for figures in self.projects if figures.project.id == project_id), None)


def balance(ledger: Ledger, as_of: _dt.date, *, with_spent: bool = True, currency: str | None = None,
            revalued: bool = True) -> Balance:
    """Every project's figures as of the day, each in its own currency (in `currency`, where given);
    without the expenses (spent left at 0) where `with_spent` is false, for a caller that needs no more
    than commitments and budgets: expenses are most entries. Raises `counting.Unconvertible` where an
    amount it needs has no rate.

    A project's figures count every entry of its subtree converted into its currency on its own: where
    the projects are in several currencies, one pass per currency counts the projects at or below a
    project of that currency, and each project's figures come from its own currency's pass.

    Without `revalued`, only the flows are counted (for the opening of a period statement, whose
    outstanding, pledged and budget are the closing day's): nothing is revalued on the day, so no rate
    of that day is needed."""
    with money():
        if currency is None and not ledger.converts:
            return _balance(ledger, as_of, with_spent, None, None, revalued)
        ordered = ledger.tree_order()
        if currency is not None:
            return Balance(as_of, _balance(ledger, as_of, with_spent, currency, None, revalued).projects, currency)
        chosen: dict[str, ProjectFigures] = {}
        lines = counting.lineages(ledger)
        projects = ledger.project_by_id
        for target in dict.fromkeys(project.currency for project, _ in ordered):
            counted = {project_id for project_id, line in lines.items()
                       if any(projects[owner].currency == target for owner in line)}
            for figures in _balance(ledger, as_of, with_spent, target, counted, revalued).projects:
                if figures.project.currency == target:
                    chosen[figures.project.id] = figures
        return Balance(as_of, [chosen[project.id] for project, _ in ordered])


def _balance(ledger: Ledger, as_of: _dt.date, with_spent: bool, target: str | None,
             projects_counted: set[str] | None, revalued: bool = True) -> Balance:
    """The figures of the projects counted (all, where None), every amount in `target` (each project's
    own currency, where None: a ledger of one currency)."""
    ordered = [(project, depth) for project, depth in ledger.tree_order()
               if projects_counted is None or project.id in projects_counted]
    converts = ledger.converts_into(target)
    revaluing = converts and revalued

    projects = ledger.project_by_id

    def shown_in_target(project: Project) -> bool:
        """Whether a budget in another currency than `target` counts in a figure shown: always under
        `--currency`; in a pass of one currency, only in the derived budget of a project above it in
        `target` (each project on the way without a budget of its own)."""
        if projects_counted is None:
            return True
        above = projects.get(project.parent) if project.parent is not None else None
        while above is not None and above.budget is None:
            if above.currency == target:
                return True
            above = projects.get(above.parent) if above.parent is not None else None
        return False

    def budget_of(project: Project) -> Decimal | None:
        if project.budget is None or target is None or project.currency == target:
            return project.budget
        if not revalued or not shown_in_target(project):
            return None  # nothing revalued, or these figures of the project are not the ones shown (its own currency's are)
        return counting.converted(ledger, project, project.budget, target, as_of, revalued=True)

    budgets = {project.id: budget_of(project) for project, _ in ordered}
    figures = {project.id: ProjectFigures(project, depth, budgets[project.id], budgets[project.id], target)
               for project, depth in ordered}
    shares: dict[tuple[str, str], tuple[ProjectFigures, PartyFigures] | None] = {}

    def share(project_id: str, party: str) -> tuple[ProjectFigures, PartyFigures] | None:
        """The figures of the project and of the party in it (by the party's canonical id), made when
        something of theirs first counts; None for a project outside the tree. Asked once a pair."""
        key = (project_id, party)
        if key not in shares:
            own = figures.get(project_id)
            party_id = ledger.party_id(party)
            shares[key] = None if own is None else (own, own.parties.setdefault(
                party_id, PartyFigures(party_id, outstanding_value=ZERO if revaluing else None)))
        return shares[key]

    if revaluing:
        for own in figures.values():
            own.outstanding_value = ZERO

    commitments = ledger.commitments
    counting_from = counting.counting_days(commitments)
    for commitment, counts_from in zip(commitments, counting_from):
        if counts_from <= as_of and (found := share(commitment.project, commitment.party)):
            own, party = found
            amount = counting.amount_in(ledger, commitment, own.currency, counts_from)
            own.committed += amount
            party.committed += amount
    releases = ledger.releases
    committed_by = counting.released_commitments(ledger)
    for release, its_commitment, counts_from in zip(releases, committed_by,
                                                    counting.release_counting_days(releases, committed_by)):
        if its_commitment is not None and counts_from <= as_of and (
                found := share(its_commitment.project, its_commitment.party)):
            own, party = found
            amount = counting.amount_in(ledger, release, own.currency, counts_from)
            own.released += amount
            party.released += amount
    # A decommitment takes from committed (the project's and its party's), a refund is refunded.
    flows_back: list[tuple[Sequence[Decommitment | Refund], int]] = [(ledger.decommitments, -1), (ledger.refunds, 1)]
    for flows, sign in flows_back:
        of = counting.commitments_of(ledger, flows)
        for flow, its_commitment, counts_from in zip(flows, of, counting.release_counting_days(flows, of)):
            if its_commitment is not None and counts_from <= as_of and (
                    found := share(its_commitment.project, its_commitment.party)):
                own, party = found
                amount = counting.amount_in(ledger, flow, own.currency, counts_from)
                if sign < 0:
                    own.committed -= amount
                    party.committed -= amount
                else:
                    own.refunded += amount
    if revaluing:  # outstanding: each commitment's unreleased amount, in its currency, revalued on the day
        cancelled = counting.decommitted(ledger, as_of)
        released = released_by_commitment(ledger, as_of)
        for commitment, counts_from in zip(commitments, counting_from):
            if counts_from <= as_of and (found := share(commitment.project, commitment.party)):
                own, party = found
                unreleased = difference(counting.net_amount(commitment, cancelled), released.get(commitment.id, ZERO))
                value = counting.converted(ledger, commitment, unreleased, own.currency, as_of, revalued=True)
                own.outstanding_value = own.outstanding + value
                party.outstanding_value = party.outstanding + value
    pledges = counting.pledged(ledger, as_of) if revalued else {}
    for pledge in ledger.pledges:
        announced_to = figures.get(pledge.project)
        if announced_to is not None and pledge.id in pledges:
            announced_to.pledged += counting.converted(ledger, pledge, pledges[pledge.id], announced_to.currency, as_of,
                                                       revalued=True)
    spent = counting.totals_by(ledger.spent_totals, figures, as_of) if with_spent and not converts else None
    counted_in = counting.lineage_currencies(ledger) if with_spent and converts else {}
    if ledger.converted_spent_totals is not None and all(  # the cache summed each in the currencies above it
            own.currency in counted_in.get(project_id, ()) for project_id, own in figures.items()):
        keys = {counting.converted_key(project_id, own.currency): project_id for project_id, own in figures.items()}
        summed = counting.totals_by(ledger.converted_spent_totals, keys, as_of)
        if summed is not None:
            spent = {keys[key]: amount for key, amount in summed.items()}
    if spent is not None:
        for project_id, amount in spent.items():
            figures[project_id].spent = amount
    elif with_spent:
        # Expenses are most entries: summed run by run of one project (files keep them together),
        # each judged on the day only where not all of them count by it (most reports are of today).
        expenses = ledger.expenses
        counting_from = counting.expense_days(ledger)
        counted: Iterable[Expense] = expenses
        not_all = max(counting_from, default=as_of) > as_of
        if not_all:
            counted = compress(expenses, map(as_of.__ge__, counting_from))
        if converts and target is not None:  # each converted once per ledger (`expense_amounts_in`)
            amounts = counting.expense_amounts_in(ledger, target, everywhere=projects_counted is None)
            converted: Iterable[tuple[str, Decimal]] = zip(map(_PROJECT, expenses), amounts)
            if not_all:
                converted = compress(converted, map(as_of.__ge__, counting_from))
            for project_id, run in groupby(converted, key=_FIRST):
                if project_id in figures:
                    figures[project_id].spent += total(map(_SECOND, run))
        else:
            for project_id, run in groupby(counted, key=_PROJECT):
                if project_id in figures:
                    own = figures[project_id]
                    own.spent += total(counting.amounts_in(ledger, run, own.currency))
    if with_spent:
        for project_id, cost in counting.own_support_costs(ledger, as_of, target).items():
            if project_id in figures:
                figures[project_id].support_cost = cost
    for contribution in ledger.inkind:
        receiving = figures.get(contribution.project)
        if receiving is None or counting.inkind_counts_from(contribution) > as_of:
            continue
        if contribution.value is None and contribution.monthly_value is None:
            receiving.inkind_unvalued += 1
        elif converts:
            receiving.inkind_valued += counting.inkind_accrued_in(ledger, contribution, receiving.currency, as_of)
        else:
            receiving.inkind_valued += counting.inkind_accrued(contribution, as_of)

    counting.roll_up(counting.lineages(ledger), figures, _add_child)
    return Balance(as_of, [figures[project.id] for project, _ in ordered], target)


def _add_child(parent: ProjectFigures, child: ProjectFigures) -> None:
    """A child's figures into its parent's; its budget too where the parent has none of its own."""
    parent.add(child)
    if child.budget is not None and parent.own_budget is None:
        parent.budget = (parent.budget or ZERO) + child.budget


_FEW_DAYS = 4  # up to this many days asked along a project's line, its events are summed once per day


def totals_as_of(ledger: Ledger, asked: Iterable[tuple[str, _dt.date]]) -> dict[tuple[str, _dt.date], Totals]:
    """Committed, released and spent of each (project, day) asked, as `balance` counts them, in one pass.

    A project's own events are summed up to each day asked of it or of a project above it (each
    event once per such day: few, where asserts are on projects and a programme), and those sums
    are rolled up the project tree to the projects asked. The cost grows with the events times the
    days asked along their project's line, not with all the days asked of the whole ledger.
    """
    with money():
        if not ledger.converts:
            return _totals_as_of(ledger, asked, None)
        # As `balance` does: one pass per currency, each counting the projects at or below a project of it
        # (every entry converted into it), answering for the projects in it.
        asked = list(asked)
        projects = ledger.project_by_id
        found: dict[tuple[str, _dt.date], Totals] = {}
        for target in dict.fromkeys(projects[project_id].currency for project_id, _ in asked if project_id in projects):
            found.update(_totals_as_of(ledger, [(project_id, day) for project_id, day in asked
                                                if project_id in projects and projects[project_id].currency == target],
                                       target))
        return found


def _totals_as_of(ledger: Ledger, asked: Iterable[tuple[str, _dt.date]],
                  target: str | None) -> dict[tuple[str, _dt.date], Totals]:
    """The totals asked of projects in `target` (any, each in its own, where None: a ledger of one currency)."""
    lines = counting.lineages(ledger)
    days_asked: dict[str, set[_dt.date]] = {}
    for project_id, day in asked:
        if project_id in lines:
            days_asked.setdefault(project_id, set()).add(day)
    days_of: dict[str, list[_dt.date]] = {}  # the days a project's own events are summed up to
    for project_id, line in lines.items():
        days = set().union(*(days_asked.get(owner, ()) for owner in line))
        if days:
            days_of[project_id] = sorted(days)
    # sums[project][day] = [committed, released, spent, refunded, pledged, support cost, outstanding] of its own
    # events counting by the day (then its subtree's); a decommitment adds its amount negated into committed;
    # outstanding is summed only where amounts convert (else it is committed − released)
    sums = {project_id: {day: [ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO] for day in days}
            for project_id, days in days_of.items()}
    currency = {project.id: target or project.currency for project in ledger.projects}
    converts = target is not None

    def add(projects: Iterable[str], counting_from: Iterable[_dt.date],
            entries: Iterable[Commitment | Release | Expense], which: int, *, negated: bool = False,
            support_cost_rates: dict[str, Decimal] | None = None) -> None:
        """Entries given with their projects and first days counting, summed run by run of one project
        (files keep a project's entries together), at the speed of C."""
        for project_id, run in groupby(zip(projects, counting_from, entries), key=itemgetter(0)):
            days = days_of.get(project_id)
            if days is None:  # neither it nor a project above it is asked about
                continue
            _, run_days, run_entries = zip(*run)
            if support_cost_rates is not None:  # the support cost each expense bears, in place of its amount
                from cndledger.format.shares import support_cost, support_costs

                if not (rate := support_cost_rates.get(project_id)):
                    continue
                if converts:  # rounded in the expense's currency, then converted like it
                    run_amounts = tuple(
                        counting.converted(ledger, expense, support_cost(expense.amount, rate, source), currency[project_id], day)
                        for expense, day in zip(run_entries, run_days)
                        if (source := counting.entry_currency(ledger, expense)) is not None)
                else:
                    run_amounts = tuple(support_costs(map(_AMOUNT, run_entries), rate, currency[project_id]))
            else:
                run_amounts = tuple(counting.amounts_in(ledger, run_entries, currency[project_id], run_days))
            if negated:
                run_amounts = tuple(map(Decimal.copy_negate, run_amounts))
            own = sums[project_id]
            if len(days) <= _FEW_DAYS:  # one pass per day
                for day in days:
                    own[day][which] += total(compress(run_amounts, map(day.__ge__, run_days)))
                continue
            order = sorted(range(len(run_days)), key=run_days.__getitem__)  # by day: running sums
            by_day = [run_days[position] for position in order]
            running = list(accumulate((run_amounts[position] for position in order), initial=ZERO))
            for day in days:
                own[day][which] += running[bisect_right(by_day, day)]

    commitments, expenses = ledger.commitments, ledger.expenses
    add(map(_PROJECT, commitments), counting.counting_days(commitments), commitments, 0)
    flow_kinds: list[tuple[Sequence[Release | Decommitment | Refund], int, bool]] = [
        (ledger.releases, 1, False), (ledger.decommitments, 0, True), (ledger.refunds, 3, False)]
    for flows, which, negated in flow_kinds:
        committed_by = counting.commitments_of(ledger, flows)
        counted = [(commitment.project, counts_from, flow) for flow, commitment, counts_from
                   in zip(flows, committed_by, counting.release_counting_days(flows, committed_by))
                   if commitment is not None]
        if counted:
            flow_projects, flow_days, counted_flows = zip(*counted)
            add(flow_projects, flow_days, counted_flows, which, negated=negated)
    # The expenses, most entries: each project's in the order by project and day (made once per ledger), its
    # running total read at each day asked along its line.
    converted = counting.expense_amounts_in(ledger, target) if converts and target is not None else None
    expense_days = counting.expense_days(ledger)
    expense_projects = list(map(_PROJECT, expenses))
    order = counting.expenses_by_project_and_day(ledger)
    for project_id, run in groupby(compress(order, map(days_of.__contains__, map(expense_projects.__getitem__, order))),
                                   key=expense_projects.__getitem__):
        positions = list(run)
        run_days = list(map(expense_days.__getitem__, positions))
        run_amounts = (map(converted.__getitem__, positions) if converted is not None else
                       counting.amounts_in(ledger, map(expenses.__getitem__, positions), currency[project_id], run_days))
        running = list(accumulate(run_amounts, initial=ZERO))
        own = sums[project_id]
        for day in days_of[project_id]:
            own[day][2] += running[bisect_right(run_days, day)]
    if any(project.support_cost_rate for project in ledger.projects):
        add(map(_PROJECT, expenses), counting.expense_days(ledger), expenses, 5,
            support_cost_rates=counting.support_cost_rates(ledger))
    if ledger.pledges:  # few: each day asked along a pledge's line, as `balance` counts it
        pledge_days = sorted({day for pledge in ledger.pledges for day in days_of.get(pledge.project, ())})
        still_pledged = {day: counting.pledged(ledger, day) for day in pledge_days}
        for pledge in ledger.pledges:
            for day in days_of.get(pledge.project, ()):
                remaining = still_pledged[day].get(pledge.id, ZERO)
                if converts:
                    remaining = counting.converted(ledger, pledge, remaining, currency[pledge.project], day, revalued=True)
                sums[pledge.project][day][4] += remaining
    if converts:  # outstanding: each commitment's unreleased amount, in its currency, revalued on each day asked
        released_by = _running_by_commitment(ledger, ledger.releases)
        cancelled_by = _running_by_commitment(ledger, ledger.decommitments)
        nothing: tuple[list[_dt.date], list[Decimal]] = ([], [ZERO])
        for commitment, counts_from in zip(commitments, counting.counting_days(commitments)):
            released_days, released_sums = released_by.get(commitment.id, nothing)
            cancelled_days, cancelled_sums = cancelled_by.get(commitment.id, nothing)
            for day in days_of.get(commitment.project, ()):
                if counts_from <= day:
                    unreleased = difference(
                        difference(commitment.amount, cancelled_sums[bisect_right(cancelled_days, day)]),
                        released_sums[bisect_right(released_days, day)])
                    sums[commitment.project][day][6] += counting.converted(
                        ledger, commitment, unreleased, currency[commitment.project], day, revalued=True)

    def add_child(parent: dict[_dt.date, list[Decimal]], child: dict[_dt.date, list[Decimal]]) -> None:
        for day, figures in parent.items():  # a child is summed up to every day of its parent's
            theirs = child[day]
            for which in range(7):
                figures[which] += theirs[which]

    counting.roll_up(lines, sums, add_child)
    return {(project_id, day): Totals(committed=committed, released=released, spent=spent, refunded=refunded,
                                      pledged=pledged, support_cost=support_cost,
                                      outstanding_value=outstanding if converts else None)
            for project_id, days in days_asked.items() for day in days
            for committed, released, spent, refunded, pledged, support_cost, outstanding in (sums[project_id][day],)}


def _running_by_commitment(ledger: Ledger, flows: Sequence[Release | Decommitment]
                           ) -> dict[str, tuple[list[_dt.date], list[Decimal]]]:
    """Each commitment's releases (decommitments), in its own currency: the days they count from, in
    order, and the running sums from zero (what counts by a day is `sums[bisect_right(days, day)]`)."""
    of = counting.commitments_of(ledger, flows)
    rows: dict[str, list[tuple[_dt.date, Decimal]]] = {}
    for flow, commitment, day in zip(flows, of, counting.release_counting_days(flows, of)):
        if commitment is not None:
            rows.setdefault(commitment.id, []).append((day, flow.amount))
    found = {}
    for commitment_id, counted in rows.items():
        counted.sort(key=itemgetter(0))
        found[commitment_id] = ([day for day, _ in counted], list(accumulate((amount for _, amount in counted),
                                                                             initial=ZERO)))
    return found


def released_by_tranche(ledger: Ledger, as_of: _dt.date) -> dict[str, Decimal]:
    return _released_by(ledger, as_of, "tranche")


def released_by_commitment(ledger: Ledger, as_of: _dt.date) -> dict[str, Decimal]:
    return _released_by(ledger, as_of, "commitment")


def _released_by(ledger: Ledger, as_of: _dt.date, key: str) -> dict[str, Decimal]:
    """What the releases counting on `as_of` add up to, by their tranche (their commitment), in their
    commitment's currency (theirs)."""
    totals: dict[str, Decimal] = {}
    releases = ledger.releases
    committed_by = counting.released_commitments(ledger)
    with money():
        for release, commitment, counts_from in zip(releases, committed_by,
                                                    counting.release_counting_days(releases, committed_by)):
            target = getattr(release, key)
            if counts_from <= as_of and target is not None:
                totals[target] = totals.get(target, ZERO) + release.amount
    return totals


# ---- period statements: the flows of a window ----------------------------------------------------

class PartyFlows(PartyFigures):
    """What one party committed and released in a window; outstanding as of its last day."""

    __slots__ = ("closing_outstanding",)

    def __init__(self, party: str, committed: Decimal, released: Decimal, closing_outstanding: Decimal) -> None:
        super().__init__(party, committed, released)
        self.closing_outstanding = closing_outstanding

    @property
    def outstanding(self) -> Decimal:
        return self.closing_outstanding


class StatementFigures(ProjectFigures):
    """A project's statement for a window first..last: the flows counting in it (committed, released,
    refunded, spent, support cost, in kind), outstanding, available, pledged and gap as of `last`, and
    `opening_available`, available as of the day before `first`."""

    __slots__ = ("opening_available", "closing_outstanding", "closing_available", "closing_gap", "closing_exchange")

    def __init__(self, closing: ProjectFigures, opening: ProjectFigures | None) -> None:
        super().__init__(closing.project, closing.depth, closing.own_budget, closing.budget, closing.currency)
        names = ("committed", "released", "refunded", "spent", "support_cost", "inkind_valued")
        for name in names:
            setattr(self, name, getattr(closing, name) if opening is None
                    else difference(getattr(closing, name), getattr(opening, name)))
        self.inkind_unvalued = closing.inkind_unvalued - (0 if opening is None else opening.inkind_unvalued)
        self.pledged = closing.pledged
        self.opening_available = ZERO if opening is None else opening.available
        self.closing_outstanding = closing.outstanding
        self.closing_available = closing.available
        self.closing_gap = closing.gap
        self.closing_exchange = closing.exchange_difference
        before = {} if opening is None else opening.parties
        for party_id, party in closing.parties.items():  # the parties with something counting on `last`
            earlier = before.get(party_id)
            self.parties[party_id] = PartyFlows(
                party_id,
                party.committed if earlier is None else difference(party.committed, earlier.committed),
                party.released if earlier is None else difference(party.released, earlier.released),
                party.outstanding)

    @property
    def outstanding(self) -> Decimal:
        return self.closing_outstanding

    @property
    def available(self) -> Decimal:
        return self.closing_available

    @property
    def gap(self) -> Decimal | None:
        return self.closing_gap

    @property
    def exchange_difference(self) -> Decimal:
        return self.closing_exchange


class Statement(Balance):
    """Every project's statement for the days `first` to `as_of` (both included), in ledger order."""

    __slots__ = ("first",)

    def __init__(self, first: _dt.date, as_of: _dt.date, projects: list[ProjectFigures],
                 currency: str | None = None) -> None:
        super().__init__(as_of, projects, currency)
        self.first = first


def statement(ledger: Ledger, first: _dt.date, last: _dt.date, *, currency: str | None = None) -> Statement:
    """The period statement of the window first..last: each figure that flows is its figure as of `last`
    less its figure as of the day before `first`, so that available = opening_available + released −
    refunded − spent − support cost, exactly; the others are as of `last`."""
    closing = balance(ledger, last, currency=currency)
    opening = (balance(ledger, first - _dt.timedelta(days=1), currency=currency, revalued=False)
               if first > _dt.date.min else None)
    before = {} if opening is None else {figures.project.id: figures for figures in opening.projects}
    with money():
        projects: list[ProjectFigures] = [StatementFigures(figures, before.get(figures.project.id))
                                          for figures in closing.projects]
    return Statement(first, last, projects, currency)
