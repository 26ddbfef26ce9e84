"""`cndledger explain`: every code the checks can emit is explained, and each example really triggers it."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from cndledger.format.explanations import EXPLANATIONS
from cndledger.format.problems import FATAL_CODES

SOURCE = Path(__file__).resolve().parent.parent / "src" / "cndledger"
EMITTERS = {"error", "warning"}  # cndledger.format.problems: every problem is made by one of these


def emitted_codes() -> dict[str, str]:
    """Every code the package's source can emit, with where: the first argument of each error()/warning()
    call, followed through a function parameter where the code is passed in (`_releases_exceed(..., code)`)."""
    found: dict[str, str] = {}
    unresolved: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
        for call in calls:
            if call.func.id not in EMITTERS or not call.args:
                continue
            where = f"{path.name}:{call.lineno}"
            first = call.args[0]
            if isinstance(first, ast.Constant):
                found.setdefault(first.value, where)
                continue
            passed = _codes_passed_in(first, call, functions, calls)
            if not passed:
                unresolved.append(where)
            for code in passed:
                found.setdefault(code, where)
    assert not unresolved, f"cannot tell which code these calls emit: {unresolved}"
    return found


def _codes_passed_in(argument, call, functions, calls) -> list[str]:
    """The constants given for `argument` (a parameter of the function around `call`) where it is called."""
    if not isinstance(argument, ast.Name):
        return []
    around = next((f for f in functions.values() if f.lineno <= call.lineno <= (f.end_lineno or 0)
                   and argument.id in [a.arg for a in f.args.args]), None)
    if around is None:
        return []
    index = [a.arg for a in around.args.args].index(argument.id)
    codes = []
    for other in calls:
        if other.func.id != around.name:
            continue
        given = other.args[index] if index < len(other.args) else next(
            (k.value for k in other.keywords if k.arg == argument.id), None)
        if isinstance(given, ast.Constant):
            codes.append(given.value)
    return codes


def test_every_code_the_source_can_emit_has_an_explanation():
    emitted = emitted_codes()
    assert len(emitted) >= 20  # the walk found the checks
    missing = {code: where for code, where in emitted.items() if code not in EXPLANATIONS}
    assert not missing, f"codes without an entry in explanations.py: {missing}"


def test_every_explanation_is_of_a_code_the_source_emits():
    assert set(EXPLANATIONS) <= set(emitted_codes())


def test_every_fatal_code_is_explained_as_stopping_reports():
    assert FATAL_CODES <= set(EXPLANATIONS)
    assert {code for code, e in EXPLANATIONS.items() if e.stops_reports} == FATAL_CODES


def test_each_explanation_says_what_it_means_how_to_fix_it_and_gives_a_one_line_hint():
    for explanation in EXPLANATIONS.values():
        assert explanation.summary and explanation.meaning and explanation.fix
        assert explanation.hint and "\n" not in explanation.hint
        assert (explanation.example is None) == (explanation.setup is not None), explanation.code


@pytest.mark.parametrize("code", [code for code, e in EXPLANATIONS.items() if e.example is not None])
def test_the_example_triggers_its_code_and_nothing_else(ledger, code):
    explanation = EXPLANATIONS[code]
    ledger.write("example.toml", explanation.example)
    problems = ledger.run("check", "--format", "json", "example.toml").json()["problems"]
    assert {problem["code"] for problem in problems} == {code}
    assert {problem["severity"] for problem in problems} == {explanation.severity.value}


@pytest.mark.parametrize("code", [code for code, e in EXPLANATIONS.items() if e.fixed is not None])
def test_the_fixed_example_has_no_problem(ledger, code):
    ledger.write("example.toml", EXPLANATIONS[code].fixed)
    result = ledger.run("check", "--format", "json", "--strict", "example.toml")
    assert result.json()["problems"] == []
    assert result.exit_code == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_the_unreadable_file_setup_triggers_its_code(ledger):
    ledger.write("ledgers/good.toml", '[[party]]\nid = "DONOR"\nname = "A donor"\n')
    try:
        os.symlink(ledger.root / "deleted.toml", ledger.root / "ledgers" / "broken.toml")
    except OSError:
        pytest.skip("cannot make a symbolic link here")
    result = ledger.run("check", "--format", "json")
    assert [problem["code"] for problem in result.json()["problems"]] == ["unreadable-file"]
    assert "symbolic link" in EXPLANATIONS["unreadable-file"].setup


def test_explain_prints_meaning_example_with_what_check_reports_and_fix(ledger):
    result = ledger.run("explain", "unknown-key")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("unknown-key: a key or table that format v1 does not define\n"
                          "  An error that stops every report: no figures, exit 1.\n")
    for heading in ("What it means", "Example", "How to fix it"):
        assert f"\n{heading}\n" in out
    assert "    aliasses = [\"DNR\"]" in out
    assert ("    example.toml:4: error[unknown-key]: unknown key 'aliasses' in [[party]]; "
            "did you mean 'aliases'?") in out
    assert "        | ^^^^^^^^\n" in out
    assert '    aliases = ["DNR"]' in out


def test_explain_of_a_warning_says_when_it_fails(ledger):
    out = ledger.run("explain", "tranche-overdue").stdout
    assert "A warning: 'cndledger check' reports it, and fails on it only with --strict." in out
    assert "example.toml:" in out and "warning[tranche-overdue]" in out


def test_explain_without_a_code_lists_every_code(ledger):
    result = ledger.run("explain")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert listed == list(EXPLANATIONS)
    assert "  unknown-key                 error   * a key or table that format v1 does not define" in result.stdout
    assert "  over-budget                 warning   more committed than the budget" in result.stdout


def test_explain_of_an_unknown_code_is_bad_usage_with_a_suggestion(ledger):
    result = ledger.run("explain", "unknown_key")
    assert result.exit_code == 2
    assert "no problem has the code 'unknown_key'; did you mean 'unknown-key'?" in result.stderr


def test_the_example_output_names_the_example_not_a_temporary_path(ledger):
    out = ledger.run("explain", "duplicate-id").stdout
    assert "(first at example.toml:1)" in out
    assert "/tmp" not in out and "cndledger-example-" not in out
