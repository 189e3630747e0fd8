"""Accounting checks: relations among quantities declared in ``data/checks.yaml``.

Each check names a left side (quantities added, or subtracted with a leading
``-``), a relation (``==``, ``<=``, ``>=``) and a right side; a term written
``quantity@scope`` takes its figures from that conflict or scope. For every
combination of figures that can fill the terms (one figure per term, per
conflict and nation), the sides are added up with interval arithmetic and the
relation is judged in three-valued logic (CHECK_RULE): it holds for every value
the intervals allow, for some, or for none. Terms whose periods do not describe
the same time (powcount.matching) are ``not-comparable``, never ``fails``,
unless the check declares that it relates different dates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from powcount.columns import floats, ints, objects
from powcount.conflicts import known_conflict
from powcount.intervals import Interval, interval_text
from powcount.matching import WINDOW_KINDS, date_gap_days, pair_comparable
from powcount.models import Check
from powcount.ordering import order_of

if TYPE_CHECKING:
    from powcount.catalog import Catalog

Verdict = Literal["holds", "can-hold", "within-tolerance", "fails", "not-comparable"]

CHECK_RULE = (
    "verdict, in three-valued interval logic over the intervals the words allow: holds when "
    "the relation holds for every value they allow; can-hold when it holds for some values "
    "and not for others; fails when it holds for none; within-tolerance when it holds for "
    "none but misses by no more than the check tolerance of the right side; not-comparable "
    "when the terms' periods are too far apart to describe the same time (see matching; "
    "date_gap_days), unless the check relates different dates. deviation: left minus the "
    "right bound it misses; difference: right minus left"
)
Relation = Literal["==", "<=", ">="]


class CheckResult(BaseModel):
    """One combination of figures filling one check, and its verdict."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    key: str = Field(description="name/conflict/nation/#n: unique per combination.")
    name: str = Field(description="The check's name in data/checks.yaml.")
    conflict: str
    nation: str
    relation: Relation
    rationale: str
    left: list[str] = Field(description="Left terms: quantity codes, '-' for subtracted.")
    right: list[str] = Field(description="Right terms.")
    left_figures: list[str] = Field(description="Figure ids filling the left terms, in order.")
    right_figures: list[str] = Field(description="Figure ids filling the right terms, in order.")
    figure_ids: list[str] = Field(description="Every figure used, left then right.")
    computed: Interval = Field(description="Left side from the numbers as written.")
    computed_with_tolerance: Interval = Field(
        description="Left side from the intervals the words allow (approximate words "
        "widened by their precision): the verdict is judged on these."
    )
    computed_best: int = Field(description="Left side from the best values.")
    stated: Interval = Field(description="Right side from the stated bounds.")
    stated_with_tolerance: Interval
    stated_best: int
    difference: Interval = Field(description="Right minus left, stated bounds.")
    difference_best: int = Field(description="Right minus left, best values.")
    verdict: Verdict = Field(description="See CHECK_RULE.")
    date_gap_days: int = Field(
        description="Days between the earliest-ending and the latest-starting period of "
        "the terms' figures; 0 when they all overlap."
    )
    deviation: int = Field(
        description="By how much the stated bounds miss the relation; positive when the "
        "left side is too high, negative when too low, 0 when it holds."
    )
    deviation_pct: float | None = Field(
        description="deviation as a percent of the right-side bound it misses."
    )
    arithmetic: str = Field(description="'25,000 - 4,165 = 20,835 vs some 20,000'.")
    as_of: list[str] = Field(description="as_of of each figure, left then right.")


#: Combinations of figures evaluated per check, conflict and nation. Beyond it each
#: term keeps only its earliest figures, and a note says how many were left out.
MAX_COMBINATIONS = 1_000

_FIGURE_FIELDS = ["id", "as_of", "as_of_start", "as_of_end", "value_text", "low", "best",
                  "high", "stated_low", "stated_high"]


def _terms(check: Check) -> list[tuple[str, str, int]]:
    """(side, quantity code, sign) for every term, left then right ('@scope' left out)."""
    terms = [("left", term.removeprefix("-").partition("@")[0],
              -1 if term.startswith("-") else 1) for term in check.left]
    return terms + [("right", term.partition("@")[0], 1) for term in check.right]


