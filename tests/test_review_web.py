"""Review over HTTP: the document page shows the reviewed state, decisions need a writable
server and a reviewer's token, stale edits are refused, and the pages are safe."""
import shutil

import pytest
from fastapi.testclient import TestClient

from sayso.review.reviewers import add_reviewer
from sayso.web import create_app
from test_review import MARKET, WELLS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from sayso.batch import ingest
    from sayso.store import Store

    folder = tmp_path_factory.mktemp("review_web")
    (folder / "docs").mkdir()
    (folder / "docs" / "wells.txt").write_text(WELLS, "utf-8")
    (folder / "docs" / "market.txt").write_text(MARKET, "utf-8")
    db = folder / "built.db"
    with Store(db) as store:
        ingest([str(folder / "docs")], store)
        store.conn.execute("UPDATE documents SET url = 'javascript:alert(1)', source = 'Valley Post'"
                           " WHERE id = 'market'")
        store.conn.execute("UPDATE documents SET url = 'https://example.org/wells?a=1&b=2' WHERE id = 'wells'")
        store.conn.commit()
    return db


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.yaml"
    return path, add_reviewer(path, "ana"), add_reviewer(path, "ben")


@pytest.fixture
def client(built, tmp_path, team):
    db = tmp_path / "web.db"
    shutil.copy(built, db)
    return TestClient(create_app(db, allow_write=True, reviewers=team[0]))


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def quote_id(client, words, doc="wells", status="unreviewed"):
    data = client.get("/api/review/queue", params={"doc": doc, "limit": 100, "status": status}).json()
    return next(q for q in data["quotes"] if words in q["text"])


def test_document_page_shows_speakers_meta_and_spans(client):
    page = client.get("/documents/wells").text
    assert 'data-label="Samir Khoury"' in page and 'data-label="Omar Haddad"' in page
    assert '<a href="https://example.org/wells?a=1&amp;b=2" rel="noopener noreferrer nofollow"' in page
    assert 'href="#row-q1"' in page and 'id="row-q1"' in page and '<span class="anchor" id="q1"></span>' in page
    assert 'href="#q1"' in page  # the row links back to the passage
    assert "<h2>Counts</h2>" in page and 'href="#n1"' in page
    assert 'class="copy-cite" data-citation="“We waited for three days and nobody came” (Samir Khoury' in page
    unsafe = client.get("/documents/market").text
    assert "javascript:alert" in unsafe and 'href="javascript' not in unsafe and "Valley Post" in unsafe
    assert "<script>" not in page and " style=" not in page and " onclick" not in page


def test_text_of_page_is_the_stored_text(client, built):
    """The highlighted text, tags removed, is the stored text: selections map to offsets."""
    import html
    import re

    page = client.get("/documents/wells").text
    article = re.search(r'<article class="doc-text" id="doc-text">(.*?)</article>', page, re.S).group(1)
    stored = client.get("/api/documents/wells").json()["document"]["text"]
    assert html.unescape(re.sub(r"<[^>]+>", "", article)) == stored and stored.strip() == WELLS.strip()


def test_review_needs_write_and_a_token(built, client, team):
    read_only = TestClient(create_app(built))
    q = quote_id(read_only, "We waited")
    assert read_only.post(f"/api/review/quotes/wells/{q['id']}", json={"action": "accept"}).status_code == 403
    assert client.post(f"/api/review/quotes/wells/{q['id']}", json={"action": "accept"}).status_code == 401
    assert client.post(f"/api/review/quotes/wells/{q['id']}", json={"action": "accept"},
                       headers=auth("wrong")).status_code == 401
    assert client.get("/api/review/me", headers=auth(team[1])).json() == {"reviewer": "ana"}
    assert "review-bar" not in read_only.get("/documents/wells").text
    assert "review-bar" in client.get("/documents/wells").text


