"""Text with its facts marked, as segments a template can render safely (escaping stays with the
template): every stretch of text carries the marks of the facts over it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    classes: list[str] = field(default_factory=list)
    title: str = ""
    href: str | None = None
    quote_id: str | None = None


def segments(text: str, analysis) -> list[Segment]:
    spans = []  # (start, end, class, title, href, quote id)
    for q in analysis.quotes:
        who = q.speaker.name or q.speaker.mention or "unknown speaker"
        title = f"{q.kind.replace('_', ' ')} quote · cue: {q.cue or '-'} · speaker: {who}"
        href = f"/speakers/{quote_path(q.speaker.name)}" if q.speaker.name else None
        spans.append((q.start, q.end, f"quote {q.kind}", title, href, q.id))
    for p in analysis.places:
        where = f"{p.name} ({p.country})" if p.lat is not None else f"{p.name} (not resolved)"
        spans += [(m.start, m.end, "place", where, None, None) for m in p.mentions]
    for c in analysis.counts:
        number = f"{c.number:g}" + (f"-{c.upper:g}" if c.upper is not None else "")
        spans.append((c.start, c.end, "count", f"count: {number} {c.object}"
                      + (f" ({c.qualifier})" if c.qualifier else "") + (f" · event: {c.event}" if c.event else "")
                      + (f" · claimed by: {c.claimed_by}" if c.claimed_by else ""),
                      None, None))
    for c in analysis.corrections:
        spans.append((c.start, c.end, "correction", f"correction - was: {c.wrong or '?'}; is: {c.right or '?'}",
                      None, None))
    for e in analysis.entities:
        if e.label == "PERSON":
            spans += [(m.start, m.end, "person", f"person: {e.name}", None, None) for m in e.mentions]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in spans if s[0] <= a and b <= s[1]]
        quote = next((s for s in active if s[2].startswith("quote")), None)
        out.append(Segment(text[a:b], [c for s in active for c in s[2].split()],
                           " | ".join(s[3] for s in active), quote[4] if quote else None,
                           quote[5] if quote else None))
    return out


def quote_path(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def mark_terms(text: str, query: str | None) -> list[tuple[str, bool]]:
    """Split text into (part, matched) so the words of a search can be highlighted."""
    words = [w for w in re.findall(r"\w+", query or "") if len(w) > 1]
    if not words:
        return [(text, False)]
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)
    parts, pos = [], 0
    for m in pattern.finditer(text):
        parts += [(text[pos:m.start()], False), (m.group(), True)]
        pos = m.end()
    parts.append((text[pos:], False))
    return [p for p in parts if p[0]]
