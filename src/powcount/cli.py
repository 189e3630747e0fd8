"""The command line: thin Click commands over the powcount library.

Each command resolves its inputs, calls one library function, renders the result
and exits. Heavy modules (pandas, pydantic) are imported inside the commands, so
``powcount --help`` starts fast. Errors are powcount's typed exceptions, caught
once, here, and printed one line each on stderr with a documented exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from powcount import __version__, startup

if TYPE_CHECKING:
    from powcount.catalog import Catalog
    from powcount.render.base import Result
    from powcount.render.layout import View

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_CHOICES = ("table", "csv", "json", "markdown")


class AppState:
    """What the group options decide, for every command."""

    def __init__(self, data: str | None, debug: bool):
        self.data = data
        self.debug = debug
        self.wide = False  # --wide: every column of a terminal table
        self.pager = True  # --no-pager: never page
        self._catalog: Catalog | None = None

    def view(self, fmt: str, output: str | None) -> View | None:
        """How a terminal table is laid out: the terminal's width on standard output."""
        if fmt != "table":
            return None
        from powcount.render.layout import View, terminal_width

        to_stdout = output is None or output == "-"
        return View(terminal_width() if to_stdout else None, self.wide)

    def pager_for(self, output: str | None) -> str | None:
        from powcount.output import pager_command

        return pager_command(self.pager) if output is None or output == "-" else None

    def catalog(self, fresh: bool = False) -> Catalog:
        """The dataset, validated; ``fresh``: read and checked now, never from the cache."""
        if self._catalog is None:
            from powcount.catalog import locate_data
            from powcount.catalog.cache import load_catalog_cached

            self._catalog = load_catalog_cached(locate_data(self.data), fresh=fresh)
        return self._catalog


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        from click import formatting

        width = startup.help_width(self.terminal_width, formatting.FORCED_WIDTH,
                                   self.max_content_width)
        return self.formatter_class(width=width, max_width=self.max_content_width)


DATA_HELP = ("Dataset to use: a folder holding data/ and seeds/, or its data/ folder. "
             "Default: the bundled dataset. Also POWCOUNT_DATA.")
DEBUG_HELP = "Show tracebacks instead of one-line errors."


def _state_of(ctx: click.Context) -> AppState:
    state = ctx.find_object(AppState)
    if state is None:
        # The group's callback makes it; a subcommand's options may come first (shell
        # completion parses without running the callback).
        state = AppState(None, False)
        ctx.find_root().obj = ctx.obj = state
    return state


