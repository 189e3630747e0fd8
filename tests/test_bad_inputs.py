"""The bad-input corpus: every case in tests/bad_inputs/ through the real CLI.

A case is a folder holding only what differs from the minimal valid dataset in
tests/bad_inputs/_base/ (files under data/, seeds/ or outside/), a ``case.yaml``
saying what to run and the exit code, and ``expected.txt`` with the exact stderr
lines. Each case runs on a copy in tmp_path; the test asserts the lines, the
exit code, that no traceback leaks, and that not one byte of the tree changed
(so a refused output path is left absent or as it was).

``case.yaml`` keys:
  about     one line: the problem the case holds
  args      command-line arguments; ``{root}`` is the dataset copy
  data      what --data gets (default ``{root}``); null leaves --data out
  exit      the expected exit code
  remove    files of the base to delete
  symlinks  link path -> target, made in the copy (git and sdists keep no links)
  generate  path -> {line: text, times: n}: a file too large to keep in git
  fifos     paths of named pipes to make in the copy (nothing ever writes to them)
  stdout    the exact standard output, when it matters (default: not checked)

`pytest --update-golden` rewrites every expected.txt from the actual stderr.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from powcount.cli import cli
from powcount.errors import ExitCode

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
BASE = CORPUS / "_base"
CASE_FILES = {"case.yaml", "expected.txt"}


def case_names() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def read_case(name: str) -> dict[str, Any]:
    spec = YAML(typ="safe", pure=True).load((CORPUS / name / "case.yaml").read_text("utf-8"))
    assert isinstance(spec, dict), f"{name}/case.yaml: expected a mapping"
    unknown = set(spec) - {"about", "args", "data", "exit", "remove", "symlinks", "generate",
                           "stdout", "fifos"}
    assert not unknown, f"{name}/case.yaml: unknown keys {sorted(unknown)}"
    return spec


def build_case(name: str, spec: dict[str, Any], tmp_path: Path) -> Path:
    """The base dataset with the case laid over it, under tmp_path/project."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("not for powcount\n", encoding="utf-8")
    for relative in spec.get("remove", []):
        target = root / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    case = CORPUS / name
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case)
        if path.is_dir() or relative.as_posix() in CASE_FILES:
            continue
        top = tmp_path if relative.parts[0] == "outside" else root
        destination = top / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    for link, target in spec.get("symlinks", {}).items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)
    for relative in spec.get("fifos", []):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / relative)
    for relative, how in spec.get("generate", {}).items():
        line = how["line"].encode("utf-8")
        (root / relative).write_bytes(line * int(how["times"]))
    return root


