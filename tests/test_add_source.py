"""powcount add-source, and the walkthrough of a fifth document (docs/extraction.md)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from powcount.catalog.yaml import read_yaml, to_plain

FACT_SHEET = (Path(__file__).resolve().parent / "fixtures" / "extract" / "documents"
              / "dpaa_korea_fact_sheet.txt")
HTML_PAGE = FACT_SHEET.with_name("korean_war_numbers.html")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_a_text_document_is_copied_and_listed(run, dataset: Path) -> None:
    before = (dataset / "data" / "sources.yaml").read_text("utf-8")
    result = run(["add-source", str(FACT_SHEET), "--id", "dpaa-korea-2019", "--title",
                  "Korean War Accounting", "--kind", "government_report", "--published",
                  "2019-03-12", "--publisher", "Defense POW/MIA Accounting Agency"],
                 data=dataset)
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(FACT_SHEET.read_bytes()).hexdigest()
    assert result.stdout == (
        f"added source 'dpaa-korea-2019': seeds/dpaa_korea_fact_sheet.txt, sha256 "
        f"{digest[:12]}..., in data/sources.yaml\n"
        f"next: powcount --data {dataset} extract {dataset}/seeds/dpaa_korea_fact_sheet.txt "
        f"--source dpaa-korea-2019 --format yaml --output "
        f"{dataset}/data/figures/dpaa-korea-2019.yaml\n")
    assert (dataset / "seeds" / FACT_SHEET.name).read_bytes() == FACT_SHEET.read_bytes()
    after = (dataset / "data" / "sources.yaml").read_text("utf-8")
    # Every byte already there stays, comments and all; the stub is appended.
    assert after.startswith(before.rstrip("\n") + "\n\n")
    assert after[len(before.rstrip("\n")):] == (
        "\n\n"
        "  - id: dpaa-korea-2019\n"
        "    file: dpaa_korea_fact_sheet.txt\n"
        "    title: Korean War Accounting\n"
        "    publisher: Defense POW/MIA Accounting Agency\n"
        "    published: '2019-03-12'\n"
        "    kind: government_report\n"
        "    reliability: F\n"
        "    reliability_reason: 'Not yet graded: replace with one line saying why this grade.'\n"
        f"    sha256: {digest}\n"
        "    curation: partial\n")
    assert run(["validate"], data=dataset).exit_code == 0


def test_html_is_stored_as_its_text(run, dataset: Path) -> None:
    result = run(["add-source", str(HTML_PAGE), "--id", "kwrp-numbers", "--title",
                  "The Numbers Behind the Korean War Missing"], data=dataset)
    assert result.exit_code == 0, result.stderr
    stored = dataset / "seeds" / "korean_war_numbers.txt"
    assert stored.read_text("utf-8").startswith("Korean War POW/MIA Accounting: The Numbers\n")
    entry = to_plain(read_yaml(dataset / "data" / "sources.yaml", "sources.yaml"))["sources"][-1]
    original = hashlib.sha256(HTML_PAGE.read_bytes()).hexdigest()
    assert entry["file"] == "korean_war_numbers.txt"
    assert entry["sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert entry["note"] == (f"Text extracted from korean_war_numbers.html (sha256 {original}) "
                             "by powcount add-source; lines and quotes refer to this text.")
    assert run(["validate"], data=dataset).exit_code == 0


def test_a_pdf_is_stored_as_its_text(run, dataset: Path, tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(text="In 1954, 4,219 sets of remains were returned.")
    path = tmp_path / "glory.pdf"
    path.write_bytes(bytes(pdf.output()))
    result = run(["add-source", str(path), "--id", "glory", "--title", "Glory"], data=dataset)
    assert result.exit_code == 0, result.stderr
    stored = dataset / "seeds" / "glory.txt"
    assert stored.read_text("utf-8") == "In 1954, 4,219 sets of remains were returned.\n"


@pytest.mark.parametrize("args, code, message", [
    (["--id", "crs-2015"], 2, "powcount: --id crs-2015: a source with this id is already in "
     "data/sources.yaml: choose another id"),
    (["--id", "Bad Id"], 2, "powcount: --id Bad Id: a source id is lower-case letters, digits, "
     "'-' and '_', starting with a letter or digit (e.g. dpaa-korea-2019)"),
    (["--id", "new", "--kind", "blog"], 2, "powcount: --kind blog: choose one of "
     "government_report, journalism, advocacy_site, newsletter, academic, primary_document, "
     "other"),
    (["--id", "new", "--published", "March 2019"], 2, "powcount: --published March 2019: write "
     "a year (2019), a month (2019-03) or a day (2019-03-12)"),
    (["--id", "new", "--retrieved", "2019-3-12"], 2, "powcount: --retrieved 2019-3-12: write "
     "a year (2019), a month (2019-03) or a day (2019-03-12)"),
    (["--id", "new", "--originator", "dpa"], 2, "powcount: --originator dpa: unknown (did you "
     "mean 'dpaa'?): use a code from the originators of data/vocabulary.yaml or add it there"),
    (["--id", "new", "--basis", "since-1982"], 2, "powcount: --basis since-1982: unknown (did "
     "you mean 'since_1982'?): use a code from the bases of data/vocabulary.yaml or add it "
     "there"),
    (["--id", "new", "--cites", "crs2015"], 2, "powcount: --cites crs2015: no originator or "
     "source has this code (did you mean 'crs-2015'?): give an originator code of "
     "data/vocabulary.yaml, a source id, or the name the document writes"),
    (["--id", "new", "--cites", " "], 2, "powcount: --cites is empty: give the text, or leave "
     "the option out"),
    (["--id", "new", "--note", ""], 2, "powcount: --note is empty: give the text, or leave the "
     "option out"),
])  # fmt: skip
def test_bad_options_change_nothing(run, dataset: Path, args: list[str], code: int,
                                    message: str) -> None:
    before = snapshot(dataset)
    result = run(["add-source", str(FACT_SHEET), "--title", "T", *args], data=dataset)
    assert (result.exit_code, result.stderr) == (code, message + "\n")
    assert snapshot(dataset) == before


def test_a_different_file_of_the_same_name_is_never_overwritten(run, dataset: Path,
                                                               tmp_path: Path) -> None:
    (dataset / "seeds" / FACT_SHEET.name).write_text("an older draft\n", "utf-8")
    before = snapshot(dataset)
    result = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T"], data=dataset)
    assert result.exit_code == 2
    assert result.stderr == (f"powcount: {FACT_SHEET}: seeds/{FACT_SHEET.name} already exists "
                             "with different content: rename the new file or remove the old "
                             "one\n")
    assert snapshot(dataset) == before


def test_a_document_already_listed_is_refused(run, dataset: Path) -> None:
    seed = dataset / "seeds" / "003_c5e0c8b9b0d3c692.txt"
    result = run(["add-source", str(seed), "--id", "again", "--title", "T"], data=dataset)
    assert result.exit_code == 2
    assert result.stderr == (f"powcount: {seed}: already in data/sources.yaml as source "
                             "'crs-2015': use that source\n")


@pytest.mark.parametrize("content, message", [
    (b"\x00\x01binary", "binary file, not text: convert it to UTF-8 text or give its .pdf"),
    (b"caf\xe9\n", "not UTF-8 at line 1 (byte 0xe9): save it as UTF-8"),
    (b"   \n", "empty file: check that it was saved completely"),
])
def test_an_unreadable_document_is_refused(run, dataset: Path, tmp_path: Path,
                                           content: bytes, message: str) -> None:
    path = tmp_path / "new.txt"
    path.write_bytes(content)
    before = snapshot(dataset)
    result = run(["add-source", str(path), "--id", "new", "--title", "T"], data=dataset)
    assert (result.exit_code, result.stderr) == (4, f"powcount: {path}: {message}\n")
    assert snapshot(dataset) == before


def test_a_flow_list_of_sources_is_refused_not_rewritten(run, dataset: Path) -> None:
    sources = dataset / "data" / "sources.yaml"
    node = to_plain(read_yaml(sources, "sources.yaml"))
    # The same entries as one flow list: appending text would not extend it.
    sources.write_text("# Sources, written compactly.\nsources: " + json.dumps(
        node["sources"], default=str) + "\n", "utf-8")
    before = snapshot(dataset)
    result = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T"], data=dataset)
    assert (result.exit_code, result.stderr) == (3, (
        "data/sources.yaml:2: sources: an entry cannot be appended to the file without "
        "rewriting the entries already there: keep 'sources:' last in the file, as a list of "
        "'- id: ...' blocks, then add the source again\n"))
    assert snapshot(dataset) == before


def test_an_empty_flow_list_takes_the_first_source(run, dataset: Path) -> None:
    (dataset / "data" / "sources.yaml").write_text("# Sources.\nsources: []\n", "utf-8")
    shutil.rmtree(dataset / "data" / "figures")
    result = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T"], data=dataset)
    assert result.exit_code == 0, result.stderr
    text = (dataset / "data" / "sources.yaml").read_text("utf-8")
    assert text.startswith("# Sources.\nsources:\n  - id: new\n")
    assert [s["id"] for s in to_plain(read_yaml(dataset / "data" / "sources.yaml",
                                                "sources.yaml"))["sources"]] == ["new"]


def test_entries_written_at_the_margin_are_followed_at_the_margin(run, dataset: Path) -> None:
    sources = dataset / "data" / "sources.yaml"
    old = re.sub(r"(?m)^  (?=- |  )", "", sources.read_text("utf-8"))
    sources.write_text(old, "utf-8")
    result = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T"], data=dataset)
    assert result.exit_code == 0, result.stderr
    after = sources.read_text("utf-8")
    assert after.startswith(old + "\n- id: new\n  file: dpaa_korea_fact_sheet.txt\n")
    assert run(["validate"], data=dataset).exit_code == 0


def test_a_byte_order_mark_stays(run, dataset: Path) -> None:
    sources = dataset / "data" / "sources.yaml"
    old = b"\xef\xbb\xbf" + sources.read_bytes()
    sources.write_bytes(old)
    result = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T"], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert sources.read_bytes().startswith(old + b"\n  - id: new\n")


def test_every_option_is_written_and_every_old_byte_stays(run, dataset: Path,
                                                         tmp_path: Path, monkeypatch) -> None:
    sources = dataset / "data" / "sources.yaml"
    before = sources.read_bytes()
    monkeypatch.chdir(tmp_path)
    result = run(["add-source", str(FACT_SHEET), "--id", "dpaa-korea-2019", "--title",
                  "Korean War Accounting", "--kind", "government_report", "--url",
                  "https://www.dpaa.mil/korea", "--retrieved", "2019-03-12", "--originator",
                  "dpaa", "--basis", "since_1982", "--cites", "dod", "--cites",
                  "Department of the Army", "--note", "A fact sheet: tables copied from "
                  "the page, one \"cell\" per line."], data=dataset)
    assert result.exit_code == 0, result.stderr
    after = sources.read_bytes()
    assert after[:len(before)] == before
    digest = hashlib.sha256(FACT_SHEET.read_bytes()).hexdigest()
    assert after[len(before):].decode("utf-8") == (
        "\n"
        "  - id: dpaa-korea-2019\n"
        "    file: dpaa_korea_fact_sheet.txt\n"
        "    title: Korean War Accounting\n"
        "    kind: government_report\n"
        "    reliability: F\n"
        "    reliability_reason: 'Not yet graded: replace with one line saying why this grade.'\n"
        f"    sha256: {digest}\n"
        "    url: https://www.dpaa.mil/korea\n"
        "    retrieved: '2019-03-12'\n"
        "    originator: dpaa\n"
        "    basis: since_1982\n"
        "    curation: partial\n"
        "    cites:\n"
        "      - dod\n"
        "      - Department of the Army\n"
        "    note: 'A fact sheet: tables copied from the page, one \"cell\" per line.'\n")
    assert run(["validate"], data=dataset).exit_code == 0
    # The next command, run by a shell from the same folder, exactly as printed.
    last = result.stdout.splitlines()[-1]
    assert last == ("next: powcount --data project extract "
                    "project/seeds/dpaa_korea_fact_sheet.txt --source dpaa-korea-2019 "
                    "--format yaml --output project/data/figures/dpaa-korea-2019.yaml")
    env = {k: v for k, v in os.environ.items() if k != "POWCOUNT_DATA"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    followed = subprocess.run(last.removeprefix("next: "), shell=True, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, env=env)
    assert followed.returncode == 0, followed.stderr
    figures = dataset / "data" / "figures" / "dpaa-korea-2019.yaml"
    assert "source: dpaa-korea-2019\n" in figures.read_text("utf-8")


def test_the_readme_walkthrough_of_a_fifth_document(run, tmp_path: Path) -> None:
    """docs/extraction.md, "Adding a fifth document, end to end", command by command."""
    project = Path(__file__).resolve().parent.parent
    dataset = tmp_path / "my-dataset"
    shutil.copytree(project / "data", dataset / "data")
    shutil.copytree(project / "seeds", dataset / "seeds")
    document = tmp_path / FACT_SHEET.name
    shutil.copy(FACT_SHEET, document)

    added = run(["add-source", str(document), "--id", "dpaa-korea-2019", "--title",
                 "Korean War Accounting", "--kind", "government_report", "--reliability", "A",
                 "--reliability-reason", "The agency of record for the accounting it reports.",
                 "--publisher", "Defense POW/MIA Accounting Agency", "--published",
                 "2019-03-12"], data=dataset)
    assert added.exit_code == 0, added.stderr

    figures = dataset / "data" / "figures" / "dpaa-korea-2019.yaml"
    extracted = run(["extract", str(dataset / "seeds" / FACT_SHEET.name), "--format", "yaml",
                     "--output", str(figures)], data=dataset)
    assert extracted.exit_code == 0, extracted.stderr
    text = figures.read_text("utf-8")
    assert text.count("    candidate: true\n") == 17
    assert "source: dpaa-korea-2019\n" in text and "    as_of: 2019-03-12\n" in text

    unreviewed = run(["validate"], data=dataset)
    assert unreviewed.exit_code == 3
    assert unreviewed.stderr.splitlines()[0] == (
        "data/figures/dpaa-korea-2019.yaml:15: figure 'dpaa-korea-2019-killed-in-forced-"
        "repatriation-line7': extracted candidate not yet reviewed: check it against the "
        "document, then delete 'candidate: true'")

    # The review: keep the figures of people, fix a code, delete the marker.
    reviewed = _review(text)
    figures.write_text(reviewed, "utf-8")
    valid = run(["validate"], data=dataset)
    assert valid.exit_code == 0, valid.stderr
    assert valid.stdout.startswith("valid: 17 sources, 65 figures,")  # 63 and the 2 kept

    reconciled = run(["reconcile", "korea", "--format", "csv"], data=dataset)
    assert reconciled.exit_code == 0, reconciled.stderr
    assert "dpaa-korea-2019" in reconciled.stdout


def _review(text: str) -> str:
    """What a curator does in an editor: drop what is not a figure, keep and mark the rest."""
    head, *figures = re.split(r"(?m)^(?=  - id: )", text)
    keep = {"dpaa-korea-2019-unaccounted-for-line7",
            "dpaa-korea-2019-believed-in-north-korea-line7"}
    kept = [f for f in figures if f.split("\n", 1)[0].removeprefix("  - id: ") in keep]
    return (head + "".join(kept)).replace("    candidate: true\n", "")


def test_codes_are_checked_against_a_vocabulary_that_loads(run, dataset: Path) -> None:
    vocabulary = dataset / "data" / "vocabulary.yaml"
    text = vocabulary.read_text("utf-8")
    vocabulary.unlink()
    args = ["add-source", str(FACT_SHEET), "--id", "new", "--title", "T", "--basis", "x"]
    before = snapshot(dataset)
    missing = run(args, data=dataset)
    assert (missing.exit_code, missing.stderr) == (3, (
        "data/vocabulary.yaml: missing: the vocabulary of conflicts, nations and quantities "
        "is required\n"))
    assert snapshot(dataset) == before
    vocabulary.write_text(text.replace("\n  dpaa:\n", "\n  dpaa:\n    colour: red\n", 1), "utf-8")
    line = text.splitlines().index("  dpaa:") + 2
    broken = run(args, data=dataset)
    # The same line validate gives: the vocabulary has one reader.
    assert (broken.exit_code, broken.stderr) == (3, (
        f"data/vocabulary.yaml:{line}: vocabulary: unknown key 'originators.dpaa.colour': "
        "remove or rename it\n"))
    # Without a code to check, the vocabulary is not read.
    plain = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T"], data=dataset)
    assert plain.exit_code == 0, plain.stderr


def test_a_date_the_calendar_does_not_have_is_refused(run, dataset: Path) -> None:
    before = snapshot(dataset)
    refused = run(["add-source", str(FACT_SHEET), "--id", "new", "--title", "T",
                   "--published", "2019-02-30"], data=dataset)
    assert (refused.exit_code, refused.stderr) == (2, (
        "powcount: --published '2019-02-30' is not a real date (day is out of range for "
        "month): fix the month or the day\n"))
    assert snapshot(dataset) == before
    sources = dataset / "data" / "sources.yaml"
    text = sources.read_text("utf-8")
    line = text.splitlines().index(next(ln for ln in text.splitlines()
                                        if ln.startswith("    title:"))) + 1
    for written, reason in (('"2019-02-30"', "day is out of range for month"),
                            ("2019-13-01", "month must be in 1..12")):
        sources.write_text(text.replace("    title:", f"    retrieved: {written}\n    title:", 1),
                           "utf-8")
        checked = run(["validate"], data=dataset)
        date = written.strip('"')
        # Quoted, the source's field is checked; unquoted, YAML reads a date and refuses it.
        expected = (f"field 'retrieved': '{date}' is not a real date ({reason}): fix the "
                    "month or the day" if written.startswith('"') else
                    f"'{date}' is not a date: {reason}: correct it")
        assert checked.exit_code == 3
        assert f"data/sources.yaml:{line}: " in checked.stderr
        assert expected in checked.stderr
