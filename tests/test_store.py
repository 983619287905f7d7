import sqlite3

import pytest

from sayso.ingest.readers import make_document
from sayso.store import Store, StoreError, fts_query


def test_add_is_idempotent_by_content_and_ids_do_not_collide(tmp_path, analyze):
    with Store(tmp_path / "s.db") as store:
        doc = make_document("note", "\u201cThe wells are dry,\u201d said Hana Saleh.")
        first = store.add(doc, analyze(doc.text, doc.id))
        again = store.add(doc, analyze(doc.text, doc.id))
        assert (first.id, first.added, bool(first)) == ("note", True, True)
        assert (again.id, again.added, bool(again)) == ("note", False, False)
        other = make_document("note", "A different text, said nobody in particular.")
        store.add(other, analyze(other.text, other.id))
        assert store.document_ids() == ["note", f"note-{other.text_sha256[:8]}"]
        assert store.stats()["documents"] == 2


def test_stored_analysis_round_trips(tmp_path, analyze):
    text = "Correction: An earlier version of this story said the bridge was closed. It is open.\n\n" \
           "\u201cWe crossed at dawn,\u201d said Omar Khatib in Aleppo, where 40 families waited."
    analysis = analyze(text, "rt")
    with Store(tmp_path / "s.db") as store:
        store.add(make_document("rt", text), analysis)
        again = store.analysis("rt")
    stored = again.to_dict()
    assert [q.pop("review") for q in stored["quotes"]] == [
        {"status": "unreviewed", "reviewer": None, "reviewed_at": None, "version": 0}] * len(analysis.quotes)
    fresh = analysis.to_dict()
    assert [q.pop("review") for q in fresh["quotes"]] == [None] * len(analysis.quotes)  # analyze stores nothing
    assert stored == fresh


@pytest.mark.parametrize("query", ['"', 'AND (', "NEAR(a b", "*", "col:value", "a OR", "'; DROP TABLE quotes; --", "\u201c"])
def test_search_never_breaks_on_user_input(examples_db, query):
    with Store(examples_db, readonly=True) as store:
        result = store.search(query)
    assert set(result) == {"documents", "quotes"}


def test_fts_query_quotes_every_term():
    assert fts_query('water "relief agency" OR x*') == '"water" "relief agency" "OR" "x"'
    assert fts_query("()*") is None


def test_search_finds_quotes_and_documents(examples_db):
    with Store(examples_db, readonly=True) as store:
        hits = store.search("jerrycan")
    assert [h["doc_id"] for h in hits["quotes"]] == ["camp-water-corrected"]
    assert hits["documents"][0]["id"] == "camp-water-corrected"


def test_readonly_store_refuses_writes_and_missing_files(examples_db, tmp_path):
    with Store(examples_db, readonly=True) as store:
        with pytest.raises(sqlite3.OperationalError):
            store.conn.execute("DELETE FROM quotes")
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.db", readonly=True)


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database", encoding="utf-8")
    with pytest.raises(StoreError, match="not a sayso database"):
        Store(path)
    assert path.read_text(encoding="utf-8") == "these are notes, not a database"


# Every theme's evidence spans, as theme_spans holds them and as the JSON of themes gives them.
SPANS = "SELECT doc_id, code, start, \"end\" FROM theme_spans ORDER BY 1, 2, 3"
EVIDENCE = ("SELECT t.doc_id, t.code, e.value ->> 'start', e.value ->> 'end' FROM themes t, json_each(t.evidence) e"
            " ORDER BY 1, 2, 3")


