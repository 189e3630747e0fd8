"""What ``powcount extract`` does, in one call: documents in, a result or a figures file out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from powcount.catalog import locate_data
from powcount.document_text import read_document
from powcount.errors import UsageProblem
from powcount.extract.output import extraction_result, figures_yaml, resolve_source
from powcount.extract.runner import Extraction, collect_documents, extract_paths, load_codes
from powcount.render.base import Result


def planned_documents(paths: list[Path]) -> int:
    """How many documents a run will read (for the progress bar)."""
    return len(collect_documents(paths)[0])


def run_extract(
    data: str | None,
    paths: list[Path],
    source_id: str | None,
    fmt: str,
    workers: int = 1,
    on_done: Callable[[str], None] | None = None,
) -> tuple[Result | str, Extraction]:
    """Extract candidates; ``fmt`` yaml gives the figures file's text, others a Result.

    The caller writes the output, then calls ``extraction.raise_for_failures()`` so
    the candidates of the readable documents are kept when others fail.
    """
    root = locate_data(data)
    files, missing = collect_documents(paths)
    if not files and not missing:
        raise UsageProblem(f"no documents under {', '.join(str(p) for p in paths)}: give "
                           ".txt, .md, .html or .pdf files, or folders holding them")
    if fmt == "yaml" and len(files) + len(missing) > 1:
        raise UsageProblem("--format yaml writes the figures file of one document: extract "
                           "one document at a time, or use --format json for several")
    codes = load_codes(root)
    extraction = extract_paths(paths, codes, workers=workers, on_done=on_done)
    if fmt == "yaml":
        if not extraction.documents:
            extraction.raise_for_failures()  # write no empty figures file over a good one
        document = Path(extraction.documents[0])
        source = resolve_source(root, document, source_id)
        return figures_yaml(extraction, source, codes, read_document(document)), extraction
    return extraction_result(extraction), extraction
