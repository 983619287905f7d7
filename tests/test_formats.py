"""Readers for the files researchers have: Word, OpenDocument, RTF, PDF, e-mail, web archives and
speech-to-text output. Every fixture is generated here; none is downloaded."""
import io
import json
import zipfile
from pathlib import Path

import pytest

from sayso.analyze import analyze_pairs
from sayso.ingest import IngestError, iter_documents
from sayso.ingest.transcripts import find_turns


def read(*paths):
    return list(iter_documents([str(p) for p in paths]))


def docs_and_errors(items):
    return ([i for i in items if not isinstance(i, IngestError)], [i for i in items if isinstance(i, IngestError)])


def analysed(document):
    ((_, analysis),) = list(analyze_pairs([document]))
    return analysis


# Word ---------------------------------------------------------------------------------------

def bold_paragraph(document, name, words):
    paragraph = document.add_paragraph()
    paragraph.add_run(name).bold = True
    paragraph.add_run(words)


def make_docx(path, footnote=None):
    import docx

    document = docx.Document()
    document.add_heading("Ferry crews return to work", level=1)
    document.add_paragraph("The ferry across the lake runs again after a strike of two weeks.")
    bold_paragraph(document, "Tomas Brandt", " We agreed on new rosters with the crews.")
    bold_paragraph(document, "Interviewer:", " Will the fares change?")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, (["Route", "Trips", "Fare"], ["North", "6", "4 euros"])):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.save(path)
    if footnote:
        add_footnote(path, footnote)


