"""One reader per file kind. Each takes a path and yields `Document`s (or `ReadError`s for
single bad records inside a multi-document file such as JSON Lines)."""
from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from ..model import Document
from .text import ReadError, decode, normalise
from .titles import headline
from .transcripts import find_turns


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_document(doc_id: str, text: str, **meta) -> Document:
    text = normalise(text)
    if not text.strip():
        raise ReadError("empty document: no text to analyse", meta.pop("line", None))
    meta.pop("line", None)
    return Document(id=doc_id, text=text, text_sha256=sha256(text), **meta)


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    return data


def read_text(path: Path) -> Iterator[Document]:
    text, warning = decode(read_bytes(path))
    doc = make_document(path.stem, text, path=str(path), title=title_of(normalise(text)))
    if warning:
        doc.warnings.append(warning)
    yield doc


def title_of(text: str) -> str | None:
    """The headline of a plain text: its first line that is not site chrome (never a transcript turn,
    unless that "turn" is a headline in title case with prose under it: "Mayor Lund: Water Is Back")."""
    turns = find_turns(text)
    if len(turns) > 1 and _headline_like_turn(text, turns[0].start, turns[1].start):
        return headline(text, not_before=turns[1].start)
    return headline(text, not_before=turns[0].start if turns else None)


def _headline_like_turn(text: str, start: int, next_turn: int) -> bool:
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", start)
    next_line = text.rfind("\n", 0, next_turn) + 1  # where the next turn's label starts
    if line_end < 0 or not _only_chrome(text[:line_start]) or not text[line_end:next_line].strip():
        return False  # not the first real line, or a turn followed by the next turn
    long_words = [w for w in text[line_start:line_end].split() if sum(c.isalpha() for c in w) >= 4]
    capitals = sum(w.lstrip("\"'\u2018\u201c")[:1].isupper() for w in long_words)
    return bool(long_words) and capitals >= 0.7 * len(long_words)


def _only_chrome(text: str) -> bool:
    from .titles import is_chrome

    return all(is_chrome(line) for line in text.split("\n"))


def read_html(path: Path) -> Iterator[Document]:
    html, warning = decode(read_bytes(path))
    doc = html_document(path.stem, html, path=str(path))
    if warning:
        doc.warnings.append(warning)
    yield doc


def html_document(doc_id: str, html: str, **meta) -> Document:
    """The main text of an HTML page through trafilatura, with its title, date, URL and site;
    metadata given in `meta` (a crawl's URL and date) wins over what the page says."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is None:
        raise ReadError("HTML has no main text that could be extracted")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = data.get("text") or ""
    if len(text.split()) < 10 and trafilatura.bare_extraction(html, fast=True, favor_precision=True) is None:
        text = ""  # the default extractor fell back to menus or link text: there is no article
    if not text.strip():
        raise ReadError("HTML has no main text that could be extracted")
    found = {"title": data.get("title"), "url": data.get("url"), "date": data.get("date"),
             "source": data.get("sitename")}
    found.update({k: v for k, v in meta.items() if v is not None})
    return make_document(doc_id, text, **found)


def read_jsonl(path: Path) -> Iterator[Document | ReadError]:
    raw, warning = decode(read_bytes(path))
    for number, line in enumerate(raw.split("\n"), start=1):  # not splitlines: U+0085 may be inside a record
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield ReadError(f"malformed JSON: {err.msg} (column {err.colno})", number)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield ReadError('each line must be a JSON object with a "text" string', number)
            continue
        doc_id = str(record.get("id") or f"{path.stem}-{number}")
        try:
            meta = {k: _str_or_none(record.get(k)) for k in ("title", "url", "date", "source", "language")}
            meta["language"] = meta["language"] and meta["language"].strip().lower()
            if not meta["title"]:
                meta["title"] = title_of(normalise(record["text"]))
            doc = make_document(doc_id, record["text"], path=str(path), line=number, **meta)
        except ReadError as err:
            yield ReadError(err.message, number)
            continue
        if warning:
            doc.warnings.append(warning)
        yield doc


def _str_or_none(value) -> str | None:
    return None if value is None else str(value)


def _later(module: str, name: str) -> Callable[[Path], Iterator]:
    """A reader whose module (and its library) is imported only when a file of its kind comes."""
    def reader(path: Path):
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(path)
    reader.__name__ = name
    return reader


READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".vtt": _later("speech", "read_subtitles"),
    ".srt": _later("speech", "read_subtitles"),
    ".docx": _later("office", "read_docx"),
    ".odt": _later("office", "read_odt"),
    ".rtf": _later("office", "read_rtf"),
    ".doc": _later("office", "read_doc"),
    ".pdf": _later("pdf", "read_pdf"),
    ".eml": _later("mail", "read_eml"),
    ".mbox": _later("mail", "read_mbox"),
    ".warc": _later("warc", "read_warc"),
    ".warc.gz": _later("warc", "read_warc"),
    ".rss": _later("feeds", "read_feed_file"),
    ".atom": _later("feeds", "read_feed_file"),
    ".json": _later("speech", "read_speech_json"),
}


def kind_of(path: Path) -> str | None:
    """The READERS key for a file name (the longest matching ending: `.warc.gz` before `.gz`)."""
    name = path.name.lower()
    matches = [suffix for suffix in READERS if name.endswith(suffix)]
    return max(matches, key=len) if matches else None
