"""SQLite store. `Store.add` writes one document and all its facts in one transaction, so an
interrupted ingest loses nothing already stored; re-adding the same text is a no-op."""
from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from .. import __version__
from . import registry
from .registry import register
from ..model import (Analysis, Correction, Count, Document, Entity, Mention, Place, Quote, Speaker,
                     ThemeHit, page_of, parts_from_json, parts_to_json)

SCHEMA_VERSION = "6"
# Statements that bring a store of an older schema version up to the next one.
MIGRATIONS = {"1": ["ALTER TABLE counts ADD COLUMN event TEXT", "ALTER TABLE counts ADD COLUMN upper REAL",
                    "ALTER TABLE counts ADD COLUMN quote_id TEXT", "ALTER TABLE counts ADD COLUMN claimed_by TEXT"],
              "2": ["ALTER TABLE documents ADD COLUMN language TEXT", "ALTER TABLE documents ADD COLUMN layout TEXT",
                    *(f"ALTER TABLE quotes ADD COLUMN {column}" for column in (
                        "confidence REAL", "speaker_type TEXT", "speaker_resolved_by TEXT", "page INTEGER",
                        "start_s REAL", "end_s REAL")),
                    "ALTER TABLE counts ADD COLUMN implied INTEGER NOT NULL DEFAULT 0"],
              "3": [f"ALTER TABLE corrections ADD COLUMN {column}"
                    for column in ("claim_start INTEGER", "claim_end INTEGER", "claim_says TEXT")],
              "4": ["ALTER TABLE quotes ADD COLUMN parts TEXT"],
              # theme_spans, created empty by schema.sql, filled by its trigger on themes being updated
              "5": ["UPDATE themes SET evidence = evidence"]}
# Tables of other parts of sayso (review decisions, claim clusters), created with the store's own.
EXTRA_SCHEMAS = (("sayso.review", "schema.sql"), ("sayso.claims", "schema.sql"), ("sayso.claims", "triggers.sql"))
# The tables whose rows the lists and pages read: not the claim clusters and wire groups (the
# figures notice new wire copies themselves, sayso.store.summary), nor the search indexes that
# triggers keep. Every row written to one of them adds one to facts_version, in the same
# transaction, so that a reader can tell these changes from the clustering's commits (several a
# second during an ingest) and keep what it computed from the facts across those.
FACT_TABLES = ("runs", "documents", "quotes", "entities", "places", "mentions", "counts", "themes", "corrections",
               "theme_spans", "reviews", "registry", "registry_names", "registry_changes", "decisions", "quote_state")


class StoreError(Exception):
    pass


BUSY_TIMEOUT_S = 30  # how long a connection waits for another's lock before it gives up


@dataclass(frozen=True)
class Stored:
    """What `Store.add` did: the id the text is stored under, and whether this call added it
    (False: it was there already, stored by this process or by another one). True in a boolean
    context only when added."""

    id: str
    added: bool

    def __bool__(self) -> bool:
        return self.added


def _read_only(path: Path) -> bool:
    folder = path.resolve().parent
    return (path.exists() and not os.access(path, os.W_OK)) or (folder.exists() and not os.access(folder, os.W_OK))


def _problem(err: sqlite3.Error, path: Path | None = None) -> str:
    """What went wrong with the store file, in words a user can act on."""
    text = str(err)
    if "readonly" in text or "read-only" in text or (path is not None and _read_only(path)):
        return "cannot write: the store file or its folder is read-only"
    if "disk is full" in text or "No space left" in text:
        return "cannot write: the disk is full (nothing of the failed batch was stored)"
    if "unable to open" in text:
        return "cannot open or create the store file (does its folder exist, and may it be written?)"
    if "locked" in text or "busy" in text:
        return f"the store stayed locked by another process for {BUSY_TIMEOUT_S} s"
    if "disk I/O" in text:
        return f"cannot read or write the store file ({text})"
    return f"not a sayso database ({text})"


