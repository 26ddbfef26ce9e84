"""Every figure of a project, declared once: its name and what it means (LEDGER-FORMAT "Figures").

`cndledger explain FIGURE` prints one; docs/format.md's figures section is generated from these
(`scripts/generate_plans.py`). The names are those of `balance --json`. Plain Python, no imports.
"""

from __future__ import annotations

from typing import NamedTuple


class Figure(NamedTuple):
    name: str  # as `balance --json` names it
    label: str  # as a person says it
    definition: str  # for a project, in its currency, as of a day D, counting its children


FIGURES: tuple[Figure, ...] = (
    Figure("budget", "budget",
           "The project's own `budget` where set (a programme's budget is an envelope for its children); else the "
           "sum of its children's budgets; absent where none is set (shown as \"—\" and `null`, never 0)."),
    Figure("committed", "committed",
           "The commitments counting on D, minus the decommitments counting on D."),
    Figure("released", "released", "The releases counting on D: the cash that arrived."),
    Figure("outstanding", "outstanding",
           "For each commitment counting on D: its amount minus its decommitments minus its releases counting on "
           "D; with one currency, committed − released."),
    Figure("refunded", "refunded", "The refunds counting on D: cash the project returned to a commitment's party."),
    Figure("pledged", "pledged",
           "For each pledge counting on D: its amount minus the commitments naming it that count on D, each net of "
           "its decommitments (never below zero). Never part of committed."),
    Figure("inkind_valued", "in-kind valued",
           "The valued in-kind contributions accrued by D (0 where nothing is valued): a `monthly_value` accrues "
           "once for each calendar month from the month of `start` to the month of `end` (both included; "
           "open-ended without `end`) whose last day is on or before D; a `value` counts in full once `start` is "
           "on or before D."),
    Figure("inkind_unvalued", "in-kind unvalued",
           "How many contributions in kind without a value start on or before D: counted, never summed."),
    Figure("spent", "spent",
           "The expenses counting on D (a credit note counts negative), without support cost."),
    Figure("support_cost", "support cost",
           "The support cost of the expenses counting on D: each expense's amount × the `support_cost_rate` of its "
           "own project, rounded to the currency's minor unit half away from zero."),
    Figure("available", "available", "released − refunded − spent − support cost."),
    Figure("gap", "gap", "budget − committed, where a budget is set."),
    Figure("exchange_difference", "exchange difference",
           "committed − released − outstanding: zero where every commitment is in the project's currency, else "
           "the loss (above zero) or gain (below zero) from exchange rates moving between a commitment, its "
           "releases and D (outstanding is revalued on D)."),
    Figure("opening_available", "opening available",
           "Only in a period statement (`balance --from`, `--period`), whose other figures are the flows of the "
           "period: available as of the day before its first day, so that available at its end = "
           "opening_available + released − refunded − spent − support cost."),
)

BY_NAME: dict[str, Figure] = {figure.name: figure for figure in FIGURES}
