"""The data model: plain dataclasses that every stage produces and every consumer reads.

Every fact carries character offsets (`start`, `end`) into `Document.text`, the text that sayso
stores, so that any page or export can show and highlight its evidence.
"""
from __future__ import annotations

import dataclasses
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


def _to_dict(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: _to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _to_dict(v) for k, v in obj.items()}
    return obj


def page_of(page_starts: list[int], offset: int) -> int | None:
    """The 1-based page an offset of the stored text is on (None for a source without pages)."""
    return (bisect_right(page_starts, offset) or 1) if page_starts else None


class Serializable:
    def to_dict(self) -> dict:
        return _to_dict(self)


@dataclass
class Mention(Serializable):
    start: int
    end: int
    page: int | None = None  # 1-based page, for paged sources (PDF)


@dataclass
class Speaker(Serializable):
    name: str | None = None  # resolved canonical speaker: full name, group or description
    mention: str | None = None  # surface form at the quote: "he", "the academics"
    descriptor: str | None = None  # "a deserter from Raqqa", "who runs a network of ..."
    role: str | None = None  # head noun of the description: "deserter", "commander"
    org: str | None = None  # organisation the speaker belongs to or speaks for
    entity_id: str | None = None  # id of the entity the speaker resolved to, if any
    type: str | None = None  # person | group | organisation | media | unknown
    resolved_by: str | None = None  # how the name was found: cue, apposition, pronoun, description, turn, collection, ...


@dataclass
class Quote(Serializable):
    id: str
    text: str
    start: int
    end: int
    kind: str  # direct | indirect | according_to
    cue: str | None = None
    speaker: Speaker = field(default_factory=Speaker)
    nested_in: str | None = None  # id of the quote this one is quoted inside
    confidence: float | None = None  # how sure sayso is of this quote and its speaker, 0..1
    page: int | None = None  # 1-based page of the quote's start, for paged sources (PDF)
    start_s: float | None = None  # timecode in seconds, for transcribed speech
    end_s: float | None = None
    # read from a store: {status: unreviewed|accepted|edited|added|rejected, reviewer, reviewed_at, version}
    review: dict | None = None
    # '"A," said Ann Roe. "B."': one statement interrupted by its attribution is one quote whose
    # quoted passages are these [start, end] pairs; start..end spans them all, attribution included.
    parts: list[list[int]] | None = None

    def spoken(self) -> str:
        return spoken_text(self.text, self.start, self.parts)


def parts_to_json(parts: list[list[int]] | None) -> str | None:
    """How a quote's `parts` are stored and exported: JSON text, null for a quote of one passage."""
    return json.dumps(parts) if parts else None


def parts_from_json(stored: str | list | None) -> list[list[int]] | None:
    """A quote's `parts` from their stored JSON (a list already read passes through)."""
    return json.loads(stored) if isinstance(stored, str) and stored else stored or None


def spoken_text(text: str, start: int, parts: list[list[int]] | None) -> str:
    """The words said in a quote of this text, starting at `start`: its quoted passages joined by
    an ellipsis, without the attribution between them; the text itself when it is one passage."""
    if not parts:
        return text
    return " \u2026 ".join(text[s - start:e - start].strip() for s, e in parts)


@dataclass
class Entity(Serializable):
    id: str
    name: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, ...
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    country: str | None = None  # ISO alpha-2 of a demonym's country: NORP "Syrian" -> "SY"


@dataclass
class Place(Serializable):
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166 alpha-2
    geonames_id: int | None
    feature: str | None  # "country", "city", "admin1", ...
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Count(Serializable):
    number: float
    qualifier: str | None  # over, more than, about, at least, ... or None when exact
    object: str  # what is counted: "deserters"
    text: str
    start: int
    end: int
    event: str | None = None  # lemma(s) of the verb the count takes part in: "flee", "help flee", "kill"
    upper: float | None = None  # the upper bound of a range ("between 20 and 30 people": 30)
    quote_id: str | None = None  # the innermost quote the count is said in: a claim, not the writer's
    claimed_by: str | None = None  # that quote's speaker (name, else how the text refers to them)
    implied: bool = False  # the counted noun is left out in the text ("12 dead"); `object` is implied
    page: int | None = None  # 1-based page of the count, for paged sources (PDF)


@dataclass
class ThemeHit(Serializable):
    code: str
    label: str
    score: float
    evidence: list[Mention] = field(default_factory=list)


@dataclass
class Correction(Serializable):
    text: str
    start: int
    end: int
    wrong: str | None  # the superseded claim
    right: str | None  # what the notice says is true
    subject: str | None  # what the claim is about
    page: int | None = None  # 1-based page of the notice, for paged sources (PDF)
    # The sentence of the body (outside the notice) the notice is about, when one matches it
    # distinctively: "right" if it states the corrected fact, "wrong" if it still states the
    # superseded one (see sayso.extract.corrections.locate_claims); all None when none does.
    claim_start: int | None = None
    claim_end: int | None = None
    claim_says: str | None = None


@dataclass
class Document(Serializable):
    """A document as read from disk, before analysis."""

    id: str
    text: str
    path: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    source: str | None = None
    text_sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    language: str | None = None  # ISO 639-1 code, detected when not given
    page_starts: list[int] = field(default_factory=list)  # offset where each page starts (paged sources)
    # (start, end, start_s, end_s): stretches of text spoken between two timecodes (transcribed speech)
    timecodes: list[tuple[int, int, float, float]] = field(default_factory=list)


@dataclass
class Analysis(Serializable):
    """Everything sayso found in one document: the public JSON contract of `sayso analyze`."""

    doc: str
    path: str | None
    title: str | None
    text_sha256: str
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    themes: list[ThemeHit] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    language: str | None = None

    def mentions(self):
        """Every mention of an entity or place and every piece of theme evidence."""
        for fact in (*self.entities, *self.places):
            yield from fact.mentions
        for theme in self.themes:
            yield from theme.evidence

    def _repr_html_(self) -> str:
        """Jupyter shows an analysis as the highlighted document (see `sayso.notebook`)."""
        from .notebook import analysis_html

        return analysis_html(self)
