"""Nothing lost, nothing crashes: one document's failure, long texts, concurrent writers, disk
full, read-only and foreign stores, languages other than English.

A failure inside the analysis is planted with a real spaCy component added to a pipeline of its
own (selected by an aliases file that only this module uses), so the shared pipeline is
untouched."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from spacy.language import Language
from spacy.tokens import Doc

import sayso.batch as batch
from sayso.analyze import SEGMENT_CHARS, AnalysisError, TextTooLong, analyze, analyze_pairs, segment_bounds
from sayso.cli import cli
from sayso.ingest.readers import make_document
from sayso.model import Document
from sayso.pipeline import MAX_SENTENCE_TOKENS, get_nlp
from sayso.store import Store, StoreError

from conftest import ROOT

MARKER = "Zqxjv"  # a word no real text has: the planted component fails on it
PROBE: dict = {"db": None, "locked": 0, "free": 0}


@Language.component("test_reliability_fails")
def _fails_on_marker(doc):
    if MARKER in doc.text:
        raise ValueError("planted failure")
    return doc


@Language.component("test_reliability_lock_probe")
def _lock_probe(doc):
    """Tries to take the store's write lock while a document is being analysed."""
    if PROBE["db"]:
        conn = sqlite3.connect(PROBE["db"], timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
            PROBE["free"] += 1
        except sqlite3.OperationalError:
            PROBE["locked"] += 1
        finally:
            conn.close()
    return doc


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Settings that select a pipeline with the planted components."""
    aliases = tmp_path_factory.mktemp("planted") / "aliases.yaml"
    aliases.write_text("[]\n", encoding="utf-8")
    nlp = get_nlp(aliases=str(aliases))
    if "test_reliability_fails" not in nlp.pipe_names:
        nlp.add_pipe("test_reliability_fails", after="sayso_counts")
        nlp.add_pipe("test_reliability_lock_probe", last=True)
    return {"aliases": str(aliases)}


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _folder(tmp_path, texts: dict[str, str]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


FIVE = {f"d{n}.txt": f"Officials in Mosul said {n + 2} bridges were closed on day {n}." for n in range(4)}
FIVE["bad.txt"] = f"The {MARKER} council said 12 schools had reopened."


# one document fails, the others are stored --------------------------------------------------

def test_one_failing_document_is_reported_and_the_rest_stored(tmp_path, planted):
    folder = _folder(tmp_path, FIVE)
    with Store(tmp_path / "s.db") as store:
        report = batch.ingest([str(folder)], store, **planted)
        assert report.added == 4 and store.stats()["documents"] == 4
    [error] = report.errors
    assert error.path.endswith("bad.txt")
    assert "analysis failed in test_reliability_fails: ValueError: planted failure" in str(error)


def test_library_raises_an_error_naming_document_and_stage(planted):
    document = make_document("bad-one", FIVE["bad.txt"])
    with pytest.raises(AnalysisError) as caught:
        list(analyze_pairs([document], **planted))
    assert (caught.value.doc_id, caught.value.stage) == ("bad-one", "test_reliability_fails")


def test_cli_ingest_and_analyze_skip_the_failing_document(tmp_path, planted, run):
    folder = _folder(tmp_path, FIVE)
    ingested = run("ingest", folder, "--db", tmp_path / "c.db", "--aliases", planted["aliases"])
    assert ingested.exit_code == 1
    assert "4 added, 0 already stored, 1 failed" in ingested.output
    errors = [line for line in ingested.stderr.splitlines() if line.startswith("sayso: error")]
    assert len(errors) == 1 and "bad.txt" in errors[0] and "test_reliability_fails" in errors[0]
    assert "Traceback" not in ingested.output
    analysed = run("analyze", folder, "--format", "json", "--aliases", planted["aliases"])
    assert analysed.exit_code == 1 and len(analysed.stdout.splitlines()) == 4
    assert "test_reliability_fails" in analysed.stderr


def test_dask_partition_keeps_the_other_documents(tmp_path, planted):
    from sayso.scale.dask_runner import analyse_partition

    documents = [make_document(name, text, path=name) for name, text in FIVE.items()]
    result = analyse_partition(0, documents, str(tmp_path / "out"), planted)
    assert result["documents"] == 4
    [failed] = result["failed"]
    assert failed["doc"] == "bad.txt" and "test_reliability_fails" in failed["reason"]


def test_a_partitive_of_before_the_number_does_not_crash_counts():
    """E035 in Doc.char_span while ingesting a real article: 'Of 300 voters, 120 are ...' parsed
    with 'Of' under the second number gave a count whose object ends before it starts."""
    from sayso.extract.counts import extract_counts

    words = ["Of", "300", "voters", ",", "120", "are", "Democrats", "."]
    doc = Doc(get_nlp().vocab, words=words, spaces=[True, True, False, True, True, True, False, False],
              heads=[4, 2, 0, 5, 5, 5, 5, 5], deps=["prep", "nummod", "pobj", "punct", "nsubj", "ROOT", "attr", "punct"],
              pos=["ADP", "NUM", "NOUN", "PUNCT", "NUM", "AUX", "PROPN", "PUNCT"],
              tags=["IN", "CD", "NNS", ",", "CD", "VBP", "NNPS", "."],
              lemmas=["of", "300", "voter", ",", "120", "be", "Democrats", "."])
    for count in extract_counts(doc):
        assert count.start < count.end and doc.text[count.start:count.end] == count.text


# long texts -----------------------------------------------------------------------------------

PARAGRAPHS = [
    "\u201cThe road to the valley was closed for a week,\u201d said Nadia Farouk, a driver from Mosul.",
    "More than 40 families left the village of Tal Afar after the floods, officials said.",
    "The council told residents that the market would reopen in March.",
    "According to the aid group, 300 tents were sent to the camp near Erbil.",
]


def _long_text(chars: int) -> str:
    parts, size, n = [], 0, 0
    while size < chars:
        parts.append(PARAGRAPHS[n % len(PARAGRAPHS)])
        size += len(parts[-1]) + 2
        n += 1
    parts.append("\u201cWe counted every tent twice,\u201d said Samir Haddad, who runs the camp.")
    return "\n\n".join(parts)


def _assert_consistent(text, analysis):
    quote_ids = {q.id for q in analysis.quotes}
    entity_ids = {e.id for e in analysis.entities}
    assert len(quote_ids) == len(analysis.quotes) and len(entity_ids) == len(analysis.entities)
    for q in analysis.quotes:
        assert text[q.start:q.end] == q.text
        assert q.nested_in is None or q.nested_in in quote_ids
        assert q.speaker.entity_id is None or q.speaker.entity_id in entity_ids
    for c in analysis.counts:
        assert text[c.start:c.end] == c.text and (c.quote_id is None or c.quote_id in quote_ids)
    for c in analysis.corrections:
        assert text[c.start:c.end] == c.text
    spans = [m for e in analysis.entities for m in e.mentions] + [m for p in analysis.places for m in p.mentions]
    spans += [m for t in analysis.themes for m in t.evidence]
    assert all(0 <= m.start < m.end <= len(text) and text[m.start:m.end].strip() for m in spans)


def test_text_beyond_spacys_max_length_is_analysed_in_segments(planted):
    nlp = get_nlp(**planted)
    text = _long_text(int(SEGMENT_CHARS * 2.4))
    limit, nlp.max_length = nlp.max_length, SEGMENT_CHARS + 1000  # spaCy refuses longer texts (E088)
    try:
        result = analyze(text, "long", **planted)
    finally:
        nlp.max_length = limit
    assert len(segment_bounds(text)) == 3
    _assert_consistent(text, result)
    last = result.quotes[-1]
    assert last.speaker.name == "Samir Haddad" and last.start > 2 * SEGMENT_CHARS
    assert sum(q.speaker.name == "Nadia Farouk" for q in result.quotes) > 100
    nadia = [e for e in result.entities if e.name == "Nadia Farouk"]
    assert len(nadia) == 1 and len(nadia[0].mentions) > 100  # one entity across segments


def test_segments_cut_on_paragraphs_then_sentences_then_spaces():
    text = "a" * 30 + "\n\n" + "b" * 30
    assert segment_bounds(text, 50) == [(0, 32), (32, 62)]
    text = "One two. " * 10
    assert all(text[start:end].endswith(". ") for start, end in segment_bounds(text, 40)[:-1])
    assert segment_bounds("x" * 100, 40) == [(0, 40), (40, 80), (80, 100)]


def test_no_sentence_is_longer_than_the_cap():
    words = ("the of and to village fighter said army people group council town " * 300).split()
    doc = get_nlp()(" ".join(words))
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS


def test_the_cap_breaks_after_full_stops_when_it_can():
    text = " ".join(f"The {n}th convoy reached the town at dawn." for n in range(60))  # one line
    doc = get_nlp()(text)
    assert all(s[-1].text == "." for s in doc.sents)


def test_a_caller_can_limit_the_text_it_accepts():
    with pytest.raises(TextTooLong):
        analyze("word " * 100, max_chars=100)


# languages ------------------------------------------------------------------------------------

def test_a_document_not_in_english_is_stored_without_analysis(tmp_path):
    text = "\u201cLe pont est ferm\u00e9,\u201d a dit Marie Dubois \u00e0 Paris, o\u00f9 40 familles attendaient."
    document = Document("fr-1", text, path="fr.txt", text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                        language="fr")
    [(_, analysis)] = list(analyze_pairs([document]))
    assert analysis.language == "fr" and not (analysis.quotes or analysis.entities or analysis.counts)
    english = make_document("en-1", "\u201cThe bridge is closed,\u201d said Marie Dubois in Paris.")
    assert analyze_pairs([english]).__next__()[1].quotes  # None is taken for English


# the store ------------------------------------------------------------------------------------

def test_two_writers_adding_the_same_text_store_it_once(tmp_path, analyze):
    db = tmp_path / "race.db"
    document = make_document("same", "\u201cThe wells are dry,\u201d said Hana Saleh.")
    analysis = analyze(document.text, document.id)
    first = Store(db)
    answers = {}
    with first.batch():
        first.add(document, analysis)  # not committed yet: the second writer cannot see it

        def other():
            with Store(db) as second:
                answers["second"] = second.add(document, analysis)
                answers["documents"] = second.stats()["documents"]

        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)  # the second writer has looked (nothing there) and waits for the lock
    thread.join()
    first.close()
    assert (answers["second"].id, answers["second"].added) == ("same", False)
    assert answers["documents"] == 1


def test_two_ingest_processes_on_the_same_files(tmp_path):
    folder = _folder(tmp_path, {f"n{n}.txt": f"Officials said {n + 3} roads near Kirkuk were closed on day {n}."
                                for n in range(30)})
    db = tmp_path / "two.db"
    sayso_cli = [sys.executable, "-m", "sayso.cli", "ingest", str(folder), "--db", str(db), "--batch-size", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(sayso_cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "UNIQUE" not in err
    added = [int(out.split(" added")[0].split()[-1]) for out, _ in outputs]
    assert sum(added) == 30
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == 30


def test_readers_and_writers_wait_for_locks(tmp_path, analyze):
    db = tmp_path / "busy.db"
    with Store(db) as writer:
        document = make_document("w", "Officials said 12 roads were closed.")
        writer.add(document, analyze(document.text, "w"))
        with writer.batch():
            other = make_document("x", "Officials said 14 roads were closed.")
            writer.add(other, analyze(other.text, "x"))  # an open write transaction
            with Store(db, readonly=True) as reader:  # readers never wait behind it (WAL)
                assert reader.stats()["documents"] == 1
                assert reader.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
        assert writer.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000


def test_no_write_lock_is_held_while_documents_are_analysed(tmp_path, planted):
    folder = _folder(tmp_path, {k: v for k, v in FIVE.items() if k != "bad.txt"})
    db = tmp_path / "lock.db"
    with Store(db) as store:
        store.start_run("model")  # the file exists before the probe looks at it
        PROBE.update(db=str(db), locked=0, free=0)
        try:
            report = batch.ingest([str(folder)], store, batch_size=1, commit_every=2, **planted)
        finally:
            PROBE["db"] = None
    assert report.added == 4
    assert PROBE["free"] == 4 and PROBE["locked"] == 0


def test_disk_full_is_a_store_error_and_keeps_what_was_committed(tmp_path):
    folder = _folder(tmp_path, {f"big{n}.txt": f"Officials said {n + 2} roads were closed. " + "Long text. " * 600
                                for n in range(3)})
    db = tmp_path / "full.db"
    with Store(db) as store:
        store.add(make_document("small", "Officials said 2 bridges were closed."),
                  analyze("Officials said 2 bridges were closed.", "small"))
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
        with pytest.raises(StoreError, match="disk is full"):
            batch.ingest([str(folder)], store)
        assert store.stats()["documents"] == 1
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_cli_disk_full_is_one_line(tmp_path, run):
    mnt = tmp_path / "tiny"
    if not _mount_tmpfs(mnt, "400k"):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        folder = _folder(tmp_path, {f"big{n}.txt": f"Officials said {n + 2} roads were closed. " + "Long text. " * 2700
                                    for n in range(8)})
        result = run("ingest", folder, "--db", mnt / "s.db")
        assert result.exit_code == 1
        assert "disk is full" in result.stderr and "Traceback" not in result.output
        if (mnt / "s.db").exists():
            assert sqlite3.connect(mnt / "s.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        subprocess.run(["umount", str(mnt)])


def test_cli_read_only_store_is_one_line_and_untouched(tmp_path, run):
    mnt = tmp_path / "ro"
    db = mnt / "s.db"
    mounted = _mount_tmpfs(mnt, "20m")
    if not mounted:
        mnt.mkdir()
    try:
        assert run("ingest", ROOT / "examples" / "border-study.md", "--db", db).exit_code == 0
        before = db.read_bytes()
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        else:
            db.chmod(0o444), mnt.chmod(0o555)
        result = run("ingest", ROOT / "examples" / "river-town-returnees.txt", "--db", db)
        assert result.exit_code == 1
        assert "read-only" in result.stderr and "Traceback" not in result.output
        assert len([line for line in result.stderr.splitlines() if line.startswith("sayso: error")]) == 1
        assert db.read_bytes() == before
        listed = run("quotes", "--db", db, "--format", "json")  # reading it still works
        assert listed.exit_code == 0 and listed.stdout.strip()
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)])
        else:
            mnt.chmod(0o755)


def test_a_failed_ingest_leaves_no_store_behind(tmp_path, run):
    db = tmp_path / "new.db"
    result = run("ingest", tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1 and not db.exists()
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    assert run("ingest", binary, "--db", db).exit_code == 1
    assert run("load", tmp_path, "--db", db).exit_code == 1  # not a Parquet folder
    assert not any(tmp_path.glob("new.db*"))


def test_an_sqlite_file_of_another_program_is_refused_untouched(tmp_path, run):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    before = db.read_bytes()
    result = run("ingest", ROOT / "examples" / "border-study.md", "--db", db)
    assert result.exit_code == 1 and "not a sayso store" in result.stderr
    assert db.read_bytes() == before and not Path(str(db) + "-wal").exists()


# command line ---------------------------------------------------------------------------------

def test_paths_or_urls_are_required(run):
    for command in ("ingest", "analyze"):
        result = CliRunner().invoke(cli, [command])
        assert result.exit_code == 2 and "--urls" in result.output


def test_urls_file_is_read_through_the_same_ingest(tmp_path, run):
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/nothing-listens-here\n", encoding="utf-8")
    db = tmp_path / "u.db"
    for args in (("ingest", "--urls", urls, "--db", db), ("analyze", "--urls", urls)):
        result = run(*args)
        assert result.exit_code == 1 and "127.0.0.1:9/nothing-listens-here" in result.stderr
    assert not db.exists()
