"""Each check of LEDGER-FORMAT "Checks": its code, the file, and the line (the table's header, or
the key the problem concerns), all found in one run."""

import pytest

from conftest import PREAMBLE, line_of, problems, with_code

COMMITMENT = """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
"""


def commitment(**keys: str) -> str:
    """A [[commitment]] of 1000 by DONOR to P1, with `keys` written in place of (or beside) its own."""
    written = {"id": '"C1"', "project": '"P1"', "party": '"DONOR"', "date": "2005-01-10", "amount": "1000"} | keys
    return "\n[[commitment]]\n" + "\n".join(f"{key} = {value}" for key, value in written.items()) + "\n"


def test_every_problem_is_reported_in_one_run(ledger):
    a = ledger.write("ledgers/a.toml", PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = "Feb 2005"
amount = 1000

[[commitment]]
id = "C2"
project = "P1"
party = "NOBODY"
date = 2005-01-10
amount = 1000

[[expense]]
project = "P1"
date = 2005-01-10
ammount = 5
""")
    b = ledger.write("ledgers/b.toml", """
[[project]]
id = "P1"
title = "The same id again"
currency = "USD"

[[release]]
commitment = "C2"
date = 2005-01-01
amount = 2000
""")
    result = ledger.run("check", "--format", "json")
    assert result.exit_code == 1
    found = {(p["code"], p["file"], p["line"]) for p in result.json()["problems"]}
    assert found >= {
        ("bad-value", "ledgers/a.toml", line_of(a, 'date = "Feb 2005"')),
        ("unresolved-ref", "ledgers/a.toml", line_of(a, 'party = "NOBODY"')),
        ("unknown-key", "ledgers/a.toml", line_of(a, "ammount")),
        ("missing-key", "ledgers/a.toml", line_of(a, "[[expense]]")),
        ("duplicate-id", "ledgers/b.toml", line_of(b, 'id = "P1"')),
        ("release-before-commitment", "ledgers/b.toml", line_of(b, "date = 2005-01-01")),
        ("releases-exceed-commitment", "ledgers/b.toml", line_of(b, "amount = 2000")),
    }


# --- toml-syntax -----------------------------------------------------------------------------

def test_toml_syntax_gives_line_and_column_and_other_files_are_still_checked(ledger):
    broken = ledger.write("ledgers/a.toml", """
[[party]]
id = "DONOR"
name =
""")
    ledger.write("ledgers/b.toml", """
[[project]]
id = "P1"
title = "A project"
currency = "USD"
budgt = 5
""")
    result = ledger.run("check", "--format", "json")
    assert result.exit_code == 1
    syntax, = with_code(result.json()["problems"], "toml-syntax")
    assert (syntax["file"], syntax["line"]) == ("ledgers/a.toml", line_of(broken, "name ="))
    assert "column 7" in syntax["message"]
    unknown, = with_code(result.json()["problems"], "unknown-key")
    assert unknown["file"] == "ledgers/b.toml"


def test_toml_syntax_in_text_form_shows_the_column(ledger):
    ledger.write("ledgers/a.toml", 'x = [1,\n\n"unclosed\n')
    result = ledger.run("check")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("ledgers/a.toml:3: error[toml-syntax]: ")
    assert "column" in first


def test_unresolved_refs_are_not_reported_while_a_file_failed_to_parse(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE)
    ledger.write("ledgers/b.toml", """
[[commitment]]
id = "C1"
project = "P1"
party = "DEFINED-IN-THE-BROKEN-FILE"
date = 2005-01-10
amount = 1000
""")
    broken = ledger.write("ledgers/c.toml", '[[party]]\nid = "DEFINED-IN-THE-BROKEN-FILE\n')
    found = problems(ledger)
    assert [p["code"] for p in found] == ["toml-syntax"]

    broken.write_text('[[party]]\nid = "DEFINED-ELSEWHERE"\nname = "x"\n')
    assert [p["code"] for p in problems(ledger)] == ["unresolved-ref"]


def test_a_file_that_is_not_utf8_is_a_syntax_error_not_a_crash(ledger):
    (ledger.root / "ledgers").mkdir()
    (ledger.root / "ledgers" / "a.toml").write_bytes(b'[[party]]\nid = "\xff\xfe"\n')
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("toml-syntax", 2)]


# --- missing-key -----------------------------------------------------------------------------

REQUIRED = {
    "party": {"id": '"X"', "name": '"A name"'},
    "project": {"id": '"PX"', "title": '"A title"', "currency": '"USD"'},
    "commitment": {"id": '"CX"', "project": '"P1"', "party": '"DONOR"', "date": "2005-01-10", "amount": "100"},
    "tranche": {"id": '"TX"', "commitment": '"C1"', "amount": "100"},
    "release": {"commitment": '"C1"', "date": "2005-01-10", "amount": "100"},
    "inkind": {"id": '"KX"', "project": '"P1"', "party": '"DONOR"', "description": '"Office space"',
               "nature": '"services"', "start": "2005-01-10"},
    "expense": {"project": '"P1"', "date": "2005-01-10", "amount": "100"},
    "milestone": {"id": '"MX"', "project": '"P1"', "title": '"A report"'},
    "assert": {"project": '"P1"', "date": "2005-12-31", "committed": "1000"},
}


@pytest.mark.parametrize("kind, missing", [(k, key) for k, keys in REQUIRED.items() for key in keys
                                            if (k, key) != ("assert", "committed")])
def test_missing_key_is_reported_at_the_tables_header(ledger, kind, missing):
    body = "\n".join(f"{key} = {value}" for key, value in REQUIRED[kind].items() if key != missing)
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + f"\n[[{kind}]]\n{body}\n")
    header = line_of(path, f"[[{kind}]]", (PREAMBLE + COMMITMENT).count(f"[[{kind}]]") + 1)
    found = with_code(problems(ledger), "missing-key")
    assert [(p["file"], p["line"]) for p in found] == [("ledgers/a.toml", header)]
    assert f"'{missing}'" in found[0]["message"]


def test_an_assert_without_any_figure_is_a_missing_key(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + """
[[assert]]
project = "P1"
date = 2005-12-31
source = "A statement that gives no figure"
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("missing-key", line_of(path, "[[assert]]"))]
    for figure in ("committed", "released", "outstanding", "spent", "available"):
        assert figure in found[0]["message"]


