"""The balance report: as JSON (format v1) or as a table."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from cndledger.core.figures import Balance, ProjectFigures, Statement, StatementFigures
from cndledger.format.currency import format_amount
from cndledger.render.table import ID, Column, Row, Table

ABSENT = "—"


# The keys of a project in the JSON, which are also the columns of the CSV (`party` only --by-party).
FIELDS = ["id", "title", "parent", "currency", "budget", "committed", "released", "outstanding", "inkind_valued",
          "inkind_unvalued", "spent", "support_cost", "available", "gap",
          "refunded", "pledged", "exchange_difference"]  # version 2's flows back, pledges and rates
PARTY_FIELDS = ["committed", "released", "outstanding"]

# The table's columns; on a narrow terminal the highest rank is left out first (README, "Tables that fit").
COLUMNS = {column.header: column for column in (
    Column("project", wraps=ID), Column("cur"), Column("available", "right"),
    Column("committed", "right", rank=1), Column("released", "right", rank=2), Column("spent", "right", rank=3),
    Column("budget", "right", rank=4), Column("opening", "right", rank=5), Column("outstanding", "right", rank=6),
    Column("gap", "right", rank=7), Column("in-kind", "right", rank=8), Column("support", "right", rank=9),
    Column("refunded", "right", rank=10), Column("pledged", "right", rank=11), Column("exch. diff", "right", rank=12),
)}


def _amount(value: Decimal | None, figures: ProjectFigures) -> str | None:
    return None if value is None else format_amount(value, figures.currency)


def _project(figures: ProjectFigures) -> dict[str, object]:
    project = figures.project
    return {
        "id": project.id, "title": project.title, "parent": project.parent, "currency": figures.currency,
        **{name: _amount(getattr(figures, name), figures) for name in ("budget", "committed", "released", "outstanding")},
        "inkind_valued": _amount(figures.inkind_valued, figures), "inkind_unvalued": figures.inkind_unvalued,
        **{name: _amount(getattr(figures, name), figures) for name in ("spent", "support_cost", "available", "gap")},
        "refunded": _amount(figures.refunded, figures),
        "pledged": _amount(figures.pledged, figures),
        "exchange_difference": _amount(figures.exchange_difference, figures),
        **({"opening_available": _amount(figures.opening_available, figures)}
           if isinstance(figures, StatementFigures) else {}),
    }


def _parties(figures: ProjectFigures) -> list[dict[str, object]]:
    return [{"party": party.party, **{name: _amount(getattr(party, name), figures) for name in PARTY_FIELDS}}
            for party in figures.by_party]


def as_json(balance: Balance) -> str:
    projects = [{**_project(figures), "by_party": _parties(figures)} for figures in balance.projects]
    import json  # only for --json: a table needs none

    first = balance.first.isoformat() if isinstance(balance, Statement) else None
    # Format v2: "from" is the window's first day (null without one); "currency" the --currency asked,
    # null where each project's figures are in its own.
    return json.dumps({"as_of": balance.as_of.isoformat(), "from": first, "currency": balance.currency,
                       "projects": projects},
                      indent=2, ensure_ascii=False)


def as_csv(balance: Balance, *, by_party: bool = False) -> str:
    """A row per project, its columns the JSON's keys, amounts as exact decimals; with `by_party`, a
    `party` column, and after each project a row per party (its project's keys, the party's figures)."""
    from cndledger.render.csv import as_csv as _csv

    fields = FIELDS + ["opening_available"] if isinstance(balance, Statement) else FIELDS
    rows = []
    for figures in balance.projects:
        project = _project(figures)
        rows.append([project[name] for name in fields] + ([None] if by_party else []))
        if by_party:
            for party in _parties(figures):
                record = {name: project[name] for name in fields[:4]} | party
                rows.append([record.get(name) for name in fields] + [party["party"]])
    return _csv(fields + (["party"] if by_party else []), rows)


def as_table(balance: Balance, *, by_party: bool = False) -> Table:
    # The support cost column only where a project bears one (format v2): a version-1 table stays as it was.
    support = any(figures.support_cost for figures in balance.projects)
    # Likewise a refunded column only where something was refunded, and pledged where something is pledged.
    refunds = any(figures.refunded for figures in balance.projects)
    pledges = any(figures.pledged for figures in balance.projects)
    exchange = any(figures.exchange_difference for figures in balance.projects)  # only where rates moved
    statement = isinstance(balance, Statement)
    names = ("project", "cur", "budget", *(("opening",) if statement else ()), "committed", "released",
             *(("refunded",) if refunds else ()), "outstanding", "in-kind", "spent", *(("support",) if support else ()),
             "available", "gap", *(("pledged",) if pledges else ()), *(("exch. diff",) if exchange else ()))
    columns = [COLUMNS[name] for name in names]
    title = (f"Balance from {balance.first.isoformat()} to {balance.as_of.isoformat()}" if isinstance(balance, Statement)
             else f"Balance as of {balance.as_of.isoformat()}")
    if balance.currency is not None:
        title += f", in {balance.currency}"
    table = Table(title, columns)
    for figures in balance.projects:
        cur = figures.currency
        money = partial(_grouped, currency=cur)
        inkind = money(figures.inkind_valued)
        if figures.inkind_unvalued:
            inkind += f" +{figures.inkind_unvalued} unvalued"
        refunded = [money(figures.refunded)] if refunds else []
        table.rows.append(Row(
            [figures.project.id, cur, money(figures.budget),
             *((money(figures.opening_available),) if isinstance(figures, StatementFigures) else ()),
             money(figures.committed), money(figures.released),
             *refunded, money(figures.outstanding), inkind, money(figures.spent),
             *((money(figures.support_cost),) if support else ()), money(figures.available), money(figures.gap),
             *([money(figures.pledged)] if pledges else []),
             *([money(figures.exchange_difference)] if exchange else [])],
            indent=figures.depth, style="bold" if figures.depth == 0 else None,
        ))
        if by_party:
            for party in figures.by_party:
                table.rows.append(Row(
                    [f"· {party.party}", "", "", *(("",) if statement else ()), money(party.committed), money(party.released),
                     *([""] if refunds else []), money(party.outstanding), "", "", *(("",) if support else ()), "", "",
                     *([""] if pledges else []), *([""] if exchange else [])],
                    indent=figures.depth + 1, style="dim",
                ))
    table.footnote = "in-kind: valued contributions accrued; unvalued ones are counted, never summed."
    if exchange:
        table.footnote += ("\nexch. diff: committed − released − outstanding, where rates moved between commitments, "
                           "releases and the day (outstanding is revalued on the day; above zero, a loss).")
    if statement:
        table.footnote += ("\nopening: available the day before the window; outstanding, available, gap and pledged "
                           "are as of its last day, the other figures the window's flows.")
    return table


def _grouped(value: Decimal | None, currency: str) -> str:
    return ABSENT if value is None else format_amount(value, currency, grouping=True)
