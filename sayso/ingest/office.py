"""Word processor files: .docx (python-docx), .odt (odfpy), .rtf (striprtf); legacy .doc is refused
with a message.

Paragraphs come in order, a blank line between them; tables become text, a row per line;
footnotes follow the body. Interview transcripts typed in the usual ways become `NAME: text`
turns that the transcript reader handles: "Interviewer: ..." and "R1: ..." paragraphs already are
such turns; a bold name opening a paragraph and a two-column table of speaker | words are
turned into them.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..model import Document
from .readers import make_document, read_bytes, title_of
from .text import ReadError, decode

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of legacy .doc and of encrypted .docx/.odt
_SPEAKER = re.compile(r"^(?:[A-Z][\w.'\u2019-]*|R\d+|P\d+)(?:\s+[A-Z][\w.'\u2019-]*){0,3}$")


def read_docx(path: Path) -> Iterator[Document]:
    import docx

    _check_zip(path, "Word")
    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises many kinds on a damaged package
        raise ReadError(f"corrupt Word document: {_one_line(err)}") from None
    blocks, headings = _docx_blocks(document)
    blocks += _notes(_docx_footnotes(document))
    title = (document.core_properties.title or "").strip() or (headings[0] if headings else None)
    yield _document(path, blocks, title)


def _check_zip(path: Path, kind: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise ReadError(f"password-protected (encrypted) {kind} document: remove the password and save it again")
    if not zipfile.is_zipfile(path):
        raise ReadError(f"corrupt {kind} document: not a readable package")


def _docx_blocks(document) -> tuple[list[str], list[str]]:
    """Body paragraphs and tables in document order, and the headings met on the way."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks, headings = [], []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = _docx_paragraph(paragraph)
            if text and (paragraph.style is not None and paragraph.style.name.lower().startswith(("heading", "title"))):
                headings.append(text)
            blocks.append(text)
        elif tag == "tbl":
            rows = [["\n".join(_xml_text(p) for p in cell._tc.iterchildren(_W + "p")).strip()
                     for cell in _unique_cells(row)] for row in Table(child, document).rows]
            blocks.extend(table_lines(rows))
    return [b for b in blocks if b], headings


def _unique_cells(row):
    seen, cells = set(), []
    for cell in row.cells:  # a merged cell is returned once per grid column it spans
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _docx_paragraph(paragraph) -> str:
    """The paragraph's text; a bold name at its start becomes a `NAME: ` label."""
    text = _xml_text(paragraph._p).strip()
    runs = [r for r in paragraph.runs if r.text]
    bold = ""
    for run in runs:
        if not run.bold:
            break
        bold += run.text
    return _labelled(text, bold)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BREAKS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}


def _xml_text(paragraph) -> str:
    """All the text of a w:p, tracked insertions and hyperlinks included (deleted text is w:delText,
    field codes w:instrText: neither is read)."""
    parts = []
    for element in paragraph.iter(_W + "t", *_BREAKS):
        parts.append(element.text or "" if element.tag == _W + "t" else _BREAKS[element.tag])
    return "".join(parts)


def _labelled(text: str, bold: str) -> str:
    """`NAME: words` when the paragraph opens with a name in bold, else the text as it is."""
    label = bold.strip().rstrip(":").strip()
    if label and text.startswith(bold.strip()) and len(bold.strip()) < len(text) and _SPEAKER.match(label):
        rest = text[len(bold.strip()):].lstrip(" :\u2013\u2014-\t")
        if rest:
            return f"{label}: {rest}"
    return text


def table_lines(rows: list[list[str]]) -> list[str]:
    """A two-column table of speaker | words becomes turns; any other table a line per row."""
    rows = [r for r in rows if any(r)]
    named = [r for r in rows if len(r) == 2 and _SPEAKER.match(r[0].rstrip(":").strip() or "-") and r[1]]
    if rows and len(named) >= max(2, 0.8 * len(rows)):
        return [f"{r[0].rstrip(':').strip()}: {r[1]}" for r in named if not _is_header(r)]
    return [" | ".join(c for c in r if c) for r in rows]


def _is_header(row: list[str]) -> bool:
    return row[0].strip().rstrip(":").lower() in {"speaker", "name", "who"}


def _docx_footnotes(document) -> list[str]:
    from docx.oxml.ns import qn

    notes = []
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(qn("w:footnote")):
                if int(note.get(qn("w:id"), "0")) <= 0:
                    continue  # separators
                text = "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
                if text:
                    notes.append(text)
    return notes


