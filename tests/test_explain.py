"""`cndledger explain`: every code the checks can emit is explained, and each example really triggers it."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from cndledger import checks
from cndledger.format import codes
from cndledger.format.codes import CODES as EXPLANATIONS

SOURCE = Path(__file__).resolve().parent.parent / "src" / "cndledger"
BARE_MAKERS = {"error", "warning", "Problem"}  # a problem is made only by its code: codes.X.problem(...)
# The errors after which figures are undefined, as LEDGER-FORMAT "Checks" lists them.
STOPPING_REPORTS = {"toml-syntax", "missing-key", "unknown-key", "bad-value", "bad-precision",
                    "duplicate-id", "unresolved-ref", "cycle", "currency-mismatch", "unreadable-file",
                    "no-rate"}


def _sources():
    for path in sorted(SOURCE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def codes_named_in_source() -> dict[str, str]:
    """Every code the package's source names outside the table, with where: each upper-case name imported
    from cndledger.format.codes, or read as an attribute of it (`codes.DUPLICATE_ID`)."""
    found: dict[str, str] = {}
    for path, tree in _sources():
        if path.name == "codes.py" and path.parent.name == "format":
            continue
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module == "cndledger.format.codes":
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "codes":
                names = [node.attr]
            for name in names:
                if name.isupper() and name not in {"CODES", "ERROR", "WARNING", "FATAL_CODES"}:
                    found.setdefault(name, f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


def test_every_code_the_source_names_is_registered():
    named = codes_named_in_source()
    assert len(named) == len(EXPLANATIONS)  # the walk found the checks and the loader
    unregistered = {name: where for name, where in named.items()
                    if not isinstance(getattr(codes, name, None), codes.Code)}
    assert not unregistered, f"codes not declared in format/codes.py: {unregistered}"


def test_no_problem_is_made_but_by_its_code():
    bare = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            where = f"{path.relative_to(SOURCE)}:{node.lineno}"
            if called in BARE_MAKERS and not (path.name == "codes.py" and called == "Problem") or called == "_replace" and any(k.arg in {"code", "severity"} for k in node.keywords):
                bare.append(where)
    assert not bare, f"problems made otherwise than through format/codes.py: {bare}"


def test_no_code_is_spelt_as_a_string_outside_the_table():
    spelt = [f"{path.relative_to(SOURCE)}:{node.lineno}: {node.value}" for path, tree in _sources()
             if not (path.name == "codes.py" and path.parent.name == "format")
             for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value in EXPLANATIONS]
    assert not spelt, f"codes written as strings (use codes.NAME, or NAME.name): {spelt}"


def test_every_registered_code_is_reported_by_the_loader_or_a_declared_check():
    declared = {code.name for check in checks.CHECKS for code in check.reports}
    load = (SOURCE / "read" / "load.py").read_text(encoding="utf-8")
    loaded = {name for name, code in EXPLANATIONS.items() if f"{code.name.upper().replace('-', '_')}.problem(" in load}
    # `cndledger iati import` reports its own codes, each at a line of an XML file (none is a ledger's).
    importing = (SOURCE / "iati" / "to_ledger.py").read_text(encoding="utf-8")
    imported = {name for name, code in EXPLANATIONS.items() if code.command == "iati import"
                and f"{code.name.upper().replace('-', '_')}," in importing}
    exported = {name for name, code in EXPLANATIONS.items() if code.command == "iati export"}
    assert declared | loaded | imported | exported == set(EXPLANATIONS)
    # bad-value is the loader's, and a check's where the rule needs the ledger: a `rate` on an entry in its
    # project's own currency
    assert declared & loaded <= {"bad-value"} and not imported & (declared | loaded)
    for check in checks.CHECKS:
        source = Path(check.run.__code__.co_filename).read_text(encoding="utf-8")
        for code in check.reports:
            assert code.name.upper().replace("-", "_") in source, (check, code)


def test_the_codes_that_stop_reports_are_the_fatal_errors_of_the_format():
    assert codes.FATAL_CODES == STOPPING_REPORTS
    assert {name for name, code in EXPLANATIONS.items() if code.fatal} == STOPPING_REPORTS
    assert all(EXPLANATIONS[name].severity is codes.ERROR for name in STOPPING_REPORTS)


def test_a_code_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        codes.Code("cycle", codes.ERROR, "again", meaning="m", fix="f", hint="h", example=None, fixed=None)
    assert EXPLANATIONS["cycle"] is codes.CYCLE


def test_each_explanation_says_what_it_means_how_to_fix_it_and_gives_a_one_line_hint():
    for explanation in EXPLANATIONS.values():
        assert explanation.summary and explanation.meaning and explanation.fix
        assert explanation.hint and "\n" not in explanation.hint
        assert (explanation.example is None) == (explanation.setup is not None), explanation.name


@pytest.mark.parametrize("code", [code for code, e in EXPLANATIONS.items() if e.command and e.example])
def test_the_example_of_a_command_of_its_own_triggers_its_code_there_and_not_in_check(ledger, code):
    explanation = EXPLANATIONS[code]
    ledger.write("example.toml", explanation.example)
    assert ledger.run("check", "--format", "json", "example.toml").json()["problems"] == []
    result = ledger.run(*explanation.command.split(), "example.toml")
    assert result.exit_code == 1 and result.stdout == ""
    assert f"[{code}]" in result.stderr
    ledger.write("example.toml", explanation.fixed)
    assert ledger.run(*explanation.command.split(), "example.toml").exit_code == 0


@pytest.mark.parametrize("code", [code for code, e in EXPLANATIONS.items() if e.example is not None
                                  and e.command is None])
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
    assert out.startswith("unknown-key: a key or table that the format does not define\n"
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
    listed = [line.split()[0] for line in result.stdout.splitlines()[2:2 + len(EXPLANATIONS)]]
    assert listed == list(EXPLANATIONS)
    assert "  unknown-key                      error   * a key or table that the format does not define" in result.stdout
    assert "  over-budget                      warning   more committed than the budget" in result.stdout


def test_explain_of_an_unknown_code_is_bad_usage_with_a_suggestion(ledger):
    result = ledger.run("explain", "unknown_key")
    assert result.exit_code == 2
    assert ("no problem code, table, key or figure of the format is named 'unknown_key'; did you mean "
            "'unknown-key'?") in result.stderr


def test_the_example_output_names_the_example_not_a_temporary_path(ledger):
    out = ledger.run("explain", "duplicate-id").stdout
    assert "(first at example.toml:1)" in out
    assert "/tmp" not in out and "cndledger-example-" not in out


def test_explain_without_a_name_lists_the_tables_and_figures_too(ledger):
    lines = ledger.run("explain").stdout.splitlines()[2 + len(EXPLANATIONS):]
    assert lines[0] == ""
    assert lines[1] == "Tables ('cndledger explain TABLE'): party, project, pledge, commitment, tranche,"
    assert "Keys ('cndledger explain KEY'): any key of a table, such as min_spent, in each table" in lines
    assert lines[-2:] == ["  refunded, pledged, inkind_valued, inkind_unvalued, spent, support_cost, available,",
                          "  gap, exchange_difference, opening_available."]


def test_explain_of_a_table_lists_its_keys_with_type_required_and_description(ledger):
    result = ledger.run("explain", "release")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["[[release]]: a table of the ledger",
                         "  Cash that actually arrived against a commitment (and, usually, a tranche)."]
    assert "  commitment  required  id of `[[commitment]]`" in lines
    assert "              The commitment it is released against." in lines
    assert "  tranche     optional  id of `[[tranche]]`" in lines


def test_explain_of_a_key_says_its_table_type_and_meaning(ledger):
    result = ledger.run("explain", "min_spent")
    assert result.exit_code == 0
    assert result.stdout == (
        "min_spent: a key of [[tranche]]\n\n"
        "  In [[tranche]]: share (0 to 1); required: no\n"
        "    The share of the cash released to the project so far that its expenses must reach.\n")


def test_explain_of_a_key_of_several_tables_lists_each(ledger):
    out = ledger.run("explain", "matched_by").stdout + ledger.run("explain", "amount").stdout
    assert "amount: a key of [[pledge]], [[commitment]], [[tranche]], [[release]], [[refund]]" in out
    assert "  In [[expense]]: amount (negative for a credit, never zero); required: yes" in out
    assert "  In [[release]]: amount; required: yes" in out


def test_explain_of_a_figure_gives_its_definition_then_the_assert_key_of_that_name(ledger):
    result = ledger.run("explain", "outstanding")
    assert result.exit_code == 0
    page = result.stdout.split("\n\n")
    assert page[0] == (
        "outstanding: a figure of each project (outstanding; 'cndledger balance' prints it)\n"
        "  For a project, in its currency, as of a day D (--as-of), counting its children:\n"
        "  For each commitment counting on D: its amount minus its decommitments minus its\n"
        "  releases counting on D; with one currency, committed − released.")
    assert page[1] == "outstanding: a key of [[assert]]"


def test_explain_of_the_opening_of_a_period_statement_says_where_it_is_shown(ledger):
    result = ledger.run("explain", "opening_available")
    assert result.exit_code == 0
    assert result.stdout.startswith("opening_available: a figure of each project (opening available;")
    assert "Only in a period statement (`balance --from`, `--period`)" in result.stdout


def test_explain_of_a_name_that_is_a_table_a_key_and_a_figure_shows_all_three(ledger):
    out = ledger.run("explain", "budget").stdout
    assert out.index("[[budget]]: a table of the ledger") < out.index("budget: a figure of each project") \
        < out.index("budget: a key of [[project]]")


def test_explain_says_which_report_prints_the_exchange_difference(ledger):
    out = ledger.run("explain", "exchange_difference").stdout
    assert out.startswith("exchange_difference: a figure of each project (exchange difference; 'cndledger balance' "
                          "prints it)\n")


def test_explain_of_an_unknown_name_suggests_a_key_table_or_figure(ledger):
    for typo, meant in (("min_spnt", "min_spent"), ("relase", "release"), ("outstandng", "outstanding")):
        result = ledger.run("explain", typo)
        assert result.exit_code == 2
        assert f"is named '{typo}'; did you mean '{meant}'? ('cndledger explain' lists them)" in result.stderr
