"""The server's response cache: identical GET requests between two writes share one rendering, and
any write (a review decision through the API, a document another process adds) is seen by the next
request."""
import asyncio
import shutil
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from sayso.review.reviewers import add_reviewer
from sayso.web import create_app
from sayso.web.cache import ResponseCache


class Counting:
    """An ASGI app that answers every request with its path and how many it has rendered."""

    def __init__(self, status=200, streamed=False):
        self.renders, self.status, self.streamed = 0, status, streamed

    async def __call__(self, scope, receive, send):
        self.renders += 1
        body = f"{scope['path']} {self.renders}".encode()
        headers = [] if self.streamed else [(b"content-length", str(len(body)).encode())]
        await asyncio.sleep(0.01)  # long enough for identical requests to arrive meanwhile
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class Version:
    """Every page's version `number`, and `facts`, the version of the pages made of facts alone
    (None: the same as `number`)."""

    def __init__(self):
        self.number = 1
        self.facts = None

    def __call__(self, facts_only=False):
        return self.facts if facts_only and self.facts is not None else self.number

    def wrote(self):
        self.number += 1


def get(cache, path, method="GET", headers=()):
    async def one():
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        scope = {"type": "http", "method": method, "path": path, "query_string": b"", "headers": list(headers)}
        await cache(scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode()

    return one()


def run(*requests):
    async def together():
        return await asyncio.gather(*requests)

    return asyncio.run(together())


def test_identical_requests_share_one_rendering_until_the_version_changes():
    app, version = Counting(), Version()
    cache = ResponseCache(app, version)
    assert run(*[get(cache, "/quotes") for _ in range(5)]) == [(200, "/quotes 1")] * 5  # at once: one rendering
    assert run(get(cache, "/quotes"), get(cache, "/themes")) == [(200, "/quotes 1"), (200, "/themes 2")]
    version.number += 1  # a commit
    assert run(get(cache, "/quotes")) == [(200, "/quotes 3")]
    assert len(cache.entries) == 1  # the old version's entries are gone


def test_pages_made_of_facts_alone_outlive_commits_that_change_no_fact():
    app, version = Counting(), Version()
    version.facts = 1
    cache = ResponseCache(app, version)
    assert run(get(cache, "/quotes"), get(cache, "/claims")) == [(200, "/quotes 1"), (200, "/claims 2")]
    version.number = 2  # the clustering commits
    assert run(get(cache, "/quotes"), get(cache, "/claims")) == [(200, "/quotes 1"), (200, "/claims 3")]
    version.number, version.facts = 3, 3  # a fact changes
    assert run(get(cache, "/quotes"), get(cache, "/claims")) == [(200, "/quotes 4"), (200, "/claims 5")]
    assert len(cache.entries) == 2


def test_a_write_through_the_server_makes_the_next_request_render_again():
    app, version = Counting(), Version()
    cache = ResponseCache(app, version)
    run(get(cache, "/quotes"))
    run(get(cache, "/api/review/quotes/a/q1", method="POST"))
    assert run(get(cache, "/quotes")) == [(200, "/quotes 3")]


def test_what_is_not_kept():
    for app in (Counting(status=404), Counting(streamed=True)):
        cache = ResponseCache(app, Version())
        assert run(get(cache, "/x"), get(cache, "/x"))[1] == (app.status, "/x 2")
    app = Counting()
    cache = ResponseCache(app, Version())
    with_token = get(cache, "/api/review/me", headers=[(b"authorization", b"Bearer t")])
    assert run(with_token)[0][1] == "/api/review/me 1" and not cache.entries


def test_memory_is_bounded():
    app = Counting()
    cache = ResponseCache(app, Version(), max_bytes=30)
    run(*[get(cache, f"/page{n}") for n in range(10)])
    assert cache.size <= 30 and 0 < len(cache.entries) < 10
    assert cache.size == sum(size for _, _, size in cache.entries.values())


@pytest.fixture
def steady_clock(monkeypatch):
    """Entries also expire every RECOUNT_S of the clock: held still here, so that a test sees only
    the changes it makes (a 10 s boundary between two requests made them count again at times)."""
    monkeypatch.setattr("sayso.web.cache.RECOUNT_S", 10 ** 9)


@pytest.fixture
def served(examples_db, tmp_path, steady_clock):
    db = tmp_path / "web.db"
    shutil.copy(examples_db, db)
    team = tmp_path / "team.yaml"
    token = add_reviewer(team, "ana")
    app = create_app(db, allow_write=True, reviewers=team)
    assert app.state.warmed.wait(60)  # the figures' first count, which starts a new store version, is done
    return db, TestClient(app), {"Authorization": f"Bearer {token}"}


def test_a_review_decision_through_the_api_shows_on_the_next_request(served):
    _, client, auth = served
    first = client.get("/api/quotes", params={"limit": 200}).json()
    doc, quote = first[0]["doc_id"], first[0]["id"]
    assert client.get("/api/quotes", params={"limit": 200}).json() == first  # kept, the same
    page = client.get("/quotes", params={"doc": doc}).text
    response = client.post(f"/api/review/quotes/{doc}/{quote}", json={"action": "reject", "version": 0}, headers=auth)
    assert response.status_code == 200
    after = client.get("/api/quotes", params={"limit": 200}).json()
    assert (doc, quote) not in {(q["doc_id"], q["id"]) for q in after} and len(after) == len(first) - 1
    assert client.get("/quotes", params={"doc": doc}).text != page


def test_a_document_another_process_adds_shows_on_the_next_request(served):
    db, client, _ = served
    before = client.get("/api/documents", params={"limit": 200}).json()
    assert client.get("/api/documents", params={"limit": 200}).json() == before
    script = ("import sys\nfrom sayso.ingest.readers import make_document\nfrom sayso.model import Analysis\n"
              "from sayso.store import Store\n"
              "d = make_document('late-memo', 'A memo filed late.')\n"
              "with Store(sys.argv[1]) as s:\n    s.add(d, Analysis(d.id, None, None, d.text_sha256))\n")
    subprocess.run([sys.executable, "-c", script, str(db)], check=True)
    after = client.get("/api/documents", params={"limit": 200}).json()
    assert [d["id"] for d in after] == [d["id"] for d in before] + ["late-memo"]
    assert "late-memo" in client.get("/documents").text


def test_the_pages_of_one_list_share_its_counts_until_a_write(served, monkeypatch):
    import re

    from sayso.store import listing

    _, client, auth = served
    calls = []
    counts = listing._counts
    monkeypatch.setattr(listing, "_counts", lambda *a, **k: calls.append(1) or counts(*a, **k))
    total = lambda html: int(re.search(r"of (\d+) quotes", html).group(1))
    first = client.get("/quotes", params={"kind": "direct", "size": 25}).text
    second = client.get("/quotes", params={"kind": "direct", "size": 100, "sort": "date", "dir": "desc"}).text
    assert len(calls) == 1 and total(first) == total(second) > 1
    quote = client.get("/api/quotes", params={"kind": "direct"}).json()[0]
    client.post(f"/api/review/quotes/{quote['doc_id']}/{quote['id']}", json={"action": "reject", "version": 0},
                headers=auth)
    again = client.get("/quotes", params={"kind": "direct", "size": 100}).text
    assert len(calls) == 2 and total(again) == total(first) - 1


def test_the_clusterings_commits_leave_a_lists_pages_kept_and_a_facts_change_does_not(served, monkeypatch):
    import sqlite3

    from sayso.store import listing
    from sayso.store.db import facts_version

    db, client, auth = served
    calls = []
    counts = listing._counts
    monkeypatch.setattr(listing, "_counts", lambda *a, **k: calls.append(1) or counts(*a, **k))
    page = client.get("/quotes", params={"kind": "indirect"}).text
    claims = client.get("/claims").text
    writer = sqlite3.connect(db)
    before = facts_version(writer)
    with writer:  # what an ingest's clustering commits: claim tables only
        writer.execute("INSERT OR REPLACE INTO claims_state(key, value) VALUES ('test', 1)")
    assert facts_version(writer) == before
    assert client.get("/quotes", params={"kind": "indirect"}).text == page and len(calls) == 1  # kept
    assert client.get("/claims").text == claims
    quote = client.get("/api/quotes", params={"kind": "indirect"}).json()[0]
    with writer:  # a fact changes
        writer.execute("UPDATE quotes SET speaker_role = 'envoy' WHERE doc_id = ? AND id = ?", (quote["doc_id"], quote["id"]))
    writer.close()
    assert "envoy" in client.get("/quotes", params={"kind": "indirect"}).text and len(calls) == 2


def test_a_batch_of_new_documents_makes_one_new_version_not_two(examples_db, tmp_path, steady_clock):
    from sayso.ingest.readers import make_document
    from sayso.model import Analysis
    from sayso.store import Store
    from sayso.store.summary import Figures
    from sayso.web.cache import StoreVersion

    db = tmp_path / "batch.db"
    shutil.copy(examples_db, db)
    figures = Figures(opener=lambda: Store(db, readonly=True))
    with Store(db, readonly=True) as reader:
        figures.refresh(reader.conn)  # counted, as a server's figures are once it is warm
        version = StoreVersion(db, figures)
        before = version(True)
        with Store(db) as writer, writer.batch():
            for n in range(3):
                d = make_document(f"late-{n}", f"A memo filed late, number {n}.")
                writer.add(d, Analysis(d.id, None, None, d.text_sha256))
        after = version(True)
        figures.refresh(reader.conn)  # what the next page does: nothing left to count
        assert before < after == version(True)
        assert figures.every.documents == reader.stats()["documents"]
