"""sayso.Collection: a store as pandas DataFrames (or Arrow tables), one call per kind of fact."""
import shutil

import pandas as pd
import pytest

import sayso
from sayso import review
from sayso.collection import TABLES
from sayso.store import Store


@pytest.fixture(scope="module")
def collection(examples_db):
    return sayso.Collection(examples_db)


def test_every_kind_of_fact_is_a_dataframe_matching_the_store(collection, examples_db):
    with Store(examples_db, readonly=True) as store:
        stats = store.stats()
        speakers = store.speakers()
    assert len(collection.documents()) == stats["documents"]
    quotes = collection.quotes()
    assert isinstance(quotes, pd.DataFrame) and len(quotes) == stats["quotes"]
    assert {"speaker", "kind", "text", "start", "end", "doc_id", "outlet", "doc_date"} <= set(quotes.columns)
    assert len(collection.speakers()) == len(speakers)
    assert set(collection.entities()["label"]) >= {"PERSON", "GPE"}
    assert len(collection.counts()) == stats["counts"]
    assert len(collection.corrections()) == stats["corrections"]
    assert "Mosul" in set(collection.places()["name"])
    themes = collection.themes()
    assert {"quote_id", "speaker", "code", "label"} <= set(themes.columns) and len(themes)
    claims = collection.claims()
    assert len(claims) and len(claims) == len(set(claims["id"]))  # one row per claim
    assert {"text", "speaker", "sources", "first_date", "occurrences", "altered"} <= set(claims.columns)
    members = collection.claim_members()
    assert len(members) == stats["quotes"] and set(members["claim_id"]) == set(claims["id"])


def test_quote_offsets_point_into_the_documents(collection, examples_db):
    with Store(examples_db, readonly=True) as store:
        texts = {d: store.document(d)["text"] for d in store.document_ids()}
    for row in collection.quotes().itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text


def test_filters_are_those_of_the_web_lists(collection):
    direct = collection.quotes(kind="direct")
    assert len(direct) and set(direct["kind"]) == {"direct"}
    matrix = collection.themes().pivot_table(index="speaker", columns="code", values="quote_id", aggfunc="count")
    assert matrix.notna().any().any()


def test_a_path_that_is_not_a_store_fails_clearly(tmp_path):
    from sayso.store import StoreError

    with pytest.raises(StoreError):
        sayso.Collection(tmp_path / "missing.db")


def records(frame: pd.DataFrame) -> list[dict]:
    """A DataFrame's rows as an Arrow table's to_pylist gives them: a missing value is None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_every_arrow_table_has_the_rows_and_columns_of_its_dataframe(collection):
    for name in TABLES:
        frame, table = getattr(collection, name)(), collection.arrow(name)
        assert table.column_names == list(frame.columns), name
        assert table.to_pylist() == records(frame), name
    direct = collection.arrow("quotes", kind="direct")
    assert direct.num_rows and direct.to_pylist() == records(collection.quotes(kind="direct"))


def test_arrow_types_do_not_depend_on_the_rows(collection, tmp_path):
    """An empty store's tables have the columns and types of a full one's, whose integer columns
    with nulls stay integers and whose all-null columns stay typed."""
    import pyarrow as pa

    with Store(tmp_path / "empty.db"):
        pass
    empty = sayso.Collection(tmp_path / "empty.db")
    for name in TABLES:
        assert empty.arrow(name).schema.equals(collection.arrow(name).schema), name
    assert collection.arrow("places").schema.field("geonames_id").type == pa.int64()
    assert collection.arrow("documents").schema.field("date").type == pa.string()


def test_a_review_shows_in_the_arrow_table_as_in_the_dataframe(examples_db, tmp_path):
    db = tmp_path / "reviewed.db"
    shutil.copy(examples_db, db)
    with Store(db) as store:
        rejected, edited = review.quotes(store.conn)[:2]
        review.decide(store.conn, rejected["doc_id"], rejected["id"], "reject", reviewer="ana")
        review.decide(store.conn, edited["doc_id"], edited["id"], "edit", reviewer="ana", speaker="Dana Reviewed")
    reviewed = sayso.Collection(db)
    rows = reviewed.arrow("quotes").to_pylist()
    assert rows == records(reviewed.quotes())
    keys = {(r["doc_id"], r["id"]): r for r in rows}
    assert (rejected["doc_id"], rejected["id"]) not in keys
    assert keys[edited["doc_id"], edited["id"]]["speaker"] == "Dana Reviewed"
    assert "Dana Reviewed" in set(reviewed.arrow("speakers")["name"].to_pylist())


def test_an_unknown_arrow_table_is_refused(collection):
    with pytest.raises(ValueError, match="quotes"):
        collection.arrow("quote")
