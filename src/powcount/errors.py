"""Typed errors. The library raises them; only the CLI boundary catches them.

Every problem carries a stable kind slug, the place (path, line) and a message
that says what is wrong and how to fix it, so the CLI prints one line each:
``path:line: subject: message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of every command."""

    OK = 0
    FINDINGS = 1  # --strict: a conflict, a series anomaly or a failed check was found
    USAGE = 2  # click's own usage errors (unknown option, unknown conflict...)
    INVALID_DATA = 3  # the dataset failed validation
    INPUT_FAILED = 4  # a document or input file could not be read (extract, add-source)
    OUTPUT_FAILED = 5  # an output path could not be written
    INTERNAL = 70  # a bug: rerun with --debug for the traceback


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in the data, with its place and a fix."""

    path: str
    line: int | None
    subject: str  # e.g. "figure 'crs-2015-unaccounted'" or "field 'quote'"
    message: str
    kind: str = "invalid"

    def __str__(self) -> str:
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.subject:
            return f"{place}: {self.subject}: {self.message}"
        return f"{place}: {self.message}"


class PowcountError(Exception):
    """Base of every error powcount reports to a user."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def lines(self) -> list[str]:
        return [str(self)]


class PhraseError(PowcountError, ValueError):
    """A number phrase (value_text) that cannot be read as a count."""

    exit_code = ExitCode.INVALID_DATA


class DataError(PowcountError):
    """The dataset is invalid; carries every problem found in one run."""

    exit_code = ExitCode.INVALID_DATA

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line or 0, problem.subject, problem.message)


class UsageProblem(PowcountError):
    """A command-line value that names nothing known (an unknown conflict...)."""

    exit_code = ExitCode.USAGE


class InputError(PowcountError):
    """An input document that cannot be read."""

    exit_code = ExitCode.INPUT_FAILED


class OutputError(PowcountError):
    """An output path that cannot be written."""

    exit_code = ExitCode.OUTPUT_FAILED
