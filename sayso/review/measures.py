"""How good is sayso on this collection, measured from the decisions people made: precision and
a recall estimate (`stats`), and how far reviewers agree with each other (`agreement`)."""
from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict

from .view import ensure_view

CHANGES = ("speaker", "span", "kind")


def _machine_rows(conn) -> list[dict]:
    """Every machine quote with its reviewed status and which of its fields a reviewer changed."""
    ensure_view(conn)
    return [dict(r) for r in conn.execute(
        "SELECT r.doc_id, r.review_status AS status, COALESCE(d.source, '(none)') AS source,"
        " COALESCE(q.speaker_resolved_by, '(unknown)') AS resolved_by,"
        " r.speaker_name IS NOT q.speaker_name AS speaker_changed,"
        " (r.start <> q.start OR r.\"end\" <> q.\"end\") AS span_changed, r.kind <> q.kind AS kind_changed"
        " FROM reviewed_quotes r JOIN quotes q ON q.rowid = r.quote_rowid JOIN documents d ON d.id = r.doc_id"
        " WHERE q.id NOT GLOB 'r[0-9]*'")]


def _summary(rows: list[dict], added: list | None) -> dict:
    """Figures for the machine quotes `rows` and the quotes reviewers `added` (None: no recall,
    as for a grouping by how the speaker was found, which added quotes do not have). Recall is
    estimated on complete documents only (every machine quote reviewed): there the reviewer has
    read the whole text, so what they did not add, they did not find missing."""
    statuses = Counter(r["status"] for r in rows)
    reviewed = len(rows) - statuses["unreviewed"]
    kept = statuses["accepted"] + statuses["edited"]
    changed = {c: sum(1 for r in rows if r["status"] == "edited" and r[f"{c}_changed"]) for c in CHANGES}
    out = {"machine_quotes": len(rows), "reviewed": reviewed, "accepted": statuses["accepted"],
           "edited": statuses["edited"], **{f"edited_{c}": changed[c] for c in CHANGES},
           "rejected": statuses["rejected"],
           "precision": round(kept / reviewed, 3) if reviewed else None,
           "speaker_precision": round((kept - changed["speaker"]) / reviewed, 3) if reviewed else None}
    if added is not None:
        open_docs = {r["doc_id"] for r in rows if r["status"] == "unreviewed"}
        complete = ({r["doc_id"] for r in rows} | {a["doc_id"] for a in added}) - open_docs
        kept_there = sum(1 for r in rows if r["doc_id"] in complete and r["status"] in ("accepted", "edited"))
        added_there = sum(1 for a in added if a["doc_id"] in complete)
        out.update({"added": len(added), "complete_documents": len(complete),
                    "added_per_document": round(added_there / len(complete), 2) if complete else None,
                    "recall_estimate": round(kept_there / (kept_there + added_there), 3)
                    if kept_there + added_there else None})
    return out


def stats(conn) -> dict:
    """Shares of machine quotes accepted / edited (speaker, span, kind) / rejected among those
    reviewed, precision (the share of reviewed machine quotes that are quotes) and speaker
    precision (... with the right speaker); quotes added, per complete document, and a recall
    estimate (machine quotes kept / (kept + added), on complete documents) — overall, by
    document source and by how the speaker was found. Only documents with decisions count."""
    rows = _machine_rows(conn)
    added_rows = [dict(r) for r in conn.execute(
        "SELECT q.doc_id, COALESCE(d.source, '(none)') AS source FROM reviewed_quotes q"
        " JOIN documents d ON d.id = q.doc_id WHERE q.review_status = 'added'")]
    reviewed_docs = {r["doc_id"] for r in rows if r["status"] != "unreviewed"} | {r["doc_id"] for r in added_rows}
    in_reviewed = [r for r in rows if r["doc_id"] in reviewed_docs]
    by_source = {source: _summary([r for r in in_reviewed if r["source"] == source],
                                  [a for a in added_rows if a["source"] == source])
                 for source in sorted({r["source"] for r in in_reviewed} | {a["source"] for a in added_rows})}
    by_resolution = {how: _summary([r for r in in_reviewed if r["resolved_by"] == how], None)
                     for how in sorted({r["resolved_by"] for r in in_reviewed})}
    return {"documents_reviewed": len(reviewed_docs), "overall": _summary(in_reviewed, added_rows),
            "by_source": by_source, "by_resolved_by": by_resolution}


# agreement -----------------------------------------------------------------------------------

def _judgements(conn) -> dict[str, dict[tuple, dict]]:
    """reviewer -> anchor -> that reviewer's own judgement of the quote: kept or rejected, and
    the speaker, kind and span it has after their own edits (machine values otherwise)."""
    machine = {}
    for r in conn.execute('SELECT d.text_sha256, q.start, q."end", q.kind, q.speaker_name FROM quotes q'
                          " JOIN documents d ON d.id = q.doc_id"):
        machine[(r[0], r[1], r[2], r[3])] = r[4]
    out: dict[str, dict[tuple, dict]] = defaultdict(dict)
    for d in conn.execute("SELECT * FROM decisions WHERE fact_table = 'quotes' ORDER BY reviewed_at, id"):
        anchor = (d["text_sha256"], d["start"], d["end"], d["kind"])
        value = json.loads(d["value"])
        base = out[d["reviewer"]].get(anchor) or {
            "speaker": machine.get(anchor, json.loads(d["original"]).get("speaker_name")),
            "kind": d["kind"], "span": (d["start"], d["end"])}
        judged = {**base, "quote": "rejected" if d["action"] == "reject" else "kept"}
        if "speaker" in value:
            judged["speaker"] = value["speaker"]
        if "kind" in value:
            judged["kind"] = value["kind"]
        if "start" in value:
            judged["span"] = (value["start"], value["end"])
        out[d["reviewer"]][anchor] = judged
    return out


def kappa(pairs: list[tuple]) -> tuple[float | None, float | None]:
    """Percent agreement and Cohen's kappa of two coders' labels (None when undefined)."""
    if not pairs:
        return None, None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    k = None if expected == 1 else (observed - expected) / (1 - expected)
    return round(100 * observed, 1), (round(k, 3) if k is not None else None)


def agreement(conn) -> list[dict]:
    """For each pair of reviewers with quotes in common: per decision type (is it a quote; on
    quotes both kept: speaker, kind, span) the number judged by both, percent agreement and
    Cohen's kappa."""
    judgements = _judgements(conn)
    rows = []
    for a, b in itertools.combinations(sorted(judgements), 2):
        common = sorted(set(judgements[a]) & set(judgements[b]))
        if not common:
            continue
        both_kept = [x for x in common if judgements[a][x]["quote"] == judgements[b][x]["quote"] == "kept"]
        for decision, anchors in (("quote", common), ("speaker", both_kept), ("kind", both_kept),
                                  ("span", both_kept)):
            pairs = [(str(judgements[a][x][decision]), str(judgements[b][x][decision])) for x in anchors]
            percent, k = kappa(pairs)
            rows.append({"reviewers": f"{a} / {b}", "decision": decision, "quotes": len(pairs),
                         "agreement_percent": percent, "kappa": k})
    return rows
