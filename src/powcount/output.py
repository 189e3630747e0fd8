"""The one output path of every command: standard output, a file, or a FIFO.

``write_output(chunks, output)`` writes text given a piece at a time:

- ``None`` or ``-``: standard output. A reader that goes away (``| head``) is not an
  error; a write that fails (``> /dev/full``, a closed standard output) is an
  OutputError (exit 5), one line.
- a FIFO (or a link to one): written through, as ``cat > fifo`` would; its reader
  gets the text.
- a device node, socket or other special file: refused, never replaced, so that
  ``-o /dev/null`` run as root leaves the system's /dev/null alone.
- anything else: a regular file, written atomically (powcount.atomic): an interrupted
  run leaves the old file or none, never half of one.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable

from powcount.errors import OutputError

STDOUT = "-"


def write_output(chunks: Iterable[str], output: str | None, pager: str | None = None) -> None:
    """Write the chunks to ``output``: None or '-' for standard output, else a path.

    ``pager``: a command to show standard output through (see pager_command).
    """
    if output is None or output == STDOUT:
        if pager:
            write_paged(chunks, pager)
        else:
            write_stdout(chunks)
        return
    kind = _special_kind(output)
    if kind == "fifo":
        _write_fifo(output, chunks)
        return
    if kind is not None:
        raise OutputError(f"{output}: is a {kind}, not a regular file: give a file path, "
                          "or - for standard output")
    from powcount.atomic import write_chunks_atomic

    write_chunks_atomic(output, (chunk.encode("utf-8") for chunk in chunks))


def write_stdout(chunks: Iterable[str]) -> None:
    """Text to standard output, flushed; a failed write is an OutputError."""
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        raise OutputError("standard output is closed: nothing was written")
    try:
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
    except BrokenPipeError:
        _stdout_to_nowhere()
    except OSError as error:
        # What is still buffered would fail again at exit, with a traceback-like
        # "Exception ignored" message: the rest goes nowhere.
        _stdout_to_nowhere()
        raise OutputError(f"standard output: cannot write: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    return error.strerror or errno.errorcode.get(error.errno or 0, str(error))


def _special_kind(path: str) -> str | None:
    """What a path names when it is not a regular file, a folder or nothing."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        # Nothing there (or not reachable): the atomic writer says why, if it cannot.
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _write_fifo(path: str, chunks: Iterable[str]) -> None:
    try:
        with open(path, "w", encoding="utf-8") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except BrokenPipeError:
        # The reader closed its end: it has read what it wanted, as with a pipe.
        return
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {_reason(error)}") from None


def _stdout_to_nowhere() -> None:
    """Point standard output at the null device so that the flush at exit cannot fail."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, descriptor)
    os.close(nowhere)


def pager_command(wanted: bool) -> str | None:
    """The pager to show standard output through, git-style, or None.

    Only when ``wanted`` (no --no-pager) and standard output is a terminal, never in a
    pipe or a file. POWCOUNT_PAGER, then PAGER, then ``less``; an empty value or
    ``cat`` means none.
    """
    stream = sys.stdout
    try:
        if not wanted or stream is None or not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    for name in ("POWCOUNT_PAGER", "PAGER"):
        if name in os.environ:
            command = os.environ[name].strip()
            return None if command in ("", "cat") else command
    return "less"


def write_paged(chunks: Iterable[str], command: str) -> None:
    """Text through a pager; less shows a short text and exits (LESS=FRX, as git sets)."""
    import shlex
    import shutil
    import subprocess

    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        program = ""
    if "=" not in program and shutil.which(program) is None:
        # No such pager (less is not everywhere): the text still reaches the terminal.
        write_stdout(chunks)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    sys.stdout.flush()
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        write_stdout(chunks)
        return
    assert process.stdin is not None
    try:
        for chunk in chunks:
            process.stdin.write(chunk.encode("utf-8"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end: it has seen what it wanted
    process.wait()