def _set_data(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        _state_of(ctx).data = value


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _state_of(ctx).debug = True


def _dataset_options() -> list[click.Parameter]:
    """--data and --debug for a command, so they work after its name as well as before."""
    return [
        click.Option(["--data"], default=None, metavar="PATH", expose_value=False,
                     callback=_set_data, help=DATA_HELP),
        click.Option(["--debug"], is_flag=True, default=False, expose_value=False,
                     callback=_set_debug, help=DEBUG_HELP),
    ]


class PowcountGroup(click.Group):
    """Turns powcount's errors into one line each and an exit code, at one place."""

    # Start-up is a requirement: this context lays out --help without shutil.
    context_class = _Context

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(_dataset_options())
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        # Imported here, not at the top: --help and --version never get this far.
        from powcount.errors import ExitCode, PowcountError
        from powcount.safe_text import terminal_text

        try:
            return super().invoke(ctx)
        except PowcountError as error:
            if _debug(ctx):
                raise
            for line in map(terminal_text, error.lines()):
                click.echo(f"powcount: {line}" if error.exit_code != ExitCode.INVALID_DATA
                           else line, err=True)
            ctx.exit(int(error.exit_code))
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("powcount: interrupted", err=True)
            ctx.exit(130)
        except Exception as error:  # a bug: say so in one line unless --debug
            if _debug(ctx):
                raise
            click.echo(terminal_text(f"powcount: internal error: {type(error).__name__}: "
                                     f"{error} (rerun with --debug for the traceback)"),
                       err=True)
            ctx.exit(int(ExitCode.INTERNAL))


def _debug(ctx: click.Context) -> bool:
    state = ctx.find_object(AppState)
    return bool(state and state.debug) or os.environ.get("POWCOUNT_DEBUG") == "1"


def _set_wide(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _state_of(ctx).wide = True


def _set_no_pager(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _state_of(ctx).pager = False


def complete_codes(kind: str, with_all: bool = False
                   ) -> Callable[[click.Context, click.Parameter, str],
                                 list[click.shell_completion.CompletionItem]]:
    """Shell completion of the dataset's codes of one kind (conflict, nation, quantity,
    source, originator, basis, check), each with its label; the dataset is --data's,
    before or after the command."""
    from click.shell_completion import CompletionItem

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str
                 ) -> list[CompletionItem]:
        from powcount.catalog import locate_data
        from powcount.catalog.cache import load_catalog_cached
        from powcount.errors import PowcountError

        data = _state_of(ctx).data or ctx.find_root().params.get("data")
        try:
            catalog = load_catalog_cached(locate_data(data))
        except (PowcountError, OSError):
            return []  # a dataset that does not load completes nothing, silently
        vocabulary = catalog.vocabulary
        by_kind: dict[str, dict[str, Any]] = {
            "conflict": dict(vocabulary.conflicts), "nation": dict(vocabulary.nations),
            "quantity": dict(vocabulary.quantities), "source": dict(catalog.sources),
            "originator": dict(vocabulary.originators), "basis": dict(vocabulary.bases),
            "check": {check.name: check for check in catalog.checks}}
        known = by_kind[kind]
        labels = {code: getattr(entry, "label", None) or getattr(entry, "title", None)
                  for code, entry in known.items()}
        if with_all:
            labels["all"] = f"every {kind}"
        return [CompletionItem(code, help=labels[code]) for code in sorted(labels)
                if code.startswith(incomplete)]

    return complete


def format_option(
    default: str = "table", choices: tuple[str, ...] = FORMAT_CHOICES
) -> Callable[[F], F]:
    """--format, and the terminal table's --wide and --no-pager."""
    def decorate(func: F) -> F:
        func = click.option(
            "--no-pager", is_flag=True, expose_value=False, callback=_set_no_pager,
            help="Never show the output through a pager (one is used only on a terminal: "
                 "POWCOUNT_PAGER, PAGER or less).")(func)
        func = click.option(
            "--wide", is_flag=True, expose_value=False, callback=_set_wide,
            help="Table format: every column, unwrapped (default: the main columns, "
                 "fitted to the terminal's width).")(func)
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=default,
            show_default=True, help="Output format.")(func)

    return decorate


def output_option(func: F) -> F:
    return click.option(
        "--output", "-o", "output", type=click.Path(dir_okay=True, writable=False),
        default=None, help="Write to this file (atomically; a FIFO is written through) "
        "instead of standard output; '-' is standard output.",
    )(func)


def write_chunks(chunks: Iterable[str], output: str | None = None,
                 pager: str | None = None) -> None:
    """Text to standard output (None or '-') or a path (powcount.output.write_output);
    a path written is named on stderr, as export names its folder."""
    from powcount.output import STDOUT, write_output

    write_output(chunks, output, pager)
    if output is not None and output != STDOUT:
        echo_err(f"wrote {output}")


def write_text(text: str, output: str | None = None, pager: str | None = None) -> None:
    write_chunks((text,), output, pager)


def emit(result: Result, fmt: str, output: str | None) -> None:
    """Render a result and write it where --output says (a terminal: fitted, paged)."""
    from powcount.render import render

    state = _state_of(click.get_current_context())
    write_text(render(result, fmt, state.view(fmt, output)), output, state.pager_for(output))


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def say_if_empty(state: AppState, **asked: str | None) -> None:
    """An empty result says, on stderr, what is empty and why (the exit code stays 0)."""
    from powcount.listing import empty_note

    note = empty_note(state.catalog(), **asked)
    if note:
        echo_err(f"powcount: {note}")


@click.group(cls=PowcountGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="powcount")
@click.option("--data", "data", envvar="POWCOUNT_DATA", default=None, metavar="PATH",
              help=DATA_HELP)
@click.option("--debug", is_flag=True, help=DEBUG_HELP)
@click.pass_context
def cli(ctx: click.Context, data: str | None, debug: bool) -> None:
    """powcount: every POW/MIA figure with its evidence, reconciled.

    \b
    Example:
      powcount reconcile korea
    """
    state = _state_of(ctx)
    state.data = data if state.data is None else state.data
    state.debug = state.debug or debug


@cli.command()
@format_option()
@output_option
@click.pass_obj
def sources(state: AppState, fmt: str, output: str | None) -> None:
    """List the source documents with their reliability grades.

    \b
    Example:
      powcount sources --format csv
    """
    from powcount.listing import sources_result

    emit(sources_result(state.catalog()), fmt, output)


@cli.command()
@click.option("--conflict", default=None, shell_complete=complete_codes("conflict"),
              help="Only this conflict (code from the vocabulary).")
@click.option("--source", default=None, shell_complete=complete_codes("source"),
              help="Only this source id.")
@click.option("--quantity", default=None, shell_complete=complete_codes("quantity"),
              help="Only this quantity code.")
@click.option("--verbose", "-v", is_flag=True,
              help="Table: also the quote, who it is attributed to, and the credibility "
                   "with its reason.")
@format_option()
@output_option
@click.pass_obj
def figures(state: AppState, conflict: str | None, source: str | None,
            quantity: str | None, verbose: bool, fmt: str, output: str | None) -> None:
    """List figures with their intervals and where each stands in its document.

    \b
    Example:
      powcount figures --conflict korea --format csv
    """
    from powcount.listing import figures_result

    emit(figures_result(state.catalog(), conflict, source, quantity, verbose=verbose), fmt,
         output)
    say_if_empty(state, conflict=conflict, source=source, quantity=quantity)


@cli.command()
@click.pass_obj
def validate(state: AppState) -> None:
    """Check the dataset: schema, references, quotes, number phrases, hashes.

    Prints every problem, one per line on stderr, and exits 3 if there are any.

    \b
    Example:
      powcount --data ./my-dataset validate
    """
    from powcount.errors import DataError
    from powcount.ledger import ledger_problems
    from powcount.listing import validation_summary, validation_warnings

    # Every byte is read and every hash computed again: that is what validate proves.
    catalog = state.catalog(fresh=True)
    problems = ledger_problems(catalog)
    if problems:
        raise DataError(problems)
    for line in validation_warnings(catalog):
        echo_err(line)
    write_text(validation_summary(catalog) + "\n")


@cli.command()
@click.argument("source", required=False)
@click.option("--all", "everything", is_flag=True,
              help="Also list the numbers dismissed under not_figures, with their reasons.")
@format_option()
@output_option
@click.pass_obj
def coverage(state: AppState, source: str | None, everything: bool, fmt: str,
             output: str | None) -> None:
    """Numbers of a document that no figure and no not_figures entry accounts for.

    \b
    Example:
      powcount coverage crs-2015 --all
    """
    from powcount.ledger import coverage_result

    emit(coverage_result(state.catalog(), source, everything), fmt, output)


@cli.command()
@click.argument("name", required=False,
                type=click.Choice(["vocabulary", "sources", "figures", "settings", "checks"]))
@output_option
def schema(name: str | None, output: str | None) -> None:
    """Print the JSON Schema of the data files, generated from the models.

    \b
    Example:
      powcount schema figures
    """
    import json

    from powcount.schemas import data_schemas

    schemas = data_schemas()
    payload = schemas[name] if name else schemas
    write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", output)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "datapackage"]),
              default="datapackage", show_default=True,
              help="csv: one file per table; datapackage: the CSV files and datapackage.json; "
                   "json: one file.")
