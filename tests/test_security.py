"""Hostile input: no network, no escape from seeds/, no code from YAML, no bombs,
no script in reports, no formulas in spreadsheets.

Datasets are the minimal valid one in tests/bad_inputs/_base, copied into
tmp_path and made hostile one way at a time.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from powcount.catalog.yaml import MAX_YAML_BYTES, YamlProblem, parse_yaml, read_yaml
from powcount.cli import cli
from powcount.documents import MAX_DOCUMENT_BYTES
from powcount.errors import ExitCode

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
FIGURES = "data/figures/report.yaml"
HELD = """  - id: report-held-1951
    quantity: reported_held
    conflict: korea
    nation: us
    value_text: 3,198
    quote: "they were holding 3,198 Americans captive"
    as_of: 1951
    credibility: 2
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def invoke(root: Path, *args: str) -> Result:
    env = {"POWCOUNT_DATA": None, "POWCOUNT_DEBUG": None}
    return CliRunner(env=env).invoke(cli, ["--data", str(root), *args], prog_name="powcount")


def set_document(root: Path, text: str) -> None:
    """Replace the seed document and record its new sha256, as a curator would; its new
    numbers are not in the not_figures ledger, so it is marked partly curated."""
    raw = text.encode("utf-8")
    (root / "seeds" / "report.txt").write_bytes(raw)
    sources = root / "data" / "sources.yaml"
    lines = [
        f"    sha256: {hashlib.sha256(raw).hexdigest()}\n    curation: partial"
        if line.startswith("    sha256:")
        else line
        for line in sources.read_text("utf-8").splitlines()
    ]
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def bounded_time(seconds: int = 20) -> Iterator[None]:
    """Fail instead of hanging: a guard, not a speed assertion."""

    def alarm(signum: int, frame: Any) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- no network -------------------------------------------------------------------------

#: Arguments that make each command do its real work on the base dataset. A command
#: missing here still runs (with no arguments) under the same guard.
COMMAND_ARGS: dict[str, list[list[str]]] = {
    "sources": [["--format", "json"]],
    "figures": [["--format", "csv"]],
    "validate": [[]],
    "schema": [[]],
    "reconcile": [["all", "--format", "json"]],
    "compare-sources": [["--pairs"]],
    "timeline": [["unaccounted_for"]],
    "check": [["all"]],
    "export": [["--format", "csv", "-o", "{out}/export"], ["--format", "datapackage",
                                                          "-o", "{out}/package"]],
    "report": [["korea", "--format", "html", "-o", "{out}/report.html"],
               ["all", "--format", "markdown"]],
    "extract": [["{root}/seeds/report.txt"], ["{root}/seeds", "--workers", "2"]],
    "add-source": [["{out}/new.txt", "--id", "new-document", "--title", "New document"]],
}

GUARD = r"""
import json, sys
from click.testing import CliRunner

attempts = []

def refuse_network(event, args):
    # A Unix socket (a str address) is local IPC; anything with a host is network.
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                 "socket.sendto", "urllib.Request", "http.client.connect") or (
        event in ("socket.connect", "socket.bind") and not isinstance(args[1], (str, bytes))
    ):
        attempts.append(f"{event} {args[1:]!r}")
        raise ConnectionRefusedError("powcount must not use the network")

sys.addaudithook(refuse_network)
from powcount.cli import cli

runs = []
for args in json.loads(sys.argv[1]):
    before = len(attempts)
    result = CliRunner().invoke(cli, args)
    runs.append({"args": args, "exit": result.exit_code, "network": attempts[before:],
                 "stderr": result.stderr[-500:]})
print(json.dumps(runs))
"""


def test_no_command_opens_a_network_connection(base: Path, tmp_path: Path) -> None:
    from powcount.cli import cli as group

    out = tmp_path / "out"
    out.mkdir()
    (out / "new.txt").write_text("A new document: 12 Americans were released.\n", "utf-8")
    runs = []
    for name in sorted(group.commands):
        for args in COMMAND_ARGS.get(name, [[]]):
            filled = [a.replace("{out}", str(out)).replace("{root}", str(base)) for a in args]
            runs.append(["--data", str(base), name, *filled])
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWCOUNT_")}
    completed = subprocess.run(
        [sys.executable, "-c", GUARD, json.dumps(runs)], capture_output=True, text=True,
        env=env, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = json.loads(completed.stdout.strip().splitlines()[-1])
    assert [r for r in results if r["network"]] == []
    # The commands did their work: none failed on the valid dataset.
    for result in results:
        command = result["args"][2]
        if command in COMMAND_ARGS:
            assert result["exit"] in (ExitCode.OK, ExitCode.FINDINGS), result


def test_the_network_guard_catches_a_connection() -> None:
    """The audit hook above is not a test that cannot fail."""
    probe = GUARD.replace("from powcount.cli import cli", (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=0.01)\n"
        "except OSError:\n"
        "    pass\n"
        "print(json.dumps(attempts))\n"
        "raise SystemExit(0)"
    ))
    completed = subprocess.run([sys.executable, "-c", probe, "[]"], capture_output=True,
                               text=True, timeout=60, check=False)
    assert json.loads(completed.stdout) != []


