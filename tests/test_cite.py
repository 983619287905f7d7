"""Citations of stored quotes (`sayso cite`)."""
import json

import pytest
from click.testing import CliRunner

from sayso.analyze import analyze_pairs
from sayso.cite import CitationError, cite
from sayso.cli import cli
from sayso.ingest import iter_documents
from sayso.store import Store

WORDS = "The crews are back and the boats are safe"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cite")
    (folder / "wire.jsonl").write_text(json.dumps({
        "id": "ferry", "title": "Ferry strike ends", "date": "2026-06-05", "source": "Lakeside Courier",
        "url": "https://courier.example.org/ferry",
        "text": f"Ferry strike ends\n\n\u201c{WORDS},\u201d said Tomas Brandt, who manages the service."}) + "\n",
        encoding="utf-8")
    (folder / "talk.json").write_text(json.dumps({"segments": [
        {"start": 0.0, "end": 2.0, "text": "Why did it stop?", "speaker": "Interviewer"},
        {"start": 62.0, "end": 75.5, "text": "The crews were exhausted and nobody listened.", "speaker": "Ines Moreau"}]}),
        encoding="utf-8")
    path = folder / "cite.db"
    with Store(path) as store:
        for document, analysis in analyze_pairs(list(iter_documents([str(folder)]))):
            store.add(document, analysis)
    return path


def quote_of(store, doc_id, speaker):
    row = store.conn.execute("SELECT id FROM quotes WHERE doc_id = ? AND speaker_name = ?", (doc_id, speaker)).fetchone()
    return row[0]


def test_styles_name_speaker_outlet_date_title_url_and_exact_words(store_path):
    with Store(store_path, readonly=True) as store:
        quote_id = quote_of(store, "ferry", "Tomas Brandt")
        apa, chicago, plain = (cite(store, "ferry", quote_id, style) for style in ("apa", "chicago", "plain"))
    for text in (apa, chicago, plain):
        assert "Tomas Brandt" in text and "Lakeside Courier" in text and "Ferry strike ends" in text
        assert "https://courier.example.org/ferry" in text and f"\u201c{WORDS}\u201d" in text
    assert "(2026, June 5)" in apa and "as quoted in" in apa
    assert "June 5, 2026" in chicago and "quoted in \u201cFerry strike ends,\u201d" in chicago
    assert "(2026-06-05)" in plain


def test_timecode_of_transcribed_speech(store_path):
    with Store(store_path, readonly=True) as store:
        quote_id = quote_of(store, "talk", "Ines Moreau")
        text = cite(store, "talk", quote_id, "plain")
    assert "0:01:02\u20130:01:16" in text and "Ines Moreau" in text


def test_unknown_ids_and_the_command(store_path):
    with Store(store_path, readonly=True) as store:
        with pytest.raises(CitationError):
            cite(store, "ferry", "q999")
        quote_id = quote_of(store, "ferry", "Tomas Brandt")
    runner = CliRunner()
    ok = runner.invoke(cli, ["cite", "ferry", quote_id, "--db", str(store_path), "--style", "chicago"])
    assert ok.exit_code == 0 and "Tomas Brandt, quoted in" in ok.output
    missing = runner.invoke(cli, ["cite", "nothing", "q1", "--db", str(store_path)])
    assert missing.exit_code == 1 and "no document" in missing.output
