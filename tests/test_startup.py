"""Start-up: `powcount --help` and `--version` import neither pandas nor pydantic.

Each case runs in a fresh interpreter, so modules imported by other tests do not count;
what is asserted is the set of modules loaded, not a time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "pydantic", "numpy", "pyarrow", "ruamel", "matplotlib", "tabulate")

PROBE = """
import json, sys
from powcount.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="powcount")
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "modules": sorted(m.split(".")[0] for m in sys.modules)}))
"""


def _loaded(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["reconcile", "--help"]],
                         ids=["help", "version", "command-help"])
def test_help_and_version_import_no_heavy_module(args):
    code, modules = _loaded(*args)
    assert code == 0
    assert sorted(modules.intersection(HEAVY)) == []


def test_the_probe_sees_heavy_modules_when_a_command_loads_them():
    code, modules = _loaded("sources", "--format", "csv")
    assert code == 0
    assert {"pandas", "pydantic"} <= modules


def test_light_modules_stay_light():
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, powcount, powcount.errors; "
         "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"],
        capture_output=True, text=True, check=True)
    assert sorted(set(json.loads(done.stdout)).intersection(HEAVY)) == []