def test_a_store_from_the_previous_schema_is_upgraded_in_place(tmp_path, analyze):
    path = tmp_path / "old.db"
    text = ("Some 40 families left the village, said Omar Khatib. Karim is one of the fighters who left the"
            " militia.\n\n\u201cThey paid me a salary and gave me a house,\u201d said Karim.")  # with themes
    with Store(path) as store:
        store.add(make_document("old", text), analyze(text, "old"))
    conn = sqlite3.connect(path)  # make it look like a store written before counts had events
    with conn:
        for (view,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
            conn.execute(f"DROP VIEW {view}")  # views of later parts of sayso read the new columns
        conn.execute("ALTER TABLE counts DROP COLUMN event")
        conn.execute("ALTER TABLE counts DROP COLUMN upper")
        conn.execute("ALTER TABLE counts DROP COLUMN quote_id")
        conn.execute("ALTER TABLE counts DROP COLUMN claimed_by")
        conn.execute("ALTER TABLE counts DROP COLUMN implied")  # and before schema 3's columns
        for column in ("confidence", "speaker_type", "speaker_resolved_by", "page", "start_s", "end_s"):
            conn.execute(f"ALTER TABLE quotes DROP COLUMN {column}")
        conn.execute("ALTER TABLE documents DROP COLUMN language")
        conn.execute("ALTER TABLE documents DROP COLUMN layout")
        for column in ("claim_start", "claim_end", "claim_says"):  # and before schema 4's
            conn.execute(f"ALTER TABLE corrections DROP COLUMN {column}")
        conn.execute("ALTER TABLE quotes DROP COLUMN parts")  # and schema 5's
        conn.execute("DROP TABLE theme_spans")  # and schema 6's, with the triggers that fill it
        for trigger in ("themes_spans_ai", "themes_spans_ad", "themes_spans_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(StoreError, match="to upgrade it"):
        Store(path, readonly=True)
    with Store(path) as store:
        assert store.analysis("old").counts[0].number == 40  # kept, with no event until re-analysed
        assert store.analysis("old").counts[0].event is None
        newer = "Around 12 men fled the camp."
        store.add(make_document("new", newer), analyze(newer, "new"))
        assert store.analysis("new").counts[0].event == "flee"
    with Store(path, readonly=True) as store:
        assert store.stats()["documents"] == 2
        assert [tuple(r) for r in store.conn.execute(SPANS)] == [tuple(r) for r in store.conn.execute(EVIDENCE)] != []


def test_every_table_is_a_fact_table_or_one_the_lists_never_read(tmp_path):
    """A new table must be placed: among FACT_TABLES (its writes make the server's kept list pages
    stale) or among those the lists and their pages never read."""
    from sayso.store.db import FACT_TABLES, facts_version

    never_read_by_lists = {"meta", "facts_version", "claims", "claim_members", "claim_stats", "claims_state",
                           "claim_keys", "wire_keys", "wire_groups"}
    with Store(tmp_path / "s.db") as store:
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if not r[0].startswith(("quotes_fts", "documents_fts"))}
        assert tables == set(FACT_TABLES) | never_read_by_lists
        before = facts_version(store.conn)
        with store.conn:
            store.conn.execute("INSERT INTO claims_state(key, value) VALUES ('k', 1)")
        assert facts_version(store.conn) == before
        watched = {(r[0], r[1].split()[4]) for r in store.conn.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_facts_%'")}
        assert watched == {(t, op) for t in FACT_TABLES for op in ("INSERT", "UPDATE", "DELETE")}
        with store.conn:
            store.conn.execute("INSERT INTO runs(started_at, sayso_version, model) VALUES ('now', 'v', 'm')")
            store.conn.execute("UPDATE runs SET model = 'n'")
            store.conn.execute("DELETE FROM runs")
        assert facts_version(store.conn) == before + 3


def test_theme_spans_follow_the_themes_evidence_through_re_analysis_and_deletion(examples_db, tmp_path):
    import shutil

    from sayso.review.reanalyze import reanalyze

    db = tmp_path / "spans.db"
    shutil.copy(examples_db, db)
    with Store(db) as store:
        read = lambda sql: [tuple(r) for r in store.conn.execute(sql)]
        assert read(SPANS) == read(EVIDENCE) != []
        coded = store.conn.execute("SELECT doc_id FROM themes LIMIT 1").fetchone()[0]
        reanalyze(store, [coded])
        assert read(SPANS) == read(EVIDENCE)
        with store.conn:
            store.conn.execute("DELETE FROM documents WHERE id = ?", (coded,))
        assert read(SPANS) == read(EVIDENCE) and coded not in {r[0] for r in read(SPANS)}
