"""Hostile-input bounds: the long-number pre-scan, deep HTML, and a PDF over its budget.

- the check for numbers of more than 4,300 digits (powcount.document_text
  .refuse_huge_numbers) against the plain regular-expression scan it avoids, on the
  seed documents repeated to --megabytes of text;
- html_text on pages nested --depth divs deep and the same number side by side
  (their times should be close: the walk is linear in size, not depth);
- read_document on a small PDF whose ten pages share one stream of 50 MB of spaces
  (refused at its first page).

Every time is the best of --repeats runs, in seconds of wall-clock time.

    python benchmarks/hostile_bench.py [--megabytes 20] [--depth 20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))


def best(repeats: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--depth", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from powcount.document_text import (
        _LONG_DIGIT_RUN,
        ReadFailure,
        html_text,
        read_document,
        refuse_huge_numbers,
    )

    seeds = "".join(p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = seeds * max(1, args.megabytes * 1_000_000 // len(seeds))
    size = len(text.encode("utf-8")) / 1e6
    scan = best(args.repeats, lambda: refuse_huge_numbers(text))
    plain = best(args.repeats, lambda: list(_LONG_DIGIT_RUN.finditer(text)))
    print(f"long numbers, {size:.1f} MB: pre-scan {scan:.3f} s, regular expression "
          f"{plain:.3f} s")

    depth = args.depth
    nested = b"<div>" * depth + b"<p>Over 7,800</p>" + b"</div>" * depth
    flat = b"<div>x</div>" * depth + b"<p>Over 7,800</p>"
    print(f"html, {depth:,} divs: nested {best(args.repeats, lambda: html_text(nested)):.2f} s, "
          f"side by side {best(args.repeats, lambda: html_text(flat)):.2f} s")

    from test_hostile_input import shared_stream_pdf

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "shared.pdf"
        pdf.write_bytes(shared_stream_pdf(50 * 1024 * 1024, pages=10))

        def refused() -> None:
            try:
                read_document(pdf)
            except ReadFailure:
                return
            raise AssertionError("the PDF was read")

        print(f"pdf, {pdf.stat().st_size:,} bytes sharing a 50 MB stream: refused in "
              f"{best(args.repeats, refused):.2f} s")


if __name__ == "__main__":
    main()
