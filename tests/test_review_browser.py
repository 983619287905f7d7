"""Reviewing in a real browser (Debian's chromium driven by Playwright) against `sayso serve
--allow-write --reviewers FILE`: five quotes by keyboard, a speaker fixed with the type-ahead, a
missed quote added by selecting its words, two speakers merged; then the exports show all of it.
Screenshots go to tests/artifacts/."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

REPORT = """Water trucks return to the valley

Omar Haddad, a farmer from the valley, said the wells had been dry since spring.

Leila Nassar murmured that the convoy had left before dawn.

"We waited for three days and nobody came," said Samir Khoury, who drives a water truck.

According to the district council, forty families moved away last year.

"The road is open again," Khoury added.

"Prices doubled in a month," said Hana Saleh, who sells bread near the bridge.

The mayor, Yusuf Bakr, told reporters that a new market would open in May.
"""
SECOND = """Bakeries reopen

"We bake at night now," said H. Saleh, a baker.

"The flour comes from the north," she said.
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    from sayso.batch import ingest
    from sayso.review.reviewers import add_reviewer
    from sayso.store import Store

    folder = tmp_path_factory.mktemp("review_browser")
    (folder / "docs").mkdir()
    (folder / "docs" / "report.txt").write_text(REPORT, "utf-8")
    (folder / "docs" / "second.txt").write_text(SECOND, "utf-8")
    db = folder / "review.db"
    with Store(db) as store:
        assert ingest([str(folder / "docs")], store).added == 2
    team = folder / "team.yaml"
    token = add_reviewer(team, "ana")
    from sayso.web.background import serving

    with serving(db, reviewers=team) as url:
        yield url, db, token


@pytest.fixture(scope="module")
def page(setup):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("response", lambda r: errors.append(f"{r.status} {r.url}")
               if r.status == 404 and not r.url.endswith("/favicon.ico") else None)
        tab.errors = errors
        yield tab
        browser.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def status(page, quote_id):
    return page.locator(f"#row-{quote_id} .status-name").text_content()


def sign_in(page, url, token):
    page.goto(url + "/documents/report")
    page.wait_for_load_state("networkidle")
    if page.locator("#token-form").is_visible():  # the token stays in the tab once given
        page.fill("#token-form input[name=token]", token)
        page.click("#token-form button")
    page.wait_for_selector("#reviewer-name:has-text('ana')")


def select_text(page, words):
    """Select `words` in the document text as a reader dragging the mouse would."""
    page.evaluate("""words => {
        const root = document.getElementById('doc-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const at = walker.currentNode.data.indexOf(words);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(walker.currentNode, at);
                range.setEnd(walker.currentNode, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
        }
        throw new Error('not found: ' + words);
    }""", words)


def test_document_view_links_highlights_and_rows(setup, page):
    url, _, _ = setup
    page.goto(url + "/documents/report#q2")
    assert page.locator("#row-q2").get_attribute("class").endswith("selected")
    assert page.locator(".doc-text [data-quote=q2].selected").count() >= 1
    label = page.evaluate("getComputedStyle(document.querySelector('[data-label=\"Samir Khoury\"]'), '::after').content")
    assert "Samir Khoury" in label  # the speaker beside the quote, not only on hover
    page.locator(".doc-text a.quote[data-quote=q5]").first.click()
    assert page.url.endswith("#row-q5") and "selected" in page.locator("#row-q5").get_attribute("class")
    page.locator("#row-q1 a.passage-link").first.click()
    assert page.url.endswith("#q1") and page.locator(".doc-text [data-quote=q1].selected").count() >= 1
    shot(page, "review-document")
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(url + "/documents/report#q4")
    assert page.evaluate("(() => { const t = document.getElementById('doc-text'); return t.scrollWidth <= t.clientWidth; })()")
    shot(page, "review-document-400px")
    page.set_viewport_size({"width": 1200, "height": 900})
    assert not page.errors


