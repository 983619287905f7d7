"""The REST API over a store built from examples/."""
import pytest
from fastapi.testclient import TestClient

from sayso.web import create_app


@pytest.fixture(scope="module")
def client(examples_db):
    return TestClient(create_app(examples_db))


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/quotes", "/api/speakers/{name}", "/api/analyze", "/api/search"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "swagger" in docs.lower()


def test_quote_pages_link_to_the_next_from_where_they_ended(client):
    whole = [(q["doc_id"], q["id"]) for q in client.get("/api/quotes", params={"limit": 200}).json()]
    assert len(whole) > 14
    seen, url, pages = [], "/api/quotes?limit=7", 0
    while url:
        response = client.get(url)
        seen += [(q["doc_id"], q["id"]) for q in response.json()]
        link = response.headers.get("link")
        url = link[link.index("<") + 1:link.index(">")] if link else None
        assert not link or "after=" in link and 'rel="next"' in link
        pages += 1
    assert seen == whole and pages == -(-len(whole) // 7) + (len(whole) % 7 == 0)
    by_offset = client.get("/api/quotes", params={"limit": 7, "offset": 7}).json()
    assert [(q["doc_id"], q["id"]) for q in by_offset] == whole[7:14]


def test_quote_filters_and_paging(client):
    direct = client.get("/api/quotes", params={"kind": "direct", "limit": 200}).json()
    assert direct and {q["kind"] for q in direct} == {"direct"}
    by_role = client.get("/api/quotes", params={"role": "farmer"}).json()
    assert {q["speaker_name"] for q in by_role} == {"Yusuf Demir"}
    by_place = client.get("/api/quotes", params={"place": "Mosul"}).json()
    assert by_place and all("Mosul" in q["text"] for q in by_place)
    by_theme = client.get("/api/quotes", params={"theme": "W1"}).json()
    assert any(q["speaker_name"] == "ABU SALIM" for q in by_theme)
    dated = client.get("/api/quotes", params={"date_from": "2026-05-01", "date_to": "2026-05-31"}).json()
    assert {q["doc_id"] for q in dated} == {"brief-ferry", "brief-bridge"}
    first, second = (client.get("/api/quotes", params={"limit": 2, "offset": o}).json() for o in (0, 2))
    assert len(first) == 2 and first != second
    assert client.get("/api/quotes", params={"limit": 100000}).status_code == 422


def test_documents_speakers_places_and_tables(client):
    doc = client.get("/api/documents/camp-water-corrected").json()
    assert doc["analysis"]["corrections"][0]["wrong"] == "the camp was near Kirkuk"
    assert client.get("/api/documents/nope").status_code == 404
    speaker = client.get("/api/speakers/Yusuf Demir").json()
    assert speaker["roles"] == ["farmer"] and len(speaker["quotes"]) == 1
    (split,) = speaker["quotes"]  # "...," said Yusuf Demir, a farmer ... "...": one quote in two parts
    assert [split["text"][s - split["start"]:e - split["start"]] for s, e in split["parts"]] == [
        "The shooting started at dawn and did not stop until noon,", "We lay in the ditch the whole time."]
    coded = [s for s in client.get("/api/speakers").json() if s["entity_id"]]
    for entry in coded:  # by registry id: the page names that entity, whatever its quotes' themes
        assert client.get(f"/api/speakers/{entry['entity_id']}").json()["entity_id"] == entry["entity_id"]
    places = {p["name"]: p for p in client.get("/api/places").json()}
    assert places["Mosul"]["country"] == "IQ"
    for table in ("entities", "counts", "themes", "corrections"):
        assert client.get(f"/api/{table}").status_code == 200


@pytest.mark.parametrize("q", ['"', "AND (", "NEAR(", "*", "a OR", "col:x", "\u201c", "x" * 500])
def test_search_input_never_breaks(client, q):
    assert client.get("/api/search", params={"q": q}).status_code == 200
    assert client.get("/api/quotes", params={"q": q}).status_code == 200
    assert client.get("/quotes", params={"q": q}).status_code == 200


def test_analyze_returns_the_cli_json(client):
    body = client.post("/api/analyze", json={"text": "\u201cWe left at night,\u201d said Hana Saleh in Mosul."}).json()
    assert body["quotes"][0]["speaker"]["name"] == "Hana Saleh"
    assert set(body) == {"doc", "path", "title", "text_sha256", "quotes", "entities", "places", "counts",
                         "themes", "corrections", "language"}
    assert client.post("/api/analyze", json={"text": "x" * 1_000_001}).status_code == 422
    assert client.post("/api/analyze", json={"text": "  "}).status_code == 422


def test_writing_needs_allow_write_and_the_token(examples_db, tmp_path, monkeypatch):
    import shutil

    db = tmp_path / "w.db"
    shutil.copy(examples_db, db)
    doc = {"id": "new", "text": "\u201cThe road is open again,\u201d said Omar Khatib."}
    assert TestClient(create_app(db)).post("/api/documents", json=doc).status_code == 403
    monkeypatch.setenv("SAYSO_TOKEN", "s3cret")
    writer = TestClient(create_app(db, allow_write=True))
    assert writer.post("/api/documents", json=doc).status_code == 401
    assert writer.post("/api/documents", json=doc, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = writer.post("/api/documents", json=doc, headers={"Authorization": "Bearer s3cret"})
    assert ok.json() == {"added": True, "id": "new"}
    again = writer.post("/api/documents", json=doc, headers={"Authorization": "Bearer s3cret"})
    assert again.json()["added"] is False


def test_read_only_server_cannot_write_the_store(examples_db):
    from sayso.store import Store

    before = Store(examples_db, readonly=True).stats()
    client = TestClient(create_app(examples_db))
    client.get("/api/quotes")
    assert Store(examples_db, readonly=True).stats() == before


def test_a_speaker_page_states_all_of_the_speakers_quotes_when_it_shows_only_the_first(examples_db):
    from sayso.store import Store, browse

    with Store(examples_db, readonly=True) as store:
        found = browse.speaker(store.conn, "ABU SALIM", limit=1)
    assert len(found["quotes"]) == 1 and found["total_quotes"] > 1 and found["total_documents"] == 1


def test_every_endpoint_in_the_api_docs_has_a_name_a_description_and_an_example(client):
    spec = client.get("/openapi.json").json()
    operations = [(path, op) for path, ops in spec["paths"].items() for op in ops.values()]
    assert len(operations) >= 20 and all(path.startswith("/api/") for path, _ in operations)
    for path, op in operations:
        assert op["tags"] and not op["summary"].startswith("Api "), path  # not the function's name
        assert "Example: `" in op.get("description", ""), path
