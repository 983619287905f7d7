"""Claims benchmark: sayso's quote clusters, altered flags, conflicting-speaker flags and wire
groups on the synthetic multi-outlet collection of bench/claims_synthetic.py, through the real
pipeline (ingest, then claims.update).

    python bench/claims.py [--stories N] [--seed S] [--show-errors]
    python bench/claims.py --wire-pairs STORE.db
    python bench/claims.py --scale N [--db FILE]

Prints cluster pairwise precision/recall/F1 (pairs of quotes in one claim), altered
precision/recall (occurrences), conflicting-speaker precision/recall (claims), wire-group
pairwise F1, and how many quotes of the truth the extraction did not find. --wire-pairs prints,
for a store, how the documents' 5-shingle Jaccard similarities are spread over the pairs a
MinHash LSH at Jaccard 0.1 finds (what the wire-copy threshold is chosen from). --scale N
clusters N synthetic quotes (60% new, 40% reprints, excerpts and altered versions of one of the
last 10,000) straight into the claims tables of an empty SQLite file, on one core, and prints
the wall and CPU time (the CPU time is what one core spends: on a shared machine the wall time
also counts the waiting), the resident memory and the file size every 10% of the way.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def pairwise(truth: dict, predicted: dict) -> tuple[float, float, float]:
    """Pairs of items in one truth group vs in one predicted group (items in both maps)."""
    items = [k for k in truth if k in predicted]
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_t, same_p = truth[a] == truth[b], predicted[a] == predicted[b]
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    return prf(tp, fp, fn)


def _match(stored: list[dict], wanted: list[dict]):
    """Pair each truth quote of a document with the stored quote that has its words."""
    from sayso.claims.text import content, norm

    pairs = []
    free = list(stored)
    for q in wanted:
        target = content(norm(q["text"]))
        hit = next((s for s in free if content(norm(s["text"])) == target), None)
        if hit is not None:
            free.remove(hit)
            pairs.append((q, hit))
    return pairs


def run(stories: int, seed: int, show_errors: bool = False) -> dict:
    from claims_synthetic import generate

    from sayso.batch import ingest
    from sayso.claims import clusters, update
    from sayso.claims.report import same_person, name_key
    from sayso.store import Store

    docs, truth = generate(stories, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "collection.jsonl"
        import json

        path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        with Store(Path(tmp) / "claims.db") as store:
            ingest([str(path)], store)
            started = time.perf_counter()
            update(store.conn)
            seconds = time.perf_counter() - started
            wire_seconds = None
            try:
                from sayso.claims.wire import update as wire_update

                started = time.perf_counter()
                wire_update(store.conn)
                wire_seconds = time.perf_counter() - started
                wire = dict(store.conn.execute("SELECT doc_id, wire_group FROM wire_groups").fetchall())
            except ImportError:
                wire = None
            stored = [dict(r) for r in store.conn.execute("SELECT doc_id, id, text, speaker_name FROM quotes")]
            described = list(clusters(store.conn))
    occurrence = {(o["doc"], o["quote_id"]): (c, o) for c in described for o in c["occurrences"]}
    by_doc: dict[str, list] = {}
    for s in stored:
        by_doc.setdefault(s["doc_id"], []).append(s)
    wanted_by_doc: dict[str, list] = {}
    for q in truth["quotes"]:
        wanted_by_doc.setdefault(q["doc"], []).append(q)
    matched = [pair for doc, wanted in wanted_by_doc.items() for pair in _match(by_doc.get(doc, []), wanted)]
    key = {id(q): n for n, (q, _) in enumerate(matched)}
    truth_claim = {key[id(q)]: q["claim"] for q, _ in matched}
    predicted = {key[id(q)]: occurrence[(s["doc_id"], s["id"])][0]["id"] for q, s in matched}
    results = {"quotes": len(truth["quotes"]), "found": len(matched), "seconds": seconds,
               "pairwise": pairwise(truth_claim, predicted)}
    tp = fp = fn = 0
    for q, s in matched:
        got = occurrence[(s["doc_id"], s["id"])][1]["altered"]
        tp += got and q["altered"]
        fp += got and not q["altered"]
        fn += q["altered"] and not got
        if show_errors and got != q["altered"]:
            print(f"  altered {got} for {q['kind']}: {q['text']!r} {occurrence[(s['doc_id'], s['id'])][1]['changes']}")
    results["altered"] = prf(tp, fp, fn)
    claims_truth: dict[str, list] = {}
    for q, s in matched:
        claims_truth.setdefault(q["claim"], []).append((q, s))
    tp = fp = fn = 0
    for claim, members in claims_truth.items():
        if len(members) < 2:
            continue
        wrong = any(q["misattributed"] for q, _ in members)
        cluster = occurrence[(members[0][1]["doc_id"], members[0][1]["id"])][0]
        got = cluster["conflicting_speakers"]
        tp += got and wrong
        fp += got and not wrong
        fn += wrong and not got
        if show_errors and got != wrong:
            print(f"  conflicting {got} for {claim}: {cluster['speakers']} vs {[q['speaker'] for q, _ in members]}")
    results["conflicting"] = prf(tp, fp, fn)
    if wire is not None:
        truth_wire = {d["id"]: d["id"] for d in docs}
        for first, copy in truth["wire_groups"]:
            truth_wire[copy] = first
        results["wire"] = pairwise(truth_wire, wire)
        results["wire_seconds"] = wire_seconds
    return results


def wire_pairs(db: str) -> None:
    import sqlite3
    from collections import Counter

    from datasketch import MinHashLSH

    from sayso.claims import wire

    docs = sqlite3.connect(db).execute("SELECT id, text FROM documents").fetchall()
    found = {doc_id: wire.shingles(text) for doc_id, text in docs}
    signatures = {}
    for doc_id, shingles in found.items():
        signatures[doc_id] = wire.MinHash(num_perm=64, seed=11)
        signatures[doc_id].update_batch(list(shingles))
    lsh = MinHashLSH(threshold=0.1, num_perm=64)
    for doc_id, signature in signatures.items():
        lsh.insert(doc_id, signature)
    pairs = {tuple(sorted((a, b))) for a in signatures for b in lsh.query(signatures[a]) if a != b}
    similarity = sorted(((wire.jaccard(found[a], found[b]), a, b) for a, b in pairs), reverse=True)
    print(f"{len(docs)} documents, {len(pairs)} candidate pairs; Jaccard (rounded to 0.1): pairs")
    for bucket, n in sorted(Counter(round(j, 1) for j, _, _ in similarity).items()):
        print(f"  {bucket:.1f}: {n}")
    for j, a, b in similarity[:10]:
        print(f"  {j:.3f} {a} {b}")


def scale(n: int, db: str | None) -> None:
    import os
    import random
    import sqlite3
    from importlib import resources

    from claims_synthetic import _quote, _variant

    from sayso.claims.index import Clusterer

    path = Path(db or tempfile.mkdtemp(prefix="sayso-scale-")) / "scale.db" if not db else Path(db)
    conn = sqlite3.connect(path)
    conn.executescript(resources.files("sayso.claims").joinpath("schema.sql").read_text("utf-8"))
    clusterer, rng, recent = Clusterer(conn), random.Random(5), []
    page = os.sysconf("SC_PAGE_SIZE")
    started, cpu = time.perf_counter(), time.process_time()
    print(f"{'quotes':>9} {'wall s':>8} {'CPU s':>8} {'quotes/CPU s':>12} {'RSS MB':>7} {'file MB':>8} {'claims':>9}")
    for i in range(1, n + 1):
        if recent and rng.random() < 0.4:
            text = _variant(rng, rng.choice(recent))[1]
        else:
            text = _quote(rng)
            recent.append(text)
            if len(recent) > 10_000:
                recent.pop(rng.randrange(len(recent)))
        clusterer.add(f"d{i // 8}", f"q{i % 8}", text)
        if i % 5000 == 0:
            conn.commit()
        if i % max(1, n // 10) == 0:
            seconds, used = time.perf_counter() - started, time.process_time() - cpu
            with open("/proc/self/statm") as fh:
                rss = int(fh.read().split()[1]) * page / 2**20
            claims = conn.execute("SELECT MAX(id) FROM claims").fetchone()[0]
            print(f"{i:>9} {seconds:>8.1f} {used:>8.1f} {i / used:>12.0f} {rss:>7.0f} {path.stat().st_size / 2**20:>8.0f}"
                  f" {claims:>9}", flush=True)
    conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--wire-pairs", metavar="STORE", help="print the document similarities of a store")
    parser.add_argument("--scale", type=int, metavar="N", help="time clustering N synthetic quotes")
    parser.add_argument("--db", help="with --scale: the SQLite file to write (default: a temporary one)")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale, args.db)
        return
    if args.wire_pairs:
        wire_pairs(args.wire_pairs)
        return
    r = run(args.stories, args.seed, args.show_errors)
    print(f"truth quotes {r['quotes']}, found by extraction {r['found']}; ingest clustered them as it stored them"
          f" (a later `sayso claims` found nothing left: {r['seconds']:.2f} s)")
    for name in ("pairwise", "altered", "conflicting", "wire"):
        if name in r:
            p, rec, f = r[name]
            print(f"{name:12} P {p:.3f} R {rec:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