# --- paths stay inside seeds/ -----------------------------------------------------------


def _source_file(root: Path, value: str) -> None:
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8").replace("file: report.txt", f"file: {value}"),
                       encoding="utf-8")


@pytest.mark.parametrize("value", ["../../etc/passwd", "/etc/passwd", "../data/sources.yaml",
                                   "sub/../../seeds/report.txt"])
def test_source_files_outside_seeds_are_refused_unread(base: Path, value: str) -> None:
    _source_file(base, value)
    result = invoke(base, "validate")
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stderr.splitlines() == [
        f"data/sources.yaml:3: source 'report': file '{value}' is outside seeds/: "
        "give a path relative to seeds/"
    ]
    assert "root:" not in result.output


def test_a_symlinked_folder_leading_outside_seeds_is_refused(base: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(base / "seeds" / "report.txt", outside / "report.txt")
    (base / "seeds" / "shelf").symlink_to(outside, target_is_directory=True)
    _source_file(base, "shelf/report.txt")
    result = invoke(base, "validate")
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stderr.splitlines() == [
        "data/sources.yaml:3: source 'report': file 'shelf/report.txt' resolves outside "
        "seeds/ (a symlink?): copy the document into seeds/"
    ]


def test_a_symlink_that_stays_inside_seeds_is_followed(base: Path) -> None:
    (base / "seeds" / "alias.txt").symlink_to("report.txt")
    _source_file(base, "alias.txt")
    result = invoke(base, "validate")
    assert result.exit_code == ExitCode.OK, result.stderr


def test_an_oversized_document_is_refused_without_reading_it(base: Path) -> None:
    with (base / "seeds" / "report.txt").open("r+b") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no disk, and no memory if unread
    with bounded_time():
        result = invoke(base, "validate")
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stderr.splitlines() == [
        f"data/sources.yaml:3: source 'report': document seeds/report.txt: file is "
        f"{MAX_DOCUMENT_BYTES + 1:,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit: split it"
    ]


# --- YAML constructs nothing ------------------------------------------------------------

CONSTRUCTING_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [['touch', '{marker}']]",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object:os.system {{}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!custom {{cmd: 'touch {marker}'}}",
]


@pytest.mark.parametrize("tag", CONSTRUCTING_TAGS)
@pytest.mark.parametrize("target", ["data/vocabulary.yaml", "data/sources.yaml", FIGURES,
                                    "data/settings.yaml", "data/checks.yaml"])
def test_yaml_tags_construct_nothing(base: Path, tmp_path: Path, tag: str, target: str) -> None:
    marker = tmp_path / "executed"
    path = base / target
    existing = path.read_text("utf-8") if path.exists() else "checks: []\n"
    path.write_text(existing + f"hostile: {tag.format(marker=marker)}\n", encoding="utf-8")
    result = invoke(base, "validate")
    assert result.exit_code == ExitCode.INVALID_DATA
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and " is not allowed in data files: " in lines[0], lines
    assert lines[0].startswith(f"{target}:")
    assert not marker.exists()