def term_scopes(check: Check) -> list[str | None]:
    """Per term (left then right), the conflict or scope it names after '@', else None."""
    return [term.partition("@")[2] or None for term in (*check.left, *check.right)]


@dataclass(frozen=True)
class _Candidates:
    """The figures checks can read, as integer codes in the order terms are combined in:
    by conflict, nation, as_of start and id. Rows of text are taken only once chosen."""

    figures: pd.DataFrame  # the catalog's figures (all rows)
    rows: np.ndarray  # positions in ``figures``, in combination order
    quantity: np.ndarray  # per row: code into ``quantities``
    conflict: np.ndarray
    nation: np.ndarray
    as_of: np.ndarray  # per row: the same code for the same as_of text
    quantities: list[str]
    conflicts: list[str]
    nations: list[str]

    @classmethod
    def of(cls, catalog: Catalog, conflict: str | None, codes: set[str]) -> _Candidates:
        index = catalog.figure_index()
        quantity, quantities = index.codes("quantity")
        keep = np.isin(quantity, [index.code_of("quantity", code) for code in sorted(codes)])
        conflict_codes, conflicts = index.codes("conflict")
        if conflict is not None:
            keep &= conflict_codes == index.code_of("conflict", conflict)
        rows = np.flatnonzero(keep)
        nation, nations = index.codes("nation", rows)
        conflict_codes = conflict_codes[rows]
        start, starts = index.codes("as_of_start", rows)
        order = order_of([(conflict_codes, len(conflicts)), (nation, len(nations)),
                          (start, len(starts)), (index.id_ranks[rows], len(index.id_ranks))])
        chosen = rows[order]
        return cls(catalog.figures, chosen, quantity[chosen].astype(np.int64),
                   conflict_codes[order].astype(np.int64), nation[order].astype(np.int64),
                   index.codes("as_of", chosen)[0].astype(np.int64),
                   [str(q) for q in quantities], [str(c) for c in conflicts],
                   [str(n) for n in nations])

    @staticmethod
    def code(values: list[str], value: str) -> int:
        """The code of a value; -1 (matching no row) when no candidate has it."""
        return values.index(value) if value in values else -1

    def scope_keys(self, chosen: np.ndarray, match_as_of: bool) -> np.ndarray:
        """One integer per chosen row: its conflict, nation and (when matched) as_of."""
        keys = self.conflict[chosen] * max(len(self.nations), 1) + self.nation[chosen]
        if match_as_of:
            keys = keys * (int(self.as_of.max(initial=0)) + 1) + self.as_of[chosen]
        return keys

    def fields(self, chosen: np.ndarray, index: int) -> pd.DataFrame:
        """The figure fields of one term for the chosen rows, named ``<field>_<index>``."""
        frame = self.figures[_FIGURE_FIELDS].take(self.rows[chosen])
        frame.columns = [f"{name}_{index}" for name in _FIGURE_FIELDS]
        return frame.reset_index(drop=True)


