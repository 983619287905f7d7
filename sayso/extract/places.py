"""Places: toponyms from spaCy's GPE/LOC/FAC entities resolved offline to GeoNames.

Disambiguation prefers, in order: the country or US state named right after the toponym
("Alexandria, Louisiana"), countries and states mentioned elsewhere in the document, countries
over towns of the same name, and then population. A name the gazetteer does not know stays
unresolved (no coordinates), never guessed."""
from __future__ import annotations

import math
import re
from collections import Counter

from ..model import Mention, Place
from .entities import AliasTable, clean_name
from .gazetteer import _ABBREVIATED_STATE, GazetteerEntry, lookup

PLACE_LABELS = ("GPE", "LOC", "FAC")


def extract_places(doc, aliases: AliasTable) -> list[Place]:
    toponyms = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        name = clean_name(ent.text)
        if not name or not name[0].isupper() or _is_given_name(ent):
            continue
        written = re.sub(r"^[Tt]he\s+", "", ent.text.strip())  # keeps "U.S.", "Kan."
        known = aliases.lookup(written) or aliases.lookup(name)
        if known and known[1] not in PLACE_LABELS:
            continue  # a known organisation the model took for a place ("Daesh")
        query = known[0] if known else written
        toponyms.append((ent, name, lookup(query) or lookup(name)))
    context = _context(toponyms)
    toponyms += _missed_toponyms(doc, {i for ent, _, _ in toponyms for i in range(ent.start, ent.end)}, context)
    toponyms.sort(key=lambda t: t[0].start)
    places: dict[object, Place] = {}
    for ent, name, candidates in toponyms:
        qualifier = _qualifier_after(doc, ent)
        best = _choose(candidates, context, qualifier)
        key = best.geonames_id if best else name.lower()
        place = places.get(key)
        if place is None:
            place = places[key] = _place(name, best)
        place.mentions.append(Mention(ent.start_char, ent.end_char))
    return list(places.values())


_LOCATIVE = {"in", "at", "from", "near", "to", "of", "outside", "across", "around", "into", "toward",
             "towards", "through", "between", "and", "via"}
