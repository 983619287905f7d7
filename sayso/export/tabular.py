"""JSON Lines (one document with all its facts per line) and CSV (one quote per row).

CSV is read by spreadsheets, which run a cell that begins with =, +, -, @ (or a tab or carriage
return before one) as a formula: such cells get a leading apostrophe (`spreadsheet_safe`), which
spreadsheets show as text. JSON Lines and Parquet keep the text exactly."""
from __future__ import annotations

import csv
import json

from ..extract.themes import passage_codes

QUOTE_COLUMNS = ["doc_id", "doc_title", "doc_date", "outlet", "quote_id", "claim_id", "kind", "speaker_name",
                 "speaker_mention", "speaker_descriptor", "speaker_role", "speaker_org", "speaker_entity_id",
                 "speaker_type", "speaker_resolved_by", "confidence", "review_status", "cue", "start", "end",
                 "page", "start_s", "end_s", "text", "nested_in", "themes"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value a spreadsheet shows as text: strings that a spreadsheet would run as a formula
    get a leading apostrophe; numbers and None are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [spreadsheet_safe(v) for v in values]


def write_jsonl(store, fh, include_rejected: bool = False) -> int:
    from ..claims import claim_ids

    claims = claim_ids(store.conn)
    n = 0
    for document, analysis in store.iter_analyses(include_rejected):
        record = analysis.to_dict()
        for quote in record["quotes"]:
            quote["claim_id"] = claims.get((document["id"], quote["id"]))
        record.update({k: document[k] for k in ("url", "date", "source", "text")})
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(store, fh, include_rejected: bool = False) -> int:
    from ..claims import claim_ids

    claims = claim_ids(store.conn)
    writer = csv.writer(fh)
    writer.writerow(QUOTE_COLUMNS)
    n = 0
    for document, analysis in store.iter_analyses(include_rejected):
        for q in analysis.quotes:
            codes = passage_codes(analysis.themes, q.start, q.end)
            status = (q.review or {}).get("status", "unreviewed")
            writer.writerow(safe_row([document["id"], document["title"], document["date"], document["source"], q.id,
                             claims.get((document["id"], q.id)), q.kind, q.speaker.name, q.speaker.mention,
                             q.speaker.descriptor, q.speaker.role, q.speaker.org, q.speaker.entity_id,
                             q.speaker.type, q.speaker.resolved_by, q.confidence, status, q.cue, q.start, q.end,
                             q.page, q.start_s, q.end_s, q.text, q.nested_in, ";".join(codes)]))
            n += 1
    return n