@click.option("--output", "-o", "output", default=None, metavar="PATH",
              help="Folder for csv and datapackage (created if missing); file for json "
                   "(default: standard output).")
@click.pass_obj
def export(state: AppState, fmt: str, output: str | None) -> None:
    """Export sources, figures, groups, series and checks as CSV, JSON or a Data Package.

    \b
    Example:
      powcount export --format datapackage --output powcount-data
    """
    from powcount.errors import UsageProblem
    from powcount.export import build_export, write_export

    if fmt != "json" and (not output or output == "-"):
        raise UsageProblem(f"--format {fmt} writes several files: give a folder with --output")
    result = build_export(state.catalog())
    if output and output != "-":
        written = write_export(result, fmt, output)
        echo_err(f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {output}")
    else:
        write_text(result.json_text(), output)


@cli.command()
@click.argument("conflict", required=False, default="all", metavar="[CONFLICT|all]",
                shell_complete=complete_codes("conflict", with_all=True))
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default="html",
              show_default=True, help="html: one self-contained page with charts; markdown: "
                                      "the same tables as text.")
@output_option
@click.pass_obj
def report(state: AppState, conflict: str, fmt: str, output: str | None) -> None:
    """Write a dossier of one conflict, or all: findings, checks, charts, quotes.

    \b
    Example:
      powcount report all --output report.html
    """
    from powcount.report import build_report

    write_text(build_report(state.catalog(), conflict, fmt), output)


