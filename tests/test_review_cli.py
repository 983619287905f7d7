"""`sayso review ...` and `sayso reanalyze` through the command line."""
import json
import shutil

import pytest
from click.testing import CliRunner

from sayso.cli import cli
from test_review import MARKET, WELLS, write_cues


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review_cli")
    (folder / "docs").mkdir()
    (folder / "docs" / "wells.txt").write_text(WELLS, "utf-8")
    (folder / "docs" / "market.txt").write_text(MARKET, "utf-8")
    db = folder / "built.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder / "docs"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(built, tmp_path):
    path = tmp_path / "r.db"
    shutil.copy(built, path)
    return str(path)


def run(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


def listed(db, *args):
    return [json.loads(line) for line in run("review", "list", "--db", db, "--format", "json", *args).splitlines()]


def quote_id(db, words):
    return next(q["id"] for q in listed(db, "--include-rejected") if words in q["text"])


def test_review_actions_from_the_command_line(db):
    waited, road, dry = quote_id(db, "We waited"), quote_id(db, "road is open"), quote_id(db, "wells had been")
    assert "accepted" in run("review", "accept", "wells", waited, "--db", db, "--reviewer", "ana", "--note", "ok")
    assert "rejected" in run("review", "reject", "wells", road, "--db", db, "--reviewer", "ana")
    out = run("review", "edit", "wells", dry, "--db", db, "--speaker", "Omar Haddad Sr.", "--kind", "direct",
              "--format", "json")
    edited = json.loads(out)
    assert (edited["review_status"], edited["speaker_name"], edited["kind"]) == ("edited", "Omar Haddad Sr.", "direct")
    start = WELLS.index("the convoy")
    added = json.loads(run("review", "add", "wells", "--start", start, "--end", start + 31, "--speaker",
                           "Leila Nassar", "--kind", "indirect", "--db", db, "--format", "json"))
    assert added["text"] == "the convoy had left before dawn" and added["review_status"] == "added"
    statuses = {q["id"]: q["review_status"] for q in listed(db, "--doc", "wells")}
    assert road not in statuses and statuses[waited] == "accepted" and statuses[added["id"]] == "added"
    rows = listed(db, "--status", "accepted", "--reviewer", "ana")
    assert [(r["id"], r["reviewer"]) for r in rows] == [(waited, "ana")] and rows[0]["reviewed_at"]
    assert [r["id"] for r in listed(db, "--status", "rejected")] == [road]
    history = [json.loads(line) for line in run("review", "history", "wells", waited, "--db", db).splitlines()]
    assert history[0]["note"] == "ok" and history[0]["original"]["speaker_name"] == "Samir Khoury"
    assert history[0]["sayso_version"] and history[0]["model"]


def test_errors_are_one_line_and_store_nothing(db):
    out = run("review", "accept", "wells", "q99", "--db", db, code=1)
    assert out.strip() == "sayso: error: no quote 'q99' in document 'wells'"
    assert "both --start and --end" in run("review", "edit", "wells", "q1", "--start", "3", "--db", db, code=1)
    assert listed(db, "--status", "accepted") == []


def test_reanalyze_with_changed_cues_keeps_decisions(db, tmp_path):
    waited = quote_id(db, "We waited")
    run("review", "edit", "wells", waited, "--speaker", "S. Khoury", "--db", db)
    run("review", "accept", "wells", quote_id(db, "road is open"), "--db", db)
    cues = write_cues(tmp_path / "cues.yaml", add=["murmur"])
    out = run("reanalyze", "--db", db, "--doc", "wells", "--cues", cues)
    assert "1 documents re-analysed" in out and "2 of 2 decisions attached, 0 orphaned" in out
    moved = [q for q in listed(db, "--doc", "wells") if "We waited" in q["text"]][0]
    assert moved["id"] != waited and (moved["speaker_name"], moved["review_status"]) == ("S. Khoury", "edited")
    run("review", "accept", "wells", quote_id(db, "convoy"), "--db", db)
    out = run("reanalyze", "--db", db)
    assert "2 documents re-analysed" in out and "1 orphaned" in out
    orphans = listed(db, "--status", "orphaned")
    assert [(o["action"], o["reason"]) for o in orphans] == [("accept", "quote no longer found")]
    assert "no document 'nope'" in run("reanalyze", "--db", db, "--doc", "nope", code=1)


def test_export_import_between_stores(db, built, tmp_path):
    run("review", "accept", "market", quote_id(db, "Prices doubled"), "--db", db, "--reviewer", "ana")
    run("review", "merge", "Samir Khoury", "Hana Saleh", "--db", db)
    out_file = tmp_path / "decisions.jsonl"
    assert "2 decisions" in run("review", "export", out_file, "--db", db)
    other = tmp_path / "other.db"
    shutil.copy(built, other)
    assert run("review", "import", out_file, "--db", other).startswith("2 decisions added, 0 already stored")
    assert run("review", "import", out_file, "--db", other).startswith("0 decisions added, 2 already stored")
    assert [r["id"] for r in listed(str(other), "--status", "accepted")] == [quote_id(db, "Prices doubled")]
    entities = json.loads("[" + ",".join(run("entities", "--db", other, "--format", "json").splitlines()) + "]")
    assert not any(e["name"] == "Hana Saleh" for e in entities)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(out_file.read_text().splitlines()[0] + "\nnot json\n")
    assert f"{bad}:2: not JSON" in run("review", "import", bad, "--db", other, code=1)


def test_entities_rename_split(db):
    assert "is now called 'Hana S.'" in run("review", "rename", "Hana Saleh", "Hana S.", "--db", db)
    run("review", "merge", "Samir Khoury", "Hana S.", "--db", db)
    assert "'hana saleh' is now" in run("review", "split", "Samir Khoury", "hana saleh", "--db", db)
    assert "no entity" in run("review", "merge", "Nobody Here", "Samir Khoury", "--db", db, code=1)


def test_stats_and_agreement(db):
    for q in listed(db):
        run("review", "accept", q["doc_id"], q["id"], "--db", db, "--reviewer", "ana")
        action = "reject" if "road is open" in q["text"] else "accept"
        run("review", action, q["doc_id"], q["id"], "--db", db, "--reviewer", "ben")
    stats = json.loads(run("review", "stats", "--db", db, "--format", "json"))
    assert stats["overall"]["rejected"] == 1 and stats["documents_reviewed"] == 2
    assert "Machine quotes in 2 reviewed documents" in run("review", "stats", "--db", db)
    rows = [json.loads(line) for line in run("review", "agreement", "--db", db, "--format", "json").splitlines()]
    quote_row = next(r for r in rows if r["decision"] == "quote")
    assert quote_row["reviewers"] == "ana / ben" and quote_row["agreement_percent"] < 100


def test_add_reviewer_prints_token_once(tmp_path):
    team = tmp_path / "team.yaml"
    token = run("review", "add-reviewer", "ana", "--file", team).splitlines()[0]
    assert token not in team.read_text() and "ana" in team.read_text()
    from sayso.review.reviewers import load, who

    assert who(load(team), token) == "ana" and who(load(team), token + "x") is None


REVIEWED_READERS = "review" in {f.name for f in __import__("dataclasses").fields(__import__("sayso.model").model.Quote)}


@pytest.mark.skipif(not REVIEWED_READERS, reason="the store's readers do not use the reviewed view yet")
def test_readers_and_exports_show_the_review(db, tmp_path):
    import csv
    import zipfile

    road, dry = quote_id(db, "road is open"), quote_id(db, "wells had been")
    run("review", "reject", "wells", road, "--db", db, "--reviewer", "ana")
    run("review", "edit", "wells", dry, "--speaker", "Omar Haddad Sr.", "--db", db, "--reviewer", "ana")
    run("review", "accept", "market", quote_id(db, "Prices doubled"), "--db", db, "--reviewer", "ben")
    start = WELLS.index("the convoy")
    run("review", "add", "wells", "--start", start, "--end", start + 31, "--speaker", "Leila Nassar", "--db", db)
    texts = [json.loads(line)["text"] for line in run("quotes", "--db", db, "--format", "json").splitlines()]
    assert "The road is open again," not in texts and "the convoy had left before dawn" in texts
    speakers = {json.loads(line)["name"] for line in run("speakers", "--db", db, "--format", "json").splitlines()}
    assert {"Omar Haddad Sr.", "Leila Nassar"} <= speakers
    shown = json.loads(run("show", "wells", "--db", db, "--format", "json"))
    by_text = {q["text"]: q for q in shown["quotes"]}
    assert by_text["the convoy had left before dawn"]["review"]["status"] == "added"
    assert by_text["the wells had been dry since spring"]["speaker"]["name"] == "Omar Haddad Sr."
    assert "The road is open again," not in by_text
    out = tmp_path / "all.jsonl"
    run("export", "--format", "jsonl", "--out", out, "--db", db)
    exported = {q["text"]: q for line in out.read_text().splitlines() for q in json.loads(line)["quotes"]}
    assert exported["Prices doubled in a month,"]["review"]["reviewer"] == "ben"
    assert "The road is open again," not in exported
    csv_out = tmp_path / "quotes.csv"
    run("export", "--format", "csv", "--out", csv_out, "--db", db)
    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert {r["speaker_name"] for r in rows} >= {"Omar Haddad Sr.", "Leila Nassar"}
    qdpx = tmp_path / "project.qdpx"
    run("export", "--format", "qdpx", "--out", qdpx, "--db", db)
    project = zipfile.ZipFile(qdpx).read("project.qde").decode("utf-8")
    assert 'name="sayso"' in project and 'name="ben"' in project  # machine and reviewer: two coders


def test_include_rejected_keeps_rejected_quotes_flagged(db, tmp_path):
    import pyarrow.parquet as pq

    road = quote_id(db, "road is open")
    entity_quotes = lambda: sum(json.loads(line)["quotes"]
                                for line in run("entities", "--db", db, "--format", "json").splitlines())
    before = entity_quotes()
    run("review", "reject", "wells", road, "--db", db, "--reviewer", "ana")
    rejected_speaker = next(q for q in listed(db, "--include-rejected") if q["id"] == road)["speaker_name"]
    assert entity_quotes() == before - 1  # the registry counts the quotes as reviewed
    counted = lambda *flag: {json.loads(line)["name"]: json.loads(line)["quotes"]
                             for line in run("speakers", "--db", db, "--format", "json", *flag).splitlines()}
    assert counted("--include-rejected")[rejected_speaker] == counted().get(rejected_speaker, 0) + 1
    hits = lambda *flag: [q["id"] for q in json.loads(run("search", "road", "--db", db, "--format", "json", *flag))["quotes"]]
    assert road not in hits() and road in hits("--include-rejected")
    out = tmp_path / "all.jsonl"
    run("export", "--format", "jsonl", "--out", out, "--db", db, "--include-rejected")
    statuses = {q["id"]: q["review"]["status"] for line in out.read_text().splitlines() for q in json.loads(line)["quotes"]
                if json.loads(line)["doc"] == "wells"}
    assert statuses[road] == "rejected"
    run("export", "--format", "parquet", "--out", tmp_path / "pq", "--db", db, "--include-rejected")
    table = pq.read_table(tmp_path / "pq" / "quotes.parquet").to_pylist()
    assert {r["review_status"] for r in table if r["id"] == road and r["doc_id"] == "wells"} == {"rejected"}
    assert "is for jsonl, csv and parquet" in run("export", "--format", "qdpx", "--out", tmp_path / "p.qdpx", "--db", db,
                                                   "--include-rejected", code=1)
