"""A validated catalog kept between runs, so a command on unchanged data starts at once.

Loading reads every YAML file, checks every field and finds every quote in its
document; on the bundled data that is most of what ``powcount reconcile korea`` does
after its imports. The catalog that comes out is saved (pickled) in the user's cache
folder under a key made of everything it was built from: the path of the dataset,
the name, size and modification time of every file under ``data/`` and ``seeds/``, the
same for powcount's own modules, and the versions of Python, pandas and pydantic. Any
change to any of them is a new key, and the data is loaded and checked afresh.

The folder is ``$POWCOUNT_CACHE``, else ``$XDG_CACHE_HOME/powcount``, else
``~/.cache/powcount``; ``POWCOUNT_CACHE=off`` turns the cache off. A file there is
used only when it belongs to the user running powcount and no one else can write to
it or its folder (a pickle can run code when it is read). A cache that cannot be read
or written is ignored: the data is loaded as if there were none. Datasets larger than
MAX_CACHED_BYTES are not cached: their cache would be as large as the data.
``powcount validate`` always reads and checks the files afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from powcount.catalog.load import Catalog, DataRoot

CACHE_ENV = "POWCOUNT_CACHE"
OFF = frozenset({"off", "0", "no", "false"})

#: Data and documents above this many bytes are loaded afresh every run.
MAX_CACHED_BYTES = 64 * 1024 * 1024

#: Bumped when the cache's layout changes.
_LAYOUT = b"powcount-catalog-cache 1"

#: What a broken, foreign or outdated cache file can raise while it is unpickled.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
               IndexError, KeyError, TypeError, ValueError)


def cache_folder() -> Path | None:
    """Where catalogs are kept, or None when the cache is off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "powcount"


def _tree_stats(digest: hashlib._Hash, folder: Path) -> int:
    """Feed every file's name, size and modification time to the digest; total bytes."""
    total = 0
    for directory, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue  # a dangling link: the loader reports it, the key needs no more
            total += info.st_size
            digest.update(f"{os.path.relpath(path, folder)}\0{info.st_size}\0"
                          f"{info.st_mtime_ns}\0{info.st_ino}\n".encode("utf-8",
                                                                      "surrogateescape"))
    return total


def fingerprint(root: DataRoot) -> tuple[str, int]:
    """The cache key of a dataset and the bytes its files hold."""
    import pandas
    import pydantic

    digest = hashlib.sha256(_LAYOUT)
    digest.update(f"{sys.version}\0{pandas.__version__}\0{pydantic.VERSION}\0"
                  f"{root.root.resolve()}\0".encode("utf-8", "surrogateescape"))
    size = 0
    for label, folder in (("data", root.data), ("seeds", root.seeds)):
        digest.update(f"[{label}]\n".encode())
        size += _tree_stats(digest, folder)
    digest.update(b"[code]\n")
    _tree_stats(digest, Path(__file__).resolve().parent.parent)
    return digest.hexdigest(), size


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else."""
    info = os.lstat(path)
    getuid = getattr(os, "getuid", None)
    owner_ok = getuid is None or info.st_uid == getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, root: DataRoot) -> Catalog | None:
    from powcount.catalog.load import Catalog

    try:
        if not path.is_file() or not _private(path) or not _private(path.parent):
            return None
        with path.open("rb") as handle:
            catalog = pickle.load(handle)
    except _UNREADABLE:
        return None
    if not isinstance(catalog, Catalog) or catalog.root != root:
        return None
    return catalog


def _write(folder: Path, path: Path, catalog: Catalog) -> None:
    """Save the catalog beside nothing older of the same dataset; never fail the command."""
    import tempfile

    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".catalog-", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(catalog, stream, protocol=pickle.HIGHEST_PROTOCOL)
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
