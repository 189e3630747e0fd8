"""JSON: the library's models as they serialise, nothing added."""

from __future__ import annotations

import json

from powcount.render.base import Result


def render(result: Result) -> str:
    return json.dumps(result.payload, indent=2, ensure_ascii=False) + "\n"
