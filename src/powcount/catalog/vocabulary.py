"""The vocabulary alone, for a command that needs the dataset's codes and nothing else.

``add-source`` checks its codes against it without requiring the rest of the dataset
to be valid. A problem is placed at the line of the field it is about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from powcount.errors import DataError, Problem
from powcount.models import VocabularyFile

if TYPE_CHECKING:
    from powcount.catalog.load import DataRoot


def read_vocabulary(root: DataRoot, needed_for: str) -> VocabularyFile:
    """data/vocabulary.yaml, validated; ``needed_for`` says, when it is missing, why it is
    needed ("to check --originator")."""
    from pydantic import ValidationError

    from powcount.catalog.yaml import YamlProblem, line_of, read_yaml, to_plain

    path = root.data / "vocabulary.yaml"
    shown = root.shown(path)
    if not path.is_file():
        raise DataError([Problem(shown, None, "", f"missing: the dataset's codes are needed "
                                 f"{needed_for}; give --data a dataset that has one")])
    try:
        node = read_yaml(path, shown)
    except YamlProblem as error:
        raise DataError([error.problem]) from None
    try:
        return VocabularyFile.model_validate(to_plain(node))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            place = item["loc"]
            key = place[0] if place and isinstance(place[0], str) else None
            name = ".".join(str(part) for part in place) or "value"
            problems.append(Problem(shown, line_of(node, key) if key else None, "vocabulary",
                                    f"field '{name}': {item['msg']}: fix it (powcount "
                                    "validate lists every problem)"))
        raise DataError(problems) from None
