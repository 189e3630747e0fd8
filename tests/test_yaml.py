"""powcount.catalog.yaml: strict YAML read with lines, written back with comments kept.

The refusals (tags, anchors, aliases, depth, size) are tested in test_security.py and
in the bad-input corpus; this file tests what a reader of the dataset relies on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powcount.catalog.yaml import YamlProblem, dump_yaml, line_of, parse_yaml, read_yaml, to_plain

SOURCES = b"""# the documents
sources:
  - id: crs-2015      # the report
    file: report.txt
    cites: [dpaa]
  - id: other
    file: other.txt
"""


def test_every_key_and_item_has_its_line(tmp_path: Path):
    path = tmp_path / "sources.yaml"
    path.write_bytes(SOURCES)
    node = read_yaml(path, "data/sources.yaml")
    assert line_of(node, "sources") == 2
    assert line_of(node["sources"], 0) == 3
    assert line_of(node["sources"], 1) == 6
    assert line_of(node["sources"][1], "file") == 7
    assert line_of(node["sources"][0], "cites") == 5


def test_a_key_not_there_has_the_line_of_its_mapping_and_plain_values_the_default():
    node = parse_yaml(SOURCES, "x.yaml")
    assert line_of(node, "missing", 9) == 2
    assert line_of(node["sources"][1], "note", 9) == 6
    assert line_of("text", None, 4) == 4
    assert line_of(None) is None


def test_to_plain_gives_dicts_lists_and_str():
    plain = to_plain(parse_yaml(SOURCES, "x.yaml"))
    assert plain == {"sources": [{"id": "crs-2015", "file": "report.txt", "cites": ["dpaa"]},
                                 {"id": "other", "file": "other.txt"}]}
    assert type(plain) is dict and type(plain["sources"]) is list
    assert type(plain["sources"][0]["id"]) is str


def test_dump_keeps_comments_and_key_order():
    node = parse_yaml(SOURCES, "x.yaml")
    node["sources"][1]["file"] = "renamed.txt"
    text = dump_yaml(node)
    assert text.splitlines()[0] == "# the documents"
    assert "  - id: crs-2015      # the report" in text.splitlines()
    assert "    file: renamed.txt" in text.splitlines()


def test_a_problem_names_the_file_as_shown(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_bytes(b"sources:\n  - id: [unclosed\n")
    with pytest.raises(YamlProblem) as raised:
        read_yaml(path, "data/broken.yaml")
    assert raised.value.problem.path == "data/broken.yaml"
    assert raised.value.problem.kind == "yaml-syntax"
    assert str(raised.value).startswith("data/broken.yaml:")


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path: Path):
    with pytest.raises(YamlProblem) as raised:
        read_yaml(tmp_path / "absent.yaml", "data/absent.yaml")
    assert str(raised.value) == "data/absent.yaml: cannot read: No such file or directory"


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
plain_data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9), texts),
    lambda inner: st.one_of(st.lists(inner, min_size=1, max_size=4),
                            st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
                                            inner, min_size=1, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), plain_data,
                       min_size=1, max_size=4))
def test_what_is_dumped_reads_back_the_same(data):
    assert to_plain(parse_yaml(dump_yaml(data).encode("utf-8"), "x.yaml")) == data


@pytest.mark.parametrize(("raw", "kind", "line"), [
    (b"", "file-empty", "x.yaml: file is empty: add its content or delete it"),
    (b"# only a comment\n\n", "file-empty", "x.yaml: file is empty: add its content or delete it"),
    (b"a: 1\n\tb: 2\n", "yaml-refused", "x.yaml:2: tab used for indentation: indent with spaces"),
    (b"a: 1\nb: caf\xe9\n", "not-utf-8", "x.yaml:2: not UTF-8 (byte 0xe9): save as UTF-8"),
    (b"a: 1\x00", "binary-file", "x.yaml: binary file, not YAML text: replace it with the YAML "
                                 "file or remove it"),
    (b"a: &x 1\nb: *x\n", "yaml-refused", "x.yaml:1: YAML anchors (&name) are not allowed in "
                                          "data files: remove it"),
    (b"a: !!str 1\n", "yaml-refused", "x.yaml:1: YAML tag '!!str' is not allowed in data "
                                      "files: remove it and write the plain value"),
])  # fmt: skip
def test_each_refusal_is_a_problem_of_its_own_kind(raw: bytes, kind: str, line: str):
    with pytest.raises(YamlProblem) as raised:
        parse_yaml(raw, "x.yaml")
    assert (raised.value.problem.kind, str(raised.value)) == (kind, line)


def test_a_key_written_twice_names_the_key_and_its_line():
    with pytest.raises(YamlProblem) as raised:
        parse_yaml(b"sources:\n  - id: a\n    id: b\n", "x.yaml")
    assert raised.value.problem.kind == "duplicate-key"
    assert str(raised.value).startswith("x.yaml:3: ")
    assert str(raised.value).endswith("key 'id' appears twice in one mapping: keep one of them")


def test_a_byte_order_mark_is_not_part_of_the_first_key():
    assert to_plain(parse_yaml(b"\xef\xbb\xbfsources: []\n", "x.yaml")) == {"sources": []}


def test_a_date_the_calendar_has_no_day_for_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("source: x\nfigures:\n  - id: a\n    as_of: 1954-02-28\n"
                    "  - id: b\n    as_of: 1954-02-31\n", encoding="utf-8")
    with pytest.raises(YamlProblem) as refused:
        read_yaml(path, "data/figures/x.yaml")
    assert str(refused.value.problem) == (
        "data/figures/x.yaml:6: '1954-02-31' is not a date: day is out of range for month: "
        "correct it")
