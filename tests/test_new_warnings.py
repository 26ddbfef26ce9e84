"""The warnings of LEDGER-FORMAT "New checks (version 2)": each on both sides of its boundary, with the
message and the file:line a user sees."""

import pytest

from conftest import COMMITMENT, PREAMBLE, line_of, problems, with_code


def _release(date: str, amount: str = "1000", **keys: str) -> str:
    extra = "".join(f"{key} = {value}\n" for key, value in keys.items())
    return f'\n[[release]]\ncommitment = "C1"\ndate = {date}\namount = {amount}\n{extra}'


def _expense(date: str, amount: str) -> str:
    return f'\n[[expense]]\nproject = "P1"\ndate = {date}\namount = {amount}\n'


# --- overspent ----------------------------------------------------------------------------------

@pytest.mark.parametrize("as_of, warned", [("2005-02-28", False), ("2005-03-01", True)])
def test_overspent_is_judged_on_the_day_of_the_check(ledger, as_of, warned):
    path = ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01", "400") + _expense("2005-03-01", "500"))
    found = with_code(problems(ledger, "--as-of", as_of), "overspent")
    if not warned:
        assert found == []
        return
    assert [(p["message"], p["line"]) for p in found] == [
        ("project 'P1' has spent 500.00 USD of 400.00 USD released as of 2005-03-01: available -100.00 USD",
         line_of(path, "[[project]]"))]
    assert found[0]["severity"] == "warning"


