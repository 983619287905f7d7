"""Speakers: from the source phrase of an attribution to a `Speaker`, and from pronouns and
definite descriptions ("he", "they", "the academics") back to the person or group they mean."""
from __future__ import annotations

from dataclasses import dataclass

from . import text_of
from ..model import Entity, Speaker
from .entities import clean_name
from .people import (MAX_UNTAGGED_DISTANCE, MAX_VARIATION_DISTANCE, DocumentPeople, _name_shaped, _office,
                     role_phrase)

PERSONAL = {"he": "m", "him": "m", "she": "f", "her": "f"}
PLURAL_PRONOUNS = {"they", "them", "we"}
FIRST_PERSON = {"i", "we", "me", "us"}
SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves"}
# Nouns for people who study, observe or report: a definite plural of these ("the academics",
# "the study's authors") refers back to the named group that did the work.
RESEARCHER_NOUNS = {"academic", "author", "researcher", "scholar", "expert", "analyst", "investigator",
                    "scientist", "writer", "interviewer", "pair", "duo", "team"}
_NAMING_VERBS = {"call", "name", "know"}


@dataclass
class SourceRef:
    """What an attribution's source phrase says, before coreference."""

    speaker: Speaker
    start: int  # char offsets of the source phrase
    end: int
    pronoun: str | None = None  # lower-cased pronoun when the source is one
    plural: bool = False
    person: bool = True
    definite_head: str | None = None  # head lemma of "the academics", "the source"
    named: bool = False  # the source gives a proper name
    head_lemma: str | None = None  # lemma of a common-noun head: "official", "report"


def describe_source(head, by_name: dict[str, Entity], exclude: set[int] | None = None) -> SourceRef:
    """Read the source noun phrase headed by token `head` into a `SourceRef`."""
    exclude = exclude or set()
    doc = head.doc
    lower = head.lower_
    if head.pos_ == "PRON" or lower in PERSONAL or lower in PLURAL_PRONOUNS or lower in FIRST_PERSON:
        speaker = Speaker(mention=head.text)
        return SourceRef(speaker, head.idx, head.idx + len(head), pronoun=lower,
                         plural=lower in PLURAL_PRONOUNS, person=lower != "it")
    side = [c for c in head.children if c.dep_ in ("appos", "relcl", "acl") and c.i > head.i
            and not _is_naming(c)]
    side_tokens = {t.i for c in side for t in c.subtree}
    core = [t for t in head.subtree if t.i not in side_tokens and t.i not in exclude and not t.is_space
            and t.dep_ != "case"]
    core = _contiguous_around(core, head)
    core_text = _span_text(doc, core)
    coordinated = [head] + [c for c in head.conjuncts if c.pos_ == "PROPN"]
    persons = [_person_name(t, by_name) for t in coordinated]
    named_persons = [p for p in persons if p]
    descriptor_parts = [_span_text(doc, sorted(c.subtree, key=lambda t: t.i)) for c in side]
    name = None
    role = None
    how = "cue"
    org = _org_in(doc, head, by_name, exclude)
    named_in_core = _name_after_naming_verb(head)
    appositive = next((t for t in head.subtree if t.dep_ == "appos" and t.i > head.i and t.i not in exclude
                       and _person_name(t, by_name)), None)
    if appositive is not None and head.pos_ == "NOUN":
        # "a spokesman for the council, Hassan Omar": the name is in the apposition
        name = _person_name(appositive, by_name)
        named_persons = [name]
        before = [t for t in head.subtree if t.i < appositive.left_edge.i and t.i not in exclude]
        descriptor_parts = [_span_text(doc, before)]
        role = role_phrase(head)
        how = "apposition"
        core_text = _span_text(doc, sorted(head.subtree, key=lambda t: t.i))
    elif named_in_core:
        name = _canonical(named_in_core, by_name)
        descriptor_parts.insert(0, _span_text(doc, [t for t in core if t.i < head.i] + [head]))
        role = role_phrase(head)
        how = "apposition"
    elif len(named_persons) > 1:
        name = " and ".join(named_persons)
    elif named_persons:
        name = named_persons[0]
    elif head.pos_ == "PROPN":
        name = _canonical(_organisation_name(head) or _propn_phrase(head), by_name)
    else:
        role = role_phrase(head) or head.lemma_.lower()
        name = _description_name(doc, core, head)
    if role is None and side:
        role = _appositive_role(side)
    if role is None and head.pos_ == "PROPN":
        role = _title_role(head)
    if org is not None and name is not None and org.lower() == name.lower():
        org = None  # the model took the speaker's own name for an organisation
    descriptor = "; ".join(p for p in descriptor_parts if p) or None
    if descriptor is None and head.pos_ == "NOUN":
        descriptor = core_text
    plural = head.tag_ in ("NNS", "NNPS") or len(coordinated) > 1
    entity = by_name.get((name or "").lower())
    person = bool(named_persons) or head.pos_ == "NOUN" and not _is_org_noun(head)
    if entity is not None and head.pos_ == "PROPN":
        person = entity.label == "PERSON"
    if org is None and entity is not None and entity.label in ("ORG", "NORP") and head.pos_ == "PROPN":
        person = False
    speaker = Speaker(name=name, mention=core_text, descriptor=descriptor, role=role, org=org,
                      entity_id=entity.id if entity else None, resolved_by=how)
    definite = head.pos_ == "NOUN" and not named_in_core and any(
        c.dep_ == "poss" or c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
        for c in head.children)
    start = min(t.idx for t in core)
    end = max(t.idx + len(t) for t in core)
    return SourceRef(speaker, start, end, plural=plural, person=person,
                     definite_head=head.lemma_.lower() if definite and not named_persons else None,
                     named=bool(named_persons or named_in_core or head.pos_ == "PROPN"),
                     head_lemma=head.lemma_.lower() if head.pos_ == "NOUN" else None)


