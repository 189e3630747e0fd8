"""Temporary files that a later run can tell from a live one.

Every temporary file powcount writes (an output before its rename, a cache file) is
created here and held under an exclusive ``flock`` from creation until it is renamed
over its target. An interrupt or SIGTERM removes it on the way out; a SIGKILL cannot,
and the kernel releases the lock with the process. So a later run that finds a
temporary of the same pattern which it can lock, and which is not a file just made
and still empty (the moment between creating a file and locking it), knows its
writer is gone and removes it (``remove_dead``). A file it cannot lock is left alone:
another powcount is writing it.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from powcount.errors import OutputError

#: An empty temporary younger than this may be one whose writer has not locked it yet.
FRESH_SECONDS = 2.0


def locked_temporary(folder: Path, prefix: str, suffix: str = ".tmp") -> tuple[int, str]:
    """A new temporary file in ``folder`` (descriptor, path), locked by this process.

    Keep the descriptor open until the file has been renamed over its target.
    """
    import fcntl

    handle, path = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass  # no locks on this file system: the file is still removed when the run ends
    return handle, path


def write_beside(target: Path, parent: Path, chunks: Iterable[bytes], replace: bool = True) -> None:
    """Write ``target`` through a locked temporary beside it, renamed over it in one step.

    ``replace``: False refuses a target already there. Takes no dataset lock: callers
    that write into a dataset hold it (powcount.atomic, the journal of powcount.locking).
    """
    remove_dead(parent, f".{target.name}.*.tmp")
    try:
        handle, temporary = locked_temporary(parent, prefix=f".{target.name}.")
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror}") from None
    try:
        # Renamed before it is closed: closing releases the lock that tells a later run
        # this temporary is not a dead one.
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
            if target.exists():
                os.chmod(temporary, target.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temporary, 0o666 & ~umask)
            if replace:
                os.replace(temporary, target)
            else:
                _rename_new(temporary, target)
    except FileExistsError:
        os.unlink(temporary)
        raise OutputError(f"{target}: already exists: it was not replaced") from None
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"{target}: cannot write: {error.strerror}") from None
        raise


def _rename_new(temporary: str, target: Path) -> None:
    """Rename a temporary onto a name that must be free; FileExistsError if it is not."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        # No hard links on this file system: the check and the rename are two steps,
        # which the dataset lock keeps other powcount runs out of.
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.replace(temporary, target)
    else:
        os.unlink(temporary)


def remove_dead(folder: Path, pattern: str) -> list[str]:
    """Remove the temporaries matching ``pattern`` in ``folder`` whose writer is gone."""
    import fcntl

    try:
        names = sorted(n for n in os.listdir(folder) if fnmatch.fnmatchcase(n, pattern))
    except OSError:
        return []
    removed = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(handle)
            if not _regular(info.st_mode):
                continue
            if info.st_size == 0 and time.time() - info.st_mtime < FRESH_SECONDS:
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its writer is alive (or the file system has no locks)
            os.unlink(path)
            removed.append(name)
        except OSError:
            continue
        finally:
            os.close(handle)
    return removed


def _regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)
