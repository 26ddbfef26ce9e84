"""Where the ledger comes from (LEDGER-FORMAT "Files"): folders, -f, positionals, $CNDLEDGER_LEDGER, ./ledgers."""

import os

import pytest

from conftest import PREAMBLE


def project(ident: str) -> str:
    return f'[[project]]\nid = "{ident}"\ntitle = "t"\ncurrency = "USD"\n'


def project_ids(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [p["id"] for p in result.json()["projects"]]


def test_a_folder_is_read_recursively_in_relative_path_order(ledger):
    ledger.write("books/b.toml", project("FROM-B"))
    ledger.write("books/a/z.toml", project("FROM-A-Z"))
    ledger.write("books/a.toml", project("FROM-A"))
    ledger.write("books/a/b/c.toml", project("FROM-A-B-C"))
    ledger.write("books/notes.txt", "not a ledger")
    ledger.write("books/B-upper.toml", project("FROM-B-UPPER"))
    # a.toml < a/b/c.toml < a/z.toml ('.' sorts before '/'), upper case before lower case
    assert project_ids(ledger.run("balance", "--json", "books")) == [
        "FROM-B-UPPER", "FROM-A", "FROM-A-B-C", "FROM-A-Z", "FROM-B"]


def test_ledger_order_decides_which_duplicate_is_reported(ledger):
    ledger.write("books/b.toml", project("P1"))
    ledger.write("books/a/x.toml", project("P1"))
    result = ledger.run("check", "--format", "json", "books")
    duplicate, = result.json()["problems"]
    assert duplicate["file"] == "books/b.toml" and "books/a/x.toml:1" in duplicate["message"]


def test_options_and_positionals_together(ledger):
    ledger.write("one.toml", project("ONE"))
    ledger.write("two.toml", project("TWO"))
    ledger.write("more/three.toml", project("THREE"))
    ids = project_ids(ledger.run("balance", "--json", "-f", "one.toml", "--ledger", "more", "two.toml"))
    assert sorted(ids) == ["ONE", "THREE", "TWO"]


def test_a_file_named_twice_is_read_once(ledger):
    ledger.write("books/a.toml", PREAMBLE)
    result = ledger.run("check", "--format", "json", "books", "-f", "books/a.toml", "books/a.toml", "./books/")
    assert (result.exit_code, result.json()) == (0, {"problems": []})
    assert project_ids(ledger.run("balance", "--json", "books", "books/a.toml")) == ["P1"]


def test_the_environment_variable_names_several_paths(ledger):
    ledger.write("x/one.toml", project("ONE"))
    ledger.write("y/two.toml", project("TWO"))
    ledger.write("ledgers/default.toml", project("DEFAULT"))
    env = {"CNDLEDGER_LEDGER": os.pathsep.join(["x", "y/two.toml"])}
    assert sorted(project_ids(ledger.run("balance", "--json", env=env))) == ["ONE", "TWO"]
    # paths given on the command line win over the environment
    assert project_ids(ledger.run("balance", "--json", "-f", "ledgers", env=env)) == ["DEFAULT"]


def test_the_default_is_the_ledgers_folder(ledger):
    ledger.write("ledgers/sub/a.toml", project("DEFAULT"))
    ledger.write("elsewhere.toml", project("ELSEWHERE"))
    assert project_ids(ledger.run("balance", "--json", env={"CNDLEDGER_LEDGER": ""})) == ["DEFAULT"]


@pytest.mark.parametrize("args, env", [
    (["nothing-here"], None),
    (["-f", "nothing.toml"], None),
    (["empty-folder"], None),
    (["folder-without-toml"], None),
    ([], {"CNDLEDGER_LEDGER": "nothing-here"}),
    ([], None),                                  # no ./ledgers
    (["good.toml", "nothing-here"], None),       # one missing path is enough
])
@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["balance"], ["balance", "--json"]])
def test_no_ledger_at_the_path_exits_2(ledger, command, args, env):
    (ledger.root / "empty-folder").mkdir()
    ledger.write("folder-without-toml/readme.txt", "no ledger")
    ledger.write("good.toml", PREAMBLE)
    result = ledger.run(*command, *args, env=env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no ledger at the path" in result.stderr


def test_a_toml_named_folder_is_not_read_as_a_file(ledger):
    ledger.write("books/odd.toml/inner.toml", project("INNER"))
    assert project_ids(ledger.run("balance", "--json", "books")) == ["INNER"]


def test_a_symlink_loop_below_a_folder_is_no_trap(ledger):
    ledger.write("books/a.toml", project("ONLY"))
    try:
        os.symlink("..", ledger.root / "books" / "loop")
    except OSError:
        pytest.skip("no symlinks here")
    assert project_ids(ledger.run("balance", "--json", "books")) == ["ONLY"]


def test_the_current_folder_names_files_by_their_relative_paths(ledger):
    ledger.write("sub/a.toml", "oops = 1\n")
    result = ledger.run("check", "--format", "json", ".")
    assert [p["file"] for p in result.json()["problems"]] == ["sub/a.toml"]