def strict_option(func: F) -> F:
    return click.option(
        "--strict", is_flag=True,
        help="Exit 1 when a conflict, a series flag or a failed check is found.",
    )(func)


def exit_on_findings(strict: bool, found: int, what: str) -> None:
    """--strict: exit 1 (ExitCode.FINDINGS) after the output when anything was found."""
    if strict and found:
        from powcount.errors import ExitCode

        echo_err(f"powcount: --strict: {what}")
        click.get_current_context().exit(int(ExitCode.FINDINGS))


@cli.command()
@click.argument("conflict", metavar="CONFLICT|all",
                shell_complete=complete_codes("conflict", with_all=True))
@click.option("--verbose", "-v", is_flag=True,
              help="Also list the quote and document line of every figure behind a row.")
@click.option("--table", "table", default=None,
              type=click.Choice(["groups", "series", "checks", "evidence"]),
              help="Only this table (table, markdown, csv; JSON is always the whole "
                   "result). CSV is always one table: groups unless named here (evidence "
                   "needs --verbose).")
@strict_option
@format_option()
@output_option
@click.pass_obj
def reconcile(state: AppState, conflict: str, verbose: bool, table: str | None, strict: bool,
              fmt: str, output: str | None) -> None:
    """Groups, series and accounting checks of one conflict, or all.

    \b
    Example:
      powcount reconcile korea --verbose
    """
    from powcount.reconcile_output import write_reconciliation

    found = write_reconciliation(state.catalog(), conflict, fmt, output, verbose, table,
                                 state.view(fmt, output), state.pager_for(output))
    if output is not None and output != "-":
        echo_err(f"wrote {output}")
    say_if_empty(state, conflict=conflict)
    exit_on_findings(strict, found.total, f"{found.conflicts} conflicts, {found.series_flags} "
                     f"series flags, {found.failed_checks} failed checks")


@cli.command("compare-sources")
@click.option("--conflict", default=None, shell_complete=complete_codes("conflict"),
              help="Only this conflict (code from the vocabulary).")
@click.option("--pairs", is_flag=True, help="One row per pair of sources sharing quantities.")
@strict_option
@format_option()
@output_option
@click.pass_obj
def compare_sources(state: AppState, conflict: str | None, pairs: bool, strict: bool, fmt: str,
                    output: str | None) -> None:
    """What each source states, side by side: one row per group, one column per source.

    \b
    Example:
      powcount compare-sources --conflict korea --pairs
    """
    from powcount import reconcile as engine

    catalog = state.catalog()
    if pairs:
        found = engine.source_pairs(catalog, conflict)
        emit(engine.pairs_result(found), fmt, output)
        count = sum(p.conflict for p in found)
    else:
        matrix = engine.compare_sources(catalog, conflict)
        emit(engine.matrix_result(matrix), fmt, output)
        count = sum(row.status == "conflict" for row in matrix.rows)
    say_if_empty(state, conflict=conflict)
    exit_on_findings(strict, count, f"{count} conflicts between sources")


