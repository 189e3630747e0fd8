"""The dataset lock: one powcount at a time writes into a dataset.

Every write into a dataset (``add-source``; any output, such as ``extract -o``, whose
path lies in a data folder, i.e. a folder holding sources.yaml) holds an exclusive
``flock`` on ``data/.powcount.lock`` while it reads what it depends on and writes.
Others wait for it, up to LOCK_WAIT_SECONDS, then stop with a one-line error
(exit 5). Readers never take it: every file is replaced in one rename, so a reader
sees the old file or the new one. The lock file is removed on release, so a dataset
holds no trace of it between runs.

A file system that does not support locks (``flock`` fails with ENOLCK, EOPNOTSUPP,
ENOSYS or EINVAL, as on some network mounts) is refused with an error (exit 5):
writing unlocked could lose entries, which is worse than not writing.

A write of several files (a seed and sources.yaml) is made all-or-nothing by a
journal, ``data/.powcount.journal``, written before the first file and removed
after the last. A run killed in between leaves it; the next run that takes the
lock reads it and finishes or undoes the write (``recover``), and removes the
temporary files killed writers left in data/, data/figures/ and seeds/ (by the
rule of ``powcount.tempfiles``). The lock is held once per process: a writer that
holds it may call others that take it.
"""

from __future__ import annotations

import errno
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from powcount.errors import OutputError
from powcount.tempfiles import remove_dead, write_beside

LOCK_NAME = ".powcount.lock"
JOURNAL_NAME = ".powcount.journal"

#: How long a writer waits for another to finish before giving up.
LOCK_WAIT_SECONDS = 60.0

_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}

#: Data folders whose lock this process holds.
_held: set[Path] = set()


@contextmanager
def dataset_lock(data: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock of the dataset whose data folder is ``data``; recover a killed write."""
    key = data.resolve()
    if key in _held:
        yield
        return
    path = data / LOCK_NAME
    handle = _acquire(path, wait)
    try:
        _held.add(key)
        recover(data)
        yield
    finally:
        _held.discard(key)
        # Removed while still held, so no lock file is left in the dataset; a run
        # waiting on this file sees it gone once it gets the lock and tries again.
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(handle)


def _acquire(path: Path, wait: float) -> int:
    """An open descriptor of the lock file, locked, that is still the file at ``path``."""
    import fcntl

    deadline = time.monotonic() + wait
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as error:
            raise OutputError(f"{path}: cannot create the dataset lock: {error.strerror}: "
                              "check that the data folder is writable") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            if time.monotonic() >= deadline:
                raise OutputError(f"{path}: another powcount has been writing into this "
                                  f"dataset for over {wait:g} s: wait for it to finish and "
                                  "run the command again") from None
            time.sleep(0.02)
            continue
        except OSError as error:
            os.close(handle)
            if error.errno in _NO_LOCKS:
                raise OutputError(f"{path}: the file system does not support locks: copy "
                                  "the dataset to a local disk to change it") from None
            raise OutputError(f"{path}: cannot lock: {error.strerror}") from None
        try:
            same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(handle).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        os.close(handle)  # its holder removed it on release: lock the new one


def dataset_folder_of(output: Path) -> Path | None:
    """The data folder an output path lies in (a folder holding sources.yaml), if any."""
    try:
        place = output.resolve().parent
    except (OSError, RuntimeError):
        return None
    for folder in (place, *place.parents):
        if (folder / "sources.yaml").is_file():
            return folder
    return None


def begin(data: Path, created: list[Path], listed_in: Path, marker: str) -> None:
    """Record, before writing, the files about to be created and what proves them done.

    ``marker`` is text that ``listed_in`` holds once the write is complete.
    """
    base = data.parent
    record = {"created": [p.relative_to(base).as_posix() for p in created],
              "listed_in": listed_in.relative_to(base).as_posix(), "marker": marker}
    write_beside(data / JOURNAL_NAME, data, ((json.dumps(record) + "\n").encode("utf-8"),))


def finish(data: Path) -> None:
    (data / JOURNAL_NAME).unlink(missing_ok=True)


def recover(data: Path) -> None:
    """Finish or undo a write a killed run left half done; remove stale temporaries.

    Called with the lock held.
    """
    journal = data / JOURNAL_NAME
    try:
        record = json.loads(journal.read_text("utf-8"))
    except FileNotFoundError:
        record = None
    except (OSError, ValueError):
        record = {}  # a journal cut off while written: nothing after it was written
    if record is not None:
        base = data.parent
        try:
            done = record["marker"] in _inside(base, record["listed_in"]).read_text("utf-8")
        except (KeyError, TypeError, OSError, ValueError):
            done = False
        if not done:
            for name in record.get("created", []) if isinstance(record, dict) else []:
                try:
                    _inside(base, name).unlink(missing_ok=True)
                except (TypeError, ValueError, OSError):
                    continue
        journal.unlink(missing_ok=True)
    for folder in (data, data / "figures", data.parent / "seeds"):
        remove_dead(folder, ".*.tmp")


def _inside(base: Path, relative: str) -> Path:
    """A path of the journal, refused unless it stays inside the dataset."""
    path = base / relative
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise ValueError(relative)
    return path
