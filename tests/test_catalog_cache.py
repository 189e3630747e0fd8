"""The validated catalog kept between runs: used when nothing changed, never stale."""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import stat
from pathlib import Path

import pytest

from powcount.catalog import locate_data
from powcount.catalog.cache import fingerprint, load_catalog_cached


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POWCOUNT_CACHE", str(folder))
    return folder


def cached_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("catalog-*.pickle"))


def payload(saved: Path) -> bytes:
    """The pickle of a cache file, after its first line and its sha256 (32 bytes)."""
    data = saved.read_bytes()
    head, _, rest = data.partition(b"\n")
    assert head == b"powcount-catalog 2"
    assert hashlib.sha256(rest[32:]).digest() == rest[:32]
    return rest[32:]


def sealed(pickled: bytes) -> bytes:
    """A cache file holding ``pickled`` with a matching digest."""
    return b"powcount-catalog 2\n" + hashlib.sha256(pickled).digest() + pickled


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
    catalog = pickle.loads(payload(saved))
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
    assert pickle.loads(payload(saved)).figures is not None  # a catalog again


def test_a_cache_file_others_can_write_is_never_unpickled(run, dataset: Path, cache: Path,
                                                          tmp_path: Path) -> None:
    expected = run(["reconcile", "korea"], data=dataset).stdout
    [saved] = cached_files(cache)
    marker = tmp_path / "unpickled"
    saved.write_bytes(sealed(pickle.dumps(_Touch(marker))))
    saved.chmod(0o666)
    again = run(["reconcile", "korea"], data=dataset)
    assert again.stdout == expected
    assert not marker.exists()


def test_a_cache_file_holding_something_else_is_ignored(run, dataset: Path,
                                                        cache: Path) -> None:
    expected = run(["reconcile", "korea"], data=dataset).stdout
    [saved] = cached_files(cache)
    saved.write_bytes(sealed(pickle.dumps({"figures": []})))
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


def test_a_document_changed_with_its_size_and_time_kept_is_read_afresh(run, dataset: Path,
                                                                        cache: Path) -> None:
    assert run(["reconcile", "korea"], data=dataset).exit_code == 0
    document = sorted((dataset / "seeds").iterdir())[0]
    info = document.stat()
    text = document.read_bytes()
    document.write_bytes(text[:-2] + (b"X\n" if text[-2:] != b"X\n" else b"Y\n"))
    os.utime(document, ns=(info.st_atime_ns, info.st_mtime_ns))
    for command in (["reconcile", "korea"], ["validate"]):
        result = run(command, data=dataset)
        assert result.exit_code == 3
        assert "changed since curation" in result.stderr


def test_a_tolerance_edited_in_place_with_its_time_set_back_changes_the_verdict(
        run, dataset: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataset / "data" / "settings.yaml"
    before = run(["reconcile", "cold_war", "--format", "csv"], data=dataset)
    assert before.exit_code == 0
    info = settings.stat()
    text = settings.read_text(encoding="utf-8")
    assert "approximate_tolerance: 0.10" in text
    settings.write_text(text.replace("approximate_tolerance: 0.10",
                                     "approximate_tolerance: 0.20"), encoding="utf-8")
    os.utime(settings, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert settings.stat().st_size == info.st_size
    after = run(["reconcile", "cold_war", "--format", "csv"], data=dataset)
    monkeypatch.setenv("POWCOUNT_CACHE", "off")
    fresh = run(["reconcile", "cold_war", "--format", "csv"], data=dataset)
    assert after.stdout == fresh.stdout
    # "about 125" is stated to the unit: the tolerance widens it by 10%, then by 20%.
    group = "cold_war/us/unaccounted_for/persons/2025,cold_war,us,unaccounted_for,persons,2025,"
    assert group + "0,single-source,112,138,112,138,125," in before.stdout
    assert group + "0,single-source,100,150,100,150,125," in after.stdout


def test_a_linked_figures_folder_is_fingerprinted_through(run, dataset: Path, cache: Path,
                                                          tmp_path: Path) -> None:
    elsewhere = tmp_path / "figures-elsewhere"
    (dataset / "data" / "figures").rename(elsewhere)
    (dataset / "data" / "figures").symlink_to(elsewhere, target_is_directory=True)
    before = run(["figures", "--format", "csv"], data=dataset)
    assert "crs-2015-reported-held-1951" in before.stdout
    moved = elsewhere / "crs-2015.yaml"
    moved.rename(tmp_path / "crs-2015.yaml")
    after = run(["figures", "--format", "csv"], data=dataset)
    assert after.exit_code == 0
    assert "crs-2015-reported-held-1951" not in after.stdout
    assert len(after.stdout.splitlines()) < len(before.stdout.splitlines())


@pytest.mark.parametrize("cut", [0, 1, 10, 19, 20, 51, -1], ids=lambda n: f"cut-{n}")
def test_a_truncated_cache_file_is_rebuilt_silently(run, dataset: Path, cache: Path,
                                                    cut: int) -> None:
    expected = run(["reconcile", "korea"], data=dataset)
    [saved] = cached_files(cache)
    saved.write_bytes(saved.read_bytes()[:cut])
    again = run(["reconcile", "korea"], data=dataset)
    assert (again.exit_code, again.stderr, again.stdout) == (0, "", expected.stdout)
    payload(saved)  # whole again


def test_no_flipped_bit_is_ever_unpickled(dataset: Path, cache: Path) -> None:
    root = locate_data(str(dataset))
    expected = load_catalog_cached(root)
    [saved] = cached_files(cache)
    good = saved.read_bytes()
    positions = sorted({0, 5, 19, 20, 40, 51, 52, len(good) // 2, len(good) - 1,
                        *range(60, len(good), max(1, len(good) // 25))})
    for position in positions:
        flipped = bytearray(good)
        flipped[position] ^= 0x08
        saved.write_bytes(bytes(flipped))
        catalog = load_catalog_cached(root)
        assert catalog.figures.equals(expected.figures), position
        assert saved.read_bytes() == good, position


class _Raises:
    """Unpickling this raises what the reduce function raises."""

    def __init__(self, function: object, *args: object):
        self.call = (function, args)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return self.call  # type: ignore[return-value]


@pytest.mark.parametrize("bad", [
    _Raises(math.exp, 10_000),  # OverflowError
    _Raises(bytearray, 2 ** 62),  # MemoryError
    _Raises(int, "not a number"),  # ValueError
    _Raises(getattr, object, "no_such_attribute"),  # AttributeError
], ids=["overflow", "memory", "value", "attribute"])
def test_a_cache_file_that_fails_to_unpickle_is_rebuilt_silently(run, dataset: Path,
                                                                 cache: Path, bad) -> None:
    expected = run(["reconcile", "korea"], data=dataset)
    [saved] = cached_files(cache)
    saved.write_bytes(sealed(pickle.dumps(bad)))
    again = run(["reconcile", "korea"], data=dataset)
    assert (again.exit_code, again.stderr, again.stdout) == (0, "", expected.stdout)
