"""Fuzzing: ledgers generated from the format, valid and mutated, keep every invariant of
tests/fuzz_ledgers.py. bench/fuzz runs the same for as many examples as asked."""

from __future__ import annotations

import os
import shutil
import tempfile

from hypothesis import HealthCheck, given, settings

from fuzz_ledgers import add_cases, fuzz_cases, valid_cases, violations

FUZZ_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _violations_in_a_fresh_folder(case) -> list[str]:
    folder = tempfile.mkdtemp(prefix="cndledger-fuzz-")
    try:
        return violations(case, os.path.join(folder, "ledger"))
    finally:
        shutil.rmtree(folder)


@FUZZ_SETTINGS
@given(valid_cases())
def test_a_valid_ledger_checks_clean_and_its_figures_are_the_sums_of_its_entries(case):
    assert _violations_in_a_fresh_folder(case) == [], case.describe()


@FUZZ_SETTINGS
@given(fuzz_cases())
def test_no_ledger_crashes_the_reader_and_every_problem_is_located(case):
    assert _violations_in_a_fresh_folder(case) == [], case.describe()


@settings(FUZZ_SETTINGS, max_examples=100)
@given(add_cases())
def test_add_writes_only_what_checks_and_touches_nothing_else(case):
    assert _violations_in_a_fresh_folder(case) == [], case.describe()
