"""Find direct-quote spans from quotation marks, before any parsing.

Handles straight and curly marks (and mixtures of the two), quotes split by the speech verb,
quotes continued over paragraphs (an unclosed quote whose next paragraph opens with a mark),
single quotes nested in double ones, and unbalanced marks: an unclosed quote ends at its
paragraph end, so one stray mark never loses the rest of the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_DOUBLE = "\u201c\u201e\u00ab"  # “ „ «
CLOSE_DOUBLE = "\u201d\u00bb"  # ” »
AMBIGUOUS_DOUBLE = '"'
OPEN_SINGLE = "\u2018"  # ‘
SINGLE = "\u2018\u2019'"  # ‘ ’ '
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class QuoteSpan:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    nested_in: int | None = None  # index of the enclosing span in the returned list
    closed: bool = True  # False when the closing mark was missing


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: split on blank lines, or on every newline when there are none."""
    splitter = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    spans, pos = [], 0
    for m in splitter.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _role(text: str, i: int) -> str:
    """'open', 'close' or 'either' for the double mark at i, from its glyph and neighbours."""
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in OPEN_DOUBLE:  # '"It is unusual,“ said Roe': an opening glyph typed for a closing one
        return "close" if before in ",.?!" and after.isspace() else "open"
    if ch in CLOSE_DOUBLE:
        return "close"
    opens = before.isspace() or before in "([{\u2014\u2013-:;/" or i == 0
    closes = after.isspace() or after in ".,;:!?)]}\u2014\u2013-" or i + 1 == len(text)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _double_spans(text: str, start: int, end: int) -> tuple[list[QuoteSpan], int | None]:
    """Quotes inside one paragraph; returns them and the position of a mark left open."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in OPEN_DOUBLE and ch not in CLOSE_DOUBLE and ch != AMBIGUOUS_DOUBLE:
            continue
        role = _role(text, i)
        if open_at is None:
            if role != "close":
                open_at = i
        elif role == "open":  # a new quote opens before the last one closed
            spans.append(QuoteSpan(open_at + 1, _trim_end(text, open_at + 1, i), closed=False))
            open_at = i
        else:
            spans.append(QuoteSpan(open_at + 1, i))
            open_at = None
    return spans, open_at


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _starts_with_open_mark(text: str, start: int, end: int) -> bool:
    stripped = text[start:end].lstrip()
    return bool(stripped) and (stripped[0] in OPEN_DOUBLE or stripped[0] == AMBIGUOUS_DOUBLE)


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All direct-quote spans in reading order; nested single-quoted spans point to their parent."""
    result: list[QuoteSpan] = []
    carried: int | None = None  # start of a quote continued from an earlier paragraph
    paras = paragraphs(text)
    for n, (p_start, p_end) in enumerate(paras):
        spans, left_open = _double_spans(text, p_start, p_end)
        if carried is not None:
            if spans:
                spans[0].start = carried  # the continuation closes here
            else:
                left_open = left_open if left_open is not None else p_start
        if carried is not None and not spans:
            open_from = carried
        else:
            open_from = left_open + 1 if left_open is not None else None
        carried = None
        if open_from is not None:
            next_continues = n + 1 < len(paras) and _starts_with_open_mark(text, *paras[n + 1])
            if next_continues:
                carried = open_from
            else:
                spans.append(QuoteSpan(open_from, _trim_end(text, open_from, p_end), closed=False))
        result.extend(spans)
    if carried is not None:
        result.append(QuoteSpan(carried, _trim_end(text, carried, len(text)), closed=False))
    result = [s for s in result if text[s.start:s.end].strip()]
    return _with_nested(text, result)


def _with_nested(text: str, spans: list[QuoteSpan]) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    for span in spans:
        out.append(span)
        parent = len(out) - 1
        for inner_start, inner_end in _single_spans(text, span.start, span.end):
            out.append(QuoteSpan(inner_start, inner_end, nested_in=parent))
    return out


def _single_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Single-quoted spans inside [start, end): an opening mark after a space, a dash or the
    start, and a closing mark not between two letters (so apostrophes are skipped)."""
    spans, open_at = [], None
    for i in range(start, end):
        if text[i] not in SINGLE:
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if open_at is None:
            if (before.isspace() or before in "(\u2014\u2013-\"\u201c" or i == start) and after.isalnum():
                open_at = i
        elif not (before.isalnum() and after.isalnum()) and not before.isspace():
            if not (text[i] == "'" and before in "sS" and after.isspace() and _looks_possessive(text, i)):
                spans.append((open_at + 1, i))
                open_at = None
    if open_at is not None:
        spans.append((open_at + 1, _trim_end(text, open_at + 1, end)))
    return spans


def _looks_possessive(text: str, i: int) -> bool:
    """A straight ' right after a plural -s and before a noun: "the fighters' pay"."""
    nxt = text[i + 1:i + 20].split()
    return bool(nxt) and nxt[0][:1].islower()