@cli.command()
@click.argument("quantity", shell_complete=complete_codes("quantity"))
@click.option("--conflict", default=None, shell_complete=complete_codes("conflict"),
              help="Only this conflict (code from the vocabulary).")
@click.option("--nation", default=None, shell_complete=complete_codes("nation"),
              help="Only this nation (code from the vocabulary).")
@strict_option
@format_option()
@output_option
@click.pass_obj
def timeline(state: AppState, quantity: str, conflict: str | None, nation: str | None,
             strict: bool, fmt: str, output: str | None) -> None:
    """One quantity over time: change between points and rate per year.

    \b
    Example:
      powcount timeline unaccounted_for --conflict korea
    """
    from powcount.reconcile import series_result
    from powcount.reconcile import timeline as run

    series = run(state.catalog(), quantity, conflict, nation)
    if fmt == "csv":
        # One naming of the series table in CSV: export's series.csv.
        from powcount.export import series_csv

        write_chunks(series_csv(series), output)
    else:
        emit(series_result(series), fmt, output)
    say_if_empty(state, conflict=conflict, nation=nation, quantity=quantity)
    flags = sum(len(s.flags) for s in series)
    exit_on_findings(strict, flags, f"{flags} series flags")


@cli.command()
@click.argument("conflict", required=False, default="all", metavar="[CONFLICT|all]",
                shell_complete=complete_codes("conflict", with_all=True))
@click.option("--name", "names", multiple=True, metavar="CHECK",
              shell_complete=complete_codes("check"),
              help="Only this check (repeatable): a name from data/checks.yaml.")
@click.option("--verbose", "-v", is_flag=True,
              help="Table and markdown: also why each check should hold, and the quote and "
                   "line of every figure behind it.")
@strict_option
@format_option()
@output_option
@click.pass_obj
def check(state: AppState, conflict: str, names: tuple[str, ...], verbose: bool, strict: bool,
          fmt: str, output: str | None) -> None:
    """The accounting checks of data/checks.yaml, with interval arithmetic.

    \b
    Example:
      powcount check wwii
      powcount check all --name lost-at-sea-within-missing
    """
    from powcount.checks import run_checks, with_checks
    from powcount.reconcile import checks_result

    catalog = with_checks(state.catalog(), names)
    results = run_checks(catalog, conflict)
    if fmt == "csv":
        # One naming of the checks table in CSV: export's checks.csv.
        from powcount.export import checks_csv
        from powcount.reconcile import known_conflict

        write_chunks(checks_csv(catalog, known_conflict(catalog, conflict)), output)
    else:
        result = checks_result(catalog, results)
        if verbose:
            from powcount.listing import check_evidence_result

            result = check_evidence_result(catalog, results, result)
        emit(result, fmt, output)
    say_if_empty(state, conflict=conflict)
    failed = sum(c.verdict == "fails" for c in results)
    exit_on_findings(strict, failed, f"{failed} failed checks")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="PATH...")
@click.option("--source", "source_id", default=None, metavar="ID",
              shell_complete=complete_codes("source"),
              help="Source id for --format yaml (figure ids, as_of); default: the "
                   "sources.yaml entry whose sha256 matches the document.")
