"""Which conflicts a command covers: None and 'all' mean every one.

Its own module so that the reconciliation and the checks both read it without
importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from powcount.errors import UsageProblem
from powcount.models import suggest

if TYPE_CHECKING:
    from powcount.catalog import Catalog


def known_conflict(catalog: Catalog, conflict: str | None) -> str | None:
    """None and 'all' mean every conflict; anything else must be in the vocabulary."""
    if conflict is None or conflict == "all":
        return None
    known = catalog.vocabulary.conflicts
    if conflict not in known:
        raise UsageProblem(
            f"unknown conflict '{conflict}'{suggest(conflict, known)}: choose one of "
            + ", ".join(sorted(known)) + ", or all"
        )
    return conflict


def covered_conflicts(catalog: Catalog, conflict: str | None) -> list[str]:
    return [conflict] if conflict else sorted(catalog.vocabulary.conflicts)
