"""Who a text names before a quote, for a later pronoun or description to refer to: named persons
in the parse, names the model did not tag a person, the offices titles give, coordinated names."""
from __future__ import annotations

from . import gazetteer
from ..model import Speaker
from .people import TITLE_OFFICES
from .speakers import _left_name_edge, _propn_phrase


# Where a named person stands to be what a later "he" or "she" refers to: subject or object, or
# a name the parser left as the root or coordinated ("Donald Trump, who ..., tweeted").
PERSON_MENTION_DEPS = {"nsubj", "nsubjpass", "pobj", "dobj", "ROOT", "conj", "appos"}


def person_subjects(doc, by_name) -> list[tuple[int, Speaker]]:
    out = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.root.dep_ in PERSON_MENTION_DEPS:
            entity = by_name.get(ent.text.lower()) or by_name.get(ent.text.lower().removeprefix("the "))
            name = entity.name if entity else ent.text
            appos = next((c for c in ent.root.children if c.dep_ == "appos"), None)
            descriptor = " ".join(t.text for t in appos.subtree) if appos is not None else None
            out.append((ent.start_char, Speaker(name=name, descriptor=descriptor,
                                                entity_id=entity.id if entity else None)))
    return out


NOT_PEOPLE_LABELS = {"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                     "ORDINAL", "EVENT", "LAW", "LANGUAGE"}


def named_subjects(doc) -> list[tuple[int, Speaker]]:
    """Subjects that are proper names the model did not tag a person, place or group
    ('Fiorina, 61, declined', 'Ivanka Trump strode'), with where their name starts."""
    out = []
    for token in doc:
        if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ == "PROPN" and token.ent_type_ not in NOT_PEOPLE_LABELS \
                and token.ent_type_ != "PERSON":
            name = _propn_phrase(token)
            if name_like(name) and (aged(token) or not gazetteer.lookup(name)):  # 'Hillsborough approved'
                out.append((doc[_left_name_edge(token)].idx, Speaker(name=name)))
    return out


def titles(doc, by_name) -> dict[str, set[str]]:
    """The offices the text's titles give people: 'Sen. Ann Roe' -> {'Ann Roe': {'senator'}}."""
    out: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        words = [t.lower_.rstrip(".") for t in doc[max(0, ent.start - 2):ent.start + 1]]
        offices = {TITLE_OFFICES[w] for w in words if w in TITLE_OFFICES}
        if offices:
            entity = by_name.get(ent.text.lower())
            out.setdefault(entity.name if entity else ent.text, set()).update(offices)
    return out


def aged(token) -> bool:
    """'Fiorina, 61,': a name given an age is a person's."""
    return any(c.dep_ == "appos" and c.like_num and c.text.isdigit() and 1 <= int(c.text) <= 120
               for c in token.children)


def person_groups(doc, by_name) -> list[tuple[int, Speaker]]:
    """Coordinated named persons ("A and B"), which plural descriptions can refer back to."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        root = ent.root
        partners = [c for c in root.conjuncts if c.i > root.i and c.pos_ == "PROPN"]
        if partners and root.dep_ != "conj":
            names = [by_name.get(ent.text.lower()).name if by_name.get(ent.text.lower()) else ent.text]
            for p in partners:
                text = _propn_phrase(p)
                names.append(by_name[text.lower()].name if text.lower() in by_name else text)
            out.append((ent.start_char, Speaker(name=" and ".join(names))))
    return out


def name_like(name: str) -> bool:
    words = name.split()
    return bool(words) and all(w[:1].isupper() for w in words)
