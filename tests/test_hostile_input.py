"""Bounded work on hostile input: special files, endless devices, numbers of any
length, deep HTML and pathological PDFs each end in one line within a time budget.

Commands that could hang run in a subprocess with a timeout, so a regression fails
the test instead of stopping the suite. Budgets are generous (the machine running
the tests may be busy); what they catch is a hang or a quadratic walk, not a
slow percent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.cli import cli
from powcount.document_text import MAX_PDF_CONTENT_BYTES, html_text
from powcount.errors import ExitCode
from powcount.safe_read import FileTooLarge, NotARegularFile, read_bounded

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def powcount(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "POWCOUNT_CACHE": "off"}
    env.pop("POWCOUNT_DATA", None)
    return subprocess.run([sys.executable, "-m", "powcount", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, check=False)


# --- one way to open a file ---------------------------------------------------------


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge) as refused:
        read_bounded(path, 99)
    assert str(refused.value) == "file is 100 bytes, over the 99-byte limit: split it"


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=300), limit=st.integers(min_value=0, max_value=300))
def test_read_bounded_gives_the_bytes_exactly_when_within_the_limit(
    data: bytes, limit: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.bin"
        path.write_bytes(data)
        if len(data) <= limit:
            assert read_bounded(path, limit) == data
        else:
            with pytest.raises(FileTooLarge):
                read_bounded(path, limit)


def test_a_file_whose_stat_size_is_zero_is_cut_off_at_the_limit() -> None:
    # /proc files report size 0, as devices do, however much they hold.
    proc = Path("/proc/self/status")
    if not proc.is_file() or proc.stat().st_size != 0:
        pytest.skip("needs a /proc file with stat size 0")
    with pytest.raises(FileTooLarge) as refused:
        read_bounded(proc, 10)
    assert str(refused.value) == "file is more than 10 bytes, over the 10-byte limit: split it"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    link = tmp_path / "link.txt"
    link.symlink_to(pipe)
    for path in (pipe, link):
        with pytest.raises(NotARegularFile) as refused:
            read_bounded(path, 100)
        assert str(refused.value) == ("not a regular file but a FIFO (named pipe): give a "
                                      "regular file")


def test_a_symlink_to_dev_zero_is_refused_as_a_device(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(NotARegularFile) as refused:
        read_bounded(link, 1 << 40)
    assert refused.value.kind == "a character device"


def test_extract_reads_the_other_documents_of_a_folder_holding_a_fifo(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Over 7,800 remain unaccounted for.\n", encoding="utf-8")
    os.mkfifo(folder / "b.txt")
    started = time.monotonic()
    done = powcount("extract", str(folder), "--format", "csv", timeout=120)
    assert time.monotonic() - started < 120
    assert done.returncode == ExitCode.INPUT_FAILED
    assert done.stderr.splitlines() == [
        f"powcount: {folder / 'b.txt'}: not a regular file but a FIFO (named pipe): give a "
        "document file"
    ]
    assert done.stdout.splitlines()[1].startswith(f"{folder / 'a.txt'},1,1,\"Over 7,800\",")


def test_a_fifo_named_like_a_figures_file_does_not_hang_loading(base: Path) -> None:
    os.mkfifo(base / "data" / "figures" / "pipe.yaml")
    done = powcount("--data", str(base), "reconcile", "korea", timeout=120)
    assert done.returncode == ExitCode.INVALID_DATA
    assert done.stderr.splitlines() == [
        "data/figures/pipe.yaml: not a regular file but a FIFO (named pipe): give a regular "
        "file, or remove it"
    ]


# --- numbers of any length -----------------------------------------------------------


@pytest.mark.parametrize("number", ["1" + "0" * 4300, "1," + "000," * 1500 + "000",
                                    "\u0661" * 4301])
def test_a_number_of_more_than_4300_digits_fails_its_document_alone(
    tmp_path: Path, number: str
) -> None:
    (tmp_path / "a.txt").write_text("Over 7,800 remain unaccounted for.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Intro.\n\nThe count was {number} men.\n",
                                    encoding="utf-8")
    digits = len(number) - number.count(",")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                                      "--format", "csv"])
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert result.stderr.splitlines() == [
        f"powcount: {tmp_path / 'b.txt'}: line 3: a number of {digits:,} digits, more than "
        "the 4,300 a number may have: remove it from the document"
    ]
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == [
        str(tmp_path / "a.txt")
    ]


def test_a_number_of_4300_digits_is_read_as_text(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(f"The count was {'1' * 4300} men.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "b.txt"), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_a_parquet_value_text_of_5000_digits_is_one_problem(base: Path) -> None:
    import pandas as pd

    (base / "data" / "figures" / "report.yaml").unlink()
    frame = pd.DataFrame([{
        "id": "report-held", "quantity": "reported_held", "conflict": "korea", "nation": "us",
        "value_text": "1" + "0" * 4999, "quote": "they were holding 3,198 Americans captive",
        "as_of": "1951", "credibility": "2",
    }])
    frame.to_parquet(base / "data" / "figures" / "report.parquet")
    result = CliRunner().invoke(cli, ["--data", str(base), "validate"])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stderr.splitlines()[0] == (
        "data/figures/report.parquet:row 1: figure 'report-held': field 'value_text': number "
        "phrase is 5000 characters long: keep only the number words; or move the figure to a "
        "YAML figures file and give it an override with low, best, high and a reason"
    )


# --- deep HTML -------------------------------------------------------------------------


def test_deeply_nested_html_is_read_in_linear_time() -> None:
    depth = 60_000
    page = (b"<div>" * depth + b"<p>Over 7,800 remain unaccounted for.</p>" + b"</div>" * depth)
    started = time.monotonic()
    text = html_text(page)
    elapsed = time.monotonic() - started
    assert text == "Over 7,800 remain unaccounted for.\n"
    # The walk this replaced took minutes at this depth (quadratic: 16.8 s at 20,000).
    assert elapsed < 60, f"{elapsed:.1f} s"


def test_nested_footnote_marks_are_read_in_linear_time() -> None:
    page = b"<sup>1 " * 20_000
    started = time.monotonic()
    html_text(page)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(("page", "text"), [
    (b"<p>7,544<sup>1</sup> men</p>", "7,544[1] men\n"),
    (b"<table><tr><td>Little Switch</td><td>149</td><td>684</td></tr></table>",
     "Little Switch | 149 | 684\n"),
    (b"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\"><p>a <!-- b c --> d</p>", "a d\n"),
    (b"<pre>a   b\n c</pre><p>x\n  y</p>", "a b\nc\n\nx y\n"),
    (b"<ul><li>one</li><li>two<br>three</li></ul>", "one\ntwo\nthree\n"),
])
def test_html_text_keeps_its_layout(page: bytes, text: str) -> None:
    assert html_text(page) == text


# --- pathological PDF ------------------------------------------------------------------


def shared_stream_pdf(stream_bytes: int, pages: int) -> bytes:
    """A PDF whose pages all draw one content stream: spaces, then one line of text."""
    content = b" " * stream_bytes + b"BT /F1 12 Tf 72 700 Td (300 prisoners were held.) Tj ET\n"
    packed = zlib.compress(content, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
        + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 "
         b"3 0 R >> >> /Contents 4 0 R >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1, xref)
    return bytes(out)


def test_pages_sharing_a_huge_stream_stop_at_the_budget(tmp_path: Path) -> None:
    document = tmp_path / "shared.pdf"
    document.write_bytes(shared_stream_pdf(MAX_PDF_CONTENT_BYTES // 3, pages=10))
    assert document.stat().st_size < 100_000
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["extract", str(document)])
    assert time.monotonic() - started < 120
    assert result.exit_code == ExitCode.INPUT_FAILED
    assert result.stderr.splitlines() == [
        f"powcount: {document}: page 3: the page contents decompress to more than "
        f"{MAX_PDF_CONTENT_BYTES:,} bytes: extract the text with another tool (e.g. pdftotext) "
        "and give the .txt"
    ]


def test_a_pdf_within_the_budget_is_read(tmp_path: Path) -> None:
    document = tmp_path / "small.pdf"
    document.write_bytes(shared_stream_pdf(1000, pages=2))
    result = CliRunner().invoke(cli, ["extract", str(document), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["1", "3"]
