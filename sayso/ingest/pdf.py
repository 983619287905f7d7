"""PDF through pdfminer.six: text in reading order, with the page each stretch of text is on.

Per page: text boxes are read top to bottom, a two-column stretch left column first (a box as
wide as the page, such as a headline, closes the stretch); lines of a box are joined, a word
hyphenated at a line end is joined again; running headers, footers and page numbers (short lines
at the top or bottom of a page that repeat across pages, or are just a number) are left out.
`Document.page_starts` records where each page starts in the stored text, so quotes get `page`.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Document
from .readers import make_document, title_of
from .text import ReadError, normalise

SCANNED = "scanned PDF: no text layer; run OCR first, e.g. ocrmypdf"  # or install ocrmypdf: sayso then runs it
MARGIN = 0.1  # share of the page height where running headers and footers live
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-\u2013\u2014\s]*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-\u2013\u2014\s]*$", re.IGNORECASE)
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    width: float
    height: float
    boxes: list[Box]
    images: int


def read_pdf(path: Path) -> Iterator[Document]:
    pages = _layout(path)
    if not any(b.text.strip() for p in pages for b in p.boxes):
        if not pages:
            raise ReadError("empty PDF: no pages")
        yield _ocr_document(path)
        return
    yield _pdf_document(path, pages)


def _pdf_document(path: Path, pages: list[Page]) -> Document:
    running = _running_lines(pages)
    texts = [_page_text(page, running) for page in pages]
    text, page_starts = _join_pages(texts)
    if not text.strip():
        raise ReadError(SCANNED)
    title = _pdf_title(path) or title_of(text)
    doc = make_document(path.stem, text, path=str(path), title=title)
    doc.page_starts = page_starts
    return doc


def _ocr_document(path: Path) -> Document:
    """A scan: OCRed with ocrmypdf when it is installed (`pip install 'sayso[ocr]'` and Debian's
    tesseract-ocr, or any ocrmypdf on PATH), else refused."""
    import subprocess
    import tempfile

    ocrmypdf = _ocrmypdf()
    if ocrmypdf is None:
        raise ReadError(SCANNED)
    with tempfile.TemporaryDirectory(prefix="sayso-ocr-") as folder:
        ocred = Path(folder) / path.name
        run = subprocess.run([ocrmypdf, "--skip-text", "--quiet", str(path), str(ocred)],
                             capture_output=True, text=True, timeout=1800)
        pages = _layout(ocred) if run.returncode == 0 else []
        for box in (b for page in pages for b in page.boxes):  # the OCR layer spaces its words twice
            box.text = re.sub(r"(?<=\S) {2,}(?=\S)", " ", box.text)
        if not any(b.text.strip() for p in pages for b in p.boxes):
            reason = (run.stderr.strip().splitlines() or ["no text found"])[-1][:200]
            raise ReadError(f"scanned PDF: OCR with ocrmypdf failed ({reason})")
        doc = _pdf_document(ocred, pages)
    doc.id, doc.path = path.stem, str(path)
    doc.warnings.append("no text layer: the text was read by OCR (ocrmypdf) and may contain errors")
    return doc


def _ocrmypdf() -> str | None:
    """The ocrmypdf command: on PATH, else beside this Python (the optional extra installed in
    sayso's own environment, which need not be on PATH)."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "ocrmypdf"
    return shutil.which("ocrmypdf") or (str(beside) if beside.exists() else None)


def _layout(path: Path) -> list[Page]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages = []
    try:
        for layout in extract_pages(str(path), laparams=LAParams(boxes_flow=None)):  # our own reading order
            boxes = [Box(el.x0, el.y0, el.x1, el.y1, el.get_text()) for el in layout if isinstance(el, LTTextBox)]
            images = sum(isinstance(el, (LTImage, LTFigure)) for el in layout)
            pages.append(Page(layout.width, layout.height, boxes, images))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError("password-protected PDF: remove the password first (e.g. qpdf --decrypt)") from None
    except Exception as err:  # pdfminer raises many kinds on damaged files
        if "password" in str(err).lower() or "encrypt" in type(err).__name__.lower():
            raise ReadError("password-protected PDF: remove the password first (e.g. qpdf --decrypt)") from None
        message = (str(err).splitlines() or [type(err).__name__])[0][:200]
        raise ReadError(f"corrupt PDF: {message or type(err).__name__}") from None
    return pages


def _margin_lines(page: Page) -> Iterator[tuple[Box, str]]:
    for box in page.boxes:
        if box.y0 > page.height * (1 - MARGIN) or box.y1 < page.height * MARGIN:
            yield box, _shape(box.text)


def _shape(text: str) -> str:
    """A line with its numbers blanked: "Report 2026 - page 3" repeats as "Report # - page #"."""
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def _running_lines(pages: list[Page]) -> set[str]:
    """Shapes of short margin lines that repeat on at least half the pages (two pages at least)."""
    if len(pages) < 2:
        return set()
    seen = Counter(shape for p in pages for shape in {s for b, s in _margin_lines(p) if len(s) <= 120})
    return {shape for shape, n in seen.items() if n >= max(2, len(pages) / 2)}


def _page_text(page: Page, running: set[str]) -> str:
    kept = []
    for box in page.boxes:
        in_margin = box.y0 > page.height * (1 - MARGIN) or box.y1 < page.height * MARGIN
        line = " ".join(box.text.split())
        if in_margin and (_shape(box.text) in running or _PAGE_NUMBER.match(line)):
            continue
        kept.append(box)
    text = ""
    for box in _reading_order(kept, page.width):
        text = joined(text, _box_text(box))
    return text


def joined(before: str, after: str) -> str:
    """Two stretches of text (boxes, pages) with what belongs between them: nothing after a word
    hyphenated at the break, a space when a sentence runs on (no full stop before, a small letter
    after), else a paragraph break."""
    if not before or not after:
        return before or after
    if _HYPHENATED.search(before[-2:] + "\n" + after[:1]):
        return before[:-1] + after
    if before[-1] not in ".!?:;\"\u201d\u2019)" and after[0].islower():
        return f"{before} {after}"
    return f"{before}\n\n{after}"


def _reading_order(boxes: list[Box], width: float) -> list[Box]:
    """Top to bottom; where boxes sit side by side in two columns, the left column first. A box
    reaching across the middle of the page ends a run of columns."""
    middle = width / 2
    ordered, run = [], []
    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x0 < middle - 5 and box.x1 > middle + 5:
            ordered.extend(sorted(run, key=lambda b: (b.x0 >= middle, -b.y1)))
            run = []
            ordered.append(box)
        else:
            run.append(box)
    ordered.extend(sorted(run, key=lambda b: (b.x0 >= middle, -b.y1)))
    return ordered


def _box_text(box: Box) -> str:
    text = _HYPHENATED.sub("", box.text.strip())
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def _join_pages(texts: list[str]) -> tuple[str, list[int]]:
    """The pages' texts joined (a sentence running over a page break stays one), with the offset
    where each page's text starts."""
    whole, starts = "", []
    for text in texts:
        text = normalise(text).strip()
        before = len(whole)
        whole = joined(whole, text)
        starts.append(len(whole) - len(text) if text else before)
    return whole, starts


def _pdf_title(path: Path) -> str | None:
    """The document information title, when it is a real title (not a file name)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as handle:
            info = PDFDocument(PDFParser(handle)).info
            raw = resolve1(info[0].get("Title")) if info else None
    except Exception:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    title = " ".join(str(raw or "").split())
    if not title or title.lower().startswith(("untitled", "microsoft word")) or re.search(r"\.\w{2,4}$", title):
        return None
    return title[:200]
