"""Frictionless Data Package descriptors, written by powcount itself.

Each exported table is a resource: a CSV file and a Table Schema whose fields
come from the pydantic model of its rows (names, types, descriptions, which
fields are required), so the schema never drifts from what is written. The
descriptor records each file's size and sha256, so a reader can tell whether a
file was changed after export.

https://specs.frictionlessdata.io/data-package/ and .../table-schema/
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

#: JSON Schema types -> Table Schema types. Lists and objects are written as JSON text.
_TYPES = {
    "integer": "integer",
    "number": "number",
    "string": "string",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}

#: How a CSV cell that holds nothing is written; Table Schema's default missing value.
MISSING_VALUES = ("",)


@dataclass(frozen=True)
class Column:
    """One field of a Table Schema."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()

    def descriptor(self) -> dict[str, Any]:
        described: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            described["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``fields`` in this table are ``reference_fields`` of ``resource``."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]

    def descriptor(self) -> dict[str, Any]:
        return {
            "fields": list(self.fields),
            "reference": {"resource": self.resource, "fields": list(self.reference_fields)},
        }


@dataclass(frozen=True)
class TableSpec:
    """A table's schema: columns, primary key, foreign keys."""

    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [c.descriptor() for c in self.columns],
            "missingValues": list(MISSING_VALUES),
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [k.descriptor() for k in self.foreign_keys]
        return schema


def _resolve(prop: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    reference = prop.get("$ref")
    if isinstance(reference, str):
        return dict(definitions.get(reference.rsplit("/", 1)[-1], {}))
    return prop


def model_columns(
    model: type[BaseModel],
    names: Sequence[str] | None = None,
    descriptions: Mapping[str, str] | None = None,
) -> tuple[Column, ...]:
    """Table Schema columns from a pydantic model's JSON Schema.

    ``names`` picks and orders the fields (default: all, in model order);
    ``descriptions`` fills in fields whose model gives no description.
    """
    schema = model.model_json_schema(mode="serialization")
    definitions = schema.get("$defs", {})
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    extra = descriptions or {}
    columns = []
    for name in names or list(properties):
        if name not in properties:
            raise KeyError(f"{model.__name__} has no field {name!r}")
        prop = _resolve(properties[name], definitions)
        options = [_resolve(p, definitions) for p in prop.get("anyOf", [prop])]
        nullable = any(o.get("type") == "null" for o in options)
        concrete = [o for o in options if o.get("type") != "null"]
        kinds = {o.get("type", "object") for o in concrete} or {"string"}
        kind = _TYPES.get(kinds.pop(), "any") if len(kinds) == 1 else "any"
        enum = tuple(str(v) for o in concrete for v in o.get("enum", ()))
        # The field's own description; a referenced class's docstring describes a type.
        description = properties[name].get("description") or extra.get(name, "")
        columns.append(Column(
            name=name,
            type=kind,
            description=description,
            required=name in required and not nullable,
            enum=enum,
        ))
    return tuple(columns)


@dataclass(frozen=True)
class Resource:
    """A CSV file of the package with its schema."""

    name: str
    title: str
    description: str
    spec: TableSpec
    data: bytes = field(repr=False)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def descriptor(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "title": self.title,
            "description": self.description,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True,
                        "header": True, "lineTerminator": "\n"},
            "bytes": len(self.data),
            "hash": "sha256:" + hashlib.sha256(self.data).hexdigest(),
            "schema": self.spec.descriptor(),
        }


def package_descriptor(
    name: str, title: str, description: str, resources: Sequence[Resource],
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``datapackage.json`` content: no dates, so the same data gives the same bytes."""
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
    }
    descriptor.update(extra or {})
    descriptor["resources"] = [r.descriptor() for r in resources]
    return descriptor