def _is_naming(token) -> bool:
    return token.dep_ == "acl" and token.lemma_ in _NAMING_VERBS


def _name_after_naming_verb(head) -> str | None:
    for child in head.children:
        if child.dep_ == "acl" and child.lemma_ in _NAMING_VERBS:
            for grand in child.subtree:
                if grand.pos_ == "PROPN" and grand.dep_ not in ("compound",):
                    return _propn_phrase(grand)
    return None


def _propn_phrase(token) -> str:
    """A proper-noun head with its compound and flat name parts: 'Abu Walid', 'Lina Haddad'."""
    parts = [t for t in token.subtree if t.i <= token.i and (t.pos_ == "PROPN" or t.dep_ == "compound")
             and t.i >= _left_name_edge(token)]
    return clean_name(" ".join(t.text for t in sorted(parts, key=lambda t: t.i)) or token.text)


def _left_name_edge(token) -> int:
    i = token.i
    doc = token.doc
    while i > 0 and (doc[i - 1].pos_ == "PROPN" or doc[i - 1].dep_ == "compound") and doc[i - 1].head.i in range(i - 1, token.i + 1):
        i -= 1
    return i


def _person_name(token, by_name: dict[str, Entity]) -> str | None:
    ent_span = _entity_span(token)
    if ent_span is not None and ent_span.label_ == "PERSON":
        return _canonical(clean_name(ent_span.text), by_name)
    if token.pos_ == "PROPN":
        entity = by_name.get(_propn_phrase(token).lower())
        if entity is not None and entity.label == "PERSON":
            return entity.name
    return None


def _organisation_name(head) -> str | None:
    """'The Committee for a Responsible Federal Budget': an organisation's whole name, when the
    model tagged it as one entity around the head."""
    ent = _entity_span(head)
    if ent is not None and ent.label_ in ("ORG", "NORP", "FAC") and "\n" not in ent.text:
        return clean_name(ent.text)
    return None


def _entity_span(token):
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _canonical(name: str, by_name: dict[str, Entity]) -> str:
    entity = by_name.get(name.lower())
    return entity.name if entity else name


def _org_in(doc, head, by_name, exclude) -> str | None:
    """An organisation named inside the source phrase ("X of the Institute ...", "activists
    with a group called Y")."""
    subtree = {t.i for t in head.subtree} - exclude
    for ent in doc.ents:
        if ent.label_ in ("ORG",) and ent.start in subtree and not (ent.start <= head.i < ent.end):
            if _is_known_place(clean_name(ent.text)):
                continue  # "a deserter from Raqqa": the model's ORG is a town
            return _canonical(clean_name(ent.text), by_name)
    for token in head.subtree:
        if token.i in exclude:
            continue
        if token.lemma_ in ("group", "network", "organisation", "organization", "movement", "campaign"):
            for child in (t for t in token.subtree if t.i not in exclude):
                if child.dep_ == "acl" and child.lemma_ in _NAMING_VERBS:
                    names = [t for t in child.subtree if t.pos_ == "PROPN"]
                    if names:
                        return clean_name(doc[names[0].i:names[-1].i + 1].text)
                if child.dep_ == "appos" and child.pos_ == "PROPN":
                    return clean_name(_propn_phrase(child))
    return None


def _is_known_place(name: str) -> bool:
    from .gazetteer import lookup

    return any(c.population > 0 or c.feature != "city" for c in lookup(name))


def _is_org_noun(token) -> bool:
    return token.lemma_ in ("group", "ministry", "government", "agency", "army", "police", "office",
                            "organisation", "organization", "committee", "council", "campaign",
                            "network", "company", "report", "study", "statement", "spokesperson")


