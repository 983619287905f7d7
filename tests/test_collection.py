"""sayso.Collection: a store as pandas DataFrames, one call per kind of fact."""
import pandas as pd
import pytest

import sayso
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
