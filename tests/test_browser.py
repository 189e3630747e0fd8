"""The HTML dossier in a real browser: headless Chromium, driven by Playwright.

The page must load from a file with no console errors, no request beyond the file
itself, no script, and every chart drawn at a visible size. A screenshot is saved
under the test's tmp directory. Chromium comes from the system (/usr/bin/chromium,
Debian's package, installed by .ci/run); Playwright's own browser downloads are
never used. Without Chromium the tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_report import add_hostile_source

CHROMIUM = Path(os.environ.get("POWCOUNT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        message = (f"Chromium not found at {CHROMIUM}: install it with "
                   "'apt-get install chromium' (as root)")
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Visit:
    """A page opened from a file, with everything the browser reported while loading it."""

    def __init__(self, browser: Any, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900},
                                           java_script_enabled=True)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


def test_the_dossier_loads_cleanly_and_draws_every_chart(browser, run, dataset, tmp_path):
    report = tmp_path / "report.html"
    assert run(["report", "all", "--output", str(report)], data=dataset).exit_code == 0
    visit = Visit(browser, report)
    try:
        page = visit.page
        assert visit.errors == []
        assert visit.requests == [visit.url]
        assert page.title() == "powcount dossier: All conflicts"
        assert page.evaluate("document.scripts.length") == 0
        charts = page.locator("figure.chart svg")
        # Only the stocks are charted (Korea's and Vietnam's missing): events are never a series.
        assert charts.count() == 2
        for index in range(charts.count()):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 150, box
        headings = page.locator("main > section > h2").all_inner_texts()
        assert headings == ["Second World War (1939/1945)", "Korean War (1950/1953)",
                            "Cold War (1947/1991)", "Vietnam War (1955/1975)",
                            "Several conflicts (department-wide)",
                            "All past conflicts (DPAA totals)"]
        # A figure link scrolls to its quote, which the page highlights.
        page.locator('a.fig[href="#fig-crs-2015-reported-held-1951"]').first.click()
        assert page.evaluate("location.hash") == "#fig-crs-2015-reported-held-1951"
        quote = page.locator("#fig-crs-2015-reported-held-1951")
        assert quote.is_visible() and "line 13, column 344" in quote.inner_text()
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 50_000
    finally:
        visit.close()


def test_a_hostile_document_cannot_run_script_in_the_dossier(browser, run, dataset, tmp_path):
    add_hostile_source(dataset)
    report = tmp_path / "hostile.html"
    assert run(["report", "korea", "--output", str(report)], data=dataset).exit_code == 0
    visit = Visit(browser, report)
    try:
        assert visit.dialogs == []
        assert visit.errors == []
        assert visit.requests == [visit.url]
        assert visit.page.evaluate("document.scripts.length") == 0
        text = visit.page.locator("#fig-hostile-held").inner_text()
        assert "Officials said <script>alert(1)</script> that 12 prisoners" in text
        visit.page.screenshot(path=str(tmp_path / "hostile.png"))
    finally:
        visit.close()


#: Screenshots of the dossier at each width, kept for people to look at (git ignores it).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

#: What the page looks like to the browser: sideways scroll, chart text, header alignment.
LAYOUT_PROBE = """() => {
  const page = document.scrollingElement;
  const texts = [...document.querySelectorAll('figure.chart svg text')].map(t => {
    const size = parseFloat(getComputedStyle(t).fontSize);
    const m = t.getScreenCTM();
    return size * Math.hypot(m.a, m.b);
  });
  const misaligned = [];
  for (const table of document.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead th')];
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        const a = getComputedStyle(cell).textAlign, b = getComputedStyle(heads[i]).textAlign;
        if (cell.classList.contains('num') && (a !== 'right' || b !== 'right'))
          misaligned.push(heads[i].textContent);
      });
    }
  }
  const boxes = [...document.querySelectorAll('div.table')].map(
    d => getComputedStyle(d).overflowX);
  return {pageWidth: page.scrollWidth, viewWidth: window.innerWidth,
          smallestChartText: Math.min(...texts), chartTexts: texts.length,
          misaligned: [...new Set(misaligned)], boxes: [...new Set(boxes)]};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dossier_reads_well_on_a_phone_and_a_desktop(browser, run, dataset, tmp_path,
                                                         width: int):
    report = tmp_path / "report.html"
    assert run(["report", "all", "--output", str(report)], data=dataset).exit_code == 0
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(report.resolve().as_uri(), wait_until="load")
        probe = page.evaluate(LAYOUT_PROBE)
        # The page never scrolls sideways: a wide table or chart scrolls inside its box.
        assert probe["pageWidth"] <= probe["viewWidth"], probe
        assert probe["boxes"] == ["auto"]
        assert probe["chartTexts"] > 20
        assert probe["smallestChartText"] >= 10, probe
        assert probe["misaligned"] == []
        ARTIFACTS.mkdir(exist_ok=True)
        for folder in (tmp_path, ARTIFACTS):
            shot = folder / f"report-{width}px.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes().startswith(PNG_SIGNATURE)
    finally:
        context.close()