def test_accept_reject_edit_add_over_http(client, team):
    _, ana, ben = team
    waited, road = quote_id(client, "We waited"), quote_id(client, "road is open")
    done = client.post(f"/api/review/quotes/wells/{waited['id']}", json={"action": "accept", "version": 0},
                       headers=auth(ana)).json()
    assert done["review"]["status"] == "accepted" and done["review"]["reviewer"] == "ana"
    client.post(f"/api/review/quotes/wells/{road['id']}", json={"action": "reject"}, headers=auth(ben))
    page = client.get("/documents/wells").text
    assert "review-rejected" in page  # flagged for reviewers on a writable server ...
    assert "road is open" not in client.get("/api/review/queue", params={"status": "accepted"}).text
    edited = client.post(f"/api/review/quotes/wells/{waited['id']}", json={"action": "edit", "speaker": "Samir K.",
                                                                          "kind": "indirect"},
                         headers=auth(ben)).json()
    assert (edited["speaker_name"], edited["kind"], edited["review"]["status"]) == ("Samir K.", "indirect", "edited")
    start = WELLS.index("the convoy")
    added = client.post("/api/review/documents/wells/quotes", headers=auth(ana),
                        json={"start": start, "end": start + 31, "speaker": "Leila Nassar", "kind": "indirect"})
    assert added.json()["review"]["status"] == "added"
    assert 'data-label="Leila Nassar"' in client.get("/documents/wells").text
    detail = client.get(f"/api/review/quotes/wells/{waited['id']}").json()
    assert [h["reviewer"] for h in detail["history"]] == ["ana", "ben"]
    assert detail["history"][0]["original"]["speaker_name"] == "Samir Khoury"
    lines = client.get("/api/review/decisions.jsonl").text.splitlines()
    assert len(lines) == 4
    bad = client.post("/api/review/documents/wells/quotes", headers=auth(ana),
                      json={"start": 5, "end": 10 ** 6, "speaker": "X"})
    assert bad.status_code == 422 and "not inside" in bad.json()["detail"]
    assert client.post("/api/review/quotes/wells/q99", json={"action": "accept"}, headers=auth(ana)).status_code == 404


def test_stale_edit_is_refused(client, team):
    _, ana, ben = team
    q = quote_id(client, "Prices doubled", "market")
    seen = q["review"]["version"]
    first = client.post(f"/api/review/quotes/market/{q['id']}", json={"action": "accept", "version": seen},
                        headers=auth(ana))
    assert first.status_code == 200
    second = client.post(f"/api/review/quotes/market/{q['id']}", json={"action": "reject", "version": seen},
                         headers=auth(ben))
    assert second.status_code == 409 and "changed by another decision" in second.json()["detail"]
    assert quote_id(client, "Prices doubled", "market", "accepted")["review"]["reviewer"] == "ana"


def test_shared_token_names_the_reviewer(built, tmp_path, monkeypatch):
    monkeypatch.setenv("SAYSO_TOKEN", "s3cret-token")
    db = tmp_path / "shared.db"
    shutil.copy(built, db)
    client = TestClient(create_app(db, allow_write=True))
    me = client.get("/api/review/me", headers={**auth("s3cret-token"), "X-Sayso-Reviewer": "carla"})
    assert me.json() == {"reviewer": "carla"}


def test_a_team_server_takes_only_the_team_tokens(client, monkeypatch):
    monkeypatch.setenv("SAYSO_TOKEN", "s3cret-token")
    assert client.get("/api/review/me", headers=auth("s3cret-token")).status_code == 401


def test_queue_filters_and_typeahead(client, team):
    page = client.get("/review").text
    assert "Review queue" in page and "of " in page
    data = client.get("/api/review/queue", params={"kind": "direct"}).json()
    assert data["total"] == len(data["quotes"]) and {q["kind"] for q in data["quotes"]} == {"direct"}
    assert client.get("/api/review/queue", params={"speaker": "Hana"}).json()["total"] == 2
    assert "No unreviewed quotes with these filters" in client.get("/review", params={"speaker": "Nobody"}).text
    names = [n["name"] for n in client.get("/api/review/speakers", params={"q": "sam"}).json()]
    assert names and names[0] == "Samir Khoury"


def test_entities_merge_split_rename_over_http(client, team):
    _, ana, _ = team
    page = client.get("/review/entities").text
    assert "Samir Khoury" in page and "entity-pick" in page
    narrowed = client.get("/review/entities", params={"q": "saleh"}).text
    assert "Hana Saleh" in narrowed and "Samir Khoury" not in narrowed
    merged = client.post("/api/review/entities", headers=auth(ana),
                         json={"action": "merge", "entity": "Samir Khoury", "other": "Hana Saleh"}).json()
    assert merged["action"] == "merge"
    renamed = client.post("/api/review/entities", headers=auth(ana),
                          json={"action": "rename", "entity": merged["into"], "name": "Samir and Hana"})
    assert renamed.status_code == 200
    split = client.post("/api/review/entities", headers=auth(ana),
                        json={"action": "split", "entity": merged["into"], "name": "hana saleh"})
    assert split.status_code == 200
    wrong = client.post("/api/review/entities", headers=auth(ana), json={"action": "merge", "entity": "Nobody"})
    assert wrong.status_code == 422