# --- unknown-key -----------------------------------------------------------------------------

def test_unknown_key_is_reported_at_its_line_with_did_you_mean(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[release]]
commitment = "C1"
date = 2005-02-01
ammount = 500
""")
    found = problems(ledger)
    unknown, = with_code(found, "unknown-key")
    assert unknown["line"] == line_of(path, "ammount = 500")
    assert "unknown key 'ammount' in [[release]]; did you mean 'amount'?" in unknown["message"]


def test_unknown_key_far_from_every_key_has_no_guess(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE.replace('name = "A donor"', 'name = "A donor"\nzzqx = 1'))
    unknown, = with_code(problems(ledger), "unknown-key")
    assert "did you mean" not in unknown["message"]


def test_unknown_table_is_an_unknown_key_at_its_header(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + """
[[expens]]
project = "P1"
date = 2005-01-10
amount = 10

[settings]
x = 1
""")
    found = with_code(problems(ledger), "unknown-key")
    assert [p["line"] for p in found] == [line_of(path, "[[expens]]"), line_of(path, "[settings]")]
    assert "did you mean 'expense'?" in found[0]["message"]


def test_a_top_level_key_is_unknown(ledger):
    path = ledger.write("ledgers/a.toml", 'version = 1\n' + PREAMBLE)
    unknown, = with_code(problems(ledger), "unknown-key")
    assert unknown["line"] == line_of(path, "version = 1")


def test_a_sub_table_of_an_entry_is_an_unknown_key(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + "\n[commitment.extra]\nx = 1\n")
    unknown, = with_code(problems(ledger), "unknown-key")
    assert unknown["line"] == line_of(path, "[commitment.extra]")


# --- bad-value -------------------------------------------------------------------------------

@pytest.mark.parametrize("key, value", [
    ("date", "2005-02-01T10:00:00"),
    ("date", "2005-02-01 10:00:00Z"),
    ("date", "10:00:00"),
    ("date", '"2005-13"'),
    ("date", '"2005-02-30"'),
    ("date", '"Feb 2005"'),
    ("date", '"2005-2"'),
    ("date", '"2005-02-15T00:00"'),
    ("date", "2005"),
    ("amount", '"1000"'),
    ("amount", "-1000"),
    ("amount", "0"),
    ("amount", "0.00"),
    ("amount", "nan"),
    ("amount", "inf"),
    ("amount", "-inf"),
    ("amount", "true"),
    ("currency", '"usd"'),
    ("currency", '"XYZ"'),
    ("instrument", '"loan"'),
    ("project", "12"),
    ("id", '""'),
])
def test_bad_value_is_reported_at_the_keys_line(ledger, key, value):
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment(**{key: value}))
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("bad-value", line_of(path, f"{key} = {value}"))]


def test_bad_value_in_a_list_and_in_a_share(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('name = "An agency"', 'name = "An agency"\naliases = ["OLD", 5]')
                        + COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 100
min_spent = 1.5
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("bad-value", line_of(path, 'aliases = ["OLD", 5]')), ("bad-value", line_of(path, "min_spent = 1.5"))]


def test_a_table_written_once_instead_of_as_an_array_is_a_bad_value(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + '\n[release]\ncommitment = "C1"\n')
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("bad-value", line_of(path, "[release]"))]


def test_inkind_with_both_value_and_monthly_value_is_a_bad_value(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + """
[[inkind]]
id = "K1"
project = "P1"
party = "DONOR"
description = "Office space"
nature = "services"
start = 2005-01-01
value = 1200
monthly_value = 100
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("bad-value", line_of(path, "monthly_value = 100"))]
    assert "value" in found[0]["message"] and "monthly_value" in found[0]["message"]


