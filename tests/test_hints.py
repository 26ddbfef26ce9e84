"""Hints that lead to the fix for the mistakes people make most, as `cndledger check` shows them."""

from __future__ import annotations

import pytest

HEAD = """\
[[party]]
id = "D"
name = "A donor"

[[project]]
id = "P1"
title = "A project"
currency = "USD"

[[commitment]]
id = "C1"
project = "P1"
party = "D"
"""

NBSP = "\u00a0"


def check(ledger, body: str):
    ledger.write("ledgers/a.toml", HEAD + body)
    result = ledger.run("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("written", ["70,000", '"70,000"'])
def test_thousands_separators_quoted_or_not_get_the_same_fix(ledger, written):
    shown = check(ledger, f"date = 2005-01-10\namount = {written}\n")
    assert "write 70000 or 70_000: a bare number, with no thousands separators" in shown
    assert "text needs quotes" not in shown and "without quotes" not in shown  # never advice in a circle


def test_an_amount_in_quotes_that_is_a_number_only_loses_its_quotes(ledger):
    shown = check(ledger, 'date = 2005-01-10\namount = "70000"\n')
    assert "got the text '70000' (write it without quotes)" in shown


@pytest.mark.parametrize("written", ["$70,000", '"$70,000"', '"USD 70,000"'])
def test_a_currency_sign_is_named_and_where_the_currency_goes(ledger, written):
    shown = check(ledger, f"date = 2005-01-10\namount = {written}\n")
    assert ("write 70000 or 70_000: a bare number, with no currency sign and no thousands separators; "
            "the currency is the project's, or the entry's currency key") in shown


def test_european_separators_get_the_point_before_the_decimals(ledger):
    shown = check(ledger, 'date = 2005-01-10\namount = "70.000,50"\n')
    assert "write 70000.50 or 70_000.50: a bare number, with no thousands separators and a point before the decimals" in shown


@pytest.mark.parametrize("written", [f"70{NBSP}000", f'"70{NBSP}000"'])
def test_a_no_break_space_is_named_as_such(ledger, written):
    shown = check(ledger, f"date = 2005-01-10\namount = {written}\n")
    assert "no thousands separators, here U+00A0 no-break space" in shown
    if written.startswith('"'):
        assert "got the text '70\\xa0000' (holding U+00A0 no-break space)" in shown


def test_a_no_break_space_elsewhere_on_a_line_is_named(ledger):
    shown = check(ledger, f"date{NBSP}= 2005-01-10\namount = 1\n")
    assert ("hint: the line holds U+00A0 no-break space, which looks like a space: type a plain space, or none, "
            "in its place") in shown


@pytest.mark.parametrize("written, fix", [
    ("30/06/2005", "write 2005-06-30 (year-month-day, no quotes needed)"),
    ('"30/06/2005"', "write 2005-06-30 (year-month-day, no quotes needed)"),
    ('"30.06.2005"', "write 2005-06-30"),
    ('"June 30, 2005"', "write 2005-06-30"),
    ("June 2005", 'write "2005-06" (a month: year-month, in quotes)'),
    ('"June 2005"', 'write "2005-06" (a month: year-month, in quotes)'),
    ('"06/2005"', 'write "2005-06"'),
    ('"03/06/2005"', "write 2005-06-03 if it is day 3 of month 6, 2005-03-06 if it is day 6 of month 3"),
])
def test_dates_as_people_write_them_get_the_iso_form(ledger, written, fix):
    shown = check(ledger, f"date = {written}\namount = 1\n")
    assert fix in shown


def test_a_date_not_of_the_calendar_gets_the_general_advice(ledger):
    shown = check(ledger, 'date = "31/02/2005"\namount = 1\n')
    assert "'31/02/2005' is not a date; write 2005-02-15, \"2005-02\" (a month) or \"2004\" (a year)" in shown


def test_a_utf16_file_is_named_and_to_be_saved_as_utf8(ledger):
    path = ledger.root / "ledgers" / "a.toml"
    path.parent.mkdir()
    path.write_bytes((HEAD + "date = 2005-01-10\namount = 1\n").encode("utf-16"))
    result = ledger.run("check")
    assert result.exit_code == 1
    assert result.stdout == (
        "ledgers/a.toml:1: error[toml-syntax]: the file is not UTF-8 text (byte 1 cannot be read): it is UTF-16 text\n"
        "  = hint: save it as UTF-8 (the editor's Save As, encoding UTF-8; or iconv -f UTF-16 -t UTF-8)\n"
        "1 error, 0 warnings in 1 file\n")
    assert "caret" not in result.stdout  # no line is shown: nothing to point at


def test_a_latin1_file_shows_the_letter_and_to_be_saved_as_utf8(ledger):
    path = ledger.root / "ledgers" / "a.toml"
    path.parent.mkdir()
    path.write_bytes((HEAD.replace("A donor", "Société") + "date = 2005-01-10\namount = 1\n").encode("latin-1"))
    result = ledger.run("check")
    assert result.exit_code == 1
    assert result.stdout == (
        "ledgers/a.toml:3: error[toml-syntax]: the file is not UTF-8 text (byte 32 cannot be read): at line 3, "
        "byte 0xE9, which Latin-1 (or Windows-1252) reads as 'é'\n"
        "  = hint: save it as UTF-8 (the editor's Save As, encoding UTF-8; or iconv -f LATIN1 -t UTF-8)\n"
        "1 error, 0 warnings in 1 file\n")


def test_add_gives_the_same_fix_for_a_separated_amount(ledger):
    ledger.write("ledgers/a.toml", HEAD + "date = 2005-01-10\namount = 100_000\n")
    result = ledger.run("add", "release", "--to", "ledgers/a.toml", "commitment=C1", "date=2005-09-30",
                        "amount=70,000", "--dry-run")
    assert result.exit_code == 1
    assert "write 70000 or 70_000: a bare number, with no thousands separators" in result.stderr