def test_spending_exactly_what_was_released_is_not_overspent(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01", "500") + _expense("2005-03-01", "500"))
    assert problems(ledger, "--as-of", "2005-12-31") == []


# --- condition-broken ---------------------------------------------------------------------------

TRANCHE = """
[[milestone]]
id = "M1"
project = "P1"
title = "Baseline survey"
done = 2005-05-20

[[tranche]]
id = "T1"
commitment = "C1"
amount = 1000
"""


@pytest.mark.parametrize("date, warned", [("2005-05-19", True), ("2005-05-20", False)])
def test_a_release_before_its_required_milestone_was_done(ledger, date, warned):
    path = ledger.write("ledgers/a.toml", COMMITMENT + TRANCHE + 'requires = ["M1"]\n'
                        + _release(date, tranche='"T1"'))
    found = with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken")
    if not warned:
        assert found == []
        return
    assert [(p["message"], p["line"]) for p in found] == [
        (("release of tranche 'T1' dated 2005-05-19 was made while requires did not hold "
         "(milestone 'M1' done 2005-05-20, after 2005-05-19)"), line_of(path, f"date = {date}"))]


@pytest.mark.parametrize("date, warned", [("2005-06-29", True), ("2005-06-30", False)])
def test_a_release_before_not_before(ledger, date, warned):
    ledger.write("ledgers/a.toml", COMMITMENT + TRANCHE + "not_before = 2005-06-30\n" + _release(date, tranche='"T1"'))
    found = with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken")
    assert [p["message"] for p in found] == (
        [f"release of tranche 'T1' dated {date} was made while not_before did not hold ({date} is before 2005-06-30)"]
        if warned else [])


def test_a_release_of_a_month_is_reported_only_where_the_first_day_fails_too(ledger):
    # Done mid-month: the month's last day holds, so nothing; done after the month: both days fail.
    ledger.write("ledgers/a.toml", COMMITMENT + TRANCHE + 'requires = ["M1"]\n' + _release('"2005-05"', tranche='"T1"'))
    assert with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken") == []
    ledger.write("ledgers/a.toml", COMMITMENT + TRANCHE + 'not_before = 2005-05-31\n' + _release('"2005-05"', tranche='"T1"'))
    assert with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken") == []  # holds on its last day
    ledger.write("ledgers/a.toml", COMMITMENT + TRANCHE + 'requires = ["M1"]\n' + _release('"2005-04"', tranche='"T1"'))
    assert [p["message"] for p in with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken")] == [
        ("release of tranche 'T1' dated 2005-04 was made while requires did not hold "
        "(milestone 'M1' done 2005-05-20, after 2005-04-30)")]


def test_the_release_itself_is_left_out_of_min_spent(ledger):
    # 500 released and 250 spent before the second release: 50% of 500, so the tranche of 500 could go;
    # had the release itself counted, 250 of 1000 is 25%.
    text = COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500

[[tranche]]
id = "T2"
commitment = "C1"
amount = 500
after = ["T1"]
min_spent = 0.5
""" + _release("2005-02-01", "500", tranche='"T1"') + _expense("2005-03-01", "{spent}") + _release("2005-04-01", "500", tranche='"T2"')
    ledger.write("ledgers/a.toml", text.format(spent="250"))
    assert with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken") == []
    ledger.write("ledgers/a.toml", text.format(spent="249.99"))
    assert [p["message"] for p in with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken")] == [
        ("release of tranche 'T2' dated 2005-04-01 was made while min_spent did not hold (project 'P1' spent "
        "249.99 of 500.00 released = 49.998% < 50% (needs 250.00 spent) as of 2005-04-01)")]


def test_a_release_before_the_tranche_it_waits_for_is_fully_released(ledger):
    text = COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500

[[tranche]]
id = "T2"
commitment = "C1"
amount = 500
after = ["T1"]
""" + _release("2005-02-01", "500", tranche='"T1"') + _release("{date}", "500", tranche='"T2"')
    ledger.write("ledgers/a.toml", text.format(date="2005-02-01"))
    assert with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken") == []
    ledger.write("ledgers/a.toml", text.format(date="2005-01-31"))
    assert [p["message"] for p in with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken")] == [
        ("release of tranche 'T2' dated 2005-01-31 was made while after did not hold "
        "('T1' not fully released (0.00 of 500.00) by 2005-01-31)")]


def test_matched_by_is_judged_as_release_check_would_have(ledger):
    text = COMMITMENT + """
[[commitment]]
id = "C2"
project = "P1"
party = "AGENCY"
date = 2005-01-10
amount = 200
instrument = "counterpart"

[[tranche]]
id = "T1"
commitment = "C1"
amount = 1000
matched_by = "C2"

[[release]]
commitment = "C2"
date = 2005-03-01
amount = 200
""" + _release("{date}", tranche='"T1"')
    ledger.write("ledgers/a.toml", text.format(date="2005-03-31"))  # 30 days after: within 31
    assert with_code(problems(ledger, "--as-of", "2006-01-01"), "condition-broken") == []
    ledger.write("ledgers/a.toml", text.format(date="2005-04-02"))  # 32 days: unmatched-counterpart too
    found = problems(ledger, "--as-of", "2006-01-01")
    assert [p["message"] for p in with_code(found, "condition-broken")] == [
        ("release of tranche 'T1' dated 2005-04-02 was made while matched_by did not hold (counterpart commitment "
        "'C2' is fully released and its latest release, 200.00 dated 2005-03-01, is 32 days before 2005-04-02, "
        "more than 31)")]


# --- milestone-overdue --------------------------------------------------------------------------

MILESTONE = '\n[[milestone]]\nid = "M1"\nproject = "P1"\ntitle = "Baseline survey"\ndue = 2005-06-30\n'


@pytest.mark.parametrize("as_of, warned", [("2005-06-30", False), ("2005-07-01", True)])
def test_milestone_overdue_once_its_due_day_passed(ledger, as_of, warned):
    path = ledger.write("ledgers/a.toml", PREAMBLE + MILESTONE)
    found = with_code(problems(ledger, "--as-of", as_of), "milestone-overdue")
    assert [(p["message"], p["line"]) for p in found] == (
        [(f"[[milestone]] 'M1' was due 2005-06-30 and is not done as of {as_of}", line_of(path, "due ="))]
        if warned else [])


@pytest.mark.parametrize("done, warned", [("2005-07-10", False), ("2005-07-11", True)])
def test_a_milestone_done_only_after_the_day_of_the_check_is_overdue(ledger, done, warned):
    path = ledger.write("ledgers/a.toml", PREAMBLE + MILESTONE + f"done = {done}\n")
    found = with_code(problems(ledger, "--as-of", "2005-07-10"), "milestone-overdue")
    assert [(p["message"], p["line"]) for p in found] == (
        [(f"[[milestone]] 'M1' was due 2005-06-30 and is done only {done}, after 2005-07-10", line_of(path, "done ="))]
        if warned else [])


# --- future-dated -------------------------------------------------------------------------------

@pytest.mark.parametrize("as_of, warned", [("2005-02-01", False), ("2005-01-31", True)])
def test_a_release_counting_after_the_day_of_the_check(ledger, as_of, warned):
    path = ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01"))
    found = with_code(problems(ledger, "--as-of", as_of), "future-dated")
    assert [(p["message"], p["line"]) for p in found] == (
        [((f"[[release]] dated 2005-02-01 counts from 2005-02-01, after the day of the check ({as_of}): it is "
          "left out of every figure until then"), line_of(path, "date = 2005-02-01"))] if warned else [])


def test_an_expense_of_a_month_counts_from_its_last_day(ledger):
    path = ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01") + _expense('"2005-03"', "10"))
    assert with_code(problems(ledger, "--as-of", "2005-03-31"), "future-dated") == []
    assert [(p["message"], p["line"]) for p in with_code(problems(ledger, "--as-of", "2005-03-30"), "future-dated")] == [
        (("[[expense]] dated 2005-03 counts from 2005-03-31, after the day of the check (2005-03-30): it is left out "
         "of every figure until then"), line_of(path, 'date = "2005-03"'))]


def test_a_typo_in_the_year_is_reported_today(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + _release("2205-09-30"))
    result = ledger.run("check")
    assert result.exit_code == 0
    assert "future-dated" in result.stdout and "2205-09-30" in result.stdout
    assert ledger.run("check", "--strict").exit_code == 1


# --- duplicate-reference ------------------------------------------------------------------------

def test_two_releases_with_one_reference(ledger):
    path = ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01", "400", reference='"TT-1"')
                        + _release("2005-03-01", "400", reference='"TT-2"')
                        + _release("2005-04-01", "200", reference='"TT-1"'))
    found = with_code(problems(ledger, "--as-of", "2006-01-01"), "duplicate-reference")
    assert [(p["message"], p["line"]) for p in found] == [
        (f"release reference 'TT-1' is also the reference of the release at ledgers/a.toml:{line_of(path, '[[release]]')}",
         line_of(path, 'reference = "TT-1"', 2))]