def test_lower_precision_dates_and_assert_figures_of_zero_or_below_are_good_values(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = "2005-01"
amount = 1000

[[commitment]]
id = "C2"
project = "P1"
party = "DONOR"
date = "2005"
amount = 1000

[[assert]]
project = "P1"
date = "2004"
committed = 0
available = -0.00
""")
    assert problems(ledger) == []


# --- bad-precision ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount, ok", [
    ("70000.505", False), ("70000.500", True), ("70000.50", True), ("70000.5", True), ("70000.001", False),
])
def test_bad_precision_is_judged_on_the_value(ledger, amount, ok):
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment(amount=amount))
    found = problems(ledger)
    if ok:
        assert found == []
    else:
        assert [(p["code"], p["line"]) for p in found] == [("bad-precision", line_of(path, f"amount = {amount}"))]


def test_bad_precision_follows_the_currency_of_the_project_and_of_the_entry(ledger):
    path = ledger.write("ledgers/a.toml", """
[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "PJ"
title = "In yen"
currency = "JPY"
budget = 1000000.0

[[commitment]]
id = "C1"
project = "PJ"
party = "DONOR"
date = 2005-01-10
amount = 500000.5

[[release]]
commitment = "C1"
date = 2005-01-11
amount = 100.25
currency = "JPY"

[[tranche]]
id = "T1"
commitment = "C1"
amount = 10.1

[[expense]]
project = "PJ"
date = 2005-01-12
amount = 7
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("bad-precision", line_of(path, "amount = 500000.5")),
        ("bad-precision", line_of(path, "amount = 100.25")),
        ("bad-precision", line_of(path, "amount = 10.1")),
    ]
    assert "JPY" in found[0]["message"]


def test_bad_precision_of_budget_value_and_assert_figures(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nbudget = 1.001') + """
[[inkind]]
id = "K1"
project = "P1"
party = "DONOR"
description = "Desks"
nature = "goods"
start = 2005-01-01
monthly_value = 0.125

[[assert]]
project = "P1"
date = 2005-12-31
spent = 0.001
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("bad-precision", line_of(path, "budget = 1.001")),
        ("bad-precision", line_of(path, "monthly_value = 0.125")),
        ("bad-precision", line_of(path, "spent = 0.001")),
    ]


# --- duplicate-id ----------------------------------------------------------------------------

def test_duplicate_id_points_at_the_second_and_names_the_first(ledger):
    a = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT)
    b = ledger.write("ledgers/b.toml", """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
""")
    duplicate, = with_code(problems(ledger), "duplicate-id")
    assert (duplicate["file"], duplicate["line"]) == ("ledgers/b.toml", line_of(b, 'id = "C1"'))
    assert f"ledgers/a.toml:{line_of(a, '[[commitment]]')}" in duplicate["message"]


@pytest.mark.parametrize("kind", ["project", "tranche", "release", "inkind", "expense", "milestone"])
def test_duplicate_id_in_each_table_kind(ledger, kind):
    entry = {
        "project": 'id = "P1"\ntitle = "Again"\ncurrency = "USD"',
        "tranche": 'id = "X"\ncommitment = "C1"\namount = 1',
        "release": 'id = "X"\ncommitment = "C1"\ndate = 2005-02-01\namount = 1',
        "inkind": 'id = "X"\nproject = "P1"\nparty = "DONOR"\ndescription = "d"\nnature = "goods"\nstart = 2005-02-01',
        "expense": 'id = "X"\nproject = "P1"\ndate = 2005-02-01\namount = 1',
        "milestone": 'id = "X"\nproject = "P1"\ntitle = "A report"',
    }[kind]
    twice = "" if kind == "project" else f"\n[[{kind}]]\n{entry}\n"
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + twice + f"\n[[{kind}]]\n{entry}\n")
    found = problems(ledger)
    assert [p["code"] for p in found] == ["duplicate-id"]
    ident = entry.split("\n")[0]
    assert found[0]["line"] == line_of(path, ident, 2)


def test_the_same_id_in_two_table_kinds_is_no_duplicate(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment(id='"P1"'))
    assert problems(ledger) == []


