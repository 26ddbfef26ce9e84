"""Every check of the ledger format across entries, one module per family; each check returns its
problems as values.

`check_ledger` runs them all, after the problems the loader found in the files themselves.
Unresolved references are not reported while any file failed to parse: they would mislead.
"""

from __future__ import annotations

import datetime as _dt

from cndledger.checks.amounts import budget_warnings, failed_asserts, sums_exceeded
from cndledger.checks.currency import currencies, precision
from cndledger.checks.dates import date_order, outside_project_dates
from cndledger.checks.references import cycles, duplicate_ids, unresolved_refs
from cndledger.checks.tranches import (
    counterparts,
    overdue_tranches,
    tranche_commitments,
)
from cndledger.core.ledger import Ledger
from cndledger.format.problems import Problem, sort_key


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
