"""Benchmarks: powcount against bare pandas on synthetic datasets, and start-up times.

For each N (1e5 and 1e6 figures; --quick: 1e4 and 1e5) the runner generates a dataset
(benchmarks/generate.py, cached under benchmarks/out/) and times, in child processes,
each operation beside a baseline doing the same work with bare pandas:

    load + validate   powcount.catalog.load_catalog     pandas.read_csv of every file
    reconcile all     the engine: groups, series and     groupby: envelope per group
                      checks as frames (group_frame,
                      series_frame, check_frame)
    reconcile command what `powcount reconcile all        the same groupby
                      --format csv --output FILE` does
                      once the data is loaded
    reconcile json    the same with --format json        the same groupby
    compare-sources   powcount.reconcile.compare_sources  groupby: value_text per source
    export csv        powcount.export (csv files)       DataFrame.to_csv of the same

Every number is the median of --runs runs; peak memory is the child's maximum resident
set (ru_maxrss). Then the start-up targets: ``powcount --help`` against
``python -c "import click"``, and ``powcount reconcile korea`` on the bundled data
against ``python -c "import click, pydantic, pandas, tabulate"``. Each target prints
PASS or FAIL; with --strict the exit code is 1 when one fails.

    python benchmarks/run.py            # N = 1e5 and 1e6 (a few minutes)
    python benchmarks/run.py --quick    # N = 1e4 and 1e5
    python benchmarks/run.py --only reconcile --sizes 1000000   # one operation, one N

--only runs the named operations and their baselines (when load is not among them, the
catalog they read is loaded once first, untimed) and --sizes the given numbers of
figures; the targets are checked only where both their sizes and operations ran, and
start-up only when every operation ran.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
GROUP_KEY = ["conflict", "nation", "quantity", "unit", "as_of"]
OPERATIONS = ("load", "reconcile", "reconcile-csv", "reconcile-json", "compare-sources",
              "export-csv")
LABELS = {
    "load": "load + validate", "reconcile": "reconcile all", "reconcile-csv":
    "reconcile command", "reconcile-json": "reconcile json", "compare-sources":
    "compare-sources", "export-csv": "export csv",
}  # fmt: skip

# Targets of the speed issue.
RECONCILE_RATIO = 2.0
RECONCILE_SECONDS = 10.0
PEAK_MB = 2048
GROWTH = 12.0
STARTUP_RATIO = 1.3


# --- child processes ---------------------------------------------------------------------


def _figure_files(dataset: Path) -> list[Path]:
    return sorted(p for p in (dataset / "data" / "figures").iterdir()
                  if p.suffix in (".csv", ".parquet"))


def _child(operation: str, dataset: Path, runs: int) -> dict[str, Any]:
    """One operation, ``runs`` times, in this process: its times and the peak memory."""
    import pandas as pd

    times = []
    state = dataset / "catalog.pickle"
    if operation == "load":
        from powcount.catalog import load_catalog, locate_data

        start = time.perf_counter()
        catalog = load_catalog(locate_data(str(dataset)))
        times.append(time.perf_counter() - start)
        with state.open("wb") as handle:
            pickle.dump(catalog, handle, protocol=pickle.HIGHEST_PROTOCOL)
    elif operation == "baseline-load":
        start = time.perf_counter()
        frames = [pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
                  for p in _figure_files(dataset)]
        pd.concat(frames, ignore_index=True)
        times.append(time.perf_counter() - start)
    elif operation.startswith("baseline-"):
        with state.open("rb") as handle:
            figures = pickle.load(handle).figures
        for _ in range(runs):
            start = time.perf_counter()
            _baseline(operation, figures)
            times.append(time.perf_counter() - start)
    else:
        with state.open("rb") as handle:
            catalog = pickle.load(handle)
        for _ in range(runs):
            start = time.perf_counter()
            _operation(operation, catalog)
            times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"times": times, "peak_mb": peak}


def _envelope(figures: Any) -> Any:
    grouped = figures.groupby(GROUP_KEY, sort=True)
    envelope = grouped.agg(low=("low", "min"), high=("high", "max"),
                           sources=("source", "nunique"))
    envelope["open"] = figures["high"].isna().groupby([figures[c] for c in GROUP_KEY]).any()
    return envelope


def _baseline(operation: str, figures: Any) -> None:
    if operation in ("baseline-reconcile", "baseline-reconcile-csv", "baseline-reconcile-json"):
        _envelope(figures)
    elif operation == "baseline-compare-sources":
        figures.groupby(GROUP_KEY + ["source"], sort=True)["value_text"].agg("; ".join)
    elif operation == "baseline-export-csv":
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            figures.to_csv(Path(folder) / "figures.csv", index=False)
            _envelope(figures).to_csv(Path(folder) / "groups.csv")


def _operation(operation: str, catalog: Any) -> None:
    if operation == "reconcile":
        from powcount.checks import check_frame
        from powcount.reconcile import engine
        from powcount.series import series_directions, series_frame

        found = engine(catalog, None)
        series_frame(found.figures, found.groups.reset_index(drop=True),
                     series_directions(catalog))
        check_frame(catalog, None)
    elif operation in ("reconcile-csv", "reconcile-json"):
        from powcount.reconcile_output import write_reconciliation

        fmt = operation.removeprefix("reconcile-")
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            write_reconciliation(catalog, None, fmt, str(Path(folder) / f"reconcile.{fmt}"))
    elif operation == "compare-sources":
        from powcount.reconcile import compare_sources

        compare_sources(catalog, None)
    elif operation == "export-csv":
        from powcount.export import build_export, write_export

        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            write_export(build_export(catalog), "csv", str(Path(folder) / "export"))


def _spawn(operation: str, dataset: Path, runs: int) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", operation,
               "--dataset", str(dataset), "--runs", str(runs)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return {"times": [], "peak_mb": 0.0, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- measuring ---------------------------------------------------------------------------


def _dataset(figures: int, fmt: str) -> Path:
    path = OUT / f"n{figures}-{fmt}"
    if not (path / "data" / "sources.yaml").is_file():
        print(f"generating {figures:,} figures ({fmt}) in {path} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--figures", str(figures),
                        "--format", fmt, "--out", str(path)], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def _measure(operation: str, dataset: Path, runs: int) -> dict[str, Any]:
    """Median time and peak memory; a load is a fresh process each run."""
    if operation in ("load", "baseline-load"):
        results = [_spawn(operation, dataset, 1) for _ in range(runs)]
        times = [t for r in results for t in r["times"]]
        peak = max(r["peak_mb"] for r in results)
        errors = [e for r in results for e in r.get("error", [])]
    else:
        result = _spawn(operation, dataset, runs)
        times, peak, errors = result["times"], result["peak_mb"], result.get("error", [])
    return {"median": statistics.median(times) if times else None, "times": times,
            "peak_mb": peak, "errors": errors}


def _median_wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _startup(runs: int) -> list[dict[str, Any]]:
    python = sys.executable
    script = Path(python).parent / "powcount"
    powcount = [str(script)] if script.exists() else [python, "-m", "powcount"]
    env = {k: v for k, v in os.environ.items() if k != "POWCOUNT_DATA"}
    pairs = [
        ("powcount --help", powcount + ["--help"], "import click", [python, "-c", "import click"]),
        ("powcount reconcile korea", powcount + ["reconcile", "korea"],
         "import click, pydantic, pandas, tabulate",
         [python, "-c", "import click, pydantic, pandas, tabulate"]),
    ]
    # Compiled as after any install (an editable one leaves them uncompiled); a module
    # compiled on every start would be measured, not the start-up itself.
    subprocess.run([python, "-m", "compileall", "-q", str(HERE.parent / "src" / "powcount")],
                   stdout=subprocess.DEVNULL, check=False)
    found = []
    for name, command, base_name, base in pairs:
        for warm in (command, base):  # fill the page cache before timing
            subprocess.run(warm, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # Interleave the two so that load on the machine weighs on both alike.
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(_median_wall(command, 1, env))
            theirs.append(_median_wall(base, 1, env))
        found.append({"name": name, "seconds": statistics.median(ours), "baseline": base_name,
                      "baseline_seconds": statistics.median(theirs)})
    return found


# --- reporting ---------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "error" if value is None else f"{value:.2f} s" if value >= 0.1 else f"{value:.3f} s"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict[str, Any], sizes: list[int],
           operations: tuple[str, ...] = OPERATIONS) -> tuple[list[str], bool]:
    lines: list[str] = []
    ok = True
    header = (f"| {'operation':<17} | {'N':>9} | {'powcount':>9} | {'peak MB':>7} | "
              f"{'baseline':>9} | {'peak MB':>7} | {'ratio':>6} |")
    lines += [header, "|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|"]
    for operation in operations:
        for size in sizes:
            ours = results[str(size)][operation]
            base = results[str(size)]["baseline-" + operation]
            ratio = (f"{ours['median'] / base['median']:.1f}x"
                     if ours["median"] and base["median"] else "-")
            lines.append(
                f"| {LABELS[operation]:<17} | {size:>9,} | {_seconds(ours['median']):>9} | "
                f"{ours['peak_mb']:>7.0f} | {_seconds(base['median']):>9} | "
                f"{base['peak_mb']:>7.0f} | {ratio:>6} |"
            )
            for error in ours["errors"] + base["errors"]:
                lines.append(f"  error: {error}")
    lines.append("")
    small, large = (sizes[0], sizes[-1])
    # The 2x target compares like with like: the engine's groups, series and checks
    # against a groupby's envelopes. The commands also format and write every row; they
    # are held to the time target.
    for operation in [o for o in ("reconcile", "reconcile-csv", "reconcile-json")
                      if o in operations]:
        rec = results[str(large)][operation]
        base = results[str(large)]["baseline-" + operation]
        label = f"{LABELS[operation]}, N={large:,}"
        if rec["median"] and base["median"]:
            if operation == "reconcile":
                ratio = rec["median"] / base["median"]
                passed = ratio <= RECONCILE_RATIO
                ok &= passed
                lines.append(f"{_verdict(passed)}  {label}: {ratio:.1f}x the pandas baseline "
                             f"(target <= {RECONCILE_RATIO:.0f}x)")
            passed = rec["median"] < RECONCILE_SECONDS
            ok &= passed
            lines.append(f"{_verdict(passed)}  {label}: {_seconds(rec['median'])} (target < "
                         f"{RECONCILE_SECONDS:.0f} s)")
        else:
            ok = False
            lines.append(f"FAIL  {label}: did not run")
    for operation in operations:
        peak = results[str(large)][operation]["peak_mb"]
        ok &= 0 < peak < PEAK_MB
        lines.append(f"{_verdict(0 < peak < PEAK_MB)}  {LABELS[operation]}, N={large:,}: peak "
                     f"memory {peak:,.0f} MB (target < {PEAK_MB:,} MB)")
    for operation in operations:
        a, b = results[str(small)][operation]["median"], results[str(large)][operation]["median"]
        if a and b and small != large:
            growth = b / a
            passed = growth <= GROWTH
            ok &= passed
            lines.append(f"{_verdict(passed)}  {LABELS[operation]} grows {growth:.1f}x from "
                         f"N={small:,} to N={large:,} (target <= {GROWTH:.0f}x)")
    for item in results.get("startup", []):
        ratio = item["seconds"] / item["baseline_seconds"]
        passed = ratio <= STARTUP_RATIO
        ok &= passed
        lines.append(f"{_verdict(passed)}  {item['name']}: {_seconds(item['seconds'])} against "
                     f"{_seconds(item['baseline_seconds'])} for `python -c \"{item['baseline']}\"`"
                     f" = {ratio:.2f}x (target <= {STARTUP_RATIO}x)")
    return lines, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1e4 and 1e5 only")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="figure files of the generated datasets")
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--only", action="append", choices=OPERATIONS, metavar="NAME",
                        help="run only this operation (repeatable): " + ", ".join(OPERATIONS))
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N",
                        help="numbers of figures (default 100000 1000000)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.dataset, args.runs)))
        return 0
    OUT.mkdir(exist_ok=True)
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [100_000, 1_000_000])
    operations = tuple(o for o in OPERATIONS if o in args.only) if args.only else OPERATIONS
    results: dict[str, Any] = {}
    for size in sizes:
        dataset = _dataset(size, args.format)
        measured = {}
        if "load" not in operations:
            # The other operations read the catalog the load leaves behind.
            _spawn("load", dataset, 1)
        for operation in operations:  # load first: it leaves the catalog for the others
            for name in (operation, "baseline-" + operation):
                print(f"N={size:,}: {name} ...", file=sys.stderr, flush=True)
                measured[name] = _measure(name, dataset, args.runs)
        results[str(size)] = measured
        (dataset / "catalog.pickle").unlink(missing_ok=True)
    if operations == OPERATIONS:
        print("start-up ...", file=sys.stderr, flush=True)
        results["startup"] = _startup(args.startup_runs)
    lines, ok = report(results, sizes, operations)
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    print(f"powcount benchmarks: medians of {args.runs} runs ({args.format} figure files; "
          f"{machine})\n")
    print("\n".join(lines))
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
