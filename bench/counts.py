"""Counts benchmark: sayso's count extraction on the labelled sentences in
bench/data/counts.jsonl (written for this project: positives and traps such as years, ages,
durations, money, percentages, ordinals and numbers in names).

    python bench/counts.py [--show-errors]

Prints precision/recall/F1 for the number alone and for number + counted object (the object's
head word must match), and qualifier and event accuracy on matched counts.

Then the same extraction on real news: the counts of 30 articles of the LGL corpus
(../shared/bench/geo/lgl-dev.jsonl, not in the repo), annotated by hand for this project in
bench/data/lgl_counts_dev.jsonl (article ids, character offsets and labels only), and 16 more
annotated later as a check (bench/data/lgl_counts_check.jsonl). A count is
found when the number is the same and the spans overlap (number+span P/R/F1); object head and
qualifier accuracy are on the counts found. Skipped when ../shared is absent.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "counts.jsonl"
LGL_GOLD = Path(__file__).resolve().parent / "data" / "lgl_counts_dev.jsonl"
LGL_CHECK = Path(__file__).resolve().parent / "data" / "lgl_counts_check.jsonl"
LGL_TEXT = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "geo" / "lgl-dev.jsonl"


def head(obj: str | None) -> str:
    return (obj or "").split()[-1].lower() if obj else ""


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def run(show_errors: bool = False, split: str | None = None) -> dict:
    import sayso
    from sayso.ingest.readers import make_document

    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if split is None or r.get("split") == split]
    docs = [make_document(f"s{n}", r["text"]) for n, r in enumerate(records)]
    totals = {"number": [0, 0, 0], "number+object": [0, 0, 0]}
    qualifier_right = qualifier_total = event_right = 0
    for record, analysis in zip(records, sayso.analyze_documents(docs)):
        predicted = [(int(c.number) if c.number == int(c.number) else c.number, c.qualifier, c.object, c.event)
                     for c in analysis.counts]
        gold = [(g["number"], g["qualifier"], g["object"], g["event"]) for g in record["counts"]]
        for key, same in (("number", lambda p, g: p[0] == g[0]),
                          ("number+object", lambda p, g: p[0] == g[0] and head(p[2]) == head(g[2]))):
            unmatched = list(predicted)
            for g in gold:
                hit = next((p for p in unmatched if same(p, g)), None)
                if hit is None:
                    totals[key][2] += 1
                    continue
                unmatched.remove(hit)
                totals[key][0] += 1
                if key == "number+object":
                    qualifier_total += 1
                    qualifier_right += hit[1] == g[1]
                    event_right += hit[3] == g[3]
                    if show_errors and hit[3] != g[3]:
                        print(f"  event: {record['text']}\n    gold {g[3]!r}, got {hit[3]!r}")
            totals[key][1] += len(unmatched)
        if show_errors and sorted((p[0], p[1], head(p[2])) for p in predicted) != sorted((g[0], g[1], head(g[2])) for g in gold):
            print(f"  {record['text']}\n    gold {gold}\n    got  {predicted}")
    results = {k: prf(*v) for k, v in totals.items()}
    results["qualifier_accuracy"] = qualifier_right / max(1, qualifier_total)
    results["event_accuracy"] = event_right / max(1, qualifier_total)
    results["sentences"] = len(records)
    results["gold_counts"] = sum(len(r["counts"]) for r in records)
    return results


def run_news(gold_path: Path = LGL_GOLD, text_path: Path = LGL_TEXT, show_errors: bool = False) -> dict | None:
    import sayso
    from sayso.ingest.readers import make_document

    if not text_path.is_file():
        return None
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {}
    for line in text_path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        record = json.loads(line)
        texts[record["id"]] = record["text"]
    docs = [make_document(g["id"], texts[g["id"]]) for g in gold]
    changed = [d.id for d in docs if d.text != texts[d.id]]
    if changed:  # offsets are into the article as published; the reader must keep it as it is
        raise SystemExit(f"the reader changed the text of {changed[:3]}: offsets would not line up")
    tp = fp = fn = object_right = qualifier_right = 0
    for record, document, analysis in zip(gold, docs, sayso.analyze_documents(docs)):
        text = document.text
        predicted = list(analysis.counts)
        for g in record["counts"]:
            hit = next((c for c in predicted if c.number == g["number"] and c.start < g["end"] and g["start"] < c.end),
                       None)
            if hit is None:
                fn += 1
                if show_errors:
                    print(f"  missed {record['id']}: {text[max(0, g['start'] - 40):g['end'] + 20]!r} {g['number']}")
                continue
            predicted.remove(hit)
            tp += 1
            object_right += head(hit.object) == head(g["object"])
            qualifier_right += hit.qualifier == g["qualifier"]
            if show_errors and head(hit.object) != head(g["object"]):
                print(f"  object {record['id']}: {hit.text!r} got {hit.object!r}, gold {g['object']!r}")
        fp += len(predicted)
        if show_errors:
            for c in predicted:
                print(f"  spurious {record['id']}: {text[max(0, c.start - 40):c.end + 20]!r} -> {c.number} {c.object}")
    return {"number+span": prf(tp, fp, fn), "object_accuracy": object_right / max(1, tp),
            "qualifier_accuracy": qualifier_right / max(1, tp), "articles": len(gold), "gold_counts": tp + fn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="print every sentence not got exactly right")
    parser.add_argument("--lgl", type=Path, default=LGL_TEXT, help="the LGL articles (default: %(default)s)")
    args = parser.parse_args()
    for split in ("dev", "held-out", None):
        r = run(args.show_errors, split)
        print(f"== {split or 'all'}: sentences {r['sentences']}, gold counts {r['gold_counts']}")
        for key in ("number", "number+object"):
            p, rec, f = r[key]
            print(f"{key:14} P {p:.3f} R {rec:.3f} F1 {f:.3f}")
        print(f"qualifier accuracy on matched counts {r['qualifier_accuracy']:.3f}")
        print(f"event accuracy on matched counts {r['event_accuracy']:.3f}")
    for name, gold in (("dev", LGL_GOLD), ("check", LGL_CHECK)):
        news = run_news(gold, args.lgl, show_errors=args.show_errors)
        if news is None:
            print(f"== news: {args.lgl} not found, skipped")
            return
        p, rec, f = news["number+span"]
        print(f"== news {name} (LGL, hand-annotated): articles {news['articles']}, gold counts {news['gold_counts']}")
        print(f"number+span    P {p:.3f} R {rec:.3f} F1 {f:.3f}")
        print(f"object head accuracy {news['object_accuracy']:.3f}, qualifier accuracy {news['qualifier_accuracy']:.3f}")


if __name__ == "__main__":
    main()
