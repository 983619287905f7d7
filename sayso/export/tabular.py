"""JSON Lines (one document with all its facts per line) and CSV (one quote per row).

CSV is read by spreadsheets, which run a cell that begins with =, +, -, @ (or a tab or carriage
return before one) as a formula: such cells get a leading apostrophe (`spreadsheet_safe`), which
spreadsheets show as text. JSON Lines and Parquet keep the text exactly."""
from __future__ import annotations

import csv
import json

from ..extract.themes import passage_codes

QUOTE_COLUMNS = ["doc_id", "doc_title", "quote_id", "kind", "speaker_name", "speaker_mention",
                 "speaker_descriptor", "speaker_role", "speaker_org", "speaker_entity_id", "cue",
                 "start", "end", "text", "nested_in", "themes"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value a spreadsheet shows as text: strings that a spreadsheet would run as a formula
    get a leading apostrophe; numbers and None are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [spreadsheet_safe(v) for v in values]


def write_jsonl(store, fh) -> int:
    n = 0
    for document, analysis in store.iter_analyses():
        record = analysis.to_dict()
        record.update({k: document[k] for k in ("url", "date", "source", "text")})
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(store, fh) -> int:
    writer = csv.writer(fh)
    writer.writerow(QUOTE_COLUMNS)
    n = 0
    for document, analysis in store.iter_analyses():
        for q in analysis.quotes:
            codes = passage_codes(analysis.themes, q.start, q.end)
            writer.writerow(safe_row([document["id"], document["title"], q.id, q.kind, q.speaker.name,
                             q.speaker.mention, q.speaker.descriptor, q.speaker.role, q.speaker.org,
                             q.speaker.entity_id, q.cue, q.start, q.end, q.text, q.nested_in,
                             ";".join(codes)]))
            n += 1
    return n
