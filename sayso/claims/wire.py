"""Wire copies: the same story printed by several outlets (an agency's copy with another
headline, a trimmed paragraph, a different byline). Each document's word 5-shingles get a
MinHash signature (64 permutations, kept in wire_signatures); a new document is compared with
the candidates a MinHash LSH finds and joins the group of the most similar one whose shingle
Jaccard similarity, computed exactly from the two texts, is at least THRESHOLD.

THRESHOLD = 0.5: a reprint with another headline and byline and a paragraph cut keeps most of
its shingles (0.6 to 1.0 on the synthetic wire copies and on polnear's agency reprints, see
docs/claims.md), while two outlets' own reports of one event, quoting the same sentences,
share far fewer (under 0.2 on polnear); half the shingles is well clear of both."""
from __future__ import annotations

import re
import sqlite3

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM, SHINGLE, THRESHOLD = 64, 5, 0.5
_SEEDED = MinHash(num_perm=NUM_PERM, seed=11)
_PERMUTATIONS, _SCHEME = _SEEDED.permutations, _SEEDED.scheme


def shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) <= SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(found: set[bytes]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch(list(found))
    return minhash


def _load(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME,
                   hashvalues=np.frombuffer(blob, dtype=np.uint64))


def jaccard(a: set, b: set) -> float:
    return len(a & b) / max(1, len(a | b))


def update(conn: sqlite3.Connection) -> int:
    """Group every document not yet in a wire group, in ingest order; returns how many."""
    lsh = MinHashLSH(threshold=THRESHOLD * 0.8, num_perm=NUM_PERM)  # lower: the exact check decides
    for doc_id, blob in conn.execute("SELECT doc_id, signature FROM wire_signatures"):
        lsh.insert(doc_id, _load(blob))
    new = conn.execute("SELECT d.id, d.text FROM documents d WHERE NOT EXISTS"
                       " (SELECT 1 FROM wire_groups w WHERE w.doc_id = d.id) ORDER BY d.rowid").fetchall()
    for doc_id, text in new:
        found = shingles(text)
        minhash = signature(found)
        group = _best_group(conn, lsh.query(minhash), found)
        conn.execute("INSERT OR REPLACE INTO wire_signatures(doc_id, signature) VALUES (?, ?)",
                     (doc_id, minhash.hashvalues.astype(np.uint64).tobytes()))
        conn.execute("INSERT OR REPLACE INTO wire_groups(doc_id, wire_group) VALUES (?, ?)", (doc_id, group or doc_id))
        lsh.insert(doc_id, minhash)
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