def test_review_pages_escape_hostile_text(tmp_path, team):
    from sayso.batch import ingest
    from sayso.store import Store
    from test_web_security import HOSTILE, Elements

    (tmp_path / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    db = tmp_path / "h.db"
    with Store(db) as store:
        ingest([str(tmp_path / "evil.txt")], store)
    client = TestClient(create_app(db, allow_write=True, reviewers=team[0]))
    q = client.get("/api/review/queue").json()["quotes"][0]
    client.post(f"/api/review/quotes/evil/{q['id']}", json={"action": "edit", "speaker": "<img src=x onerror=alert(5)>"},
                headers=auth(team[1]))
    for path in ("/documents/evil", "/review", "/review?status=edited", "/review/entities"):
        response = client.get(path)
        assert response.status_code == 200
        page = Elements()
        page.feed(response.text)
        assert not {"script", "img", "b"} & set(page.tags), path
        assert not [name for name, _ in page.attributes if name.startswith("on")], path
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_quote_lists_and_their_downloads_show_the_reviewed_speaker(built, tmp_path):
    import csv
    import io

    from sayso.review.decisions import decide
    from sayso.store import Store

    db = tmp_path / "lists.db"
    shutil.copy(built, db)
    with Store(db) as store:
        (quote_id,) = [r[0] for r in store.conn.execute(
            "SELECT id FROM quotes WHERE doc_id = 'market' AND speaker_name = 'Yusuf Bakr'")]
        decide(store.conn, "market", quote_id, "edit", reviewer="ana", speaker="Mayor Yusuf Bakr of Eastgate")
    client = TestClient(create_app(db))
    rows = {r["id"]: r for r in client.get("/quotes.json", params={"doc": "market"}).json()}
    assert rows[quote_id]["speaker"] == "Mayor Yusuf Bakr of Eastgate" and rows[quote_id]["review_status"] == "edited"
    assert "Mayor Yusuf Bakr of Eastgate" in client.get("/quotes", params={"doc": "market"}).text
    table = list(csv.DictReader(io.StringIO(client.get("/quotes.csv", params={"doc": "market"}).text)))
    assert {r["speaker"] for r in table if r["id"] == quote_id} == {"Mayor Yusuf Bakr of Eastgate"}
    found = client.get("/quotes.json", params={"speaker": "Eastgate"}).json()  # filters read the edit too
    assert [r["id"] for r in found] == [quote_id]
    speakers = {r["name"]: r["quotes"] for r in client.get("/speakers.json", params={"outlet": "Valley Post"}).json()}
    assert speakers.get("Mayor Yusuf Bakr of Eastgate") == 1 and "Yusuf Bakr" not in speakers


def test_the_overview_counts_the_reviewed_quotes(built, tmp_path):
    from sayso.review.decisions import add, decide
    from sayso.store import Store

    db = tmp_path / "overview.db"
    shutil.copy(built, db)
    client = TestClient(create_app(db))
    before = client.get("/api/overview").json()
    with Store(db) as store:
        quotes = dict(store.conn.execute("SELECT speaker_name, id FROM quotes WHERE doc_id = 'wells'"))
        machine = store.conn.execute("SELECT COUNT(*) FROM quotes WHERE doc_id = 'wells'").fetchone()[0]
        decide(store.conn, "wells", quotes["Samir Khoury"], "reject", reviewer="ana")
        start = WELLS.index("a farmer from the valley")  # no machine quote here
        add(store.conn, "wells", start, start + len("a farmer from the valley"), "Leila Nassar",
            kind="indirect", reviewer="ana")
    fresh = TestClient(create_app(db)).get("/api/overview").json()
    assert fresh["quotes"] == before["quotes"]  # one rejected, one added
    was = {s["name"]: s["quotes"] for s in before["top_speakers"]}
    now = {s["name"]: s["quotes"] for s in fresh["top_speakers"]}
    assert now.get("Samir Khoury", 0) == was["Samir Khoury"] - 1
    assert now["Leila Nassar"] == was.get("Leila Nassar", 0) + 1
    documents = {d["id"]: d["quotes"] for d in TestClient(create_app(db)).get("/documents.json").json()}
    assert documents["wells"] == machine  # one rejected, one added


def test_a_speakers_page_reads_the_reviewed_speakers(built, tmp_path):
    from sayso.review.decisions import decide
    from sayso.store import Store

    db = tmp_path / "speaker.db"
    shutil.copy(built, db)
    client = TestClient(create_app(db))
    before = client.get("/api/speakers/Samir Khoury").json()
    assert before["total_quotes"] >= 2
    moved, dropped = before["quotes"][0], before["quotes"][1]
    with Store(db) as store:
        decide(store.conn, moved["doc_id"], moved["id"], "edit", reviewer="ana", speaker="Rana Haddad of Wells")
        decide(store.conn, dropped["doc_id"], dropped["id"], "reject", reviewer="ana")
    client = TestClient(create_app(db))
    after = client.get("/api/speakers/Samir Khoury")
    left = {q["id"] for q in before["quotes"]} - {moved["id"], dropped["id"]}
    if left:
        assert after.json()["total_quotes"] == len(left) and {q["id"] for q in after.json()["quotes"]} == left
    else:
        assert after.status_code == 404  # none of their quotes is theirs any more
    edited = client.get("/api/speakers/Rana Haddad of Wells").json()
    assert [q["id"] for q in edited["quotes"]] == [moved["id"]] and edited["total_quotes"] == 1