def add_footnote(path, text):
    """python-docx writes no footnotes: add a footnotes part to the package by hand."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = (f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>--</w:t></w:r></w:p>'
            f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(path) as old:
        files = {name: old.read(name) for name in old.namelist()}
    files["word/footnotes.xml"] = part.encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    files["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"'
        ' Target="footnotes.xml"/></Relationships>')).encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w") as new:
        for name, data in files.items():
            new.writestr(name, data)


def test_docx_paragraphs_heading_bold_speakers_tables_and_footnotes(tmp_path):
    path = tmp_path / "ferry.docx"
    make_docx(path, footnote="Interview recorded by telephone.")
    (doc,) = read(path)
    assert doc.title == "Ferry crews return to work"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[2] == "Tomas Brandt: We agreed on new rosters with the crews."
    assert paragraphs[3] == "Interviewer: Will the fares change?"
    assert "Route | Trips | Fare" in paragraphs and "North | 6 | 4 euros" in paragraphs
    assert paragraphs[-2:] == ["Notes", "Interview recorded by telephone."]


def test_docx_two_column_table_is_a_transcript(tmp_path, analyze):
    import docx

    document = docx.Document()
    document.core_properties.title = "Talk with a ferry captain"
    document.add_paragraph("Recorded at the harbour in June.")
    table = document.add_table(rows=4, cols=2)
    rows = [("Speaker", "Words"), ("R1", "Why did you stop working?"),
            ("Captain Ines Moreau", "The boats were unsafe and nobody listened to us."), ("R1", "And now?")]
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "captain.docx"
    document.save(path)
    (doc,) = read(path)
    assert doc.title == "Talk with a ferry captain"
    assert [t.speaker for t in find_turns(doc.text)] == ["R1", "Captain Ines Moreau", "R1"]
    speakers = {q.speaker.name for q in analyze(doc.text).quotes}
    assert "Captain Ines Moreau" in speakers


def test_word_files_that_cannot_be_read(tmp_path):
    encrypted = tmp_path / "locked.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    corrupt = tmp_path / "broken.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    good = tmp_path / "good.docx"
    make_docx(good)
    items = read(encrypted, corrupt, legacy, good)
    docs, errors = docs_and_errors(items)
    assert [d.id for d in docs] == ["good"]
    assert "password-protected" in str(errors[0]) and "locked.docx" in str(errors[0])
    assert "corrupt" in str(errors[1]) and "broken.docx" in str(errors[1])
    assert ".doc is not read" in str(errors[2]) and "old.doc" in str(errors[2])
    assert all("\n" not in str(e) for e in errors)


def test_odt_headings_tables_as_turns_and_footnotes(tmp_path):
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.style import Style, TextProperties
    from odf.text import H, Note, NoteBody, NoteCitation, P, Span

    document = OpenDocumentText()
    strong = Style(name="Strong", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(strong)
    document.meta.addElement(dc.Title(text="Harbour interview"))
    document.text.addElement(H(outlinelevel=1, text="Notes from the harbour"))
    paragraph = P(text="The operator spoke on Friday.")
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Recorded by telephone."))
    note.addElement(body)
    paragraph.addElement(note)
    document.text.addElement(paragraph)
    said = P()
    said.addElement(Span(stylename=strong, text="Amal Haddad:"))
    said.addText(" We waited three weeks for the boat.")
    document.text.addElement(said)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for name, words in (("Interviewer", "Why did it stop?"), ("Tomas Brandt", "The crews were tired."),
                        ("Interviewer", "And now?")):
        row = TableRow()
        for text in (name, words):
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    path = tmp_path / "harbour.odt"
    document.save(str(path))
    (doc,) = read(path)
    assert doc.title == "Harbour interview"
    assert doc.text.split("\n\n") == ["Notes from the harbour", "The operator spoke on Friday.",
                                      "Amal Haddad: We waited three weeks for the boat.", "Interviewer: Why did it stop?", "Tomas Brandt: The crews were tired.",
                                      "Interviewer: And now?", "Notes", "Recorded by telephone."]
    assert doc.text[find_turns(doc.text)[-1].start:find_turns(doc.text)[-1].end] == "And now?"


def test_rtf(tmp_path):
    path = tmp_path / "memo.rtf"
    path.write_text(r"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard Bridge closed for repairs\par"
                    r"\par The council said the bridge would \b stay\b0  closed until May.\par}", encoding="ascii")
    (doc,) = read(path)
    assert doc.title == "Bridge closed for repairs"
    assert "The council said the bridge would stay closed until May." in doc.text


# PDF ----------------------------------------------------------------------------------------

def make_pdf(path, encrypt=None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)

    def furniture(number):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, height - 40, "Harbour Review Quarterly")
        pdf.drawString(width / 2, 30, str(number))
        pdf.setFont("Helvetica", 11)

    furniture(1)
    for n, line in enumerate(["Ferry service resumes", "", "The ferry returned on Monday after a long strike.",
                              "Officials said the repairs had been expen-", "sive and slow."]):
        pdf.drawString(72, height - 100 - 16 * n, line)
    pdf.showPage()
    furniture(2)
    for n, line in enumerate(["\u201cThe crews are back and the boats", "are safe,\u201d said Tomas Brandt."]):
        pdf.drawString(72, height - 100 - 16 * n, line)
    for n, line in enumerate(["Passengers on the right side", "of the page were relieved."]):
        pdf.drawString(width / 2 + 20, height - 100 - 16 * n, line)
    pdf.showPage()
    pdf.save()


def test_pdf_reading_order_hyphens_running_lines_and_pages(tmp_path):
    path = tmp_path / "harbour.pdf"
    make_pdf(path)
    (doc,) = read(path)
    assert "Harbour Review Quarterly" not in doc.text
    assert "expensive and slow." in doc.text
    assert doc.text.index("said Tomas Brandt.") < doc.text.index("Passengers on the right side of the page")
    assert not any(line.strip().isdigit() for line in doc.text.split("\n"))
    assert len(doc.page_starts) == 2 and doc.page_starts[0] == 0
    assert doc.text[doc.page_starts[1]:].startswith("\u201cThe crews are back")
    (quote,) = [q for q in analysed(doc).quotes if q.speaker.name == "Tomas Brandt"]
    assert quote.page == 2


def test_counts_and_corrections_of_a_pdf_keep_their_page_in_the_store_too(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from sayso.store import Store

    path = tmp_path / "notice.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pages = [["Ferry service resumes", "", "The ferry carried 40 passengers from Galway on its first crossing."],
             ["Correction: An earlier version of this story said the ferry left from Dunmore.",
              "It left from Kilbrack.", "", "Officials counted 12 boats in the harbour."]]
    for lines in pages:
        for n, line in enumerate(lines):
            pdf.drawString(72, A4[1] - 100 - 16 * n, line)
        pdf.showPage()
    pdf.save()
    (doc,) = read(path)
    analysis = analysed(doc)
    assert {c.number: c.page for c in analysis.counts} == {40: 1, 12: 2}
    assert [c.page for c in analysis.corrections] == [2]
    mentions = list(analysis.mentions())
    assert {m.page for m in mentions} == {1, 2}
    assert all(m.page == (2 if m.start >= doc.page_starts[1] else 1) for m in mentions)
    with Store(tmp_path / "s.db") as store:
        store.add(doc, analysis)
        stored = store.analysis(doc.id)
    assert {c.number: c.page for c in stored.counts} == {40: 1, 12: 2} and [c.page for c in stored.corrections] == [2]
    assert [m.to_dict() for m in stored.mentions()] == [m.to_dict() for m in mentions]
    import pyarrow.parquet as pq

    from sayso.export import export

    with Store(tmp_path / "s.db", readonly=True) as store:
        export(store, "parquet", tmp_path / "pq")
    exported = pq.read_table(tmp_path / "pq" / "counts.parquet").to_pylist()
    assert {r["number"]: r["page"] for r in exported} == {40: 1, 12: 2}
    assert [r["page"] for r in pq.read_table(tmp_path / "pq" / "corrections.parquet").to_pylist()] == [2]
    from fastapi.testclient import TestClient

    from sayso.web import create_app

    html = TestClient(create_app(tmp_path / "s.db")).get(f"/documents/{doc.id}").text
    assert html.count('<small class="where">p.&nbsp;2</small>') == 2 and '<small class="where">p.&nbsp;1</small>' in html


def test_pdfs_that_cannot_be_read(tmp_path, monkeypatch):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    monkeypatch.setattr("sayso.ingest.pdf._ocrmypdf", lambda: None)  # no OCR tool: a scan is refused
    locked = tmp_path / "locked.pdf"
    make_pdf(locked, encrypt=StandardEncryption("secret", canPrint=0))
    scanned = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scanned))
    pdf.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 50, 500)
    pdf.showPage()
    pdf.save()
    corrupt = tmp_path / "broken.pdf"
    corrupt.write_bytes(b"%PDF-1.4\nthis is no pdf at all\n")
    good = tmp_path / "good.pdf"
    make_pdf(good)
    docs, errors = docs_and_errors(read(locked, scanned, corrupt, good))
    assert [d.id for d in docs] == ["good"]
    assert "password-protected" in str(errors[0]) and "locked.pdf" in str(errors[0])
    assert str(errors[1]).endswith("scanned PDF: no text layer; run OCR first, e.g. ocrmypdf")
    assert "broken.pdf" in str(errors[2])
    assert all("\n" not in str(e) for e in errors)


# E-mail -------------------------------------------------------------------------------------

def message(subject, sender, body, date="Fri, 05 Jun 2026 10:00:00 +0000"):
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"], mail["Date"] = sender, "desk@example.org", subject, date
    mail.set_content(body)
    return mail


def test_eml_subject_sender_date_without_quoted_reply_and_signature(tmp_path):
    body = ("The ferry returns on Monday, the operator told me this morning.\n\n"
            "On Thu, 4 Jun 2026, Desk <desk@example.org> wrote:\n> Any news about the ferry?\n> Thanks\n\n"
            "-- \nNadia Pereira\nReporter, Lakeside Courier\n")
    path = tmp_path / "tip.eml"
    path.write_bytes(bytes(message("Ferry back on Monday", "Nadia Pereira <nadia@example.org>", body)))
    (doc,) = read(path)
    assert (doc.title, doc.source, doc.date) == ("Ferry back on Monday", "Nadia Pereira", "2026-06-05")
    assert doc.text == "The ferry returns on Monday, the operator told me this morning."


def test_mbox_one_document_per_message(tmp_path):
    import mailbox

    path = tmp_path / "desk.mbox"
    box = mailbox.mbox(str(path))
    box.add(message("Bridge closed", "ana@example.org", "The bridge is closed until May, engineers said."))
    box.add(message("Only a reply", "ben@example.org", "> quoted words only\n> nothing new"))
    box.add(message("Market reopens", "Carla Diaz <carla@example.org>", "The old market reopened on Sunday."))
    box.close()
    docs, errors = docs_and_errors(read(path))
    assert [(d.id, d.title, d.source) for d in docs] == [("desk-1", "Bridge closed", "ana@example.org"),
                                                        ("desk-3", "Market reopens", "Carla Diaz")]
    assert len(errors) == 1 and "message 2" in str(errors[0]) and "desk.mbox" in str(errors[0])


# Web archives ------------------------------------------------------------------------------

PAGE = ("<html><head><title>Bridge closed | Valley Courier</title><meta name='date' content='2026-05-03'></head>"
        "<body><nav>Home News</nav><article><h1>Bridge closed after cracks found</h1>"
        "<p>Engineers closed the old bridge on Saturday after finding cracks in two of its pillars.</p>"
        "<p>\u201cNobody will cross it until we know it is safe,\u201d said Omar Saleh, the city engineer.</p>"
        "</article></body></html>")


def write_warc(path, records, gzip=True):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for url, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_warc_html_responses_become_documents(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [("https://news.example.org/bridge", "text/html; charset=utf-8", PAGE.encode()),
                      ("https://news.example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
                      ("https://news.example.org/empty", "text/html", b"<html><body><nav>Home</nav></body></html>")])
    docs, errors = docs_and_errors(read(path))
    (doc,) = docs
    assert doc.url == "https://news.example.org/bridge" and doc.date == "2026-05-03"
    assert "Omar Saleh" in doc.text and "Home News" not in doc.text
    assert any("image/png" in w for w in doc.warnings)
    assert len(errors) == 1 and "record 3" in str(errors[0]) and "news.example.org/empty" in str(errors[0])


def test_damaged_warc_keeps_the_records_before_the_damage(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(path, [("https://news.example.org/bridge", "text/html", PAGE.encode())] * 2)
    path.write_bytes(path.read_bytes() + b"these bytes are no WARC record\r\n\r\n")
    not_warc = tmp_path / "notes.warc"
    not_warc.write_bytes(b"plain notes, not an archive\r\n")
    docs, errors = docs_and_errors(read(path, not_warc))
    assert len(docs) == 2 and len(errors) == 2
    assert "cut.warc.gz" in str(errors[0]) and "record 3" in str(errors[0])
    assert "notes.warc" in str(errors[1]) and "not a WARC file" in str(errors[1])


@pytest.mark.parametrize("cut", [60, 300])  # inside the last record's text, or its whole gzip member
def test_a_warc_cut_off_in_its_last_record_says_so(tmp_path, cut):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, [("https://news.example.org/bridge", "text/html", PAGE.encode())] * 2)
    path = tmp_path / "download.warc.gz"
    path.write_bytes(whole.read_bytes()[:-cut])
    docs, errors = docs_and_errors(read(path))
    assert len(docs) == 1 and docs[0].text == read(whole)[0].text
    assert len(errors) == 1 and "truncated" in str(errors[0]) and "record 2" in str(errors[0])


# Speech to text ----------------------------------------------------------------------------

WHISPERX = {"language": "en", "segments": [
    {"start": 0.0, "end": 2.5, "text": " Why did the ferry stop?", "speaker": "SPEAKER_00"},
    {"start": 2.6, "end": 6.0, "text": " The crews were exhausted and the boats were unsafe.", "speaker": "SPEAKER_01"},
    {"start": 6.0, "end": 8.5, "text": " It will run again on Monday.", "speaker": "SPEAKER_01"}]}


def test_whisperx_turns_named_through_a_sidecar_with_timecodes(tmp_path):
    path = tmp_path / "ferry-talk.json"
    path.write_text(json.dumps(WHISPERX), encoding="utf-8")
    (tmp_path / "ferry-talk.speakers.json").write_text(
        json.dumps({"SPEAKER_00": "Interviewer", "SPEAKER_01": "Tomas Brandt"}), encoding="utf-8")
    (doc,) = read(tmp_path)  # the sidecar is not read as a document
    assert doc.text == ("Interviewer: Why did the ferry stop?\n\nTomas Brandt: The crews were exhausted and the "
                        "boats were unsafe. It will run again on Monday.")
    assert [doc.text[s:e] for s, e, _, _ in doc.timecodes][1] == "The crews were exhausted and the boats were unsafe."
    quotes = [q for q in analysed(doc).quotes if q.speaker.name == "Tomas Brandt"]
    assert quotes and quotes[0].start_s == 2.6 and quotes[-1].end_s == 8.5


def test_whisper_json_with_an_rttm_beside_it(tmp_path):
    plain = {"text": "...", "segments": [{k: v for k, v in s.items() if k != "speaker"} for s in WHISPERX["segments"]]}
    (tmp_path / "call.json").write_text(json.dumps(plain), encoding="utf-8")
    (tmp_path / "call.rttm").write_text("SPEAKER call 1 0.00 2.55 <NA> <NA> spk_a <NA> <NA>\n"
                                        "SPEAKER call 1 2.55 6.00 <NA> <NA> spk_b <NA> <NA>\n", encoding="utf-8")
    (tmp_path / "call.speakers.yaml").write_text("spk_a: Reporter\nspk_b: Lina Haddad\n", encoding="utf-8")
    (doc,) = read(tmp_path / "call.json")
    assert [t.speaker for t in find_turns(doc.text)] == ["Reporter", "Lina Haddad"]


def test_json_of_another_shape_is_one_error(tmp_path):
    other = tmp_path / "config.json"
    other.write_text(json.dumps({"name": "not speech", "items": [1, 2]}), encoding="utf-8")
    bad_segment = tmp_path / "half.json"
    bad_segment.write_text(json.dumps({"segments": [{"start": 0, "end": 1, "text": "Hi."}, {"start": "x"}]}),
                           encoding="utf-8")
    items = read(other, bad_segment)
    assert all(isinstance(i, IngestError) for i in items)
    assert "not a Whisper" in str(items[0]) and "config.json" in str(items[0])
    assert "segment 2" in str(items[1])


# Language ----------------------------------------------------------------------------------

def test_every_document_gets_a_language(tmp_path):
    english = tmp_path / "en.txt"
    english.write_text("The council voted on Tuesday to reopen the old bridge over the river.", encoding="utf-8")
    french = tmp_path / "fr.txt"
    french.write_text("Le conseil municipal a vot\u00e9 mardi la r\u00e9ouverture du vieux pont sur la rivi\u00e8re.",
                      encoding="utf-8")
    given = tmp_path / "given.jsonl"
    given.write_text(json.dumps({"text": "The council voted on Tuesday to reopen the bridge.", "language": "de"}) + "\n",
                     encoding="utf-8")
    assert [d.language for d in read(english, french, given)] == ["en", "fr", "de"]


@pytest.mark.parametrize("text", ["Hi.", "12 34 56"])
def test_too_short_to_tell(tmp_path, text):
    path = tmp_path / "short.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = read(path)
    assert doc.language is None


def test_subtitles_carry_timecodes_and_take_speakers_from_an_rttm(tmp_path):
    srt = tmp_path / "harbour.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,000\nWhy did the boats stop?\n\n"
                   "2\n00:00:03,500 --> 00:00:07,250\nThe engines failed, and nobody\nrepaired them for weeks.\n",
                   encoding="utf-8")
    (tmp_path / "harbour.rttm").write_text("SPEAKER harbour 1 0.90 2.20 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
                                           "SPEAKER harbour 1 3.40 4.00 <NA> <NA> SPEAKER_01 <NA> <NA>\n",
                                           encoding="utf-8")
    (tmp_path / "harbour.speakers.json").write_text(json.dumps({"SPEAKER_00": "Interviewer",
                                                                "SPEAKER_01": "Ines Moreau"}), encoding="utf-8")
    (doc,) = read(srt)
    assert doc.text == ("Interviewer: Why did the boats stop?\n\n"
                        "Ines Moreau: The engines failed, and nobody repaired them for weeks.")
    assert [(s, e) for _, _, s, e in doc.timecodes] == [(1.0, 3.0), (3.5, 7.25)]
    quotes = [q for q in analysed(doc).quotes if q.speaker.name == "Ines Moreau"]
    assert quotes and (quotes[0].start_s, quotes[0].end_s) == (3.5, 7.25)


def test_a_short_html_only_message_keeps_its_words_and_drops_the_quoted_part(tmp_path):
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["Subject"] = "Ana Ruiz <ana@example.org>", "Market"
    mail.set_content("<html><body><p>The market opens at six on Sunday.</p>"
                     "<blockquote><p>When does it open?</p></blockquote></body></html>", subtype="html")
    path = tmp_path / "short.eml"
    path.write_bytes(bytes(mail))
    (doc,) = read(path)
    assert doc.text == "The market opens at six on Sunday."


MAGIC = {".pdf": b"%PDF-1.4\n", ".docx": b"PK\x03\x04", ".odt": b"PK\x03\x04", ".warc": b"WARC/1.0\r\n",
         ".warc.gz": b"\x1f\x8b\x08\x00", ".rtf": b"{\\rtf1 ", ".json": b'{"segments": [', ".eml": b"From: a@b\r\n",
         ".mbox": b"From a@b Mon Jan  1 00:00:00 2026\n"}


@pytest.mark.parametrize("suffix", sorted(MAGIC))
def test_damaged_files_of_every_kind_are_errors_not_crashes(suffix, tmp_path):
    from hypothesis import HealthCheck, given, settings, strategies as st

    from sayso.ingest import read_file

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.booleans(), st.binary(min_size=1, max_size=300))
    def check(with_magic, data):
        path = tmp_path / f"damaged{suffix}"
        path.write_bytes((MAGIC[suffix] if with_magic else b"") + data)
        for item in read_file(path):
            if isinstance(item, IngestError):
                assert "damaged" in str(item) and "\n" not in str(item)

    check()


def test_sidecars_are_not_documents_in_folders_and_globs(tmp_path):
    (tmp_path / "talk.json").write_text(json.dumps(WHISPERX), encoding="utf-8")
    (tmp_path / "talk.rttm").write_text("SPEAKER talk 1 0.0 2.0 <NA> <NA> A <NA> <NA>\n", encoding="utf-8")
    (tmp_path / "talk.speakers.yaml").write_text("SPEAKER_00: Interviewer\n", encoding="utf-8")
    for source in (tmp_path, tmp_path / "talk.*"):
        assert [d.id for d in iter_documents([str(source)])] == ["talk"]


def test_docx_tracked_insertions_are_read_and_deletions_are_not(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("The council said the bridge ")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph._p.append(parse_xml(f'<w:ins xmlns:w="{w}" w:id="1" w:author="ed"><w:r><w:t>will reopen</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del xmlns:w="{w}" w:id="2" w:author="ed"><w:r><w:delText>stays shut'
                                  f'</w:delText></w:r></w:del>'))
    paragraph.add_run(" in May.")
    path = tmp_path / "tracked.docx"
    document.save(path)
    (doc,) = read(path)
    assert doc.text == "The council said the bridge will reopen in May."


def test_a_scan_is_ocred_when_ocrmypdf_is_installed(tmp_path, monkeypatch):
    """ocrmypdf is an optional system tool; a stand-in on PATH that writes a PDF with a text layer
    checks how sayso calls it and reads its output."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    scanned = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scanned))
    pdf.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 50, 500)
    pdf.showPage()
    pdf.save()
    layer = tmp_path / "layer.pdf"
    make_pdf(layer)
    tool = tmp_path / "bin" / "ocrmypdf"
    tool.parent.mkdir()
    tool.write_text(f"#!/bin/sh\n[ \"$1\" = --skip-text ] || exit 2\ncp {layer} \"$4\"\n", encoding="utf-8")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tool.parent}:/usr/bin:/bin")
    (doc,) = read(scanned)
    assert doc.id == "scan" and doc.path == str(scanned) and "said Tomas Brandt" in doc.text
    assert len(doc.page_starts) == 2 and any("OCR" in w for w in doc.warnings)


