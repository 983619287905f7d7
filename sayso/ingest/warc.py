"""Web archives: .warc and .warc.gz, read as a stream with warcio (flat memory on any size).

One document per HTML response: the main text through trafilatura, the page's title and site,
the URL the crawler fetched and the page's date (the capture date when the page gives none).
Requests, metadata and other records are passed over; responses that are not HTML (images,
scripts, style sheets: every crawl has them) are counted and reported once per archive as a
warning; a record that cannot be read is an error naming the file and the record.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..model import Document
from .readers import html_document
from .text import ReadError, decode

MAX_PAGE = 20 * 1024 * 1024  # an HTML response larger than this is not an article
_SLUG = re.compile(r"[^\w.-]+")


def read_warc(path: Path) -> Iterator[Document | ReadError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    skipped: dict[str, int] = {}
    number = 0
    pending: Document | None = None  # held back one step so the archive's warning can ride on a document
    with path.open("rb") as stream:
        if stream.read(5) != b"WARC/" and not _gzip_warc(path):
            raise ReadError("not a WARC file: it does not start with a WARC/ record header")
        stream.seek(0)
        records = ArchiveIterator(stream, check_digests=False)
        try:
            for record in records:
                number += 1
                result = _record_document(record, number, path, skipped)
                if result is None:
                    continue
                if isinstance(result, Document):
                    if pending is not None:
                        yield pending
                    pending = result
                else:
                    yield result
        except ArchiveLoadFailed as err:
            if number == 0:
                raise ReadError(f"not a WARC file ({_first_line(err)})") from None
            yield ReadError(f"record {number + 1}: not a readable WARC record ({_first_line(err)})")
        except (OSError, EOFError, ValueError, zlib.error) as err:  # truncated or damaged gzip member
            yield ReadError(f"record {number + 1}: damaged archive ({_first_line(err)})")
        else:
            if number and records.offset < path.stat().st_size:  # a last gzip member cut short
                yield ReadError(f"record {number + 1}: the archive ends inside this record (truncated); "
                                "the records before it are read")
    if number == 0:
        raise ReadError("not a WARC file: no records")
    note = _skipped_note(skipped)
    if pending is not None:
        if note:
            pending.warnings.append(note)
        yield pending
    elif note:
        yield ReadError(f"no HTML responses; {note}")


def _record_document(record, number: int, path: Path, skipped: dict[str, int]) -> Document | ReadError | None:
    if record.rec_type != "response":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    content_type = (http.get_header("Content-Type") if http else "") or ""
    status = http.get_statuscode() if http else None
    mime = content_type.split(";")[0].strip().lower()
    if mime not in ("text/html", "application/xhtml+xml") or (status and not status.startswith("2")):
        key = mime or "no content type"
        if status and not status.startswith("2"):
            key = f"HTTP {status}"
        skipped[key] = skipped.get(key, 0) + 1
        return None
    where = f"record {number} ({url})"
    payload = record.content_stream().read(MAX_PAGE + 1)
    if len(payload) > MAX_PAGE:
        return ReadError(f"{where}: HTML response larger than {MAX_PAGE // 2**20} MB, skipped")
    if getattr(record.raw_stream, "limit", 0) > 0:  # the record's declared length was not there to read
        return ReadError(f"{where}: the archive ends inside this record (truncated), skipped")
    try:
        html = _decode_html(payload, content_type)
        capture = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
        doc = html_document(_doc_id(path, url, number), html, path=str(path), url=url or None)
        doc.date = doc.date or capture
        return doc
    except ReadError as err:
        return ReadError(f"{where}: {err.message}")


def _gzip_warc(path: Path) -> bool:
    import gzip

    try:
        with gzip.open(path, "rb") as stream:
            return stream.read(5) == b"WARC/"
    except (OSError, EOFError, zlib.error):
        return False


def _decode_html(payload: bytes, content_type: str) -> str:
    charset = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    if charset:
        try:
            return payload.decode(charset.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(payload)[0]


def _doc_id(path: Path, url: str, number: int) -> str:
    tail = _SLUG.sub("-", re.sub(r"^https?://(www\.)?", "", url)).strip("-")[:80]
    return tail or f"{path.name}-{number}"


def _skipped_note(skipped: dict[str, int]) -> str | None:
    if not skipped:
        return None
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items(), key=lambda kv: -kv[1]))
    return f"responses that are not HTML articles passed over: {kinds}"


def _first_line(err: Exception) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:200]
