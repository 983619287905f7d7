"""Places: toponyms from spaCy's GPE/LOC/FAC entities resolved offline to GeoNames.

Disambiguation prefers, in order: the country or US state named right after the toponym
("Alexandria, Louisiana"), countries and states mentioned elsewhere in the document, countries
over towns of the same name, and then population. A name the gazetteer does not know stays
unresolved (no coordinates), never guessed."""
from __future__ import annotations

import math
from collections import Counter

from ..model import Mention, Place
from .entities import AliasTable, clean_name
from .gazetteer import GazetteerEntry, lookup

PLACE_LABELS = ("GPE", "LOC", "FAC")


def extract_places(doc, aliases: AliasTable) -> list[Place]:
    toponyms = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        name = clean_name(ent.text)
        if not name or not name[0].isupper() or _is_given_name(ent):
            continue
        known = aliases.lookup(name)
        if known and known[1] not in PLACE_LABELS:
            continue  # a known organisation the model took for a place ("Daesh")
        query = known[0] if known else name
        toponyms.append((ent, name, lookup(query)))
    context = _context(toponyms)
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


def _is_given_name(ent) -> bool:
    """'a fighter called Abu Karim': what something is called is a name, not a place."""
    root = ent.root
    return root.dep_ in ("oprd", "dobj", "attr", "appos") and root.head.lemma_ in ("call", "name")


def _place(name: str, entry: GazetteerEntry | None) -> Place:
    if entry is None:
        return Place(name, None, None, None, None, None)
    return Place(entry.name, entry.lat, entry.lon, entry.country, entry.geonames_id, entry.feature)


def _context(toponyms) -> Counter:
    """Countries and (country, state) pairs the document names unambiguously."""
    seen: Counter = Counter()
    for _, _, candidates in toponyms:
        top = [c for c in candidates if c.feature in ("country", "admin1")]
        if len(top) == 1:
            seen[top[0].country] += 1
            if top[0].feature == "admin1":
                seen[(top[0].country, top[0].admin1)] += 1
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

    def score(c: GazetteerEntry) -> float:
        value = math.log10(c.population + 10)
        if c.feature == "country":
            value += 6
        elif c.feature == "admin1":
            value += 4
        value += 3 * min(context[c.country], 2) / 2
        if c.feature == "city":
            value += 2 * min(context[(c.country, c.admin1)], 1)
        if any(q.country == c.country and (q.feature == "country" or q.admin1 == c.admin1) for q in qualifier):
            value += 10
        return value

    return max(candidates, key=score)