def test_references_differing_in_case_are_not_duplicates(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01", "400", reference='"TT-1"')
                 + _release("2005-04-01", "200", reference='"tt-1"'))
    assert problems(ledger, "--as-of", "2006-01-01") == []



def _expense_with_reference(date: str, reference: str) -> str:
    return _expense(date, "100") + f'reference = "{reference}"\n'


def test_two_expenses_with_one_reference(ledger):
    path = ledger.write("ledgers/a.toml", COMMITMENT + _expense_with_reference("2005-02-01", "INV-7")
                        + _expense_with_reference("2005-03-01", "INV-8")
                        + _expense_with_reference("2005-04-01", "INV-7"))
    found = with_code(problems(ledger, "--as-of", "2006-01-01"), "duplicate-reference")
    assert [(p["message"], p["line"]) for p in found] == [
        (f"expense reference 'INV-7' is also the reference of the expense at ledgers/a.toml:{line_of(path, '[[expense]]')}",
         line_of(path, 'reference = "INV-7"', 2))]
    assert found[0]["severity"] == "warning"


def test_expenses_with_different_references_are_not_duplicates(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01", "400", reference='"INV-7"')
                 + _expense_with_reference("2005-02-01", "INV-7") + _expense_with_reference("2005-03-01", "INV-8"))
    assert with_code(problems(ledger, "--as-of", "2006-01-01"), "duplicate-reference") == []

