"""Wire copies: the same story printed by several outlets (an agency's copy with another
headline, a trimmed paragraph, a different byline). Each document's word 5-shingles get a
MinHash signature (63 permutations) cut into 21 bands of 3 rows, kept as keys in the table
wire_keys (an LSH index on disk: a pair at Jaccard 0.5 shares a band with probability 0.94, at
0.1 with 0.02); a new document joins the group of the most similar candidate whose shingle
Jaccard similarity, computed exactly from the two texts, is at least THRESHOLD. Each update
reads only the new documents and their candidates.

THRESHOLD = 0.5: on polnear-collection (923 articles, seven outlets) every pair of documents a
MinHash LSH at Jaccard 0.1 finds falls either at 0.52 to 0.93 (six pairs: one outlet's story updated
or re-headlined the next day, two versions of a live blog) or at 0.12 and below (349 pairs:
different stories quoting the same sentences); nothing lies between. The synthetic wire copies
of bench/claims_synthetic.py (another headline, the same body) are above 0.8. Half the
shingles sits in the gap (`python bench/claims.py --wire-pairs STORE.db` prints the pairs).
"""
from __future__ import annotations

import re
import sqlite3

import numpy as np
from datasketch import MinHash

from .index import get_state, hash64, set_state

NUM_PERM, BANDS, ROWS, SHINGLE, THRESHOLD = 63, 21, 3, 5, 0.5
_SEEDED = MinHash(num_perm=NUM_PERM, seed=11)
_PERMUTATIONS, _SCHEME = _SEEDED.permutations, _SEEDED.scheme


def shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) <= SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def band_keys(found: set[bytes]) -> list[int]:
    minhash = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch(list(found))
    values = minhash.hashvalues.astype(np.uint64)
    return [hash64(bytes([band]) + values[band * ROWS:(band + 1) * ROWS].tobytes()) for band in range(BANDS)]


def jaccard(a: set, b: set) -> float:
    return len(a & b) / max(1, len(a | b))


def update(conn: sqlite3.Connection) -> int:
    """Group every document not yet in a wire group, in ingest order; returns how many."""
    seen = get_state(conn, "documents_rowid")
    new = conn.execute("SELECT d.id, d.text, d.rowid FROM documents d WHERE d.rowid > ? AND NOT EXISTS"
                       " (SELECT 1 FROM wire_groups w WHERE w.doc_id = d.id) ORDER BY d.rowid", (seen,)).fetchall()
    for doc_id, text, rowid in new:
        seen = rowid
        found = shingles(text)
        keys = band_keys(found)
        candidates = [r[0] for r in conn.execute(
            f"SELECT DISTINCT doc_id FROM wire_keys WHERE key IN ({','.join('?' * len(keys))})", keys)]
        group = _best_group(conn, candidates, found)
        conn.execute("INSERT OR REPLACE INTO wire_groups(doc_id, wire_group) VALUES (?, ?)", (doc_id, group or doc_id))
        conn.executemany("INSERT OR IGNORE INTO wire_keys(key, doc_id) VALUES (?, ?)", [(k, doc_id) for k in keys])
    set_state(conn, "documents_rowid", seen)
    conn.commit()
    return len(new)


def _best_group(conn: sqlite3.Connection, candidates: list[str], found: set[bytes]) -> str | None:
    best, best_similarity = None, THRESHOLD
    for candidate in candidates:
        row = conn.execute("SELECT d.text, w.wire_group FROM documents d JOIN wire_groups w ON w.doc_id = d.id"
                           " WHERE d.id = ?", (candidate,)).fetchone()
        if row is None:
            continue
        similarity = jaccard(found, shingles(row[0]))
        if similarity >= best_similarity:
            best, best_similarity = row[1], similarity
    return best


def wire_groups(conn: sqlite3.Connection, min_documents: int = 2) -> list[dict]:
    """Groups of at least min_documents documents, each with its documents' ids, outlets, dates."""
    rows = conn.execute("SELECT w.wire_group, d.id, d.source, d.date, d.title FROM wire_groups w"
                        " JOIN documents d ON d.id = w.doc_id ORDER BY w.wire_group, d.rowid").fetchall()
    groups: dict[str, list] = {}
    for group, *rest in rows:
        groups.setdefault(group, []).append(dict(zip(("doc", "source", "date", "title"), rest)))
    return [{"wire_group": g, "documents": docs} for g, docs in groups.items() if len(docs) >= min_documents]
