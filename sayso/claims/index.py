"""Incremental quote clustering. Each quote is looked up in an on-disk candidate index
(table claim_keys) by three kinds of key, then confirmed by a word-level alignment
(text.same_claim) against the longest form of each candidate claim:

- exact: the hash of the normalised words (a reprint joins with no alignment at all);
- LSH bands: a datasketch MinHash (16 permutations) of the word 3-shingles cut into 8 bands of
  2 rows; two forms with Jaccard similarity 0.5 share a band with probability 0.90, at 0.3 with
  0.53 (variants with words changed here and there);
- winnowed fingerprints: the smallest hash in every window of 3 consecutive word 3-shingles
  (Schleimer et al. 2003); two forms sharing a run of 5 words share a fingerprint for certain
  (excerpts, whose Jaccard similarity to the long form is low).

Keys are kept per claim (a repeated form adds no rows), so the index grows with the number of
distinct forms. Nothing is held in memory between quotes: memory stays flat however large the
collection, and `update_quotes` only reads quotes not yet clustered."""
from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from ..model import parts_from_json, spoken_text
from .text import ELLIPSIS, content, norm, same_claim

NUM_PERM, BANDS, ROWS = 16, 8, 2
SHINGLE, WINDOW = 3, 3
COMMIT_S = 0.25  # longest a clustering holds the store's write lock
CANDIDATES = 8  # claims aligned at most per quote, those sharing most keys first
KEY_ROWS = 10  # claims read per key at most
LOOKUP, NO_KEY = 48, 0  # keys looked up per statement (SQLite allows 500 terms), and the padding
_LOOKUP_SQL = " UNION ALL ".join(
    f"SELECT {n} AS k, claim_id FROM (SELECT claim_id FROM claim_keys WHERE key = ? ORDER BY claim_id DESC"
    f" LIMIT {KEY_ROWS})" for n in range(LOOKUP))
# One MinHash, its permutations drawn once, cleared for each form; it is given the shingles'
# 32-bit hashes, which the winnowing uses too (each shingle is hashed once).
_MINHASH = MinHash(num_perm=NUM_PERM, seed=7, hashfunc=int)
FINGERPRINT = 1 << 40  # fingerprints (32-bit) are keys above this, apart from the 64-bit others


def hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


def _shingles(tokens: list[str]) -> list[int]:
    if len(tokens) <= SHINGLE:
        return [sha1_hash32(" ".join(tokens).encode())]
    return [sha1_hash32(" ".join(tokens[i:i + SHINGLE]).encode()) for i in range(len(tokens) - SHINGLE + 1)]


def keys(tokens: list[str]) -> tuple[int, set[int]]:
    """The exact key and every candidate key of a normalised form."""
    words = content(tokens)
    exact = hash64(b"x" + " ".join(words).encode())
    found = {exact}
    pieces = [_shingles(part) for part in _parts(tokens)]
    shingles = [s for part in pieces for s in part]
    if not shingles:
        return exact, found
    _MINHASH.clear()
    _MINHASH.update_batch(shingles)
    values = _MINHASH.hashvalues.astype(np.uint64)
    found.update(hash64(bytes([band]) + values[band * ROWS:(band + 1) * ROWS].tobytes()) for band in range(BANDS))
    for hashes in pieces:
        for i in range(max(1, len(hashes) - WINDOW + 1)):
            found.add(FINGERPRINT + min(hashes[i:i + WINDOW]))
    return exact, found


def _parts(tokens: list[str]) -> list[list[str]]:
    """The stretches of words between ellipses (a shingle never spans a cut)."""
    parts, current = [], []
    for word in tokens:
        if word == ELLIPSIS:
            parts.append(current)
            current = []
        else:
            current.append(word)
    parts.append(current)
    return [p for p in parts if p]


