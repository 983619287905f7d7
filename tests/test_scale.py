"""Parallel ingest gives the same facts as the single-process path."""
import sys

from sayso.batch import ingest
from sayso.store import Store

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_jsonl  # noqa: E402


def facts(db):
    with Store(db, readonly=True) as store:
        return {doc_id: store.analysis(doc_id).to_dict() for doc_id in store.document_ids()}


def test_workers_store_the_same_facts_as_one_process(tmp_path):
    path = tmp_path / "docs.jsonl"
    write_jsonl(path, 40, seed=5)
    for name, workers in (("one.db", 1), ("two.db", 2)):
        with Store(tmp_path / name) as store:
            report = ingest([str(path)], store, workers=workers, batch_size=8)
            assert report.added == 40 and not report.errors
    assert facts(tmp_path / "one.db") == facts(tmp_path / "two.db")
