"""A validated catalog kept between runs, so a command on unchanged data starts at once.

Loading reads every YAML file, checks every field and finds every quote in its
document; on the bundled data that is most of what ``powcount reconcile korea`` does
after its imports. The catalog that comes out is saved (pickled) in the user's cache
folder under a key made of everything it was built from: the path of the dataset,
the name, size and sha256 of every file under ``data/`` and ``seeds/`` (links
followed: a linked ``data/figures`` counts as the files it holds), the name, size,
modification and change time of powcount's own modules, and the versions of
powcount, Python, pandas and pydantic. Any change to any of them is a new key, and
the data is loaded and checked afresh; an edit that keeps the size and sets the time
back is a change like any other.

The folder is ``$POWCOUNT_CACHE``, else ``$XDG_CACHE_HOME/powcount``, else
``~/.cache/powcount``; ``POWCOUNT_CACHE=off`` turns the cache off. A file there is
used only when it belongs to the user running powcount and no one else can write to
it or its folder (a pickle can run code when it is read), and only when its first
line and the sha256 of the pickle stored after it match: a file cut off, with a bit
flipped, or not ours is never unpickled. Any failure to read or unpickle it means
the data is loaded as if there were none, and the file replaced. Datasets larger
than MAX_CACHED_BYTES are not cached: their cache would be as large as the data.
A ``.catalog-*.tmp`` left by a killed run is removed by the next write once no
process holds it (``powcount.tempfiles``). ``powcount validate`` always reads and
checks the files afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from powcount.locking import JOURNAL_NAME, LOCK_NAME

if TYPE_CHECKING:
    from powcount.catalog.load import Catalog, DataRoot

CACHE_ENV = "POWCOUNT_CACHE"
OFF = frozenset({"off", "0", "no", "false"})

#: Data and documents above this many bytes are loaded afresh every run.
MAX_CACHED_BYTES = 64 * 1024 * 1024

#: Bumped when the cache's layout changes.
_LAYOUT = b"powcount-catalog-cache 2"

#: A cache file begins with this line and the sha256 of the pickle that follows.
_MAGIC = b"powcount-catalog 2\n"

#: A cache file larger than this is not ours: never read into memory.
_MAX_FILE_BYTES = 8 * MAX_CACHED_BYTES


def cache_folder() -> Path | None:
    """Where catalogs are kept, or None when the cache is off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "powcount"


def _tree_contents(digest: hashlib._Hash, folder: Path) -> int:
    """Feed every file's name and content hash to the digest; return the total bytes.

    Links are followed (a linked ``data/figures`` counts as its files), each real folder
    once. Contents, not times: an edit that keeps the size and sets the time back is
    still a new key (ctime with size and inode would cost less and be as safe but for
    the same-tick edit on a coarse clock; on the bundled data, hashing every byte
    costs under a millisecond more, see docs/reliability.md).
    """
    total = 0
    seen: set[tuple[int, int]] = set()
    for directory, folders, files in os.walk(folder, followlinks=True):
        try:
            info = os.stat(directory)
        except OSError:
            folders[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            folders[:] = []  # a link back up the tree
            continue
        seen.add((info.st_dev, info.st_ino))
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name in (LOCK_NAME, JOURNAL_NAME) or (name[0] == "." and name.endswith(".tmp")):
                continue  # a writer's own files, never read as data
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, folder)
            content = _file_digest(path)
            if content is None:
                # A dangling link or an unreadable file: the loader reports it.
                digest.update(f"{relative}\0-\n".encode("utf-8", "surrogateescape"))
                continue
            size, hexdigest = content
            total += size
            if total > MAX_CACHED_BYTES:
                return total  # not cached: the rest need not be read
            digest.update(f"{relative}\0{size}\0{hexdigest}\n".encode("utf-8",
                                                                      "surrogateescape"))
    return total


