"""Geoparsing benchmark: sayso's places on LGL dev articles from ../shared/bench, scored by the
shared scorer (recognition P/R/F1, accuracy within 161 km, median error).

    python bench/geo.py [--limit N] [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
GOLD = SHARED / "geo" / "lgl-dev.jsonl"
SCORER = SHARED / "score_geo.py"


def run(limit: int | None = None, out_dir: Path | None = None) -> str:
    import sayso
    from sayso.ingest.readers import make_document

    out_dir = out_dir or ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").split("\n") if line.strip()]
    records = records[:limit] if limit else records
    gold = out_dir / "geo-gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pred = out_dir / "geo-sayso.jsonl"
    # The gold offsets index the text as given, so the text goes in unnormalised.
    docs = [make_document(r["id"], r["text"]) for r in records]
    assert all(d.text == r["text"].rstrip() for d, r in zip(docs, records))
    start = time.perf_counter()
    with pred.open("w", encoding="utf-8") as fh:
        for analysis in sayso.analyze_documents(docs):
            fh.write(json.dumps({"doc": analysis.doc, "places": [p.to_dict() for p in analysis.places]}) + "\n")
    seconds = time.perf_counter() - start
    scored = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred)],
                            capture_output=True, text=True, check=True).stdout
    # LGL also marks demonyms ("Georgian", "Israeli") as toponyms; sayso records them as NORP
    # entities linked to their country, not as places. Scored again without them:
    from sayso.extract.gazetteer import demonyms, normalise

    known = demonyms()
    is_demonym = lambda phrase: normalise(phrase) in known or normalise(phrase).removesuffix("s") in known
    dropped = 0
    without = out_dir / "geo-gold-no-demonyms.jsonl"
    with without.open("w", encoding="utf-8") as fh:
        for r in records:
            kept = [t for t in r["toponyms"] if not is_demonym(t["phrase"])]
            dropped += len(r["toponyms"]) - len(kept)
            fh.write(json.dumps({**r, "toponyms": kept}) + "\n")
    scored_without = subprocess.run([sys.executable, str(SCORER), str(without), str(pred)],
                                    capture_output=True, text=True, check=True).stdout
    return (f"articles: {len(records)}; {seconds:.1f} s\n{scored}"
            f"without the {dropped} gold demonyms:\n{scored_without}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--out", type=Path, help="where predictions are written (default bench/out)")
    args = parser.parse_args()
    if not GOLD.is_file():
        sys.exit(f"no benchmark data at {GOLD}")
    print(run(args.limit, args.out))


if __name__ == "__main__":
    main()