def _inner_join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of equal keys, as an inner merge orders them: by left row, then right row."""
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    first = np.searchsorted(ordered, left, side="left")
    counts = np.searchsorted(ordered, left, side="right") - first
    left_rows = np.repeat(np.arange(len(left)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return left_rows, order[np.repeat(first, counts) + within]


def _scope_counts(candidates: _Candidates, chosen: np.ndarray) -> list[tuple[tuple[str, str], int]]:
    """Figures per (conflict, nation) among chosen rows, in (conflict, nation) order."""
    width = max(len(candidates.nations), 1)
    keys = candidates.conflict[chosen] * width + candidates.nation[chosen]
    distinct, counts = np.unique(keys, return_counts=True)
    return [((candidates.conflicts[k // width], candidates.nations[k % width]), count)
            for k, count in zip(distinct.tolist(), counts.tolist(), strict=True)]


def _term_rows(check: Check, candidates: _Candidates, conflict: str | None) -> list[np.ndarray]:
    """Per term, the candidate positions that can fill it: its quantity, in the check's
    nation, and in the check's conflict (or the requested one), or in the term's own scope."""
    rows = []
    for (_, code, _), scope in zip(_terms(check), term_scopes(check), strict=True):
        keep = candidates.quantity == candidates.code(candidates.quantities, code)
        if check.nation is not None:
            keep &= candidates.nation == candidates.code(candidates.nations, check.nation)
        wanted = scope if scope is not None else (check.conflict or conflict)
        if wanted is not None:
            keep &= candidates.conflict == candidates.code(candidates.conflicts, wanted)
        rows.append(np.flatnonzero(keep))
    return rows


def _combinations(check: Check, candidates: _Candidates, conflict: str | None,
                  notes: list[str]) -> pd.DataFrame:
    """Every combination of one figure per term, per conflict and nation.

    A term of another scope ('quantity@scope') combines with the others by nation alone;
    at most MAX_COMBINATIONS combinations per conflict and nation are made.
    """
    terms = _terms(check)
    scopes = term_scopes(check)
    chosen = _term_rows(check, candidates, conflict)
    own = [i for i, scope in enumerate(scopes) if scope is None]
    if not own:
        # Every term names its scope: the combination's conflict is the first term's.
        own = [0]
    width = max(len(candidates.nations), 1)
    # Figures per term in each conflict and nation (a scoped term: per nation, counted in
    # every conflict of the check's own terms); scopes in the order terms first name them.
    present: dict[tuple[str, str], list[int]] = {}
    for i in own:
        for scope_key, count in _scope_counts(candidates, chosen[i]):
            present.setdefault(scope_key, [0] * len(terms))[i] = count
    for i in range(len(terms)):
        if i in own:
            continue
        per_nation = np.bincount(candidates.nation[chosen[i]], minlength=width)
        for (_, nation_code), row in present.items():
            row[i] = int(per_nation[candidates.nations.index(nation_code)])
    for (conflict_, nation), row in present.items():
        missing = [check.left[i] if i < len(check.left) else check.right[i - len(check.left)]
                   for i, count in enumerate(row) if count == 0]
        if missing and len(missing) < len(terms):
            notes.append(f"check '{check.name}' ({conflict_}/{nation}): not evaluated, no "
                         f"figure for {', '.join(m.removeprefix('-') for m in missing)}")
    over = [(scope_key, math.prod(row)) for scope_key, row in present.items()
            if math.prod(row) > MAX_COMBINATIONS]
    if over:
        keep = max(1, int(MAX_COMBINATIONS ** (1 / len(terms))))
        for (conflict_, nation), total in over:
            notes.append(f"check '{check.name}' ({conflict_}/{nation}): {total:,} combinations; "
                         f"only the {keep} earliest figures per term are combined "
                         f"(at most {MAX_COMBINATIONS:,} combinations)")
        capped = np.array([candidates.conflicts.index(c) * width + candidates.nations.index(n)
                           for (c, n), _ in over], dtype=np.int64)
        capped_nations = np.array([candidates.nations.index(n) for (_, n), _ in over])
        for i, rows in enumerate(chosen):
            scoped = i not in own
            keys = (candidates.nation[rows] if scoped
                    else candidates.conflict[rows] * width + candidates.nation[rows])
            # Rows of one conflict and nation are consecutive: their place in the run.
            new = np.ones(len(keys), dtype=bool)
            new[1:] = keys[1:] != keys[:-1]
            run_start = np.maximum.accumulate(np.where(new, np.arange(len(keys)), 0))
            place = np.arange(len(keys)) - run_start
            limited = np.isin(keys, capped_nations if scoped else capped)
            chosen[i] = rows[~limited | (place < keep)]
    # Figures combine when their conflict, nation and (match_as_of) as_of are the same; a
    # term of another scope by nation (and as_of) alone.
    first = own[0]
    if any(not len(rows) for rows in chosen):
        # A term with no figure leaves no combination: join from no rows rather than
        # pairing the other terms first (benchmarks/run.py, ``reconcile all`` at 1e6:
        # 0.08 s to make none for one check).
        chosen[first] = chosen[first][:0]
    picked: dict[int, np.ndarray] = {first: np.arange(len(chosen[first]))}
    keys = candidates.scope_keys(chosen[first], check.match_as_of)
    nations = candidates.nation[chosen[first]]
    as_of = candidates.as_of[chosen[first]]
    for i in [*own[1:], *(i for i in range(len(terms)) if i not in own)]:
        rows = chosen[i]
        if i in own:
            left, right = _inner_join(keys, candidates.scope_keys(rows, check.match_as_of))
        else:
            span = int(candidates.as_of.max(initial=0)) + 1
            mine = (nations * span + as_of) if check.match_as_of else nations
            theirs = (candidates.nation[rows] * span + candidates.as_of[rows]
                      if check.match_as_of else candidates.nation[rows])
            left, right = _inner_join(mine, theirs)
        picked = {term: positions[left] for term, positions in picked.items()}
        picked[i] = right
        keys, nations, as_of = keys[left], nations[left], as_of[left]
    first_rows = candidates.rows[chosen[first][picked[first]]]
    scope_columns = candidates.figures[["conflict", "nation"]].take(first_rows).reset_index(
        drop=True)
    terms_columns = [candidates.fields(chosen[i][picked[i]], i) for i in range(len(terms))]
    return pd.concat([scope_columns, *terms_columns], axis=1)


class _Ints(NamedTuple):
    """A column of whole numbers, some missing (an open side): values and the gaps."""

    values: np.ndarray  # int64; 0 where missing
    missing: np.ndarray  # bool

    @classmethod
    def of(cls, column: pd.Series) -> _Ints:
        return cls(column.to_numpy(np.int64, na_value=0), column.isna().to_numpy(bool))

    def __sub__(self, other: object) -> _Ints:
        assert isinstance(other, _Ints)
        return _Ints(self.values - other.values, self.missing | other.missing)

    def filled(self) -> np.ndarray:
        return np.where(self.missing, 0, self.values)

    def array(self) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray(self.filled(), self.missing.copy())


def _side_sums(frame: pd.DataFrame, terms: list[tuple[str, str, int]], side: str,
               low: str, high: str) -> tuple[_Ints, _Ints]:
    """Interval sum of one side; a subtracted term adds (-high, -low); open stays open."""
    n = len(frame)
    total_low = _Ints(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool))
    total_high = _Ints(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool))
    for i, (term_side, _, sign) in enumerate(terms):
        if term_side != side:
            continue
        first = _Ints.of(frame[f"{low if sign > 0 else high}_{i}"])
        second = _Ints.of(frame[f"{high if sign > 0 else low}_{i}"])
        total_low = _Ints(total_low.values + sign * first.values,
                          total_low.missing | first.missing)
        total_high = _Ints(total_high.values + sign * second.values,
                           total_high.missing | second.missing)
    return total_low, total_high


def _possible(relation: str, left_low: _Ints, left_high: _Ints, right_low: _Ints,
              right_high: _Ints) -> np.ndarray:
    """Does the relation hold for some values in the intervals? An open side always can."""
    below = (left_low.values <= right_high.values) | left_low.missing | right_high.missing
    above = (left_high.values >= right_low.values) | left_high.missing | right_low.missing
    if relation == "<=":
        return below
    if relation == ">=":
        return above
    return below & above


def _certain(relation: str, left_low: _Ints, left_high: _Ints, right_low: _Ints,
             right_high: _Ints) -> np.ndarray:
    """Does the relation hold for every value in the intervals? An open side never does."""
    below = (left_high.values <= right_low.values) & ~left_high.missing & ~right_low.missing
    above = (left_low.values >= right_high.values) & ~left_low.missing & ~right_high.missing
    if relation == "<=":
        return below
    if relation == ">=":
        return above
    # Equal for every value: both sides one and the same exact number.
    return below & above


def _comparable(check: Check, combos: pd.DataFrame, kinds: list[str],
                window_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Per combination: whether the two sides describe the same time, and their date gap.

    When every term is a count at a date, each term must lie within the stock window of
    every other. Otherwise a side spans the periods of its terms (two releases in
    different months add up), and the two sides' spans must overlap.
    """
    terms = _terms(check)
    if all(kind in WINDOW_KINDS for kind in kinds):
        # Counts at a date: every term within the window of every other, on either side;
        # otherwise stocks decades apart would add up on one side.
        starts = [combos[f"as_of_start_{i}"].to_numpy("datetime64[D]").astype(np.int64)
                  for i in range(len(terms))]
        ends = [combos[f"as_of_end_{i}"].to_numpy("datetime64[D]").astype(np.int64)
                for i in range(len(terms))]
        gap = date_gap_days(starts, ends)
        comparable = gap <= window_days
        if check.relates_periods:
            comparable = np.ones(len(combos), dtype=bool)
        return comparable, gap
    spans = []
    for side in ("left", "right"):
        index = [i for i, term in enumerate(terms) if term[0] == side]
        starts = [combos[f"as_of_start_{i}"].to_numpy("datetime64[D]").astype(np.int64)
                  for i in index]
        ends = [combos[f"as_of_end_{i}"].to_numpy("datetime64[D]").astype(np.int64)
                for i in index]
        spans.append((np.minimum.reduce(starts), np.maximum.reduce(ends)))
    (left_start, left_end), (right_start, right_end) = spans
    window = window_days if all(kind in WINDOW_KINDS for kind in kinds) else None
    comparable = pair_comparable(left_start, left_end, right_start, right_end, window)
    if check.relates_periods:
        comparable = np.ones(len(combos), dtype=bool)
    gap = date_gap_days([left_start, right_start], [left_end, right_end])
    return comparable, gap


