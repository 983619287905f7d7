import csv
import json
import sqlite3

import pytest
from click.testing import CliRunner

from sayso.cli import cli

from conftest import EXAMPLES


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_analyze_json_is_one_object_per_document(run):
    result = run("analyze", EXAMPLES / "camp-water-corrected.txt", EXAMPLES / "wire-briefs.jsonl", "--format", "json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["doc"] for d in lines] == ["camp-water-corrected", "brief-ferry", "brief-bridge"]
    camp = lines[0]
    assert camp["corrections"][0]["wrong"] == "the camp was near Kirkuk"
    assert all({"code", "label", "score", "evidence"} == set(t) for t in camp["themes"])
    speakers = {q["speaker"]["name"] for q in camp["quotes"]}
    assert {"Layla Ahmed", "Karwan Aziz"} <= speakers


def test_analyze_table_and_errors_for_bad_input(run, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("analyze", EXAMPLES / "river-town-returnees.txt", empty, tmp_path / "missing.txt")
    assert result.exit_code == 1
    assert "Abu Karim" in result.output
    assert f"sayso: error: {empty}: empty file" in result.stderr
    assert "sayso: themes scored by cues" in result.stderr
    assert "missing.txt: no such file or directory" in result.stderr


def test_unknown_option_is_a_usage_error(run):
    result = run("analyze", "--colour", "x")
    assert result.exit_code == 2 and "No such option" in result.output


def test_ingest_query_export_end_to_end(run, tmp_path):
    db = tmp_path / "c.db"
    first = run("ingest", EXAMPLES, "--db", db)
    assert first.exit_code == 0, first.output
    assert "8 added, 0 already stored, 0 failed" in first.output
    again = run("ingest", EXAMPLES, "--db", db)
    assert "0 added, 8 already stored" in again.output

    quotes = run("quotes", "--db", db, "--speaker", "Abu Salim", "--format", "json")
    rows = [json.loads(line) for line in quotes.stdout.splitlines()]
    assert len(rows) == 4 and {r["doc_id"] for r in rows} == {"interview-abu-salim"}

    speakers = run("speakers", "--db", db, "--format", "json")
    by_name = {r["name"]: r for r in map(json.loads, speakers.stdout.splitlines())}
    assert by_name["Abu Karim"]["quotes"] >= 2 and by_name["Abu Karim"]["documents"] == 1

    found = run("search", "smuggler border", "--db", db, "--format", "json")
    assert json.loads(found.stdout)["quotes"][0]["speaker_name"] == "ABU SALIM"

    shown = run("show", "border-study", "--db", db, "--format", "json")
    assert json.loads(shown.stdout)["doc"] == "border-study"
    assert run("show", "nope", "--db", db).exit_code == 1

    out_csv, out_jsonl = tmp_path / "q.csv", tmp_path / "d.jsonl"
    assert run("export", "--db", db, "--format", "csv", "--out", out_csv).exit_code == 0
    with out_csv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"doc_id", "speaker_name", "speaker_role", "speaker_org", "themes"} <= set(rows[0])
    assert run("export", "--db", db, "--format", "jsonl", "--out", out_jsonl).exit_code == 0
    docs = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 8
    for doc in docs:
        for q in doc["quotes"]:
            assert doc["text"][q["start"]:q["end"]] == q["text"]


def test_bad_files_fail_without_harming_the_store(run, tmp_path):
    db = tmp_path / "c.db"
    run("ingest", EXAMPLES / "border-study.md", "--db", db)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Officials said the road was open again."}\n{broken\n', encoding="utf-8")
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = run("ingest", bad, binary, "--db", db)
    assert result.exit_code == 1
    assert f"{bad}:2: malformed JSON" in result.stderr
    assert "x.txt: binary file" in result.stderr
    assert "1 added" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_query_commands_need_an_existing_store(run, tmp_path):
    result = run("quotes", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "no such database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_interrupted_ingest_keeps_committed_documents_and_resumes(tmp_path):
    import sayso.batch as batch
    from sayso.store import Store

    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(6):
        (folder / f"d{n}.txt").write_text(f"Officials in Mosul said {n + 2} bridges were closed.", encoding="utf-8")
    seen = []

    def stop_after_four(event, item):
        seen.append(item)
        if len(seen) == 4:
            raise KeyboardInterrupt

    db = tmp_path / "i.db"
    with Store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            batch.ingest([str(folder)], store, on_progress=stop_after_four, commit_every=3)
    with Store(db) as store:
        assert store.stats()["documents"] == 3  # the first batch of three, whole
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = batch.ingest([str(folder)], store)
        assert (report.added, report.skipped) == (3, 3)


def test_tables_print_stored_text_as_it_is_never_as_markup(run, tmp_path):
    path = tmp_path / "markup.txt"
    path.write_text("[/b] Council vote [bold]delayed[/bold]\n\n"
                    "\u201cThe [/red] budget is gone,\u201d said Mara Quinlan, the treasurer.\n", encoding="utf-8")
    db = tmp_path / "m.db"
    assert run("ingest", path, "--db", db).exit_code == 0
    for args in (["analyze", path], ["quotes", "--db", db], ["search", "budget", "--db", db],
                 ["show", "markup", "--db", db], ["review", "list", "--db", db], ["claims", "--db", db]):
        result = run(*args)
        assert result.exit_code == 0, args
    assert "[/red]" in run("quotes", "--db", db).stdout
    assert "[/b] Council vote [bold]delayed[/bold]" in run("show", "markup", "--db", db).stdout