class Clusterer:
    """Assigns quotes to claims in the claims tables of `conn` (a sayso store, or any SQLite
    database where sayso/claims/schema.sql was run)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        # outlets are counted where the documents are at hand (a store, a Parquet folder's clusters)
        self.counts_sources = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone() is not None

    def add(self, doc_id: str, quote_id: str, text: str, start: int | None = None, end: int | None = None) -> int:
        tokens = norm(text)
        exact, found = keys(tokens)
        claim = self._find(tokens, exact, found, doc_id, start, end)
        if claim is None:
            claim = self.conn.execute("INSERT INTO claims(form) VALUES (?)", (" ".join(tokens),)).lastrowid
        left = self.conn.execute("SELECT claim_id FROM claim_members WHERE doc_id = ? AND quote_id = ?",
                                 (doc_id, quote_id)).fetchone()  # a quote clustered again may leave a claim
        self.conn.execute('INSERT OR REPLACE INTO claim_members(doc_id, quote_id, claim_id, start, "end")'
                          " VALUES (?, ?, ?, ?, ?)", (doc_id, quote_id, claim, start, end))
        if self.counts_sources:
            for changed in {claim, *(left or ())}:
                self.conn.execute(COUNT_STATS, (changed, changed))
        self.conn.executemany("INSERT OR IGNORE INTO claim_keys(key, claim_id) VALUES (?, ?)",
                              [(k, claim) for k in found])
        return claim

    def _find(self, tokens, exact, found, doc_id, start, end) -> int | None:
        for claim, form in self._candidates(exact, found):
            other = form.split(" ") if form else []
            if not (content(other) == content(tokens) or same_claim(tokens, other)):
                continue
            if start is not None and self._overlaps(claim, doc_id, start, end):
                continue  # a quote nested in another of the same document is not a repeat
            if len(content(tokens)) > len(content(other)):
                self.conn.execute("UPDATE claims SET form = ? WHERE id = ?", (" ".join(tokens), claim))
            return claim
        return None

    def _candidates(self, exact: int, found: set[int]) -> list[tuple[int, str]]:
        """Claims sharing the exact key first, then those sharing most keys. Each key is read
        for at most KEY_ROWS claims: a key that common (a stock phrase) tells nothing, and
        reading all of its claims would make every quote cost time in the collection's size; the
        most recent are read, as a repeat mostly follows soon after the first report."""
        ordered = [exact, *(k for k in found if k != exact)]
        shared: dict[int, int] = {}
        for at in range(0, len(ordered), LOOKUP):
            chunk = ordered[at:at + LOOKUP]
            chunk += [NO_KEY] * (LOOKUP - len(chunk))  # one statement text, compiled once and cached
            for n, claim in self.conn.execute(_LOOKUP_SQL, chunk):
                shared[claim] = shared.get(claim, 0) + (1000 if at + n == 0 else 1)
        best = sorted(shared, key=lambda c: -shared[c])[:CANDIDATES]
        if not best:
            return []
        forms = dict(self.conn.execute(f"SELECT id, form FROM claims WHERE id IN ({','.join('?' * len(best))})",
                                       best))
        return [(c, forms[c]) for c in best if c in forms]

    def _overlaps(self, claim: int, doc_id: str, start: int, end: int) -> bool:
        return self.conn.execute('SELECT 1 FROM claim_members WHERE claim_id = ? AND doc_id = ? AND start < ?'
                                 ' AND "end" > ?', (claim, doc_id, end, start)).fetchone() is not None


def cluster(conn: sqlite3.Connection, quotes: Iterable[tuple[str, str, str, int | None, int | None]],
            commit_every: int = 5000) -> int:
    """Cluster (doc_id, quote_id, text, start, end) rows in order; commits every few thousand,
    and at least every COMMIT_S: another writer (a reviewer's decision in the web server) waits
    for the write lock no longer than that."""
    clusterer, n, committed = Clusterer(conn), 0, time.monotonic()
    for n, (doc_id, quote_id, text, start, end) in enumerate(quotes, start=1):
        clusterer.add(doc_id, quote_id, text, start, end)
        if n % commit_every == 0 or time.monotonic() - committed > COMMIT_S:
            conn.commit()
            committed = time.monotonic()
    conn.commit()
    return n


# A claim's stats counted from its members (one claim: `?` twice, its id), its version bumped.
COUNT_STATS = ("INSERT INTO claim_stats(claim_id, members, sources, version) SELECT ?, COUNT(*),"
               " COUNT(DISTINCT COALESCE(d.source, d.id)), 1 FROM claim_members m JOIN documents d ON d.id = m.doc_id"
               " WHERE m.claim_id = ? ON CONFLICT(claim_id) DO UPDATE SET members = excluded.members,"
               " sources = excluded.sources, version = claim_stats.version + 1")


def stats_counted(conn: sqlite3.Connection) -> bool:
    """Whether every claim's stats are in claim_stats."""
    try:
        return conn.execute("SELECT (SELECT COALESCE(MAX(id), 0) FROM claims)"
                            " <= (SELECT COALESCE(MAX(claim_id), 0) FROM claim_stats)").fetchone()[0] == 1
    except sqlite3.OperationalError:  # a store from before claim_stats, opened read-only
        return False


def count_stats(conn: sqlite3.Connection) -> None:
    """Count the stats of the claims made before claim_stats existed (once per store)."""
    if not stats_counted(conn):
        done = conn.execute("SELECT COALESCE(MAX(claim_id), 0) FROM claim_stats").fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO claim_stats(claim_id, members, sources, version) SELECT m.claim_id,"
                     " COUNT(*), COUNT(DISTINCT COALESCE(d.source, d.id)), 1 FROM claim_members m JOIN documents d"
                     " ON d.id = m.doc_id WHERE m.claim_id > ? GROUP BY m.claim_id", (done,))


def update_quotes(conn: sqlite3.Connection) -> int:
    """Cluster every stored quote not yet in a claim, in ingest order; returns how many. Only
    quotes stored after the last update are read (claims_state keeps the last rowid seen), so
    calling it after every ingest batch costs what the batch added, not the collection."""
    count_stats(conn)
    seen = get_state(conn, "quotes_rowid")
    rows = conn.cursor().execute(
        'SELECT q.doc_id, q.id, q.text, q.start, q."end", q.parts, q.rowid FROM quotes q WHERE q.rowid > ?'
        " AND NOT EXISTS (SELECT 1 FROM claim_members m WHERE m.doc_id = q.doc_id AND m.quote_id = q.id)"
        " ORDER BY q.rowid", (seen,))
    last = [seen]

    def quotes():
        for doc_id, quote_id, text, start, end, parts, rowid in rows:
            last[0] = rowid
            yield doc_id, quote_id, spoken_text(text, start, parts_from_json(parts)), start, end

    n = cluster(conn, quotes())
    set_state(conn, "quotes_rowid", last[0])
    conn.commit()
    return n


def get_state(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("SELECT value FROM claims_state WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def set_state(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT OR REPLACE INTO claims_state(key, value) VALUES (?, ?)", (key, value))


def unclustered(conn: sqlite3.Connection, up_to: int | None = None) -> int:
    """How many stored quotes were stored after the last update (and are in no claim yet),
    counted up to `up_to` (then `up_to` + 1 says "more")."""
    limit = -1 if up_to is None else up_to + 1
    return conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM quotes q WHERE q.rowid > ? AND NOT EXISTS (SELECT 1"
                        " FROM claim_members m WHERE m.doc_id = q.doc_id AND m.quote_id = q.id) LIMIT ?)",
                        (get_state(conn, "quotes_rowid"), limit)).fetchone()[0]
