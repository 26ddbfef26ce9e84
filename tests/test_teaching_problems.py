"""Problems that teach: the source line with carets under the key or value, a hint, a 'did you mean'."""

from conftest import COMMITMENT, PREAMBLE, codes


def block_of(output: str, code: str) -> list[str]:
    """The lines of the one problem with this code: its header, the source line, the carets, the hint."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if f"[{code}]" in line)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[start:end]


def underlined(block: list[str]) -> str:
    """The text the carets stand under."""
    source, carets = block[1], block[2]
    source_text = source.split(" | ", 1)[1]
    caret_text = carets.split(" | ", 1)[1]
    start = caret_text.index("^")
    return source_text[start:start + caret_text.count("^")]


def test_an_unknown_key_is_underlined_with_a_did_you_mean_and_the_keys_of_its_table(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + 'ammount = 5\n')
    result = ledger.run("check")
    block = block_of(result.stdout, "unknown-key")
    assert block[0] == ("ledgers/a.toml:21: error[unknown-key]: unknown key 'ammount' in [[commitment]]; "
                        "did you mean 'amount'?")
    assert underlined(block) == "ammount"
    assert block[3].startswith("  = hint: the keys of [[commitment]] are id, project, party, date, amount")


def test_a_bad_value_is_underlined_under_the_value_not_the_key(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.replace("amount = 1000", 'amount = "1000"  # from the letter'))
    block = block_of(ledger.run("check").stdout, "bad-value")
    assert "got the text '1000' (write it without quotes)" in block[0]
    assert underlined(block) == '"1000"'
    assert block[3].startswith("  = hint: write an amount as a bare number")


def test_an_unresolved_reference_underlines_the_name_and_suggests_the_id_in_another_case(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.replace('party = "DONOR"', 'party = "donor"'))
    block = block_of(ledger.run("check").stdout, "unresolved-ref")
    assert block[0].endswith("names the party 'donor', which the ledger does not define; did you mean 'DONOR'?")
    assert underlined(block) == '"donor"'
    assert block[3] == "  = hint: correct the name to an id the ledger defines, or add the entry it names"


def test_a_near_miss_of_a_party_alias_is_suggested(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.replace('party = "DONOR"', 'party = "OLD-DONR"'))
    result = ledger.run("check")
    assert "names the party 'OLD-DONR', which the ledger does not define; did you mean 'OLD-DONOR'?" in result.stdout


def test_a_project_id_written_with_other_separators_is_suggested(ledger):
    text = PREAMBLE.replace('id = "P1"', 'id = "US/PAK/01/099"') + """
[[expense]]
project = "US-PAK-01-099"
date = 2005-01-10
amount = 10
"""
    ledger.write("ledgers/a.toml", text)
    assert "did you mean 'US/PAK/01/099'?" in ledger.run("check").stdout


def test_an_unknown_table_is_underlined_and_suggested(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + '\n[[relase]]\ncommitment = "C1"\n')
    block = block_of(ledger.run("check").stdout, "unknown-key")
    assert block[0] == "ledgers/a.toml:15: error[unknown-key]: unknown table 'relase'; did you mean 'release'?"
    assert underlined(block) == "[[relase]]"
    assert block[3].startswith("  = hint: the tables are [[party]], [[project]]")


def test_a_missing_key_underlines_the_header_and_says_which_line_to_add(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.replace("amount = 1000\n", ""))
    block = block_of(ledger.run("check").stdout, "missing-key")
    assert underlined(block) == "[[commitment]]"
    assert block[3] == "  = hint: add the line 'amount = …' under this [[commitment]] header"


def test_a_syntax_error_puts_one_caret_at_the_parser_column(ledger):
    ledger.write("ledgers/a.toml", '[[party]]\nid = "DONOR"\nname = A donor\n')
    block = block_of(ledger.run("check").stdout, "toml-syntax")
    assert block[1] == "  3 | name = A donor"
    assert block[2] == "    |        ^"


def test_carets_stay_under_the_value_in_an_array_an_inline_comment_and_after_tabs(ledger):
    text = COMMITMENT + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 500
\tafter = ["T9", "T8"]  # waits for both
"""
    ledger.write("ledgers/a.toml", text)
    blocks = ledger.run("check").stdout
    block = block_of(blocks, "unresolved-ref")
    assert underlined(block) == '["T9", "T8"]'


def test_every_problem_has_a_hint(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + """
[[release]]
commitment = "C1"
date = 2004-12-01
amount = 2000
""")
    result = ledger.run("check")
    assert sorted(codes(ledger.run("check", "--format", "json"))) == [
        "release-before-commitment", "releases-exceed-commitment"]
    assert result.stdout.count("  = hint: ") == 2


def test_github_format_annotates_each_problem_on_its_line_with_its_code(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.replace('party = "DONOR"', 'party = "DONR"') + """
[[tranche]]
id = "T1"
commitment = "C1"
amount = 1000
due = 2005-06-30
""")
    result = ledger.run("check", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=ledgers/a.toml,line=18,col=9,endColumn=14,title=unresolved-ref::[[commitment]] 'C1' names the "
        "party 'DONR', which the ledger does not define; did you mean 'DONOR'?%0Ahint: correct the name to an id the "
        "ledger defines, or add the entry it names")
    assert lines[1].startswith("::warning file=ledgers/a.toml,line=26,col=7,endColumn=16,title=tranche-overdue::"
                               "tranche 'T1' was due 2005-06-30")
    assert lines[2] == "1 error, 1 warning in 1 file"


def test_github_format_escapes_what_would_end_a_property_or_the_message(ledger):
    ledger.write("ledgers/a,b:c.toml", '[[party]]\nid = "100%"\nname = "A donor"\nnmae = "x"\n')
    line = ledger.run("check", "--format", "github").stdout.splitlines()[0]
    assert line.startswith("::error file=ledgers/a%2Cb%3Ac.toml,line=4,col=1,endColumn=4,title=unknown-key::")


def test_github_format_writes_paths_relative_to_the_working_directory(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE + "\n[[relase]]\n")
    absolute = str(ledger.root / "ledgers")
    result = ledger.run("check", "--format", "github", absolute)
    assert result.stdout.startswith("::error file=ledgers/a.toml,line=15,")


def test_github_format_exits_zero_on_warnings_and_one_with_strict(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 10\n'
                                                'due = 2005-06-30\n')
    assert ledger.run("check", "--format", "github").exit_code == 0
    assert ledger.run("check", "--format", "github", "--strict").exit_code == 1


def test_an_unknown_format_is_bad_usage(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE)
    result = ledger.run("check", "--format", "gitlab")
    assert result.exit_code == 2
    assert "--format must be text, json or github, not 'gitlab'" in result.stderr


def test_balance_suggests_a_project_for_an_unknown_project_option(ledger):
    ledger.write("ledgers/a.toml", PREAMBLE)
    result = ledger.run("balance", "--project", "p1")
    assert result.exit_code == 2
    assert "--project: the ledger has no project 'p1'; did you mean 'P1'?" in result.stderr


def test_a_missing_key_points_at_the_misspelt_key_that_stands_for_it(ledger):
    ledger.write("ledgers/a.toml", COMMITMENT.replace("amount = 1000", "Amount = 1000"))
    block = block_of(ledger.run("check").stdout, "missing-key")
    assert block[3] == "  = hint: 'Amount' at line 20 looks like it, misspelt: write it 'amount'"