def test_party_alias_equal_to_another_partys_id_or_alias_is_a_duplicate(ledger):
    path = ledger.write("ledgers/a.toml", """
[[party]]
id = "TDAP"
name = "Trade Development Authority"
aliases = ["EPB"]

[[party]]
id = "SMEDA"
name = "SME Development Authority"
aliases = ["TDAP"]

[[party]]
id = "OTHER"
name = "Another body"
aliases = ["EPB"]

[[party]]
id = "EPB"
name = "A party whose id is another's alias"
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("duplicate-id", line_of(path, 'aliases = ["TDAP"]')),
        ("duplicate-id", line_of(path, 'aliases = ["EPB"]', 2)),
        ("duplicate-id", line_of(path, 'id = "EPB"')),
    ]


def test_a_partys_alias_equal_to_its_own_id_is_no_duplicate(ledger):
    # The contract makes a duplicate of an alias equal to *another* party's id or alias; repeating
    # one's own name is redundant but names no one else.
    ledger.write("ledgers/a.toml", """
[[party]]
id = "TDAP"
name = "Trade Development Authority"
aliases = ["TDAP", "EPB", "EPB"]
""")
    assert problems(ledger) == []


# --- unresolved-ref --------------------------------------------------------------------------

UNRESOLVED = [
    ("commitment", "party", 'id = "C9"\nproject = "P1"\nparty = "NOBODY"\ndate = 2005-01-10\namount = 1'),
    ("commitment", "project", 'id = "C9"\nproject = "NOPROJECT"\nparty = "DONOR"\ndate = 2005-01-10\namount = 1'),
    ("project", "parent", 'id = "P2"\ntitle = "Child"\ncurrency = "USD"\nparent = "NOPROJECT"'),
    ("project", "executing", 'id = "P2"\ntitle = "Child"\ncurrency = "USD"\nexecuting = "NOBODY"'),
    ("inkind", "party", 'id = "K"\nproject = "P1"\nparty = "NOBODY"\ndescription = "d"\nnature = "goods"\nstart = 2005-02-01'),
    ("inkind", "project", 'id = "K"\nproject = "NOPROJECT"\nparty = "DONOR"\ndescription = "d"\nnature = "goods"\nstart = 2005-02-01'),
    ("release", "commitment", 'commitment = "NOCOMMITMENT"\ndate = 2005-02-01\namount = 1'),
    ("release", "tranche", 'commitment = "C1"\ntranche = "NOTRANCHE"\ndate = 2005-02-01\namount = 1'),
    ("tranche", "commitment", 'id = "T9"\ncommitment = "NOCOMMITMENT"\namount = 1'),
    ("tranche", "requires", 'id = "T9"\ncommitment = "C1"\namount = 1\nrequires = ["NOMILESTONE"]'),
    ("tranche", "after", 'id = "T9"\ncommitment = "C1"\namount = 1\nafter = ["NOTRANCHE"]'),
    ("tranche", "matched_by", 'id = "T9"\ncommitment = "C1"\namount = 1\nmatched_by = "NOCOMMITMENT"'),
    ("expense", "project", 'project = "NOPROJECT"\ndate = 2005-02-01\namount = 1'),
    ("expense", "cluster", 'project = "P1"\ndate = 2005-02-01\namount = 1\ncluster = "Cutlery"'),
    ("milestone", "project", 'id = "M"\nproject = "NOPROJECT"\ntitle = "A report"'),
    ("assert", "project", 'project = "NOPROJECT"\ndate = 2005-12-31\ncommitted = 1'),
]


@pytest.mark.parametrize("kind, key, entry", UNRESOLVED, ids=[f"{k}.{key}" for k, key, _ in UNRESOLVED])
def test_unresolved_ref_is_reported_at_the_keys_line(ledger, kind, key, entry):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + f"\n[[{kind}]]\n{entry}\n")
    reference = next(line for line in entry.split("\n") if line.startswith(f"{key} = "))
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("unresolved-ref", line_of(path, reference))]
    name = reference.split(" = ")[1].strip('[]"')
    assert f"'{name}'" in found[0]["message"]


def test_a_reference_by_alias_resolves_to_the_party(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nexecuting = "OLD-DONOR"')
                 + commitment(party='"OLD-DONOR"') + """
[[inkind]]
id = "K1"
project = "P1"
party = "OLD-DONOR"
description = "Desks"
nature = "goods"
start = 2005-01-01
""")
    assert problems(ledger) == []


def test_references_that_resolve_in_another_file_are_fine(ledger):
    ledger.write("ledgers/z-parties.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nclusters = ["Cutlery"]'))
    ledger.write("ledgers/a-funding.toml", COMMITMENT + """
[[milestone]]
id = "M1"
project = "P1"
title = "Baseline survey"

[[tranche]]
id = "T1"
commitment = "C1"
amount = 500
requires = ["M1"]

[[tranche]]
id = "T2"
commitment = "C1"
amount = 500
after = ["T1"]
matched_by = "C1"

[[release]]
commitment = "C1"
tranche = "T2"
date = 2005-02-01
amount = 500

[[expense]]
project = "P1"
date = 2005-02-01
amount = 10
cluster = "Cutlery"
""")
    assert with_code(problems(ledger), "unresolved-ref") == []


# --- cycle -----------------------------------------------------------------------------------

def test_a_cycle_in_the_project_tree_is_reported_once(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nparent = "P3"') + """
[[project]]
id = "P2"
title = "Child"
currency = "USD"
parent = "P1"

[[project]]
id = "P3"
title = "Grandchild"
currency = "USD"
parent = "P2"
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("cycle", line_of(path, 'parent = "P3"'))]
    for project in ("P1", "P2", "P3"):
        assert project in found[0]["message"]


def test_a_project_that_is_its_own_parent_is_a_cycle(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nparent = "P1"'))
    assert [(p["code"], p["line"]) for p in problems(ledger)] == [("cycle", line_of(path, 'parent = "P1"'))]


def test_a_cycle_of_tranches_after(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 100
after = ["T2"]

[[tranche]]
id = "T2"
commitment = "C1"
amount = 100
after = ["T1"]

[[tranche]]
id = "T3"
commitment = "C1"
amount = 100
after = ["T3"]
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("cycle", line_of(path, 'after = ["T2"]')), ("cycle", line_of(path, 'after = ["T3"]'))]


# --- sums that exceed ------------------------------------------------------------------------

@pytest.mark.parametrize("second, reported", [("400.01", True), ("400", False)])
def test_tranches_exceed_commitment_points_at_the_tranche_that_passes_it(ledger, second, reported):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + f"""
[[tranche]]
id = "T1"
commitment = "C1"
amount = 600

[[tranche]]
id = "T2"
commitment = "C1"
amount = {second}
""")
    found = problems(ledger)
    if not reported:
        assert found == []
        return
    assert [(p["code"], p["line"]) for p in found] == [("tranches-exceed-commitment", line_of(path, "amount = 400.01"))]
    assert "1,000.01" in found[0]["message"] and "1,000.00" in found[0]["message"]


