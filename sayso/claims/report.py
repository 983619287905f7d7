"""What a claim cluster says: its canonical text, who it is credited to, where and when it first
appeared, every occurrence with its outlet and date, and which occurrences altered the words."""
from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterator
from itertools import groupby

from ..review.view import ensure_view
from ..store.db import like
from .index import stats_counted
from .text import ELLIPSIS, changes, content, words

MIN_CLAIM_WORDS = 5  # a shorter quote is a phrase quoted, not a claim credited to someone
MAX_FORMS = 30  # distinct forms compared pairwise to choose the reference wording
TITLES = {"mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov", "governor",
          "president", "gen", "general", "secretary", "former", "presidential", "nominee", "candidate", "mayor",
          "the", "sir", "prof", "professor"}
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "who", "one"}

# The occurrences as reviewed in a store (a reviewer's speaker and span, rejected quotes left
# out); as the machine found them in the clusters of a Parquet folder, which has no review.
_OCCURRENCES = (
    'SELECT m.claim_id, m.doc_id, m.quote_id, q.text, q.speaker_name, {how},'
    ' d.date, d.source, d.rowid AS ingest'
    " FROM claim_members m JOIN {quotes} q ON q.doc_id = m.doc_id AND q.id = m.quote_id"
    " JOIN documents d ON d.id = m.doc_id WHERE {reviewed}")
_ORDER = " ORDER BY m.claim_id, d.date IS NULL, d.date, d.rowid, q.start"


def claim_label(claim_id: int) -> str:
    return f"C{claim_id}"


def claim_number(label: str) -> int | None:
    match = re.fullmatch(r"C?(\d+)", label.strip())
    return int(match.group(1)) if match else None


