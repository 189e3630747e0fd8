"""Safe YAML reading with line numbers, and comment-keeping writing.

Data files are edited by hand and may come from anywhere, so reading is strict:
no tags (``!!python/object`` constructs nothing here), no anchors or aliases
(billion-laughs bombs cannot expand), a size limit, UTF-8 only. Every failure
becomes a Problem naming the file and line.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powcount.catalog import problems as kinds
from powcount.errors import Problem

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.error import MarkedYAMLError

# ruamel.yaml is imported when a file is first read or written, not with this module:
# a command whose validated data comes from the cache (powcount.catalog.cache) never
# parses YAML, and the parser's import is a tenth of its start-up.

#: A hand-curated YAML file larger than this is not a data file (bulk figures go in
#: CSV or Parquet), and the pure-Python parser needs tens of seconds for one this size.
MAX_YAML_BYTES = 2 * 1024 * 1024


class YamlProblem(Exception):
    """Raised with the Problem describing why a YAML file cannot be read."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


#: Data files nest a few levels; deeper is a mistake or an attack on the parser's stack.
MAX_YAML_DEPTH = 40


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@cache
def _strict_composer() -> type[Composer]:
    """The composer class, built on first use (it subclasses ruamel's)."""
    from ruamel.yaml.composer import Composer  # noqa: F811 (the class, not only its type)
    from ruamel.yaml.events import AliasEvent

    class _StrictComposer(Composer):
        """Refuses aliases, anchors, explicit tags and deep nesting while composing.

        Checking here, as each node is composed, costs nothing extra: the file is
        parsed once, and nothing is constructed from a refused node.
        """

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent):
                raise _Refused(line, "YAML aliases (*name) are not allowed in data files: "
                                     "write the value out")
            if event.anchor is not None:
                raise _Refused(line, "YAML anchors (&name) are not allowed in data files: "
                                     "remove it")
            # The parser sets a node's tag only when the text writes one explicitly
            # (!!python/object, !!str, !custom); resolved types leave it None.
            if event.tag is not None:
                raise _Refused(line, f"YAML tag '{_tag_as_written(str(event.tag))}' is not "
                                     "allowed in data files: remove it and write the plain "
                                     "value")
            if self.depth >= MAX_YAML_DEPTH:
                raise _Refused(line, f"nested more than {MAX_YAML_DEPTH} levels deep: a data "
                                     "file needs a few; check the brackets and indentation")
            return super().compose_node(parent, index)

    return _StrictComposer


@cache
def _strict_constructor() -> type[Any]:
    """The constructor class, built on first use: a date the calendar has no day for
    (an unquoted 1954-02-31) is refused at its line, not as a bare ValueError."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class _StrictConstructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError as error:
                raise _Refused(node.start_mark.line + 1,
                               f"'{node.value}' is not a date: {error}: correct it") from None

    _StrictConstructor.add_constructor(_CORE_TAG + "timestamp",
                                       _StrictConstructor.construct_yaml_timestamp)
    return _StrictConstructor


def _strict_yaml() -> YAML:
    yaml = _yaml()
    yaml.Composer = _strict_composer()
    yaml.Constructor = _strict_constructor()
    return yaml


def read_yaml(path: Path, shown: str) -> Any:
    """Load a YAML data file; ``shown`` is the path as messages print it."""
    from powcount.safe_read import FileTooLarge, NotARegularFile, read_bounded

    try:
        raw = read_bounded(path, MAX_YAML_BYTES)
    except FileTooLarge as error:
        raise _too_large(error.described, shown) from None
    except NotARegularFile as error:
        raise YamlProblem(kinds.FILE_REFUSED.at(shown, None, detail=f"{error}, or remove it")
                          ) from None
    except OSError as error:
        raise YamlProblem(kinds.FILE_UNREADABLE.at(shown, None, reason=error.strerror)) from None
    return parse_yaml(raw, shown)


def _too_large(size: str, shown: str) -> YamlProblem:
    return YamlProblem(kinds.FILE_TOO_LARGE.at(shown, None, size=size, limit=MAX_YAML_BYTES))


def parse_yaml(raw: bytes, shown: str) -> Any:
    """Parse a data file's bytes; raise YamlProblem saying where and why it is refused."""
    if len(raw) > MAX_YAML_BYTES:
        raise _too_large(f"{len(raw):,} bytes", shown)
    if b"\x00" in raw:
        raise YamlProblem(kinds.BINARY_FILE.at(
            shown, None, format="YAML", fix="replace it with the YAML file or remove it"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlProblem(kinds.NOT_UTF8.at(shown, line, byte=raw[error.start])) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise YamlProblem(kinds.FILE_EMPTY.at(shown, None, fix="add its content or delete it"))
    for number, text_line in enumerate(text.splitlines(), start=1):
        if text_line.lstrip(" ").startswith("\t"):
            raise YamlProblem(kinds.YAML_REFUSED.at(
                shown, number, detail="tab used for indentation: indent with spaces"))
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return _strict_yaml().load(io.StringIO(text))
    except _Refused as refused:
        problem = kinds.YAML_REFUSED.at(shown, refused.line, detail=refused.message)
        raise YamlProblem(problem) from None
    except YamlProblem:
        raise
    except MarkedYAMLError as error:
        raise YamlProblem(_syntax_problem(error, shown)) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise YamlProblem(kinds.INVALID.at(shown, None, detail=f"invalid YAML: {first}")) from None


_CORE_TAG = "tag:yaml.org,2002:"


def _tag_as_written(tag: str) -> str:
    return "!!" + tag[len(_CORE_TAG):] if tag.startswith(_CORE_TAG) else tag


_DUPLICATE_KEY = re.compile(r'duplicate key "(?P<key>.*?)" with value')


def _syntax_problem(error: MarkedYAMLError, shown: str) -> Problem:
    """A parser error as one line at the place a person should look."""
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    if "end of stream" in problem and error.context_mark is not None:
        # The parser notices at the end of the file; the mistake is where the
        # unfinished construct began.
        line = error.context_mark.line + 1
        if "quoted scalar" in context:
            return kinds.YAML_SYNTAX.at(shown, line, detail="the quoted text starting on this "
                                        "line is never closed: add the closing quote")
        return kinds.YAML_SYNTAX.at(shown, line, detail=f"the file ends {context}: complete or "
                                    "fix the text from this line")
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    duplicate = _DUPLICATE_KEY.search(problem)
    if duplicate:
        return kinds.DUPLICATE_KEY.at(shown, line, key=duplicate["key"])
    what = problem or context or "invalid YAML"
    return kinds.YAML_SYNTAX.at(shown, line, detail=f"{what}: fix the syntax at this line")


def line_of(node: Any, key: Any = None, default: int | None = None) -> int | None:
    """1-based line of a mapping key (or of the node itself) in its file."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    try:
        if key is not None and isinstance(node, CommentedMap) and key in node:
            return int(node.lc.key(key)[0]) + 1
        if key is not None and isinstance(node, CommentedSeq) and isinstance(key, int):
            return int(node.lc.item(key)[0]) + 1
        if isinstance(node, (CommentedMap, CommentedSeq)):
            return int(node.lc.line) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        pass
    return default


def to_plain(node: Any) -> Any:
    """ruamel's comment-carrying containers -> plain dicts and lists for pydantic."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (str, int)) else k: to_plain(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def dump_yaml(data: Any) -> str:
    """Write YAML keeping the comments and key order of round-tripped data."""
    yaml = _yaml()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
