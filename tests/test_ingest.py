import json

import pytest

from sayso.ingest import IngestError, iter_documents
from sayso.ingest.transcripts import find_turns, parse_subtitles

from conftest import EXAMPLES


def read(*paths):
    return list(iter_documents([str(p) for p in paths]))


def test_directory_is_read_recursively_with_every_supported_kind():
    docs = [d for d in read(EXAMPLES) if not isinstance(d, IngestError)]
    ids = {d.id for d in docs}
    assert {"river-town-returnees", "border-study", "checkpoint-clash", "interview-nour",
            "brief-ferry", "brief-bridge"} <= ids
    assert all(len(d.text_sha256) == 64 for d in docs)


def test_html_main_text_and_metadata(tmp_path):
    (doc,) = read(EXAMPLES / "checkpoint-clash.html")
    assert doc.title == "Clash at checkpoint leaves villagers stranded"
    assert "Yusuf Demir" in doc.text
    assert "All rights reserved" not in doc.text and "About us" not in doc.text
    assert doc.date == "2026-03-14"


def test_jsonl_ids_metadata_and_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "First text.", "source": "Wire"}) + "\n"
                    + "{not json\n" + json.dumps({"title": "no text"}) + "\n"
                    + json.dumps({"text": "Third text."}) + "\n", encoding="utf-8")
    items = read(path)
    assert [d.id for d in items if not isinstance(d, IngestError)] == ["a", "batch-4"]
    errors = [e for e in items if isinstance(e, IngestError)]
    assert [e.line for e in errors] == [2, 3]
    assert "malformed JSON" in errors[0].message and str(path) in str(errors[0])


def test_wrong_encoding_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Le ministre a d\u00e9clar\u00e9 que la r\u00e9gion \u00e9tait s\u00fbre.".encode("cp1252"))
    (doc,) = read(path)
    assert "d\u00e9clar\u00e9" in doc.text
    assert doc.warnings and "not valid UTF-8" in doc.warnings[0]


def test_binary_empty_and_missing_files_are_errors_naming_the_file(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ", encoding="utf-8")
    items = read(binary, empty, tmp_path / "missing.txt")
    assert all(isinstance(i, IngestError) for i in items)
    messages = [str(i) for i in items]
    assert "binary" in messages[0] and "image.txt" in messages[0]
    assert "empty" in messages[1]
    assert "no such file" in messages[2] and "missing.txt" in messages[2]


def test_html_without_main_text(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    (item,) = read(path)
    assert isinstance(item, IngestError) and "no main text" in item.message


def test_glob_and_hidden_files(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha text here.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.txt").write_text("Hidden text here.", encoding="utf-8")
    assert [d.id for d in read(tmp_path)] == ["a"]
    assert [d.id for d in iter_documents([str(tmp_path / "*.txt")])] == ["a"]
    (err,) = iter_documents([str(tmp_path / "*.nothing")])
    assert "no file matches" in err.message


def test_transcript_detection_needs_turns():
    assert find_turns("Correction: the earlier text was wrong.\n\nIt is right now.") == []
    turns = find_turns("Q: Where were you?\n\nA: In the camp.\n\nQ: For how long?\n\nA: Two years.")
    assert [t.speaker for t in turns] == ["Q", "A", "Q", "A"]
    assert [t.interviewer for t in turns] == [True, False, True, False]


def test_webvtt_voices_become_turns():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Reporter>Why did you go?</v>\n\n"
           "00:00:03.500 --> 00:00:06.000\n<v Hadi>My brother was there.</v>\n\n"
           "00:00:06.000 --> 00:00:08.000\n<v Hadi>He called me every week.</v>\n")
    assert parse_subtitles(vtt) == "Reporter: Why did you go?\n\nHadi: My brother was there. He called me every week."


def test_srt_cues_with_speaker_labels_become_turns(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\nQ: Where did you cross?\n\n"
                    "2\n00:00:03,500 --> 00:00:06,000\nA: Near the river,\nat night.\n", encoding="utf-8")
    (doc,) = read(path)
    assert doc.text == "Q: Where did you cross?\n\nA: Near the river, at night."
    turns = find_turns(doc.text)
    assert [(t.speaker, t.interviewer) for t in turns] == [("Q", True), ("A", False)]


# Decoding (issue #12 item 6) and empty inputs (item 10)

def test_utf16_and_utf32_with_a_bom_are_read(tmp_path):
    text = "\u201cWe crossed at night,\u201d said Mariam Idris, a nurse."
    for codec, name in (("utf-16", "le16"), ("utf-16-be", "be16"), ("utf-32", "le32")):
        path = tmp_path / f"{name}.txt"
        data = text.encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        path.write_bytes(data)
        (doc,) = read(path)
        assert not isinstance(doc, IngestError), str(doc)
        assert doc.text == text


def test_utf16_without_a_bom_is_recognised(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes("The council met on Tuesday and voted to reopen the school.".encode("utf-16-le"))
    (doc,) = read(path)
    assert doc.text.startswith("The council met") and doc.warnings


def test_latin1_text_is_western_not_central_european(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("A na\u00efve plan, the caf\u00e9 owner said.".encode("latin-1"))
    (doc,) = read(path)
    assert "na\u00efve" in doc.text and "caf\u00e9" in doc.text


def test_random_high_bytes_are_not_a_document(tmp_path):
    import random

    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(4096)))
    (item,) = read(path)
    assert isinstance(item, IngestError) and "noise.txt" in str(item)
    assert "\n" not in str(item)


def test_control_characters_after_the_first_block_are_stripped(tmp_path):
    path = tmp_path / "nul.txt"
    body = "Plain words of a long report. " * 400
    path.write_bytes((body + "\x00\x01tail said the clerk\x07.\r\nEnd.").encode("utf-8"))
    (doc,) = read(path)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in doc.text)
    assert "tail said the clerk." in doc.text


def test_invisible_marks_do_not_reach_speaker_names(analyze, tmp_path):
    path = tmp_path / "marks.txt"
    path.write_text("\ufeff\u201cThe road is open again,\u201d said Ha\u200bmid Ras\u200fhid, "
                    "a \u2066driver\u2069 from the valley.", encoding="utf-8")
    (doc,) = read(path)
    assert not any(c in doc.text for c in "\u200b\u200f\u2066\u2069\ufeff")
    result = analyze(doc.text)
    assert [q.speaker.name for q in result.quotes] == ["Hamid Rashid"]
    assert all(result.quotes[0].text == doc.text[q.start:q.end] for q in result.quotes)


def test_word_joiners_arabic_letter_marks_and_soft_hyphens_do_not_reach_names(analyze, tmp_path):
    path = tmp_path / "joiners.txt"
    path.write_text("\u201cThe road is open again,\u201d said Ha\u2060mid \u061cRas\u00adhid, a driver.", encoding="utf-8")
    (doc,) = read(path)
    assert not any(c in doc.text for c in "\u2060\u061c\u00ad")
    assert [q.speaker.name for q in analyze(doc.text).quotes] == ["Hamid Rashid"]


def test_an_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "picture.png").write_bytes(b"\x89PNG")
    items = read(tmp_path / "empty", tmp_path / "other")
    assert len(items) == 2 and all(isinstance(i, IngestError) for i in items)
    assert all("no files to read" in i.message for i in items)