def test_the_parser_alone_refuses_tags_before_constructing(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    raw = f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    with pytest.raises(YamlProblem) as raised:
        parse_yaml(raw, "x.yaml")
    assert str(raised.value) == (
        "x.yaml:1: YAML tag '!!python/object/apply:os.system' is not allowed in data files: "
        "remove it and write the plain value"
    )
    assert not marker.exists()


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    """9**9 strings if expanded; refused at line 1, before any alias is read."""
    with bounded_time():
        with pytest.raises(YamlProblem) as raised:
            parse_yaml(billion_laughs(), "data/settings.yaml")
    assert str(raised.value) == (
        "data/settings.yaml:1: YAML anchors (&name) are not allowed in data files: remove it"
    )


def test_an_alias_bomb_in_the_dataset_exits_3(base: Path) -> None:
    (base / "data" / "settings.yaml").write_bytes(billion_laughs())
    with bounded_time():
        result = invoke(base, "validate")
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stderr.splitlines() == [
        "data/settings.yaml:1: YAML anchors (&name) are not allowed in data files: remove it"
    ]


def test_an_oversized_yaml_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    with path.open("wb") as handle:
        handle.truncate(1024 * MAX_YAML_BYTES)  # sparse: reading it would take 2 GiB
    with bounded_time():
        with pytest.raises(YamlProblem) as raised:
            read_yaml(path, "data/figures/x.yaml")
    assert raised.value.problem.message.startswith(
        f"file is {1024 * MAX_YAML_BYTES:,} bytes, over the {MAX_YAML_BYTES:,}-byte limit"
    )
    with pytest.raises(YamlProblem):
        parse_yaml(b"#" * (MAX_YAML_BYTES + 1), "data/figures/x.yaml")


def test_deep_nesting_is_refused_not_recursed(tmp_path: Path) -> None:
    for raw in (b"[" * 100_000, b"a: " + b"{b: " * 5_000, b"- " * 5_000 + b"x"):
        with bounded_time():
            with pytest.raises(YamlProblem) as raised:
                parse_yaml(raw, "data/x.yaml")
        assert "nested more than" in str(raised.value) or "syntax" in str(raised.value)


# --- reports and spreadsheets -----------------------------------------------------------

HOSTILE_LINE = ('<script>alert(1)</script> A further <a href="javascript:alert(2)">link</a> '
                "said 149 Americans were held.")


def _hostile_dataset(root: Path) -> None:
    document = (root / "seeds" / "report.txt").read_text("utf-8")
    set_document(root, document + HOSTILE_LINE + "\n")
    quote = HOSTILE_LINE.replace("'", "''")
    with (root / FIGURES).open("a", encoding="utf-8") as handle:
        handle.write(
            "\n  - id: report-hostile\n    quantity: reported_held\n    conflict: korea\n"
            "    nation: us\n    value_text: \"149\"\n"
            f"    quote: '{quote}'\n    as_of: 1952\n    credibility: 3\n"
            "    note: '<img src=x onerror=alert(3)>'\n"
        )


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run: script text, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith(("javascript:", "data:text/html")):
                self.live.append(f"<{tag} {name}={value}>")
        if tag in ("img", "iframe", "object", "embed") and any(
                name == "src" and value == "x" for name, value in attrs):
            self.live.append(f"<{tag}> from a document")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.live.append(f"script: {data[:40]}")


def test_the_html_report_escapes_document_text(base: Path, tmp_path: Path) -> None:
    _hostile_dataset(base)
    assert invoke(base, "validate").exit_code == ExitCode.OK
    out = tmp_path / "report.html"
    result = invoke(base, "report", "korea", "--format", "html", "-o", str(out))
    assert result.exit_code == ExitCode.OK, result.stderr
    html = out.read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    parser = _LiveMarkup()
    parser.feed(html)
    assert parser.live == []


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def _formula_dataset(root: Path) -> None:
    """Six figures whose quotes, as the YAML stores them, start like a formula."""
    lines, figures = [], (root / FIGURES).read_text("utf-8")
    for i, start in enumerate(FORMULA_STARTS):
        sentence = f"they held {100 + i} Americans."
        # A leading tab or carriage return is whitespace: the document need not hold it.
        quote = start + ("SUM(A1) " if start.strip() else "") + sentence
        lines.append(quote.strip())
        figures += (
            f"\n  - id: report-formula-{i}\n    quantity: reported_held\n    conflict: korea\n"
            f"    nation: us\n    value_text: \"{100 + i}\"\n    quote: {json.dumps(quote)}\n"
            f"    as_of: {1960 + i}\n    credibility: 3\n"
        )
    document = (root / "seeds" / "report.txt").read_text("utf-8")
    set_document(root, document + "\n".join(lines) + "\n")
    (root / FIGURES).write_text(figures, encoding="utf-8")
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8").replace(
        "title: Korean War POW/MIAs", "title: \"=HYPERLINK('http://example.invalid','x')\""),
        encoding="utf-8")