_NOT_PLACES = {"DATE", "TIME", "NORP", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LAW", "LANGUAGE"}
_CONNECTORS = {"of", "de", "la", "del", "el", "al", "upon", "on"}
MAX_NAME_TOKENS = 4


def _missed_toponyms(doc, taken: set[int], context: Counter):
    """Place names the model did not tag as places: runs of proper nouns (also inside
    organisation names: "Douglas County Sheriff's Office") that the gazetteer knows, kept only
    where the reading is safe: a country, a US state or county, or a town in the country the
    document is about; a name tagged as a person only after a locative word ("in Marshall")."""
    from spacy.tokens import Span

    top_country = max((k for k in context if isinstance(k, str)), key=context.get, default=None)
    found = []
    i = 0
    while i < len(doc):
        if i in taken or not _name_token(doc[i]):
            i += 1
            continue
        match = None
        for j in range(min(len(doc), i + MAX_NAME_TOKENS), i, -1):
            span = doc[i:j]
            if any(k in taken for k in range(i, j)) or not _name_token(doc[j - 1]):
                continue
            if not all(_name_token(t) or t.lower_ in _CONNECTORS for t in span):
                continue
            candidates = lookup(span.text)
            if candidates and _safe_reading(span, candidates, top_country):
                match = (Span(doc, i, j, label="GPE"), clean_name(span.text), candidates)
                break
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match[0].end
    return found


def _opens_entity(span) -> bool:
    """The span starts its entity, but for a leading article ("the Douglas County Sheriff's Office")."""
    i = span.start
    while i > 0 and span.doc[i].ent_iob_ == "I":
        i -= 1
        if span.doc[i].lower_ != "the":
            return False
    return True


def _name_token(token) -> bool:
    if token.text.endswith(".") and token.text not in ("St.", "Ft.", "Mt.") and not _is_state_abbreviation(token.text):
        return False  # "Sen.", "Gov.": titles, not places
    return token.pos_ == "PROPN" and (token.is_title or token.is_upper or token.text in ("St.", "Ft.", "Mt."))


def _is_state_abbreviation(text: str) -> bool:
    return any(c.feature == "admin1" for c in lookup(text)) and text in _ABBREVIATED_STATE


def _safe_reading(span, candidates, top_country) -> bool:
    label = span[0].ent_type_
    doc = span.doc
    previous = doc[span.start - 1].lower_ if span.start > 0 else ""
    before = doc[max(0, span.start - 3):span.start].text.lower()
    located = previous in _LOCATIVE - {"of", "and"} or re.search(r"\b(city|town|village|county|province) of$", before) or (span.end + 1 < len(doc) and doc[span.end].text == ","
                                        and any(c.feature == "admin1" for c in lookup(doc[span.end + 1].text)))
    if label in _NOT_PLACES or label == "PERSON" and not located:
        return False
    if label in ("ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT") and not _opens_entity(span):
        return False  # only a name that opens the organisation's name: "Minnesota Department of ..."
    for c in candidates:
        if c.feature in ("country",) or c.feature == "admin1" and c.geonames_id:
            return True
        if c.feature == "admin2" and len(span) > 1:
            return True
        if c.feature == "city" and c.country == top_country and c.population >= 1000:
            return located or len(span) > 1  # one capitalised word alone is too often a surname
    return False


def _is_given_name(ent) -> bool:
    """'a fighter called Abu Karim': what something is called is a name, not a place."""
    root = ent.root
    return root.dep_ in ("oprd", "dobj", "attr", "appos") and root.head.lemma_ in ("call", "name")


def _place(name: str, entry: GazetteerEntry | None) -> Place:
    if entry is None:
        return Place(name, None, None, None, None, None)
    return Place(entry.name, entry.lat, entry.lon, entry.country, entry.geonames_id, entry.feature)


def _context(toponyms, rounds: int = 2) -> Counter:
    """Votes for the countries and (country, state) pairs the document is about: every toponym
    votes for the country and state of its best reading, first taken alone, then in the light of
    the first round's votes."""
    seen: Counter = Counter()
    for _ in range(rounds):
        seen = _votes(toponyms, seen)
    return seen


def _votes(toponyms, context: Counter) -> Counter:
    seen: Counter = Counter()
    for _, _, candidates in toponyms:
        best = _choose(candidates, context, ())
        if best is None:
            continue
        seen[best.country] += 1
        if best.feature in ("admin1", "admin2", "city") and best.admin1:
            seen[(best.country, best.admin1)] += 1
    return seen


def _qualifier_after(doc, ent) -> tuple[GazetteerEntry, ...]:
    """'Alexandria, Louisiana': the country or state named right after a comma."""
    if ent.end + 1 < len(doc) and doc[ent.end].text == ",":
        nxt = next((e for e in doc.ents if e.start == ent.end + 1 and e.label_ in PLACE_LABELS), None)
        if nxt is not None:
            return tuple(c for c in lookup(clean_name(nxt.text)) if c.feature in ("country", "admin1"))
    return ()


def _choose(candidates, context: Counter, qualifier) -> GazetteerEntry | None:
    if not candidates:
        return None

    top_country = max((k for k in context if isinstance(k, str)), key=context.get, default=None)

    def score(c: GazetteerEntry) -> float:
        value = math.log10(c.population + 10)
        if c.feature == "country":
            value += 6
        elif c.feature == "admin1" and c.geonames_id:
            value += 4  # a US state; other regions get no bonus over a town of the same name
        if c.country == top_country and context[top_country] >= 2:
            value += 3
        value += min(context[(c.country, c.admin1)], 2) if c.feature != "country" else 0
        if any(q.country == c.country and (q.feature == "country" or q.admin1 == c.admin1) for q in qualifier):
            value += 10
        return value

    return max(candidates, key=score)
