"""Citations of stored quotes: what a researcher pastes into a paper.

Every citation names the speaker, the outlet and date, the title, the page (PDF) or timecode
(speech), the URL, and gives the words exactly as the stored text has them. A direct quote is
"quoted in" its source; reported speech is "reported in" it (the words are the writer's).
"""
from __future__ import annotations

import re
from datetime import date as Date
from pathlib import PurePath
from urllib.parse import urlsplit

STYLES = ("apa", "chicago", "plain")
_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


class CitationError(LookupError):
    pass


def cite(store, doc_id: str, quote_id: str, style: str = "apa") -> str:
    """The citation of quote `quote_id` of document `doc_id` in a store, in `style`."""
    if style not in STYLES:
        raise CitationError(f"unknown style {style!r}: use one of {', '.join(STYLES)}")
    document = store.document(doc_id)
    if document is None:
        raise CitationError(f"no document {doc_id!r} in the store")
    quote = store.conn.execute("SELECT * FROM reviewed_quotes WHERE doc_id = ? AND id = ? AND review_status <> 'rejected'", (doc_id, quote_id)).fetchone()
    if quote is None:
        raise CitationError(f"no quote {quote_id!r} in document {doc_id!r}")
    return format_citation(dict(document), dict(quote), style)


def format_citation(document: dict, quote: dict, style: str = "apa") -> str:
    parts = _parts(document, quote)
    return {"apa": _apa, "chicago": _chicago, "plain": _plain}[style](parts)


def _parts(document: dict, quote: dict) -> dict:
    url = document.get("url")
    # where the words were published; for a file with no outlet or URL (a recording, a memo), the file
    outlet = (document.get("source") or (urlsplit(url).netloc.removeprefix("www.") if url else None)
              or (PurePath(document["path"]).name if document.get("path") else None))
    return {
        "speaker": quote.get("speaker_name") or quote.get("speaker_mention") or "Unknown speaker",
        "verb": "quoted" if quote.get("kind") == "direct" else "reported",
        "outlet": outlet,
        "title": document.get("title"),
        "date": _parse_date(document.get("date")),
        "raw_date": document.get("date"),
        "page": quote.get("page"),
        "timecode": _timecode(quote.get("start_s"), quote.get("end_s")),
        "url": url,
        "words": _words(quote.get("text") or ""),
    }


def _words(text: str) -> str:
    """The quoted words as stored, without the marks around them or the comma that led back into
    the sentence ("... safe," said ...)."""
    return text.strip().strip(_QUOTE_MARKS).strip().rstrip(",;:").rstrip()


def _parse_date(raw: str | None) -> Date | None:
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", raw or "")
    try:
        return Date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


def _timecode(start: float | None, end: float | None) -> str | None:
    if start is None:
        return None
    clock = _clock(start)
    return f"{clock}\u2013{_clock(end)}" if end is not None and end > start else clock


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _locator(p: dict, page_word: str = "p. ") -> str | None:
    if p["page"]:
        return f"{page_word}{p['page']}"
    return p["timecode"]


def _joined(*pieces: str | None, sep: str = ", ") -> str:
    return sep.join(piece for piece in pieces if piece)


def _plain(p: dict) -> str:
    when = p["date"].isoformat() if p["date"] else p["raw_date"]
    source = _joined(p["outlet"], f"({when})" if when else None, sep=" ") or None
    head = _joined(p["speaker"], f"{p['verb']} in {source}" if source else f"{p['verb']}",
                   f"\u2018{p['title']}\u2019" if p["title"] else None, _locator(p), p["url"])
    return f"{head}: \u201c{p['words']}\u201d"


def _apa(p: dict) -> str:
    """APA 7: the words with their in-text citation (Speaker, as quoted in Outlet, Year, p. N),
    then the reference entry: Outlet. (Year, Month Day). Title. URL"""
    d = p["date"]
    year = str(d.year) if d else (p["raw_date"] or "n.d.")
    when = f"{d.year}, {d.strftime('%B')} {d.day}" if d else year
    in_text = _joined(p["speaker"], f"as {p['verb']} in {p['outlet']}" if p["outlet"] else f"as {p['verb']}",
                      year, _locator(p))
    reference = _joined(f"{p['outlet'] or p['title'] or 'Untitled'}. ({when}).",
                        f"{p['title']}." if p["title"] and p["outlet"] else None, p["url"], sep=" ")
    return f"\u201c{p['words']}\u201d ({in_text}). {reference}"


def _chicago(p: dict) -> str:
    """A Chicago note: Speaker, quoted in "Title," Outlet, Month Day, Year, page, URL."""
    d = p["date"]
    when = f"{d.strftime('%B')} {d.day}, {d.year}" if d else p["raw_date"]
    rest = _joined(p["outlet"], when, _locator(p, ""), p["url"])
    head = f"{p['speaker']}, {p['verb']} in"
    if p["title"]:
        head += f" \u201c{p['title']},\u201d" if rest else f" \u201c{p['title']}\u201d"
    note = f"{head} {rest}" if rest else head
    return f"{note}: \u201c{p['words']}\u201d"
