"""From text to `Analysis`: the one function every entry point (API, CLI, store, web) calls.

Two guarantees hold for any input:

- bounded work: a text longer than `SEGMENT_CHARS` is cut on paragraph boundaries (else
  sentence ends, else whitespace, else anywhere) into segments that are analysed one by one and
  whose facts are put back together with offsets into the full text; spaCy never sees more than
  `BATCH_CHARS` at once, so memory has a ceiling and time grows linearly with the text;
- isolation: a document whose analysis raises becomes an `AnalysisError` naming the document and
  the spaCy component that failed; the other documents of its batch are analysed as usual.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from .ingest.readers import make_document
from .model import Analysis, Document, Mention, page_of
from .pipeline import get_nlp

SEGMENT_CHARS = 50_000  # longer than any news article we have seen (34k): those are analysed whole
BATCH_CHARS = 100_000  # most text handed to spaCy in one `nlp.pipe` call (memory ceiling)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")


class AnalysisError(Exception):
    """The analysis of one document raised. Every argument is a string, so it crosses processes."""

    def __init__(self, doc_id: str, path: str | None, stage: str, reason: str):
        super().__init__(doc_id, path, stage, reason)
        self.doc_id, self.path, self.stage, self.reason = doc_id, path, stage, reason

    def __str__(self) -> str:
        where = f"{self.path}: {self.doc_id}" if self.path and self.path != self.doc_id else self.doc_id
        return f"{where}: analysis failed in {self.stage}: {self.reason}"


class TextTooLong(ValueError):
    """A text over the caller's `max_chars` (a server's limit on what a request may ask for)."""


def english(language: str | None) -> bool:
    """Unknown language is taken for English; the model and the cue lists are English only."""
    return language is None or language.lower().startswith("en")


def not_english_warning(language: str, stored: bool) -> str:
    return f"not English ({language}): {'stored' if stored else 'printed'} without analysis"


def analysis_of(doc, document: Document) -> Analysis:
    """Collect the facts the sayso components left on a parsed `Doc`."""
    analysis = _facts(doc, document)
    locate_facts(analysis, document.page_starts, document.timecodes)
    return analysis


def _facts(doc, document: Document) -> Analysis:
    return Analysis(doc=document.id, path=document.path, title=document.title,
                    text_sha256=document.text_sha256, quotes=doc._.quotes or [],
                    entities=doc._.entities or [], places=doc._.places or [],
                    counts=doc._.counts or [], themes=doc._.themes or [],
                    corrections=doc._.corrections or [], language=document.language)


def locate_facts(analysis: Analysis, page_starts: list[int], timecodes: list) -> None:
    """Give each quote, count, correction and mention the page (paged sources) it starts on,
    and each quote the timecodes (transcribed speech) it is spoken in."""
    if page_starts:
        for fact in (*analysis.quotes, *analysis.counts, *analysis.corrections, *analysis.mentions()):
            fact.page = page_of(page_starts, fact.start)
    for q in analysis.quotes:
        spoken = [t for t in timecodes if t[0] < q.end and q.start < t[1]]
        if spoken:
            q.start_s, q.end_s = min(t[2] for t in spoken), max(t[3] for t in spoken)


def analyze(text: str, doc_id: str = "text", max_chars: int | None = None, **settings) -> Analysis:
    """Analyse one text. `settings` are passed to `pipeline.get_nlp` (model, aliases, cues).
    With `max_chars`, a longer text raises `TextTooLong` before any work is done. A failure
    inside the analysis raises `AnalysisError`."""
    if max_chars is not None and len(text) > max_chars:
        raise TextTooLong(f"text of {len(text):,} characters is over the limit of {max_chars:,}")
    document = make_document(doc_id, text)
    analysis = next(analyze_documents([document], **settings))
    analysis._text = document.text  # for the notebook view (sayso.notebook); to_dict() leaves it out
    return analysis


def analyze_documents(documents: Iterable[Document], batch_size: int = 16,
                      on_error: Callable[[AnalysisError], None] | None = None, **settings) -> Iterator[Analysis]:
    """Analyse documents in a stream with `nlp.pipe`; yields one `Analysis` per document."""
    for _, analysis in analyze_pairs(documents, batch_size, on_error=on_error, **settings):
        yield analysis


def analyze_pairs(documents: Iterable[Document], batch_size: int = 16,
                  on_error: Callable[[AnalysisError], None] | None = None,
                  **settings) -> Iterator[tuple[Document, Analysis]]:
    """Like `analyze_documents`, yielding each document with its analysis. A document whose
    analysis raises is passed to `on_error` and skipped; without `on_error` the error is raised.
    A document in another language than English (`Document.language`) is not parsed: its
    analysis has its language and no facts."""
    nlp = get_nlp(**settings)
    parts: list[tuple[int, Analysis]] = []
    failed: Document | None = None  # the document whose remaining segments are skipped
    for piece, result in _parsed(nlp, _pieces(documents), batch_size):
        document = piece.document
        if failed is document:
            continue
        if isinstance(result, _StageFailure):
            failed, parts = document, []
            error = AnalysisError(document.id, document.path, result.stage, result.reason)
            if on_error is None:
                raise error from result.error
            on_error(error)
            continue
        parts.append((piece.start, result))
        if piece.last:
            analysis = parts[0][1] if len(parts) == 1 else _merge(document, parts)
            parts = []
            locate_facts(analysis, document.page_starts, document.timecodes)
            yield document, analysis


# segments ------------------------------------------------------------------------------------

@dataclass
class _StageFailure:
    stage: str
    reason: str
    error: BaseException | None = None


@dataclass
class _Piece:
    document: Document
    start: int
    end: int
    index: int
    last: bool
    parse: bool = True
    failure: _StageFailure | None = None  # the document could not even be cut into segments

    @property
    def text(self) -> str:
        text = self.document.text
        return text if self.start == 0 and self.end == len(text) else text[self.start:self.end]


def segment_bounds(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive segments of at most `limit` characters covering `text`."""
    bounds, start = [], 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end a segment that starts at `start` and may not pass `stop`: after the last
    blank line, line break, sentence end or whitespace in its second half, else at `stop`."""
    floor = start + (stop - start) // 2
    for mark in ("\n\n", "\n"):
        at = text.rfind(mark, floor, stop)
        if at != -1:
            return at + len(mark)
    window = text[floor:stop]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends:
        return floor + ends[-1]
    spaces = [m.end() for m in re.finditer(r"\s", window)]
    return floor + spaces[-1] if spaces else stop


def _pieces(documents: Iterable[Document]) -> Iterator[_Piece]:
    for document in documents:
        if not english(document.language):
            yield _Piece(document, 0, len(document.text), 0, True, parse=False)
            continue
        try:
            bounds = segment_bounds(document.text, SEGMENT_CHARS)
        except Exception as err:  # not a text at all (a broken reader)
            yield _Piece(document, 0, 0, 0, True, parse=False, failure=_StageFailure("segmenting", _reason(err), err))
            continue
        for n, (start, end) in enumerate(bounds):
            yield _Piece(document, start, end, n, n == len(bounds) - 1)


def _groups(pieces: Iterator[_Piece], batch_size: int) -> Iterator[list[_Piece]]:
    group, size = [], 0
    for piece in pieces:
        group.append(piece)
        size += piece.end - piece.start
        if len(group) >= batch_size or size >= BATCH_CHARS:
            yield group
            group, size = [], 0
    if group:
        yield group


# parsing with isolation ------------------------------------------------------------------------

def _parsed(nlp, pieces: Iterator[_Piece], batch_size: int) -> Iterator[tuple[_Piece, Analysis | _StageFailure]]:
    """Each piece with the facts of its text. A group is parsed with `nlp.pipe`; if that raises,
    the group is parsed again one piece at a time, so only the piece at fault fails."""
    for group in _groups(pieces, batch_size):
        to_parse = [p for p in group if p.parse]
        try:
            docs = list(nlp.pipe((p.text for p in to_parse), batch_size=len(to_parse) or 1))
            results = dict(zip(map(id, to_parse), (_facts(d, p.document) for d, p in zip(docs, to_parse))))
        except Exception:
            results = {id(p): _parse_one(nlp, p) for p in to_parse}
        for piece in group:
            if piece.parse:
                yield piece, results[id(piece)]
            elif piece.failure:
                yield piece, piece.failure
            else:
                yield piece, Analysis(piece.document.id, piece.document.path, piece.document.title,
                                      piece.document.text_sha256, language=piece.document.language)


def _parse_one(nlp, piece: _Piece) -> Analysis | _StageFailure:
    """Run the pipeline's components one by one, so a failure names the one that raised."""
    stage = "tokenizer"
    try:
        doc = nlp.make_doc(piece.text)
        for stage, component in nlp.pipeline:
            doc = component(doc)
        return _facts(doc, piece.document)
    except Exception as err:
        return _StageFailure(stage, _reason(err), err)


