"""The claims pages and their JSON twins, over a store of our own multi-outlet stories."""
import pytest
from fastapi.testclient import TestClient

from test_claims import LATER, STORIES, _store

from sayso.web import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from sayso.claims import update
    from sayso.store import Store

    path = _store(tmp_path_factory.mktemp("claims"), STORIES + [LATER])
    with Store(path) as store:
        update(store.conn)
    return path


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def test_api_lists_claims_with_filters_and_one_claim_by_id(client):
    every = client.get("/api/claims").json()
    assert len(every) == 2
    (shared,) = client.get("/api/claims", params={"min_sources": 2}).json()
    assert shared["first"]["doc"] == "gazette" and shared["conflicting_speakers"] is True
    assert client.get("/api/claims", params={"altered": "true", "speaker": "Reyes"}).json()[0]["id"] == shared["id"]
    assert client.get(f"/api/claims/{shared['id']}").json() == shared
    assert client.get("/api/claims/C999").status_code == 404
    assert client.get("/api/claims/nonsense").status_code == 404


def test_claim_page_shows_the_timeline_with_the_altered_words_marked(client):
    (shared,) = client.get("/api/claims", params={"min_sources": 2}).json()
    html = client.get(f"/claims/{shared['id']}").text
    assert "<ins>single</ins>" in html and html.count('class="altered"') == 1
    assert html.index("Valley Gazette") < html.index("Daily Ledger")  # earliest first
    listing = client.get("/claims").text
    assert f'href="/claims/{shared["id"]}"' in listing and "also credited to Tomas Reyes" in listing


def test_counts_grouped_page_and_api(client):
    assert client.get("/api/counts/grouped").json() == []
    assert "No count is reported by more than one document" in client.get("/counts/grouped").text


def test_a_store_never_clustered_says_so(tmp_path):
    """Store.add (what `sayso load` and scripts call) stores quotes without clustering them; only
    ingest and `sayso claims` cluster."""
    import sayso
    from sayso.ingest.readers import make_document
    from sayso.store import Store

    path = tmp_path / "unclustered.db"
    documents = [make_document(story["id"], story["text"]) for story in STORIES[:2]]
    with Store(path) as store:
        for document, analysis in zip(documents, sayso.analyze_documents(documents)):
            store.add(document, analysis)
    page = TestClient(create_app(path)).get("/claims").text
    assert "quotes are not clustered yet" in page


def test_the_claims_list_states_its_total_pages_and_downloads_it_whole(client):
    import csv
    import io

    assert "1–1 of 1 claims" in client.get("/claims").text
    every = client.get("/claims", params={"min_sources": 1}).text
    assert "1–2 of 2 claims" in every and 'rel="next"' not in every
    assert "No claim matches these filters" in client.get("/claims", params={"speaker": "Nobody"}).text
    assert [c["id"] for c in client.get("/claims.json", params={"min_sources": 1}).json()] == \
        [c["id"] for c in client.get("/api/claims").json()]
    rows = list(csv.DictReader(io.StringIO(client.get("/claims.csv").text)))
    assert len(rows) == 1 and rows[0]["conflicting_speakers"] == "True" and int(rows[0]["altered"]) >= 1
