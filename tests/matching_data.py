"""Sources added to a copy of the bundled dataset: a document, its entry, its figures."""

from __future__ import annotations

import hashlib
from pathlib import Path


def add_source(root: Path, source_id: str, document: str, figures: str,
               extra: str = "", reliability: str = "B", published: str = "2016-12") -> None:
    """Write seeds/<id>.txt, list it in sources.yaml and write its figures file.

    ``figures`` is the YAML list of figures (indented two spaces, '- id: ...').
    """
    path = root / "seeds" / f"{source_id}.txt"
    path.write_text(document, encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + f"""
  - id: {source_id}
    file: {source_id}.txt
    title: A test document, {source_id}
    published: {published}
    kind: government_report
    reliability: {reliability}
    reliability_reason: A test document.
    sha256: {digest}
{extra}""", encoding="utf-8")
    (root / "data" / "figures" / f"{source_id}.yaml").write_text(
        f"source: {source_id}\nfigures:\n{figures}", encoding="utf-8")


def figure(fid: str, quantity: str, value_text: str, quote: str, as_of: str,
           extra: str = "") -> str:
    return f"""  - id: {fid}
    quantity: {quantity}
    conflict: korea
    nation: us
    value_text: "{value_text}"
    quote: "{quote}"
    as_of: {as_of}
    credibility: 2
{extra}"""