def _file_digest(path: str) -> tuple[int, str] | None:
    """Size and sha256 of a regular file; None for anything else (never opened)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size > MAX_CACHED_BYTES:
            return info.st_size, "-"
        with os.fdopen(os.dup(handle), "rb") as stream:
            return info.st_size, hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None
    finally:
        os.close(handle)


def _code_stats(digest: hashlib._Hash, folder: Path) -> None:
    """powcount's own modules: name, size, modification and change time of each."""
    for directory, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, folder)}\0{info.st_size}\0"
                          f"{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\n"
                          .encode("utf-8", "surrogateescape"))


def fingerprint(root: DataRoot) -> tuple[str, int]:
    """The cache key of a dataset and the bytes its files hold."""
    import pandas
    import pydantic

    from powcount import __version__

    digest = hashlib.sha256(_LAYOUT)
    digest.update(f"{__version__}\0{sys.version}\0{pandas.__version__}\0"
                  f"{pydantic.VERSION}\0{root.root.resolve()}\0".encode("utf-8",
                                                                          "surrogateescape"))
    size = 0
    for label, folder in (("data", root.data), ("seeds", root.seeds)):
        digest.update(f"[{label}]\n".encode())
        size += _tree_contents(digest, folder)
        if size > MAX_CACHED_BYTES:
            break
    digest.update(b"[code]\n")
    _code_stats(digest, Path(__file__).resolve().parent.parent)
    return digest.hexdigest(), size


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else."""
    info = os.lstat(path)
    getuid = getattr(os, "getuid", None)
    owner_ok = getuid is None or info.st_uid == getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, root: DataRoot) -> Catalog | None:
    """The catalog in a cache file, or None for anything short of an intact one of ours."""
    from powcount.catalog.load import Catalog

    try:
        if not path.is_file() or not _private(path) or not _private(path.parent):
            return None
        if path.stat().st_size > _MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    head, payload = data[:len(_MAGIC) + 32], data[len(_MAGIC) + 32:]
    if head != _MAGIC + hashlib.sha256(payload).digest():
        return None  # cut off, flipped or foreign: never unpickled
    try:
        catalog = pickle.loads(payload)
    except Exception:
        # The digest matched, so the bytes are the ones written; a pickle of an older
        # powcount or library can still fail in any way while it is rebuilt (MemoryError,
        # OverflowError, an import...): any failure means the data is loaded afresh.
        return None
    if not isinstance(catalog, Catalog) or catalog.root != root:
        return None
    return catalog


def _write(folder: Path, path: Path, catalog: Catalog) -> None:
    """Save the catalog beside nothing older of the same dataset; never fail the command."""
    from powcount.tempfiles import locked_temporary, remove_dead

    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        remove_dead(folder, ".catalog-*.tmp")
        payload = pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = locked_temporary(folder, prefix=".catalog-")
        # Renamed before it is closed: the lock marks it as live until then.
        with os.fdopen(handle, "wb") as stream:
            stream.write(_MAGIC + hashlib.sha256(payload).digest())
            stream.write(payload)
            stream.flush()
            os.replace(temporary, path)
        temporary = None
        dataset = path.name.rsplit("-", 1)[0]
        for older in folder.glob(f"{dataset}-*.pickle"):
            if older != path:
                older.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass  # a catalog that cannot be kept is loaded again next time: nothing more
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def load_catalog_cached(root: DataRoot, fresh: bool = False) -> Catalog:
    """The catalog of a dataset: from the cache when nothing changed, else loaded.

    ``fresh`` loads and checks everything even when the cache holds the catalog (and
    saves the result): ``powcount validate`` proves the files as they are now, bytes and
    hashes included, not as they were when the cache was written.
    """
    from powcount.catalog.load import load_catalog

    folder = cache_folder()
    if folder is None:
        return load_catalog(root)
    key, size = fingerprint(root)
    if size > MAX_CACHED_BYTES:
        return load_catalog(root)
    dataset = hashlib.sha256(str(root.root.resolve()).encode("utf-8", "surrogateescape"))
    path = folder / f"catalog-{dataset.hexdigest()[:16]}-{key[:32]}.pickle"
    catalog = None if fresh else _read(path, root)
    if catalog is None:
        catalog = load_catalog(root)  # a DataError leaves nothing behind
        _write(folder, path, catalog)
    return catalog
