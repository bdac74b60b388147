"""The published archive in headless Chromium: pages, links, the feed, no JavaScript needed, and
axe-core (node_modules/axe-core, from package.json) finds no accessibility violation.

``SKIS_E2E_PUBLISH=1`` also refreshes docs/screenshots/archive-*.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.bot.publishing import sample
from tests.e2e.playground import CHROMIUM_ARGS, DOCS_SCREENSHOTS, find_chromium

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"

# Every rule axe has (WCAG 2.x A/AA and best practices), not only a chosen few.
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("archive")
    data = root / "data"
    sample.write(data, sample.fill)
    out = root / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SKIS_DATA_DIR", str(data))
        assert main(["publish", "--out", str(out)]) == 0
    yield out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium not found (set SKIS_CHROMIUM or install chromium)")
    assert AXE.exists(), "node_modules/axe-core is missing: run `npm ci`"
    # Module scope: Playwright's sync API must be closed before another module's asyncio tests run.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1000, "height": 900})
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def _violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN)


def test_the_index_lists_the_minutes_by_year_and_leads_to_the_current_version(site: Path, page: Any) -> None:
    page.goto((site / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.title() == "Minnesanteckningar – SKIS"
    assert page.get_by_role("heading", level=1).inner_text() == "Minnesanteckningar – SKIS"
    assert page.get_by_role("heading", level=2).all_inner_texts() == ["2026", "2025"]
    assert page.get_by_role("main").count() == 1 and page.get_by_role("navigation").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    page.get_by_role("link", name="fredag 21 november 2025, kl. 09.00–12.00, Regionens hus, Skövde").click()
    assert page.url.endswith("/2025/20251121/index.html")
    assert page.get_by_text(f"Rättelse (version 2): {sample.REASON}").is_visible()
    assert page.get_by_text(sample.V2_NOTE).is_visible()
    page.get_by_role("link", name="Version 1").click()
    assert page.get_by_text(sample.V1_NOTE).is_visible()
    assert page.get_by_text("Den har ersatts av version 2 (rättelse).").is_visible()
    page.get_by_role("link", name="Läs den gällande versionen").click()
    assert page.url.endswith("/2025/20251121/index.html")
    page.get_by_role("link", name="Alla minnesanteckningar").click()
    assert page.url.endswith("/site/index.html")


def test_the_feed_opens_in_the_browser_as_atom(site: Path, page: Any) -> None:
    page.goto((site / "feed.xml").as_uri())
    titles = page.evaluate(
        "() => Array.from(document.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry'))"
        ".map(e => e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'title')[0].textContent)"
    )
    assert titles == ["Minnesanteckningar fredag 4 september 2026", "Minnesanteckningar fredag 21 november 2025 – rättelse (version 2)"]
    page.goto((site / "index.html").as_uri())
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == "feed.xml"


def test_every_page_reads_without_javascript(site: Path, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto((site / "2026/20260904/index.html").as_uri())
        assert plain.get_by_role("heading", name="Incheckning").is_visible()
        assert plain.get_by_text(sample.SUMMARY).is_visible()
        assert plain.get_by_role("link", name="Word-fil (.docx)").get_attribute("href") == "minnesanteckningar-20260904-v1.docx"
    finally:
        context.close()
    assert not [p for p in site.rglob("*.html") if "<script" in p.read_text(encoding="utf-8").lower()]


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "2025/20251121/index.html",
        "2025/20251121/version-1.html",
        "2026/20260904/index.html",
        "2025/20251121/minnesanteckningar-20251121-v2-utskrift.html",
    ],
)
def test_axe_finds_no_accessibility_violation(site: Path, page: Any, path: str) -> None:
    page.goto((site / path).as_uri())
    assert _violations(page) == []


def test_the_yearly_report_page_passes_axe_too(site: Path, page: Any, tmp_path: Path) -> None:
    from tests.bot.publishing.test_report import fill_year

    data = tmp_path / "data"
    out = tmp_path / "rapport.html"

    def write_report() -> int:
        sample.write(data, fill_year)
        with pytest.MonkeyPatch.context() as env:
            env.setenv("SKIS_DATA_DIR", str(data))
            return main(["report", "--year", "2025", "--format", "html", "--out", str(out)])

    # The browser's own event loop runs in this thread; the command runs its loop in another.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(write_report).result() == 0
    page.goto(out.as_uri())
    assert page.get_by_role("img").get_attribute("alt").startswith("Rutnät med kommunerna på raderna")
    assert page.get_by_role("img").evaluate("img => img.complete && img.naturalWidth > 200")
    assert _violations(page) == []


def test_keyboard_users_can_skip_to_the_content(site: Path, page: Any) -> None:
    page.goto((site / "2025/20251121/index.html").as_uri())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("el => el === document.activeElement") and skip.is_visible()


def test_screenshots(site: Path, page: Any, tmp_path: Path) -> None:
    """Screenshots of the index and a corrected minutes page (into docs/ with SKIS_E2E_PUBLISH=1)."""
    shots = {"archive-index.png": "index.html", "archive-minutes.png": "2025/20251121/index.html"}
    for name, path in shots.items():
        page.goto((site / path).as_uri())
        page.screenshot(path=str(tmp_path / name), full_page=True)
        assert (tmp_path / name).stat().st_size > 5000
        if os.environ.get("SKIS_E2E_PUBLISH") == "1":
            shutil.copyfile(tmp_path / name, DOCS_SCREENSHOTS / name)