def _notes(notes: list[str]) -> list[str]:
    """Footnotes under a "Notes" line, which also closes a transcript's last turn."""
    return ["Notes", *notes] if notes else []


def _document(path: Path, blocks: list[str], title: str | None) -> Document:
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise ReadError("empty document: no text to analyse")
    return make_document(path.stem, text, path=str(path), title=title or title_of(text))


def read_odt(path: Path) -> Iterator[Document]:
    _check_zip(path, "OpenDocument")
    try:
        from odf.opendocument import load

        document = load(str(path))
    except Exception as err:
        raise ReadError(f"corrupt OpenDocument file: {_one_line(err)}") from None
    blocks, headings, notes = [], [], []
    _odt_walk(document.text, blocks, headings, notes, _odt_bold_styles(document))
    yield _document(path, blocks + _notes(notes), _odt_title(document) or (headings[0] if headings else None))


def _odt_walk(node, blocks: list[str], headings: list[str], notes: list[str], bold: set[str]) -> None:
    for child in node.childNodes:
        name = getattr(child, "qname", (None, None))[1]
        if name in ("p", "h"):
            text = _odt_text(child, notes).strip()
            if name == "p":
                text = _labelled(text, _odt_bold_start(child, bold))
            blocks.append(text)
            if name == "h" and text:
                headings.append(text)
        elif name == "table":
            rows = [[_odt_text(cell, notes).strip() for cell in _children(row, "table-cell")]
                    for row in _descendants(child, "table-row")]
            blocks.extend(table_lines(rows))
        elif name in ("list", "list-item", "section", "list-header"):
            _odt_walk(child, blocks, headings, notes, bold)


def _odt_bold_styles(document) -> set[str]:
    """Names of the text styles that set bold type."""
    names = set()
    for styles in (document.automaticstyles, document.styles):
        for style in styles.childNodes:
            for props in getattr(style, "childNodes", []):
                if getattr(props, "qname", (None, None))[1] == "text-properties" and \
                        props.getAttribute("fontweight") == "bold":
                    names.add(style.getAttribute("name"))
    return names


def _odt_bold_start(paragraph, bold: set[str]) -> str:
    """The bold text at the start of a paragraph (spans in a bold style)."""
    start = ""
    for child in paragraph.childNodes:
        if getattr(child, "qname", (None, None))[1] != "span" or child.getAttribute("stylename") not in bold:
            break
        start += str(child)
    return start


def _odt_text(node, notes: list[str]) -> str:
    """Text of a paragraph; footnotes inside it are set aside for after the body."""
    parts = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
            continue
        name = child.qname[1]
        if name == "note":
            body = next(iter(_children(child, "note-body")), None)
            if body is not None:
                notes.append(" ".join(_odt_text(p, notes).strip() for p in body.childNodes if hasattr(p, "qname")))
        elif name == "s":
            parts.append(" " * int(child.getAttribute("c") or 1))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        else:
            parts.append(_odt_text(child, notes))
    return "".join(parts)


def _children(node, name: str) -> list:
    return [c for c in node.childNodes if getattr(c, "qname", (None, None))[1] == name]


def _descendants(node, name: str) -> list:
    found = []
    for child in node.childNodes:
        if getattr(child, "qname", (None, None))[1] == name:
            found.append(child)
        elif hasattr(child, "childNodes"):
            found.extend(_descendants(child, name))
    return found


def _odt_title(document) -> str | None:
    from odf import dc

    titles = document.meta.getElementsByType(dc.Title)
    return str(titles[0]).strip() or None if titles else None


def read_rtf(path: Path) -> Iterator[Document]:
    from striprtf.striprtf import rtf_to_text

    raw, warning = decode(read_bytes(path))
    if not raw.lstrip().startswith("{\\rtf"):
        raise ReadError("not an RTF file (it does not start with {\\rtf)")
    try:
        text = rtf_to_text(raw, errors="ignore")
    except Exception as err:
        raise ReadError(f"corrupt RTF: {_one_line(err)}") from None
    blocks = [b for b in re.split(r"\n\s*\n|\n", text)]
    doc = _document(path, blocks, None)
    if warning:
        doc.warnings.append(warning)
    yield doc


def read_doc(path: Path) -> Iterator[Document]:
    raise ReadError("legacy Word .doc is not read (no maintained Python library): "
                    "save it as .docx or .odt, e.g. libreoffice --headless --convert-to docx FILE.doc")
    yield  # a generator, like every reader


def _one_line(err: Exception) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:200]
