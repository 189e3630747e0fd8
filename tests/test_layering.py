"""The catalog package reads the dataset below everything else: its imports point down.

Imports are read from the source (every import statement, at the top of a module or
inside a function), so a lazy import counts as much as an eager one.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
CATALOG = SRC / "powcount" / "catalog"
#: Modules above the catalog: they read a catalog, the catalog never reads them.
ABOVE = ("powcount.cli", "powcount.reconcile", "powcount.reconcile_output", "powcount.checks",
         "powcount.series", "powcount.export", "powcount.listing", "powcount.render",
         "powcount.report", "powcount.extract", "powcount.sources_edit", "powcount.datapackage")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}")
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("powcount")}


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in (SRC / "powcount").rglob("*.py")}
    return {name: {i for i in _imports(path) if i in modules and i != name}
            for name, path in modules.items()}


@pytest.mark.parametrize("path", sorted(CATALOG.glob("*.py")), ids=lambda p: p.name)
def test_the_catalog_imports_nothing_above_it(path):
    above = sorted(i for i in _imports(path) if i.startswith(ABOVE))
    assert above == []


def test_no_module_of_the_catalog_is_part_of_an_import_cycle():
    graph = _graph()
    # The package's own re-exports are resolved on first use, not at import.
    graph["powcount.catalog"] = set()
    for start in (m for m in graph if m.startswith("powcount.catalog")):
        seen, stack = set(), list(graph[start])
        while stack:
            name = stack.pop()
            assert name != start, f"{start} imports itself through {sorted(seen)}"
            if name not in seen:
                seen.add(name)
                stack.extend(graph.get(name, ()))


@pytest.mark.parametrize("module", ["powcount.catalog.rules", "powcount.catalog.yaml",
                                    "powcount.catalog.problems", "powcount.models"])
def test_the_low_modules_load_without_pandas(module):
    probe = (f"import json, sys, {module}; "
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    loaded = set(json.loads(done.stdout))
    assert sorted(loaded & {"pandas", "numpy", "pyarrow"}) == []
