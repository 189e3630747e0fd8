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
from powcount.locking import dataset_folder_of, dataset_lock
from powcount.tempfiles import write_beside


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
    data = dataset_folder_of(target)
    if data is None:
        write_beside(target, parent, chunks, replace)
    else:
        with dataset_lock(data):
            write_beside(target, parent, chunks, replace)


def _first_file(folder: Path) -> Path:
    """The part of a folder path that exists but is a file."""
    for candidate in (*reversed(folder.parents), folder):
        if candidate.is_file():
            return candidate
    return folder


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
