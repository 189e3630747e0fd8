"""What powcount does to the interpreter to start, run and finish fast, in one place.

Start-up is a target (docs/performance.md): ``powcount --help`` within 1.3x the time of
``import click``, and a command on the bundled data within 1.3x the time of its imports.
What meets it is not powcount's own work but three measures on the interpreter and on
Click. Each is a named function here with the reason beside it, so the callers read as
if it were not there. ``benchmarks/run.py`` times start-up (its two last PASS lines);
``tests/test_startup.py`` checks that ``--help`` loads no heavy module.

Only the standard library is imported here: the CLI imports this module for ``--help``.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def terminal_columns() -> int:
    """The terminal's width by shutil.get_terminal_size's rule, without importing shutil.

    Click asks shutil for the width of every help page, and shutil imports modules
    (fnmatch, collections...) that ``--help`` otherwise never needs.
    """
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def help_width(terminal_width: int | None, forced_width: int | None,
               max_content_width: int | None) -> int:
    """The width Click lays help out at (its own rule), from terminal_columns."""
    width = terminal_width or forced_width
    if width is None:
        width = max(min(terminal_columns(), max_content_width or 80) - 2, 50)
    return width


def freeze_collector() -> None:
    """Spare the interpreter's last garbage collection once the command is done.

    Left as they are, the objects pandas, pyarrow and pydantic hold would all be walked
    once more by the interpreter's last collection on the way out: about a tenth of a
    second that frees nothing. Frozen, that collection skips them (memory goes back to
    the system with the process either way). Call it only when the command's files are
    closed and nothing is left to do.
    """
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many result models are built.

    The models hold no reference cycles, so nothing is left for it to free; left on,
    it walks every model built so far again and again (half the time at 1e5 figures).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