def test_a_real_scan_is_read_by_ocr_when_the_ocr_extra_and_tesseract_are_installed(tmp_path):
    """The real tools, where they are: `pip install -e '.[ocr]'` and Debian's tesseract-ocr."""
    import shutil

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image, ImageDraw, ImageFont

    from sayso.ingest.pdf import _ocrmypdf

    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if _ocrmypdf() is None or shutil.which("tesseract") is None or not font.exists():
        pytest.skip("ocrmypdf, tesseract or the DejaVu font is not installed")
    image = Image.new("RGB", (1700, 400), "white")
    ImageDraw.Draw(image).text((60, 120), "The ferry crews returned on Monday.", fill="black",
                               font=ImageFont.truetype(str(font), 64))
    scanned = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scanned))
    pdf.drawImage(ImageReader(image), 40, 500, width=510, height=120)
    pdf.showPage()
    pdf.save()
    (doc,) = read(scanned)
    assert "ferry crews returned on Monday" in doc.text and any("OCR" in w for w in doc.warnings)


def test_pdf_in_two_columns_reads_down_the_left_column_first(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    paragraphs = [f"Paragraph {n} tells how the ferry crews of the lake town spent week {n} of the strike, "
                  f"who paid their wages, and what the operator promised them before the talks began again."
                  for n in range(1, 31)]
    width, height = A4
    column = (width - 2 * 72 - 20) / 2
    template = BaseDocTemplate(str(tmp_path / "columns.pdf"), pagesize=A4)
    template.addPageTemplates([PageTemplate(frames=[Frame(72, 72, column, height - 144),
                                                    Frame(72 + column + 20, 72, column, height - 144)])])
    template.build([Paragraph(p, getSampleStyleSheet()["BodyText"]) for p in paragraphs])
    (doc,) = read(tmp_path / "columns.pdf")
    flat = " ".join(doc.text.split())
    assert flat == " ".join(paragraphs)
    assert len(doc.page_starts) >= 2


def test_pdf_sentences_and_words_run_on_over_column_and_page_breaks(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    path = tmp_path / "runon.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(72, height - 100, "The harbour master said the ferry")
    pdf.drawString(72, height - 115, "would carry")
    pdf.drawString(width / 2 + 20, height - 100, "more passengers than the old")
    pdf.drawString(width / 2 + 20, height - 115, "one, and that the re-")
    pdf.showPage()
    pdf.drawString(72, height - 100, "pairs were finished.")
    pdf.drawString(72, height - 130, "A new paragraph starts here.")
    pdf.showPage()
    pdf.save()
    (doc,) = read(path)
    assert doc.text == ("The harbour master said the ferry would carry more passengers than the old one, "
                        "and that the repairs were finished.\n\nA new paragraph starts here.")
    assert doc.text[doc.page_starts[1]:].startswith("pairs were finished.")
