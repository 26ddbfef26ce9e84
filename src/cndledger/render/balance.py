"""The balance report: as JSON (format v1) or as a table."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from cndledger.core.figures import Balance, ProjectFigures
from cndledger.format.currency import format_amount
from cndledger.render.table import Column, Row, Table

ABSENT = "—"


def as_json(balance: Balance) -> str:
    def amount(value: Decimal | None, figures: ProjectFigures) -> str | None:
        return None if value is None else format_amount(value, figures.project.currency)

    projects = []
    for figures in balance.projects:
        project = figures.project
        projects.append({
            "id": project.id, "title": project.title, "parent": project.parent, "currency": project.currency,
            **{name: amount(getattr(figures, name), figures) for name in ("budget", "committed", "released", "outstanding")},
            "inkind_valued": amount(figures.inkind_valued, figures), "inkind_unvalued": figures.inkind_unvalued,
            **{name: amount(getattr(figures, name), figures) for name in ("spent", "support_cost", "available", "gap")},
            "by_party": [
                {"party": party.party, "committed": amount(party.committed, figures),
                 "released": amount(party.released, figures), "outstanding": amount(party.outstanding, figures)}
                for party in figures.by_party
            ],
        })
    import json  # only for --json: a table needs none

    return json.dumps({"as_of": balance.as_of.isoformat(), "projects": projects}, indent=2, ensure_ascii=False)


def as_table(balance: Balance, *, by_party: bool = False) -> Table:
    # The support cost column only where a project bears one (format v2): a version-1 table stays as it was.
    support = any(figures.support_cost for figures in balance.projects)
    columns = [Column("project"), Column("cur")] + [
        Column(name, "right")
        for name in ("budget", "committed", "released", "outstanding", "in-kind", "spent",
                     *(("support",) if support else ()), "available", "gap")
    ]
    table = Table(f"Balance as of {balance.as_of.isoformat()}", columns)
    for figures in balance.projects:
        cur = figures.project.currency
        money = partial(_grouped, currency=cur)
        inkind = money(figures.inkind_valued)
        if figures.inkind_unvalued:
            inkind += f" +{figures.inkind_unvalued} unvalued"
        table.rows.append(Row(
            [figures.project.id, cur, money(figures.budget), money(figures.committed), money(figures.released),
             money(figures.outstanding), inkind, money(figures.spent),
             *((money(figures.support_cost),) if support else ()), money(figures.available), money(figures.gap)],
            indent=figures.depth, style="bold" if figures.depth == 0 else None,
        ))
        if by_party:
            for party in figures.by_party:
                table.rows.append(Row(
                    [f"· {party.party}", "", "", money(party.committed), money(party.released),
                     money(party.outstanding), "", "", *(("",) if support else ()), "", ""],
                    indent=figures.depth + 1, style="dim",
                ))
    table.footnote = "in-kind: valued contributions accrued; unvalued ones are counted, never summed."
    return table


def _grouped(value: Decimal | None, currency: str) -> str:
    return ABSENT if value is None else format_amount(value, currency, grouping=True)