#: The verdicts in the order _verdicts selects them. The text columns of a check's rows
#: are built as the frame's own string arrays, never as Python objects converted back
#: (benchmarks/run.py, ``reconcile all``: a third of the verdicts' time at 1e6).
_VERDICTS = pd.array(["not-comparable", "holds", "can-hold", "within-tolerance", "fails"],
                     dtype="str")


def _verdicts(check: Check, combos: pd.DataFrame, order: int, tolerance: float,
              kinds: list[str], window_days: int) -> pd.DataFrame:
    """One row per combination: both sides' sums, the difference, the verdict."""
    terms = _terms(check)
    computed_low, computed_high = _side_sums(combos, terms, "left", "stated_low",
                                             "stated_high")
    computed_tol_low, computed_tol_high = _side_sums(combos, terms, "left", "low", "high")
    computed_best = _side_sums(combos, terms, "left", "best", "best")[0]
    stated_low, stated_high = _side_sums(combos, terms, "right", "stated_low", "stated_high")
    stated_tol_low, stated_tol_high = _side_sums(combos, terms, "right", "low", "high")
    stated_best = _side_sums(combos, terms, "right", "best", "best")[0]

    relation = check.relation
    sides = (computed_tol_low, computed_tol_high, stated_tol_low, stated_tol_high)
    every = _certain(relation, *sides)
    some = _possible(relation, *sides)
    comparable, gap = _comparable(check, combos, kinds, window_days)
    too_high = (computed_tol_low - stated_tol_high).filled()
    too_low = (computed_tol_high - stated_tol_low).filled()
    if relation == "<=":
        too_low = np.zeros_like(too_low)
    elif relation == ">=":
        too_high = np.zeros_like(too_high)
    deviation = np.where(too_high > 0, too_high, np.where(too_low < 0, too_low, 0))
    reference = np.where(too_high > 0, stated_tol_high.filled(), stated_tol_low.filled())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(reference > 0, deviation / np.where(reference > 0, reference, 1),
                         np.nan)
    within = np.abs(share) <= tolerance
    columns: dict[str, Any] = {
        "order": np.full(len(combos), order, dtype=np.int64),
        "name": pd.array([check.name], dtype="str").take(np.zeros(len(combos), dtype=np.int64)),
        "conflict": combos["conflict"].array,
        "nation": combos["nation"].array,
        "computed_low": computed_low.array(), "computed_high": computed_high.array(),
        "computed_tol_low": computed_tol_low.array(),
        "computed_tol_high": computed_tol_high.array(),
        "computed_best": computed_best.array(),
        "stated_low": stated_low.array(), "stated_high": stated_high.array(),
        "stated_tol_low": stated_tol_low.array(), "stated_tol_high": stated_tol_high.array(),
        "stated_best": stated_best.array(),
        "difference_low": (stated_tol_low - computed_tol_high).array(),
        "difference_high": (stated_tol_high - computed_tol_low).array(),
        "difference_best": (stated_best - computed_best).array(),
        "date_gap_days": gap.astype(np.int64),
        "deviation": np.where(some | ~comparable, 0, deviation),
        "deviation_pct": np.where(some | ~comparable | np.isnan(share), np.nan,
                                  np.round(100 * share, 1)),
        "verdict": _VERDICTS.take(np.select([~comparable, every, some, within], [0, 1, 2, 3],
                                            default=4)),
    }
    for i in range(len(terms)):
        for name in ("id", "as_of", "value_text"):
            columns[f"{name}_{i}"] = combos[f"{name}_{i}"].array
    return pd.DataFrame(columns)