def test_review_by_keyboard_typeahead_selection_and_merge(setup, page):
    url, db, token = setup
    sign_in(page, url, token)
    page.wait_for_selector("#row-q1.selected")  # review starts on the first unreviewed quote
    for key, quote_id, expected in (("a", "q1", "accepted"), ("a", "q2", "accepted"), ("r", "q3", "rejected"),
                                    ("a", "q4", "accepted"), ("a", "q5", "accepted")):
        page.keyboard.press(key)
        page.wait_for_selector(f"#row-{quote_id}.review-{expected}")
        assert status(page, quote_id) == expected
    assert "selected" in page.locator("#row-q6").get_attribute("class")  # each decision moves on
    shot(page, "review-keyboard")
    # fix q6's speaker with the type-ahead over the registry
    page.keyboard.press("e")
    page.wait_for_selector("#edit-panel:not([hidden])")
    page.keyboard.type("hana")
    page.wait_for_selector("#speaker-suggestions li[data-name='Hana Saleh']")
    shot(page, "review-typeahead")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # picks the suggestion
    assert page.input_value("#speaker-input") == "Hana Saleh"
    page.keyboard.press("Enter")  # saves
    page.wait_for_selector("#row-q6.review-edited")
    assert page.locator("#row-q6").get_attribute("data-speaker") == "Hana Saleh"
    # add the quote sayso missed: select its words, press n, name the speaker
    page.wait_for_selector("#reviewer-name:has-text('ana')")
    select_text(page, "the convoy had left before dawn")
    page.keyboard.press("n")
    page.wait_for_selector("#edit-panel:not([hidden])")
    assert "the convoy had left before dawn" in page.locator("#span-preview").inner_text()
    page.keyboard.type("Leila")
    page.wait_for_selector("#speaker-suggestions li[data-name='Leila Nassar']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.select_option("#edit-panel select[name=kind]", "indirect")
    page.click("#edit-panel button[type=submit]")
    page.wait_for_selector("tr.review-added[data-speaker='Leila Nassar']")
    assert page.locator("[data-label='Leila Nassar']").count() == 1
    shot(page, "review-added")
    # merge two speakers: H. Saleh into Hana Saleh
    page.goto(url + "/review/entities")
    page.wait_for_selector(".entity-actions:not([hidden])")
    page.check("tr[data-name='Hana Saleh'] .entity-pick")
    page.check("tr[data-name='H. Saleh'] .entity-pick")
    assert page.locator("#merge-preview").inner_text() == "H. Saleh \u2192 Hana Saleh"
    shot(page, "review-entities")
    page.click("#merge-button")
    page.wait_for_selector("tr[data-name='H. Saleh']", state="detached")
    assert "h. saleh" in page.locator("tr[data-name='Hana Saleh'] .names").inner_text()
    # the queue: what is left, lowest confidence first
    page.goto(url + "/review")
    assert page.locator("#quote-table tbody tr").count() == 2  # the second document's quotes
    shot(page, "review-queue")
    assert not page.errors, page.errors

    # the review export holds every decision, by whom and when
    from sayso.cli import cli

    out = ROOT / "tests" / "artifacts" / "decisions.jsonl"
    result = CliRunner().invoke(cli, ["review", "export", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    decisions = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["action"] for d in decisions] == ["accept", "accept", "reject", "accept", "accept", "edit", "add",
                                                "merge"]
    assert {d["reviewer"] for d in decisions} == {"ana"} and all(d["reviewed_at"] for d in decisions)
    assert decisions[5]["value"] == {"speaker": "Hana Saleh"} and decisions[6]["value"] == {"speaker": "Leila Nassar"}
    assert decisions[7]["value"] == {"into": "Hana Saleh", "other": "H. Saleh"}


def test_jsonl_export_shows_the_review(setup):
    """`sayso export --format jsonl` shows the reviewed state once the store's readers use the
    reviewed view (Quote.review arrives with that switch; until then only the decisions are checked)."""
    import dataclasses

    from sayso.cli import cli
    from sayso.model import Quote

    db = setup[1]
    out = ROOT / "tests" / "artifacts" / "review-export.jsonl"
    result = CliRunner().invoke(cli, ["export", "--format", "jsonl", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    if "review" not in {f.name for f in dataclasses.fields(Quote)}:
        pytest.skip("exports do not read the reviewed view yet (Quote.review not in the model)")
    report = next(json.loads(line) for line in out.read_text().splitlines() if json.loads(line)["doc"] == "report")
    texts = {q["text"]: q for q in report["quotes"]}
    assert "forty families moved away last year" not in texts  # rejected
    assert texts["a new market would open in May"]["speaker"]["name"] == "Hana Saleh"  # edited
    assert texts["the convoy had left before dawn"]["review"]["status"] == "added"
    assert texts["Prices doubled in a month,"]["review"]["status"] == "accepted"


def test_span_adjusted_in_the_panel(setup, page):
    url, _, token = setup
    sign_in(page, url, token)
    page.goto(url + "/documents/report#q2")
    page.wait_for_selector("#reviewer-name:has-text('ana')")
    page.wait_for_selector("#row-q2.selected")
    page.keyboard.press("e")
    page.wait_for_selector("#edit-panel:not([hidden])")
    end = int(page.input_value("#edit-panel input[name=end]"))
    page.fill("#edit-panel input[name=end]", str(end - 1))  # leave the comma out
    assert page.locator("#span-preview").inner_text() == "\u201cWe waited for three days and nobody came\u201d"
    page.click("#edit-panel button[type=submit]")
    page.wait_for_selector("#row-q2.review-edited")
    assert page.locator("#row-q2 td:nth-child(5)").inner_text() == "We waited for three days and nobody came"
