"""Rules that every reader of figures states the same way: ids, claimants, bare numbers.

The YAML loader applies them through the pydantic models, a figure at a time; the bulk
loader applies them a column at a time; extraction proposes figures under them. Each
rule is stated here once. The module imports neither pandas nor pydantic, so the
models and extraction can take it without the weight of the loader.
"""

from __future__ import annotations

import re
from collections.abc import Container

from powcount.numbers import MAX_COUNT, Reading

#: An id or a code: lower-case letters, digits, '-' and '_', starting with a letter or digit.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
#: The longest id or code.
MAX_SLUG = 80
#: SLUG_PATTERN with MAX_SLUG in it, for readers that check a whole column by one pattern.
ID_PATTERN = rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_SLUG - 1}}}$"
#: The longest text of a figure's field (a quote, a note).
MAX_TEXT = 10_000

#: A number written with digits alone, grouped by commas or not: '3,198', '8177'.
BARE_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")

#: Claimants named in words rather than by a source id carry this prefix.
NAMED = "named:"


def bare_number(text: str) -> Reading | None:
    """The reading of a bare number ('3,198' is exactly 3,198), or None for any other text.

    It is what ``parse_phrase`` gives for such a phrase, without its normalising and its
    search for qualifiers: bare numbers are most of the phrases in a dataset.
    """
    # The length check first: int() refuses more than 4,300 digits with ValueError.
    if len(text) > len(f"{MAX_COUNT:,}") or not BARE_NUMBER.fullmatch(text):
        return None
    value = int(text.replace(",", ""))
    if value > MAX_COUNT:
        return None
    return Reading("exact", value, value, value, value, value)


def claimant(attributed_to: str, sources: Container[str]) -> str:
    """Who a figure is attributed to, as the engine compares claimants.

    A source id stands for itself; any other name is compared in lower case with its
    spaces collapsed, so 'U.S.  Army' and 'u.s. army' are one claimant.
    """
    if attributed_to in sources:
        return attributed_to
    return NAMED + " ".join(attributed_to.lower().split())
