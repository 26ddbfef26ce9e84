"""Hostile input: every one gets a located, plain message and exit 1 or 2, never a traceback or a hang."""

from __future__ import annotations

import os
import random

import pytest

from conftest import COMMITMENT, PREAMBLE

VALID_RELEASE = COMMITMENT + """
[[release]]
commitment = "C1"
date = 2005-02-01
amount = 400
"""


COMMITMENT_WITH_TRANCHE = VALID_RELEASE + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 100
"""


def project_with_budget(budget: str) -> str:
    return f'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget = {budget}\n'


def assert_plain(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (1, 2)


def only_problem(result) -> dict:
    assert_plain(result)
    problems = result.json()["problems"]
    assert len(problems) == 1, problems
    return problems[0]


def test_a_ten_thousand_deep_nested_array_is_refused_at_its_line(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + "\n[[expense]]\nproject = \"P1\"\nnote = " + "[" * 10_000 + "]" * 10_000 + "\n")
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["line"]) == ("toml-syntax", 17)
    assert "nested too deeply" in problem["message"]


def test_a_deeply_nested_inline_table_is_refused_too(ledger):
    ledger.write("ledgers/a.toml", "x = " + "{a=" * 10_000 + "1" + "}" * 10_000 + "\n")
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["line"]) == ("toml-syntax", 1)


@pytest.mark.parametrize("written, words", [
    ("nan", "finite"), ("inf", "finite"), ("-inf", "finite"), ("+nan", "finite"),
    ("9" * 400, "too large"), ("9" * 400 + ".25", "too large"), ("1e400", "too large"),
    ("1e999999999", "too large"), ("-1e999999999", "too large"), ("-5", "above zero"),
])
def test_amounts_that_are_no_amount_are_located_bad_values(ledger, written, words):
    ledger.write("ledgers/a.toml", project_with_budget(written))
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["line"]) == ("bad-value", 5)
    assert words in problem["message"]


def test_a_number_of_thousands_of_digits_is_located_at_its_line(ledger):
    ledger.write("ledgers/a.toml", project_with_budget("9" * 5_000))
    problem = only_problem(ledger.run("check", "--format", "json"))
    # tomllib refuses to read it; the faster parser reads it and the amount is then refused as too large
    assert (problem["code"], problem["line"]) in {("toml-syntax", 5), ("bad-value", 5)}
    assert problem["message"] in {
        "invalid TOML: a number has too many digits to read",
        "'budget' in [[project]]: the amount is too large (at most 18 digits before the decimal point)",
    }


def test_the_long_line_of_a_problem_is_not_printed_whole(ledger):
    ledger.write("ledgers/a.toml", "x = " + "[" * 10_000 + "]" * 10_000 + "\n")
    result = ledger.run("check")
    assert_plain(result)
    assert "ledgers/a.toml:1: error[toml-syntax]" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) < 200


@pytest.mark.parametrize("bom, newline", [(True, "\n"), (False, "\r\n"), (True, "\r\n")])
def test_a_ledger_with_a_byte_order_mark_or_crlf_is_valid(ledger, bom, newline):
    path = ledger.root / "ledgers" / "a.toml"
    path.parent.mkdir()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + VALID_RELEASE.replace("\n", newline).encode())
    assert ledger.run("check").exit_code == 0
    result = ledger.run("balance", "--json", "--as-of", "2005-12-31")
    assert result.exit_code == 0
    assert result.json()["projects"][0]["released"] == "400.00"


@pytest.mark.parametrize("bom, newline", [(True, "\n"), (False, "\r\n"), (True, "\r\n")])
def test_problems_in_a_ledger_with_a_byte_order_mark_or_crlf_stand_at_the_right_line(ledger, bom, newline):
    path = ledger.root / "ledgers" / "a.toml"
    path.parent.mkdir()
    text = VALID_RELEASE.replace("amount = 400", "amount = 400\nammount = 5")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode())
    result = ledger.run("check")
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["line"]) == ("unknown-key", 26)
    assert "  26 | ammount = 5\n" in result.stdout  # the line shown without its carriage return


def test_an_empty_file_is_an_empty_ledger(ledger):
    ledger.write("ledgers/a.toml", "")
    assert ledger.run("check").exit_code == 0
    result = ledger.run("balance", "--json")
    assert (result.exit_code, result.json()["projects"]) == (0, [])


def test_random_bytes_named_toml_are_reported_not_read(ledger):
    path = ledger.root / "ledgers" / "noise.toml"
    path.parent.mkdir()
    for seed in range(20):
        path.write_bytes(random.Random(seed).randbytes(4096))
        problem = only_problem(ledger.run("check", "--format", "json"))
        assert problem["code"] == "toml-syntax"
        assert problem["file"] == "ledgers/noise.toml" and problem["line"] >= 1


def test_a_folder_that_links_back_to_itself_is_read_once(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE)
    os.symlink("..", ledger.root / "ledgers" / "loop")
    os.symlink(".", ledger.root / "ledgers" / "self")
    result = ledger.run("check")
    assert result.exit_code == 0
    assert "in 1 file" in result.stdout


def test_a_folder_that_is_a_symlink_loop_is_no_ledger(ledger):
    os.symlink("b", ledger.root / "a")
    os.symlink("a", ledger.root / "b")
    result = ledger.run("check", "a")
    assert result.exit_code == 2
    assert result.stderr == "cndledger: no ledger at the path 'a' (no such file, or no *.toml below it)\n"


def test_a_file_that_is_a_symlink_loop_inside_the_ledger_is_located(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE)
    os.symlink("b.toml", ledger.root / "ledgers" / "b.toml")
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["file"], problem["line"]) == ("unreadable-file", "ledgers/b.toml", 1)
    assert "symbolic links" in problem["message"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode; see the test below")
def test_an_unreadable_file_is_located(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE)
    path.chmod(0)
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["file"], problem["message"]) == (
        "unreadable-file", "ledgers/a.toml", "cannot read the file: Permission denied")


def test_an_unreadable_file_is_located_even_for_root(ledger, monkeypatch):
    ledger.write("ledgers/a.toml", PREAMBLE)
    ledger.write("ledgers/b.toml", "")
    real_open = os.open

    def refuse_a(path, *args, **kwargs):
        if str(path).endswith("a.toml"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_a)
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["file"], problem["line"], problem["message"]) == (
        "unreadable-file", "ledgers/a.toml", 1, "cannot read the file: Permission denied")


def test_a_folder_named_like_a_file_is_no_ledger(ledger):
    (ledger.root / "x.toml").mkdir()
    result = ledger.run("check", "x.toml")
    assert result.exit_code == 2
    assert "no ledger at the path 'x.toml'" in result.stderr


def test_a_named_pipe_named_toml_does_not_hang_the_reader(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE)
    os.mkfifo(ledger.root / "ledgers" / "pipe.toml")
    problem = only_problem(ledger.run("check", "--format", "json"))
    assert (problem["code"], problem["file"], problem["message"]) == (
        "unreadable-file", "ledgers/pipe.toml", "cannot read the file: it is not a regular file")


def test_a_200_megabyte_ledger_is_refused_as_too_large(ledger):
    path = ledger.root / "ledgers" / "big.toml"
    path.parent.mkdir()
    with open(path, "wb") as handle:
        handle.write(PREAMBLE.encode())
        chunk = b"# a comment line of a very large ledger file, repeated.\n" * 20_000
        while handle.tell() < 200 * 1024 * 1024:
            handle.write(chunk)
    try:
        problem = only_problem(ledger.run("check", "--format", "json"))
        assert (problem["code"], problem["file"], problem["line"]) == ("unreadable-file", "ledgers/big.toml", 1)
        assert problem["message"].startswith("the file is too large: 200.")
        assert "above the limit of 64 MB for one file (split it, or set CNDLEDGER_MAX_FILE_MB)" in problem["message"]
        assert ledger.run("balance").exit_code == 1
    finally:
        path.unlink()  # pytest keeps the folders of its last runs


def test_the_size_limit_can_be_set(ledger):
    ledger.write("ledgers/a.toml", VALID_RELEASE)
    size = (ledger.root / "ledgers" / "a.toml").stat().st_size
    assert ledger.run("check", env={"CNDLEDGER_MAX_FILE_MB": str(size / 1048576)}).exit_code == 0
    result = ledger.run("check", "--format", "json", env={"CNDLEDGER_MAX_FILE_MB": str((size - 1) / 1048576)})
    assert "too large" in only_problem(result)["message"]


@pytest.mark.parametrize("as_of, accrued", [
    ("9999-12-31", "599940.00"), ("0001-01-15", "0.00"), ("0001-01-31", "5.00"), ("2005-06-15", "120265.00"),
])
def test_in_kind_accrues_at_the_ends_of_the_calendar(ledger, as_of, accrued):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[inkind]]
id = "K"
project = "P1"
party = "DONOR"
description = "office"
nature = "goods"
start = 0001-01-01
monthly_value = 5
""")
    result = ledger.run("balance", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    assert result.json()["projects"][0]["inkind_valued"] == accrued


def test_reading_a_ledger_runs_nothing_written_in_it(ledger):
    marker = ledger.root / "pwned"
    ledger.write("ledgers/a.toml", PREAMBLE.replace('"A project"', repr(f"__import__('os').system('touch {marker}')"))
                 + f'note = "$(touch {marker}) `touch {marker}`"\n')
    for command in (("check",), ("balance",), ("balance", "--json")):
        assert ledger.run(*command).exit_code == 0
    assert not marker.exists()


def test_messages_name_the_paths_as_the_user_gave_them(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + "ammount = 1\n")
    os.symlink("ledgers", ledger.root / "books")
    for given in ("./ledgers/../ledgers/a.toml", "books", "books/"):
        result = ledger.run("check", "--format", "json", given)
        expected = given if given.endswith(".toml") else given.rstrip("/") + "/a.toml"
        assert only_problem(result)["file"] == expected


class Terminal:
    """A stream that says it is a terminal, so that tables are drawn with Rich."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()
        self.write = self.buffer.write
        self.flush = self.buffer.flush

    def isatty(self) -> bool:
        return True


def test_brackets_in_a_ledger_are_text_on_a_terminal_not_rich_markup(monkeypatch):
    from cndledger.render.table import Column, Row, Table, print_table

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    print_table(Table("Balance", [Column("project")], [Row(["P [/bold] and [red]x"])]), terminal)
    assert "P [/bold] and [red]x" in terminal.buffer.getvalue()


def test_control_characters_from_a_ledger_never_reach_the_terminal(ledger, monkeypatch):
    ledger.write("ledgers/a.toml", PREAMBLE.replace('id = "P1"', 'id = "P1\\u001b]0;owned\\u0007\\u202e"')
                 + 'parent = "P0\\u001b[2J"\n')
    for args in (("check",), ("balance",)):
        result = ledger.run(*args)
        assert "\x1b" not in result.stdout + result.stderr and "\u202e" not in result.stdout + result.stderr
        assert "P1\\x1b]0;owned\\x07\\u202e" in result.stdout + result.stderr
    ledger.write("ledgers/a.toml", COMMITMENT_WITH_TRANCHE.replace('"T1"', '"T1\\u001b[2J"'))
    result = ledger.run("release-check", "T1\x1b[2J", "--on", "2005-06-30")
    assert "\x1b" not in result.stdout and "'T1\\x1b[2J'" in result.stdout
    from cndledger.render.table import Column, Row, Table, print_table

    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    print_table(Table("Balance \x1b[2J", [Column("project")], [Row(["P1\x1b]0;owned\x07"])]), terminal)
    assert "\x1b]0" not in terminal.buffer.getvalue() and "\x1b[2J" not in terminal.buffer.getvalue()


@pytest.mark.parametrize("entry", ["cndledger.cli.app", "cndledger.__main__"])
def test_running_out_of_memory_is_said_plainly(ledger, monkeypatch, capsys, entry):
    import importlib
    import sys

    from cndledger.core import api

    def exhausted(*args, **kwargs):
        raise MemoryError

    ledger.write("ledgers/a.toml", PREAMBLE)
    monkeypatch.chdir(ledger.root)
    monkeypatch.setattr(api, "open_ledger", exhausted)
    monkeypatch.setattr(sys, "argv", ["cndledger", "check"])
    with pytest.raises(SystemExit) as exited:
        importlib.import_module(entry).main()
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith("cndledger: not enough memory to read this ledger;")


@pytest.mark.parametrize("amount, places", [
    ("1e-999999999", True), ("-1e-999999999", None), ("1." + "0" * 1_100_000 + "1", True), ("1." + "0" * 1_100_000, False),
])
@pytest.mark.parametrize("key", ["budget", "amount"])
def test_an_amount_finer_than_decimal_arithmetic_reaches_is_judged_on_its_value(ledger, amount, places, key):
    """A remainder below the smallest exponent of the decimal context comes out as 0: the places are counted."""
    where = {"budget": PREAMBLE.replace('currency = "USD"', f'currency = "USD"\nbudget = {amount}'),
             "amount": COMMITMENT.replace("amount = 1000", f"amount = {amount}")}[key]
    ledger.write("ledgers/a.toml", where)
    problems = ledger.run("check", "--format", "json").json()["problems"]
    expected = {True: ["bad-precision"], False: [], None: ["bad-value"]}[places]
    assert [problem["code"] for problem in problems] == expected
