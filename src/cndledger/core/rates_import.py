"""`cndledger rates import FILE.csv --to FILE.toml`: the rates of a CSV file appended to a ledger file as
`[[rate]]` entries, through the path `cndledger add --from-file` takes (`append.add_entry`: the whole
ledger checked with them in memory, then one atomic write under the file's lock).

All or none: where the CSV file has a problem (a row that cannot be read, two rows giving two rates for
one pair and day) or a row gives another rate than the ledger has for its pair and day, nothing is
written and each problem is located at its CSV line. Rates the ledger already has with the same rate are
left out and counted, so importing the same file again adds nothing. `currencies` keeps only the rows of
those currencies (the other rows are not judged): a whole UN table can be imported for the one currency
a ledger needs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection

from cndledger.core.append import Added, _file_of_the_ledger, add_entry
from cndledger.core.ledger import Ledger
from cndledger.core.rates import RateQuote
from cndledger.format.problems import Problem
from cndledger.format.records import Rate
from cndledger.read.rates_csv import new_rate_entries, read_rates_csv


class RatesImported:
    """What an import found and did: the layout of the file (`rates_csv.PLAIN` or `UN`, None where it is
    neither), the rates it read, those added and those already in the ledger, the problems that stopped it,
    and the append (None where nothing was to be written or a problem stopped it)."""

    __slots__ = ("layout", "read", "added", "present", "problems", "appended")

    def __init__(self, layout: str | None, read: list[RateQuote], added: list[RateQuote], present: list[RateQuote],
                 problems: list[Problem], appended: Added | None = None) -> None:
        self.layout, self.read, self.added, self.present = layout, read, added, present
        self.problems = problems
        self.appended = appended

    @property
    def written(self) -> bool:
        return self.appended is not None and self.appended.written


class _EntryOrigin:
    """Where a rate of the ledger stands, found only when a message names it (locating is not free)."""

    __slots__ = ("entry",)

    def __init__(self, entry: Rate) -> None:
        self.entry = entry

    @property
    def file(self) -> str:
        return self.entry.at.file

    @property
    def line(self) -> int:
        return self.entry.at.line


def ledger_rates(ledger: Ledger) -> list[RateQuote]:
    """The ledger's `[[rate]]` entries as quotes, each with where it stands."""
    return [RateQuote(entry.date.first, entry.from_currency, entry.to_currency, entry.rate, _EntryOrigin(entry))
            for entry in ledger.rates]


def import_rates(ledger: Ledger, csv_path: str, to: str, given_paths: list[str], as_of: _dt.date, *,
                 currencies: Collection[str] | None = None) -> RatesImported:
    """Read the CSV file, leave out the rates `ledger` (read from `given_paths`) has, and append the others to
    `to`, a file of the ledger, unless a problem stops it (see the module's docstring). Raises `AddError` where
    `to` is not a file of the ledger, `WriteFailed` where the write could not be made."""
    _file_of_the_ledger(to, [source.path for source in ledger.files])  # bad usage first, whatever the CSV holds
    read = read_rates_csv(csv_path, currencies=currencies)
    new = new_rate_entries(read.quotes, ledger_rates(ledger))
    done = RatesImported(read.layout, read.quotes, new.added, new.present, [*read.problems, *new.problems])
    if done.problems or not new.added:
        return done
    done.appended = add_entry(None, [], to, given_paths, as_of, entries=(new.text, len(new.added)))
    return done