# --- inkind-after-end ---------------------------------------------------------------------------

ENDING = PREAMBLE.replace('currency = "USD"\n', 'currency = "USD"\nend = 2005-12-20\n')
OFFICE = ('\n[[inkind]]\nid = "K1"\nproject = "P1"\nparty = "DONOR"\ndescription = "Office space"\n'
          'nature = "services"\nstart = "2005-01"\nmonthly_value = 500\n')


@pytest.mark.parametrize("end, warned", [('"2005-12"', False), ("2005-12-20", False), ("2005-12-21", True),
                                         ('"2006-01"', True)])
def test_inkind_ending_after_its_project_only_where_certain(ledger, end, warned):
    path = ledger.write("ledgers/a.toml", ENDING + OFFICE + f"end = {end}\n")
    found = with_code(problems(ledger, "--as-of", "2006-06-01"), "inkind-after-end")
    shown = end.strip('"')
    assert [(p["message"], p["line"]) for p in found] == (
        [(f"[[inkind]] 'K1' ends {shown}, after project 'P1' ends (2005-12-20)", line_of(path, "end = " + end))]
        if warned else [])


def test_an_open_ended_monthly_contribution_in_a_project_that_ends(ledger):
    path = ledger.write("ledgers/a.toml", ENDING + OFFICE)
    found = with_code(problems(ledger, "--as-of", "2006-06-01"), "inkind-after-end")
    assert [(p["message"], p["line"]) for p in found] == [
        ("[[inkind]] 'K1' has a monthly_value and no end, so it accrues after project 'P1' ends (2005-12-20)",
         line_of(path, "monthly_value"))]
    assert 'hint: give it an end on or before its project\'s end: end = "2005-12"' in ledger.run(
        "check", "--as-of", "2006-06-01").stdout
    ledger.write("ledgers/a.toml", PREAMBLE + OFFICE)  # a project without an end
    assert with_code(problems(ledger, "--as-of", "2006-06-01"), "inkind-after-end") == []


# --- check --ignore -----------------------------------------------------------------------------

OVERSPENT_AND_OVERDUE = COMMITMENT + _release("2005-02-01", "400") + _expense("2005-03-01", "500") + MILESTONE


def test_ignore_leaves_the_warnings_of_its_codes_out_and_says_so(ledger):
    ledger.write("ledgers/a.toml", OVERSPENT_AND_OVERDUE)
    assert [p["code"] for p in problems(ledger, "--as-of", "2006-01-01")] == ["overspent", "milestone-overdue"]
    assert [p["code"] for p in problems(ledger, "--as-of", "2006-01-01", "--ignore", "overspent")] == ["milestone-overdue"]
    result = ledger.run("check", "--strict", "--as-of", "2006-01-01", "--ignore", "overspent", "--ignore", "milestone-overdue")
    assert (result.exit_code, result.stdout) == (
        0, "0 errors, 0 warnings in 1 file (2 warnings ignored: milestone-overdue, overspent)\n")
    assert ledger.run("check", "--strict", "--as-of", "2006-01-01", "--ignore", "overspent").exit_code == 1


def test_ignore_of_an_unknown_code_is_bad_usage_with_a_guess(ledger):
    ledger.write("ledgers/a.toml", OVERSPENT_AND_OVERDUE)
    result = ledger.run("check", "--ignore", "overspend")
    assert result.exit_code == 2
    assert result.stderr == ("cndledger: --ignore: no problem has the code 'overspend'; did you mean 'overspent'? "
                             "(cndledger explain lists them)\n")


