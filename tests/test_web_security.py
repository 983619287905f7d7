"""Document text is untrusted: every page escapes it."""
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from sayso.batch import ingest
from sayso.store import Store
from sayso.web import create_app

HOSTILE = ("<script>alert('x')</script> Officials met in Mosul.\n\n"
           "\u201cClick <a href=\"javascript:alert(1)\" onmouseover=\"alert(2)\">here</a> now,\u201d said "
           "Hana <b>Saleh</b>.\n\n<img src=x onerror=alert(3)> \"><svg onload=alert(4)>")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    db = folder / "h.db"
    with Store(db) as store:
        ingest([str(folder / "evil.txt")], store)
    return TestClient(create_app(db))


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


@pytest.mark.parametrize("path", ["/", "/documents/evil", "/quotes", "/quotes?q=click", "/map", "/themes",
                                  "speaker"])
def test_pages_escape_document_text(client, path):
    if path == "speaker":  # the speaker's name itself holds markup here
        from urllib.parse import quote

        path = "/speakers/" + quote(client.get("/api/speakers").json()[0]["name"], safe="")
    response = client.get(path)
    assert response.status_code == 200
    page = Elements()
    page.feed(response.text)
    assert not {"script", "img", "b"} & set(page.tags)
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    assert not [v for name, v in page.attributes if name in ("href", "src") and (v or "").strip().lower().startswith("javascript:")]
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_escaped_text_is_still_shown(client):
    html = client.get("/documents/evil").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
