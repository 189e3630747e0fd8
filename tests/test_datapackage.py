"""The Frictionless Data Package powcount writes: valid, typed, keyed and hashed."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path

import pytest
from frictionless import validate
from pydantic import BaseModel, Field

from powcount.datapackage import Column, model_columns

RESOURCES = ["sources", "figures", "groups", "series", "checks"]


@pytest.fixture
def package(run, dataset, tmp_path) -> Path:
    out = tmp_path / "package"
    result = run(["export", "--format", "datapackage", "--output", str(out)], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote 6 files to {out}\n"
    return out


def errors_of(descriptor: Path) -> list[list[object]]:
    report = validate(str(descriptor))
    return report.flatten(["taskNumber", "rowNumber", "fieldName", "type"])


def test_the_data_package_validates_with_frictionless(package):
    report = validate(str(package / "datapackage.json"))
    assert report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "message"]) == []
    assert report.valid
    assert [task.name for task in report.tasks] == RESOURCES
    assert [task.stats["rows"] for task in report.tasks] == [16, 63, 56, 6, 23]


def test_every_resource_has_a_schema_matching_its_file(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert [r["name"] for r in descriptor["resources"]] == RESOURCES
    for resource in descriptor["resources"]:
        data = (package / resource["path"]).read_bytes()
        header = data.decode("utf-8").splitlines()[0].split(",")
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert all(f.get("description") for f in resource["schema"]["fields"]), resource["name"]
    keys = {r["name"]: (r["schema"].get("primaryKey"), r["schema"].get("foreignKeys", []))
            for r in descriptor["resources"]}
    assert keys["figures"] == (["id"], [{"fields": ["source"], "reference": {
        "resource": "sources", "fields": ["id"]}}])
    assert keys["series"][0] == ["series", "position"]
    assert [k["fields"] for k in keys["groups"][1]] == [
        ["conservative_figure"], ["preferred_figure"], ["preferred_source"]]


def test_every_table_schema_matches_its_golden_file(package, golden):
    """Each column's name, type and description: the models' field documentation."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert list(schemas) == RESOURCES
    golden("datapackage/schemas.json", json.dumps(schemas, indent=2) + "\n")


def test_a_changed_file_fails_its_hash(package):
    sources = package / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace("Korean War POW/MIAs",
                                                                   "Korean War POW/MIA!"),
                       encoding="utf-8")
    assert errors_of(package / "datapackage.json") == [[1, None, None, "hash-count"]]


def test_a_figure_naming_an_unknown_source_breaks_the_foreign_key(package):
    figures = package / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    changed = text.replace("\ncrs-2015-believed-china,crs-2015,", "\ncrs-2015-believed-china,"
                           "crs-2016,", 1)
    assert changed != text
    figures.write_text(changed, encoding="utf-8")
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = descriptor["resources"][1]
    data = figures.read_bytes()
    resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    errors = errors_of(descriptor_path)
    assert [e[0] for e in errors] == [2] and [e[3] for e in errors] == ["foreign-key"]


class _Colour(StrEnum):
    red = "red"
    blue = "blue"


class _Row(BaseModel):
    id: str = Field(description="The id.")
    count: int
    share: float | None = None
    tags: list[str]
    colour: _Colour
    flag: bool = False


def test_columns_come_from_the_model_fields():
    columns = model_columns(_Row, descriptions={"count": "How many."})
    assert columns == (
        Column("id", "string", "The id.", required=True),
        Column("count", "integer", "How many.", required=True),
        Column("share", "number", "", required=False),
        Column("tags", "array", "", required=True),
        Column("colour", "string", "", required=True, enum=("red", "blue")),
        Column("flag", "boolean", "", required=False),
    )
    assert columns[4].descriptor() == {"name": "colour", "type": "string", "constraints": {
        "required": True, "enum": ["red", "blue"]}}
    with pytest.raises(KeyError):
        model_columns(_Row, names=["nope"])
