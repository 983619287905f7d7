"""Counting a quote list's total and facets: in one statement over the matching quotes read once,
against one query per facet, on bench/serve.py's synthetic store (3,440 quotes by default).

    python bench/facets.py [--quotes 3440] [--runs 9]

Prints, per filter, how many quotes match and the median milliseconds of each way, in one process.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FILTERS = [{"q": "water", "role": "nurse"}, {"theme": "J1"}, {"role": "nurse"}, {"q": "water", "kind": "direct"},
           {"q": "water bread"}, {"outlet": "River Post"}, {"kind": "direct"}, {"q": "water"}]


def timed(conn, spec, params: dict, runs: int, one_statement: bool) -> tuple[float, int]:
    from sayso.store import lists, listing

    params = lists.clean(spec, params)
    where, args, _ = spec.where(params)
    shown = {name: listing.FACET_SIZE for name in spec.facets}
    saved, listing.ONE_PASS = listing.ONE_PASS, (listing.ONE_PASS if one_statement else -1)
    try:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            counted = listing._counts(conn, listing.Budget(conn, 10), spec, where, args, None, shown)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        listing.ONE_PASS = saved
    return statistics.median(times), counted["total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=3440)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from serve import build_store

    from sayso.store import Store, lists

    db = Path(tempfile.mkdtemp(prefix="sayso-facets-bench-")) / "bench.db"
    build_store(db, args.quotes)
    with Store(db, readonly=True) as store:
        spec = replace(lists.QUOTES, decided=False)  # nobody has reviewed this store
        print(f"{'filters':42} {'matching':>8} {'one statement':>14} {'a query each':>13}")
        for params in FILTERS:
            timed(store.conn, spec, params, 2, True)  # warm
            one, total = timed(store.conn, spec, params, args.runs, True)
            each, _ = timed(store.conn, spec, params, args.runs, False)
            print(f"{str(params):42} {total:8} {one:11.1f} ms {each:10.1f} ms", flush=True)


if __name__ == "__main__":
    main()
