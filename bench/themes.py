"""Themes benchmark: codebook codes on the labelled passages in bench/data/themes.jsonl (written
for this project, every code of the default codebook covered, some passages with no code), and
the codebook's scope: how many documents of unrelated news it codes, and the seed article's codes.

    python bench/themes.py [--news DIR]

The labelled passages are scored three ways: each passage alone with the codebook's scope
switched off (how well the cues find the codes); each alone with the scope on (a lone sentence
rarely names the domain, so this is a floor); all passages as the paragraphs of one document
about the domain, with the scope on (how the shipped codebook reads an article of its domain).

Prints per-code precision/recall/F1 and micro/macro F1 for each scorer that can run here: cue
matching always; embedding and combined scoring only where the optional embeddings extra is
installed (otherwise the line says so). The thresholds of the embedding and combined scorers
(sayso/extract/semantic.py, themes.py) were chosen on these same passages: read those two
figures as optimistic.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "themes.jsonl"
NEWS = ROOT.parent / "shared" / "bench" / "attribution" / "polnear-dev" / "text"
SEED = ROOT.parent / "shared" / "seeds" / "voa-is-deserters.txt"


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


def predictions(texts: list[str], scorer: str = "cues", codebook: str | None = None) -> list[set[str]]:
    import sayso
    from sayso.ingest.readers import make_document

    docs = [make_document(f"p{n}", t) for n, t in enumerate(texts)]
    return [{t.code for t in a.themes} for a in sayso.analyze_documents(docs, theme_scorer=scorer, codebook=codebook)]


def as_one_document(texts: list[str]) -> list[set[str]]:
    """Each passage's codes when all passages are the paragraphs of one document."""
    import sayso
    from sayso.extract.themes import passage_codes

    text, spans = "", []
    for t in texts:
        spans.append((len(text), len(text) + len(t)))
        text += t + "\n\n"
    themes = sayso.analyze(text.rstrip()).themes
    return [set(passage_codes(themes, start, end)) for start, end in spans]


def unscoped_codebook(folder: Path) -> str:
    """The shipped codebook with its scope switched off, as a file for --codebook."""
    from importlib import resources

    data = yaml.safe_load(resources.files("sayso.data").joinpath("codebook.yaml").read_text("utf-8"))
    data.pop("scope", None)
    path = folder / "unscoped.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def scope_report(news: Path) -> list[str]:
    """Share of unrelated news documents the shipped codebook codes, and the seed's codes."""
    import sayso
    from sayso.ingest.readers import make_document

    lines = []
    files = sorted(news.glob("*.txt")) if news.is_dir() else []
    if files:
        docs = [make_document(f.stem, f.read_text(encoding="utf-8")) for f in files]
        coded = [a.doc for a in sayso.analyze_documents(docs) if a.themes]
        lines.append(f"scope: {len(coded)} of {len(files)} documents of {news} coded ({len(coded) / len(files):.1%})")
    if SEED.is_file():
        seed = sayso.analyze(SEED.read_text(encoding="utf-8"))
        lines.append(f"scope: the seed article's codes: {' '.join(sorted(t.code for t in seed.themes)) or 'none'}")
    return lines


def main() -> None:
    from sayso.codebook import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=NEWS, help="a folder of unrelated news (.txt) for the scope check")
    args = parser.parse_args()
    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    codes = [c.id for c in load().codes]
    gold = [set(r["codes"]) for r in records]
    print(f"passages {len(records)}, labels {sum(len(g) for g in gold)}, codes {len(codes)}")
    texts = [r["text"] for r in records]
    with tempfile.TemporaryDirectory() as folder:
        results = {"cues": scores(gold, predictions(texts, codebook=unscoped_codebook(Path(folder))), codes)}
    results["cues, scope on, passages alone"] = scores(gold, predictions(texts), codes)
    results["cues, scope on, passages as one document"] = scores(gold, as_one_document(texts), codes)
    from sayso.extract import semantic

    if semantic.available():
        for scorer in ("embeddings", "combined"):
            results[scorer] = scores(gold, predictions(texts, scorer), codes)
    else:
        print("embedding and combined scorers: not run (install the extra: pip install -e '.[embeddings]')")
    for name, r in results.items():
        print(f"== {name}: micro P {r['micro'][0]:.3f} R {r['micro'][1]:.3f} F1 {r['micro'][2]:.3f}; "
              f"macro F1 {r['macro_f1']:.3f}")
        if name == "cues":
            for code, (p, rec, f) in r["per_code"].items():
                print(f"   {code}  P {p:.2f} R {rec:.2f} F1 {f:.2f}")
    for line in scope_report(args.news):
        print(line)


if __name__ == "__main__":
    main()
