"""Writing outputs safely: all or nothing, old files intact, one-line errors with exit 5.

Failures are real: a file-size limit (RLIMIT_FSIZE) that stops a write halfway in a
child process, an interrupt raised by the data itself, and paths the file system
refuses. Root ignores file permissions, so no test relies on them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from run_helpers import run_with_file_size_limit

from powcount.export import write_files_atomic


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its content (None for folders)."""
    return {str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(root.rglob("*"))}


def test_a_report_cut_off_mid_write_leaves_the_old_file_and_no_temporary(dataset, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.html"
    target.write_text("the old report\n", encoding="utf-8")
    before = tree(out_dir)
    # One full run first, so that matplotlib's font cache (in powcount's cache folder)
    # exists and the limit stops the report, not the cache; in a fresh home it would not.
    warm = run_with_file_size_limit(
        10**9, ["--data", str(dataset), "report", "all", "--output", str(tmp_path / "warm.html")])
    assert (warm.returncode, warm.stderr) == (0, f"wrote {tmp_path / 'warm.html'}\n")
    done = run_with_file_size_limit(
        20_000, ["--data", str(dataset), "report", "all", "--output", str(target)])
    assert done.returncode == 5, done.stderr
    assert done.stderr == f"powcount: {target}: cannot write: File too large\n"
    assert done.stdout == ""
    assert tree(out_dir) == before


def test_an_export_cut_off_mid_write_leaves_every_old_file(run, dataset, tmp_path):
    out = tmp_path / "csv"
    assert run(["export", "--format", "csv", "-o", str(out)], data=dataset).exit_code == 0
    for path in out.iterdir():
        path.write_text(f"old {path.name}\n", encoding="utf-8")
    before = tree(out)
    # sources.csv fits under the limit; figures.csv does not.
    done = run_with_file_size_limit(
        4096, ["--data", str(dataset), "export", "--format", "csv", "--output", str(out)])
    assert done.returncode == 5, done.stderr
    assert done.stderr == f"powcount: {out}: cannot write: File too large\n"
    assert tree(out) == before


def _chunks(count: int, interrupt_after: int | None = None) -> Iterator[bytes]:
    for i in range(count):
        if interrupt_after is not None and i == interrupt_after:
            raise KeyboardInterrupt
        yield f"line {i}\n".encode()


def test_an_interrupt_while_writing_files_leaves_the_old_ones(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.csv").write_text("old a\n", encoding="utf-8")
    (folder / "b.csv").write_text("old b\n", encoding="utf-8")
    before = tree(folder)
    files = [("a.csv", _chunks(100)), ("b.csv", _chunks(100, interrupt_after=50))]
    with pytest.raises(KeyboardInterrupt):
        write_files_atomic(folder, files)
    assert tree(folder) == before


def test_an_interrupt_while_writing_into_a_new_folder_removes_the_folder(tmp_path):
    folder = tmp_path / "new"
    with pytest.raises(KeyboardInterrupt):
        write_files_atomic(folder, [("a.csv", _chunks(10, interrupt_after=5))])
    assert not folder.exists()


def test_writing_files_leaves_exactly_the_files(tmp_path):
    folder = tmp_path / "new" / "deeper"
    write_files_atomic(folder, [("a.csv", _chunks(3)), ("b.csv", [b"x\n"])])
    assert tree(folder) == {"a.csv": b"line 0\nline 1\nline 2\n", "b.csv": b"x\n"}


# --- paths that cannot be written: one line, exit 5, nothing changed ------------------------


def _refused(run, dataset, tmp_path, args: list[str]) -> str:
    before = tree(tmp_path / "place")
    result = run(args, data=dataset)
    assert result.exit_code == 5, result.stderr
    assert result.stdout == ""
    assert tree(tmp_path / "place") == before
    return result.stderr


@pytest.fixture
def place(tmp_path) -> Path:
    root = tmp_path / "place"
    (root / "folder").mkdir(parents=True)
    (root / "file.txt").write_text("a file\n", encoding="utf-8")
    (root / "csv" / "figures.csv").mkdir(parents=True)
    return root


def test_report_into_a_folder_is_refused(run, dataset, tmp_path, place):
    target = place / "folder"
    error = _refused(run, dataset, tmp_path, ["report", "all", "-o", str(target)])
    assert error == f"powcount: {target}: is a directory: give a file path for the output\n"


def test_report_into_a_missing_folder_is_refused(run, dataset, tmp_path, place):
    target = place / "missing" / "report.html"
    error = _refused(run, dataset, tmp_path, ["report", "all", "-o", str(target)])
    assert error == (f"powcount: {target}: folder {place / 'missing'} does not exist: "
                     "create it first\n")


def test_json_export_into_a_folder_is_refused(run, dataset, tmp_path, place):
    target = place / "folder"
    error = _refused(run, dataset, tmp_path, ["export", "--format", "json", "-o", str(target)])
    assert error == f"powcount: {target}: is a directory: give a file path for the output\n"


def test_csv_export_onto_a_file_is_refused(run, dataset, tmp_path, place):
    target = place / "file.txt"
    error = _refused(run, dataset, tmp_path, ["export", "--format", "csv", "-o", str(target)])
    assert error == (f"powcount: {target}: is a file, not a folder: give a folder for the "
                     "exported files\n")


def test_csv_export_below_a_file_is_refused(run, dataset, tmp_path, place):
    target = place / "file.txt" / "csv"
    error = _refused(run, dataset, tmp_path,
                     ["export", "--format", "datapackage", "-o", str(target)])
    assert error == f"powcount: {target}: cannot create the folder: Not a directory\n"


def test_csv_export_over_a_folder_of_the_same_name_is_refused(run, dataset, tmp_path, place):
    target = place / "csv"
    error = _refused(run, dataset, tmp_path, ["export", "--format", "csv", "-o", str(target)])
    assert error == (f"powcount: {target / 'figures.csv'}: is a folder: move it away or "
                     "choose another output folder\n")


def test_two_exports_into_one_new_folder_never_collide(tmp_path):
    """Two writers started together on the same missing folder: both succeed, every round.

    Threads, so the two mkdir calls really race (before the fix about one round in eight
    failed with "File exists" or "is a file").
    """
    import threading

    from powcount.errors import OutputError

    failures = []
    for round_number in range(300):
        folder = tmp_path / f"round-{round_number}" / "out"
        barrier = threading.Barrier(2)

        def export(content: bytes, folder: Path = folder, barrier=barrier) -> None:
            barrier.wait()
            try:
                write_files_atomic(folder, [("a.csv", (content,)), ("b.csv", (content,))])
            except OutputError as error:
                failures.append(str(error))

        writers = [threading.Thread(target=export, args=(b"same\n",)) for _ in range(2)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "b.csv"]
    assert failures == []


def test_sigterm_removes_the_temporaries_of_an_export(generated_dataset, tmp_path):
    """SIGTERM while the files are written: exit 143, one line, no temporary, no new folder."""
    import signal
    import time

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "POWCOUNT_CACHE": "off"}
    for attempt in range(5):
        out = tmp_path / f"export-{attempt}"
        child = subprocess.Popen(
            [sys.executable, "-m", "powcount", "--data", str(generated_dataset), "export",
             "--format", "csv", "--output", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        while child.poll() is None and not list(out.glob(".*.tmp")):
            time.sleep(0.005)
        if child.poll() is not None:
            continue  # the write was over before it was seen: try again
        child.send_signal(signal.SIGTERM)
        code = child.wait(timeout=120)
        assert child.stderr is not None
        assert (code, child.stderr.read()) == (143, "powcount: terminated\n")
        assert not out.exists()
        return
    pytest.fail("no run was caught while writing")


def test_report_with_an_unwritable_home_prints_no_warning_and_leaves_no_matplotlib_folder(
        dataset, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should be\n", encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "POWCOUNT_CACHE")}
    env.update(HOME=str(blocker / "home"), TMPDIR=str(temporary), PYTHONDONTWRITEBYTECODE="1")
    report = tmp_path / "report.html"
    for cache in ("", "off"):
        if cache:
            env["POWCOUNT_CACHE"] = cache
        done = subprocess.run(
            [sys.executable, "-m", "powcount", "--data", str(dataset), "report", "all",
             "--output", str(report)],
            capture_output=True, text=True, env=env, timeout=300, check=False)
        # Only the path written is named on stderr: matplotlib warns of nothing.
        assert (done.returncode, done.stderr) == (0, f"wrote {report}\n")
        assert sorted(p.name for p in temporary.iterdir()) == []


def test_report_keeps_matplotlib_files_in_the_powcount_cache_folder(dataset, tmp_path):
    cache = tmp_path / "cache"
    env = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    env.update(HOME=str(tmp_path / "home"), POWCOUNT_CACHE=str(cache),
               PYTHONDONTWRITEBYTECODE="1")
    report = tmp_path / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "powcount", "--data", str(dataset), "report", "all",
         "--output", str(report)],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert (done.returncode, done.stderr) == (0, f"wrote {report}\n")
    assert [p.name for p in (cache / "matplotlib").glob("fontlist-*.json")] != []
    assert not (tmp_path / "home").exists()
