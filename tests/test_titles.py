"""Titles are headlines, never site chrome (issue #13 item 5)."""
import json

import pytest

from sayso.ingest import iter_documents
from sayso.ingest.titles import headline, is_chrome

from conftest import SEED, SHARED, needs_shared


def read_one(path):
    (doc,) = iter_documents([str(path)])
    return doc


@pytest.mark.parametrize("line", ["Accessibility links", "Skip to main content", "Breaking News", "Share this article",
                                  "Share on Facebook", "Print", "Home | World | Business | Sport",
                                  "We use cookies to improve your experience on our site.", "Advertisement",
                                  "By Jane Roe and Sam Poe", "Updated: 12 May 2026, 10:04", "Listen to this article",
                                  "Monday, June 5, 2026", "5 June 2026 10:04 GMT", "2026-06-05"])
def test_chrome_lines(line):
    assert is_chrome(line)


@pytest.mark.parametrize("line", ["Ferry strike ends after two weeks", "Mayor: the bridge stays shut.",
                                  "Share prices fall as harvest fails", "Home ministry orders inquiry",
                                  "June 5, 2026: the day the river rose"])
def test_headlines_are_not_chrome(line):
    assert not is_chrome(line)


def test_title_skips_chrome_and_section_labels(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Skip to content\n\nMenu\n\nBreaking News\n\nWorld\n\nFarmers count losses after the flood.\n\n"
                    "Share\n\nFarmers in the delta said on Monday that the water had ruined the harvest.", encoding="utf-8")
    assert read_one(path).title == "Farmers count losses after the flood."


def test_a_headline_ending_in_a_full_stop_is_a_title(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text("Council Votes to Reopen the Old Bridge.\n\nThe council voted on Tuesday to reopen it.", encoding="utf-8")
    assert read_one(path).title == "Council Votes to Reopen the Old Bridge."


def test_no_title_for_a_text_that_starts_with_prose_or_a_turn(tmp_path):
    prose = tmp_path / "prose.txt"
    prose.write_text("The council voted on Tuesday to reopen the old bridge, which was closed in March after "
                     "engineers found cracks in two of its pillars, and said traffic would return within a "
                     "week once the last checks were done by the city's own inspectors.\n\nMore text.", encoding="utf-8")
    turns = tmp_path / "turns.txt"
    turns.write_text("Q: Where were you?\n\nA: In the camp.\n\nQ: For how long?\n\nA: Two years.", encoding="utf-8")
    assert read_one(prose).title is None
    assert read_one(turns).title is None


def test_markdown_heading_and_hashtag():
    assert headline("# The heading\n\nBody text.") == "The heading"
    assert headline("#NoFilter Is Everywhere.\n\nBody text.") == "#NoFilter Is Everywhere."


def test_jsonl_title_wins_else_the_headline(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "Given title", "text": "Headline here\n\nBody text."}) + "\n"
                    + json.dumps({"id": "b", "text": "Menu\n\nHeadline here\n\nBody text."}) + "\n", encoding="utf-8")
    assert [d.title for d in iter_documents([str(path)])] == ["Given title", "Headline here"]


@needs_shared
def test_seed_title_is_its_headline_not_chrome():
    doc = read_one(SEED)
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n")]
    assert doc.title in lines
    assert not is_chrome(doc.title) and lines.index(doc.title) > 0
    assert all(is_chrome(ln) for ln in lines[:lines.index(doc.title)])


@needs_shared
def test_polnear_titles_are_their_first_lines():
    folder = SHARED / "bench" / "attribution" / "polnear-dev" / "text"
    paths = sorted(folder.glob("*.txt"))[:20]
    right = sum(read_one(p).title == p.read_text(encoding="utf-8").split("\n")[0].strip() for p in paths)
    assert right >= 0.95 * len(paths)


def test_a_headline_shaped_like_a_turn_above_a_transcript(tmp_path):
    path = tmp_path / "debate.txt"
    path.write_text("Skip to content\n\nMayor Lund: Water Is Back On In The Eastern Districts\n\n"
                    "The mayor spoke to a radio host on Sunday. Partial transcript:\n\n"
                    "HOST: Is the water safe?\n\nLUND: It is, we tested every line twice.\n\n"
                    "HOST: And the bill?\n\nLUND: It will be published next month.", encoding="utf-8")
    assert read_one(path).title == "Mayor Lund: Water Is Back On In The Eastern Districts"
    interview = tmp_path / "interview.txt"
    interview.write_text("Interviewer: Where Were You Born And Raised?\n\nAmal: In Homs, near the river.\n\n"
                         "Interviewer: And Your Family?\n\nAmal: They stayed there.", encoding="utf-8")
    assert read_one(interview).title is None
