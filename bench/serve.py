"""Web latency: a store of synthetic quotes (with themes, places, outlets and dates), served by
`sayso serve`, timed over HTTP by several clients at once — first idle, then while `sayso ingest`
writes to the same store in another process.

    python bench/serve.py [--quotes 100000] [--requests 200] [--clients 8] [--no-ingest] [--only TEXT]
    python bench/serve.py --cpu [--quotes 3440] [--requests 300]

Prints p50/p95 per endpoint for each phase; with --cpu, the server's CPU time per request.
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("water bread salary checkpoint border commander village school market winter fuel road hospital "
         "prison mosque truck family smuggler court election bridge harvest clinic camp river").split()
ROLES = ("farmer", "nurse", "commander", "teacher", "deserter", "official", "activist", "researcher")
KINDS = ("direct", "indirect", "according_to")
OUTLETS = ("Daily Ledger", "River Post", "Wire Service", "Hill Radio", "Camp Bulletin")
CODES = [("J1", "Ideology"), ("J3", "Money"), ("L1", "Disillusion"), ("L6", "Fear"), ("W1", "Violence")]
PLACES = [("Mosul", "IQ", 36.34, 43.13, 99072), ("Erbil", "IQ", 36.19, 44.01, 95446), ("Aleppo", "SY", 36.2, 37.16, 170063),
          ("Paris", "FR", 48.85, 2.35, 2988507), ("Paris", "US", 36.3, -88.33, 4655126), ("Raqqa", "SY", 35.95, 39.01, 163915)]


def synthetic_document(rng, d: int, names: list[str], per_doc: int):
    """A document of `per_doc` quotes by speakers from `names`, with a theme and a place in some."""
    from sayso.ingest.readers import make_document
    from sayso.model import Analysis, Mention, Place, Quote, Speaker, ThemeHit

    sentences, spans, offset = [], [], 0
    for _ in range(per_doc):
        said = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        sentence = f"\u201c{said},\u201d said someone. "
        spans.append((offset + 1, offset + 1 + len(said) + 1))
        sentences.append(sentence)
        offset += len(sentence)
    day = 1 + d % 365
    document = make_document(f"doc{d:07d}", "".join(sentences), source=rng.choice(OUTLETS),
                             date=time.strftime("%Y-%m-%d", time.gmtime(1_735_689_600 + day * 86400)))
    text = document.text
    quotes = [Quote(f"q{n + 1}", text[s:e], s, e, rng.choice(KINDS), "said",
                    Speaker(name=rng.choice(names), mention="someone", role=rng.choice(ROLES)))
              for n, (s, e) in enumerate(spans)]
    themes = [ThemeHit(code, label, 0.8, [Mention(q.start + 1, q.start + 6)])
              for q in rng.sample(quotes, 2) for code, label in [rng.choice(CODES)]]
    name, country, lat, lon, gid = rng.choice(PLACES)
    places = [Place(name, lat, lon, country, gid, "P", [Mention(quotes[0].start, quotes[0].start + 4)])]
    return document, Analysis(document.id, None, None, document.text_sha256, quotes=quotes, themes=themes,
                              places=places)


def build_store(path: Path, quotes: int, per_doc: int = 10, speakers: int = 2000, seed: int = 7) -> list[str]:
    """A store of synthetic documents, each with `per_doc` quotes by speakers from a fixed pool."""
    from sayso.store import Store

    rng = random.Random(seed)
    names = [f"Speaker {n:04d} {rng.choice(WORDS).title()}" for n in range(speakers)]
    used: set[str] = set()
    with Store(path) as store:
        batch = []
        for d in range(quotes // per_doc):
            batch.append(synthetic_document(rng, d, names, per_doc))
            if len(batch) == 500:
                with store.batch():
                    for document, analysis in batch:
                        store.add(document, analysis)
                        used.update(q.speaker.name for q in analysis.quotes)
                batch = []
        with store.batch():
            for document, analysis in batch:
                store.add(document, analysis)
                used.update(q.speaker.name for q in analysis.quotes)
    return sorted(used)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms (n={len(ordered)})"


def deep_pages(db: Path, pages: int = 20) -> dict[str, str]:
    """For each search word, where its page `pages` + 1 starts (the `after` of the next links a
    user follows from the first page)."""
    import sqlite3

    from sayso.store import lists

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    found = {}
    for word in WORDS:
        params = {"q": word}
        for n in range(pages):
            params = {"q": word, "offset": (n + 1) * 50, "after": lists.page(conn, lists.QUOTES, params)["next_after"]}
        found[word] = params["after"]
    conn.close()
    return found


def endpoints(rng, names: list[str], n: int, deep: dict[str, str]) -> dict[str, list[str]]:
    pick = lambda seq: rng.choice(seq)
    return {
        "overview page": ["/"] * n,
        "overview, API": ["/api/overview"] * n,
        "themes matrix page": ["/themes"] * n,
        "map page": ["/map"] * n,
        "quote search, API": [f"/api/quotes?q={pick(WORDS)}+{pick(WORDS)}&kind={pick(KINDS)}" for _ in range(n)],
        "quote search, page": [f"/quotes?q={pick(WORDS)}&role={pick(ROLES)}" for _ in range(n)],
        "quotes, first page": ["/quotes"] * n,
        "quotes by theme": [f"/quotes?theme={pick(CODES)[0]}" for _ in range(n)],
        "speaker, API": [f"/api/speakers/{pick(names)}" for _ in range(n)],
        "speaker, page": [f"/speakers/{pick(names)}" for _ in range(n)],
        "quotes, facet filter": [f"/quotes?kind={pick(KINDS)}&outlet={pick(OUTLETS).replace(' ', '+')}" for _ in range(n)],
        "speakers list": ["/speakers"] * n,
        "speakers by role": [f"/speakers?role={pick(ROLES)}" for _ in range(n)],
        "timeline page": ["/timeline"] * n,
        "entities, API": ["/api/entities"] * n,
        "counts, API": ["/api/counts"] * n,
        "documents list": ["/documents"] * n,
        "documents by outlet": [f"/documents?outlet={pick(OUTLETS).replace(' ', '+')}" for _ in range(n)],
        "places list": ["/places"] * n,
        "places by country": [f"/places?country={pick(PLACES)[1]}" for _ in range(n)],
        "entities list": ["/entities"] * n,
        "counts list": ["/counts"] * n,
        "corrections list": ["/corrections"] * n,
        "claims list": ["/claims"] * n,
        "quotes, more speakers": [f"/quotes?kind={pick(KINDS)}&more=speaker" for _ in range(n)],
        "quotes by place": [f"/quotes?place={pick(PLACES)[0]}|{pick(PLACES)[1]}" for _ in range(n)],
        "quotes, page 21 by next": [f"/quotes?q={w}&offset=1000&after={deep[w]}" for w in (pick(WORDS) for _ in range(n))],
        "quotes, page 21 by offset": [f"/quotes?q={pick(WORDS)}&offset=1000" for _ in range(n)],
    }


def chosen(urls: dict[str, list[str]], only: list[str] | None) -> dict[str, list[str]]:
    return {label: todo for label, todo in urls.items() if not only or any(text in label for text in only)}


def run_phase(base: str, urls: dict[str, list[str]], clients: int) -> None:
    """Each endpoint's URLs spread over `clients` threads at once; prints the percentiles."""
    import httpx

    for label, todo in urls.items():
        samples: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def worker(chunk):
            with httpx.Client(base_url=base, timeout=60) as client:
                client.get(chunk[0])  # warm this connection
                for url in chunk:
                    start = time.perf_counter()
                    response = client.get(url)
                    elapsed = time.perf_counter() - start
                    with lock:
                        samples.append(elapsed)
                        if response.status_code != 200:
                            failures.append(f"{url}: {response.status_code}")

        threads = [threading.Thread(target=worker, args=(todo[i::clients],)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"  {label:22} {percentiles(samples)}" + (f"  {len(failures)} failed: {failures[0]}" if failures else ""),
              flush=True)


def cpu_per_request(base, urls: dict[str, list[str]]) -> None:
    """The server's CPU time per request (user + system, from /proc), one client, each request
    made unique so that none is answered from the kept responses."""
    import os

    import httpx

    tick = os.sysconf("SC_CLK_TCK")

    def cpu_seconds() -> float:
        fields = Path(f"/proc/{base.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    with httpx.Client(base_url=base, timeout=60) as client:
        for label, todo in urls.items():
            unique = [f"{url}{'&' if '?' in url else '?'}n={n}" for n, url in enumerate(todo)]
            for url in unique[:5]:
                client.get(url + "w")  # warm this endpoint
            before, start = cpu_seconds(), time.perf_counter()
            for url in unique:
                client.get(url)
            print(f"  {label:22} server CPU {(cpu_seconds() - before) / len(unique) * 1000:6.1f} ms a request,"
                  f" {(time.perf_counter() - start) / len(unique) * 1000:6.1f} ms each (n={len(unique)})", flush=True)


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def download_csv(base) -> None:
    """Stream /quotes.csv (the whole list) and report its size, time and the server's peak memory
    before and after (VmHWM: flat if the download streams)."""
    import httpx

    before = memory_kb(base.pid, "VmHWM")
    start, size, rows = time.perf_counter(), 0, 0
    with httpx.stream("GET", base + "/quotes.csv", timeout=600) as response:
        for chunk in response.iter_bytes():
            size += len(chunk)
            rows += chunk.count(b"\n")
    after = memory_kb(base.pid, "VmHWM")
    print(f"  /quotes.csv: {rows - 1} rows, {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s;"
          f" server peak memory {before / 1024:.0f} MB before, {after / 1024:.0f} MB after", flush=True)


def ingest_texts(folder: Path, n: int) -> None:
    """`n` text files for the concurrent ingest: the examples' texts, each made unique (in this
    run too, so that a store an earlier run wrote to stores them all again)."""
    sources = [p for p in (ROOT / "examples").glob("*.txt")]
    folder.mkdir(parents=True, exist_ok=True)
    run = time.time_ns()
    for i in range(n):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        (folder / f"ingest{i:04d}.txt").write_text(f"{text}\n\nFiled from desk {i} in run {run}.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint and phase")
    parser.add_argument("--clients", type=int, default=8, help="clients at once")
    parser.add_argument("--no-ingest", action="store_true", help="skip the phase with an ingest running")
    parser.add_argument("--ingest", type=int, default=2000, help="documents the concurrent ingest writes (enough to"
                                                                  " last the phase: it is stopped at its end)")
    parser.add_argument("--db", type=Path, help="serve this store (built by an earlier run) instead of building one")
    parser.add_argument("--cpu", action="store_true",
                        help="instead of the phases: the server's CPU time per request, one client, nothing kept")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="time only the endpoints whose label contains TEXT (repeatable)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sayso-serve-bench-"))
    db = args.db or folder / "bench.db"
    start = time.perf_counter()
    if args.db:
        from sayso.store import Store

        with Store(db, readonly=True) as store:
            names = [r[0] for r in store.conn.execute("SELECT DISTINCT speaker_name FROM quotes LIMIT 5000")]
            print(f"store: {store.stats()['quotes']} quotes ({db})", flush=True)
    else:
        names = build_store(db, args.quotes)
        print(f"store: {args.quotes} quotes in {args.quotes // 10} documents, built in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    from sayso.web.background import serving

    deep = deep_pages(db)
    rng = random.Random(11)
    with serving(db, wait_seconds=300) as base:
        import httpx

        start = time.perf_counter()
        httpx.get(base + "/api/overview", timeout=600)  # the server counts the collection's figures once
        print(f"first answer (the collection's figures counted) after {time.perf_counter() - start:.1f} s", flush=True)
        if args.cpu:
            return cpu_per_request(base, chosen(endpoints(rng, names, args.requests, deep), args.only))
        print(f"idle, {args.clients} clients:", flush=True)
        run_phase(base, chosen(endpoints(rng, names, args.requests, deep), args.only), args.clients)
        download_csv(base)
        if args.no_ingest:
            return
        texts = folder / "texts"
        ingest_texts(texts, args.ingest)
        writer = subprocess.Popen([sys.executable, "-m", "sayso.cli", "ingest", str(texts), "--db", str(db)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(15)  # past the model's loading: the ingest is writing
        print(f"while `sayso ingest` writes in another process, {args.clients} clients:", flush=True)
        try:
            run_phase(base, chosen(endpoints(rng, names, args.requests, deep), args.only), args.clients)
            print(f"ingest still running at the end: {writer.poll() is None}", flush=True)
        finally:
            writer.terminate()
            writer.wait(timeout=30)


if __name__ == "__main__":
    main()
