"""Titles benchmark: the share of plain-text news articles whose title is their headline.

PolNeAR articles start with their headline; the seed article starts with site chrome
("Accessibility links", ...) above it. A title is right when it equals the first line of the file
that is not chrome (sayso.ingest.titles.is_chrome) — and, as a check of that rule itself, the
script also prints how often the file's very first line was taken.

    python bench/titles.py [SPLIT_DIR ...]   (default: polnear-dev and polnear-train text folders)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPLITS = [SHARED / "bench" / "attribution" / name / "text" for name in ("polnear-dev", "polnear-train")]
SEED = SHARED / "seeds" / "voa-is-deserters.txt"


def first_real_line(text: str) -> str | None:
    from sayso.ingest.titles import is_chrome

    return next((ln.strip() for ln in text.split("\n") if not is_chrome(ln)), None)


def score(folder: Path) -> tuple[int, int, int, list[str]]:
    from sayso.ingest import read_file

    right = first = total = 0
    wrong = []
    for path in sorted(folder.glob("*.txt")):
        (doc,) = read_file(path)
        text = path.read_text(encoding="utf-8")
        total += 1
        right += doc.title is not None and doc.title == first_real_line(text)
        first += doc.title == text.split("\n")[0].strip()
        if doc.title != first_real_line(text):
            wrong.append(f"{path.name}: {doc.title!r}")
    return right, first, total, wrong


def main(folders: list[Path]) -> None:
    for folder in folders:
        if not folder.is_dir():
            print(f"{folder}: missing, skipped")
            continue
        right, first, total, wrong = score(folder)
        print(f"{folder.parent.name}: title = first non-chrome line {right}/{total} ({right / total:.1%}); "
              f"= first line {first}/{total} ({first / total:.1%})")
        for line in wrong[:10]:
            print(f"  wrong: {line}")
    if SEED.is_file():
        from sayso.ingest import read_file

        (doc,) = read_file(SEED)
        print(f"seed title: {doc.title!r}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or SPLITS)
