"""Interval arithmetic on counts: ``[low, high]`` with ``None`` for an open side.

A figure's interval is what its words allow ("over 7,800" is 7,801 to open).
Sums and differences of intervals bound every sum or difference of values drawn
from them, so an accounting check can ask whether a relation *can* hold. An open
side stays ``None`` through every operation; no float infinity ever appears.
The best point of a figure is carried separately, as a plain int.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Interval(BaseModel):
    """Closed integer interval; ``low``/``high`` None means open below/above."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    low: int | None = Field(description="Lowest count allowed; null when open below.")
    high: int | None = Field(description="Highest count allowed; null when open above.")

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"interval low {self.low} is above high {self.high}")
        return self

    @classmethod
    def exact(cls, value: int) -> Interval:
        return cls(low=value, high=value)

    @classmethod
    def of(cls, low: int | None, high: int | None) -> Interval:
        return cls(low=low, high=high)

    def __add__(self, other: Interval) -> Interval:
        return Interval(low=_add(self.low, other.low), high=_add(self.high, other.high))

    def __neg__(self) -> Interval:
        return Interval(low=_neg(self.high), high=_neg(self.low))

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def intersect(self, other: Interval) -> Interval | None:
        """The common part, or None when the intervals are disjoint."""
        low = _tighter(max, self.low, other.low)
        high = _tighter(min, self.high, other.high)
        if low is not None and high is not None and low > high:
            return None
        return Interval(low=low, high=high)

    def overlaps(self, other: Interval) -> bool:
        return self.intersect(other) is not None

    def contains(self, value: int) -> bool:
        return (self.low is None or self.low <= value) and (self.high is None or value <= self.high)

    def contains_interval(self, other: Interval) -> bool:
        """True when every value of ``other`` lies in this interval."""
        low_ok = self.low is None or (other.low is not None and self.low <= other.low)
        high_ok = self.high is None or (other.high is not None and other.high <= self.high)
        return low_ok and high_ok

    def gap_to(self, other: Interval) -> int:
        """Distance between two intervals: 0 when they overlap."""
        if self.high is not None and other.low is not None and self.high < other.low:
            return other.low - self.high
        if other.high is not None and self.low is not None and other.high < self.low:
            return self.low - other.high
        return 0

    @property
    def is_exact(self) -> bool:
        return self.low is not None and self.low == self.high

    def text(self) -> str:
        """'7,290..8,910', '7,801..open', '3,198'."""
        return interval_text(self.low, self.high)


def interval_text(low: int | None, high: int | None) -> str:
    """How an interval reads in notes and arithmetic: the one place it is spelt."""
    if low is not None and low == high:
        return f"{low:,}"
    left = "open" if low is None else f"{low:,}"
    right = "open" if high is None else f"{high:,}"
    return f"{left}..{right}"


def total(intervals: Iterable[Interval]) -> Interval:
    """Sum of intervals; the empty sum is exactly 0."""
    result = Interval.exact(0)
    for interval in intervals:
        result = result + interval
    return result


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _neg(a: int | None) -> int | None:
    return None if a is None else -a


def _tighter(pick: Callable[[int, int], int], a: int | None, b: int | None) -> int | None:
    """The tighter of two bounds of one side (``pick``: max for lows, min for highs); an
    open side (None) gives way to any bound."""
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)