def _quote_cells(text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return [row["quote"] for row in rows if row["id"].startswith("report-formula-")]


def test_csv_output_neutralises_spreadsheet_formulas(base: Path) -> None:
    _formula_dataset(base)
    validated = invoke(base, "validate")
    assert validated.exit_code == ExitCode.OK, validated.stderr
    result = invoke(base, "figures", "--format", "csv")
    assert result.exit_code == ExitCode.OK
    cells = sorted(_quote_cells(result.stdout))
    assert len(cells) == len(FORMULA_STARTS)
    # A carriage return comes out as a line feed, so the field is quoted, not split.
    assert sorted(cell[:2] for cell in cells) == ["'\t", "'\n", "'+", "'-", "'=", "'@"]
    sources = invoke(base, "sources", "--format", "csv").stdout
    assert "'=HYPERLINK(" in sources


def test_exported_csv_files_neutralise_spreadsheet_formulas(base: Path, tmp_path: Path) -> None:
    _formula_dataset(base)
    out = tmp_path / "export"
    result = invoke(base, "export", "--format", "csv", "-o", str(out))
    assert result.exit_code == ExitCode.OK, result.stderr
    checked = 0
    for path in sorted(out.rglob("*.csv")):
        for row in csv.reader(io.StringIO(path.read_text("utf-8"), newline="")):
            for cell in row:
                if _is_number(cell):
                    continue
                assert not cell.startswith(tuple(FORMULA_STARTS)), (path.name, cell)
                checked += cell.startswith("'")
    assert checked >= len(FORMULA_STARTS) + 1  # six quotes and the source title


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# --- nothing lost -----------------------------------------------------------------------


def _add_source(root: Path, document: Path) -> Result:
    return invoke(root, "add-source", str(document), "--id", "new-document", "--title",
                  "New document", "--published", "2019-03")


def test_add_source_keeps_every_line_and_comment_of_sources_yaml(tmp_path: Path) -> None:
    project = Path(__file__).resolve().parent.parent
    root = tmp_path / "project"
    shutil.copytree(project / "data", root / "data")
    shutil.copytree(project / "seeds", root / "seeds")
    for path in (root / "seeds").iterdir():
        path.chmod(0o644)
    document = tmp_path / "new.txt"
    document.write_text("A new document: 12 Americans were released.\n", "utf-8")
    before = (root / "data" / "sources.yaml").read_text("utf-8")
    figures_before = {p.name: p.read_bytes() for p in (root / "data" / "figures").iterdir()}

    result = _add_source(root, document)

    assert result.exit_code == ExitCode.OK, result.stderr
    after = (root / "data" / "sources.yaml").read_text("utf-8")
    assert after.startswith(before.rstrip("\n") + "\n")  # comments, order, wording kept
    assert "  - id: new-document\n" in after[len(before.rstrip("\n")):]
    assert (root / "seeds" / "new.txt").read_bytes() == document.read_bytes()
    assert {p.name: p.read_bytes() for p in (root / "data" / "figures").iterdir()} == (
        figures_before
    )
    assert invoke(root, "validate").exit_code == ExitCode.OK


def test_add_source_gives_the_same_bytes_for_the_same_input(tmp_path: Path) -> None:
    document = tmp_path / "new.txt"
    document.write_text("A new document: 12 Americans were released.\n", "utf-8")
    written = []
    for name in ("first", "second"):
        root = tmp_path / name
        shutil.copytree(BASE, root)
        assert _add_source(root, document).exit_code == ExitCode.OK
        written.append((root / "data" / "sources.yaml").read_bytes())
    assert written[0] == written[1]


def test_add_source_never_replaces_a_document_in_seeds(base: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "report.txt"
    other.parent.mkdir()
    other.write_text("A different document: 5 Americans.\n", "utf-8")
    seeds_before = (base / "seeds" / "report.txt").read_bytes()
    sources_before = (base / "data" / "sources.yaml").read_bytes()
    result = invoke(base, "add-source", str(other), "--id", "other", "--title", "Other")
    assert result.exit_code == ExitCode.USAGE
    assert (base / "seeds" / "report.txt").read_bytes() == seeds_before
    assert (base / "data" / "sources.yaml").read_bytes() == sources_before
    assert sorted(p.name for p in (base / "seeds").iterdir()) == ["report.txt"]


@pytest.mark.parametrize("args", [
    ["figures", "--format", "csv"], ["reconcile", "all", "--format", "json"],
    ["report", "korea", "--format", "html"],
])
def test_the_same_data_gives_the_same_bytes(base: Path, args: list[str]) -> None:
    """In this process and in another with a different string-hash seed."""
    here = invoke(base, *args)
    assert here.exit_code in (ExitCode.OK, ExitCode.FINDINGS), here.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWCOUNT_")}
    env["PYTHONHASHSEED"] = "12345"
    there = subprocess.run([sys.executable, "-m", "powcount", "--data", str(base), *args],
                           capture_output=True, env=env, timeout=300, check=False)
    assert there.stdout == here.stdout_bytes
