"""An Analysis renders in a notebook (`_repr_html_`) as the highlighted document, offline and escaped."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import SEED, needs_shared
from sayso.notebook import TEXT_ATTR, analysis_html, attach_text

HOSTILE = ('\u201cThe wages stopped <script>alert("x")</script> after the winter,\u201d said Samir Haddad, '
           'a former guard at the <img src=x onerror=alert(1)> depot.\r\n\r\n'
           'He said that 25 guards walked away from their posts. According to the aid office, '
           'about 70 families left the valley.')
LABEL_STYLE = "user-select:none"


class _Reader(HTMLParser):
    """The page's elements and text: the document's text as shown (speaker labels apart), the
    labels and the external resources it would load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.labels, self.loads = [], [], [], []
        self._in_text = self._in_label = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.loads += [v for k, v in attrs.items() if k in ("src", "href") and v]
        style = attrs.get("style") or ""
        if self._in_text:
            self._in_text += 1
            self._in_label += bool(self._in_label) or LABEL_STYLE in style
        elif "white-space:pre-wrap" in style:
            self._in_text = 1

    def handle_endtag(self, tag):
        if self._in_text:
            self._in_text -= 1
            if self._in_label:
                self._in_label -= 1

    def handle_data(self, data):
        if self._in_label:
            self.labels.append(data)
        elif self._in_text:
            self.text.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


@pytest.fixture(scope="module")
def hostile(analyze):
    return attach_text(analyze(HOSTILE, doc_id="guards"), HOSTILE)


def test_text_is_escaped_and_nothing_is_loaded(hostile):
    html = hostile._repr_html_()
    page = read(html)
    assert "script" not in page.tags and "img" not in page.tags and "style" not in page.tags
    assert page.loads == []  # no stylesheet, script, image or link: nothing needs the network
    assert "&lt;script&gt;alert(" in html and "&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_shown_text_is_exactly_the_analysed_text(hostile):
    """The highlighted text put together is the stored (normalised) text: offsets hold."""
    assert "".join(read(hostile._repr_html_()).text) == getattr(hostile, TEXT_ATTR)
    assert "\r" not in getattr(hostile, TEXT_ATTR)


def test_quotes_are_highlighted_with_their_speakers(hostile):
    html = hostile._repr_html_()
    speakers = [q.speaker.name for q in hostile.quotes]
    assert "Samir Haddad" in speakers
    assert read(html).labels == speakers  # one label after each quote, in document order
    direct = next(q for q in hostile.quotes if q.kind == "direct")
    shown = re.search(r'<span style="background:#fff1c2" title="direct quote · cue: said · speaker: Samir Haddad">'
                      r'([^<]*)</span>', html)
    assert shown and shown.group(1).startswith("The wages stopped &lt;script&gt;")
    assert direct.text.startswith("The wages stopped")


def test_counts_and_places_are_marked(analyze):
    text = "The convoy reached Damascus on Monday. Officials said 25 guards left their posts."
    html = attach_text(analyze(text), text)._repr_html_()
    assert re.search(r'title="[^"]*count: 25 guards[^"]*">25 guards</span>', html)
    assert re.search(r'title="Damascus \(SY\)">Damascus</span>', html)


def test_attached_text_is_not_part_of_the_json(hostile):
    data = hostile.to_dict()
    assert TEXT_ATTR not in data and "text" not in data
    json.dumps(data)


def test_another_text_is_refused(hostile):
    with pytest.raises(ValueError, match="not the text that was analysed"):
        attach_text(hostile, HOSTILE.replace("25", "26"))


def test_without_text_the_quotes_are_still_shown(analyze):
    result = analyze("\u201cThe roads are closed,\u201d said Lina Farouk.")
    if hasattr(result, TEXT_ATTR):
        delattr(result, TEXT_ATTR)
    html = analysis_html(result)
    assert "attach_text" in html and "The roads are closed" in html and "Lina Farouk" in html


def test_stored_document_renders_with_escaped_title(tmp_path):
    from sayso.batch import ingest
    from sayso.store import Store

    source = tmp_path / "docs.jsonl"
    source.write_text(json.dumps({"id": "d1", "title": "Guards <b onmouseover=alert(1)>quit</b>",
                                  "text": HOSTILE}) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ingest([str(source)], store)
        analysis = store.analysis("d1")
        text = store.document("d1")["text"]
    html = attach_text(analysis, text)._repr_html_()
    assert "Guards &lt;b onmouseover=alert(1)&gt;quit&lt;/b&gt;" in html and "<b " not in html
    assert "Samir Haddad" in read(html).labels


def test_analyze_keeps_the_text(analyze):
    text = "\u201cThe roads are closed,\u201d said Lina Farouk."
    assert "".join(read(analyze(text)._repr_html_()).text) == text


def test_store_analysis_keeps_the_text(examples_db):
    from sayso.store import Store

    with Store(examples_db, readonly=True) as store:
        doc_id = store.document_ids()[0]
        shown = "".join(read(store.analysis(doc_id)._repr_html_()).text)
        assert shown == store.document(doc_id)["text"]


@needs_shared
def test_real_article_renders(analyze):
    text = SEED.read_text(encoding="utf-8")
    result = attach_text(analyze(text, doc_id="seed"), text)
    page = read(result._repr_html_())
    assert "".join(page.text) == getattr(result, TEXT_ATTR)
    labels = sorted(name for label in page.labels for name in label.split(" · "))  # nested quotes end together
    assert labels == sorted(q.speaker.name or q.speaker.mention or "unknown speaker" for q in result.quotes)
    assert len(page.labels) >= 5
