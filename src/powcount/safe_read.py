"""The one way powcount reads an input file: a regular file, and never more than a limit.

Documents, data files and bulk files all come through ``read_bounded``. A path may
name a FIFO (opening it for reading waits for a writer, forever), a device (its
stat size is 0, so a size check lets ``/dev/zero`` through and reading it takes all
memory), or a symlink to either. So the path is opened without blocking and without
becoming a controlling terminal, the open file (not the path, which may change
between a check and the open) must be a regular file, and at most ``limit + 1``
bytes are read: a file that grows, or whose size the kernel reports as 0 (files
under /proc), still cannot get past the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

#: Bytes asked of the kernel per read call.
_CHUNK = 1024 * 1024


class FileRefused(Exception):
    """An input path that is not read; the message says what and how to fix it."""


class NotARegularFile(FileRefused):
    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(f"not a regular file but {kind}: give a regular file")


class FileTooLarge(FileRefused):
    """Larger than the limit; ``size`` is the stat size, or None when it could not be told."""

    def __init__(self, size: int | None, limit: int):
        self.size = size
        self.limit = limit
        super().__init__(f"file is {self.described}, over the {limit:,}-byte limit: split it")

    @property
    def described(self) -> str:
        return f"more than {self.limit:,} bytes" if self.size is None else f"{self.size:,} bytes"


def file_kind(mode: int) -> str | None:
    """What a stat mode names when it is not a regular file, else None."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a file"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (symlinks followed) of at most ``limit`` bytes.

    Raises NotARegularFile or FileTooLarge without blocking and without reading
    more than ``limit + 1`` bytes; OSError (missing, permission) passes through.
    """
    # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # A device is refused before it is opened: opening some has effects (a tape rewinds).
        kind = file_kind(os.stat(path).st_mode)
    except OSError:
        kind = None  # the open below raises the error, with the reason
    if kind is not None:
        raise NotARegularFile(kind)
    handle = os.open(path, flags)
    try:
        info = os.fstat(handle)
        kind = file_kind(info.st_mode)
        if kind is not None:
            raise NotARegularFile(kind)
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(handle, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLarge(None, limit)
        return b"".join(chunks)
    finally:
        os.close(handle)
