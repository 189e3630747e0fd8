"""powcount report: the markdown dossier (golden files), the HTML page, escaping, charts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from powcount.report.charts import ChartText, interval_chart_svg, source_colours

#: A document that tries to inject markup and script through its text.
HOSTILE_TEXT = (
    "Hostile page\n"
    "Officials said <script>alert(1)</script> that 12 prisoners were held.\n"
    "See [the list](javascript:alert(2)) of 7 names <img src=x onerror=alert(3)>.\n"
)

HOSTILE_SOURCE = """
  - id: hostile
    file: hostile.txt
    title: "<script>alert('title')</script> Hostile & <b>bold</b> page"
    author: "</td><script>alert('author')</script>"
    publisher: null
    published: 1990
    kind: other
    reliability: E
    reliability_reason: "Made up to test escaping: <iframe src=javascript:alert(4)>"
    sha256: {sha}
    url: "javascript:alert(5)"
"""

HOSTILE_FIGURES = """source: hostile
figures:
  - id: hostile-held
    quantity: reported_held
    conflict: korea
    nation: us
    value_text: "12"
    quote: "Officials said <script>alert(1)</script> that 12 prisoners were held."
    as_of: 1951
    credibility: 6
    note: "=HYPERLINK(\\"http://example.invalid\\") <script>alert(6)</script>"

  - id: hostile-names
    quantity: unaccounted_for
    conflict: korea
    nation: us
    value_text: "7"
    quote: "See [the list](javascript:alert(2)) of 7 names <img src=x onerror=alert(3)>."
    as_of: 1990
    credibility: 6