def _appositive_role(side) -> str | None:
    for clause in side:
        if clause.dep_ == "appos" and clause.pos_ == "NOUN":
            return role_phrase(clause)
    return None


def _title_role(head) -> str | None:
    """'press secretary Josh Earnest': the lower-case nominal right before a name is its role."""
    doc = head.doc
    i = _left_name_edge(head) - 1
    words = []
    while i >= 0 and doc[i].pos_ in ("NOUN", "ADJ") and doc[i].text[:1].islower() and doc[i].head.i >= i \
            and doc[i].head.i <= head.i and len(words) < 4:
        words.insert(0, doc[i])
        i -= 1
    while words and words[0].pos_ == "ADJ" and words[0].lower_ not in ("former", "chief", "senior", "deputy"):
        words.pop(0)
    if not words or words[-1].pos_ != "NOUN":
        return None
    return " ".join(t.lower_ for t in words)


def _description_name(doc, core, head) -> str:
    """An unnamed source named by its description: the phrase without a leading article."""
    tokens = [t for t in core if not (t.i < head.i and t.dep_ == "det" and t.lower_ in ("a", "an", "the"))]
    return _span_text(doc, tokens)


def _contiguous_around(tokens, head):
    ids = sorted(t.i for t in tokens)
    if not ids:
        return [head]
    keep = [head.i]
    for i in range(head.i - 1, ids[0] - 1, -1):
        if i in ids:
            keep.append(i)
        else:
            break
    for i in range(head.i + 1, ids[-1] + 1):
        if i in ids:
            keep.append(i)
        else:
            break
    doc = head.doc
    out = [doc[i] for i in sorted(keep)]
    while len(out) > 1 and out[-1].is_punct:
        out.pop()
    while len(out) > 1 and out[0].is_punct:
        out.pop(0)
    return out


def _span_text(doc, tokens) -> str:
    if not tokens:
        return ""
    tokens = sorted(tokens, key=lambda t: t.i)
    return text_of(doc)[tokens[0].idx:tokens[-1].idx + len(tokens[-1])].strip(" ,;")


FEMALE = {"woman", "mother", "wife", "daughter", "sister", "spokeswoman", "girl", "widow", "grandmother",
          "businesswoman", "chairwoman", "congresswoman", "policewoman", "aunt", "niece", "mrs", "ms", "lady",
          "queen", "actress", "nun"}
MALE = {"man", "father", "husband", "son", "brother", "spokesman", "boy", "widower", "grandfather",
        "businessman", "chairman", "congressman", "policeman", "uncle", "nephew", "mr", "king", "actor", "monk"}


def gender_of(speaker: Speaker) -> str | None:
    """'f' or 'm' when the speaker's description says so ("a spokeswoman", "Mrs Haddad")."""
    words = {w.strip(".,").lower() for part in (speaker.mention, speaker.descriptor, speaker.role) if part
             for w in part.split()}
    female, male = bool(words & FEMALE), bool(words & MALE)
    return "f" if female and not male else "m" if male and not female else None


@dataclass
class _Antecedent:
    position: int
    speaker: Speaker
    plural: bool
    person: bool
    head: str | None


