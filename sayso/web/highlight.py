"""Text with its facts marked, as segments a template can render safely (escaping stays with the
template): every stretch of text carries the marks of the facts over it. The segments' text put
together is exactly the stored text, so a selection in the page maps back to character offsets."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import quote as url_quote

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from ..extract.corrections import CLAIM_SAYS
from ..model import parts_from_json, spoken_text


@dataclass
class Segment:
    text: str
    classes: list[str] = field(default_factory=list)
    title: str = ""
    href: str | None = None
    quote_id: str | None = None  # the innermost quote over this stretch
    anchors: list[str] = field(default_factory=list)  # ids of the facts that start here (q3, n1, c1)
    facts: list[str] = field(default_factory=list)  # ids of the counts, notices and claims over this stretch
    label: str | None = None  # the speaker, shown after the last stretch of their quote


def spoken(row: dict) -> str:
    """The words said in a quote row of a list: its passages, without the attribution between."""
    return spoken_text(row["text"], row["start"], parts_from_json(row.get("parts")))


def quote_path(name: str) -> str:
    return url_quote(name, safe="")


def _quote_spans(quotes, reviews) -> list[tuple]:
    spans = []
    for q in quotes:
        who = q.speaker.name or q.speaker.mention or "unknown speaker"
        status = (reviews or {}).get(q.id, {}).get("status")
        title = f"{q.kind.replace('_', ' ')} quote · cue: {q.cue or '-'} · speaker: {who}" + \
            (f" · {status}" if status and status != "unreviewed" else "")
        classes = f"quote {q.kind}" + (f" review-{status}" if status else "")
        passages = q.parts or [[q.start, q.end]]  # the attribution between passages is not marked
        for n, (start, end) in enumerate(passages):
            last = n == len(passages) - 1
            spans.append((start, end, classes + (" continued" if n else ""), title, f"#row-{q.id}", q.id,
                          who if last else None))
    return spans


def _fact_spans(analysis, registry: dict[str, str]) -> list[tuple]:
    spans = []
    for p in analysis.places:  # the quotes that mention this place, not its namesakes elsewhere
        where = f"{p.name} ({p.country})" if p.lat is not None else f"{p.name} (not resolved)"
        href = "/quotes?place=" + quote_path(f"{p.name}|{p.country or ''}")
        spans += [(m.start, m.end, "place", where, href, None, None) for m in p.mentions]
    for n, c in enumerate(analysis.counts, start=1):
        number = f"{c.number:g}" + (f"-{c.upper:g}" if c.upper is not None else "")
        spans.append((c.start, c.end, "count", f"count: {number} {c.object}"
                      + (f" ({c.qualifier})" if c.qualifier else "") + (f" · event: {c.event}" if c.event else "")
                      + (f" · claimed by: {c.claimed_by}" if c.claimed_by else ""), None, f"n{n}", None))
    for n, c in enumerate(analysis.corrections, start=1):
        spans.append((c.start, c.end, "correction", f"correction - was: {c.wrong or '?'}; is: {c.right or '?'}",
                      None, f"c{n}", None))
        if c.claim_start is not None:
            spans.append(_claim_span(n, c))
    speakers = {q.speaker.name for q in analysis.quotes}
    for e in analysis.entities:
        if e.label == "PERSON":  # their page in the collection, else the quotes that name them
            href = f"/speakers/{quote_path(registry[e.id])}" if e.id in registry else \
                f"/speakers/{quote_path(e.name)}" if e.name in speakers else f"/quotes?q={quote_path(e.name)}"
            spans += [(m.start, m.end, "person", f"person: {e.name}", href, None, None) for m in e.mentions]
    return spans


def _claim_span(n: int, c) -> tuple:
    """The body's sentence a notice is about, linked to the notice's row."""
    value = c.right if c.claim_says == "right" else c.wrong
    title = f"passage of correction c{n}: {CLAIM_SAYS.get(c.claim_says, '')} ({value or '?'})"
    classes = f"correction-passage says-{c.claim_says}"
    return (c.claim_start, c.claim_end, classes, title, f"#row-c{n}", f"c{n}-claim", None)


def segments(text: str, analysis, reviews: dict | None = None, registry: dict | None = None) -> list[Segment]:
    """`reviews`: quote id -> review object, to mark each quote's review status; `registry`: the
    document's entity id -> its collection registry id, for links to people's pages."""
    quote_spans = _quote_spans(analysis.quotes, reviews)
    spans = quote_spans + _fact_spans(analysis, registry or {})  # (start, end, classes, title, href, id, label)
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in spans if s[0] <= a and b <= s[1]]
        quotes = [s for s in active if s[2].startswith("quote")]
        inner = min(quotes, key=lambda s: s[1] - s[0]) if quotes else None
        linked = inner or next((s for s in active if s[4]), None)
        segment = Segment(text[a:b], [c for s in active for c in s[2].split()], " | ".join(s[3] for s in active),
                          linked[4] if linked else None, inner[5] if inner else None,
                          [s[5] for s in active if s[5] and s[0] == a and "continued" not in s[2]],
                          [s[5] for s in active if s[5] and s not in quotes])
        ending = [s for s in quotes if s[1] == b and s[6]]
        if ending:
            segment.label = " · ".join(s[6] for s in ending)
        out.append(segment)
    return out


def safe_url(url: str | None) -> str | None:
    """The document's URL if it is http(s), for a link; anything else is shown, never linked."""
    return url if url and re.match(r"https?://[^\s]+$", url, re.IGNORECASE) else None


def urlencode(value) -> str:
    """Jinja's urlencode filter, each string encoded once (a list page links every row's speaker
    and document, mostly the same few)."""
    return _url_part(value) if isinstance(value, str) else do_urlencode(value)


@functools.lru_cache(maxsize=8192)
def _url_part(value: str) -> str:
    return do_urlencode(value)


def marked_html(text: str, query: str | None) -> Markup:
    """`text` as HTML, escaped, with the words of a search in <mark> (fifty times a page: escaped
    once, marked in one pass)."""
    escaped = escape(text)
    pattern = _terms(query or "")
    return escaped if pattern is None else Markup(pattern.sub(r"<mark>\1</mark>", str(escaped)))


@functools.lru_cache(maxsize=256)
def _terms(query: str) -> re.Pattern | None:
    """The words of a search as one pattern over escaped text (compiled once per search, not per
    row). Escaping leaves words alone; a word right after "&" or "&#" is part of an escape
    (&amp; &#39;), since escaped text has no other "&"."""
    words = [w for w in re.findall(r"\w+", query) if len(w) > 1]
    return re.compile(r"(?<!&)(?<!&#)\b(" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE) \
        if words else None
