"""Keep README.md and the pages under docs/ true: regenerate their generated blocks.

Blocks are delimited by HTML comments:

    <!-- BEGIN qualifiers -->  ... <!-- END qualifiers -->   the number-phrase table
    <!-- BEGIN help -->        ... <!-- END help -->         every command's --help
    <!-- BEGIN run: ARGS -->   ... <!-- END run -->          output of `powcount ARGS`
    <!-- BEGIN table: ARGS -->  ... <!-- END table -->       `powcount ARGS --format markdown`
    <!-- BEGIN exitcodes -->   ... <!-- END exitcodes -->    the exit codes and their meaning
    <!-- BEGIN problems -->    ... <!-- END problems -->     the kinds of problem in a dataset

Usage: python tools/readme_sync.py [--check]. With --check nothing is written and the
exit code is 1 when a page is out of date (the test suite runs this check).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

PROJECT = Path(__file__).resolve().parent.parent
README = PROJECT / "README.md"
DOCS = PROJECT / "docs"
_BLOCK = re.compile(r"(<!-- BEGIN (?P<kind>[a-z]+)(?:: (?P<args>[^>]*?))? -->\n)(?P<body>.*?)"
                    r"(<!-- END (?P=kind) -->)", re.S)


def _qualifier_table() -> str:
    from powcount.numbers import RULES

    lines = ["| qualifier | words | example: phrase -> low .. high (best) |", "|---|---|---|"]
    for qualifier, words, example in RULES:
        lines.append(f"| `{qualifier}` | {words} | {example.replace('->', '→')} |")
    return "\n".join(lines) + "\n"


def _exit_code_table() -> str:
    from powcount.errors import EXIT_CODE_MEANINGS, ExitCode

    lines = ["| code | name | meaning |", "|---:|---|---|"]
    for code in sorted(ExitCode):
        lines.append(f"| {code.value} | `{code.name}` | {EXIT_CODE_MEANINGS[code]} |")
    return "\n".join(lines) + "\n"


def _problem_table() -> str:
    from powcount.catalog.problems import KINDS

    lines = ["| kind | what | message |", "|---|---|---|"]
    for kind in KINDS:
        lines.append(f"| `{kind.slug}` | {kind.title} | `{kind.template}` |")
    return "\n".join(lines) + "\n"


def _run(args: list[str]) -> str:
    from powcount.cli import cli

    result = CliRunner(env={"COLUMNS": "100"}).invoke(cli, args, terminal_width=100,
                                                      prog_name="powcount",
                                                      catch_exceptions=False)
    return result.stdout


def _help_pages() -> str:
    from powcount.cli import cli

    blocks = [f"## `powcount --help`\n\n```text\n{_run(['--help'])}```\n"]
    for name in sorted(cli.commands):
        blocks.append(f"## `powcount {name}`\n\n```text\n{_run([name, '--help'])}```\n")
    return "\n".join(blocks)


def _command_output(args: str) -> str:
    return f"```text\n$ powcount {args}\n{_run(shlex.split(args))}```\n"


def _markdown_output(args: str) -> str:
    """The command's markdown tables as the page's own, under a line naming the command."""
    text = _run([*shlex.split(args), "--format", "markdown"])
    lines = [line for line in text.splitlines() if not line.startswith("## ")]
    return f"`$ powcount {args}`\n\n" + "\n".join(lines).strip("\n") + "\n"


def synced(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, args = match.group("kind"), match.group("args")
        if kind == "qualifiers":
            body = _qualifier_table()
        elif kind == "help":
            body = _help_pages()
        elif kind == "exitcodes":
            body = _exit_code_table()
        elif kind == "problems":
            body = _problem_table()
        elif kind == "run" and args:
            body = _command_output(args)
        elif kind == "table" and args:
            body = _markdown_output(args)
        else:
            return match.group(0)
        return f"{match.group(1)}{body}{match.group(5)}"

    return _BLOCK.sub(replace, text)


def pages() -> list[Path]:
    """The README and every page of docs/, in a fixed order."""
    return [README, *sorted(DOCS.glob("*.md"))]


def main(argv: list[str]) -> int:
    stale = []
    for page in pages():
        current = page.read_text(encoding="utf-8")
        wanted = synced(current)
        if wanted == current:
            continue
        stale.append(page.relative_to(PROJECT).as_posix())
        if "--check" not in argv:
            page.write_text(wanted, encoding="utf-8")
    if stale and "--check" in argv:
        for name in stale:
            print(f"{name} is out of date: run python tools/readme_sync.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
