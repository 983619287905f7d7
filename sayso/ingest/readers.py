"""One reader per file kind. Each takes a path and yields `Document`s (or `ReadError`s for
single bad records inside a multi-document file such as JSON Lines)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from ..model import Document
from .transcripts import parse_subtitles


class ReadError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def normalise(text: str) -> str:
    """The text sayso stores and every offset points into: one newline style, no BOM,
    no trailing blank space at the end."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").rstrip()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_document(doc_id: str, text: str, **meta) -> Document:
    text = normalise(text)
    if not text.strip():
        raise ReadError("empty document: no text to analyse", meta.pop("line", None))
    meta.pop("line", None)
    return Document(id=doc_id, text=text, text_sha256=sha256(text), **meta)


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, or fall back to the most likely encoding and say so."""
    if b"\x00" in data[:8192]:
        raise ReadError("binary file: not a text document")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("binary or undecodable file: not a text document")
    return str(best), f"not valid UTF-8; decoded as {best.encoding}"


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    return data


def read_text(path: Path) -> Iterator[Document]:
    text, warning = decode(read_bytes(path))
    doc = make_document(path.stem, text, path=str(path), title=_first_line_title(text))
    if warning:
        doc.warnings.append(warning)
    yield doc


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200] if len(line) <= 200 and not line.endswith((".", ":")) else None
    return None


def read_html(path: Path) -> Iterator[Document]:
    import trafilatura

    html, warning = decode(read_bytes(path))
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is None:
        raise ReadError("HTML has no main text that could be extracted")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = data.get("text") or ""
    if len(text.split()) < 10 and trafilatura.bare_extraction(html, fast=True, favor_precision=True) is None:
        text = ""  # the default extractor fell back to menus or link text: there is no article
    if not text.strip():
        raise ReadError("HTML has no main text that could be extracted")
    title = data.get("title")
    doc = make_document(path.stem, text, path=str(path), title=title, url=data.get("url"),
                        date=data.get("date"), source=data.get("sitename"))
    if warning:
        doc.warnings.append(warning)
    yield doc


def read_jsonl(path: Path) -> Iterator[Document | ReadError]:
    raw, warning = decode(read_bytes(path))
    for number, line in enumerate(raw.splitlines(), start=1):
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
            doc = make_document(doc_id, record["text"], path=str(path), line=number,
                                **{k: _str_or_none(record.get(k)) for k in ("title", "url", "date", "source")})
        except ReadError as err:
            yield ReadError(err.message, number)
            continue
        if warning:
            doc.warnings.append(warning)
        yield doc


def _str_or_none(value) -> str | None:
    return None if value is None else str(value)


def read_subtitles(path: Path) -> Iterator[Document]:
    """WebVTT and SRT: cues become `NAME: text` turns so the transcript reader handles them."""
    raw, warning = decode(read_bytes(path))
    text = parse_subtitles(raw)
    if not text.strip():
        raise ReadError("no subtitle cues found")
    doc = make_document(path.stem, text, path=str(path))
    if warning:
        doc.warnings.append(warning)
    yield doc


READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".vtt": read_subtitles,
    ".srt": read_subtitles,
}
