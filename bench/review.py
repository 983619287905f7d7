"""What a reviewer's trust costs: keystrokes and seconds per decision for a scripted review of 50
quotes in the browser (Debian's chromium, Playwright) against `sayso serve --allow-write`.

The script plays a careful reviewer who knows the answer: on PolNeAR dev articles
(../shared/bench/attribution/polnear-dev) the gold attributions say, for each quote sayso found,
whether it is a quote (else: reject, `r`) and whether its speaker is right (accept, `a`; else:
edit the speaker with the type-ahead: `e`, a few letters, arrows, Enter). Without ../shared the
example documents are used and every quote is accepted (the machine-is-right floor).

    .venv/bin/python bench/review.py [--quotes 50] [--out bench/out/review]
    .venv/bin/python bench/review.py --view-cost 40000   # what reading the reviewed view costs

Prints keystrokes per decision (all, and when the machine is right), seconds per decision
(browser and server on this machine: the tool's own cost, not a person's reading time), and the
precision the decisions measure."""
from __future__ import annotations

import argparse
import re
import shutil
import time
from pathlib import Path

from sayso.web.background import serving

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "bench" / "attribution" / "polnear-dev"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
STOP = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "said", "says", "he", "she", "they", "it", "his", "her"}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", (text or "").lower()) if w not in STOP and len(w) > 1}


def read_gold(path: Path) -> list[dict]:
    spans, relations = {}, []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            label, *offsets = parts[1].split()
            if label in ("Source", "Content", "Cue"):
                spans[parts[0]] = (label, int(offsets[0]), int(offsets[-1]), parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(p.split(":", 1) for p in parts[1].split()[1:]))
    out = []
    for r in relations:
        content, source = spans.get(r.get("Content")), spans.get(r.get("Source"))
        if content:
            out.append({"start": content[1], "end": content[2], "source": source[3] if source else None})
    return out


def judge(quote: dict, gold: list[dict], shift: int) -> tuple[str, str | None]:
    """accept / reject / edit (with the gold speaker) for one machine quote."""
    start, end = quote["start"] + shift, quote["end"] + shift
    for g in gold:
        overlap = min(end, g["end"]) - max(start, g["start"])
        if overlap > 0.5 * min(end - start, g["end"] - g["start"]):
            if g["source"] is None or not words(g["source"]) or words(g["source"]) & words(f"{quote['speaker_name']} {quote['speaker_mention']}"):
                return "accept", None
            return "edit", g["source"]
    return "reject", None


def build(out: Path, wanted: int) -> tuple[Path, dict]:
    """A store holding enough documents for `wanted` quotes, and the gold per document id."""
    from sayso.batch import ingest
    from sayso.store import Store

    db = out / "review.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    gold = {}
    with Store(db) as store:
        if GOLD.is_dir():
            for text in sorted((GOLD / "text").glob("*.txt")):
                ingest([str(text)], store)
                doc_id = store.document_ids()[-1]
                stored = store.document(doc_id)["text"]
                raw = text.read_text("utf-8")
                gold[doc_id] = (read_gold(GOLD / "attributions" / f"{text.stem}.ann"), max(raw.find(stored[:200]), 0))
                if len(store.quotes()) >= wanted:
                    break
        else:
            ingest([str(ROOT / "examples")], store)
    return db, gold


