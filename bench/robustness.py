"""Robustness: analyse every real document in ../shared and count failures (target: 0).

    python bench/robustness.py [--sets NAME ...] [--memory] [--sizes 0.5 1 2]

For each set (the PolNeAR collection, the LGL dev split, the PolNeAR attribution dev and train
texts) prints documents, documents/s, analysis failures (a document whose analysis raised; each
is listed with its stage) and offset violations (a quote, count or correction whose
`text[start:end]` is not its text, or a mention outside the text).

`--memory` also runs `/usr/bin/time -v sayso analyze FILE --format json` on single-line texts
of the given sizes in MB (built from this script's own sentences, with no line or paragraph
break) and prints wall and CPU seconds, CPU seconds per MB and peak RSS, to check that time is
linear in the text and memory has a ceiling (issue #12: under 1.5 GB for 2 MB).
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
SETS = {
    "polnear-collection": [SHARED / "polnear-collection.jsonl"],
    "lgl-dev": [SHARED / "geo" / "lgl-dev.jsonl"],
    "polnear-dev": [SHARED / "attribution" / "polnear-dev" / "text"],
    "polnear-train": [SHARED / "attribution" / "polnear-train" / "text"],
}
SENTENCES = [
    "\u201cWe waited three days at the crossing,\u201d said Leila Mansour, a teacher from Kirkuk.",
    "More than 200 families left the district after the floods, according to the council.",
    "The governor told reporters that the bridge would reopen in May.",
    "Aid workers said about 40 trucks reached the camp near Dohuk on Tuesday.",
    "She said the clinic had run out of medicine twice this year.",
]


def offset_violations(text: str, analysis) -> int:
    bad = sum(text[f.start:f.end] != f.text for f in [*analysis.quotes, *analysis.counts, *analysis.corrections])
    spans = [m for e in analysis.entities for m in e.mentions] + [m for p in analysis.places for m in p.mentions]
    spans += [m for t in analysis.themes for m in t.evidence]
    return bad + sum(not 0 <= m.start < m.end <= len(text) for m in spans)


def run_set(name: str, paths: list[Path]) -> dict:
    from sayso.analyze import analyze_pairs
    from sayso.ingest import IngestError, iter_documents

    items = list(iter_documents([str(p) for p in paths]))
    unreadable = [i for i in items if isinstance(i, IngestError)]
    documents = [i for i in items if not isinstance(i, IngestError)]
    errors = []
    start = time.perf_counter()
    done = violations = 0
    for document, analysis in analyze_pairs(documents, on_error=errors.append):
        done += 1
        violations += offset_violations(document.text, analysis)
    seconds = time.perf_counter() - start
    for error in errors + unreadable:
        print(f"  {name}: {error}")
    return {"set": name, "documents": len(documents), "analysed": done, "docs_per_s": done / seconds,
            "failures": len(errors), "unreadable": len(unreadable), "offset_violations": violations}


def single_line(chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < chars:
        parts.append(rng.choice(SENTENCES))
        size += len(parts[-1]) + 1
    return " ".join(parts)[:chars]


def measure(path: Path) -> dict:
    """Wall and CPU seconds and peak RSS of `sayso analyze PATH --format json`."""
    sayso_cli = Path(sys.executable).with_name("sayso")
    result = subprocess.run(["/usr/bin/time", "-v", str(sayso_cli), "analyze", str(path), "--format", "json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def field(label: str) -> str:
        return re.search(rf"{label}: (.+)", result.stderr).group(1).strip()

    wall = field(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)").split(":")
    return {"exit": result.returncode, "wall_s": sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall))),
            "cpu_s": float(field("User time \\(seconds\\)")) + float(field("System time \\(seconds\\)")),
            "peak_mb": int(field(r"Maximum resident set size \(kbytes\)")) / 1024}


def memory_check(sizes: list[float]) -> None:
    print("\nsingle line, no breaks: sayso analyze FILE --format json")
    print(f"{'MB':>5} {'wall s':>8} {'cpu s':>8} {'cpu s/MB':>9} {'peak RSS MB':>12} exit")
    with tempfile.TemporaryDirectory() as folder:
        for mb in sizes:
            path = Path(folder) / f"line-{mb}.txt"
            path.write_text(single_line(int(mb * 1_000_000)), encoding="utf-8")
            m = measure(path)
            print(f"{mb:>5} {m['wall_s']:>8.1f} {m['cpu_s']:>8.1f} {m['cpu_s'] / mb:>9.1f} {m['peak_mb']:>12.0f} {m['exit']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", choices=sorted(SETS), default=sorted(SETS))
    parser.add_argument("--memory", action="store_true", help="also check time and memory on long single lines")
    parser.add_argument("--sizes", nargs="*", type=float, default=[0.5, 1, 2], help="MB, with --memory")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the real documents live in ../shared/bench")
    from sayso.pipeline import get_nlp

    get_nlp()  # the model loads outside the timings
    rows = [run_set(name, SETS[name]) for name in args.sets]
    print(f"{'set':<20} {'docs':>6} {'docs/s':>7} {'failures':>9} {'unreadable':>11} {'offset errors':>14}")
    for r in rows:
        print(f"{r['set']:<20} {r['documents']:>6} {r['docs_per_s']:>7.2f} {r['failures']:>9} {r['unreadable']:>11}"
              f" {r['offset_violations']:>14}")
    print(f"{'total':<20} {sum(r['documents'] for r in rows):>6} {'':>7} {sum(r['failures'] for r in rows):>9}")
    if args.memory:
        memory_check(args.sizes)


if __name__ == "__main__":
    main()
