"""The validated catalog kept between runs: used when nothing changed, never stale."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest

from powcount.catalog import locate_data
from powcount.catalog.cache import fingerprint


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POWCOUNT_CACHE", str(folder))
    return folder


def cached_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("catalog-*.pickle"))


def test_second_run_reads_the_cache_and_prints_the_same(run, dataset: Path,
                                                        cache: Path) -> None:
    first = run(["reconcile", "korea"], data=dataset)
    assert first.exit_code == 0
    [saved] = cached_files(cache)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    written = saved.stat().st_mtime_ns
    second = run(["reconcile", "korea"], data=dataset)
    assert second.stdout == first.stdout
    assert cached_files(cache) == [saved]
    assert saved.stat().st_mtime_ns == written  # read, not written again
    # The sort keys come back with the catalog, still its frame's: nothing is redone.
    catalog = pickle.loads(saved.read_bytes())
    assert catalog.index is not None and catalog.figure_index() is catalog.index
    assert catalog.index.figures is catalog.figures


def test_a_changed_figure_is_read_afresh(run, dataset: Path, cache: Path) -> None:
    before = run(["figures", "--source", "crs-2015", "--format", "csv"], data=dataset)
    assert "crs-2015-reported-held-1951" in before.stdout
    [old] = cached_files(cache)
    figures = dataset / "data" / "figures" / "crs-2015.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace(
        "id: crs-2015-reported-held-1951", "id: crs-2015-held-as-reported"), encoding="utf-8")
    after = run(["figures", "--source", "crs-2015", "--format", "csv"], data=dataset)
    assert after.exit_code == 0
    assert "crs-2015-held-as-reported" in after.stdout
    assert "crs-2015-reported-held-1951" not in after.stdout
    [new] = cached_files(cache)  # the older catalog of this dataset is gone
    assert new != old


def test_a_broken_cache_file_is_ignored_and_replaced(run, dataset: Path, cache: Path) -> None:
    expected = run(["reconcile", "korea"], data=dataset).stdout
    [saved] = cached_files(cache)
    saved.write_bytes(b"not a pickle")
    again = run(["reconcile", "korea"], data=dataset)
    assert again.exit_code == 0
    assert again.stdout == expected
    assert saved.read_bytes()[:1] == b"\x80"  # a pickle again


def test_a_cache_file_others_can_write_is_never_unpickled(run, dataset: Path, cache: Path,
                                                          tmp_path: Path) -> None:
    expected = run(["reconcile", "korea"], data=dataset).stdout
    [saved] = cached_files(cache)
    marker = tmp_path / "unpickled"
    saved.write_bytes(pickle.dumps(_Touch(marker)))
    saved.chmod(0o666)
    again = run(["reconcile", "korea"], data=dataset)
    assert again.stdout == expected
    assert not marker.exists()


def test_a_cache_file_holding_something_else_is_ignored(run, dataset: Path,
                                                        cache: Path) -> None:
    expected = run(["reconcile", "korea"], data=dataset).stdout
    [saved] = cached_files(cache)
    saved.write_bytes(pickle.dumps({"figures": []}))
    assert run(["reconcile", "korea"], data=dataset).stdout == expected


def test_invalid_data_is_never_cached(run, dataset: Path, cache: Path) -> None:
    sources = dataset / "data" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "reliability: B", "reliability: Q", 1), encoding="utf-8")
    result = run(["validate"], data=dataset)
    assert result.exit_code == 3
    assert cached_files(cache) == []


def test_off_leaves_no_folder(run, dataset: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWCOUNT_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert run(["reconcile", "korea"], data=dataset).exit_code == 0
    assert not (tmp_path / "xdg").exists()


def test_key_changes_with_any_file_and_only_then(dataset: Path) -> None:
    root = locate_data(str(dataset))
    key, size = fingerprint(root)
    assert fingerprint(root) == (key, size)
    assert size == sum(p.stat().st_size for p in dataset.rglob("*") if p.is_file())
    note = dataset / "seeds" / "notes.txt"
    note.write_text("a new document\n", encoding="utf-8")
    assert fingerprint(root)[0] != key


class _Touch:
    """Unpickling this creates a file: proof that a cache file was unpickled."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.path),))


def test_validate_reads_every_byte_again(run, dataset: Path, cache: Path) -> None:
    """A document changed behind the cache's back (same size, same time) is caught."""
    assert run(["reconcile", "korea"], data=dataset).exit_code == 0
    document = sorted((dataset / "seeds").iterdir())[0]
    info = document.stat()
    text = document.read_bytes()
    document.write_bytes(text[:-2] + (b"X\n" if text[-2:] != b"X\n" else b"Y\n"))
    os.utime(document, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert run(["reconcile", "korea"], data=dataset).exit_code == 0  # the cache
    result = run(["validate"], data=dataset)
    assert result.exit_code == 3
    assert "changed since curation" in result.stderr
