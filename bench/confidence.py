"""Confidence benchmark: does Quote.confidence order sayso's errors first? On PolNeAR dev and
train articles from ../shared/bench.

    python bench/confidence.py [--split dev|train|both] [--limit N]

A quote is right when it overlaps an annotated attribution (any cue, by the shared scorer's
rule) and its speaker matches that attribution's source (same rule as the scorer). Unlike the
scorer, two quotes may match one attribution: PolNeAR annotates '"A," she said. "B."' as one
attribution, and sayso's second quote is not an error of speaker or of speech. Prints, per
split, the accuracy in each tenth of the quotes ordered by confidence (lowest first), the
accuracy per confidence value, and the AUC: the chance that a right quote has a higher
confidence than a wrong one (0.5 = no ordering, 1 = every error below every right quote).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"


def labelled_quotes(gold_dir: Path, limit: int | None) -> list[tuple[float, bool]]:
    """(confidence, right) for every quote sayso finds in the split's articles."""
    import sayso
    from sayso.ingest.readers import make_document

    sys.path.insert(0, str(SHARED))
    from score_attribution import names, overlap, read_gold, speaker_ok

    files = sorted((gold_dir / "text").glob("*.txt"))[:limit] if limit else sorted((gold_dir / "text").glob("*.txt"))
    docs = [make_document(f.stem, f.read_text(encoding="utf-8")) for f in files]
    out = []
    for analysis in sayso.analyze_documents(docs):
        gold = read_gold(gold_dir / "attributions" / f"{analysis.doc}.ann")
        for quote in analysis.quotes:
            hits = [g for g in gold if overlap((g["start"], g["end"]), (quote.start, quote.end))]
            right = any(speaker_ok(g["source"], names(quote.to_dict())) for g in hits)
            out.append((quote.confidence if quote.confidence is not None else 0.5, right))
    return out


def auc(pairs: list[tuple[float, bool]]) -> float:
    """Mann-Whitney AUC of confidence for right against wrong quotes (ties count half)."""
    ranked = sorted(pairs, key=lambda p: p[0])
    rank_sum, i, n = 0.0, 0, len(ranked)
    while i < n:
        j = i
        while j < n and ranked[j][0] == ranked[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2
        rank_sum += mean_rank * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    right = sum(1 for _, r in pairs if r)
    wrong = n - right
    if not right or not wrong:
        return float("nan")
    return (rank_sum - right * (right + 1) / 2) / (right * wrong)


def report(name: str, pairs: list[tuple[float, bool]]) -> str:
    ordered = sorted(pairs, key=lambda p: p[0])
    lines = [f"== {name}: {len(pairs)} quotes, {sum(r for _, r in pairs) / max(1, len(pairs)):.3f} right,"
             f" AUC {auc(pairs):.3f}"]
    tenth = max(1, len(ordered) // 10)
    cells = []
    for d in range(10):
        chunk = ordered[d * tenth:(d + 1) * tenth] if d < 9 else ordered[9 * tenth:]
        if chunk:
            cells.append(f"{sum(r for _, r in chunk) / len(chunk):.2f}")
    lines.append("accuracy per tenth, lowest confidence first: " + " ".join(cells))
    by_value = defaultdict(list)
    for value, right in pairs:
        by_value[value].append(right)
    lines.append("accuracy per confidence value: " + ", ".join(
        f"{v:.2f}: {sum(r) / len(r):.2f} (n={len(r)})" for v, r in sorted(by_value.items())))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train", "both"), default="both")
    parser.add_argument("--limit", type=int, help="only the first N articles of each split")
    args = parser.parse_args()
    splits = ("dev", "train") if args.split == "both" else (args.split,)
    for split in splits:
        gold_dir = SHARED / "attribution" / f"polnear-{split}"
        if not gold_dir.is_dir():
            print(f"no benchmark data at {gold_dir}")
            continue
        print(report(f"polnear-{split}", labelled_quotes(gold_dir, args.limit)))


if __name__ == "__main__":
    main()