@contextlib.contextmanager
def _reported(path: Path):
    """sqlite errors while writing become one-line `StoreError`s naming the store."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: {_problem(err, path)}") from None


def like(text: str) -> str:
    """User text as a LIKE pattern that matches it anywhere, its own % and _ taken literally
    (with ESCAPE '\\')."""
    return "%" + re.sub(r"([%_\\])", r"\\\1", text) + "%"


def fts_query(user_text: str) -> str | None:
    """User search text as a safe FTS5 query: every word or "quoted phrase" becomes a quoted
    string, all required. Returns None when nothing searchable is left."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', user_text):
        term = " ".join(re.findall(r"\w+", phrase or word))
        if term:
            parts.append('"' + term.replace('"', '""') + '"')
    return " ".join(parts) or None


def facts_version(conn: sqlite3.Connection) -> int | None:
    """A number that grows with every row written to a table of facts (FACT_TABLES); None for a
    store no sayso since the number exists has written to."""
    try:
        return conn.execute("SELECT n FROM facts_version").fetchone()[0]
    except (sqlite3.OperationalError, TypeError):
        return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path, readonly: bool = False, shared: bool = False):
        """`shared`: the connection may be used by several threads, one at a time (the caller locks)."""
        self.path = Path(path)
        self.readonly = readonly
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such database (run `sayso ingest` first)")
        try:
            if readonly:
                self.conn = sqlite3.connect(self._read_uri(), uri=True, timeout=BUSY_TIMEOUT_S,
                                            check_same_thread=not shared)
            else:
                # BEGIN IMMEDIATE: a writer takes the write lock before it reads, so two writers
                # queue (up to the busy timeout) instead of failing on a stale snapshot
                self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level="IMMEDIATE")
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: {_problem(err, self.path)}") from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self._refuse_foreign()
                self.conn.execute("PRAGMA journal_mode = WAL")
                self._create()
            self._check_schema()
            from ..review.view import ensure_view

            ensure_view(self.conn)  # the reviewed view, also on a store not written since review arrived
        except (sqlite3.DatabaseError, StoreError) as err:
            self.conn.close()
            if isinstance(err, StoreError):
                raise
            raise StoreError(f"{self.path}: {_problem(err, self.path)}") from None

    def _read_uri(self) -> str:
        """Read-only URI. In a folder nobody may write (read-only media), WAL's shared-memory file
        cannot be created, and no writer can be at work either: the file is opened immutable."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        folder = self.path.resolve().parent
        if not os.access(folder, os.W_OK) and not Path(f"{self.path}-wal").exists():
            uri += "&immutable=1"
        return uri

    def _refuse_foreign(self) -> None:
        """An SQLite file of another program is never written to (not even its journal mode)."""
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return
        version = None
        if "meta" in tables:
            version = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None:
            raise StoreError(f"{self.path}: an SQLite database that is not a sayso store; refused, left untouched")

    def _create(self) -> None:
        """Create what is missing, each script in one transaction: a second process opening
        the same new file sees no tables or all of them (and waits for the lock to add its own)."""
        script = resources.files("sayso.store").joinpath("schema.sql").read_text("utf-8")
        self.conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nINSERT OR IGNORE INTO meta(key, value)"
                                f" VALUES ('schema_version', '{SCHEMA_VERSION}');\nCOMMIT;")
        self._migrate()
        extras = [resources.files(package).joinpath(name) for package, name in EXTRA_SCHEMAS]
        extra = "\n".join(e.read_text("utf-8") for e in extras if e.is_file())
        if extra:
            self.conn.executescript(f"BEGIN IMMEDIATE;\n{extra}\nCOMMIT;")
        self.conn.executescript("BEGIN IMMEDIATE;\n" + "".join(
            f"CREATE TRIGGER IF NOT EXISTS {table}_facts_{op.lower()} AFTER {op} ON {table}"
            " BEGIN UPDATE facts_version SET n = n + 1; END;\n"
            for table in FACT_TABLES for op in ("INSERT", "UPDATE", "DELETE")) + "COMMIT;")

    def _migrate(self) -> None:
        """Upgrade a store written by an older sayso in place, one version at a time, each step
        in one transaction (an interrupted upgrade leaves the old version intact)."""
        while True:
            version = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
            if version not in MIGRATIONS:
                return
            with self.conn:
                for statement in MIGRATIONS[version]:
                    self.conn.execute(statement)
                self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(int(version) + 1),))

    def _check_schema(self) -> None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError as err:
            if "no such table" not in str(err):
                raise
            row = None
        if row is None:
            raise StoreError(f"{self.path}: not a sayso database")
        if row[0] != SCHEMA_VERSION:
            upgrade = " (open it once with a command that writes, such as `sayso ingest`, to upgrade it)" \
                if row[0] in MIGRATIONS else ""
            raise StoreError(f"{self.path}: schema version {row[0]}, this sayso reads {SCHEMA_VERSION}{upgrade}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # writing ---------------------------------------------------------------------------------

    def start_run(self, model: str, settings: dict | None = None) -> int:
        with _reported(self.path), self.conn:
            cur = self.conn.execute(
                "INSERT INTO runs(started_at, sayso_version, model, settings) VALUES (?, ?, ?, ?)",
                (_now(), __version__, model, json.dumps(settings or {}, sort_keys=True)))
        return cur.lastrowid

    def has_text(self, text_sha256: str) -> bool:
        return self.stored_id(text_sha256) is not None

    def free_id(self, document: Document) -> str:
        """The document's id, or id-<hash prefix> when another text already has that id."""
        taken = self.conn.execute("SELECT text_sha256 FROM documents WHERE id = ?", (document.id,)).fetchone()
        if taken is None or taken[0] == document.text_sha256:
            return document.id
        return f"{document.id}-{document.text_sha256[:8]}"

    @contextlib.contextmanager
    def batch(self):
        """Store several documents in one transaction: all of them or none (faster than one
        transaction each; a document is never half stored either way). Keep it short: the
        transaction holds the store's write lock."""
        self._batched = True
        try:
            with _reported(self.path), self.conn:
                yield
        finally:
            self._batched = False

    @contextlib.contextmanager
    def _transaction(self):
        if getattr(self, "_batched", False):
            yield
        else:
            with _reported(self.path), self.conn:
                yield

    def stored_id(self, text_sha256: str) -> str | None:
        """The id a text is stored under, None if it is not stored."""
        row = self.conn.execute("SELECT id FROM documents WHERE text_sha256 = ?", (text_sha256,)).fetchone()
        return row[0] if row else None

    def add(self, document: Document, analysis: Analysis, run_id: int | None = None) -> Stored:
        """Store a document with its facts in one transaction (or in the open `batch`). Safe when
        several processes add the same text at once: exactly one adds it, the others get
        `Stored(id_it_is_stored_under, added=False)`."""
        existing = self.stored_id(document.text_sha256)
        if existing is not None:
            return Stored(existing, False)
        layout = {"page_starts": document.page_starts, "timecodes": document.timecodes}
        with self._transaction():
            for _ in range(3):  # another process may take the free id between the look-up and the insert
                doc_id = self.free_id(document)
                try:
                    inserted = self.conn.execute(
                        "INSERT INTO documents(id, text_sha256, path, title, url, date, source, text, run_id,"
                        " ingested_at, language, layout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT(text_sha256) DO NOTHING",
                        (doc_id, document.text_sha256, document.path, document.title, document.url, document.date,
                         document.source, document.text, run_id, _now(), analysis.language or document.language,
                         json.dumps(layout) if any(layout.values()) else None)).rowcount
                    break
                except sqlite3.IntegrityError:
                    continue
            else:
                raise StoreError(f"{self.path}: no free id for document {document.id}")
            if not inserted:  # stored by another process since the look-up
                return Stored(self.stored_id(document.text_sha256), False)
            self._insert_facts(doc_id, analysis, run_id)
        return Stored(doc_id, True)

    def _insert_facts(self, doc_id: str, a: Analysis, run_id: int | None) -> None:
        c = self.conn
        registry_ids = register(c, a.entities, a.quotes)  # may name a bare surname after the collection
        c.executemany(
            'INSERT INTO quotes(doc_id, id, start, "end", text, kind, cue, speaker_name, speaker_mention,'
            " speaker_descriptor, speaker_role, speaker_org, speaker_entity_id, speaker_registry_id,"
            " nested_in, run_id, confidence, speaker_type, speaker_resolved_by, page, start_s, end_s, parts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, q.id, q.start, q.end, q.text, q.kind, q.cue, q.speaker.name, q.speaker.mention,
              q.speaker.descriptor, q.speaker.role, q.speaker.org, q.speaker.entity_id,
              registry_ids.get(q.speaker.entity_id), q.nested_in, run_id, q.confidence, q.speaker.type,
              q.speaker.resolved_by, q.page, q.start_s, q.end_s, parts_to_json(q.parts))
             for q in a.quotes])
        c.executemany("INSERT INTO entities(doc_id, id, name, label, aliases, country, registry_id)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [(doc_id, e.id, e.name, e.label, json.dumps(e.aliases), e.country, registry_ids.get(e.id))
                       for e in a.entities])
        places = [(f"p{n}", p) for n, p in enumerate(a.places, start=1)]
        c.executemany("INSERT INTO places(doc_id, id, name, lat, lon, country, geonames_id, feature)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      [(doc_id, pid, p.name, p.lat, p.lon, p.country, p.geonames_id, p.feature) for pid, p in places])
        mentions = [(doc_id, "entities", e.id, m.start, m.end) for e in a.entities for m in e.mentions]
        mentions += [(doc_id, "places", pid, m.start, m.end) for pid, p in places for m in p.mentions]
        c.executemany('INSERT INTO mentions(doc_id, fact_table, fact_id, start, "end") VALUES (?, ?, ?, ?, ?)', mentions)
        c.executemany('INSERT INTO counts(doc_id, id, number, qualifier, object, text, start, "end", event, upper,'
                      " quote_id, claimed_by, implied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [(doc_id, f"n{n}", k.number, k.qualifier, k.object, k.text, k.start, k.end, k.event, k.upper,
                        k.quote_id, k.claimed_by, int(k.implied))
                       for n, k in enumerate(a.counts, start=1)])
        c.executemany("INSERT INTO themes(doc_id, id, code, label, score, evidence) VALUES (?, ?, ?, ?, ?, ?)",
                      [(doc_id, f"t{n}", t.code, t.label, t.score, json.dumps([{"start": m.start, "end": m.end} for m in t.evidence]))
                       for n, t in enumerate(a.themes, start=1)])
        c.executemany('INSERT INTO corrections(doc_id, id, text, start, "end", wrong, "right", subject,'
                      " claim_start, claim_end, claim_says) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [(doc_id, f"c{n}", k.text, k.start, k.end, k.wrong, k.right, k.subject, k.claim_start,
                        k.claim_end, k.claim_says)
                       for n, k in enumerate(a.corrections, start=1)])

    # reading ---------------------------------------------------------------------------------

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY rowid")]

    def document(self, doc_id: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def quotes(self, speaker: str | None = None, doc: str | None = None, kind: str | None = None,
               limit: int | None = None, include_rejected: bool = False) -> list[dict]:
        """Quotes as reviewed (sayso.review): edits applied, added quotes in, rejected ones out
        unless `include_rejected`; each row has review_status, reviewer and reviewed_at."""
        sql = ("SELECT q.*, d.title AS doc_title FROM reviewed_quotes q JOIN documents d ON d.id = q.doc_id"
               " WHERE 1 = 1")
        if not include_rejected:
            sql += " AND q.review_status <> 'rejected'"
        args: list = []
        if speaker:
            sql += " AND (q.speaker_name LIKE ? ESCAPE '\\' OR q.speaker_mention LIKE ? ESCAPE '\\')"
            pattern = like(speaker)
            args += [pattern, pattern]
        if doc:
            sql += " AND q.doc_id = ?"
            args.append(doc)
        if kind:
            sql += " AND q.kind = ?"
            args.append(kind)
        sql += " ORDER BY d.rowid, q.start"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return [dict(r) for r in self.conn.execute(sql, args)]

    def speakers(self, include_rejected: bool = False) -> list[dict]:
        """Speakers grouped by registry entity where the speaker resolved to one (so one person
        named differently across documents is one row), else by name; their quotes as reviewed,
        rejected ones left out unless `include_rejected`."""
        sql = ("SELECT COALESCE(r.name, q.speaker_name) AS name, q.speaker_registry_id AS entity_id,"
               " COUNT(*) AS quotes, COUNT(DISTINCT q.doc_id) AS documents,"
               " GROUP_CONCAT(DISTINCT q.speaker_role) AS roles, GROUP_CONCAT(DISTINCT q.speaker_org) AS orgs,"
               " GROUP_CONCAT(DISTINCT q.doc_id) AS doc_ids"
               " FROM reviewed_quotes q LEFT JOIN registry r ON r.id = q.speaker_registry_id"
               " WHERE q.speaker_name IS NOT NULL" + ("" if include_rejected else " AND q.review_status <> 'rejected'") +
               " GROUP BY COALESCE(q.speaker_registry_id, q.speaker_name) ORDER BY quotes DESC, name")
        return [dict(r) for r in self.conn.execute(sql)]

    def theme_codes(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT DISTINCT code FROM themes")}

    def coded_quotes(self, codes=(), speaker: str | None = None) -> list[dict]:
        """Quotes with the codes whose evidence lies inside them ("J3;L6"), coded ones only."""
        from ..extract.themes import passage_codes

        out = []
        for doc_id in self.document_ids():
            analysis = self.analysis(doc_id)
            if not analysis.themes:
                continue
            for q in analysis.quotes:
                if speaker and speaker.lower() not in f"{q.speaker.name or ''} {q.speaker.mention or ''}".lower():
                    continue
                found = passage_codes(analysis.themes, q.start, q.end)
                if found and (not codes or set(codes) & set(found)):
                    out.append({"doc_id": doc_id, "id": q.id, "speaker_name": q.speaker.name,
                                "codes": ";".join(found), "text": q.text, "start": q.start, "end": q.end})
        return out

    def theme_matrix(self, codes=(), speaker: str | None = None) -> dict:
        from .browse import theme_matrix

        return theme_matrix(self.conn, codes, speaker)

    def entities(self, label: str | None = None) -> list[dict]:
        return registry.listing(self.conn, label)

    def merge_entities(self, into: str, other: str) -> tuple[str, str]:
        return registry.merge(self.conn, into, other)

    def split_entity(self, entity: str, name: str) -> str:
        return registry.split(self.conn, entity, name)

    def search(self, text: str, limit: int = 20, include_rejected: bool = False) -> dict[str, list[dict]]:
        """Full-text search over document text and quotes (as reviewed: rejected ones left out
        unless `include_rejected`); user input is never FTS syntax."""
        query = fts_query(text)
        if query is None:
            return {"documents": [], "quotes": []}
        docs = self.conn.execute(
            "SELECT d.id, d.title, snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snippet"
            " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
            " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", (query, limit)).fetchall()
        quotes = self.conn.execute(
            "SELECT q.doc_id, q.id, q.kind, q.speaker_name, q.text, q.start, q.\"end\", q.review_status"
            " FROM quotes_fts JOIN reviewed_quotes q ON q.quote_rowid = quotes_fts.rowid"
            " WHERE quotes_fts MATCH ?" + ("" if include_rejected else " AND q.review_status <> 'rejected'")
            + " ORDER BY rank LIMIT ?", (query, limit)).fetchall()
        return {"documents": [dict(r) for r in docs], "quotes": [dict(r) for r in quotes]}

    def analysis(self, doc_id: str, include_rejected: bool = False) -> Analysis | None:
        """The stored facts of one document as an `Analysis` (the `sayso analyze` JSON), its
        quotes as reviewed: rejected ones left out unless `include_rejected`, each reviewed
        quote with its `review` (status 'unreviewed' until someone decides on it)."""
        doc = self.document(doc_id)
        if doc is None:
            return None
        from ..review.view import review_of

        c = self.conn
        mentions: dict[tuple[str, str], list[Mention]] = {}
        for r in c.execute('SELECT fact_table, fact_id, start, "end" FROM mentions WHERE doc_id = ? ORDER BY start', (doc_id,)):
            mentions.setdefault((r[0], r[1]), []).append(Mention(r[2], r[3]))
        quotes = [Quote(r["id"], r["text"], r["start"], r["end"], r["kind"], r["cue"],
                        Speaker(r["speaker_name"], r["speaker_mention"], r["speaker_descriptor"],
                                r["speaker_role"], r["speaker_org"], r["speaker_entity_id"], r["speaker_type"],
                                r["speaker_resolved_by"]), r["nested_in"], r["confidence"], r["page"],
                        r["start_s"], r["end_s"], review_of(r), parts_from_json(r["parts"]))
                  for r in c.execute("SELECT * FROM reviewed_quotes WHERE doc_id = ?"
                                     + ("" if include_rejected else " AND review_status <> 'rejected'")
                                     + " ORDER BY start, quote_rowid", (doc_id,))]
        entities = [Entity(r["id"], r["name"], r["label"], json.loads(r["aliases"]),
                           mentions.get(("entities", r["id"]), []), r["country"])
                    for r in c.execute("SELECT * FROM entities WHERE doc_id = ? ORDER BY rowid", (doc_id,))]
        places = [Place(r["name"], r["lat"], r["lon"], r["country"], r["geonames_id"], r["feature"],
                        mentions.get(("places", r["id"]), []))
                  for r in c.execute("SELECT * FROM places WHERE doc_id = ? ORDER BY rowid", (doc_id,))]
        counts = [Count(r["number"], r["qualifier"], r["object"], r["text"], r["start"], r["end"], r["event"], r["upper"],
                        r["quote_id"], r["claimed_by"], bool(r["implied"]))
                  for r in c.execute("SELECT * FROM counts WHERE doc_id = ? ORDER BY rowid", (doc_id,))]
        themes = [ThemeHit(r["code"], r["label"], r["score"], [Mention(**m) for m in json.loads(r["evidence"])])
                  for r in c.execute("SELECT * FROM themes WHERE doc_id = ? ORDER BY rowid", (doc_id,))]
        corrections = [Correction(r["text"], r["start"], r["end"], r["wrong"], r["right"], r["subject"],
                                  claim_start=r["claim_start"], claim_end=r["claim_end"], claim_says=r["claim_says"])
                       for r in c.execute("SELECT * FROM corrections WHERE doc_id = ? ORDER BY rowid", (doc_id,))]
        analysis = Analysis(doc_id, doc["path"], doc["title"], doc["text_sha256"], quotes, entities, places,
                            counts, themes, corrections, doc["language"])
        page_starts = json.loads(doc["layout"] or "{}").get("page_starts") or []
        for fact in (*counts, *corrections, *analysis.mentions()):  # a quote's page is stored; theirs
            fact.page = page_of(page_starts, fact.start)                 # follows from the layout
        analysis._text = doc["text"]  # for the notebook view (sayso.notebook); to_dict() leaves it out
        return analysis

    def iter_analyses(self, include_rejected: bool = False) -> Iterator[tuple[dict, Analysis]]:
        for doc_id in self.document_ids():
            yield self.document(doc_id), self.analysis(doc_id, include_rejected)

    def stats(self) -> dict[str, int]:
        tables = ("documents", "quotes", "entities", "places", "counts", "themes", "corrections")
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
