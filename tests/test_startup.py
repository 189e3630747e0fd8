"""Start-up: `powcount --help` and `--version` import neither pandas nor pydantic.

Each case runs in a fresh interpreter, so modules imported by other tests do not count;
what is asserted is the set of modules loaded, not a time.
"""

from __future__ import annotations

import json
import os
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


def _help_lines(columns: str) -> list[str]:
    env = {**os.environ, "COLUMNS": columns}
    done = subprocess.run([sys.executable, "-m", "powcount", "--help"], capture_output=True,
                          text=True, check=True, env=env)
    return done.stdout.splitlines()


@pytest.mark.parametrize(("columns", "widest"), [("60", 58), ("200", 78), ("30", 50)])
def test_help_is_laid_out_to_the_terminal_width_as_click_would(columns, widest):
    """COLUMNS less 2, at most 78 (Click's default) and at least 50; without shutil."""
    lines = _help_lines(columns)
    assert max(len(line) for line in lines) <= widest
    assert max(len(line) for line in lines) > widest - 12


def test_help_lays_itself_out_without_importing_shutil():
    _, modules = _loaded("--help")
    assert "shutil" not in modules


def test_the_entry_point_leaves_no_work_for_the_last_collection(tmp_path):
    """main() freezes the objects a command leaves, so the exit walks none of them."""
    probe = ("import gc, sys\nfrom powcount.cli import main\nsys.argv = ['powcount', "
             "'--version']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(gc.get_freeze_count() > 0)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "True"