def test_a_glob_matching_nothing_makes_ingest_fail(tmp_path):
    from click.testing import CliRunner

    from sayso.cli import cli

    result = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "s.db"), str(tmp_path / "*.txt")])
    assert result.exit_code == 1 and "no file matches" in result.output


def test_utf8_with_a_few_stray_bytes_stays_utf8(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Caf\u00e9 owners in G\u00f6rlitz and Sm\u00f8rum said the na\u00efve plan failed.".encode("utf-8")
                     + b" A stray \xff byte.")
    (doc,) = read(path)
    assert "G\u00f6rlitz" in doc.text and "Sm\u00f8rum" in doc.text and doc.warnings


def test_decoding_and_normalising_never_fail_on_random_input():
    from hypothesis import given, settings, strategies as st

    from sayso.ingest.readers import ReadError
    from sayso.ingest.text import decode, normalise

    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=600), st.text(max_size=300))
    def check(data, text):
        try:
            decoded, _ = decode(data)
        except ReadError:
            decoded = ""
        for stored in (normalise(decoded), normalise(text)):
            assert normalise(stored) == stored
            assert not any((ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0 for c in stored)
            assert not any(c in stored for c in "\u200b\u200e\u200f\u202e\u2066\ufeff")

    check()


def test_a_closing_line_ends_the_last_turn():
    text = "Q: Where were you?\n\nA: In the camp.\n\n---\n\nRecorded in June; names changed."
    turns = find_turns(text)
    assert [text[t.start:t.end] for t in turns] == ["Where were you?", "In the camp."]


@pytest.mark.parametrize("codec,text", [
    ("cp1250", "Minister powiedzia\u0142, \u017ce most zostanie otwarty w poniedzia\u0142ek po naprawie."),
    ("cp1251", "\u041c\u0438\u043d\u0438\u0441\u0442\u0440 \u0437\u0430\u044f\u0432\u0438\u043b, \u0447\u0442\u043e "
               "\u043c\u043e\u0441\u0442 \u0431\u0443\u0434\u0435\u0442 \u043e\u0442\u043a\u0440\u044b\u0442."),
    ("cp1252", "Le ministre a d\u00e9clar\u00e9 que le pont rouvrira lundi apr\u00e8s les r\u00e9parations.")])
def test_single_byte_code_pages_are_told_apart(tmp_path, codec, text):
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(text.encode(codec))
    (doc,) = read(path)
    assert doc.text == text


def test_a_jsonl_record_holding_a_next_line_character_is_one_record(tmp_path):
    from sayso.ingest import iter_documents

    path = tmp_path / "nel.jsonl"
    record = {"id": "a", "text": "The council met on Monday.\u0085 Its members voted to reopen the bridge."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n" + json.dumps({"id": "b", "text": "Second."}) + "\n",
                    encoding="utf-8")
    found = list(iter_documents([str(path)]))
    assert [getattr(d, "id", None) for d in found] == ["a", "b"]