def test_an_error_is_never_ignored(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + _release("2005-02-01", "1200"))
    result = ledger.run("check", "--ignore", "releases-exceed-commitment")
    assert result.exit_code == 2
    assert "'releases-exceed-commitment' is an error, and errors are never left out" in result.stderr
    assert result.stdout == ""


# --- over-budget of a derived budget ------------------------------------------------------------

PROGRAMME = """
[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "PROG"
title = "A programme"
currency = "USD"

[[project]]
id = "A"
title = "Budgeted"
currency = "USD"
parent = "PROG"
budget = 1000

[[project]]
id = "B"
title = "Not budgeted"
currency = "USD"
parent = "PROG"
"""


def _commitment(project: str, amount: str, number: int) -> str:
    return (f'\n[[commitment]]\nid = "C{number}"\nproject = "{project}"\nparty = "DONOR"\ndate = 2005-01-10\n'
            f"amount = {amount}\n")


def test_a_derived_budget_is_compared_with_the_commitments_of_the_projects_that_set_one(ledger):
    # B's commitments (and the programme's own) have no budget to exceed: A is within its 1000.
    ledger.write("ledgers/a.toml", PROGRAMME + _commitment("A", "1000", 1) + _commitment("B", "5000", 2)
                 + _commitment("PROG", "700", 3))
    assert problems(ledger, "--as-of", "2006-01-01") == []
    balance = ledger.run("balance", "--json", "--as-of", "2006-01-01").json()["projects"][0]
    assert (balance["budget"], balance["committed"], balance["gap"]) == ("1000.00", "6700.00", "-5700.00")  # shown


def test_a_derived_budget_warns_where_the_budgeted_projects_exceed_it(ledger):
    path = ledger.write("ledgers/a.toml", PROGRAMME + _commitment("A", "1000.01", 1) + _commitment("B", "5000", 2))
    found = problems(ledger, "--as-of", "2006-01-01")
    assert [(p["code"], p["message"], p["line"]) for p in found] == [
        ("over-budget", ("project 'PROG' has 1,000.01 USD committed as of 2006-01-01 by the projects below it that "
         "set a budget ('A'), above their budgets' sum of 1,000.00 USD"), line_of(path, 'id = "PROG"') - 1),
        ("over-budget", "project 'A' has 1,000.01 USD committed as of 2006-01-01, above its budget of 1,000.00 USD",
         line_of(path, "budget = 1000"))]


def test_a_derived_budget_reaches_down_through_projects_without_one(ledger):
    # B's budget is A1's 50; the programme's is A's and B's, 1050, against A's and A1's commitments.
    text = PROGRAMME + '\n[[project]]\nid = "A1"\ntitle = "Below B"\ncurrency = "USD"\nparent = "B"\nbudget = 50\n'
    ledger.write("ledgers/a.toml", text + _commitment("A1", "60", 1) + _commitment("B", "900", 2))
    found = problems(ledger, "--as-of", "2006-01-01")
    assert [p["message"] for p in found] == [
        ("project 'B' has 60.00 USD committed as of 2006-01-01 by the projects below it that set a budget ('A1'), "
        "above their budgets' sum of 50.00 USD"),
        "project 'A1' has 60.00 USD committed as of 2006-01-01, above its budget of 50.00 USD"]
    ledger.write("ledgers/a.toml", text + _commitment("A1", "50", 1) + _commitment("A", "1000.01", 2))
    assert [p["message"].split(" committed")[0] for p in problems(ledger, "--as-of", "2006-01-01")] == [
        "project 'PROG' has 1,050.01 USD", "project 'A' has 1,000.01 USD"]


def test_the_shipped_ledgers_pass_a_strict_check(ledger):
    import shutil
    from pathlib import Path

    shutil.copytree(Path(__file__).resolve().parent.parent / "ledgers", ledger.root / "ledgers")
    result = ledger.run("check", "--strict")
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 4 files\n")
