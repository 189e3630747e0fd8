"""The one output path: '-' is standard output, FIFOs are written through, special files
are refused, and a failed write to standard output is exit 5 with one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from powcount.errors import ExitCode

#: Every command that takes -o, with arguments that write a small output.
OUTPUT_COMMANDS = {
    "sources": ["sources"],
    "figures": ["figures", "--conflict", "wwii"],
    "schema": ["schema", "settings"],
    "export": ["export", "--format", "json"],
    "report": ["report", "korea", "--format", "markdown"],
    "reconcile": ["reconcile", "korea"],
    "compare-sources": ["compare-sources", "--conflict", "korea"],
    "timeline": ["timeline", "unaccounted_for", "--nation", "us"],
    "check": ["check", "korea"],
    "extract": ["extract", "{root}/seeds/007_3d5a6d2ec5e9b1a4.txt"],
}


def powcount(args: list[str], data: Path, **streams) -> subprocess.CompletedProcess[str]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    return subprocess.run([sys.executable, "-m", "powcount", "--data", str(data), *args],
                          text=True, timeout=120, **streams)


def command(name: str, root: Path) -> list[str]:
    return [a.replace("{root}", str(root)) for a in OUTPUT_COMMANDS[name]]


@pytest.fixture
def small_seed(dataset: Path) -> Path:
    """A short document for extract, in the dataset copy."""
    path = dataset / "seeds" / "007_3d5a6d2ec5e9b1a4.txt"
    path.write_text("Officials said 12 prisoners were held.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(OUTPUT_COMMANDS))
def test_dash_is_standard_output_for_every_command(run, dataset: Path, small_seed: Path,
                                                   tmp_path: Path, name: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plain = run(command(name, dataset), data=dataset)
    dashed = run([*command(name, dataset), "-o", "-"], data=dataset)
    assert plain.exit_code == dashed.exit_code
    assert plain.exit_code in (0, ExitCode.INPUT_FAILED), plain.stderr
    assert dashed.stdout == plain.stdout
    assert dashed.stdout
    assert not (tmp_path / "-").exists()


def test_schema_to_dash_prints_and_creates_no_file(run, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(["schema", "settings", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("{\n")
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_is_written_through_to_its_reader(dataset: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    completed = powcount(["sources", "--format", "csv", "-o", str(fifo)], dataset)
    reader.join(timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == f"wrote {fifo}\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    expected = powcount(["sources", "--format", "csv"], dataset).stdout
    assert received == [expected.encode("utf-8")]


def test_a_device_node_is_refused_and_left_alone(run, dataset: Path) -> None:
    before = os.stat("/dev/null")
    result = run(["figures", "-o", "/dev/null"], data=dataset)
    assert result.exit_code == ExitCode.OUTPUT_FAILED
    assert result.stderr == ("powcount: /dev/null: is a device, not a regular file: give a "
                             "file path, or - for standard output\n")
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", [["figures"], ["reconcile", "korea"], ["validate"]])
def test_a_full_standard_output_is_exit_5_with_one_line(dataset: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        completed = powcount(args, dataset, stdout=full)
    assert completed.returncode == ExitCode.OUTPUT_FAILED
    assert completed.stderr == ("powcount: standard output: cannot write: No space left on "
                                "device\n")


def test_a_closed_standard_output_is_exit_5_with_one_line(dataset: Path) -> None:
    completed = subprocess.run(
        f'exec "{sys.executable}" -m powcount --data "{dataset}" figures >&-', shell=True,
        capture_output=False, stderr=subprocess.PIPE, text=True, timeout=120)
    assert completed.returncode == ExitCode.OUTPUT_FAILED
    assert completed.stderr == "powcount: standard output is closed: nothing was written\n"


def test_a_reader_that_stops_early_is_not_an_error(dataset: Path) -> None:
    completed = subprocess.run(
        f'"{sys.executable}" -m powcount --data "{dataset}" figures | head -1; '
        'echo "${PIPESTATUS[0]}"', shell=True, executable="/bin/bash",
        capture_output=True, text=True, timeout=120)
    lines = completed.stdout.splitlines()
    assert lines == ["Figures", "0"]
    assert completed.stderr == ""


@pytest.mark.parametrize("fmt", ["csv", "datapackage"])
def test_a_folder_export_to_dash_is_a_usage_error(run, dataset: Path, tmp_path: Path,
                                                 fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = run(["export", "--format", fmt, "-o", "-"], data=dataset)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (f"powcount: --format {fmt} writes several files: give a folder "
                             "with --output\n")
    assert result.stdout == ""
    assert list(work.iterdir()) == []
