"""Charts of figures over time, drawn by matplotlib as SVG for inlining in the dossier.

A chart takes a frame of points (one per figure) and draws, per point, the stated
interval as a vertical bar with the best value marked, and the period the figure
covers as a horizontal bar. An interval with no upper bound ("over 7,800") is
drawn as an open bar that runs to the top of the chart and ends in an arrow, so
it never reads as a closed range.

Output is deterministic: the Agg backend, a fixed ``svg.hashsalt``, no date in
the metadata, text kept as text (no font glyphs embedded), and every SVG id
prefixed with the chart's own id so several charts can share one HTML page.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

#: Columns a points frame must have: where each figure sits in time and its interval.
POINT_COLUMNS = ("figure", "source", "x_start", "x_end", "low", "best", "high")

#: One colour per source, in source-id order, shared by every chart of a report
#: (Okabe-Ito, readable by people with colour-blindness).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442")

#: Room above the highest bound for open bars and their arrows, as a share of the range.
_HEADROOM = 0.18

#: Least distance between two marks, as a share of the time the chart spans.
_MIN_MARK_GAP = 0.025

_SVG_START = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True)
class ChartText:
    """The words on a chart: data text, drawn literally (never as mathtext)."""

    title: str
    y_label: str


def source_colours(source_ids: Sequence[str]) -> dict[str, str]:
    """A stable colour per source id (sorted), cycling through the palette."""
    return {sid: PALETTE[i % len(PALETTE)] for i, sid in enumerate(sorted(set(source_ids)))}


def _literal(text: str) -> str:
    # matplotlib reads $...$ as mathtext; a dollar sign in data must stay a dollar sign.
    return text.replace("$", r"\$")


def matplotlib_home() -> None:
    """Give matplotlib a configuration and font-cache folder before it is first imported.

    Left to itself, matplotlib keeps them under the home folder, and where that cannot
    be written it warns on stderr and leaves a ``/tmp/matplotlib-*`` folder behind.
    Here they live in powcount's cache folder (``matplotlib/`` beside the catalogs), or,
    when that is off or cannot be made, in a temporary folder removed when the run ends.
    A MPLCONFIGDIR the user set is kept.
    """
    import os

    if os.environ.get("MPLCONFIGDIR") or "matplotlib" in sys.modules:
        return
    from powcount.catalog.cache import cache_folder

    folder = cache_folder()
    if folder is not None:
        target = folder / "matplotlib"
        try:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            probe = target / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
            os.environ["MPLCONFIGDIR"] = str(target)
            return
        except OSError:
            pass
    import atexit
    import shutil
    import tempfile

    temporary = tempfile.mkdtemp(prefix="powcount-matplotlib-")
    atexit.register(shutil.rmtree, temporary, True)
    os.environ["MPLCONFIGDIR"] = temporary


def interval_chart_svg(
    points: pd.DataFrame, text: ChartText, chart_id: str, colours: dict[str, str]
) -> str:
    """An SVG (text, no XML prolog) of the points' intervals over time.

    ``points`` has POINT_COLUMNS: ``x_start``/``x_end`` in fractional years, ``low``,
    ``best`` and ``high`` as integers, ``high`` missing for an open interval.
    """
    matplotlib_home()
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    missing = [c for c in POINT_COLUMNS if c not in points.columns]
    if missing:
        raise ValueError(f"points frame lacks columns {missing}")
    rows = points.sort_values(["x_start", "source", "figure"]).to_dict("records")
    closed_tops = [int(r["high"]) for r in rows if not pd.isna(r["high"])]
    bottoms = [int(r["low"]) for r in rows]
    lowest = min(bottoms)
    highest = max(closed_tops + [int(r["best"]) for r in rows])
    span = max(highest - lowest, max(highest, 1) * 0.05)
    y_bottom = max(0.0, lowest - span * 0.12)
    y_top = highest + span * _HEADROOM

    params: dict[str, Any] = {
        "svg.hashsalt": "powcount",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(cast(Any, params)):
        figure = Figure(figsize=(6.4, 3.2))
        axes = figure.add_subplot()
        seen_sources: set[str] = set()
        marks = _dodged([(float(r["x_start"]) + float(r["x_end"])) / 2 for r in rows])
        for row, x in zip(rows, marks, strict=True):
            colour = colours.get(row["source"], PALETTE[0])
            low, best = int(row["low"]), int(row["best"])
            label = None if row["source"] in seen_sources else _literal(row["source"])
            seen_sources.add(row["source"])
            if float(row["x_end"]) - float(row["x_start"]) > 0.2:
                axes.hlines(best, float(row["x_start"]), float(row["x_end"]), colors=colour,
                            linewidth=1.2, alpha=0.5)
            if pd.isna(row["high"]):
                # Open above: a bar to the top of the chart with an arrow, a hollow mark.
                axes.annotate("", xy=(x, y_top), xytext=(x, low),
                              arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.6,
                                          "linestyle": (0, (4, 2)), "shrinkA": 0,
                                          "shrinkB": 0})
                axes.plot([x], [best], marker="o", markersize=7, markerfacecolor="white",
                          markeredgecolor=colour, markeredgewidth=1.6, linestyle="none",
                          label=label)
                axes.plot([x], [low], marker="_", markersize=10, color=colour,
                          markeredgewidth=1.6)
            else:
                high = int(row["high"])
                axes.errorbar([x], [best], yerr=[[best - low], [high - best]], fmt="o",
                              color=colour, markersize=6, capsize=5, elinewidth=1.6,
                              capthick=1.6, label=label)
        axes.set_ylim(y_bottom, y_top)
        x_low = min(float(r["x_start"]) for r in rows)
        x_high = max([float(r["x_end"]) for r in rows] + [x + 0.5 for x in marks])
        x_pad = max((x_high - x_low) * 0.06, 1.0)
        axes.set_xlim(x_low - x_pad, x_high + x_pad)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        axes.set_title(_literal(text.title), loc="left", fontsize=10)
        axes.set_ylabel(_literal(text.y_label))
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        handles, labels = axes.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: labels[i])
        axes.legend([handles[i] for i in order], [labels[i] for i in order], loc="best",
                    frameon=False, fontsize=8, title="source", title_fontsize=8)
        figure.tight_layout()
        stream = io.StringIO()
        figure.savefig(stream, format="svg", metadata={"Date": None})
    return _inline(stream.getvalue(), chart_id)


def _dodged(xs: list[float]) -> list[float]:
    """Marks at least a set share of the time axis apart, so close dates stay readable.

    The horizontal period lines keep the true dates; only the marks move.
    """
    if len(xs) < 2:
        return xs
    gap = (max(xs) - min(xs) or 1.0) * _MIN_MARK_GAP
    placed = [xs[0]]
    for x in xs[1:]:
        placed.append(max(x, placed[-1] + gap))
    return placed


def _inline(svg: str, chart_id: str) -> str:
    """Strip the XML prolog and metadata, and make every id unique to this chart."""
    body = _SVG_START.sub("", svg, count=1)
    body = _METADATA.sub("", body, count=1)
    ids = set(_ID_ATTRIBUTE.findall(body))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{chart_id}-{old}"
        body = body.replace(f'id="{old}"', f'id="{new}"')
        body = body.replace(f"url(#{old})", f"url(#{new})")
        body = body.replace(f'href="#{old}"', f'href="#{new}"')
    return body.strip() + "\n"