def test_releases_exceed_commitment_points_at_the_release_that_passes_it(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[release]]
commitment = "C1"
date = 2005-03-01
amount = 0.50

[[release]]
commitment = "C1"
date = 2005-02-01
amount = 1000
""")
    found = problems(ledger)
    # in date order, the release of March is the one that takes the total past 1,000
    assert [(p["code"], p["line"]) for p in found] == [("releases-exceed-commitment", line_of(path, "amount = 0.50"))]


@pytest.mark.parametrize("second, reported", [("100.50", True), ("100", False)])
def test_releases_exceed_tranche(ledger, second, reported):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + f"""
[[tranche]]
id = "T1"
commitment = "C1"
amount = 300

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-02-01
amount = 200

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-01
amount = {second}

[[release]]
commitment = "C1"
date = 2005-03-01
amount = 700
""")
    found = problems(ledger)
    if reported:
        assert [(p["code"], p["line"]) for p in found] == [
            ("releases-exceed-tranche", line_of(path, "amount = 100.50")),
            ("releases-exceed-commitment", line_of(path, "amount = 700"))]
    else:
        assert found == []  # releases up to the tranche and up to the commitment


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("commitment_date, release_date, reported", [
    ("2009-02-20", "2009-02-19", True),
    ("2009-02-20", "2009-02-20", False),
    ('"2009-02"', "2009-02-20", False),    # the commitment may have been made on the 1st: not certain
    ('"2009-02"', '"2009-01"', True),
    ('"2009"', "2009-01-01", False),
    ("2009-06-15", '"2009"', False),
    ("2009-06-15", '"2009-05"', True),
    ('"2009"', '"2008"', True),
])
def test_release_before_commitment_reports_only_what_is_certain(ledger, commitment_date, release_date, reported):
    path = ledger.write("ledgers/a.toml", PREAMBLE + commitment(date=commitment_date)
                        + f'\n[[release]]\ncommitment = "C1"\ndate = {release_date}\namount = 10\n')
    found = with_code(problems(ledger), "release-before-commitment")
    if reported:
        assert [p["line"] for p in found] == [line_of(path, f"date = {release_date}")]
    else:
        assert found == []


def test_release_before_commitment_in_another_file_names_the_commitments_location(ledger):
    a = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT)
    b = ledger.write("ledgers/b.toml", '[[release]]\ncommitment = "C1"\ndate = 2004-12-31\namount = 10\n')
    found, = problems(ledger)
    assert (found["code"], found["file"], found["line"]) == (
        "release-before-commitment", "ledgers/b.toml", line_of(b, "date = 2004-12-31"))
    assert f"ledgers/a.toml:{line_of(a, '[[commitment]]')}" in found["message"]


@pytest.mark.parametrize("start, end, reported", [
    ("2005-03-01", "2005-02-28", True),
    ("2005-03-01", "2005-03-01", False),
    ('"2005-03"', "2005-03-01", False),
    ('"2005"', '"2004-12"', True),
    ("2005-03-15", '"2005-03"', False),
])
def test_end_before_start_of_inkind(ledger, start, end, reported):
    path = ledger.write("ledgers/a.toml", PREAMBLE + f"""
[[inkind]]
id = "K1"
project = "P1"
party = "DONOR"
description = "Office space"
nature = "services"
start = {start}
end = {end}
""")
    found = problems(ledger)
    if reported:
        assert [(p["code"], p["line"]) for p in found] == [("end-before-start", line_of(path, "end = "))]
    else:
        assert found == []


def test_end_before_start_of_a_project(ledger):
    # The format names in-kind; a project that ends before it starts is as wrong (README: choices).
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nstart = "2005-03"\nend = "2005-02"'))
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("end-before-start", line_of(path, 'end = "2005-02"'))]


# --- tranche-commitment, currency-mismatch ---------------------------------------------------

def test_tranche_commitment_when_a_release_names_another_commitments_tranche(ledger):
    a = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[commitment]]
id = "C2"
project = "P1"
party = "AGENCY"
date = 2005-01-10
amount = 1000

[[tranche]]
id = "T2"
commitment = "C2"
amount = 500
""")
    b = ledger.write("ledgers/b.toml", '[[release]]\ncommitment = "C1"\ntranche = "T2"\ndate = 2005-02-01\namount = 10\n')
    found, = problems(ledger)
    assert (found["code"], found["file"], found["line"]) == ("tranche-commitment", "ledgers/b.toml", line_of(b, "tranche ="))
    assert f"ledgers/a.toml:{line_of(a, '[[tranche]]')}" in found["message"]


