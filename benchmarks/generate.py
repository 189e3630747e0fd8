"""Synthetic powcount datasets for benchmarks: N figures across M sources.

Writes a dataset folder (``data/`` and ``seeds/``) that ``powcount --data`` reads:
the project's vocabulary, settings and checks; a ``sources.yaml`` with one entry per
generated document; one figures file per source (CSV or Parquet, the bulk format);
and the documents themselves, hard-wrapped like scanned reports, holding every quote.

The shares follow the curated data: most figures are exact, about a third are hedged
("about", "over", ranges, vague words); several sources state each (conflict, nation,
quantity, as_of) group, most agreeing and some conflicting; a fifth are attributed to
another source or a named official; as_of is mostly a year, sometimes a month, a day
or a period. Everything comes from one seeded generator: the same arguments write the
same bytes.

    python benchmarks/generate.py --figures 100000 --out benchmarks/out/n100000
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parent.parent

CONFLICT_SHARES = {"korea": 40, "wwii": 25, "vietnam": 25, "cold_war": 10}
CONFLICT_YEARS = {
    "korea": (1950, 2020), "wwii": (1939, 2000), "vietnam": (1955, 2020),
    "cold_war": (1947, 1995),
}  # fmt: skip
NATION_SHARES = {"us": 60, "commonwealth": 10, "unc": 8, "ussr": 8, "china": 7, "north_korea": 7}
RELIABILITY = ["A", "B", "B", "C", "C", "C", "D", "E", "F"]
KINDS = ["government_report", "journalism", "advocacy_site", "newsletter", "academic",
         "primary_document"]  # fmt: skip
AGENCIES = ["the Department", "the agency", "the committee", "the report", "officials",
            "the working group", "the commission", "investigators", "the ministry"]  # fmt: skip
VERBS = ["counted", "listed", "reported", "estimated", "recorded", "gave", "cited", "put"]
NOUNS = ["servicemen", "prisoners", "personnel", "men", "cases", "persons", "soldiers"]
FILLER = [
    "The files were reviewed again after the archives opened.",
    "Several names appear twice in the lists.",
    "No complete roster survives from that period.",
    "The figure was repeated in later correspondence.",
    "Copies of the original cables are held in the national archives.",
    "Witnesses gave differing accounts of the transfers.",
]
WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
         9: "nine", 10: "ten", 12: "twelve", 20: "twenty", 30: "thirty", 40: "forty",
         50: "fifty", 100: "one hundred"}  # fmt: skip
VAGUE = ["dozens", "hundreds", "several", "thousands", "a few", "scores of"]


def _weighted(rng: random.Random, shares: dict[str, int]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _number(rng: random.Random) -> int:
    return max(2, int(10 ** rng.uniform(1, 5)))


def _phrase(rng: random.Random, value: int) -> str:
    """A number phrase for value, with the qualifier shares of the curated data."""
    draw = rng.random()
    text = f"{value:,}"
    if draw < 0.05 and value in WORDS:
        return WORDS[value]
    if draw < 0.55:
        return text
    if draw < 0.70:
        return f"{rng.choice(['about', 'some', 'approximately', 'around'])} {text}"
    if draw < 0.78:
        return f"{rng.choice(['over', 'more than'])} {text}"
    if draw < 0.82:
        return f"nearly {text}"
    if draw < 0.86:
        return f"at least {text}"
    if draw < 0.88:
        return f"fewer than {text}"
    if draw < 0.90:
        return f"as many as {text}"
    if draw < 0.97:
        high = value + max(1, value // 10)
        return f"{text} to {high:,}" if draw < 0.94 else f"between {text} and {high:,}"
    return rng.choice(VAGUE)


def _as_of(rng: random.Random, conflict: str) -> str:
    first, last = CONFLICT_YEARS[conflict]
    year = rng.randint(first, last)
    draw = rng.random()
    if draw < 0.60:
        return str(year)
    if draw < 0.85:
        return f"{year}-{rng.randint(1, 12):02d}"
    if draw < 0.95:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"{year}/{min(last, year + rng.randint(1, 4))}"


def _quantities(kind_filter: set[str]) -> list[str]:
    from ruamel.yaml import YAML

    vocabulary = YAML(typ="safe").load((PROJECT / "data" / "vocabulary.yaml").read_text())
    return sorted(
        code for code, q in vocabulary["quantities"].items()
        if q["unit"] != "persons_per_year" and q["kind"] in kind_filter
    )


def _wrap(sentences: list[str], width_words: int = 12) -> str:
    """Hard-wrap like a scanned report, so quotes cross line breaks."""
    words = " ".join(sentences).split(" ")
    lines = [" ".join(words[i : i + width_words]) for i in range(0, len(words), width_words)]
    return "\n".join(lines) + "\n"


def generate(out: Path, figures: int, sources: int, seed: int, fmt: str) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "figures").mkdir(parents=True)
    (out / "seeds").mkdir()
    for name in ("vocabulary.yaml", "settings.yaml", "checks.yaml"):
        if (PROJECT / "data" / name).is_file():
            shutil.copyfile(PROJECT / "data" / name, out / "data" / name)
    quantities = _quantities({"stock", "event", "cumulative", "estimate"})
    source_ids = [f"src-{i:05d}" for i in range(sources)]
    # Groups: one true value each, stated by several sources (Zipf-like reuse).
    group_count = max(1, figures // 4)
    groups = []
    for _ in range(group_count):
        conflict = _weighted(rng, CONFLICT_SHARES)
        groups.append((conflict, _weighted(rng, NATION_SHARES), rng.choice(quantities),
                       _as_of(rng, conflict), _number(rng)))
    per_source: dict[str, list[dict[str, object]]] = {sid: [] for sid in source_ids}
    for n in range(figures):
        sid = source_ids[n % sources]
        conflict, nation, quantity, as_of, value = groups[min(int(rng.paretovariate(1.2)) - 1,
                                                              group_count - 1)
                                                          if rng.random() < 0.3
                                                          else rng.randrange(group_count)]
        draw = rng.random()
        if draw < 0.10:  # a conflicting figure
            value = max(2, int(value * rng.choice([0.5, 0.7, 1.4, 2.0])))
        elif draw < 0.30:  # a nearby one, consistent within hedging
            value = max(2, value + rng.randint(-value // 20, value // 20))
        value_text = _phrase(rng, value)
        attributed = None
        draw = rng.random()
        if draw < 0.12:
            attributed = rng.choice(source_ids)
        elif draw < 0.20:
            attributed = rng.choice(["a Soviet general", "the Red Cross", "U.S. military"])
        agency = rng.choice(AGENCIES)
        quote = (f"{agency[0].upper()}{agency[1:]} {rng.choice(VERBS)} {value_text} "
                 f"{rng.choice(NOUNS)} for {conflict.replace('_', ' ')} as of {as_of} "
                 f"(record {n}).")
        per_source[sid].append({
            "id": f"{sid}-f{n:07d}",
            "quantity": quantity,
            "conflict": conflict,
            "nation": nation,
            "value_text": value_text,
            "quote": quote,
            "as_of": as_of,
            "attributed_to": attributed,
            "credibility": rng.randint(1, 6),
            "note": "Read from a partial copy." if rng.random() < 0.2 else None,
        })
    entries = []
    for index, sid in enumerate(source_ids):
        rows = per_source[sid]
        sentences = [f"Report {sid}."]
        for row in rows:
            if rng.random() < 0.5:
                sentences.append(rng.choice(FILLER))
            sentences.append(str(row["quote"]))
        raw = _wrap(sentences).encode("utf-8")
        name = f"{index:05d}_{hashlib.sha256(sid.encode()).hexdigest()[:16]}.txt"
        (out / "seeds" / name).write_bytes(raw)
        entries.append(
            f"  - id: {sid}\n    file: {name}\n    title: Synthetic report {index}\n"
            f"    published: {rng.randint(1960, 2020)}\n    kind: {rng.choice(KINDS)}\n"
            f"    reliability: {rng.choice(RELIABILITY)}\n"
            f"    reliability_reason: Generated for benchmarks.\n"
            f"    sha256: {hashlib.sha256(raw).hexdigest()}\n"
            "    curation: partial\n"  # no not_figures ledger is generated
        )
        frame = pd.DataFrame(rows, columns=["id", "quantity", "conflict", "nation", "value_text",
                                            "quote", "as_of", "attributed_to", "credibility",
                                            "note"])
        target = out / "data" / "figures" / sid
        if fmt == "parquet" or (fmt == "mixed" and index % 2):
            frame.to_parquet(target.with_suffix(".parquet"), index=False)
        else:
            frame.to_csv(target.with_suffix(".csv"), index=False, lineterminator="\n")
    (out / "data" / "sources.yaml").write_text("sources:\n" + "".join(entries), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000, help="N figures")
    parser.add_argument("--sources", type=int, default=None, help="M sources (default N/1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("csv", "parquet", "mixed"), default="csv")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sources = args.sources or max(4, args.figures // 1000)
    generate(args.out, args.figures, sources, args.seed, args.format)
    print(f"{args.out}: {args.figures} figures across {sources} sources ({args.format})")


if __name__ == "__main__":
    main()
