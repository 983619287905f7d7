"""Themes benchmark: codebook codes on the labelled passages in bench/data/themes.jsonl (written
for this project, every code of the default codebook covered, some passages with no code).

    python bench/themes.py

Prints per-code precision/recall/F1 and micro/macro F1 for each scorer that can run here: cue
matching always; embedding and combined scoring only where the optional embeddings extra is
installed (otherwise the line says so). The thresholds of the embedding and combined scorers
(sayso/extract/semantic.py, themes.py) were chosen on these same passages: read those two
figures as optimistic.
"""
from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "themes.jsonl"


def scores(gold: list[set[str]], predicted: list[set[str]], codes: list[str]) -> dict:
    per_code = {}
    tp_all = fp_all = fn_all = 0
    for code in codes:
        tp = sum(code in g and code in p for g, p in zip(gold, predicted))
        fp = sum(code not in g and code in p for g, p in zip(gold, predicted))
        fn = sum(code in g and code not in p for g, p in zip(gold, predicted))
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        p = tp / max(1, tp + fp)
        r = tp / max(1, tp + fn)
        per_code[code] = (p, r, 2 * p * r / max(1e-9, p + r))
    p = tp_all / max(1, tp_all + fp_all)
    r = tp_all / max(1, tp_all + fn_all)
    return {"per_code": per_code, "micro": (p, r, 2 * p * r / max(1e-9, p + r)),
            "macro_f1": sum(v[2] for v in per_code.values()) / len(per_code)}


def predictions(texts: list[str], scorer: str = "cues") -> list[set[str]]:
    import sayso
    from sayso.ingest.readers import make_document

    docs = [make_document(f"p{n}", t) for n, t in enumerate(texts)]
    return [{t.code for t in a.themes} for a in sayso.analyze_documents(docs, theme_scorer=scorer)]


def main() -> None:
    from sayso.codebook import load

    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    codes = [c.id for c in load().codes]
    gold = [set(r["codes"]) for r in records]
    print(f"passages {len(records)}, labels {sum(len(g) for g in gold)}, codes {len(codes)}")
    texts = [r["text"] for r in records]
    results = {"cues": scores(gold, predictions(texts), codes)}
    from sayso.extract import semantic

    if semantic.available():
        for scorer in ("embeddings", "combined"):
            results[scorer] = scores(gold, predictions(texts, scorer), codes)
    else:
        print("embedding and combined scorers: not run (install the extra: pip install -e '.[embeddings]')")
    for name, r in results.items():
        print(f"== {name}: micro P {r['micro'][0]:.3f} R {r['micro'][1]:.3f} F1 {r['micro'][2]:.3f}; "
              f"macro F1 {r['macro_f1']:.3f}")
        for code, (p, rec, f) in r["per_code"].items():
            print(f"   {code}  P {p:.2f} R {rec:.2f} F1 {f:.2f}")


if __name__ == "__main__":
    main()