"""


def add_hostile_source(root: Path) -> None:
    """Add to a dataset copy a source whose document, metadata and quotes hold markup."""
    document = root / "seeds" / "hostile.txt"
    document.write_text(HOSTILE_TEXT, encoding="utf-8")
    sha = hashlib.sha256(document.read_bytes()).hexdigest()
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").rstrip("\n") + "\n"
                       + HOSTILE_SOURCE.format(sha=sha), encoding="utf-8")
    (root / "data" / "figures" / "hostile.yaml").write_text(HOSTILE_FIGURES, encoding="utf-8")


# --- markdown -------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["all", "korea", "wwii"])
def test_markdown_report_matches_golden_file(run, dataset, golden, scope):
    result = run(["report", scope, "--format", "markdown"], data=dataset)
    assert result.exit_code == 0, result.stderr
    golden(f"report/{scope}.md", result.stdout)


def test_html_report_matches_golden_file(run, dataset, golden, tmp_path):
    out = tmp_path / "wwii.html"
    result = run(["report", "wwii", "--format", "html", "-o", str(out)], data=dataset)
    assert result.exit_code == 0
    golden("report/wwii.html", out.read_text(encoding="utf-8"))


def test_html_and_markdown_reports_of_hostile_text_match_golden_files(run, dataset, golden,
                                                                       tmp_path):
    add_hostile_source(dataset)
    out = tmp_path / "hostile.html"
    html_result = run(["report", "korea", "--format", "html", "-o", str(out)], data=dataset)
    markdown = run(["report", "korea", "--format", "markdown"], data=dataset)
    assert (html_result.exit_code, markdown.exit_code) == (0, 0)
    golden("report/korea-hostile.html", out.read_text(encoding="utf-8"))
    golden("report/korea-hostile.md", markdown.stdout)


def test_markdown_report_states_the_findings_with_links_to_quotes(run, dataset):
    text = run(["report", "all", "--format", "markdown"], data=dataset).stdout
    assert ("- **released-within-reported-held** · United States · **not-comparable**" in text)
    assert "149 + 3,313 = 3,462 vs 3,198" in text
    assert "25,000 - 4,165 = 20,835 vs some 20,000" in text
    anchors = set(re.findall(r'<a id="(fig-[a-z0-9_-]+)"></a>', text))
    links = set(re.findall(r"\]\(#(fig-[a-z0-9_-]+)\)", text))
    assert links and links <= anchors
    assert '<a id="fig-crs-2015-unaccounted-2015"></a>\n> “**Over 7,800** U.S. military' in text
    assert "> crs-2015 · 003\\_c5e0c8b9b0d3c692.txt, line 6, column 1 · credibility 2" in text


def test_markdown_report_escapes_document_text(run, dataset):
    add_hostile_source(dataset)
    result = run(["report", "korea", "--format", "markdown"], data=dataset)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    # The only raw markup is powcount's own anchors; every '<' from the data is escaped.
    raw_tags = set(re.findall(r"(?<!\\)<[^>]*>", text))
    assert raw_tags and all(re.fullmatch(r'<a id="[a-z0-9_-]+">|</a>', t) for t in raw_tags)
    assert re.search(r"(?<!\\)\]\(javascript:", text) is None
    assert "Officials said \\<script\\>alert(1)\\</script\\> that **12** prisoners" in text
    assert "See \\[the list\\](javascript:alert(2)) of **7** names" in text


# --- HTML -----------------------------------------------------------------------------------


@pytest.fixture
def html_report(run, dataset, tmp_path) -> str:
    out = tmp_path / "report.html"
    result = run(["report", "all", "--output", str(out)], data=dataset)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return out.read_text(encoding="utf-8")


def test_html_report_shows_korea_and_wwii_findings_with_charts(html_report):
    soup = BeautifulSoup(html_report, "html.parser")
    sections = [s["id"] for s in soup.select("main > section")]
    assert sections == ["conflict-wwii", "conflict-korea", "conflict-cold_war", "conflict-vietnam",
                        "conflict-multiple", "conflict-all_conflicts"]
    korea = soup.select_one("#conflict-korea")
    findings = [li.get_text(" ", strip=True) for li in korea.select("ul.findings li")]
    # No check fails; one group conflicts (388 against approximately 8,000 not repatriated),
    # then the series, whose points count on different declared bases.
    assert [f.split(" ")[0] for f in findings] == ["conflict", "series"]
    assert "as many as 388" in findings[0] and "approximately 8,000" in findings[0]
    assert "gap 7,112 (1833.0 %)" in findings[0]
    assert "change -699..-550 over 71.0 years: basis-changed" in findings[1]
    assert "149 + 3,313 = 3,462 vs 3,198" in korea.get_text()
    wwii = soup.select_one("#conflict-wwii")
    assert "25,000 - 4,165 = 20,835 vs some 20,000" in wwii.get_text()
    charts = soup.select("figure.chart svg")
    # Events are never a series, so only the stocks stated at several dates are charted.
    assert [c.find_parent("section")["id"] for c in charts] == ["conflict-korea",
                                                                 "conflict-vietnam"]
    titles = [c.find_parent("figure").find_previous("h4").get_text() for c in charts]
    assert titles == ["Unaccounted for (missing), United States"] * 2
    summary = {dt.get_text(): dd.get_text() for dt, dd in
               zip(korea.select("dl.summary dt"), korea.select("dl.summary dd"), strict=True)}
    assert summary == {"figures": "32", "sources": "8", "counts compared": "29",
                       "conflicts found": "1", "series flags": "0", "failed checks": "0"}


def test_every_figure_link_leads_to_its_quote_with_its_line(html_report, dataset):
    from powcount.catalog import load_catalog, locate_data

    catalog = load_catalog(locate_data(str(dataset)))
    soup = BeautifulSoup(html_report, "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    # Outside the page, only the sources' own addresses are linked.
    assert {h for h in hrefs if not h.startswith("#")} == {
        s.url for s in catalog.sources.values() if s.url}
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids
    for row in catalog.figures.itertuples():
        quote = soup.find(id=f"fig-{row.id}")
        assert quote is not None and quote.name == "blockquote", row.id
        assert f"{row.document}, line {row.line}, column {row.column}" in quote.get_text()
        assert quote.mark.get_text() == " ".join(row.value_text.split())


def test_html_report_is_self_contained_and_needs_no_script(html_report, dataset):
    from powcount.catalog import load_catalog, locate_data

    urls = {s.url for s in load_catalog(locate_data(str(dataset))).sources.values() if s.url}
    soup = BeautifulSoup(html_report, "html.parser")
    assert soup.find_all(["script", "link", "iframe", "img", "object", "embed"]) == []
    assert all(not tag.get("src") for tag in soup.find_all(True))
    assert "@import" not in html_report and "url(http" not in html_report
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert csp.startswith("default-src 'none'")
    external = {m for m in re.findall(r"https?://[^\"' <)]+", html_report)}
    # The sources' addresses are shown and linked, never loaded.
    assert external == {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"} | urls


def test_html_report_is_deterministic(run, dataset, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        assert run(["report", "korea", "-o", str(out)], data=dataset).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_html_report_escapes_document_text_and_links(run, dataset, tmp_path):
    add_hostile_source(dataset)
    out = tmp_path / "hostile.html"
    result = run(["report", "all", "--output", str(out)], data=dataset)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<iframe" not in page.lower() and "<img" not in page.lower()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all(["script", "iframe", "img"]) == []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), (tag.name, name)
            text = " ".join(value) if isinstance(value, list) else value
            assert "javascript:" not in text.lower(), (tag.name, name, text)
    quote = soup.find(id="fig-hostile-held")
    assert quote.p.get_text() == ("“Officials said <script>alert(1)</script> that 12 prisoners "
                                  "were held.”")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    row = next(tr for tr in soup.select("#conflict-korea table tr")
               if "<script>alert('title')</script> Hostile" in tr.get_text())
    assert row.find("a") is None  # the javascript: URL is not made a link
    # The hostile figure meets the 1951 list of 3,198 and conflicts with it.
    findings = soup.select_one("#conflict-korea ul.findings").get_text(" ", strip=True)
    assert "Reported held by the captors, United States, 1951 : sources disagree " \
           "(crs-2015: 3,198; hostile: 12); gap 3,186" in findings


def test_report_of_an_unknown_conflict_is_a_usage_error(run, dataset):
    result = run(["report", "koera"], data=dataset)
    assert result.exit_code == 2
    assert result.stderr == ("powcount: unknown conflict 'koera' (did you mean 'korea'?): "
                             "choose one of all_conflicts, cold_war, korea, multiple, vietnam, "
                             "wwii, or all\n")


def test_report_of_a_conflict_without_figures_says_so(run, dataset):
    vocabulary = dataset / "data" / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text("utf-8").replace(
        "\nconflicts:\n", "\nconflicts:\n  gulf:\n    label: Gulf War\n", 1), "utf-8")
    result = run(["report", "gulf", "--format", "markdown"], data=dataset)
    assert result.exit_code == 0
    assert "_No figures are recorded for Gulf War._" in result.stdout


# --- charts ---------------------------------------------------------------------------------


def _points() -> pd.DataFrame:
    return pd.DataFrame({
        "figure": ["a", "b", "c"],
        "source": ["s1", "s1", "s2"],
        "x_start": [1954.0, 2015.75, 2016.83],
        "x_end": [1955.0, 2015.83, 2016.92],
        "low": pd.array([7290, 7801, 7801], dtype="Int64"),
        "best": pd.array([8100, 7801, 7801], dtype="Int64"),
        "high": pd.array([8910, None, None], dtype="Int64"),
    })


def test_chart_is_deterministic_inline_svg_with_literal_text():
    colours = source_colours(["s2", "s1"])
    text = ChartText("Cost $5 <b>held</b> & $x^2$", "persons")
    svg = interval_chart_svg(_points(), text, "chart-9", colours)
    assert svg == interval_chart_svg(_points(), text, "chart-9", colours)
    assert svg.startswith("<svg ") and "<?xml" not in svg and "<metadata" not in svg
    assert "Cost $5 &lt;b&gt;held&lt;/b&gt; &amp; $x^2$" in svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("chart-9-") for i in ids)
    referenced = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
    assert all((a or b) in ids for a, b in referenced)


def test_chart_draws_open_intervals_as_arrows_and_closed_ones_as_bars():
    colours = source_colours(["s1", "s2"])
    closed_only = _points().iloc[:1]
    svg_closed = interval_chart_svg(closed_only, ChartText("t", "u"), "c", colours)
    svg_all = interval_chart_svg(_points(), ChartText("t", "u"), "c", colours)
    # An arrow is a FancyArrowPatch: a patch drawn with the source's colour.
    assert svg_closed.count('id="c-patch_') < svg_all.count('id="c-patch_')
    assert colours["s2"].lower() in svg_all.lower()
    assert colours["s2"].lower() not in svg_closed.lower()