def _reason(err: BaseException) -> str:
    """The exception's type and the first line of its message."""
    message = str(err).strip().splitlines()
    return f"{type(err).__name__}: {message[0]}" if message else type(err).__name__


# putting segments back together ----------------------------------------------------------------

def _merge(document: Document, parts: list[tuple[int, Analysis]]) -> Analysis:
    """One analysis from the analyses of a document's segments: offsets shifted into the full
    text, ids renumbered, an entity or place named alike in several segments kept once."""
    merged = Analysis(document.id, document.path, document.title, document.text_sha256,
                      language=document.language)
    entities: dict[tuple[str, str], object] = {}
    places: dict[tuple, object] = {}
    themes: dict[str, object] = {}
    for offset, part in parts:
        def moved(mentions, offset=offset):
            return [Mention(m.start + offset, m.end + offset) for m in mentions]

        entity_ids = {}
        for e in part.entities:
            kept = entities.get((e.name, e.label))
            if kept is None:
                kept = entities[(e.name, e.label)] = replace(e, id=f"e{len(entities) + 1}", aliases=list(e.aliases),
                                                              mentions=[])
                merged.entities.append(kept)
            kept.mentions += moved(e.mentions)
            kept.aliases += [a for a in e.aliases if a not in kept.aliases]
            entity_ids[e.id] = kept.id
        quote_ids = {q.id: f"q{len(merged.quotes) + n}" for n, q in enumerate(part.quotes, start=1)}
        for q in part.quotes:
            speaker = replace(q.speaker, entity_id=entity_ids.get(q.speaker.entity_id))
            merged.quotes.append(replace(q, id=quote_ids[q.id], start=q.start + offset, end=q.end + offset,
                                         speaker=speaker, nested_in=quote_ids.get(q.nested_in),
                                         parts=[[s + offset, e + offset] for s, e in q.parts] if q.parts else None))
        for p in part.places:
            key = (p.name, p.geonames_id, p.lat, p.lon)
            if key not in places:
                places[key] = replace(p, mentions=[])
                merged.places.append(places[key])
            places[key].mentions += moved(p.mentions)
        merged.counts += [replace(c, start=c.start + offset, end=c.end + offset, quote_id=quote_ids.get(c.quote_id))
                          for c in part.counts]
        merged.corrections += [replace(c, start=c.start + offset, end=c.end + offset,
                                       claim_start=None if c.claim_start is None else c.claim_start + offset,
                                       claim_end=None if c.claim_end is None else c.claim_end + offset)
                               for c in part.corrections]
        for t in part.themes:
            if t.code not in themes:
                themes[t.code] = replace(t, evidence=[])
                merged.themes.append(themes[t.code])
            themes[t.code].score = max(themes[t.code].score, t.score)
            themes[t.code].evidence += moved(t.evidence)
    merged.themes.sort(key=lambda h: (-h.score, h.code))
    return merged
