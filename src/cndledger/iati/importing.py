"""`cndledger iati import FILE.xml... --to DIR`: read the files, make the ledger (`to_ledger`), write its folder.

The folder is written only where it does not exist or is empty, unless `force`: then the files of the
same names are overwritten (and named in the result), and the other files of the folder are left as
they are (they are part of the ledger the folder holds). Nothing is written where a file cannot be
found, or where no activity was read from any file.

`rates`: CSV files of exchange rates (`read/rates_csv.py`: the plain layout date,from,to,rate or the UN
Treasury's operational rates), read for the currencies the XML files name only. The rates between the
pairs of currencies the ledger converts (an entry in another currency than its project) are written
to `rates.toml` of the folder, each after a comment naming its CSV line; a bad row is a problem at its
CSV line, and the good rows are read all the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from cndledger.core.rates import RateQuote
from cndledger.iati.read import read_activity_file
from cndledger.iati.to_ledger import RATES_FILE, Imported, currencies_of, rate_entries, to_ledger
from cndledger.read.rates_csv import read_rates_csv


class ImportRefused(Exception):
    """Bad usage (exit 2): a file that is not there, a target that is not an empty folder."""


class ImportDone(NamedTuple):
    imported: Imported
    written: list[str]  # the paths of the files written, in order
    overwritten: list[str]  # those of them that were there before (only with force)
    rates_read: int = 0  # rates read from the --rates files (of the currencies the XML files name)
    rates_written: tuple[RateQuote, ...] = ()  # those written to rates.toml: of the pairs the ledger converts


def import_files(paths: list[str], to: str, *, reporting_org: str | None = None, force: bool = False,
                 rates: list[str] | None = None) -> ImportDone:
    if not paths:
        raise ImportRefused("give the IATI activity files to import (FILE.xml...)")
    for path in paths:
        if not os.path.isfile(path):
            raise ImportRefused(f"no IATI file at '{path}'")
    for path in rates or []:
        if not os.path.isfile(path):
            raise ImportRefused(f"--rates: no rates file at '{path}'")
    target = Path(to)
    if target.exists() and not target.is_dir():
        raise ImportRefused(f"--to '{to}' is a file, not a folder: give a new or empty folder for the ledger")
    present = sorted(path.name for path in target.iterdir()) if target.is_dir() else []
    if present and not force:
        shown = ", ".join(present[:3]) + (", ..." if len(present) > 3 else "")
        raise ImportRefused(f"--to '{to}' is not empty ({shown}): give a new or empty folder, or --force to write "
                            "into it (files of the same names are overwritten, the others kept)")
    read = [read_activity_file(path) for path in paths]
    quotes: list[RateQuote] = []
    rate_problems = []
    if rates:
        currencies = currencies_of(read)
        for path in rates:
            found = read_rates_csv(path, currencies=currencies)
            quotes += found.quotes
            rate_problems += found.problems
    imported = to_ledger(read, reporting_org, quotes)
    written_rates: list[RateQuote] = []
    if rates:
        entries = rate_entries(quotes, imported)
        files = dict(imported.files)
        if entries.text and files:
            files[RATES_FILE] = ("# Exchange rates from the files given to `cndledger iati import --rates`: each "
                                 "follows the CSV line it comes from.\n\n" + entries.text)
            written_rates = entries.written
        problems = sorted([*imported.problems, *rate_problems, *entries.problems],
                          key=lambda problem: (problem.file, problem.line))
        imported = imported._replace(files=files, problems=problems)
    written, overwritten = [], []
    if imported.files:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in imported.files.items():
            file = target / name
            if file.exists():
                overwritten.append(str(file))
            file.write_text(text, encoding="utf-8")
            written.append(str(file))
    return ImportDone(imported, written, overwritten, len(quotes), tuple(written_rates))
