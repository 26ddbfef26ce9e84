"""`cndledger iati import FILE.xml... --to DIR`: read the files, make the ledger (`to_ledger`), write its folder.

The folder is written only where it does not exist or is empty, unless `force`: then the files of the
same names are overwritten (and named in the result), and the other files of the folder are left as
they are (they are part of the ledger the folder holds). Nothing is written where a file cannot be
found, or where no activity was read from any file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from cndledger.iati.read import read_activity_file
from cndledger.iati.to_ledger import Imported, to_ledger


class ImportRefused(Exception):
    """Bad usage (exit 2): a file that is not there, a target that is not an empty folder."""


class ImportDone(NamedTuple):
    imported: Imported
    written: list[str]  # the paths of the files written, in order
    overwritten: list[str]  # those of them that were there before (only with force)


def import_files(paths: list[str], to: str, *, reporting_org: str | None = None, force: bool = False) -> ImportDone:
    if not paths:
        raise ImportRefused("give the IATI activity files to import (FILE.xml...)")
    for path in paths:
        if not os.path.isfile(path):
            raise ImportRefused(f"no IATI file at '{path}'")
    target = Path(to)
    if target.exists() and not target.is_dir():
        raise ImportRefused(f"--to '{to}' is a file, not a folder: give a new or empty folder for the ledger")
    present = sorted(path.name for path in target.iterdir()) if target.is_dir() else []
    if present and not force:
        shown = ", ".join(present[:3]) + (", ..." if len(present) > 3 else "")
        raise ImportRefused(f"--to '{to}' is not empty ({shown}): give a new or empty folder, or --force to write "
                            "into it (files of the same names are overwritten, the others kept)")
    imported = to_ledger([read_activity_file(path) for path in paths], reporting_org)
    written, overwritten = [], []
    if imported.files:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in imported.files.items():
            file = target / name
            if file.exists():
                overwritten.append(str(file))
            file.write_text(text, encoding="utf-8")
            written.append(str(file))
    return ImportDone(imported, written, overwritten)
