"""What `cndledger iati import` says once it has written the ledger: how many transactions it wrote,
skipped and why, what it implied, rounded and what rates the ledger needs; then what `check` says of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cndledger.format.codes import IATI_LEFT_OUT
from cndledger.format.currency import format_amount
from cndledger.render import printable

if TYPE_CHECKING:
    from cndledger.core.api import CheckedLedger
    from cndledger.iati.importing import ImportDone

_KINDS = (("commitment", "commitments"), ("decommitment", "decommitments"), ("release", "releases"),
          ("refund", "refunds"), ("expense", "expenses"), ("credit", "credits (negative expenses)"),
          ("pledge", "pledges"))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def summary(done: ImportDone, to: str, files: int) -> str:
    imported = done.imported
    head = (f"imported {_count(imported.activities, 'activity', 'activities')} from {_count(files, 'file')} "
            f"into {to}: {', '.join(done.written) or 'nothing written'}")
    lines = [head]
    if imported.other_organisation:
        lines.append(f"  skipped {_count(imported.other_organisation, 'activity', 'activities')} of other reporting "
                     "organisations (--reporting-org)")
    written = sum(imported.written.values())
    kinds = ", ".join(f"{imported.written[kind]} {name}" for kind, name in _KINDS if imported.written[kind])
    lines.append(f"transactions: {imported.transactions} read, {written} written" + (f" ({kinds})" if kinds else ""))
    skipped = imported.zero + sum(imported.not_carried.values())
    if skipped:
        reasons = ([f"{imported.zero} of value zero"] if imported.zero else []) + \
            [f"{n} {why}" for why, n in sorted(imported.not_carried.items(), key=lambda item: (-item[1], item[0]))]
        lines.append(f"  {skipped} skipped: {'; '.join(reasons)}")
    if imported.implied_count:
        amounts = ", ".join(f"{format_amount(amount, currency, grouping=True)} {currency}"
                            for currency, amount in sorted(imported.implied.items()))
        lines.append(f"  {_count(imported.implied_count, 'implied commitment')} written for disbursements with no "
                     f"commitment before them ({amounts}): committed exceeds the file's commitments by as much")
    if imported.rounded:
        lines.append(f"  {_count(imported.rounded, 'amount')} rounded to the currency's minor unit")
    counts = imported.budget_counts
    budgets = f"budgets: {counts['read']} read, {_count(imported.budgets, 'budget line')} written"
    planned = f"planned disbursements: {counts['planned']} read, {counts['planned written']} written as " \
              f"{_count(imported.tranches, 'tranche')}"
    zero = [f"{counts[key]} {what}" for key, what in (("zero", "budgets"), ("planned zero", "planned disbursements"))
            if counts[key]]
    lines.append(f"{budgets}; {planned}" + (f" ({' and '.join(zero)} of value zero skipped)" if zero else ""))
    if counts["planned replaced"]:
        lines.append(f"  {_count(counts['planned replaced'], 'planned disbursement')} replaced by the revised one "
                     "of the same period")
    unread = sum(problem.code == IATI_LEFT_OUT.name for problem in imported.problems)
    if unread:
        lines.append(f"{_count(unread, 'element')} of the files could not be read, and "
                     f"{'is' if unread == 1 else 'are'} left out ({IATI_LEFT_OUT.name}, listed above)")
    if done.rates_read or done.rates_written:
        where = next((path for path in done.written if path.endswith("rates.toml")), None)
        lines.append(f"rates: {done.rates_read} read from --rates, {_count(len(done.rates_written), 'rate')} written"
                     + (f" to {where}" if where else "") + " (those between the currencies the ledger converts)")
    if imported.rates:
        pairs = ", ".join(f"{source} to {target}" for source, target in sorted(imported.rates))
        given = "the rates given have none for some entries" if done.rates_read else "the files carry none"
        lines.append(f"rates: no rate converts from {pairs} ({given}): what needs one is left out, or written as a "
                     "root (iati-needs-rate, listed above); import again with --rates FILE.csv to carry it")
    if done.overwritten:
        lines.append(f"overwritten (--force): {', '.join(done.overwritten)}")
    return printable("\n".join(lines) + "\n")


def check_line(opened: CheckedLedger, to: str) -> str:
    errors = [problem for problem in opened.problems if problem.is_error]
    warnings = len(opened.problems) - len(errors)
    codes = sorted({problem.code for problem in opened.problems})
    said = f" ({', '.join(codes)})" if codes else ""
    return printable(f"cndledger check {to}: {_count(len(errors), 'error')}, {_count(warnings, 'warning')}{said}\n")


def xml_lines() -> Callable[[str, int], str]:
    """The source line of an XML file for a problem's listing (read once per file)."""
    texts: dict[str, list[str]] = {}

    def line(path: str, number: int) -> str:
        if path not in texts:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
            except OSError:
                raw = b""
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            texts[path] = text.splitlines()
        lines = texts[path]
        return lines[number - 1].strip() if 0 < number <= len(lines) else ""

    return line
