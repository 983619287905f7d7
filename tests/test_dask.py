"""Distributed mode: a LocalCluster of two workers gives exactly the facts of the single process;
failures are listed and re-runs skip finished partitions."""
import json
import sys

import pytest
from click.testing import CliRunner

from sayso.batch import ingest
from sayso.cli import cli
from sayso.store import Store

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import write_jsonl  # noqa: E402


def facts(db):
    with Store(db, readonly=True) as store:
        return {doc_id: store.analysis(doc_id).to_dict() for doc_id in store.document_ids()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    write_jsonl(folder / "docs.jsonl", 200, seed=9)
    return folder


@pytest.fixture(scope="module")
def dask_run(corpus):
    out = corpus / "parquet"
    result = CliRunner().invoke(cli, ["ingest", str(corpus / "docs.jsonl"), "--engine", "dask", "--workers", "2",
                                      "--partition-size", "50", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out, result


def test_two_workers_give_the_same_facts_as_one_process(corpus, dask_run):
    out, result = dask_run
    assert "200 documents analysed in 4 partitions" in result.output
    single = corpus / "single.db"
    with Store(single) as store:
        ingest([str(corpus / "docs.jsonl")], store)
    loaded = corpus / "loaded.db"
    load = CliRunner().invoke(cli, ["load", str(out), "--db", str(loaded)])
    assert load.exit_code == 0 and "200 added" in load.output
    assert facts(single) == facts(loaded)


def test_rerun_skips_written_partitions(corpus, dask_run):
    out, _ = dask_run
    again = CliRunner().invoke(cli, ["ingest", str(corpus / "docs.jsonl"), "--engine", "dask", "--workers", "1",
                                     "--partition-size", "50", "--out", str(out)])
    assert again.exit_code == 0 and "(4 already written)" in again.output


def test_duckdb_queries_the_parquet_in_place(dask_run):
    out, _ = dask_run
    result = CliRunner().invoke(cli, ["query", "--parquet", str(out), "--format", "json",
                                      "SELECT kind, COUNT(*) AS n FROM quotes GROUP BY kind ORDER BY kind"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["kind"] for r in rows} <= {"direct", "indirect", "according_to"} and sum(r["n"] for r in rows) > 200
    bad = CliRunner().invoke(cli, ["query", "--parquet", str(out), "SELECT nope FROM quotes"])
    assert bad.exit_code == 1 and "sayso: error:" in bad.stderr


def test_a_document_that_raises_is_listed_and_the_rest_kept(tmp_path):
    from sayso.ingest.readers import make_document
    from sayso.scale.dask_runner import analyse_partition

    good = make_document("good", "\u201cThe road is open,\u201d said Omar Khatib.")
    bad = make_document("bad", "A text that will not survive.")
    bad.text = None  # what a broken reader might hand over: the analysis raises on it
    result = analyse_partition(0, [good, bad], str(tmp_path), {})
    assert result["documents"] == 1
    assert result["failed"][0]["doc"] == "bad" and "Error" in result["failed"][0]["reason"]
    assert (tmp_path / "_done" / "part-000000").exists()