@pytest.mark.parametrize("kind", ["release", "refund", "decommitment"])
def test_currency_mismatch_of_an_entry_against_a_commitment(ledger, kind):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + f"""
[[{kind}]]
commitment = "C1"
date = 2005-02-01
amount = 1
currency = "EUR"
""")
    found = with_code(problems(ledger), "currency-mismatch")
    assert [(p["code"], p["line"]) for p in found] == [("currency-mismatch", line_of(path, 'currency = "EUR"'))]
    assert "EUR" in found[0]["message"] and "USD" in found[0]["message"]
    assert "its commitment 'C1'" in found[0]["message"]


@pytest.mark.parametrize("kind, entry", [
    ("commitment", 'id = "C2"\nproject = "P1"\nparty = "DONOR"\ndate = 2005-01-10\namount = 1\ncurrency = "EUR"'),
    ("expense", 'project = "P1"\ndate = 2005-02-01\namount = 1\ncurrency = "EUR"'),
    ("inkind", ('id = "K"\nproject = "P1"\nparty = "DONOR"\ndescription = "d"\nnature = "goods"\nstart = 2005-02-01\n'
                'value = 1\ncurrency = "EUR"')),
])
def test_an_entry_in_another_currency_without_a_rate_is_no_rate_at_the_entry(ledger, kind, entry):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + f"\n[[{kind}]]\n{entry}\n")
    found = problems(ledger)
    header = [number for number, text in enumerate(path.read_text().splitlines(), 1) if text == f"[[{kind}]]"][-1]
    assert [(p["code"], p["line"]) for p in found] == [("no-rate", header)]
    assert "no rate from EUR to USD on or before 2005-" in found[0]["message"]
    assert "the ledger has no rate between EUR and USD" in found[0]["message"]


def test_an_entry_that_repeats_its_projects_currency_is_fine(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + 'currency = "USD"\n')
    assert problems(ledger) == []


def test_a_child_project_in_another_currency_is_fine_until_an_amount_needs_converting(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[project]]
id = "P2"
title = "Child in euros"
currency = "EUR"
parent = "P1"
""")
    assert problems(ledger) == []


# --- unmatched-counterpart -------------------------------------------------------------------

MATCHED = PREAMBLE + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-01
amount = 1000

[[commitment]]
id = "COUNTERPART"
project = "P1"
party = "AGENCY"
date = 2005-01-01
amount = 500

[[tranche]]
id = "T1"
commitment = "C1"
amount = 1000
matched_by = "COUNTERPART"

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-01
amount = 1000
"""


@pytest.mark.parametrize("counterpart_date, reported", [
    ("2005-03-01", False),
    ("2005-04-01", False),   # 31 days after
    ("2005-04-02", True),    # 32 days after
    ("2005-01-29", False),   # 31 days before
    ("2005-01-28", True),    # 32 days before
    ('"2005-04"', False),    # could be 2005-04-01: not certain
    ('"2005-05"', True),
])
def test_unmatched_counterpart_window_is_31_days_either_side(ledger, counterpart_date, reported):
    path = ledger.write("ledgers/a.toml", MATCHED + f"""
[[release]]
commitment = "COUNTERPART"
date = {counterpart_date}
amount = 500
""")
    found = with_code(problems(ledger), "unmatched-counterpart")
    if reported:
        assert [p["line"] for p in found] == [line_of(path, "date = 2005-03-01")]
        assert "COUNTERPART" in found[0]["message"]
    else:
        assert found == []


def test_unmatched_counterpart_without_any_counterpart_release(ledger):
    path = ledger.write("ledgers/a.toml", MATCHED)
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("unmatched-counterpart", line_of(path, "date = 2005-03-01"))]


def test_an_unreleased_matched_tranche_needs_no_counterpart_release(ledger):
    ledger.write("ledgers/a.toml", MATCHED.split("[[release]]")[0])
    assert problems(ledger) == []


# --- assert-failed ---------------------------------------------------------------------------

def test_assert_failed_shows_asserted_computed_and_difference(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[release]]
commitment = "C1"
date = 2005-02-01
amount = 400

[[assert]]
project = "P1"
date = 2005-12-31
source = "Statement of 31 December 2005"
committed = 1000
released = 450.50
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("assert-failed", line_of(path, "released = 450.50"))]
    message = found[0]["message"]
    assert "450.50" in message and "400.00" in message and "50.50" in message


def test_assert_is_judged_as_of_its_date_with_children_included(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + """
[[project]]
id = "P2"
title = "Child"
currency = "USD"
parent = "P1"

[[commitment]]
id = "C1"
project = "P2"
party = "DONOR"
date = "2005-06"
amount = 1000

[[release]]
commitment = "C1"
date = 2005-07-01
amount = 250

[[expense]]
project = "P1"
date = 2005-07-02
amount = 100

[[assert]]
project = "P1"
date = "2005-06"
committed = 1000
released = 0
outstanding = 1000

[[assert]]
project = "P1"
date = "2005"
committed = 1000
released = 250
outstanding = 750
spent = 100
available = 150

[[assert]]
project = "P1"
date = "2005-05"
committed = 0
""")
    assert problems(ledger) == []


