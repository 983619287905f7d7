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
        if tag == "script" and (dict(attrs).get("src") or "").startswith(("/static/", "/static-offline-docs/")):
            return  # the pages' own script files (the CSP allows no other script)
        self.tags.append(tag)
        self.attributes += attrs


@pytest.mark.parametrize("path", ["/", "/documents/evil", "/quotes", "/quotes?q=click", "/map", "/themes",
                                  "speaker", "/speakers", "/entities", "/counts", "/corrections", "/timeline",
                                  "/timeline?by=speaker", "/quotes?q=%3Cscript%3E&kind=direct"])
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


# ---- no internal parameter, no echo, bounded bodies -------------------------------------------------

@pytest.fixture(scope="module")
def examples(examples_db):
    return TestClient(create_app(examples_db))


def test_no_internal_parameter_is_reachable(examples):
    entities = examples.get("/api/entities", params={"_t": "corrections"})
    assert entities.status_code == 200 and entities.json() and "wrong" not in entities.json()[0]
    for table in ("themes", "entities", "counts", "corrections"):
        assert examples.get(f"/api/{table}", params={"_t": "nope"}).status_code == 200
    spec = examples.get("/openapi.json").json()
    names = {p["name"] for path in spec["paths"].values() for op in path.values() for p in op.get("parameters", [])}
    assert not [n for n in names if n.startswith("_")]


def test_validation_errors_never_echo_the_body(examples):
    sent = "A" * 200_000
    response = examples.post("/api/analyze", json={"txt": sent})
    assert response.status_code == 422
    assert len(response.content) < 2000 and "AAAA" not in response.text
    assert response.json()["detail"][0]["loc"] == ["body", "text"]


def test_request_bodies_are_capped_by_length_and_while_streaming(examples):
    from sayso.web.security import MAX_BODY

    big = b'{"text": "' + b"x" * (MAX_BODY + 10) + b'"}'
    assert examples.post("/api/analyze", content=big, headers={"content-type": "application/json"}).status_code == 413

    def chunks():  # no Content-Length: the body streams in
        for _ in range(MAX_BODY // 1_000_000 + 2):
            yield b"x" * 1_000_000

    response = examples.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_anonymous_analysis_is_small_and_one_at_a_time(examples, monkeypatch):
    from fastapi import HTTPException

    from sayso.web.api import ANONYMOUS_TEXT
    from sayso.web.security import AnalysisGate

    long_text = "The ferry ran late. " * (ANONYMOUS_TEXT // 20 + 1)
    refused = examples.post("/api/analyze", json={"text": long_text})
    assert refused.status_code == 413 and "SAYSO_TOKEN" in refused.json()["detail"]
    gate = AnalysisGate(10)
    with gate.turn(trusted=False):
        with pytest.raises(HTTPException) as busy:
            with gate.turn(trusted=False):
                pass
        assert busy.value.status_code == 503
    with gate.turn(trusted=False):  # free again
        pass


def test_the_token_lifts_the_size_limit(examples, monkeypatch):
    from sayso.web.api import ANONYMOUS_TEXT

    monkeypatch.setenv("SAYSO_TOKEN", "s3cret")
    text = "x" * (ANONYMOUS_TEXT + 1)
    assert examples.post("/api/analyze", json={"text": text}).status_code == 413
    ok = examples.post("/api/analyze", json={"text": text}, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["quotes"] == []


# ---- host names, frames, CSP everywhere ----------------------------------------------------------------

def test_only_the_served_host_names_are_answered(examples_db):
    app = create_app(examples_db, allowed_hosts=["localhost", "127.0.0.1", "::1", "sayso.lan"])
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "sayso.lan", "LOCALHOST"):
        assert TestClient(app).get("/api/overview", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "localhost.evil.example", "", "testserver"):
        assert TestClient(app).get("/api/overview", headers={"host": host}).status_code == 400, host


def test_every_page_has_frame_and_content_policies_and_docs_has_no_inline_script(examples):
    for path in ("/", "/quotes", "/docs", "/api/overview", "/themes", "/map"):
        headers = examples.get(path).headers
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self'" in headers["content-security-policy"], path
    html = examples.get("/docs").text
    assert html.count("<script") == html.count("<script src=")


def test_docs_show_the_json_api_only_grouped_and_described(examples):
    spec = examples.get("/openapi.json").json()
    assert spec["paths"] and all(p.startswith("/api/") for p in spec["paths"])
    core = {"/api/overview", "/api/documents", "/api/documents/{doc_id}", "/api/quotes", "/api/speakers",
            "/api/speakers/{name}", "/api/places", "/api/entities", "/api/counts", "/api/themes", "/api/corrections",
            "/api/search", "/api/analyze"}
    assert core <= set(spec["paths"])
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("tags"), path
            if path in core:
                assert len(op.get("description", "")) > 30 and not op["summary"].startswith("Api "), path


# ---- writes say what was stored ---------------------------------------------------------------------

def test_simultaneous_identical_posts_all_name_the_stored_document(examples_db, tmp_path, monkeypatch):
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    db = tmp_path / "w.db"
    shutil.copy(examples_db, db)
    monkeypatch.setenv("SAYSO_TOKEN", "s3cret")
    writer = TestClient(create_app(db, allow_write=True))
    doc = {"id": "camp-water", "text": "\u201cThe well is dry again,\u201d said Omar Khatib in the camp."}

    def post(_):
        return writer.post("/api/documents", json=doc, headers={"Authorization": "Bearer s3cret"}).json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(8)))
    with Store(db, readonly=True) as store:
        stored = store.conn.execute("SELECT id FROM documents WHERE text LIKE '%well is dry%'").fetchall()
    assert len(stored) == 1
    assert {a["id"] for a in answers} == {stored[0][0]}
    assert sum(a["added"] for a in answers) == 1


def test_serve_without_a_store_is_one_line(tmp_path):
    from click.testing import CliRunner

    from sayso.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.stderr
