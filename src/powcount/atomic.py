"""Writing files so that an interrupted run never leaves half a file.

Everything is written to a temporary file beside the target, flushed, and renamed
over it in one step; on any failure the temporary file is removed and the old
target is untouched. A temporary left by a killed run is removed by the next write
of the same target (``powcount.tempfiles``). A target inside a dataset's data folder
is written under the dataset lock (``powcount.locking``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from powcount.errors import OutputError
from powcount.tempfiles import locked_temporary, remove_dead


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    write_chunks_atomic(path, (data,))


def write_bytes_new(path: Path | str, data: bytes) -> None:
    """Write a file that must not exist yet: a file already there is never replaced."""
    write_chunks_atomic(path, (data,), replace=False)


def write_chunks_atomic(path: Path | str, chunks: Iterable[bytes], replace: bool = True) -> None:
    """Write the chunks one after another; the target appears only once all are written."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    try:
        # os.stat, not Path.is_dir: a name the file system refuses (too long, a file
        # where a folder should be) raises here and must become an OutputError.
        if stat.S_ISDIR(os.stat(target).st_mode):
            raise OutputError(f"{target}: is a directory: give a file path for the output")
    except FileNotFoundError:
        pass
    except NotADirectoryError:
        raise OutputError(f"{target}: {_first_file(parent)} is a file, not a folder: "
                          "give a path inside a folder") from None
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror}") from None
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist: create it first")
    from powcount.locking import dataset_folder_of, dataset_lock

    data = dataset_folder_of(target)
    if data is None:
        _write_new(target, parent, chunks, replace)
    else:
        with dataset_lock(data):
            _write_new(target, parent, chunks, replace)


def _write_new(target: Path, parent: Path, chunks: Iterable[bytes], replace: bool) -> None:
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


def _first_file(folder: Path) -> Path:
    """The part of a folder path that exists but is a file."""
    for candidate in (*reversed(folder.parents), folder):
        if candidate.is_file():
            return candidate
    return folder


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
