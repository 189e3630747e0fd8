"""Crash test: powcount killed (SIGKILL) at random points, then the invariants checked.

Each command runs once to completion to learn how long it takes, then KILLS more times,
each killed after a seeded random delay spread over its run (most of them while it
reads, loads or writes). After every kill:

- export and report: each output file is the old one or the new one, complete;
- add-source: sources.yaml parses, every seed it lists is present, and at most the
  seed of the killed run is present but unlisted;
- the catalog cache: nothing to check until the next run, which must print what an
  uncached run prints.

After the kills, one run to completion must leave the output complete and no temporary
file behind: whatever the killed runs left is removed by it. POWCOUNT_CRASH_KILLS sets
the number of kills per command (default 10, to keep the suite's time small; 40 for a
thorough run).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from powcount.catalog.yaml import read_yaml, to_plain
from powcount.tempfiles import FRESH_SECONDS

KILLS = int(os.environ.get("POWCOUNT_CRASH_KILLS", "10"))


def environment(cache: Path | str) -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "POWCOUNT_CACHE": str(cache)}


def completed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "powcount", *args], capture_output=True,
                          env=env, timeout=300, check=False)
    return time.monotonic() - start, done


def killed(args: list[str], env: dict[str, str], delay: float) -> None:
    child = subprocess.Popen([sys.executable, "-m", "powcount", *args],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        child.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()


def settle() -> None:
    """Let a killed run's empty temporary age past the window that protects a live one."""
    time.sleep(FRESH_SECONDS)


def delays(seed: int, whole: float) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(0.3 * whole, 1.05 * whole) for _ in range(KILLS)]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()
            and not p.name.startswith(".")}


def test_export_killed_anywhere_leaves_old_or_new_files(dataset, tmp_path):
    env = environment(tmp_path / "cache")
    reference = tmp_path / "reference"
    whole, done = completed(["--data", str(dataset), "export", "--format", "csv", "--output",
                             str(reference)], env)
    assert done.returncode == 0, done.stderr
    new = files(reference)
    out = tmp_path / "out"
    out.mkdir()
    old = {name: b"old " + name.encode() + b"\n" for name in new}
    for name, content in old.items():
        (out / name).write_bytes(content)
    args = ["--data", str(dataset), "export", "--format", "csv", "--output", str(out)]
    for delay in delays(1, whole):
        killed(args, env, delay)
        found = files(out)
        assert sorted(found) == sorted(new)
        for name, content in found.items():
            assert content in (old[name], new[name]), name
    settle()
    assert completed(args, env)[1].returncode == 0
    assert files(out) == new
    assert temporaries(out) == []


def test_report_killed_anywhere_leaves_the_old_report_or_the_new_one(dataset, tmp_path):
    env = environment(tmp_path / "cache")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.html"
    whole, done = completed(["--data", str(dataset), "report", "all", "--output",
                             str(tmp_path / "reference.html")], env)
    assert done.returncode == 0, done.stderr
    new = (tmp_path / "reference.html").read_bytes()
    target.write_bytes(b"the old report\n")
    args = ["--data", str(dataset), "report", "all", "--output", str(target)]
    for delay in delays(2, whole):
        killed(args, env, delay)
        assert target.read_bytes() in (b"the old report\n", new)
    settle()
    assert completed(args, env)[1].returncode == 0
    assert target.read_bytes() == new
    assert temporaries(out) == []


def listed_and_present(dataset: Path) -> tuple[set[str], set[str]]:
    node = to_plain(read_yaml(dataset / "data" / "sources.yaml", "data/sources.yaml"))
    listed = {entry["file"] for entry in node["sources"]}
    present = {p.name for p in (dataset / "seeds").iterdir() if not p.name.startswith(".")}
    return listed, present


def test_add_source_killed_anywhere_leaves_sources_and_seeds_in_step(dataset, tmp_path):
    env = environment(tmp_path / "cache")
    incoming = tmp_path / "incoming"
    incoming.mkdir()

    def document(number: int) -> Path:
        path = incoming / f"doc-{number}.txt"
        path.write_text(f"Document {number}: {100 + number} men missing.\n", encoding="utf-8")
        return path

    def args(number: int) -> list[str]:
        return ["--data", str(dataset), "add-source", str(document(number)), "--id",
                f"doc-{number}", "--title", f"Document {number}"]

    whole, done = completed(args(0), env)
    assert done.returncode == 0, done.stderr
    for number, delay in enumerate(delays(3, whole), start=1):
        killed(args(number), env, delay)
        listed, present = listed_and_present(dataset)
        assert listed <= present
        assert present - listed <= {f"doc-{number}.txt"}
    final = KILLS + 1
    settle()
    assert completed(args(final), env)[1].returncode == 0
    listed, present = listed_and_present(dataset)
    assert listed == present
    node = to_plain(read_yaml(dataset / "data" / "sources.yaml", "data/sources.yaml"))
    for entry in node["sources"]:
        seed = dataset / "seeds" / entry["file"]
        assert hashlib.sha256(seed.read_bytes()).hexdigest() == entry["sha256"]
    assert temporaries(dataset) == []
    assert sorted(p.name for p in (dataset / "data").iterdir()) == [
        "checks.yaml", "figures", "settings.yaml", "sources.yaml", "vocabulary.yaml"]


def test_a_cache_write_killed_anywhere_never_serves_a_wrong_catalog(dataset, tmp_path,
                                                                     monkeypatch):
    from powcount.catalog import load_catalog, locate_data
    from powcount.catalog.cache import load_catalog_cached

    cache = tmp_path / "cache"
    args = ["--data", str(dataset), "reconcile", "korea", "--format", "csv"]
    _, uncached = completed(args, environment("off"))
    assert uncached.returncode == 0
    whole, first = completed(args, environment(cache))
    assert first.stdout == uncached.stdout
    root = locate_data(str(dataset))
    expected = load_catalog(root)
    monkeypatch.setenv("POWCOUNT_CACHE", str(cache))
    for delay in delays(4, whole):
        for saved in cache.glob("catalog-*.pickle"):
            saved.unlink()  # every killed run has a catalog to write
        killed(args, environment(cache), delay)
        # Whatever the killed run left, the next reader gets the catalog of the data.
        assert load_catalog_cached(root).figures.equals(expected.figures)
    settle()
    for saved in cache.glob("catalog-*.pickle"):
        saved.unlink()
    _, last = completed(args, environment(cache))
    assert (last.returncode, last.stdout, last.stderr) == (0, uncached.stdout, b"")
    assert temporaries(cache) == []