class Resolver:
    """Resolves pronoun and description sources to the nearest compatible earlier speaker,
    named person or named group, in reading order."""

    def __init__(self, person_mentions: list[tuple[int, Speaker]], groups: list[tuple[int, Speaker]],
                 people: DocumentPeople | None = None, named_subjects: list[tuple[int, Speaker]] | None = None,
                 titles: dict[str, set[str]] | None = None):
        self.people = people or DocumentPeople([])
        self.titles = titles or {}  # name -> offices the text puts before it ("Sen. Ann Roe": senator)
        # (position, speaker) of name-shaped subjects the model tagged no person ('Fiorina, 61,
        # declined'): what "he" or "she" can stand for when no person is near
        self.named_subjects = named_subjects or []
        self.history: list[_Antecedent] = []
        self.gender: dict[str, str] = {}  # name -> "m" | "f", from descriptions and resolved pronouns
        for _, person in person_mentions:
            if person.name not in self.gender and gender_of(person):
                self.gender[person.name] = gender_of(person)
        self.person_mentions = person_mentions  # (position, speaker) of PERSON subjects in the text
        self.groups = groups  # (position, speaker) of coordinated named persons ("A and B")

    def resolve(self, ref: SourceRef, position: int, nested: bool = False) -> Speaker:
        """The speaker `ref` refers to. Inside a quote (`nested`), pronouns belong to the quoted
        speaker's world, not the narrative, so they are left unresolved."""
        speaker = ref.speaker
        antecedent = None
        how = speaker.resolved_by or "cue"
        if nested and (ref.pronoun is not None or ref.definite_head is not None):
            return speaker
        if ref.pronoun in FIRST_PERSON or ref.pronoun in SECOND_PERSON:
            antecedent = None
        elif ref.pronoun is not None:
            antecedent = self._pronoun_antecedent(ref, position)
            how = "pronoun"
        elif ref.definite_head is not None:
            antecedent = self._description_antecedent(ref, position)
            how = "description" if antecedent is not None else how
        if antecedent is not None and ref.pronoun in PERSONAL:
            self.gender.setdefault(antecedent.name, PERSONAL[ref.pronoun])
        if antecedent is not None:
            speaker = Speaker(name=antecedent.name, mention=speaker.mention,
                              descriptor=speaker.descriptor or antecedent.descriptor,
                              role=speaker.role or antecedent.role, org=speaker.org or antecedent.org,
                              entity_id=antecedent.entity_id, resolved_by=how)
        if antecedent is None and speaker.name and not speaker.descriptor:
            # "Omar said" after "a spokesman, Hassan Omar, said": keep what we know of him
            earlier = next((a.speaker for a in reversed(self.history) if a.speaker.name == speaker.name), None)
            if earlier is not None:
                speaker = Speaker(speaker.name, speaker.mention, earlier.descriptor, earlier.role,
                                  speaker.org or earlier.org, speaker.entity_id or earlier.entity_id,
                                  resolved_by=speaker.resolved_by)
        if speaker.name and speaker.name not in self.gender:
            known = gender_of(speaker)
            if known:
                self.gender[speaker.name] = known
        if speaker.name:
            self.history.append(_Antecedent(position, speaker, ref.plural, ref.person,
                                            ref.definite_head or (speaker.role or None)))
        return speaker

    def _pronoun_antecedent(self, ref: SourceRef, position: int) -> Speaker | None:
        want_plural = ref.plural
        candidates = [(a.position, a.speaker) for a in self.history
                      if a.plural == want_plural and (a.person or ref.pronoun in ("they", "it"))]
        if not want_plural:
            candidates += [(p, s) for p, s in self.person_mentions if p < position]
        else:
            candidates += [(p, s) for p, s in self.groups if p < position]
        candidates = [c for c in candidates if c[0] < position]
        wanted = PERSONAL.get(ref.pronoun)
        if wanted:  # he and she stand for people: named ones, or one described by an office
            candidates = [c for c in candidates if self._person_antecedent(c[1])]
        if wanted:  # "she" passes over the men, "he" over the women, and prefers who is known to fit
            candidates = [c for c in candidates if self.gender.get(c[1].name, wanted) == wanted]
            known = [c for c in candidates if self.gender.get(c[1].name) == wanted]
            candidates = known or candidates
        if not candidates and wanted:
            candidates = [(p, s) for p, s in self.named_subjects if 0 < position - p <= MAX_UNTAGGED_DISTANCE
                          and self.gender.get(s.name, wanted) == wanted]
        return max(candidates, key=lambda c: c[0])[1] if candidates else None

    def _person_antecedent(self, speaker: Speaker) -> bool:
        """A named person, someone described by an office, or a name the text itself says is a
        person's ("a former fighter called Abu Karim") even where the model tagged it a place."""
        return self._named_person(speaker.name) or _office(speaker) or (
            speaker.resolved_by == "apposition" and _name_shaped(speaker.name))

    def _named_person(self, name: str | None) -> bool:
        return bool(name) and not self.people.is_place(name) and _name_shaped(name)

    def _description_antecedent(self, ref: SourceRef, position: int) -> Speaker | None:
        same_head = [a for a in self.history if a.head == ref.definite_head and a.position < position
                     and a.plural == ref.plural and a.speaker.name and a.speaker.name.lower() != (ref.speaker.name or "").lower()]
        if same_head:
            return same_head[-1].speaker
        if ref.plural and ref.definite_head in RESEARCHER_NOUNS:
            earlier = [(p, s) for p, s in self.groups if p < position]
            earlier += [(a.position, a.speaker) for a in self.history if a.plural and a.person
                        and " and " in (a.speaker.name or "")]
            if earlier:
                return max(earlier, key=lambda c: c[0])[1]
        # 'Donald Trump told supporters ... The billionaire businessman says': a description of an
        # office with a word that qualifies it names the person just named
        if ref.plural or not _office(ref.speaker):
            return None
        named = [(a.position, a.speaker) for a in self.history if not a.plural and self._named_person(a.speaker.name)]
        named += [(p, s) for p, s in self.person_mentions if self._named_person(s.name)]
        near = [c for c in named if position - MAX_VARIATION_DISTANCE <= c[0] < position]
        role = ref.speaker.role.split()
        if len(role) == 1:  # a bare "the senator": someone just named senator
            near = [c for c in near if role[0] in self.titles.get(c[1].name, ()) or (c[1].role or "").endswith(role[0])]
        return max(near, key=lambda c: c[0])[1] if near else None
