"""Writing files so that an interrupted run never leaves half a file.

Everything is written to a temporary file beside the target, flushed, and renamed
over it in one step; on any failure the temporary file is removed and the old
target is untouched.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from powcount.errors import OutputError


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    write_chunks_atomic(path, (data,))


def write_chunks_atomic(path: Path | str, chunks: Iterable[bytes]) -> None:
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
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror}") from None
    try:
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
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"{target}: cannot write: {error.strerror}") from None
        raise


def _first_file(folder: Path) -> Path:
    """The part of a folder path that exists but is a file."""
    for candidate in (*reversed(folder.parents), folder):
        if candidate.is_file():
            return candidate
    return folder


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
