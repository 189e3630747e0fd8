"""Files and folders -> candidates: one document at a time, or spread over processes.

A document that cannot be read becomes a Failure (one line: path, what, how to
fix) and the run goes on with the others; the CLI exits 4 when any failed.
Folders are read recursively in sorted order, hidden files and folders skipped,
so the same input gives the same output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from powcount.document_text import ReadFailure, read_document
from powcount.errors import InputError
from powcount.extract.classify import Classifier, VocabularyCodes
from powcount.extract.extractor import Candidate, extract_text
from powcount.safe_text import terminal_text

if TYPE_CHECKING:
    from powcount.catalog import DataRoot


@dataclass(frozen=True)
class Failure:
    document: str
    message: str  # "what: how to fix"

    def __str__(self) -> str:
        return terminal_text(f"{self.document}: {self.message}")


@dataclass
class Extraction:
    """Candidates of every document read, and the documents that could not be read."""

    documents: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def raise_for_failures(self) -> None:
        if self.failures:
            raise DocumentsFailed(self.failures)


class DocumentsFailed(InputError):
    """Some documents could not be read; one line each."""

    def __init__(self, failures: list[Failure]):
        self.failures = failures
        super().__init__("\n".join(str(f) for f in failures))

    def lines(self) -> list[str]:
        return [str(f) for f in self.failures]


def load_codes(root: DataRoot) -> VocabularyCodes:
    """The vocabulary alone: extract needs nothing else of the dataset to be valid."""
    from powcount.catalog import load_vocabulary

    return VocabularyCodes.from_vocabulary(load_vocabulary(root))


def collect_documents(paths: list[Path]) -> tuple[list[Path], list[Failure]]:
    """Files named and files under folders named, in order; paths that do not exist."""
    files: list[Path] = []
    missing: list[Failure] = []
    for path in paths:
        if path.is_dir():
            files.extend(_walk(path))
        elif path.exists():
            files.append(path)
        else:
            missing.append(Failure(str(path), "no such file or folder: check the path"))
    return files, missing


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(root) / name


_CLASSIFIERS: dict[VocabularyCodes, Classifier] = {}


def _classifier(codes: VocabularyCodes) -> Classifier:
    # One per process: workers build theirs on their first document, then reuse it.
    classifier = _CLASSIFIERS.get(codes)
    if classifier is None:
        classifier = _CLASSIFIERS[codes] = Classifier(codes)
    return classifier


def extract_file(path: Path, codes: VocabularyCodes) -> tuple[list[Candidate], Failure | None]:
    """Candidates of one document, or why it cannot be read."""
    name = str(path)
    try:
        text = read_document(path)
    except ReadFailure as error:
        return [], Failure(name, str(error))
    return extract_text(text, _classifier(codes), name), None


def extract_paths(
    paths: list[Path],
    codes: VocabularyCodes,
    workers: int = 1,
    on_done: Callable[[str], None] | None = None,
) -> Extraction:
    """Extract every document under the paths, over ``workers`` processes."""
    files, missing = collect_documents(paths)
    results: list[tuple[list[Candidate], Failure | None]] = []
    if workers <= 1 or len(files) <= 1:
        for path in files:
            results.append(extract_file(path, codes))
            if on_done:
                on_done(str(path))
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(files))) as pool:
            futures = {pool.submit(extract_file, path, codes): index
                       for index, path in enumerate(files)}
            slots: list[tuple[list[Candidate], Failure | None] | None] = [None] * len(files)
            for future in as_completed(futures):
                slots[futures[future]] = future.result()
                if on_done:
                    on_done(str(files[futures[future]]))
            results = [slot for slot in slots if slot is not None]
    extraction = Extraction(failures=list(missing))
    for path, (candidates, failure) in zip(files, results, strict=True):
        if failure is not None:
            extraction.failures.append(failure)
        else:
            extraction.documents.append(str(path))
            extraction.candidates.extend(candidates)
    return extraction
