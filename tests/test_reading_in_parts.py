"""A large file is read in parts (`read/load.py`, `_parts`): each part parsed and turned into records
before the next, so that one part's tables, never the whole file's, are in memory at once. Read so,
a ledger gives the records and the problems it gives read whole: on generated ledgers, valid and
mutated (hypothesis), and on the texts where a cut could change what a file says."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings

from cndledger.format.problems import sort_key
from cndledger.format.records import RECORDS
from cndledger.read import load
from conftest import COMMITMENT, PREAMBLE
from fuzz_ledgers import fuzz_cases


@contextmanager
def reading(*, in_parts: bool):
    """Every file read in parts, cut before each `[[table]]` line (or every file read whole)."""
    kept = load._PARTS_FROM, load._PART_SIZE
    load._PARTS_FROM, load._PART_SIZE = (0, 1) if in_parts else (1 << 62, 1 << 62)
    try:
        yield
    finally:
        load._PARTS_FROM, load._PART_SIZE = kept


def read(files: dict[str, bytes], *, in_parts: bool):
    """What a user can tell of the ledger read: each record with its file and place, every problem
    (as `check` sorts them), the names of entries refused, and how many entries each file has."""
    with reading(in_parts=in_parts):
        ledger = load.load_contents(sorted(files.items()))
    records = [(kind, entry.entry_number, entry.at, repr(entry)) for kind in RECORDS for entry in ledger.entries_of(kind)]
    problems = sorted(ledger.problems, key=sort_key)
    counts = [(source.path, source.parsed, source.entry_counts) for source in ledger.files]
    return records, problems, ledger.unvalidated_names, counts


def test_a_ledger_is_read_in_parts_where_it_is_large():
    text = PREAMBLE + "".join(f'\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = {n}\n' for n in range(1, 9000))
    assert len(text) > load._PARTS_FROM
    parts = load._parts(text, text.encode())
    assert parts is not None and len(parts) > 1 and "".join(text[start:end] for start, end in parts) == text
    assert all(text.startswith("[[", start) for start, _ in parts[1:])
    ledger = load.load_contents([("ledgers/a.toml", text.encode())])
    assert [expense.amount for expense in ledger.expenses] == list(range(1, 9000))
    assert ledger.expenses[-1].at.line == text.count("\n", 0, text.rindex("[[expense]]")) + 1


@pytest.mark.parametrize("text", [
    # a multi-line string holding a line that looks like a header: the cut there leaves the part unterminated
    COMMITMENT + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 1\nnote = """a note\n[[expense]]\n"""\n',
    # a sub-table of an entry of the part before, and an array of tables inside one
    COMMITMENT + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 1\n\n[expense.detail]\nx = 1\n',
    COMMITMENT + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 1\n\n[[expense.detail]]\nx = 1\n',
    # a table at the top, twice (a fault read whole), and a key before the first header
    COMMITMENT + "\n[meta]\nx = 1\n\n[[expense]]\nproject = 1\n\n[meta]\ny = 2\n",
    'expense = [{project = "P1", date = 2005-02-01, amount = 1}]\n' + COMMITMENT
    + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 2\n',
    # a syntax fault in a late part: located as read whole; an unknown table; Windows line endings
    COMMITMENT + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = = 1\n',
    COMMITMENT + '\n[[expenses]]\nproject = "P1"\n\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 1\n',
    (COMMITMENT + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 1\n').replace("\n", "\r\n"),
    # entries refused (by Pydantic, with its words) in several parts
    COMMITMENT + '\n[[expense]]\nproject = "P1"\namount = 1\n\n[[expense]]\nproject = "P1"\ndate = 2005-13-01\namount = 1\n',
])
def test_a_text_a_cut_could_change_reads_as_it_reads_whole(text):
    files = {"ledgers/a.toml": text.encode()}
    assert read(files, in_parts=True) == read(files, in_parts=False)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(fuzz_cases())
def test_any_ledger_reads_in_parts_as_it_reads_whole(case):
    files = {f"ledgers/{name}": raw for name, raw in case.files.items()}
    assert read(files, in_parts=True) == read(files, in_parts=False), case.describe()
