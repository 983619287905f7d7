"""One document's facts as table rows, with the columns of the Parquet export, and back.
Registry ids are filled in when the rows are loaded into a store (`sayso load`)."""
from __future__ import annotations

import json

from ..model import (Analysis, Correction, Count, Document, Entity, Mention, Place, Quote, Speaker, ThemeHit,
                     parts_from_json, parts_to_json)

TABLES = ("documents", "quotes", "entities", "places", "counts", "themes", "corrections")


def to_rows(document: Document, a: Analysis) -> dict[str, list[dict]]:
    d = document.id
    return {
        "documents": [{"id": d, "text_sha256": document.text_sha256, "path": document.path, "title": document.title,
                       "url": document.url, "date": document.date, "source": document.source, "text": document.text,
                       "language": a.language or document.language,
                       "layout": json.dumps({"page_starts": document.page_starts, "timecodes": document.timecodes})}],
        "quotes": [{"doc_id": d, "id": q.id, "start": q.start, "end": q.end, "text": q.text, "kind": q.kind,
                    "cue": q.cue, "speaker_name": q.speaker.name, "speaker_mention": q.speaker.mention,
                    "speaker_descriptor": q.speaker.descriptor, "speaker_role": q.speaker.role,
                    "speaker_org": q.speaker.org, "speaker_entity_id": q.speaker.entity_id,
                    "speaker_registry_id": None, "nested_in": q.nested_in, "confidence": q.confidence,
                    "speaker_type": q.speaker.type, "speaker_resolved_by": q.speaker.resolved_by, "page": q.page,
                    "start_s": q.start_s, "end_s": q.end_s, "parts": parts_to_json(q.parts),
                    "claim_id": None,  # claims and review: in a store
                    "review_status": "unreviewed", "reviewer": None, "reviewed_at": None}
                   for q in a.quotes],
        "entities": [{"doc_id": d, "id": e.id, "name": e.name, "label": e.label, "aliases": json.dumps(e.aliases),
                      "country": e.country, "registry_id": None,
                      "mentions": json.dumps([m.to_dict() for m in e.mentions])}
                     for e in a.entities],
        "places": [{"doc_id": d, "id": f"p{n}", "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country,
                    "geonames_id": p.geonames_id, "feature": p.feature,
                    "mentions": json.dumps([m.to_dict() for m in p.mentions])}
                   for n, p in enumerate(a.places, start=1)],
        "counts": [{"doc_id": d, "id": f"n{n}", "number": c.number, "qualifier": c.qualifier, "object": c.object,
                    "text": c.text, "start": c.start, "end": c.end, "event": c.event, "upper": c.upper,
                    "quote_id": c.quote_id, "claimed_by": c.claimed_by, "implied": c.implied, "page": c.page}
                   for n, c in enumerate(a.counts, start=1)],
        "themes": [{"doc_id": d, "id": f"t{n}", "code": t.code, "label": t.label, "score": t.score,
                    "evidence": json.dumps([m.to_dict() for m in t.evidence])} for n, t in enumerate(a.themes, start=1)],
        "corrections": [{"doc_id": d, "id": f"c{n}", "text": c.text, "start": c.start, "end": c.end, "wrong": c.wrong,
                         "right": c.right, "subject": c.subject, "claim_start": c.claim_start,
                         "claim_end": c.claim_end, "claim_says": c.claim_says, "page": c.page}
                        for n, c in enumerate(a.corrections, start=1)],
    }


def from_rows(tables: dict[str, list[dict]]) -> tuple[Document, Analysis]:
    """The inverse of `to_rows` for one document."""
    (doc,) = tables["documents"]
    mentions = lambda r: [Mention(**m) for m in json.loads(r["mentions"] or "[]")]
    layout = json.loads(doc.get("layout") or "{}")  # Parquet written before schema 3 has no layout or language
    document = Document(doc["id"], doc["text"], doc["path"], doc["title"], doc["url"], doc["date"], doc["source"],
                        doc["text_sha256"], language=doc.get("language"), page_starts=layout.get("page_starts") or [],
                        timecodes=[tuple(t) for t in layout.get("timecodes") or []])
    analysis = Analysis(
        doc["id"], doc["path"], doc["title"], doc["text_sha256"],
        quotes=[Quote(r["id"], r["text"], r["start"], r["end"], r["kind"], r["cue"],
                      Speaker(r["speaker_name"], r["speaker_mention"], r["speaker_descriptor"], r["speaker_role"],
                              r["speaker_org"], r["speaker_entity_id"], r.get("speaker_type"),
                              r.get("speaker_resolved_by")), r["nested_in"], r.get("confidence"), r.get("page"),
                      r.get("start_s"), r.get("end_s"), parts=parts_from_json(r.get("parts")))
                for r in tables["quotes"]],
        entities=[Entity(r["id"], r["name"], r["label"], json.loads(r["aliases"]), mentions(r), r["country"])
                  for r in tables["entities"]],
        places=[Place(r["name"], r["lat"], r["lon"], r["country"], r["geonames_id"], r["feature"], mentions(r))
                for r in tables["places"]],
        counts=[Count(r["number"], r["qualifier"], r["object"], r["text"], r["start"], r["end"], r["event"], r["upper"],
                      r["quote_id"], r["claimed_by"], bool(r.get("implied"))) for r in tables["counts"]],
        themes=[ThemeHit(r["code"], r["label"], r["score"], [Mention(**m) for m in json.loads(r["evidence"])])
                for r in tables["themes"]],
        corrections=[Correction(r["text"], r["start"], r["end"], r["wrong"], r["right"], r["subject"],
                                claim_start=r.get("claim_start"), claim_end=r.get("claim_end"),
                                claim_says=r.get("claim_says")) for r in tables["corrections"]],
        language=doc.get("language"))
    return document, analysis
