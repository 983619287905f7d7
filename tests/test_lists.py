"""The collection's lists take fast paths on big stores (the figures counted once, a walk through
the documents in order that stops at the page); each must give exactly what the plain SQL gives."""
from __future__ import annotations

import re
import sqlite3
from collections import Counter

import pytest

from sayso.store import listing, lists
from sayso.store.summary import Summary


@pytest.fixture
def conn(examples_db):
    connection = sqlite3.connect(f"file:{examples_db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def _speaker_rows(rows: list[dict]) -> set[tuple]:
    split = lambda text: frozenset((text or "").split(",")) - {""}
    return {(r["name"], r["entity_id"], r["quotes"], r["documents"], split(r["roles"]), split(r["orgs"]),
             (r["first"] or "")[:10], (r["last"] or "")[:10]) for r in rows}


def test_speakers_by_role_from_the_figures_are_those_counted_in_sql(conn):
    summary = Summary().refresh(conn)
    roles = [r[0] for r in conn.execute("SELECT DISTINCT speaker_role FROM quotes WHERE speaker_role IS NOT NULL")]
    assert roles
    asked = roles + [role.split()[-1].upper() for role in roles]  # whole roles, and a last word in capitals
    answered = 0
    for role in asked:
        if summary.figures_for("speakers", [("role", "role", role)]) is None:
            continue  # a speaker gives two roles with this word: counted in SQL
        answered += 1
        params = {"role": role, "size": 200}
        from_figures = lists.page(conn, lists.SPEAKERS, params, summary)
        in_sql = lists.page(conn, lists.SPEAKERS, params)
        assert from_figures["rows"], role
        assert _speaker_rows(from_figures["rows"]) == _speaker_rows(in_sql["rows"]), role
        assert from_figures["total"] == in_sql["total"] == len(in_sql["rows"])
    assert answered >= len(roles) // 2


def _common_word(conn) -> str:
    words = Counter(w.lower() for (text,) in conn.execute("SELECT text FROM quotes")
                    for w in re.findall(r"[A-Za-z]{4,}", text))
    return words.most_common(1)[0][0]


def _theme(conn) -> str:
    return conn.execute("SELECT code FROM themes GROUP BY code ORDER BY COUNT(*) DESC").fetchone()[0]


def _place(conn) -> str:
    """The place mentioned inside the most quotes, as the place filter names it (name|country)."""
    return conn.execute("SELECT p.name || '|' || COALESCE(p.country, '') FROM places p JOIN mentions m"
                        " ON m.doc_id = p.doc_id AND m.fact_table = 'places' AND m.fact_id = p.id JOIN quotes q"
                        " ON q.doc_id = p.doc_id AND m.start >= q.start AND m.\"end\" <= q.\"end\""
                        " GROUP BY 1 ORDER BY COUNT(*) DESC").fetchone()[0]


@pytest.mark.parametrize("filters", ["word", "theme", "place", "kind", "word+kind", "word, from the end",
                                     "word, from row 4"])
def test_a_page_found_by_walking_the_documents_is_the_page_sql_sorts(conn, monkeypatch, filters):
    params = {"size": 25}
    if "word" in filters:
        params["q"] = _common_word(conn)
    if "theme" in filters:
        params["theme"] = _theme(conn)
    if "place" in filters:
        params["place"] = _place(conn)
    if "kind" in filters:
        params["kind"] = "direct"
    if "end" in filters:
        params["dir"] = "desc"
    if "row 4" in filters:
        params["offset"] = 3  # past the first rows of the first document
    monkeypatch.setattr(listing, "SORT_FIRST_S", 0.0)  # no time to sort first: the documents are walked
    walked = lists.page(conn, lists.QUOTES, params)
    monkeypatch.setattr(listing, "WALK_S", 0.0)  # nor to walk: the rows are gathered and sorted
    sorted_in_sql = lists.page(conn, lists.QUOTES, params)
    assert walked["rows"]
    assert [(r["doc_id"], r["id"]) for r in walked["rows"]] == [(r["doc_id"], r["id"]) for r in sorted_in_sql["rows"]]
    assert walked["more"] == sorted_in_sql["more"]


def _place_rows(rows: list[dict]) -> list[tuple]:
    return [(r["name"], r["country"], r["feature"], r["geonames_id"], r["mentions"], r["documents"]) for r in rows]


def test_places_from_the_figures_are_those_counted_in_sql(conn):
    summary = Summary().refresh(conn)
    country, feature, name = conn.execute("SELECT country, feature, substr(name, 2, 3) FROM places"
                                          " WHERE country IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC").fetchone()
    asked = [{}, {"country": country}, {"feature": feature}, {"name": name.upper()}, {"resolved": "no"},
             {"resolved": "yes", "country": country}]
    for filters in asked:
        active = [(param, param, value) for param, value in filters.items()]
        assert summary.figures_for("places", active) is not None, filters
        for sort in ("name", "country", "mentions", "documents"):
            params = {**filters, "sort": sort, "size": 200}
            from_figures = lists.page(conn, lists.PLACES, params, summary)
            in_sql = lists.page(conn, lists.PLACES, params)
            assert from_figures["total"] == in_sql["total"] == len(in_sql["rows"]), (filters, sort)
            assert sorted(_place_rows(from_figures["rows"])) == sorted(_place_rows(in_sql["rows"])), (filters, sort)
            if sort == "name":  # names are distinct enough in the examples for one order
                assert [r["name"].casefold() for r in from_figures["rows"]] == \
                    [r["name"].casefold() for r in in_sql["rows"]]
        for facet in ("country", "feature", "outlet"):
            counted = {(v["value"], v["n"]) for v in (in_sql["facets"][facet] or [])}
            assert {(v["value"], v["n"]) for v in from_figures["facets"][facet]} == counted, (filters, facet)
    assert summary.figures_for("places", [("outlet", "outlet", "any")]) is None  # counted in SQL


def test_paging_on_from_where_the_last_page_ended_gives_every_row_once_in_order(conn):
    spec = lists.QUOTES
    whole = [(r["doc_id"], r["id"]) for r in lists.stream(conn, spec, {})]
    assert len(whole) > 25
    seen, params = [], {"size": 25}
    while True:
        result = lists.page(conn, spec, params)
        seen += [(r["doc_id"], r["id"]) for r in result["rows"]]
        if not result["more"]:
            break
        params = {"size": 25, "offset": len(seen), "after": result["next_after"]}
        assert params["after"]
    assert seen == whole
    pages = [seen[n:n + 25] for n in range(0, len(seen), 25)]
    for before, page in zip(pages, pages[1:]):  # back from each page: the page before it
        first = {"doc_id": page[0][0], "id": page[0][1]}
        result = lists.page(conn, spec, {"size": 25, "offset": 25, "before": spec.keyset.of(conn, first)})
        assert [(r["doc_id"], r["id"]) for r in result["rows"]] == before and result["more"]
    by_date = lists.clean(spec, {"sort": "date", "after": result.get("next_after") or "1:0:1"})
    assert "after" not in by_date and "after" not in lists.clean(spec, {"after": "1:x:2"})


def test_a_recount_runs_beside_the_readers_who_keep_the_figures_counted_before(examples_db, tmp_path):
    import shutil

    from sayso.store import Store
    from sayso.store.registry import merge

    db = tmp_path / "recount.db"
    shutil.copy(examples_db, db)
    summary = Summary(opener=lambda: Store(db, readonly=True))
    with Store(db) as store:
        conn = store.conn
        summary.refresh(conn)
        before = summary.overview()["speakers"]
        two = [r[0] for r in conn.execute("SELECT DISTINCT speaker_registry_id FROM quotes"
                                          " WHERE speaker_registry_id IS NOT NULL LIMIT 2")]
        merge(conn, two[0], two[1], who="test")
        assert summary.refresh(conn).overview()["speakers"] == before  # the old figures, at once
        summary._recounting.join(timeout=60)
        assert summary.refresh(conn).overview()["speakers"] == before - 1  # the recount, in place
        assert summary.registry_changes == conn.execute("SELECT MAX(id) FROM registry_changes").fetchone()[0]


def test_matching_quotes_counted_and_faceted_in_one_read_as_by_the_filters(conn, monkeypatch):
    words = [w for w, in conn.execute("SELECT speaker_role FROM quotes WHERE speaker_role IS NOT NULL LIMIT 3")]
    asked = [{"kind": "direct"}, {"q": "said"}, {"role": words[0]}, {"q": "the", "kind": "indirect"},
             {"theme": "W1"}, {"q": "nothing-of-the-kind"}]
    few = [lists.page(conn, lists.QUOTES, params) for params in asked]
    monkeypatch.setattr(listing, "ONE_PASS", -1)  # never: every count and facet by its own query
    by_filters = [lists.page(conn, lists.QUOTES, params) for params in asked]
    assert [(r["total"], r["facets"], r["rows"]) for r in few] == \
        [(r["total"], r["facets"], r["rows"]) for r in by_filters]
    assert any(r["total"] for r in few) and any(len(r["facets"]["speaker"] or []) > 1 for r in few)
    assert all(any(r["facets"][name] for r in few) for name in ("theme", "place", "month", "outlet", "kind"))



def test_a_budget_counts_the_work_of_its_own_thread_not_the_time_others_take(conn):
    # eight requests at once share the server: the clock runs on while the others work, and a
    # budget measured by it ran out before any count was done
    import time

    budget = listing.Budget(conn, seconds=0.05)
    time.sleep(0.1)  # another request's turn
    assert budget("SELECT COUNT(*) FROM quotes") is not None
    spent = listing.Budget(conn, seconds=0.0)
    assert spent("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000)"
                 " SELECT COUNT(*) FROM n") is None


def test_a_page_walks_the_documents_when_all_rows_match_and_sorts_a_few_matches(conn):
    params = lists.clean(lists.QUOTES, {})
    total = conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    assert total > 40
    assert listing._walk_first(conn, lists.QUOTES, params, total, total // 20)  # a page of a twentieth
    assert not listing._walk_first(conn, lists.QUOTES, params, total, total)  # all of them: sorted
    searched = lists.clean(lists.QUOTES, {"q": "said"})
    assert not listing._walk_first(conn, lists.QUOTES, searched, 20, 51)


def test_facets_in_one_statement_follow_review_decisions_as_the_queries_do(examples_db, tmp_path, monkeypatch):
    import shutil

    from sayso.review.decisions import decide
    from sayso.store import Store

    db = tmp_path / "reviewed.db"
    shutil.copy(examples_db, db)
    with Store(db) as store:
        quotes = store.conn.execute("SELECT doc_id, id FROM quotes WHERE speaker_name IS NOT NULL LIMIT 3").fetchall()
        decide(store.conn, *quotes[0], "reject", reviewer="test")
        decide(store.conn, *quotes[1], "edit", reviewer="test", speaker="Someone Else", kind="indirect")
        decide(store.conn, *quotes[2], "accept", reviewer="test")
        conn = store.conn
        asked = [{"kind": "direct"}, {"kind": "indirect"}, {"q": "said"}, {"status": "edited"}, {"status": "rejected"}]
        one = [lists.page(conn, lists.QUOTES, params) for params in asked]
        monkeypatch.setattr(listing, "ONE_PASS", -1)
        separately = [lists.page(conn, lists.QUOTES, params) for params in asked]
    assert [(r["total"], r["facets"]) for r in one] == [(r["total"], r["facets"]) for r in separately]
    statuses = {v["value"] for r in one for v in r["facets"]["status"] or []}
    assert {"edited", "accepted"} <= statuses
    assert any(v["label"] == "Someone Else" for r in one for v in r["facets"]["speaker"] or [])