def test_a_failed_assert_is_not_fatal_and_fatal_errors_silence_asserts(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[assert]]
project = "P1"
date = 2005-12-31
committed = 999
""")
    assert [p["code"] for p in problems(ledger)] == ["assert-failed"]
    ledger.write("ledgers/b.toml", 'oops = 1\n')
    assert [p["code"] for p in problems(ledger)] == ["unknown-key"]


# --- warnings --------------------------------------------------------------------------------

def test_over_budget_is_a_warning_that_fails_only_with_strict(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nbudget = 999.99') + COMMITMENT)
    result = ledger.run("check", "--format", "json", "--as-of", "2005-12-31")
    assert result.exit_code == 0
    found = result.json()["problems"]
    assert [(p["severity"], p["code"], p["line"]) for p in found] == [("warning", "over-budget", line_of(path, "budget ="))]
    assert ledger.run("check", "--strict", "--as-of", "2005-12-31").exit_code == 1
    assert ledger.run("check", "--strict", "--as-of", "2004-12-31").exit_code == 0


@pytest.mark.parametrize("entry, key", [
    ('[[commitment]]\nid = "C2"\nproject = "P1"\nparty = "DONOR"\ndate = 2004-12-31\namount = 1', "date = 2004-12-31"),
    ('[[release]]\ncommitment = "C1"\ndate = 2007-01-01\namount = 1', "date = 2007-01-01"),
    ('[[expense]]\nproject = "P1"\ndate = "2004"\namount = 1', 'date = "2004"'),
    ('[[inkind]]\nid = "K"\nproject = "P1"\nparty = "DONOR"\ndescription = "d"\nnature = "goods"\nstart = "2007-01"',
     'start = "2007-01"'),
])
def test_outside_project_dates_is_a_warning_at_the_date(ledger, entry, key):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nstart = 2005-01-01\nend = "2006"')
                        + COMMITMENT + "\n" + entry + "\n")
    found = [p for p in problems(ledger) if p["code"] != "overspent"]  # the expense has no release to draw on
    assert [(p["severity"], p["code"], p["line"]) for p in found] == [("warning", "outside-project-dates", line_of(path, key))]


def test_outside_project_dates_reports_only_what_is_certain(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nstart = "2005-01"\nend = "2006"')
                 + commitment(date='"2005"') + """
[[release]]
commitment = "C1"
date = 2006-12-31
amount = 1

[[expense]]
project = "P1"
date = 2005-01-01
amount = 1
""")
    assert problems(ledger) == []


TRANCHE_DUE = PREAMBLE + COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 600
due = 2005-03-31
"""


@pytest.mark.parametrize("as_of, released, warned", [
    ("2005-03-31", "", False),
    ("2005-04-01", "", True),
    ("2005-04", "", True),
    ("2005-04-01", "amount = 599.99", True),
    ("2005-04-01", "amount = 600", False),
])
def test_tranche_overdue_is_judged_against_check_as_of(ledger, as_of, released, warned):
    release = f'\n[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-03-15\n{released}\n' if released else ""
    path = ledger.write("ledgers/a.toml", TRANCHE_DUE + release)
    result = ledger.run("check", "--format", "json", "--as-of", as_of)
    assert result.exit_code == 0
    found = result.json()["problems"]
    if warned:
        assert [(p["severity"], p["code"], p["line"]) for p in found] == [("warning", "tranche-overdue", line_of(path, "due ="))]
        assert ledger.run("check", "--strict", "--as-of", as_of).exit_code == 1
    else:
        assert found == []


def test_a_release_after_the_as_of_day_does_not_make_a_tranche_released(ledger):
    ledger.write("ledgers/a.toml", TRANCHE_DUE + '\n[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-05-01\namount = 600\n')
    assert [p["code"] for p in problems(ledger, "--as-of", "2005-04-15")] == ["tranche-overdue", "future-dated"]
    assert problems(ledger, "--as-of", "2005-05-01") == []


# --- output forms ----------------------------------------------------------------------------

def test_json_shape_of_check(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nbudget = 1') + COMMITMENT
                 + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 1000.01\n')
    result = ledger.run("check", "--format", "json", "--as-of", "2006")
    assert result.exit_code == 1
    document = result.json()
    assert list(document) == ["problems"]
    assert {p["severity"] for p in document["problems"]} == {"error", "warning"}
    for problem in document["problems"]:
        assert {"severity", "code", "message", "file", "line"} <= set(problem)
        assert isinstance(problem["line"], int) and isinstance(problem["message"], str)
    assert ledger.run("check", "--format", "json").stdout.strip().startswith("{")


def test_json_of_a_clean_ledger_is_an_empty_list(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT)
    result = ledger.run("check", "--format", "json")
    assert (result.exit_code, result.json()) == (0, {"problems": []})


def test_text_form_is_file_line_severity_code_message_then_the_source_line(ledger):
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('currency = "USD"', 'currency = "USD"\nbudget = 1') + COMMITMENT + """
[[release]]
commitment = "C1"
date = 2005-02-01
amount = 10
tranche = "NOTRANCHE"
""")
    result = ledger.run("check", "--as-of", "2006")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    budget_line, ref_line = line_of(path, "budget = 1"), line_of(path, 'tranche = "NOTRANCHE"')
    warning_at = lines.index(next(l for l in lines if l.startswith(f"ledgers/a.toml:{budget_line}: warning[over-budget]: ")))
    assert 'budget = 1' in lines[warning_at + 1]
    error_at = lines.index(next(l for l in lines if l.startswith(f"ledgers/a.toml:{ref_line}: error[unresolved-ref]: ")))
    assert 'tranche = "NOTRANCHE"' in lines[error_at + 1]
    assert "NOTRANCHE" in lines[error_at]


