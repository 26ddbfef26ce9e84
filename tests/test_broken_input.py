"""No input, however broken, produces a traceback: every one is a problem with a file and a line."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PREAMBLE

GARBAGE = {
    "binary": b"\x00\x01\x02\xff\xfe[[party]]\n",
    "utf16": '[[party]]\nid = "A"\n'.encode("utf-16"),
    "nested": b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "huge-integer": b'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget = ' + b"9" * 5000 + b"\n",
    "huge-decimal": b'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget = 1e400\n',
    "tiny-decimal": b'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget = 1e-400\n',
    "not-arrays": b'party = 5\nproject = "x"\ncommitment = [1, 2]\nrelease = {commitment = "C"}\n',
    "wrong-shapes": b'[[party]]\nid = ["A"]\nname = {x = 1}\naliases = "A"\n[[project]]\nid = 1\ntitle = 2\ncurrency = 3\n'
                    b'clusters = "one"\nbudget = 1979-05-27\nstart = 07:32:00\n',
    "sub-tables": b'[[party]]\nid = "A"\nname = "n"\n[party.more]\nx = 1\n[[party.list]]\ny = 2\n',
    "inline-array": b'party = [{id = "A", name = "n"}, {id = "A", name = "n", aliases = [1]}]\n',
    "only-comments": b"# nothing here\n\n",
    "empty": b"",
    "crlf": b'[[party]]\r\nid = "A"\r\nname = "n"\r\nnam = "x"\r\n',
    "bom": b'\xef\xbb\xbf[[party]]\nid = "A"\nname = "n"\n',
    "dotted-keys": b'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nbudget.x = 1\nstart.y = 2\n',
    "weird-dates": b'[[project]]\nid = "P"\ntitle = "t"\ncurrency = "USD"\nstart = "0000"\nend = "9999-12"\n'
                   b'[[commitment]]\nid = "C"\nproject = "P"\nparty = "X"\ndate = 0001-01-01\namount = 1\n',
}


@pytest.mark.parametrize("name", GARBAGE)
@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["balance"], ["balance", "--json"]])
def test_garbage_is_reported_without_a_traceback(ledger, name, command):
    (ledger.root / "ledgers").mkdir()
    (ledger.root / "ledgers" / "garbage.toml").write_bytes(GARBAGE[name])
    ledger.write("ledgers/good.toml", PREAMBLE)
    result = ledger.run(*command, "--as-of", "2005-12-31")  # the runner raises on any exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stdout + result.stderr
    if command == ["check", "--format", "json"]:
        for problem in result.json()["problems"]:
            assert problem["file"].endswith(".toml") and problem["line"] >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(list('[]{}="\'#.,:-_ \n\t\\0123456789aeinrtyTZ') + [
    "[[party]]\n", "[[release]]\n", "[[assert]]\n", 'id = "A"\n', 'name = "n"\n', "amount = 1.005\n",
    "date = 2005-02-30\n", '"""', "'''", "nan", "inf", "true", "1e999"]), max_size=120).map("".join))
def test_fuzzed_text_never_crashes_the_check(ledger, text):
    ledger.write("ledgers/fuzz.toml", text)
    result = ledger.run("check", "--format", "json", "--as-of", "2005-12-31")
    assert result.exit_code in (0, 1)
    for problem in result.json()["problems"]:
        assert problem["line"] >= 1
