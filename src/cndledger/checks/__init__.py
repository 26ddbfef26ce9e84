"""Every check of the ledger format across entries, one module per family; each check returns its
problems as values.

Each family module lists its checks in `CHECKS` (`check.Check`: the function, the codes it reports,
when it runs). They run in the order of the codes they report in `codes.CODES`, which is the order
of problems that fall on the same key. `check_ledger` runs them all, after the problems the loader
found in the files themselves.
"""

from __future__ import annotations

import datetime as _dt

from cndledger.checks import amounts, budgets, currency, dates, pledges, references, tranches
from cndledger.checks.check import Check
from cndledger.core.counting import Unconvertible
from cndledger.core.ledger import Ledger
from cndledger.format.codes import CODES
from cndledger.format.problems import Problem, sort_key

FAMILIES = (references, currency, amounts, dates, tranches, budgets, pledges)


def _in_order_of_codes(checks: list[Check]) -> list[Check]:
    rank = {name: position for position, name in enumerate(CODES)}
    return sorted(checks, key=lambda check: min(rank[code.name] for code in check.reports))


CHECKS = _in_order_of_codes([check for family in FAMILIES for check in family.CHECKS])
_UNDATED = [check for check in CHECKS if not check.dated]
_DATED = [check for check in CHECKS if check.dated]


def check_ledger(ledger: Ledger, as_of: _dt.date) -> list[Problem]:
    undated = ledger_problems(ledger)
    return sorted(dict.fromkeys(undated + dated_problems(ledger, as_of, undated)), key=sort_key)


def ledger_problems(ledger: Ledger) -> list[Problem]:
    """The problems found in reading, then every check that does not depend on the day (unsorted)."""
    problems = list(ledger.problems)
    for check in _UNDATED:
        if check.needs_every_file and ledger.any_file_failed:
            continue
        if check.needs_figures and any(problem.is_fatal for problem in problems):
            continue
        problems += _run(check, ledger)
    return problems


def dated_problems(ledger: Ledger, as_of: _dt.date, undated: list[Problem] | None = None) -> list[Problem]:
    """The checks judged against the day: budgets as of it, tranches due before it (unsorted). Given the
    ledger's `undated` problems, those that compute figures are skipped where a fatal one leaves them undefined."""
    figures_undefined = undated is not None and any(problem.is_fatal for problem in undated)
    problems: list[Problem] = []
    for check in _DATED:
        if check.needs_figures and (figures_undefined or any(problem.is_fatal for problem in problems)):
            continue
        if check.needs_every_file and ledger.any_file_failed:
            continue
        problems += _run(check, ledger, as_of)
    return problems


def _run(check: Check, ledger: Ledger, *on: _dt.date) -> list[Problem]:
    """The check's problems; where it meets an amount it cannot convert (a day or a pair the no-rate
    checks did not judge), that no-rate problem in place of the check's."""
    try:
        return list(check.run(ledger, *on))
    except Unconvertible as missing:
        # Where a [[rate]] was refused, its own problem says what is wrong: no rate is missing for sure.
        return [] if "rate" in ledger.unvalidated_names else [missing.problem]
