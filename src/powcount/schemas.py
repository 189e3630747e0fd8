"""JSON Schemas of the data files, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from powcount.models import ChecksFile, FiguresFile, Settings, SourcesFile, VocabularyFile


def data_schemas() -> dict[str, Any]:
    return {
        "vocabulary": VocabularyFile.model_json_schema(),
        "sources": SourcesFile.model_json_schema(),
        "figures": FiguresFile.model_json_schema(),
        "settings": Settings.model_json_schema(),
        "checks": ChecksFile.model_json_schema(),
    }