def view_cost(out: Path, documents: int) -> None:
    """What reading through reviewed_quotes costs against reading quotes: a store of `documents`
    copies of the example documents' quotes, one quote in 300 reviewed; best of three runs."""
    import hashlib

    from sayso import review
    from sayso.batch import ingest
    from sayso.store import Store

    db = out / "scale.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store(db) as store:
        ingest([str(ROOT / "examples")], store)
        c = store.conn
        seed = [dict(r) for r in c.execute("SELECT * FROM quotes")]
        texts = {r["id"]: r["text"] for r in c.execute("SELECT id, text FROM documents")}
        with c:
            for n in range(documents):
                doc_id = f"copy{n}"
                source = seed[n % len(seed)]["doc_id"]
                c.execute("INSERT INTO documents(id, text_sha256, text, ingested_at) VALUES (?, ?, ?, 'bench')",
                          (doc_id, hashlib.sha256(doc_id.encode()).hexdigest(), texts[source]))
                for q in (q for q in seed if q["doc_id"] == source):
                    columns = [k for k in q if k != "doc_id"]
                    c.execute(f'INSERT INTO quotes(doc_id, {", ".join(chr(34) + k + chr(34) for k in columns)})'
                              f" VALUES (?, {', '.join('?' * len(columns))})", [doc_id, *(q[k] for k in columns)])
        for r in c.execute("SELECT doc_id, id FROM quotes WHERE rowid % 300 = 0").fetchall():
            review.decide(c, r[0], r[1], "accept", reviewer="bench")
        total = c.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    visible = "q.review_status <> 'rejected'"
    pairs = {
        "document-first page": ("SELECT q.id FROM documents d CROSS JOIN quotes q ON q.doc_id = d.id"
                                " ORDER BY d.rowid, q.start LIMIT 50",
                                "SELECT q.id FROM documents d CROSS JOIN reviewed_quotes q ON q.doc_id = d.id"
                                f" AND {visible} ORDER BY d.rowid, q.start LIMIT 50"),
        "one document": ("SELECT * FROM quotes q WHERE q.doc_id = 'copy777'",
                         f"SELECT * FROM reviewed_quotes q WHERE q.doc_id = 'copy777' AND {visible}"),
        "count by kind": ("SELECT q.kind, COUNT(*) FROM quotes q GROUP BY q.kind",
                          f"SELECT q.kind, COUNT(*) FROM reviewed_quotes q WHERE {visible} GROUP BY q.kind"),
        "count by speaker": ("SELECT q.speaker_name, COUNT(*) FROM quotes q GROUP BY 1",
                             f"SELECT q.speaker_name, COUNT(*) FROM reviewed_quotes q WHERE {visible} GROUP BY 1"),
    }
    with Store(db, readonly=True) as store:
        print(f"{total} quotes in {documents + 8} documents, {store.conn.execute('SELECT COUNT(*) FROM decisions').fetchone()[0]}"
              " decisions; milliseconds, best of 3: quotes / reviewed_quotes")
        for name, (machine, reviewed) in pairs.items():
            timings = []
            for sql in (machine, reviewed):
                best = float("inf")
                for _ in range(3):
                    started = time.perf_counter()
                    store.conn.execute(sql).fetchall()
                    best = min(best, time.perf_counter() - started)
                timings.append(best * 1000)
            print(f"  {name}: {timings[0]:.1f} / {timings[1]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=50)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "review"))
    parser.add_argument("--view-cost", type=int, metavar="DOCUMENTS",
                        help="Instead: time reviewed_quotes against quotes on a store of this many copied documents.")
    args = parser.parse_args()
    if args.view_cost:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        return view_cost(out, args.view_cost)
    from playwright.sync_api import sync_playwright

    from sayso import review
    from sayso.review.reviewers import add_reviewer
    from sayso.store import Store

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db, gold = build(out, args.quotes)
    team = out / "team.yaml"
    team.unlink(missing_ok=True)
    token = add_reviewer(team, "bench")
    with Store(db, readonly=True) as store:
        plan = [(q["doc_id"], q["id"], *(judge(q, *gold[q["doc_id"]]) if q["doc_id"] in gold else ("accept", None)))
                for q in review.quotes(store.conn)][:args.quotes]
    keys = {"accept": 0, "reject": 0, "edit": 0, "navigate": 0}
    counts = {"accept": 0, "reject": 0, "edit": 0}
    with serving(db, reviewers=team) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{url}/documents/{plan[0][0]}")
        page.fill("#token-form input[name=token]", token)
        page.click("#token-form button")
        page.wait_for_selector("#reviewer-name:has-text('bench')")
        started = time.perf_counter()
        doc = None
        for doc_id, quote_id, action, speaker in plan:
            if doc_id != doc:
                page.goto(f"{url}/documents/{doc_id}")
                page.wait_for_selector("#reviewer-name:has-text('bench')")
                doc = doc_id
            if "selected" not in (page.get_attribute(f"[id='row-{quote_id}']", "class") or ""):
                page.keyboard.press("j")
                keys["navigate"] += 1
            row = f"[id='row-{quote_id}']"
            if action in ("accept", "reject"):
                page.keyboard.press(action[0])
                page.wait_for_selector(f"{row}.review-{action}ed")
                keys[action] += 1
            else:
                page.keyboard.press("e")
                page.wait_for_selector("#edit-panel:not([hidden])")
                typed = speaker.split()[-1][:4] if words(speaker) else speaker[:4]  # a reviewer types a name's start
                page.keyboard.type(typed)
                pressed = 1 + len(typed)
                names = []
                try:
                    page.wait_for_selector("#speaker-suggestions li", timeout=1500)
                    names = page.eval_on_selector_all("#speaker-suggestions li", "els => els.map(e => e.dataset.name)")
                except Exception:  # nothing in the registry starts so
                    pass
                pick = next((i for i, name in enumerate(names) if words(name) & words(speaker)), None)
                if pick is not None:  # the entity the gold names: arrows to it, Enter
                    for _ in range(pick + 1):
                        page.keyboard.press("ArrowDown")
                        pressed += 1
                    page.keyboard.press("Enter")
                    pressed += 1
                else:  # not in the registry: type the whole name
                    page.fill("#speaker-input", "")  # counted as one key: select all, then type
                    page.keyboard.type(speaker)
                    pressed += 1 + len(speaker)
                page.keyboard.press("Enter")
                pressed += 1
                page.wait_for_selector(f"{row}.review-edited")
                page.wait_for_selector("#reviewer-name:has-text('bench')")
                keys["edit"] += pressed
            counts[action] += 1
        seconds = time.perf_counter() - started
        browser.close()
    decisions = sum(counts.values())
    total_keys = sum(keys.values())
    print(f"documents: {len({d for d, *_ in plan})}  decisions: {decisions} "
          f"(accept {counts['accept']}, reject {counts['reject']}, edit speaker {counts['edit']})"
          f"  gold: {'PolNeAR dev' if gold else 'none (examples, all accepted)'}")
    print(f"keystrokes per decision: {total_keys / decisions:.2f} overall"
          f" (accept {keys['accept'] / max(counts['accept'], 1):.2f}, reject {keys['reject'] / max(counts['reject'], 1):.2f},"
          f" edit {keys['edit'] / max(counts['edit'], 1):.2f}; plus {keys['navigate']} j presses to enter documents)")
    print(f"seconds per decision (browser + server, this machine): {seconds / decisions:.3f}")
    with Store(db, readonly=True) as store:
        stats = __import__("sayso.review.measures", fromlist=["stats"]).stats(store.conn)["overall"]
    print(f"measured on these decisions: precision {stats['precision']}, speaker precision {stats['speaker_precision']}")


if __name__ == "__main__":
    main()
