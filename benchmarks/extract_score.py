"""Extraction accuracy on the development corpus: recall and precision per document.

The corpus is every document in ``seeds/`` that has a gold list in
``benchmarks/extract_gold/<document>.yaml``: every count in the document, read by
hand, with its line and its interval (low, best, high as
powcount.numbers.parse_phrase reads the phrase). Each gold list says which part
it belongs to: ``tuning`` (the rules may be written against it) or ``held-out``
(chosen by a fixed list before any rule was written, and never read while writing
rules: its figures say how the rules do on text they were not fitted to).

Matching rule. A candidate matches a gold count when it stands in the same
document, on the same line (the line of value_text's first character), and reads
as the same interval: the same low, best and high. An ambiguous candidate also
matches when its other reading (the note's) does. Each gold count and each
candidate is matched at most once, in document order. Recall is matched gold
counts over all gold counts; precision is matched candidates over all candidates.

The baseline is a plain digit regex (runs of digits and thousands commas). It reads
no qualifier, so it is given the benefit of the doubt: a hit matches a gold count on
the same line when its number is one the gold phrase writes in digits ("81,000" for
"more than 81,000", "30" for "30 to 40"). Each is matched at most once, as above.

Proposals. For every document that has a curated figures file
(``data/figures/*.yaml``, its source's file in seeds/), each curated figure is
matched to a candidate by the same rule, and the candidate's proposed quantity,
conflict and nation are compared with the figure's: the share of matched figures
whose proposal equals the curated code, per dimension.

A gold interval that the number-phrase rules no longer give for its phrase (the
rules changed after the list was made) is named on standard error before the
scores: it is the gold list to correct, not the extractor.

    python benchmarks/extract_score.py [--missed]

A benchmark, not a test: it prints, and exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLD = HERE / "extract_gold"
SEEDS = ROOT / "seeds"
PARTS = ("tuning", "held-out")

#: The baseline: every run of digits with thousands commas.
_DIGIT_RUN = re.compile(r"\d+(?:,\d{3})*")

Interval = tuple[int, int, int | None]


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.found += other.found
        self.matched += other.matched

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0


def match(gold: list[tuple[int, Interval, str]],
          found: list[tuple[int, tuple[Interval, ...], str]]) -> Tally:
    """Gold counts (line, interval, text) against candidates (line, readings, text)."""
    tally = Tally(gold=len(gold), found=len(found))
    unmatched = list(found)
    for line, interval, text in gold:
        hit = next((c for c in unmatched if c[0] == line and interval in c[1]), None)
        if hit is None:
            tally.missed.append(f"{line}: {text}")
        else:
            tally.matched += 1
            unmatched.remove(hit)
    tally.false = [f"{line}: {text}" for line, _, text in unmatched]
    return tally


def gold_lists() -> list[tuple[str, str, list[tuple[int, Interval, str]]]]:
    from powcount.catalog.yaml import read_yaml, to_plain

    lists = []
    for path in sorted(GOLD.glob("*.yaml")):
        node = to_plain(read_yaml(path, path.name))
        counts = [(int(c["line"]), (c["low"], c["best"], c["high"]), str(c["value_text"]))
                  for c in node["counts"]]
        lists.append((str(node["document"]), str(node["part"]), counts))
    return lists


def stale_gold(lists: list[tuple[str, str, list[tuple[int, Interval, str]]]]) -> list[str]:
    """The gold counts whose interval is not what parse_phrase now reads in their phrase."""
    from powcount.numbers import parse_phrase

    stale = []
    for document, _, gold in lists:
        for line, interval, value_text in gold:
            reading = parse_phrase(value_text)
            now = (reading.low, reading.best, reading.high)
            if now != interval:
                stale.append(f"stale gold: {document}:{line}: {value_text!r} is {now} "
                             f"by the number-phrase rules, {interval} in the gold list")
    return stale


_OTHER_READING = re.compile(r"it may be (\d+) with note")


def readings(candidate: object) -> tuple[Interval, ...]:
    """A candidate's interval, and for an ambiguous one the other reading its note gives."""
    own = (candidate.low, candidate.best, candidate.high)  # type: ignore[attr-defined]
    note = candidate.note or ""  # type: ignore[attr-defined]
    other = _OTHER_READING.search(note) if candidate.ambiguous else None  # type: ignore[attr-defined]
    if other is None:
        return (own,)
    value = int(other.group(1))
    return (own, (value, value, value))


