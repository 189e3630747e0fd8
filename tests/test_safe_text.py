"""Terminal-safe text: control and bidi characters are shown, never obeyed; markdown
shows markup as text; validate warns about bidi controls in a quote; the HTML report
isolates them.

Datasets are the minimal valid one in tests/bad_inputs/_base, copied into tmp_path,
with a hostile quote and title written in.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powcount.cli import cli
from powcount.errors import ExitCode
from powcount.safe_text import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    bidi_controls_in,
    markdown_text,
    terminal_text,
)

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
HELD = "they were holding 3,198 Americans captive"


def make_dataset(root: Path, quote_prefix: str, title: str) -> str:
    """The base dataset with one figure quoting ``quote_prefix + HELD`` and a source title.

    Returns the quote as the figures file holds it.
    """
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASE, root)
    quote = quote_prefix + HELD
    document = root / "seeds" / "report.txt"
    raw = document.read_bytes() + b"\n" + quote.encode("utf-8") + b"\n"
    document.write_bytes(raw)
    sources = root / "data" / "sources.yaml"
    lines = []
    for line in sources.read_text("utf-8").splitlines():
        if line.startswith("    sha256:"):
            line = f"    sha256: {hashlib.sha256(raw).hexdigest()}"
        elif line.startswith("    title:"):
            line = f"    title: {json.dumps(title)}"
        lines.append(line)
    # The added line's numbers are not in the curation ledger; these tests are about text.
    lines.append("    curation: partial")
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    figures = root / "data" / "figures" / "report.yaml"
    text = figures.read_text("utf-8")
    text = text.replace(f'quote: "{HELD}"', f"quote: {json.dumps(quote)}")
    figures.write_text(text, encoding="utf-8")
    return quote


def invoke(root: Path, *args: str) -> Result:
    env = {"POWCOUNT_DATA": None, "POWCOUNT_DEBUG": None, "POWCOUNT_CACHE": "off"}
    return CliRunner(env=env).invoke(cli, ["--data", str(root), *args], prog_name="powcount")


# --- the functions ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "shown"), [
    ("plain text, 3,198", "plain text, 3,198"),
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("\x1b]0;owned\x07title", "\\x1b]0;owned\\x07title"),
    ("one\ntwo\r\tthree", "one\\ntwo\\r\\tthree"),
    ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
    ("\u202e800\u202c", "\\u202e800\\u202c"),
    ("\u2066\u2069\u200e\u200f\u061c", "\\u2066\\u2069\\u200e\\u200f\\u061c"),
    ("line\u2028sep", "line\\u2028sep"),
])
def test_terminal_text_escapes_controls_and_bidi(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


def test_terminal_text_keeps_what_a_table_cell_lays_out() -> None:
    assert terminal_text("a\nb\tc\x1b", keep="\n") == "a\nb\\tc\\x1b"


@pytest.mark.parametrize(("text", "shown"), [
    ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
    ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
    ("a | b", "a \\| b"),
    ("&#x202E;008", "\\&#x202E;008"),
    ("*bold* _it_ ~~x~~ `code`", "\\*bold\\* \\_it\\_ \\~\\~x\\~\\~ \\`code\\`"),
    ("reported_held <= 3,198 -> 3 & 4", "reported_held <= 3,198 -> 3 & 4"),
    ("back\\slash", "back\\\\slash"),
    ("two\nlines\x1b", "two lines\\x1b"),
])
def test_markdown_text_shows_markup_as_text(text: str, shown: str) -> None:
    assert markdown_text(text) == shown


def test_bidi_controls_in_names_each_once_in_order() -> None:
    assert bidi_controls_in("a\u202eb\u2066c\u202e") == ["\\u202e", "\\u2066"]
    assert bidi_controls_in("plain") == []


# --- every output for people -----------------------------------------------------------

OUTPUTS = [
    ["figures"], ["figures", "--format", "markdown"],
    ["sources"], ["sources", "--format", "markdown"],
    ["reconcile", "korea", "--verbose"], ["reconcile", "korea", "--verbose", "--format",
                                         "markdown"],
]
HOSTILE = sorted((CONTROL_CHARACTERS | BIDI_CONTROLS) - {"\x00"})


def raw_unsafe(text: str, allowed: str) -> list[str]:
    return sorted({c for c in text if (c in CONTROL_CHARACTERS or c in BIDI_CONTROLS)
                   and c not in allowed})


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.text(st.sampled_from(HOSTILE + list("ab <>|*[]()&_`\\#-.!")), max_size=12),
    title=st.text(st.sampled_from(HOSTILE + list("Kore <script>|")), min_size=1, max_size=12),
)
def test_no_output_for_people_holds_a_raw_control_or_bidi_character(
    tmp_path: Path, prefix: str, title: str
) -> None:
    if not title.strip():
        title = "t" + title
    root = tmp_path / "project"
    make_dataset(root, prefix + " ", title)
    for args in OUTPUTS:
        result = invoke(root, *args)
        assert result.exit_code == 0, (args, result.stderr)
        # A terminal table lays a line break in a cell out as a second line.
        allowed = "\n"
        assert raw_unsafe(result.stdout, allowed) == [], args
        assert raw_unsafe(result.stderr, allowed) == [], args


def test_reconcile_verbose_shows_escape_sequences_in_quotes(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_dataset(root, "\x1b]0;owned\x07\x1b[2J ", "Korean War POW/MIAs")
    result = invoke(root, "reconcile", "korea", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert "\\x1b]0;owned\\x07\\x1b[2J they were holding 3,198 Americans captive" in (
        result.stdout)
    assert "\x1b" not in result.stdout


def test_markdown_listings_escape_html(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_dataset(root, "", "<script>alert(1)</script> [x](javascript:y)")
    result = invoke(root, "sources", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "\\<script>alert(1)\\</script> \\[x\\](javascript:y)" in result.stdout


def test_extract_failure_lines_escape_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a\nb\x1b[2J.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(folder)])
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert result.stderr.splitlines() == [
        f"powcount: {folder}/a\\nb\\x1b[2J.txt: empty file: nothing to extract; check that it "
        "was saved completely"
    ]


# --- bidi controls in quotes --------------------------------------------------------------


def test_validate_warns_about_bidi_controls_and_exits_0(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_dataset(root, "\u202e800\u202c \u2066x\u2069 ", "Korean War POW/MIAs")
    result = invoke(root, "validate")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "data/figures/report.yaml:17: figure 'report-held-1951': warning: the quote holds bidi "
        "controls (\\u202e \\u202c \\u2066 \\u2069) that can reorder what a reader sees: check "
        "it against the document; tables show them escaped and the HTML report isolates them"
    ]
    assert result.stdout.startswith("valid: 1 sources, 3 figures")


def test_validate_without_bidi_controls_prints_no_warning(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_dataset(root, "", "Korean War POW/MIAs")
    result = invoke(root, "validate")
    assert (result.exit_code, result.stderr) == (0, "")


def test_the_html_report_shows_and_isolates_bidi_controls(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_dataset(root, "\u202e800\u202c ", "Korean\u202e War")
    out = tmp_path / "report.html"
    result = invoke(root, "report", "korea", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text("utf-8")
    assert not set(page) & BIDI_CONTROLS
    assert "<bdi>\\u202e800\\u202c they were holding <mark>3,198</mark>" in page
    assert "Korean\\u202e War" in page
    assert "unicode-bidi: isolate" in page


def test_csv_keeps_bidi_controls_as_data(tmp_path: Path) -> None:
    root = tmp_path / "project"
    quote = make_dataset(root, "\u202e800\u202c ", "Korean War POW/MIAs")
    result = invoke(root, "figures", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert quote in result.stdout
