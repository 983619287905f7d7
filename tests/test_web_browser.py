"""The pages in a real browser: Debian's chromium driven by Playwright. Screenshots of every page
go to tests/artifacts/ (not committed) for people to look at. .ci/run installs chromium."""
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def server(examples_db):
    from sayso.web.background import serving

    with serving(examples_db) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.errors = errors
        yield tab
        browser.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_overview_to_document_to_quote_to_speaker(server, page):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Collection"
    assert page.locator(".bar rect").count() > 0  # the theme chart is drawn
    shot(page, "overview")
    page.click("text=river-town-returnees")
    assert "hunger and fear" in page.locator("h1").inner_text()
    assert page.locator(".doc-text .place").count() >= 3
    assert page.locator(".doc-text .count").count() >= 3
    quote = page.locator(".doc-text a.quote.direct").first
    assert "direct quote" in quote.get_attribute("title") and "cue: said" in quote.get_attribute("title")
    shot(page, "document")
    quote.click()
    assert page.locator("h1").inner_text() == "Abu Karim"
    assert page.locator("ol.quotes li").count() >= 3
    shot(page, "speaker")


def test_search_highlights_matches(server, page):
    page.goto(server + "/")
    page.fill("header input[name=q]", "smuggler")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/quotes?q=smuggler*")
    assert page.locator("table.results mark").first.inner_text().lower() == "smuggler"
    shot(page, "quotes")


def test_map_pins_lead_to_quotes(server, page):
    page.goto(server + "/map")
    assert page.locator("svg.map path.land").count() == 1
    assert page.locator("svg.map circle.pin").count() >= 5
    shot(page, "map")
    page.locator("table a", has_text="Mosul").click()
    assert "place=Mosul" in page.url and page.locator("table.results tr").count() >= 2


def test_themes_matrix_and_api_docs(server, page):
    page.goto(server + "/themes")
    assert page.locator("table.matrix th").count() > 5
    shot(page, "themes")
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui", timeout=15000)
    shot(page, "api-docs")
    assert not [e for e in page.errors if "Content Security Policy" in e]