def baseline(text: str, gold: list[tuple[int, Interval, str]]) -> Tally:
    """The digit regex's hits, scored against the numbers the gold phrases write."""
    found = []
    for number in _DIGIT_RUN.finditer(text):
        value = int(number.group().replace(",", ""))
        line = text.count("\n", 0, number.start()) + 1
        found.append((line, ((value, value, value),), number.group()))
    written = []
    for line, _, phrase in gold:
        values = [int(n.replace(",", "")) for n in _DIGIT_RUN.findall(phrase)]
        written.append((line, values, phrase))
    tally = Tally(gold=len(gold), found=len(found))
    unmatched = list(found)
    for line, values, _ in written:
        hit = next((c for c in unmatched if c[0] == line and c[1][0][1] in values), None)
        if hit is not None:
            tally.matched += 1
            unmatched.remove(hit)
    return tally


def proposals(classifier: object, extract_text: object) -> dict[str, list[int]]:
    """Per dimension: [figures whose proposal matched, figures matched to a candidate]."""
    from powcount.catalog import DataRoot, load_catalog
    from powcount.numbers import parse_phrase

    catalog = load_catalog(DataRoot(ROOT, ROOT / "data", SEEDS))
    rates = {name: [0, 0] for name in ("quantity", "conflict", "nation")}
    per_document: dict[str, dict[str, list[int]]] = {}
    for source_id, source in sorted(catalog.sources.items()):
        path = SEEDS / source.file
        if not path.is_file():
            continue
        rows = catalog.figures[catalog.figures["source"] == source_id]
        if not len(rows):
            continue
        text = path.read_text(encoding="utf-8")
        unmatched = list(extract_text(text, classifier, source.file))  # type: ignore[operator]
        document = per_document.setdefault(source.file, {n: [0, 0] for n in rates})
        for row in rows.itertuples():
            reading = parse_phrase(row.value_text)
            interval = (reading.low, reading.best, reading.high)
            hit = next((c for c in unmatched
                        if c.line == int(row.line) and interval in readings(c)), None)
            if hit is None:
                continue
            unmatched.remove(hit)
            for name in rates:
                same = int(getattr(hit, name).code == getattr(row, name))
                for counts in (rates[name], document[name]):
                    counts[0] += same
                    counts[1] += 1
    for name, by_dimension in sorted(per_document.items()):
        shown = "  ".join(f"{d} {a}/{b}" for d, (a, b) in by_dimension.items())
        print(f"  {name:<44} {shown}")
    return rates


def row(name: str, tally: Tally, base: Tally) -> str:
    return (f"  {name:<44} {tally.matched:>3}/{tally.gold:<3} recall {tally.recall:5.2f}  "
            f"precision {tally.precision:5.2f}   | regex recall {base.recall:5.2f} "
            f"precision {base.precision:5.2f}")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true",
                        help="list the missed gold counts and the false candidates")
    options = parser.parse_args(list(argv) if argv is not None else None)
    from powcount.catalog import DataRoot
    from powcount.extract import Classifier, extract_text, load_codes

    classifier = Classifier(load_codes(DataRoot(ROOT, ROOT / "data", SEEDS)))
    totals = {part: (Tally(), Tally()) for part in (*PARTS, "all")}
    lists = gold_lists()
    for line in stale_gold(lists):
        print(line, file=sys.stderr)
    for part in PARTS:
        print(f"{part}:")
        for document, its_part, gold in lists:
            if its_part != part:
                continue
            text = (SEEDS / document).read_text(encoding="utf-8")
            found = [(c.line, readings(c), c.value_text)
                     for c in extract_text(text, classifier, document)]
            tally, base = match(gold, found), baseline(text, gold)
            print(row(document, tally, base))
            if options.missed:
                for missed in tally.missed:
                    print(f"      missed {missed}")
                for false in tally.false:
                    print(f"      false  {false}")
            for key in (part, "all"):
                totals[key][0].add(tally)
                totals[key][1].add(base)
        print(row(f"total ({part})", *totals[part]))
    print(row("total (all)", *totals["all"]))
    print("proposals against the curated figures (matched/figures):")
    rates = proposals(classifier, extract_text)
    print("  " + "  ".join(f"{name} {a}/{b} = {a / b if b else 0:.2f}"
                           for name, (a, b) in rates.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
