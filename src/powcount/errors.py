"""Typed errors. The library raises them; only the CLI boundary catches them.

Every problem carries a stable kind slug, the place (path, line) and a message
that says what is wrong and how to fix it, so the CLI prints one line each:
``path:line: subject: message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from powcount.safe_text import terminal_text


class ExitCode(IntEnum):
    """The documented exit codes of every command."""

    OK = 0
    FINDINGS = 1  # --strict: a conflict, a series anomaly or a failed check was found
    USAGE = 2  # click's own usage errors (unknown option, unknown conflict...)
    INVALID_DATA = 3  # the dataset failed validation
    INPUT_FAILED = 4  # a document or input file could not be read (extract, add-source)
    OUTPUT_FAILED = 5  # an output path could not be written
    INTERNAL = 70  # a bug: rerun with --debug for the traceback


#: What each exit code means to a script; docs/errors.md is generated from it.
EXIT_CODE_MEANINGS = {
    ExitCode.OK: "the command did its work",
    ExitCode.FINDINGS: "with `--strict`: a conflict, a series anomaly or a failed check was "
    "found",
    ExitCode.USAGE: "a usage error: an unknown command or option, or a value that names "
    "nothing known (an unknown conflict, source, quantity or format)",
    ExitCode.INVALID_DATA: "the dataset failed validation; every problem is listed, one line "
    "each",
    ExitCode.INPUT_FAILED: "a document or input file could not be read (`extract`, "
    "`add-source`)",
    ExitCode.OUTPUT_FAILED: "an output path could not be written; nothing was written",
    ExitCode.INTERNAL: "a bug: rerun with `--debug` for the traceback, and report it",
}


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
            text = f"{place}: {self.subject}: {self.message}"
        else:
            text = f"{place}: {self.message}"
        # Values quoted from data files may hold line breaks or terminal escapes; a
        # problem stays one printable line.
        return terminal_text(text)


@dataclass(frozen=True)
class ProblemKind:
    """A kind of problem: a stable slug, a title, and the template of its message.

    The catalog's kinds are listed in ``powcount.catalog.problems``.
    """

    slug: str
    title: str
    template: str

    def message(self, **fields: object) -> str:
        return self.template.format(**fields)

    def at(self, path: str, line: int | None, subject: str = "", **fields: object) -> Problem:
        """The problem of this kind found at ``path:line``, its template filled in."""
        return Problem(path, line, subject, self.message(**fields), self.slug)


class PowcountError(Exception):
    """Base of every error powcount reports to a user."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def lines(self) -> list[str]:
        return [terminal_text(str(self))]


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


#: What a well-formed value of a text field looks like, by field name, for pattern errors.
_FIELD_FORMS = {
    "as_of": "is not a date: write a year (1951), a month (2015-10), a day (2018-07-28) "
    "or a period (1990/1994)",
    "sha256": "is not a sha256: give the 64 lower-case hex digits that sha256sum prints "
    "for the document",
}
for _name in ("published", "period"):
    _FIELD_FORMS[_name] = _FIELD_FORMS["as_of"]
for _name in ("id", "source", "quantity", "conflict", "nation", "unit", "name", "rate_target"):
    _FIELD_FORMS[_name] = (
        "is not a code: use lower-case letters, digits, '-' and '_', such as 'crs-2015'"
    )


def _shown_value(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return str(value)


def describe_field_error(item: dict[str, object]) -> str:
    """One validation error of a data field as 'field ...: what: how to fix'.

    Takes the plain dict pydantic's ``ValidationError.errors()`` yields, so this
    module stays free of pydantic (the CLI imports it at start-up).
    """
    loc = item.get("loc") or ()
    assert isinstance(loc, tuple)
    name = ".".join(str(part) for part in loc) or "value"
    last = str(loc[-1]) if loc else ""
    kind = str(item.get("type", ""))
    raw_ctx = item.get("ctx")
    ctx: dict[str, object] = raw_ctx if isinstance(raw_ctx, dict) else {}
    value = item.get("input")
    shown = _shown_value(value)
    field = f"field '{name}'"
    if kind == "string_pattern_mismatch":
        form = _FIELD_FORMS.get(last, f"does not have the form {ctx.get('pattern')}: fix it")
        return f"{field}: {shown} {form}"
    if kind == "value_error":
        return f"{field}: {str(item.get('msg', '')).removeprefix('Value error, ')}"
    if kind in ("less_than_equal", "less_than"):
        bound = _shown_value(ctx.get("le", ctx.get("lt")))
        return f"{field}: {shown} is above the maximum {bound}: give at most {bound}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = _shown_value(ctx.get("ge", ctx.get("gt")))
        return f"{field}: {shown} is below the minimum {bound}: give at least {bound}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field}: {shown} is not a whole number: write a whole number such as 3"
    if kind in ("float_parsing", "float_type"):
        return f"{field}: {shown} is not a number: write a number such as 0.1"
    if kind in ("bool_parsing", "bool_type"):
        return f"{field}: {shown} is not true or false: write true or false"
    if kind in ("enum", "literal_error"):
        return f"{field}: {shown} is not one of {ctx.get('expected')}: use one of them"
    if kind == "string_type":
        return f"{field}: {shown} is not text: write text (in quotes if YAML reads it otherwise)"
    if kind == "string_too_short":
        return f"{field} is empty: write it out or remove the key"
    if kind == "string_too_long":
        return f"{field} is longer than {ctx.get('max_length')} characters: shorten it"
    if kind == "too_short":
        return f"{field} needs at least {ctx.get('min_length')} item: add one"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{field}: expected a mapping, found {shown}: write 'key: value' lines under it"
    if kind == "list_type":
        return f"{field}: expected a list, found {shown}: write one '- item' line per entry"
    return f"{field}: {item.get('msg')}: see `powcount schema` for the expected form"
