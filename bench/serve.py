"""Web latency: a store of 100,000 synthetic quotes, served by `sayso serve`, timed over HTTP.

    python bench/serve.py [--quotes 100000] [--requests 300]

Prints p50/p95 of quote search (full text + filters) and of speaker pages, API and HTML.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

WORDS = ("water bread salary checkpoint border commander village school market winter fuel road hospital "
         "prison mosque truck family smuggler court election bridge harvest clinic camp river").split()
ROLES = ("farmer", "nurse", "commander", "teacher", "deserter", "official", "activist", "researcher")
KINDS = ("direct", "indirect", "according_to")


def build_store(path: Path, quotes: int, per_doc: int = 10, speakers: int = 2000, seed: int = 7) -> list[str]:
    """A store of synthetic documents, each with `per_doc` quotes by speakers from a fixed pool."""
    from sayso.ingest.readers import make_document
    from sayso.model import Analysis, Quote, Speaker
    from sayso.store import Store

    rng = random.Random(seed)
    names = [f"Speaker {n:04d} {rng.choice(WORDS).title()}" for n in range(speakers)]
    used: set[str] = set()
    with Store(path) as store:
        for d in range(quotes // per_doc):
            sentences, spans = [], []
            offset = 0
            for _ in range(per_doc):
                said = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
                sentence = f"\u201c{said},\u201d said someone. "
                spans.append((offset + 1, offset + 1 + len(said) + 1))
                sentences.append(sentence)
                offset += len(sentence)
            document = make_document(f"doc{d:06d}", "".join(sentences))
            text = document.text
            analysis = Analysis(document.id, None, None, document.text_sha256, quotes=[
                Quote(f"q{n + 1}", text[s:e], s, e, rng.choice(KINDS), "said",
                      Speaker(name=rng.choice(names), mention="someone", role=rng.choice(ROLES)))
                for n, (s, e) in enumerate(spans)])
            used.update(q.speaker.name for q in analysis.quotes)
            store.add(document, analysis)
    return sorted(used)  # the speakers that have quotes (all of them at the default size)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (n={len(ordered)})"


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sayso-serve-bench-"))
    db = folder / "bench.db"
    start = time.perf_counter()
    names = build_store(db, args.quotes)
    print(f"store: {args.quotes} quotes in {args.quotes // 10} documents, built in {time.perf_counter() - start:.0f} s")
    from sayso.web.background import serving

    with serving(db, wait_seconds=120) as base, httpx.Client(base_url=base, timeout=30) as client:
        rng = random.Random(11)
        searches = [f"/api/quotes?q={rng.choice(WORDS)}+{rng.choice(WORDS)}&kind={rng.choice(KINDS)}"
                    for _ in range(args.requests)]
        pages = [f"/quotes?q={rng.choice(WORDS)}&role={rng.choice(ROLES)}" for _ in range(args.requests)]
        speaker_api = [f"/api/speakers/{rng.choice(names)}" for _ in range(args.requests)]
        speaker_pages = [f"/speakers/{rng.choice(names)}" for _ in range(args.requests)]
        for label, urls in (("quote search, API", searches), ("quote search, page", pages),
                            ("speaker, API", speaker_api), ("speaker, page", speaker_pages)):
            timed(client, urls[0])  # warm
            print(f"{label:20} {percentiles([timed(client, u) for u in urls])}")


if __name__ == "__main__":
    main()
