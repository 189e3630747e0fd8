"""Every candidate, every field, of the bench corpus and the project's documents, to a file.

A speed change to the extractor must not change one candidate: run this before and
after, and compare the two files (``cmp``, ``diff``).

    python benchmarks/extract_check.py OUT [--megabytes 3] [--folder DIR ...]

The bench corpus is the one ``extract_bench.py`` builds (its first ``--megabytes``);
the folders default to the seeds and the extraction test documents; ``--folder``
adds more (every supported file under it, read as ``powcount extract`` reads it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import SOURCES, corpus  # noqa: E402


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("out", type=Path)
    options.add_argument("--megabytes", type=float, default=3.0)
    options.add_argument("--folder", type=Path, action="append", default=[])
    args = options.parse_args()

    from powcount.catalog import locate_data
    from powcount.extract import Classifier, extract_text, load_codes
    from powcount.extract.reading import SUPPORTED_SUFFIXES, ReadFailure, read_document

    classifier = Classifier(load_codes(locate_data(None)))
    named: list[tuple[str, str]] = []
    for folder in [*SOURCES, *args.folder]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
                try:
                    named.append((str(path), read_document(path)))
                except ReadFailure:
                    continue
    named += [(f"bench-{i}", text) for i, text in enumerate(corpus(args.megabytes))]
    total = 0
    with args.out.open("w", encoding="utf-8") as out:
        for name, text in named:
            for candidate in extract_text(text, classifier, name):
                out.write(repr(tuple(candidate)) + "\n")
                total += 1
    print(f"{total:,} candidates from {len(named)} texts -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
