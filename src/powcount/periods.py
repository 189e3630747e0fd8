"""``as_of`` values: a year, a month, a day, or a period between two of them.

Written as ISO 8601 text: ``1951``, ``2015-10``, ``2018-07-28``, ``1990/1994``,
``1953-04/1953-05``. A period sorts by its start; rates per year use midpoints.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

AS_OF_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"
_AS_OF = re.compile(AS_OF_PATTERN)


class PeriodError(ValueError):
    """An as_of text that is not a year, month, day or period."""


def _start(part: str) -> date:
    pieces = [int(p) for p in part.split("-")]
    year, month, day = (pieces + [1, 1])[:3]
    return date(year, month, day)


def _end(part: str) -> date:
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) == 1:
        return date(pieces[0], 12, 31)
    if len(pieces) == 2:
        return date(pieces[0], pieces[1], calendar.monthrange(pieces[0], pieces[1])[1])
    return date(*pieces)


def period_bounds(as_of: str) -> tuple[date, date]:
    """First and last day covered by an as_of text."""
    if not _AS_OF.match(as_of):
        raise PeriodError(
            f"'{as_of}' is not a date: write a year (1951), a month (2015-10), "
            "a day (2018-07-28) or a period (1990/1994)"
        )
    first, _, last = as_of.partition("/")
    try:
        start, end = _start(first), _end(last or first)
    except ValueError as error:
        raise PeriodError(
            f"'{as_of}' is not a real date ({error}): fix the month or the day"
        ) from None
    if end < start:
        raise PeriodError(f"period '{as_of}' ends before it starts: write the earlier date first")
    return start, end


def decimal_year(day: date) -> float:
    """A day as a fractional year, for rates per year."""
    length = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / length


def period_midpoint(as_of: str) -> float:
    """The middle of an as_of period as a fractional year."""
    start, end = period_bounds(as_of)
    return (decimal_year(start) + decimal_year(end) + 1 / 365) / 2


def decimal_years(days: np.ndarray) -> np.ndarray:
    """decimal_year of every day in a datetime64 array, in the same float operations."""
    import numpy as np

    year_start = days.astype("datetime64[Y]")
    year = year_start.astype(np.int64) + 1970
    day_of_year = (days.astype("datetime64[D]") - year_start.astype("datetime64[D]")).astype(
        np.int64)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return year + day_of_year / np.where(leap, 366, 365)


def period_midpoints(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """period_midpoint for many periods at once, from their first and last days."""
    return (decimal_years(starts) + decimal_years(ends) + 1 / 365) / 2
