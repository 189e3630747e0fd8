"""Keep README.md and docs/*.md true: regenerate their generated blocks from the code.

Blocks are delimited by HTML comments:

    <!-- BEGIN qualifiers -->  ... <!-- END qualifiers -->   the number-phrase table
    <!-- BEGIN help -->        ... <!-- END help -->         every command's --help
    <!-- BEGIN run: ARGS -->   ... <!-- END run -->          output of `powcount ARGS`

Usage: python tools/readme_sync.py [--check]. With --check nothing is written and the
exit code is 1 when a file is out of date (the test suite runs this check).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def synced_files() -> list[Path]:
    """README.md and the reference pages under docs/, each with its generated blocks."""
    return [README, *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"(<!-- BEGIN (?P<kind>[a-z]+)(?:: (?P<args>[^>]*?))? -->\n)(?P<body>.*?)"
                    r"(<!-- END (?P=kind) -->)", re.S)


def _qualifier_table() -> str:
    from powcount.numbers import RULES

    lines = ["| qualifier | words | example: phrase -> low .. high (best) |", "|---|---|---|"]
    for qualifier, words, example in RULES:
        lines.append(f"| `{qualifier}` | {words} | {example.replace('->', '→')} |")
    return "\n".join(lines) + "\n"


def _run(args: list[str]) -> str:
    from powcount.cli import cli

    result = CliRunner(env={"COLUMNS": "100"}).invoke(cli, args, terminal_width=100,
                                                      catch_exceptions=False)
    return result.stdout


def _help_pages() -> str:
    from powcount.cli import cli

    blocks = [f"### `powcount --help`\n\n```text\n{_run(['--help'])}```\n"]
    for name in sorted(cli.commands):
        blocks.append(f"### `powcount {name}`\n\n```text\n{_run([name, '--help'])}```\n")
    return "\n".join(blocks)


def _command_output(args: str) -> str:
    return f"```text\n$ powcount {args}\n{_run(shlex.split(args))}```\n"


def synced(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, args = match.group("kind"), match.group("args")
        if kind == "qualifiers":
            body = _qualifier_table()
        elif kind == "help":
            body = _help_pages()
        elif kind == "run" and args:
            body = _command_output(args)
        else:
            return match.group(0)
        return f"{match.group(1)}{body}{match.group(5)}"

    return _BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    stale = []
    for path in synced_files():
        current = path.read_text(encoding="utf-8")
        wanted = synced(current)
        if wanted == current:
            continue
        stale.append(path.relative_to(ROOT))
        if "--check" not in argv:
            path.write_text(wanted, encoding="utf-8")
    if stale and "--check" in argv:
        print(f"{', '.join(map(str, stale))} out of date: run python tools/readme_sync.py",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
