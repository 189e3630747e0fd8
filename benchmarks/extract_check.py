"""Every candidate, every field, of the bench corpus and the project's documents, to a file.

A speed change to the extractor must not change one candidate: run this before and
after, and compare the two files (``cmp``, ``diff``).

    python benchmarks/extract_check.py OUT [--megabytes 3] [--folder DIR ...]
                                           [--mutants 2000]

The bench corpus is the one ``extract_bench.py`` builds (its first ``--megabytes``);
the folders default to the seeds and the extraction test documents; ``--folder``
adds more (every supported file under it, read as ``powcount extract`` reads it).
``--mutants`` adds copies of the documents with snippets the rules treat with care
inserted at random places (table rows, glued digits, dash lists, abbreviations,
advertising words, digits beyond 0-9), from a fixed seed: the same file every run.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import SOURCES, corpus  # noqa: E402

SNIPPETS = [
    "\nKorea 7,544 688\n", "\nTotal | 1,234 | 56[2]\n", "present25 Individuals ",
    "Caskets117 ", "Vietnam-1,203 (North-450, South-753); Laos-280", " U.S. Army ",
    " Gen. Clark ", " R. Cort. The ", " vs. 12 ", " approx. 40 ", " subscribe now ",
    " free trial 3 issues per year ", " \u0663\u0664 ", ", 12, ", " 1,234,5 ", "\t15\t16\n",
    " (703) 699-1420 ", " 1950s ", " 199433 boxes ", " dozens of ", " a hundred ", ". 9 New ",
    "\n  3. ", "12 recovery missions", " Cpl. Billie Driver, 18, from ", " 5,000 to 6,000 ",
]


def mutants(texts: list[str], count: int) -> list[str]:
    """Copies of the texts with a few snippets inserted at random places."""
    rng = random.Random(1953)
    made = []
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        made.append(text)
    return made


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("out", type=Path)
    options.add_argument("--megabytes", type=float, default=3.0)
    options.add_argument("--folder", type=Path, action="append", default=[])
    options.add_argument("--mutants", type=int, default=0)
    args = options.parse_args()

    from powcount.catalog import locate_data
    from powcount.document_text import SUPPORTED_SUFFIXES, ReadFailure, read_document
    from powcount.extract import Classifier, extract_text, load_codes

    classifier = Classifier(load_codes(locate_data(None)))
    named: list[tuple[str, str]] = []
    for folder in [*SOURCES, *args.folder]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
                try:
                    named.append((str(path), read_document(path)))
                except ReadFailure:
                    continue
    named += [(f"mutant-{i}", text)
              for i, text in enumerate(mutants([text for _, text in named], args.mutants))]
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
