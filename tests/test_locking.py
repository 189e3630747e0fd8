"""Writers of one dataset: the dataset lock, all-or-nothing add-source, recovery.

Concurrency is real: powcount processes started together on one dataset copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from run_helpers import LIMITED_RUN

from powcount.catalog.yaml import read_yaml, to_plain


def powcount(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen([sys.executable, "-m", "powcount", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def listed(dataset: Path) -> list[dict[str, str]]:
    path = dataset / "data" / "sources.yaml"
    return to_plain(read_yaml(path, "sources.yaml"))["sources"]


def seeds(dataset: Path) -> list[str]:
    return sorted(p.name for p in (dataset / "seeds").iterdir())


def documents(tmp_path: Path, count: int, name: str | None = None) -> list[Path]:
    made = []
    for number in range(count):
        folder = tmp_path / f"incoming-{number}"
        folder.mkdir()
        path = folder / (name or f"report-{number}.txt")
        path.write_text(f"Report {number}: {1000 + number} men are still missing.\n",
                        encoding="utf-8")
        made.append(path)
    return made


def test_eight_add_sources_at_once_leave_eight_entries_and_eight_seeds(dataset, tmp_path):
    before_seeds = seeds(dataset)
    before_ids = [s["id"] for s in listed(dataset)]
    runs = [powcount("--data", str(dataset), "add-source", str(path), "--id", f"new-{n}",
                     "--title", f"New {n}")
            for n, path in enumerate(documents(tmp_path, 8))]
    results = [(r.wait(timeout=120), r.stderr.read() if r.stderr else "") for r in runs]
    assert results == [(0, "")] * 8
    entries = listed(dataset)
    assert [s["id"] for s in entries[:len(before_ids)]] == before_ids
    assert sorted(s["id"] for s in entries[len(before_ids):]) == [f"new-{n}" for n in range(8)]
    assert seeds(dataset) == sorted(before_seeds + [f"report-{n}.txt" for n in range(8)])
    for entry in entries:
        seed = dataset / "seeds" / entry["file"]
        assert hashlib.sha256(seed.read_bytes()).hexdigest() == entry["sha256"]
    assert sorted(p.name for p in (dataset / "data").iterdir()) == [
        "checks.yaml", "figures", "settings.yaml", "sources.yaml", "vocabulary.yaml"]


def test_one_name_two_contents_at_once_one_wins_the_other_is_refused(dataset, tmp_path):
    first, second = documents(tmp_path, 2, name="same.txt")
    runs = [powcount("--data", str(dataset), "add-source", str(path), "--id", f"same-{n}",
                     "--title", "Same") for n, path in enumerate((first, second))]
    codes = [r.wait(timeout=120) for r in runs]
    errors = [r.stderr.read() if r.stderr else "" for r in runs]
    assert sorted(codes) == [0, 2]
    loser = codes.index(2)
    winner = 1 - loser
    assert errors[loser] == (f"powcount: {(first, second)[loser]}: seeds/same.txt is already "
                             f"the document of source 'same-{winner}': rename the new file\n")
    entry = listed(dataset)[-1]
    assert entry["id"] == f"same-{winner}"
    stored = (dataset / "seeds" / "same.txt").read_bytes()
    assert stored == (first, second)[winner].read_bytes()
    assert entry["sha256"] == hashlib.sha256(stored).hexdigest()


def test_a_failed_add_source_leaves_no_seed_behind(dataset, tmp_path):
    (document,) = documents(tmp_path, 1)
    sources = dataset / "data" / "sources.yaml"
    before = sources.read_bytes()
    before_seeds = seeds(dataset)
    # The seed is small, sources.yaml is not: the limit stops the second write.
    limit = len(before) // 2
    done = subprocess.run([sys.executable, "-c", LIMITED_RUN, str(limit), "--data",
                           str(dataset), "add-source", str(document), "--id", "limited",
                           "--title", "Limited"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert (done.returncode, done.stderr) == (
        5, f"powcount: {sources}: cannot write: File too large\n")
    assert sources.read_bytes() == before
    assert seeds(dataset) == before_seeds
    assert sorted(p.name for p in (dataset / "data").iterdir()) == [
        "checks.yaml", "figures", "settings.yaml", "sources.yaml", "vocabulary.yaml"]


def test_a_write_killed_between_seed_and_sources_is_undone_by_the_next_writer(run, dataset,
                                                                               tmp_path):
    # What a SIGKILL between the two writes leaves: the journal, the seed, a temporary.
    (dataset / "seeds" / "orphan.txt").write_text("half added\n", encoding="utf-8")
    (dataset / "data" / ".sources.yaml.k1ll3d.tmp").write_text("sources:\n", encoding="utf-8")
    (dataset / "data" / ".powcount.journal").write_text(json.dumps(
        {"created": ["seeds/orphan.txt"], "listed_in": "data/sources.yaml",
         "marker": "sha256: " + "0" * 64}), encoding="utf-8")
    (document,) = documents(tmp_path, 1)
    result = run(["add-source", str(document), "--id", "after", "--title", "After"],
                 data=dataset)
    assert result.exit_code == 0, result.stderr
    assert "orphan.txt" not in seeds(dataset)
    assert sorted(p.name for p in (dataset / "data").iterdir()) == [
        "checks.yaml", "figures", "settings.yaml", "sources.yaml", "vocabulary.yaml"]


def test_a_journal_cannot_remove_files_outside_the_dataset(run, dataset, tmp_path):
    outside = tmp_path / "keep.txt"
    outside.write_text("mine\n", encoding="utf-8")
    (dataset / "data" / ".powcount.journal").write_text(json.dumps(
        {"created": [str(outside), "../keep.txt"], "listed_in": "data/sources.yaml",
         "marker": "never"}), encoding="utf-8")
    (document,) = documents(tmp_path, 1)
    result = run(["add-source", str(document), "--id", "after", "--title", "After"],
                 data=dataset)
    assert result.exit_code == 0, result.stderr
    assert outside.read_text(encoding="utf-8") == "mine\n"


def test_a_writer_waits_for_the_lock_and_gives_up_with_one_line(dataset, tmp_path):
    from powcount.errors import OutputError
    from powcount.locking import dataset_lock

    data = dataset / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from powcount.locking import dataset_lock\n"
         "with dataset_lock(Path(sys.argv[1])):\n"
         "    print('held', flush=True); time.sleep(30)", str(data)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(OutputError) as caught:
            with dataset_lock(data, wait=0.3):
                pass
        assert str(caught.value) == (
            f"{data / '.powcount.lock'}: another powcount has been writing into this dataset "
            "for over 0.3 s: wait for it to finish and run the command again")
    finally:
        holder.kill()
        holder.wait()
    with dataset_lock(data, wait=5):
        assert (data / ".powcount.lock").exists()
    assert not (data / ".powcount.lock").exists()


def test_extract_into_the_data_folder_takes_the_lock(dataset, tmp_path):
    from powcount.locking import dataset_lock

    data = dataset / "data"
    output = data / "figures" / "crs-2015.yaml"
    before = output.read_bytes()
    with dataset_lock(data):
        child = powcount("--data", str(dataset), "extract", str(dataset / "seeds" /
                         "003_c5e0c8b9b0d3c692.txt"), "--source", "crs-2015", "--format",
                         "yaml", "--output", str(output))
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=3)
        assert output.read_bytes() == before
    assert child.wait(timeout=120) == 0