def claim_ids(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """{(doc_id, quote_id): claim id} for every clustered quote (what exports carry)."""
    try:
        rows = conn.execute("SELECT doc_id, quote_id, claim_id FROM claim_members").fetchall()
    except sqlite3.OperationalError:
        return {}  # a store made before claims, opened read-only: nothing clustered
    return {(d, q): claim_label(c) for d, q, c in rows}


def clusters(conn: sqlite3.Connection, altered: bool = False, conflicting: bool = False, speaker: str | None = None,
             min_sources: int = 1, claim: int | None = None, memo: "Descriptions | None" = None) -> Iterator[dict]:
    """Claim clusters in id order, described; the filters keep clusters with an altered
    occurrence, with conflicting speakers, naming a speaker (substring, any case) or found in
    at least min_sources outlets (a document without a source is an outlet of its own).
    With `memo` (a server's, kept across requests), each claim is read on its own and its
    description kept until the claim changes, so a page of claims reads only what changed since;
    without, every occurrence is read in one pass."""
    quotes, reviewed, how = ("reviewed_quotes", "q.review_status <> 'rejected'", "q.speaker_mention, q.speaker_resolved_by") \
        if _reviewed(conn) else ("quotes", "1 = 1", "NULL AS speaker_mention, NULL AS speaker_resolved_by")
    occurrences = _OCCURRENCES.format(quotes=quotes, reviewed=reviewed, how=how)
    counted = stats_counted(conn)
    where, params = _chosen(claim, min_sources if counted else 1, speaker, quotes)
    if min_sources > 1 and not counted:  # a store clustered before claim_stats: its members grouped
        where.append("{id} IN (SELECT m2.claim_id FROM claim_members m2 JOIN documents d2 ON d2.id = m2.doc_id"
                     " GROUP BY m2.claim_id HAVING COUNT(DISTINCT COALESCE(d2.source, d2.id)) >= ?)")
        params.append(min_sources)
    if memo is not None and counted:
        found = _one_by_one(conn, occurrences, where, params, memo)
    else:
        sql = occurrences + "".join(" AND " + w.format(id="m.claim_id") for w in where) + _ORDER
        found = (describe(claim_id, [dict(r) for r in rows])
                 for claim_id, rows in groupby(conn.execute(sql, params), key=lambda r: r[0]))
    for described in found:
        if described is None or len(described["sources"]) < min_sources:  # occurrences a reviewer rejected
            continue
        if altered and not any(o["altered"] for o in described["occurrences"]):
            continue
        if conflicting and not described["conflicting_speakers"]:
            continue
        yield described


def _chosen(claim: int | None, min_sources: int, speaker: str | None, quotes: str) -> tuple[list[str], list]:
    """Conditions on the claim's id (`{id}`) that the filters set, and their values."""
    where, params = [], []
    if claim is not None:
        where.append("{id} = ?")
        params.append(claim)
    if min_sources > 1:
        where.append("{id} IN (SELECT claim_id FROM claim_stats WHERE sources >= ?)")
        params.append(min_sources)
    if speaker:
        where.append(f"{{id}} IN (SELECT m3.claim_id FROM claim_members m3 JOIN {quotes} q3"
                     " ON q3.doc_id = m3.doc_id AND q3.id = m3.quote_id WHERE q3.speaker_name LIKE ? ESCAPE '\\')")
        params.append(like(speaker))
    return where, params


def _one_by_one(conn, occurrences: str, where: list[str], params: list, memo: "Descriptions") -> Iterator[dict]:
    """The chosen claims described, each read only when it changed since it was last described:
    when its members or review decisions did (claim_stats.version grows as members join, and
    when a member quote is re-analysed or renamed)."""
    decided = decisions(conn)
    sql = "SELECT s.claim_id, s.members, s.version FROM claim_stats s WHERE s.members > 0" + "".join(
        " AND " + w.format(id="s.claim_id") for w in where) + " ORDER BY s.claim_id"
    one = occurrences + " AND m.claim_id = ?" + _ORDER

    def read(claim_id: int) -> dict | None:
        rows = [dict(r) for r in conn.execute(one, (claim_id,))]
        return describe(claim_id, rows) if rows else None  # None: every occurrence rejected

    for claim_id, members, version in conn.execute(sql, params):  # read as the caller goes on
        yield memo.get((claim_id, members, version, decided), lambda: read(claim_id))


def count(conn: sqlite3.Connection, min_sources: int = 1, speaker: str | None = None) -> int | None:
    """How many claims `clusters` gives with these filters, read from claim_stats; None when it
    cannot say without describing them (a store clustered before claim_stats, or a reviewer's
    rejection, which may leave a claim fewer outlets than claim_stats counts)."""
    if not stats_counted(conn) or decisions(conn, "reject"):
        return None
    quotes = "reviewed_quotes" if _reviewed(conn) else "quotes"
    where, params = _chosen(None, min_sources, speaker, quotes)
    return conn.execute("SELECT COUNT(*) FROM claim_stats s WHERE s.members > 0" + "".join(
        " AND " + w.format(id="s.claim_id") for w in where), params).fetchone()[0]


def decisions(conn: sqlite3.Connection, action: str | None = None) -> int:
    """The last review decision on a quote (of this action), 0 for none or a store without review."""
    try:
        return conn.execute("SELECT COALESCE(MAX(id), 0) FROM decisions WHERE fact_table = 'quotes'"
                            + (" AND action = ?" if action else ""), (action,) if action else ()).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


class Descriptions:
    """Described claims kept by a server until they change (by the key `clusters` gives them): at
    most `occurrences` occurrences in all, the least recently read dropped first. The
    descriptions are shared: callers read them, never change them."""

    def __init__(self, occurrences: int = 200_000):
        self.limit = occurrences
        self.size = 0
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # a server's threads share it

    def get(self, key: tuple, describe_it) -> dict | None:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        described = describe_it()
        with self._lock:
            if key not in self._kept:
                self._kept[key] = described
                self.size += _size(described)
            while self.size > self.limit and len(self._kept) > 1:
                _, dropped = self._kept.popitem(last=False)
                self.size -= _size(dropped)
        return described


def _reviewed(conn: sqlite3.Connection) -> bool:
    """A sayso store (its quotes can be read as reviewed), not a Parquet folder's clusters."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'registry_names'").fetchone():
        return False
    ensure_view(conn)
    return True


SUMMARY_COLUMNS = ["id", "text", "speaker", "speakers", "conflicting_speakers", "sources", "first_date",
                   "first_source", "first_doc", "occurrences", "altered"]


def claim_summary(claim: dict) -> dict:
    """A described claim as one flat row (the claims download, `Collection.claims()`)."""
    return dict(zip(SUMMARY_COLUMNS, (
        claim["id"], claim["text"], claim["speaker"], claim["speakers"], claim["conflicting_speakers"],
        claim["sources"], claim["first"]["date"], claim["first"]["source"], claim["first"]["doc"],
        len(claim["occurrences"]), sum(o["altered"] for o in claim["occurrences"]))))


def find_claim(conn: sqlite3.Connection, label: str, memo: Descriptions | None = None) -> dict | None:
    """One cluster by its id ("C12"), described; None when there is none."""
    number = claim_number(label)
    return next(clusters(conn, claim=number, memo=memo), None) if number is not None else None


def _size(described: dict | None) -> int:
    return len(described["occurrences"]) if described else 1


def describe(claim_id: int, rows: list[dict]) -> dict:
    """rows: the occurrences (claim_id, doc_id, quote_id, text, speaker_name, date, source),
    earliest first. The cluster's text is its canonical form: the longest of the forms most
    occurrences agree with (so a longer but altered reprint does not become the canonical
    text); each occurrence is compared with it."""
    parsed = {text: words(text) for text in dict.fromkeys(r["text"] for r in rows)}  # reprints: one text, many rows
    forms = [parsed[r["text"]] for r in rows]
    chosen = _reference(forms)
    reference = forms[chosen]
    compared: dict[str, list[dict]] = {}
    occurrences = []
    for row, form in zip(rows, forms):
        if row["text"] not in compared:
            compared[row["text"]] = changes(form, reference) if form is not reference else []
        found = list(compared[row["text"]])
        occurrences.append({"doc": row["doc_id"], "quote_id": row["quote_id"], "date": row["date"],
                            "source": row["source"], "speaker": row["speaker_name"], "text": row["text"],
                            "altered": bool(found), "changes": found})
    groups = speaker_groups([_as_written(r) for r in rows])
    first = occurrences[0]
    return {"id": claim_label(claim_id), "text": rows[chosen]["text"].strip().rstrip(",;:"),
            "speaker": groups[0] if groups else None, "speakers": groups,
            "conflicting_speakers": conflicting(groups, rows[chosen]["text"]),
            "sources": list(dict.fromkeys(r["source"] or r["doc_id"] for r in rows)),
            "first": {k: first[k] for k in ("doc", "quote_id", "date", "source")},
            "occurrences": occurrences}


def _as_written(row: dict) -> str | None:
    """The speaker an occurrence's own text names: a full name the collection supplied for a bare
    surname ("Dunmore" -> the Dunmore who dominates the collection) is a guess, not a conflict."""
    if row.get("speaker_resolved_by") == "collection" and row.get("speaker_mention"):
        return row["speaker_mention"]
    return row["speaker_name"]


def _reference(forms: list[list[tuple[str, str]]]) -> int:
    """The wording the others are compared with: a whole form (no ellipsis, not an excerpt of
    a longer form it agrees with) that most occurrences agree with, the earliest on a tie (the
    first appearance is taken for the original). Agreeing is being equal to, an excerpt of, or
    containing as an excerpt."""
    if len(forms) == 1:
        return 0
    keyed = [tuple(w for w, _ in f) for f in forms]
    weight = Counter(keyed)
    distinct = list(dict.fromkeys(keyed))[:MAX_FORMS]
    index = {k: keyed.index(k) for k in distinct}
    agrees = {(k, o): o == k or not changes(forms[index[o]], forms[index[k]]) for k in distinct for o in distinct}
    size = {k: len(content(list(k))) for k in distinct}
    whole = [k for k in distinct if ELLIPSIS not in k
             and not any(size[o] > size[k] and agrees[o, k] for o in distinct)] or distinct
    agree = {k: sum(weight[o] for o in distinct if agrees[k, o]) for k in whole}
    return index[max(whole, key=lambda k: (agree[k], -index[k]))]


def name_key(name: str | None) -> tuple[str, ...]:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(ch))
    words_ = re.findall(r"[\w'-]+", plain.lower().replace("\u2019", "'"))
    words_ = [re.sub(r"'s$", "", w) for w in words_ if w not in TITLES]
    return () if not words_ or (len(words_) == 1 and words_[0] in PRONOUNS) else tuple(words_)


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """"Trump", "Donald Trump" and "Donald J. Trump" are one person; "Bill Clinton" and
    "Hillary Clinton" are two."""
    return bool(a and b) and a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0] == b[0])


PARTICLES = {"de", "van", "von", "der", "den", "al", "bin", "ibn", "la", "le", "du", "da", "di", "el", "del", "dos"}


def named(name: str) -> bool:
    """A proper name ("Mara Quinlan", "State Department"), not a description ("the warehouses",
    "Florida senator", "former secretary of state")."""
    parts = re.findall(r"[\w'’.-]+", name)
    return bool(parts) and all(p[0].isupper() or p.lower() in PARTICLES for p in parts)


def conflicting(groups: list[str], text: str) -> bool:
    """Different people credited with one claim. A description beside named people is the
    extraction's guess more often than a second speaker, so it counts only when no one is named;
    a phrase of a few words ("fair", "common sense", a programme's name) is words quoted, not
    a claim anyone is credited with, so it has no conflict."""
    if len(content([w for w, _ in words(text)])) < MIN_CLAIM_WORDS:
        return False
    people = [g for g in groups if named(g)]
    return len(people) > 1 if people else len(groups) > 1


def speaker_groups(names: list[str | None]) -> list[str]:
    """The people credited, most credited first, each shown by its longest name; "Trump" and
    "Donald Trump" are one person (see same_person), pronouns and unknowns are nobody."""
    counts = Counter(n for n in names if name_key(n))
    groups: list[dict] = []
    for name in sorted(counts, key=lambda n: (-len(name_key(n)), -counts[n], n)):
        key = name_key(name)
        matches = [g for g in groups if same_person(g["key"], key)]
        if matches:
            group = max(matches, key=lambda g: g["count"])
            group["count"] += counts[name]
        else:
            groups.append({"key": key, "name": name, "count": counts[name]})
    return [g["name"] for g in sorted(groups, key=lambda g: -g["count"])]