def snapshot(top: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Every entry under top: kind, content (bytes or link target) and permission bits."""
    entries: dict[str, tuple[str, bytes | str, int]] = {}
    for path in sorted(top.rglob("*")):
        mode = path.lstat().st_mode & 0o7777
        key = path.relative_to(top).as_posix()
        if path.is_symlink():
            entries[key] = ("link", os.readlink(path), mode)
        elif path.is_dir():
            entries[key] = ("dir", b"", mode)
        elif stat.S_ISFIFO(path.lstat().st_mode):
            entries[key] = ("fifo", b"", mode)  # reading it would wait for a writer
        else:
            entries[key] = ("file", path.read_bytes(), mode)
    return entries


#: Seconds a case may take; far more than any needs on a busy machine.
CASE_SECONDS = 300


class CaseHung(BaseException):
    """Raised by the alarm; a BaseException, so no handler in powcount turns it into a line."""


def _hung(signum: int, frame: object) -> None:
    raise CaseHung(f"still running after {CASE_SECONDS} s")


def substitute(value: str, root: Path) -> str:
    return value.replace("{root}", str(root))


@pytest.mark.parametrize("name", case_names())
def test_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              request: pytest.FixtureRequest) -> None:
    monkeypatch.delenv("POWCOUNT_DATA", raising=False)
    monkeypatch.delenv("POWCOUNT_DEBUG", raising=False)
    spec = read_case(name)
    root = build_case(name, spec, tmp_path)
    data = spec.get("data", "{root}")
    args = ([] if data is None else ["--data", substitute(data, root)]) + [
        substitute(str(a), root) for a in spec["args"]
    ]
    before = snapshot(tmp_path)

    # A case that hangs (a FIFO opened for reading waits for a writer) fails instead.
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(CASE_SECONDS)
    try:
        result = CliRunner().invoke(cli, args, prog_name="powcount", catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)

    stderr = result.stderr.replace(str(root), "{root}")
    expected_path = CORPUS / name / "expected.txt"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(stderr, encoding="utf-8")
    assert stderr.splitlines() == expected_path.read_text("utf-8").splitlines()
    assert result.exit_code == spec["exit"], stderr
    assert result.exit_code != ExitCode.INTERNAL
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output + result.stderr
    if "stdout" in spec:
        assert result.stdout == substitute(spec["stdout"], root)
    assert snapshot(tmp_path) == before


def test_corpus_is_large_and_every_case_is_complete() -> None:
    names = case_names()
    assert len(names) >= 40
    for name in names:
        spec = read_case(name)
        assert spec.get("about"), f"{name}: say in 'about' what the case holds"
        assert spec["exit"] in {int(code) for code in ExitCode}, name
        assert (CORPUS / name / "expected.txt").is_file(), name


def test_every_problem_line_has_a_place_and_a_fix() -> None:
    """Data problems read 'path[:line]: [subject: ]what: how to fix'."""
    for name in case_names():
        spec = read_case(name)
        if spec["exit"] != ExitCode.INVALID_DATA:
            continue
        for line in (CORPUS / name / "expected.txt").read_text("utf-8").splitlines():
            place, _, rest = line.partition(": ")
            assert place.startswith(("data/", "seeds/")), (name, line)
            assert ": " in rest, (name, line)


def test_the_base_dataset_is_valid(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    result = CliRunner().invoke(cli, ["--data", str(root), "validate"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "valid: 1 sources, 3 figures, 3 quantities, 1 conflicts; "
        "every quote found in its document\n"
    )


def test_the_documented_exit_code_table_is_exit_code() -> None:
    readme = (Path(__file__).resolve().parent.parent / "docs" / "errors.md").read_text("utf-8")
    section = readme.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| `([A-Z_]+)` \| (.+) \|$", section, flags=re.MULTILINE)
    assert {name: int(code) for code, name, _ in rows} == {
        member.name: member.value for member in ExitCode
    }
    assert [int(code) for code, _, _ in rows] == sorted(member.value for member in ExitCode)


def test_the_documented_example_message_is_real(tmp_path: Path) -> None:
    """The message shown under 'Errors and safety' is what powcount prints."""
    readme = (Path(__file__).resolve().parent.parent / "docs" / "errors.md").read_text("utf-8")
    section = readme.split("\n## Errors and safety\n", 1)[1]
    example = section.split("```\n", 2)[1].strip()
    project = Path(__file__).resolve().parent.parent
    root = tmp_path / "project"
    shutil.copytree(project / "data", root / "data")
    shutil.copytree(project / "seeds", root / "seeds")
    figures = root / "data" / "figures" / "crs-2015.yaml"
    text = figures.read_text("utf-8")
    start = text.index("id: crs-2015-believed-north-korea")
    at = text.index("nation: us\n", start)
    figures.write_text(text[:at] + "nation: usa\n" + text[at + len("nation: us\n"):], "utf-8")
    result = CliRunner().invoke(cli, ["--data", str(root), "validate"])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.stderr.splitlines() == [example]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_exits_5_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "figures.csv").write_text("earlier\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, ["--data", str(root), "figures", "--format", "csv",
                                          "-o", str(folder / "figures.csv")])
        assert result.exit_code == ExitCode.OUTPUT_FAILED
        assert result.stderr.splitlines() == [
            f"powcount: {folder / 'figures.csv'}: cannot write: Permission denied"
        ]
        assert sorted(p.name for p in folder.iterdir()) == ["figures.csv"]
        assert (folder / "figures.csv").read_text("utf-8") == "earlier\n"
    finally:
        folder.chmod(0o755)
