"""The collection's lists take fast paths on big stores (the figures counted once, a walk through
the documents in order that stops at the page); each must give exactly what the plain SQL gives."""
from __future__ import annotations

import re
import sqlite3
from collections import Counter

import pytest

from sayso.store import lists
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


@pytest.mark.parametrize("filters", ["word", "theme", "kind", "word+kind", "word, from the end", "word, from row 4"])
def test_a_page_found_by_walking_the_documents_is_the_page_sql_sorts(conn, monkeypatch, filters):
    params = {"size": 25}
    if "word" in filters:
        params["q"] = _common_word(conn)
    if "theme" in filters:
        params["theme"] = _theme(conn)
    if "kind" in filters:
        params["kind"] = "direct"
    if "end" in filters:
        params["dir"] = "desc"
    if "row 4" in filters:
        params["offset"] = 3  # past the first rows of the first document
    walked = lists.page(conn, lists.QUOTES, params)
    monkeypatch.setattr(lists, "WALK_S", 0.0)  # no time to walk: the rows are gathered and sorted
    sorted_in_sql = lists.page(conn, lists.QUOTES, params)
    assert walked["rows"]
    assert [(r["doc_id"], r["id"]) for r in walked["rows"]] == [(r["doc_id"], r["id"]) for r in sorted_in_sql["rows"]]
    assert walked["more"] == sorted_in_sql["more"]