def check_frame(catalog: Catalog, conflict: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Every combination of every check with its sums and verdict; notes on what was left out."""
    # The figures of the quantities some check reads, ordered once for every check; the
    # rows of text are taken only for the figures a check combines. Every conflict is a
    # candidate: a term may name another scope than the conflict asked for.
    codes = {code for check in catalog.checks for _, code, _ in _terms(check)}
    candidates = _Candidates.of(catalog, None, codes)
    tolerance = catalog.settings.check_tolerance
    window_days = catalog.settings.stock_window_days
    quantities = catalog.vocabulary.quantities
    frames = []
    notes: list[str] = []
    for order, check in enumerate(catalog.checks):
        if conflict is not None and check.conflict not in (None, conflict):
            continue
        combos = _combinations(check, candidates, conflict, notes)
        if combos.empty:
            continue
        kinds = [quantities[code].kind.value if code in quantities else ""
                 for _, code, _ in _terms(check)]
        frames.append(_verdicts(check, combos, order, tolerance, kinds, window_days))
    if not frames:
        return pd.DataFrame(), notes
    result = pd.concat(frames, ignore_index=True)
    result["seq"] = result.groupby(["order", "conflict", "nation"]).cumcount() + 1
    result = result.sort_values(["conflict", "nation", "order", "seq"], kind="stable")
    return result.reset_index(drop=True), notes


def _opt(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _arithmetic(check: Check, row: dict[str, Any]) -> str:
    terms = _terms(check)
    words: list[str] = []
    for i, (side, _, sign) in enumerate(terms):
        if side != "left":
            continue
        text = str(row[f"value_text_{i}"])
        if not words:
            words.append(text if sign > 0 else f"- {text}")
        else:
            words.append(f"{'+' if sign > 0 else '-'} {text}")
    computed = interval_text(_opt(row["computed_low"]), _opt(row["computed_high"]))
    best = int(row["computed_best"])
    left = " ".join(words)
    if len(words) > 1 or computed != f"{best:,}":
        left += f" = {best:,}"
        if computed != f"{best:,}":
            left += f" ({computed})"
    right_texts = [str(row[f"value_text_{i}"]) for i, (side, _, _) in enumerate(terms)
                   if side == "right"]
    right = " + ".join(right_texts)
    if len(right_texts) > 1:
        right += f" = {int(row['stated_best']):,}"
    text = f"{left} vs {right}"
    if check.relation != "==":
        # For an inequality the slack is the finding: how many are left over or missing.
        text += "; right - left = " + interval_text(_opt(row["difference_low"]),
                                                     _opt(row["difference_high"]))
    gap = int(row["date_gap_days"] or 0)
    if gap:
        dates = dict.fromkeys(str(row[f"as_of_{i}"]) for i in range(len(terms)))
        text += f"; as of {', '.join(dates)}, {gap:,} days apart"
    return text


#: Interval fields of CheckResult -> the check frame's column prefix; in the columns of
#: check_columns an interval field holds (lows, highs).
CHECK_INTERVALS = {"computed": "computed", "computed_with_tolerance": "computed_tol",
                   "stated": "stated", "stated_with_tolerance": "stated_tol",
                   "difference": "difference"}
CHECK_FIELDS = tuple(CheckResult.model_fields)


def _texts(column: pd.Series) -> list[str | None]:
    return [None if v is None else str(v) for v in objects(column)]


def check_columns(catalog: Catalog, frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The rows of check_frame as CheckResult fields, a list per field, no models.

    The one place a row of the frame becomes a check's facts: the models
    (check_results), the reconcile output and the export all read these columns.
    """
    columns: dict[str, list[Any]] = {name: [] for name in CHECK_FIELDS}
    if frame.empty:
        for name in CHECK_INTERVALS:
            columns[name] = [[], []]
        return columns
    n = len(frame)
    width = max(len(_terms(check)) for check in catalog.checks)
    cells = {name: _texts(frame[name]) if name in frame else [None] * n
             for i in range(width) for name in (f"id_{i}", f"as_of_{i}", f"value_text_{i}")}
    numbers = {f"{side}_{end}": ints(frame[f"{side}_{end}"])
               for side in CHECK_INTERVALS.values() for end in ("low", "high")}
    for name in ("computed_best", "stated_best", "difference_best", "deviation", "seq",
                 "date_gap_days"):
        numbers[name] = ints(frame[name])
    percent = floats(frame["deviation_pct"]).tolist()
    names, conflicts = _texts(frame["name"]), _texts(frame["conflict"])
    nations, verdicts = _texts(frame["nation"]), _texts(frame["verdict"])
    checks = {check.name: (check, _terms(check)) for check in catalog.checks}
    arithmetic_keys = ("computed_low", "computed_high", "computed_best", "stated_best",
                       "difference_low", "difference_high")
    for row in range(n):
        check, terms = checks[str(names[row])]
        ids = [cells[f"id_{i}"][row] for i in range(len(terms))]
        left = [fid for fid, term in zip(ids, terms, strict=True) if term[0] == "left"]
        right = [fid for fid, term in zip(ids, terms, strict=True) if term[0] == "right"]
        facts: dict[str, Any] = {key: numbers[key][row] for key in arithmetic_keys}
        # The arithmetic shows the intervals the verdict is judged on.
        facts["computed_low"] = numbers["computed_tol_low"][row]
        facts["computed_high"] = numbers["computed_tol_high"][row]
        facts["date_gap_days"] = numbers["date_gap_days"][row]
        facts.update({f"as_of_{i}": cells[f"as_of_{i}"][row] for i in range(len(terms))})
        facts.update({f"value_text_{i}": cells[f"value_text_{i}"][row]
                      for i in range(len(terms))})
        columns["key"].append(f"{check.name}/{conflicts[row]}/{nations[row]}/"
                              f"{numbers['seq'][row]}")
        columns["name"].append(check.name)
        columns["relation"].append(check.relation)
        columns["rationale"].append(check.rationale)
        columns["left"].append(list(check.left))
        columns["right"].append(list(check.right))
        columns["left_figures"].append(left)
        columns["right_figures"].append(right)
        columns["figure_ids"].append(left + right)
        columns["arithmetic"].append(_arithmetic(check, facts))
        columns["as_of"].append([cells[f"as_of_{i}"][row] for i in range(len(terms))])
    columns["conflict"], columns["nation"], columns["verdict"] = conflicts, nations, verdicts
    for name, prefix in CHECK_INTERVALS.items():
        columns[name] = [numbers[f"{prefix}_low"], numbers[f"{prefix}_high"]]
    for name in ("computed_best", "stated_best", "difference_best", "deviation",
                 "date_gap_days"):
        columns[name] = numbers[name]
    columns["deviation_pct"] = [None if v != v else v for v in percent]
    return columns


def check_results(catalog: Catalog, frame: pd.DataFrame) -> list[CheckResult]:
    """Models for the rows of check_frame."""
    columns = check_columns(catalog, frame)
    results = []
    for row in range(len(columns["key"])):
        fields = {name: Interval(low=columns[name][0][row], high=columns[name][1][row])
                  if name in CHECK_INTERVALS else columns[name][row] for name in CHECK_FIELDS}
        results.append(CheckResult(**fields))
    return results


def run_checks(catalog: Catalog, conflict: str | None = None) -> list[CheckResult]:
    """Every accounting check on the figures of one conflict (None or 'all': every one)."""
    frame, _ = check_frame(catalog, known_conflict(catalog, conflict))
    return check_results(catalog, frame)


def with_checks(catalog: Catalog, names: Sequence[str]) -> Catalog:
    """The catalog with only the named checks, in the order of data/checks.yaml; no
    names keeps every check. An unknown name is a usage error with a did-you-mean."""
    if not names:
        return catalog
    from dataclasses import replace

    from powcount.errors import UsageProblem
    from powcount.models import suggest

    known = [check.name for check in catalog.checks]
    for name in names:
        if name not in known:
            choices = ("choose one of " + ", ".join(sorted(known)) if known
                       else "data/checks.yaml defines none")
            raise UsageProblem(f"unknown check '{name}'{suggest(name, known)}: {choices}")
    chosen = set(names)
    return replace(catalog, checks=[check for check in catalog.checks if check.name in chosen])