@format_option(choices=(*FORMAT_CHOICES, "yaml"))
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to read documents with.")
@output_option
@click.pass_obj
def extract(state: AppState, paths: tuple[str, ...], source_id: str | None, fmt: str,
            workers: int, output: str | None) -> None:
    """Candidate figures in documents (.txt, .md, .html, .pdf; folders), to curate.

    Unreadable documents get one line each on stderr; the others are still read,
    and the exit code is 4.

    \b
    Example:
      powcount extract seeds/dpaa.txt --format yaml -o data/figures/dpaa.yaml
    """
    from contextlib import nullcontext
    from pathlib import Path

    from powcount.extract.command import planned_documents, run_extract

    documents = [Path(p) for p in paths]
    total = planned_documents(documents) if sys.stderr.isatty() else 0
    bar = (click.progressbar(length=total, label="extracting", file=sys.stderr) if total > 1
           else nullcontext())
    with bar as progress:
        on_done = (lambda _name: progress.update(1)) if progress is not None else None
        rendered, extraction = run_extract(state.data, documents, source_id, fmt, workers,
                                           on_done)
    if isinstance(rendered, str):
        write_text(rendered, output)
    else:
        emit(rendered, fmt, output)
    extraction.raise_for_failures()


@cli.command("add-source")
@click.argument("document", type=click.Path(dir_okay=False))
@click.option("--id", "source_id", required=True, metavar="ID",
              help="New source id: lower-case letters, digits, '-' and '_'.")
@click.option("--title", required=True, help="The document's title.")
@click.option("--kind", default="other", show_default=True,
              help="government_report, journalism, advocacy_site, newsletter, academic, "
                   "primary_document or other.")
@click.option("--reliability", default="F", show_default=True,
              type=click.Choice(["A", "B", "C", "D", "E", "F"]),
              help="Admiralty source reliability; F: cannot be judged yet.")
@click.option("--reliability-reason", default=None, help="One line saying why this grade.")
@click.option("--author", default=None)
@click.option("--publisher", default=None)
@click.option("--published", default=None, help="Date: 2019, 2019-03 or 2019-03-12.")
@click.option("--url", default=None)
@click.option("--retrieved", default=None, help="Date the text was taken from --url.")
@click.option("--originator", default=None, metavar="CODE",
              shell_complete=complete_codes("originator"),
              help="Who first states the figures the document gives as its own: an "
                   "originator of data/vocabulary.yaml.")
@click.option("--basis", default=None, metavar="CODE",
              shell_complete=complete_codes("basis"),
              help="Counting basis of the document's figures: a basis of "
                   "data/vocabulary.yaml.")
@click.option("--cites", multiple=True, metavar="NAME",
              help="Who the document cites (repeatable): an originator code, a source id, "
                   "or the name as the document writes it.")
@click.option("--note", default=None, help="A note for readers of the entry.")
@click.pass_obj
def add_source(state: AppState, document: str, source_id: str, title: str, kind: str,
               reliability: str, reliability_reason: str | None, author: str | None,
               publisher: str | None, published: str | None, url: str | None,
               retrieved: str | None, originator: str | None, basis: str | None,
               cites: tuple[str, ...], note: str | None) -> None:
    """Copy a document into seeds/ and list it in data/sources.yaml (HTML, PDF as text).

    \b
    Example:
      powcount add-source ~/Downloads/dpaa.txt --id dpaa-korea-2019 --title "Korean War" \\
        --originator dpaa --url https://www.dpaa.mil/ --retrieved 2019-03-12
    """
    from pathlib import Path

    from powcount.catalog import locate_data
    from powcount.safe_text import terminal_text
    from powcount.sources_edit import SourceStub
    from powcount.sources_edit import add_source as run

    stub = SourceStub(id=source_id, title=title, kind=kind, reliability=reliability,
                      reliability_reason=reliability_reason, author=author,
                      publisher=publisher, published=published, url=url,
                      retrieved=retrieved, originator=originator, basis=basis, cites=cites,
                      note=note)
    root = locate_data(state.data)
    write_text(terminal_text(run(root, Path(document), stub).summary(root), keep="\n") + "\n")


def _terminated(signum: int, _frame: object) -> None:
    # Raised, not exited at once: every temporary file and half-made folder is removed on
    # the way out, as for an interrupt (SIGKILL leaves them to powcount.tempfiles).
    sys.stderr.write("powcount: terminated\n")
    raise SystemExit(128 + signum)


def main() -> None:
    """Console entry point."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminated)
    try:
        cli.main(prog_name="powcount")
    finally:
        startup.freeze_collector()


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
