"""Run sayso's analysis on a Dask cluster.

The client streams documents from the inputs and cuts them into partitions of fixed size, in a
fixed order, so partition N is the same documents on every run. Each partition is analysed by a
worker, which loads the model once, and written as OUT/<table>/part-NNNNNN.parquet; a marker in
OUT/_done/ says the partition is complete, and a re-run skips it. A document that raises is
listed in OUT/errors.jsonl with its reason and does not cost the partition's other documents; a
worker that dies has its partition retried elsewhere by Dask."""
from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ..ingest import IngestError
from .rows import TABLES, to_rows


@dataclass
class DaskReport:
    partitions: int = 0
    skipped: int = 0  # already written by an earlier run
    documents: int = 0
    failed: list[dict] = field(default_factory=list)
    read_errors: list[IngestError] = field(default_factory=list)


def _marker(out: Path, index: int) -> Path:
    return out / "_done" / f"part-{index:06d}"


def analyse_partition(index: int, documents: list, out: str, settings: dict) -> dict:
    """Analyse one partition on a worker and write its Parquet files; returns counts and errors."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..analyze import analyze_pairs

    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    failed = []

    def fail(doc_id: str, path: str | None, reason: str, where: str) -> None:
        failed.append({"doc": doc_id, "path": path, "partition": index, "reason": reason, "where": where})

    errors = []
    for document, analysis in analyze_pairs(documents, on_error=errors.append, **settings):
        try:
            rows = to_rows(document, analysis)
        except Exception as err:  # one bad document must not cost the others
            fail(document.id, document.path, f"{type(err).__name__}: {err}", traceback.format_exc(limit=2).splitlines()[-1])
            continue
        for table, table_rows in rows.items():
            tables[table].extend(table_rows)
    for error in errors:  # the analysis raised: AnalysisError names the spaCy component
        fail(error.doc_id, error.path, f"analysis failed in {error.stage}: {error.reason}", error.stage)
    root = Path(out)
    for table, table_rows in tables.items():
        folder = root / table
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"part-{index:06d}.parquet"
        tmp = folder / f".part-{index:06d}.parquet.tmp"
        pq.write_table(pa.Table.from_pylist(table_rows) if table_rows else pa.table({"doc_id": pa.array([], pa.string())}),
                       tmp)
        tmp.replace(target)
    errors = root / "_errors" / f"part-{index:06d}.jsonl"
    errors.parent.mkdir(exist_ok=True)
    errors.write_text("".join(json.dumps(f) + "\n" for f in failed), encoding="utf-8")
    marker = _marker(root, index)
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(str(len(documents) - len(failed)), encoding="utf-8")
    return {"index": index, "documents": len(documents) - len(failed), "failed": failed}


def run(paths: Iterable[str], out: str | Path, scheduler: str | None = None, partition_size: int = 200,
        workers: int = 2, on_partition: Callable[[dict], None] | None = None, urls_file: str | None = None,
        **settings) -> DaskReport:
    """Analyse every document under `paths` on the cluster at `scheduler` (a LocalCluster of
    `workers` processes when None) into partitioned Parquet under `out`."""
    from dask.distributed import Client, LocalCluster, as_completed

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = DaskReport()
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = as_completed()
        in_flight = 0
        for index, partition in enumerate(_partitions(paths, partition_size, report, urls_file)):
            report.partitions += 1
            if _marker(out, index).exists():
                report.skipped += 1
                continue
            futures.add(client.submit(analyse_partition, index, partition, str(out), settings,
                                      key=f"sayso-partition-{index}", retries=2, pure=False))
            in_flight += 1
            while in_flight >= 2 * max(1, len(client.scheduler_info()["workers"])):
                in_flight -= 1
                _collect(next(futures).result(), report, on_partition)
        for future in futures:
            _collect(future.result(), report, on_partition)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    _gather_errors(out)
    return report


def _partitions(paths, size: int, report: DaskReport, urls_file: str | None = None):
    from ..batch import read_documents

    documents = _readable(read_documents(paths, urls_file), report)
    while batch := list(islice(documents, size)):
        yield batch


def _readable(items, report: DaskReport):
    for item in items:
        if isinstance(item, IngestError):
            report.read_errors.append(item)
        else:
            yield item


def _collect(result: dict, report: DaskReport, on_partition) -> None:
    report.documents += result["documents"]
    report.failed += result["failed"]
    if on_partition:
        on_partition(result)


def _gather_errors(out: Path) -> None:
    lines = []
    for path in sorted((out / "_errors").glob("part-*.jsonl")):
        lines.append(path.read_text(encoding="utf-8"))
    (out / "errors.jsonl").write_text("".join(lines), encoding="utf-8")


def load(parquet_dir: str | Path, store, on_document: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Bulk-load partitioned Parquet into a store; returns (added, already stored)."""
    import pyarrow.parquet as pq

    from .rows import from_rows

    root = Path(parquet_dir)
    if not (root / "documents").is_dir():
        raise FileNotFoundError(f"{root}: no documents/ folder of Parquet parts")
    added = skipped = 0
    for part in sorted((root / "documents").glob("part-*.parquet")):
        tables = {t: pq.read_table(root / t / part.name).to_pylist() if (root / t / part.name).exists() else []
                  for t in TABLES}
        by_doc: dict[str, dict[str, list[dict]]] = {}
        for table, rows in tables.items():
            for row in rows:
                key = row["id"] if table == "documents" else row["doc_id"]
                by_doc.setdefault(key, {t: [] for t in TABLES})[table].append(row)
        for doc_id, doc_tables in by_doc.items():
            if not doc_tables["documents"]:
                continue
            document, analysis = from_rows(doc_tables)
            if store.add(document, analysis):
                added += 1
            else:
                skipped += 1
            if on_document:
                on_document(doc_id)
    return added, skipped


def query(parquet_dir: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run SQL with DuckDB over the Parquet tables, each available as a view by its name."""
    import duckdb

    root = Path(parquet_dir)
    con = duckdb.connect()
    for table in TABLES:
        if (root / table).is_dir() and any((root / table).glob("*.parquet")):
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{(root / table).as_posix()}/*.parquet',"
                        " union_by_name = true)")
    result = con.execute(sql)
    columns = [d[0] for d in result.description] if result.description else []
    return columns, result.fetchall()