def test_problems_of_several_files_are_listed_by_file_and_line(ledger):
    ledger.write("ledgers/b.toml", "oops = 1\n\nmore = 2\n")
    ledger.write("ledgers/a.toml", "x = 1\n")
    found = problems(ledger)
    assert [(p["file"], p["line"]) for p in found] == [("ledgers/a.toml", 1), ("ledgers/b.toml", 1), ("ledgers/b.toml", 3)]


def test_references_to_an_entry_that_failed_validation_are_not_reported_again(ledger):
    # One mistake, one problem: a commitment with a bad date is reported; its releases and
    # tranches, and the commitments of a party with a bad key, are not "unresolved" on top.
    path = ledger.write("ledgers/a.toml", PREAMBLE.replace('name = "A donor"', 'name = "A donor"\nnotes = "x"') + """
[[commitment]]
id = "C1"
project = "P1"
party = "OLD-DONOR"
date = "Feb 2005"
amount = 1000

[[tranche]]
id = "T1"
commitment = "C1"
amount = 500

[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-03-01
amount = 500
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("unknown-key", line_of(path, 'notes = "x"')), ("bad-value", line_of(path, 'date = "Feb 2005"'))]


def test_problems_across_files_point_at_the_wrong_entry_and_name_the_others_location(ledger):
    a = ledger.write("ledgers/a.toml", PREAMBLE + COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 600
""")
    b = ledger.write("ledgers/b.toml", """
[[release]]
commitment = "C1"
tranche = "T1"
date = 2005-02-01
amount = 600.01

[[release]]
commitment = "C1"
date = 2005-03-01
amount = 400
currency = "PKR"
""")
    found = problems(ledger)
    where = {p["code"]: (p["file"], p["line"], p["message"]) for p in found}
    assert set(where) == {"releases-exceed-tranche", "releases-exceed-commitment", "currency-mismatch"}
    file, line, message = where["releases-exceed-tranche"]
    assert (file, line) == ("ledgers/b.toml", line_of(b, "amount = 600.01"))
    assert f"ledgers/a.toml:{line_of(a, '[[tranche]]')}" in message
    file, line, message = where["releases-exceed-commitment"]
    assert (file, line) == ("ledgers/b.toml", line_of(b, "amount = 400"))
    assert f"ledgers/a.toml:{line_of(a, '[[commitment]]')}" in message
    file, line, message = where["currency-mismatch"]
    assert (file, line) == ("ledgers/b.toml", line_of(b, 'currency = "PKR"'))
    assert f"ledgers/a.toml:{line_of(a, '[[commitment]]')}" in message


def test_lines_are_found_in_tricky_toml(ledger):
    # Headers and keys inside strings, comments and multi-line values are not headers or keys.
    path = ledger.write("ledgers/a.toml", '''
[[party]]
id = "DONOR"
name = """A "quoted" \\""" donor
[[commitment]]
with a fake header"""
aliases = [
  "[[commitment]]",  # a comment with 'quotes' and [brackets]
  'x]',
]
note = \'\'\'
literal """ and [[commitment]]
\'\'\'

  [[ project ]]   # indented, spaced
  id = "P1"
  currency = "USD"

[[commitment]]
id = "C1"
"project" = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
note = "a # not a comment"
ammount = 1
''')
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [
        ("missing-key", line_of(path, "[[ project ]]")), ("unknown-key", line_of(path, "ammount = 1"))]


def test_entries_of_an_inline_array_are_located_at_their_braces(ledger):
    path = ledger.write("ledgers/a.toml", """
party = [
  {id = "DONOR", name = "A donor"},
  {id = "DONOR", name = "The same id"},
]
""")
    found = problems(ledger)
    assert [(p["code"], p["line"]) for p in found] == [("duplicate-id", line_of(path, "The same id"))]


@pytest.mark.parametrize("key, value, words", [
    ("currency", '"usd"', "expected a currency code of three capitals such as USD, got the text 'usd'; did you mean 'USD'?"),
    ("currency", '"XYZ"', "'XYZ' is not an ISO 4217 currency code"),
    ("id", '""', "an id must not be empty"),
    ("id", '"   "', "an id must not be empty"),
    ("project", "12", "expected an id written as text in quotes"),
])
def test_bad_value_says_what_is_wrong_with_it(ledger, key, value, words):
    ledger.write("ledgers/a.toml", PREAMBLE + commitment(**{key: value}))
    (found,) = problems(ledger)
    assert words in found["message"]


def test_a_share_outside_0_to_1_says_so(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 100\nmin_spent = 1.5\n')
    (found,) = [problem for problem in problems(ledger) if problem["code"] == "bad-value"]
    assert "expected a share from 0 to 1, such as 0.5, got 1.5" in found["message"]
