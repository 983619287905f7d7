"""Exports: Parquet tables, GeoJSON places, REFI-QDA projects (schema-valid, round-trip)."""
import json
import zipfile
from xml.etree import ElementTree as ET

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from sayso.cli import cli

from conftest import SHARED

XSD = SHARED / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def export(db, fmt, out):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_parquet_has_one_file_per_table(examples_db, tmp_path):
    out = export(examples_db, "parquet", tmp_path / "pq")
    assert {p.stem for p in out.iterdir()} == {"documents", "quotes", "speakers", "entities", "places",
                                               "counts", "themes", "corrections"}
    quotes = pq.read_table(out / "quotes.parquet").to_pylist()
    docs = {d["id"]: d["text"] for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert len(docs) == 8 and quotes
    assert all(docs[q["doc_id"]][q["start"]:q["end"]] == q["text"] for q in quotes)


def test_corrections_carry_the_passage_they_are_about_in_parquet_and_jsonl(examples_db, tmp_path):
    docs = {d["id"]: d["text"] for d in pq.read_table(export(examples_db, "parquet", tmp_path / "pq")
                                                      / "documents.parquet").to_pylist()}
    (row,) = pq.read_table(tmp_path / "pq" / "corrections.parquet").to_pylist()
    passage = docs[row["doc_id"]][row["claim_start"]:row["claim_end"]]
    assert row["claim_says"] == "right" and "Mosul" in passage and row["claim_end"] <= row["start"]
    lines = export(examples_db, "jsonl", tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    (record,) = [r for r in map(json.loads, lines) if r["corrections"]]
    (correction,) = record["corrections"]
    assert record["text"][correction["claim_start"]:correction["claim_end"]] == passage


def test_geojson_features_carry_mentions_and_quotes(examples_db, tmp_path):
    data = json.loads(export(examples_db, "geojson", tmp_path / "p.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    mosul = by_name["Mosul"]
    assert mosul["geometry"]["coordinates"][1] == pytest.approx(36.34, abs=0.1)
    assert mosul["properties"]["mentions"] >= 2
    assert any("Mosul" in q["text"] for q in mosul["properties"]["quotes"])
    assert all(q["claim_id"].startswith("C") for q in mosul["properties"]["quotes"])  # every stored quote is a claim


def test_qdpx_round_trip_and_schema(examples_db, tmp_path):
    path = export(examples_db, "qdpx", tmp_path / "p.qdpx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde")
        root = ET.fromstring(xml)
        sources = {s.get("guid"): s for s in root.iterfind(".//q:TextSource", NS)}
        checked = 0
        for guid, source in sources.items():
            text = archive.read(f"Sources/{guid}.txt").decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert 0 <= start < end <= len(text)
                checked += 1
    assert checked > 20
    codes = {c.get("name") for c in root.iterfind(".//q:Code", NS)}
    assert {"Quote", "direct", "joining", "J1 Ideology / religious duty"} <= codes
    cases = {c.get("name"): c for c in root.iterfind(".//q:Case", NS)}
    assert "ABU SALIM" in cases and cases["Yusuf Demir"].find(".//q:TextValue", NS).text == "farmer"
    descriptions = [d.text for d in root.iterfind(".//q:PlainTextSelection/q:Description", NS)]
    assert descriptions and all("; claim C" in d and " by None" not in d for d in descriptions)
    if XSD.exists():
        import xmlschema

        xmlschema.XMLSchema(str(XSD)).validate(xml.decode("utf-8"))


def test_qdpx_selections_are_the_quote_texts(examples_db, tmp_path):
    from sayso.store import Store

    path = export(examples_db, "qdpx", tmp_path / "p.qdpx")
    with Store(examples_db, readonly=True) as store:
        quotes = {(d, q.id): q.text for d in store.document_ids() for q in store.analysis(d).quotes}
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        for source in root.iterfind(".//q:TextSource", NS):
            text = archive.read(f"Sources/{source.get('guid')}.txt").decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", NS):
                doc_id, _, quote_id = selection.get("name").partition(" ")
                if (doc_id, quote_id) in quotes:
                    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                    assert text[start:end] == quotes[(doc_id, quote_id)]


def test_import_codebook_from_qdpx_and_bad_files(examples_db, tmp_path):
    project = export(examples_db, "qdpx", tmp_path / "p.qdpx")
    runner = CliRunner()
    out = tmp_path / "imported.yaml"
    result = runner.invoke(cli, ["import-codebook", str(project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["codebook", "validate", str(out)]).exit_code == 0
    assert "J1 Ideology / religious duty" in out.read_text(encoding="utf-8")
    junk = tmp_path / "junk.qdc"
    junk.write_text("<notes><note>hello</note></notes>", encoding="utf-8")
    result = runner.invoke(cli, ["import-codebook", str(junk), "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "not QDA-XML" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_parquet_export_has_the_columns_of_the_distributed_output(examples_db, tmp_path):
    from sayso.ingest.readers import make_document
    from sayso.scale.rows import to_rows

    out = export(examples_db, "parquet", tmp_path / "pq")
    document = make_document("d", "\u201cWe left Mosul at night,\u201d said Hana Saleh, who counted 40 families.")
    import sayso

    rows = to_rows(document, sayso.analyze(document.text, "d"))
    for table, table_rows in rows.items():
        if table_rows:
            assert pq.read_schema(out / f"{table}.parquet").names == list(table_rows[0]), table


def run_export(db, fmt, out):
    return CliRunner().invoke(cli, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])


def test_parquet_export_never_deletes_files_it_did_not_write(examples_db, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my own notes", encoding="utf-8")
    result = run_export(examples_db, "parquet", folder)
    assert result.exit_code == 1 and "not a sayso parquet export" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "my own notes"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_parquet_export_never_replaces_a_users_own_parquet_of_the_same_name(examples_db, tmp_path):
    import pyarrow as pa

    own, spark = tmp_path / "own", tmp_path / "spark"
    own.mkdir()
    pq.write_table(pa.table({"my_column": [1, 2, 3]}), own / "documents.parquet")
    (spark / "quotes.parquet").mkdir(parents=True)  # a Spark-style folder of parts
    (spark / "quotes.parquet" / "part-0.parquet").write_text("data", encoding="utf-8")
    for folder in (own, spark):
        result = run_export(examples_db, "parquet", folder)
        assert result.exit_code == 1 and "not a sayso parquet export" in result.stderr
    assert pq.read_table(own / "documents.parquet").column_names == ["my_column"]
    assert (spark / "quotes.parquet" / "part-0.parquet").read_text(encoding="utf-8") == "data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own", "spark"]  # nothing hidden away


def test_parquet_export_replaces_a_previous_export_and_fills_an_empty_folder(examples_db, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    export(examples_db, "parquet", empty)
    assert (empty / "quotes.parquet").exists()
    before = pq.read_table(empty / "quotes.parquet").num_rows
    export(examples_db, "parquet", empty)  # a previous export is replaced
    assert pq.read_table(empty / "quotes.parquet").num_rows == before
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]  # no temporary folders left behind


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "qdpx"])
def test_file_exports_replace_only_their_own_files(examples_db, tmp_path, fmt):
    other = tmp_path / f"thesis.{fmt}"
    other.write_text("chapter one\n", encoding="utf-8")
    result = run_export(examples_db, fmt, other)
    assert result.exit_code == 1 and f"not a sayso {fmt} export" in result.stderr
    assert other.read_text(encoding="utf-8") == "chapter one\n"
    fresh = export(examples_db, fmt, tmp_path / f"fresh.{fmt}")
    export(examples_db, fmt, fresh)  # a previous export of the same format is replaced
    folder = tmp_path / "folder"
    folder.mkdir()
    assert run_export(examples_db, fmt, folder).exit_code == 1


def test_export_refuses_to_overwrite_the_store(examples_db, tmp_path):
    import shutil

    db = tmp_path / "s.db"
    shutil.copy(examples_db, db)
    size = db.stat().st_size
    for fmt in ("csv", "parquet"):
        result = run_export(db, fmt, db)
        assert result.exit_code == 1, fmt
    assert db.stat().st_size == size


def test_import_codebook_never_overwrites_a_file(examples_db, tmp_path):
    project = export(examples_db, "qdpx", tmp_path / "p.qdpx")
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: my codebook with cues I wrote\n", encoding="utf-8")
    for out in (mine, project):
        result = CliRunner().invoke(cli, ["import-codebook", str(project), "--out", str(out)])
        assert result.exit_code == 1 and "exists" in result.stderr
    assert mine.read_text(encoding="utf-8") == "name: my codebook with cues I wrote\n"
    assert zipfile.is_zipfile(project)


def test_csv_cells_never_run_as_spreadsheet_formulas(tmp_path):
    import csv

    from sayso.batch import ingest
    from sayso.store import Store

    source = tmp_path / "docs.jsonl"
    text = ("\u201c=1+2 is the sum they sent us,\u201d said Omar Khatib.\\n\\n"
            "\u201c+1 is how the ferry office answered the phone,\u201d said Lina Haddad.\\n\\n"
            "\u201c-40 degrees froze the pipes,\u201d said Lina Haddad.")
    source.write_text('{"id": "f1", "title": "=1+2", "text": "' + text + '"}\n', encoding="utf-8")
    db = tmp_path / "f.db"
    with Store(db) as store:
        assert ingest([str(source)], store).added == 1
    out = export(db, "csv", tmp_path / "q.csv")
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["doc_title"] for r in rows} == {"'=1+2"}
    texts = [r["text"] for r in rows]
    assert {"'=", "'+", "'-"} <= {t[:2] for t in texts}
    cells = [v for r in rows for v in r.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
