"""The import graph of powcount: no cycle anywhere, and no import against the layers.

Imports are read from the source (every import statement, at the top of a module or
inside a function, under ``if TYPE_CHECKING`` too), so a lazy import counts as much as
an eager one. ``from package import name`` is an import of ``package.name`` when that
is a module, else of the package itself.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

#: The layers, lowest first. A module may import from its own layer and those below,
#: never from a layer above. A module belongs to the layer of the longest prefix that
#: names it ("powcount.catalog.rules" before "powcount.catalog"; the bare package name
#: "powcount" names only the package). A module no prefix names fails the test, so a
#: new module is placed by adding it here.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("text and files", (
        "powcount", "powcount.errors", "powcount.safe_text", "powcount.safe_read",
        "powcount.startup", "powcount.tempfiles", "powcount.locking", "powcount.atomic",
        "powcount.documents", "powcount.document_text")),
    ("rules and models", (
        "powcount.numbers", "powcount.intervals", "powcount.periods", "powcount.columns",
        "powcount.catalog.rules", "powcount.catalog.problems", "powcount.models",
        "powcount.schemas", "powcount.render.base")),
    # The figure index (sort keys) is the catalog's own: the loader builds it.
    ("catalog", ("powcount.catalog", "powcount.ordering")),
    ("engine", (
        "powcount.conflicts", "powcount.matching", "powcount.series", "powcount.checks",
        "powcount.provenance", "powcount.reconcile", "powcount.reconciled", "powcount.ledger",
        "powcount.listing",
        "powcount.extract", "powcount.sources_edit")),
    ("output", (
        "powcount.output", "powcount.render", "powcount.reconcile_output", "powcount.export",
        "powcount.datapackage", "powcount.report")),
    ("command line", ("powcount.cli", "powcount.__main__")),
)


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in (SRC / "powcount").rglob("*.py")}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES}


def _graph() -> dict[str, set[str]]:
    return {name: _imports(path) - {name} for name, path in MODULES.items()}


def layer_of(module: str) -> int | None:
    best, best_length = None, -1
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inside = "." in prefix and module.startswith(prefix + ".")
            if (module == prefix or inside) and len(prefix) > best_length:
                best, best_length = rank, len(prefix)
    return best


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_is_read_as_imports_are_written():
    graph = _graph()
    # "from powcount.catalog import problems" imports the module, not the package.
    assert "powcount.catalog.problems" in graph["powcount.catalog.yaml"]
    assert "powcount.catalog" not in graph["powcount.catalog.yaml"]
    # A lazy import inside a function counts.
    assert "powcount.catalog.bulk" in graph["powcount.catalog.load"]


def test_no_module_of_powcount_is_part_of_an_import_cycle():
    assert cycles(_graph()) == []


def test_every_module_has_a_layer():
    assert sorted(m for m in MODULES if layer_of(m) is None) == []


def against_layers(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a module from a layer above its own, as a line."""
    against = []
    for module, imported in sorted(graph.items()):
        rank = layer_of(module)
        for name in sorted(imported):
            other = layer_of(name)
            if rank is not None and other is not None and other > rank:
                against.append(f"{module} ({LAYERS[rank][0]}) imports {name} "
                               f"({LAYERS[other][0]})")
    return against


def test_an_import_up_the_layers_is_found():
    graph = {"powcount.models": {"powcount.cli"}, "powcount.cli": {"powcount.models"}}
    assert against_layers(graph) == [
        "powcount.models (rules and models) imports powcount.cli (command line)"]


def test_no_import_goes_up_the_layers():
    assert against_layers(_graph()) == []


def test_a_layer_is_found_by_its_longest_prefix():
    names = [name for name, _ in LAYERS]
    assert names[layer_of("powcount.catalog.rules")] == "rules and models"  # type: ignore[index]
    assert names[layer_of("powcount.catalog.load")] == "catalog"  # type: ignore[index]
    assert names[layer_of("powcount.render.layout")] == "output"  # type: ignore[index]
    assert layer_of("powcountx") is None
    assert layer_of("powcount.a_new_module") is None


@pytest.mark.parametrize("module", ["powcount.catalog.rules", "powcount.catalog.yaml",
                                    "powcount.catalog.problems", "powcount.models"])
def test_the_low_modules_load_without_pandas(module):
    probe = (f"import json, sys, {module}; "
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    loaded = set(json.loads(done.stdout))
    assert sorted(loaded & {"pandas", "numpy", "pyarrow"}) == []
