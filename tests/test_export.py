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


def test_geojson_features_carry_mentions_and_quotes(examples_db, tmp_path):
    data = json.loads(export(examples_db, "geojson", tmp_path / "p.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    mosul = by_name["Mosul"]
    assert mosul["geometry"]["coordinates"][1] == pytest.approx(36.34, abs=0.1)
    assert mosul["properties"]["mentions"] >= 2
    assert any("Mosul" in q["text"] for q in mosul["properties"]["quotes"])


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
