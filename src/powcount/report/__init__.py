"""Reports: a dossier per conflict, as one self-contained HTML page or as markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from powcount.catalog import Catalog

REPORT_FORMATS = ("html", "markdown")


def build_report(catalog: Catalog, scope: str, fmt: str) -> str:
    """The report of one conflict (or 'all') in one format."""
    from powcount.report.dossier import build_dossier

    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    dossier = build_dossier(catalog, scope)
    if fmt == "html":
        from powcount.report.html import render_html

        return render_html(dossier)
    from powcount.report.markdown import render_markdown

    return render_markdown(dossier)
