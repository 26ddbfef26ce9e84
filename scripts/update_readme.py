"""Regenerate the generated parts of README.md: each command's --help, and real outputs.

A block between `<!-- [[[run: ARGS -->` and `<!-- ]]] -->` is replaced by the output of
`cndledger ARGS` run on the shipped ledgers, in a fenced block. `tests/test_readme.py` fails when
the README is stale; run `python scripts/update_readme.py` to refresh it.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- \[\[\[run: (?P<args>.*?) -->\n)(?P<body>.*?)(<!-- \]\]\] -->)", re.DOTALL)


def run(args: str) -> str:
    import contextlib

    from typer.testing import CliRunner

    from cndledger.cli.app import app

    environment = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(app, shlex.split(args), env=environment, terminal_width=100)
    output = result.stdout + result.stderr
    return f"```console\n$ cndledger {args}\n{output.rstrip()}\n```\n"


def render(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + run(m.group("args")) + m.group(4), text)


def main() -> int:
    readme = ROOT / "README.md"
    current = readme.read_text(encoding="utf-8")
    updated = render(current)
    if "--check" in sys.argv:
        return 0 if updated == current else 1
    readme.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
