"""Extraction speed: powcount against quantulum3, on the same text, in the same run.

Builds a corpus of at least 10 MB from the seed documents and the extraction test
fixtures, each copy varied (paragraphs shuffled, counts changed, a numbered
heading) so no two copies are the same text, then times:

- powcount: the extractor over the whole corpus, one document per copy, in this
  process: CPU time, the best of ``--repeats`` runs, so other jobs on the machine
  count against it as little as possible (each run starts cold: a new classifier,
  no phrase remembered from the run before);
- quantulum3 (``pip install 'powcount[bench]'``): its parser over a slice of the
  same corpus, scaled to the whole honestly: it reads about 50 KB a second, so the
  full corpus would take minutes; ``--quantulum-bytes`` sets the slice.

Both throughputs are in MB of UTF-8 text per second per core; the ratio is
powcount's over quantulum3's. A linearity check times powcount on half the corpus
too: per-MB cost should not grow with size.

    python benchmarks/extract_bench.py [--megabytes 10] [--quantulum-bytes 200000]
                                       [--repeats 5] [--no-quantulum]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = [ROOT / "seeds", ROOT / "tests" / "fixtures" / "extract"]

_GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")
_SMALL = re.compile(r"(?<![\w.,])([1-9]\d{1,2})(?=\s+[a-z])")


def base_documents() -> list[str]:
    from powcount.document_text import SUPPORTED_SUFFIXES, ReadFailure, read_document

    texts = []
    for folder in SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
                try:
                    texts.append(read_document(path))
                except ReadFailure:
                    continue
    return texts


def varied(text: str, copy: int, rng: random.Random) -> str:
    """A copy of a document with its paragraphs shuffled and its counts changed."""
    paragraphs = text.split("\n\n")
    head, body = paragraphs[:1], paragraphs[1:]
    rng.shuffle(body)
    shifted = _GROUPED.sub(lambda m: f"{int(m.group().replace(',', '')) + 7 * copy:,}",
                           "\n\n".join(head + body))
    shifted = _SMALL.sub(lambda m: str(int(m.group(1)) + copy % 50), shifted)
    return f"Copy {copy}: {shifted}"


def corpus(megabytes: float) -> list[str]:
    rng = random.Random(1953)
    bases = base_documents()
    documents: list[str] = []
    size, copy = 0, 0
    while size < megabytes * 1_000_000:
        for base in bases:
            document = varied(base, copy, rng)
            documents.append(document)
            size += len(document.encode("utf-8"))
        copy += 1
    return documents


def time_powcount(documents: list[str], repeats: int) -> tuple[float, float, int]:
    """The best and the median of ``repeats`` runs, each as a fresh process would make it.

    Other jobs on the machine only ever add time, so the best is the figure to compare;
    the median shows the spread. Every run starts cold: a new classifier, and the
    phrases read by earlier runs forgotten, so no run profits from the one before.
    """
    from powcount import numbers
    from powcount.catalog import locate_data
    from powcount.extract import Classifier, candidates, extract_text, load_codes

    codes = load_codes(locate_data(None))
    times: list[float] = []
    found = 0
    for _ in range(repeats):
        classifier = Classifier(codes)
        candidates.forget_readings()
        numbers._parse_cached.cache_clear()
        gc.collect()
        start = time.process_time()
        found = sum(len(extract_text(document, classifier)) for document in documents)
        times.append(time.process_time() - start)
    times.sort()
    return times[0], times[len(times) // 2], found


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop: to compare runs on different machines."""
    start = time.process_time()
    total = 0
    for step in range(10_000_000):
        total += step
    return time.process_time() - start


def time_quantulum(text: str) -> tuple[float, int]:
    from quantulum3 import parser

    start = time.process_time()
    found = 0
    for paragraph in text.split("\n\n"):
        found += len(parser.parse(paragraph))
    return time.process_time() - start, found


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--megabytes", type=float, default=10.0)
    options.add_argument("--quantulum-bytes", type=int, default=200_000)
    options.add_argument("--repeats", type=int, default=5)
    options.add_argument("--no-quantulum", action="store_true")
    args = options.parse_args()

    print(f"machine:    a 10-million-step Python loop takes {calibration():.2f} s of CPU here")
    documents = corpus(args.megabytes)
    text = "\n\n".join(documents)
    megabytes = len(text.encode("utf-8")) / 1e6
    print(f"corpus: {megabytes:.1f} MB in {len(documents)} documents")

    half = documents[: len(documents) // 2]
    half_mb = sum(len(d.encode("utf-8")) for d in half) / 1e6
    half_seconds, _, _ = time_powcount(half, args.repeats)
    seconds, median, found = time_powcount(documents, args.repeats)
    ours = megabytes / seconds
    print(f"powcount:   {ours:8.2f} MB/s  ({seconds:.2f} s CPU, the best of {args.repeats}; "
          f"median {megabytes / median:.2f} MB/s; {found:,} candidates)")
    print(f"linearity:  {half_mb / half_seconds:8.2f} MB/s on the first half "
          f"({half_mb:.1f} MB); full/half time ratio {seconds / half_seconds:.2f} "
          f"for a size ratio of {megabytes / half_mb:.2f}")
    if args.no_quantulum:
        return 0
    try:
        import quantulum3  # noqa: F401
    except ImportError:
        print("quantulum3: not installed (pip install 'powcount[bench]')")
        return 0
    cut = text.encode("utf-8")[: args.quantulum_bytes].decode("utf-8", "ignore")
    cut = cut[: cut.rfind("\n\n")] if "\n\n" in cut else cut
    sample_mb = len(cut.encode("utf-8")) / 1e6
    their_seconds, their_found = time_quantulum(cut)
    theirs = sample_mb / their_seconds
    print(f"quantulum3: {theirs:8.3f} MB/s  ({their_seconds:.2f} s CPU on a "
          f"{sample_mb * 1000:.0f} KB slice, {their_found:,} quantities; the full corpus "
          f"would take about {megabytes / theirs / 60:.0f} min)")
    print(f"ratio:      {ours / theirs:8.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
