"""The document's view of each speaker: names cleaned of titles, full names for short ones,
the type of source (person, organisation, document, group) and the role a phrase gives."""
from __future__ import annotations

from ..model import Entity, Speaker
from .entities import clean_name

_NAME_PARTICLES = {"de", "la", "le", "van", "von", "der", "den", "al", "bin", "ibn", "da", "di", "du", "y", "del"}  # "a deserter called X", "a man named X", "known as X"


# Words that stand before a name as a title or office ("Sen. Warren", "Gov. Mike Pence"): they
# are not part of the person's name.
NAME_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator", "rep", "representative",
               "gov", "governor", "president", "vice", "secretary", "gen", "general", "col", "colonel", "lt",
               "capt", "captain", "sgt", "rev", "reverend", "judge", "justice", "mayor", "chairman",
               "chairwoman", "speaker", "sheriff", "chief", "adm", "admiral", "sir", "dame", "lord", "lady",
               "sheikh", "imam", "pastor", "bishop", "rabbi", "commissioner", "ambassador", "minister",
               "commander", "emir", "former", "prime", "attorney", "candidate", "nominee", "sergeant", "officer"}
# Heads of sources that are documents or outlets rather than people ("the report", "the poll").
MEDIA_NOUNS = {"report", "study", "statement", "article", "poll", "survey", "memo", "letter", "ad",
               "advertisement", "book", "newspaper", "paper", "magazine", "website", "site", "show", "program",
               "programme", "broadcast", "editorial", "column", "release", "document", "complaint", "analysis",
               "filing", "lawsuit", "ruling", "order", "tweet", "post", "video", "email", "e-mail", "message",
               "note", "transcript", "publication", "story", "piece", "blog", "network", "station"}
# Last words of outlet names ("The Sun", "New York Times", "Fox News").
MEDIA_NAME_WORDS = {"times", "post", "journal", "news", "herald", "tribune", "gazette", "magazine", "press",
                    "sun", "guardian", "telegraph", "daily", "radio", "tv", "television", "broadcasting",
                    "network", "chronicle", "observer", "independent", "economist", "review", "politico",
                    "reuters", "bloomberg", "cnn", "msnbc", "bbc", "npr", "abc", "cbs", "nbc", "ap", "afp",
                    "courier", "star", "mail", "record", "bulletin", "dispatch", "standard", "globe", "inquirer",
                    "examiner", "sentinel", "monitor", "express", "mirror", "times-picayune", "wire"}
GROUP_HEADS_PLURAL = {"NNS", "NNPS"}


def _name_shaped(name: str | None) -> bool:
    """Capitalised words (name particles aside), one person: 'Abu Karim', 'Ahmad al Hassan'."""
    if not name or " and " in name:
        return False
    words = strip_title(name).split()
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words) and words[0][:1].isupper()


def strip_title(name: str) -> str:
    """'Sen. Elizabeth Warren' -> 'Elizabeth Warren', 'Mr. Sloan' -> 'Sloan'."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
        words = words[1:]
    return " ".join(words)


def clean_speaker_name(name: str | None) -> str | None:
    """A speaker name fit to show: one line, no markup debris, no headline in capitals."""
    if not name:
        return name
    if "\n" in name:  # a name run over a line break took a headline or dateline with it
        name = [part for part in name.split("\n") if part.strip()][-1]
    name = name.strip(" \t\"'\u201c\u201d\u2018\u2019<>()[]{}*#|-,;:")
    words = name.split()
    if not words:
        return None
    if len(words) > 1 and sum(w.isupper() and len(w) > 1 for w in words) >= 2:
        return None  # "OBAMA FOCUSED": a headline run in capitals, not a name
    return name


def _surname_key(word: str) -> str:
    return word.lower().strip(".,").removesuffix("\u2019s").removesuffix("'s")


class DocumentPeople:
    """The full names a document gives its people, to complete "White", "Mr. Sloan", "WALLACE"."""

    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self.by_last: dict[str, set[str]] = {}
        self.by_first: dict[str, set[str]] = {}
        self.other_by_last: dict[str, set[str]] = {}  # organisations and mis-tagged names
        self.entity_of: dict[str, Entity] = {}
        self.mentions: dict[str, int] = {}
        self.places = {n.lower() for e in entities if e.label in ("GPE", "LOC", "FAC")
                       for n in [e.name, *e.aliases]}
        self.persons = {n.lower() for e in entities if e.label == "PERSON" for n in [e.name, *e.aliases]}
        for entity in entities:
            for name in [entity.name, *entity.aliases]:
                full = strip_title(clean_name(name))
                words = full.split()
                if len(words) < 2 or "\n" in name or not all(w[:1].isupper() for w in words) \
                        or _looks_like_verb(words[0]):
                    continue
                if entity.label != "PERSON":
                    if len(words) <= 4:
                        self.other_by_last.setdefault(_surname_key(words[-1]), set()).add(full)
                        self.entity_of.setdefault(full, entity)
                    continue
                self.by_last.setdefault(_surname_key(words[-1]), set()).add(full)
                self.by_first.setdefault(_surname_key(words[0]), set()).add(full)
                self.entity_of.setdefault(full, entity)
                self.mentions[full] = max(self.mentions.get(full, 0), len(entity.mentions))

    def full_name(self, name: str, speakers: set[str] = frozenset()) -> str | None:
        """The full name of the document that a one-word name stands for: the only one that
        fits, else the only one that fits and speaks in the document, else the one the document
        names at least twice as often as any other that fits."""
        word = strip_title(name)
        if len(word.split()) != 1:
            return None
        key = _surname_key(word)
        fits = self.by_last.get(key) or self.by_first.get(key) or self.other_by_last.get(key) or set()
        fits = _longest_only(fits)
        if len(fits) > 1:
            speaking = fits & speakers
            if len(speaking) == 1:
                return next(iter(speaking))
            counts = sorted(((self.mentions.get(f, 0), f) for f in fits), reverse=True)
            return counts[0][1] if counts[0][0] >= 2 * counts[1][0] else None
        return next(iter(fits)) if fits else None

    def is_place(self, name: str) -> bool:
        key = name.lower()
        return key in self.places and key not in self.persons


def _looks_like_verb(word: str) -> bool:
    """'Injecting Clinton', 'Crooked Hillary Clinton': a headline word the model took into a name."""
    return len(word) > 5 and word.lower().endswith(("ing", "ed"))


# Nouns that say what someone is to others or that they are human, not what office they hold:
# "he" after "his son" or "a woman" is too often someone else to resolve to them.
_GENERIC_PERSON_NOUNS = {"man", "woman", "person", "people", "son", "daughter", "mother", "father", "wife",
                         "husband", "brother", "sister", "child", "kid", "boy", "girl", "friend", "one",
                         "someone", "somebody", "anybody", "anyone", "everyone", "nobody", "other", "resident",
                         "voter", "neighbor", "neighbour", "relative", "family", "parent", "guy", "lady"}


# Endings of nouns for people by what they do ("minister", "spokesman", "president", "chief").
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "man", "woman", "person", "ent", "ant", "ee", "ary", "ief", "ess", "ive",
                  "crat", "eur", "aide", "official", "head", "chair")
# Common nouns with those endings that name things, not people ("brain cancer confirmed ...").
_THINGS_LIKE_AGENTS = {"cancer", "paper", "letter", "water", "number", "order", "matter", "power", "center", "centre",
                       "answer", "chapter", "computer", "weather", "winter", "summer", "border", "disaster", "factor",
                       "error", "sector", "statement", "document", "agreement", "comment", "amendment", "argument",
                       "element", "event", "incident", "moment", "movement", "content", "percent", "initiative",
                       "narrative", "objective", "summary", "library", "boundary", "anniversary", "commentary",
                       "headline", "address"}


# Offices named by the titles before names ("Sen. Ann Roe" is a senator).
TITLE_OFFICES = {"sen": "senator", "senator": "senator", "rep": "congressman", "representative": "congressman",
                 "gov": "governor", "governor": "governor", "president": "president", "mayor": "mayor",
                 "chairman": "chairman", "chairwoman": "chairwoman", "speaker": "speaker", "sheriff": "sheriff",
                 "judge": "judge", "minister": "minister", "ambassador": "ambassador", "secretary": "secretary",
                 "gen": "general", "general": "general", "commissioner": "commissioner", "chief": "chief"}
MAX_VARIATION_DISTANCE = 300  # characters from a named person back to a description of them
MAX_UNTAGGED_DISTANCE = 400  # characters from a name the model did not tag a person back to a "he"/"she"


def _office(speaker: Speaker) -> bool:
    """An unnamed speaker described by an office or trade ("the minister", "a spokesman")."""
    role = (speaker.role or "").split()
    name = speaker.name or ""
    return bool(role) and role[-1] not in _GENERIC_PERSON_NOUNS and role[-1] not in _THINGS_LIKE_AGENTS \
        and role[-1].endswith(_AGENT_ENDINGS) \
        and name[:1].islower() and len(name.split()) <= 4 and " and " not in name \
        and not any(c.isdigit() for c in name)


def _longest_only(names: set[str]) -> set[str]:
    """'Mark Barabak' and 'Mark Z. Barabak' are one person: keep the names no other contains."""
    return {n for n in names if not any(o != n and set(n.split()) < set(o.split()) for o in names)}


def speaker_type(speaker: Speaker, entity: Entity | None, plural: bool, head_lemma: str | None,
                 is_person: bool) -> str:
    """person | group | organisation | media | unknown."""
    name = speaker.name or ""
    last = name.split()[-1].lower().strip(".") if name else ""
    if entity is not None and entity.label == "PERSON":
        return "person"
    if head_lemma in MEDIA_NOUNS:
        return "media"
    if entity is not None and entity.label in ("ORG", "NORP"):
        return "media" if last in MEDIA_NAME_WORDS else "organisation"
    if not name:
        return "unknown"
    if head_lemma is not None and _is_org_lemma(head_lemma):
        return "organisation"
    if plural and not " and " in name and name[:1].islower():
        return "group"
    if " and " in name:
        return "group"
    if name[:1].isupper() and last in MEDIA_NAME_WORDS:
        return "media"
    return "person" if is_person else "unknown"


def _is_org_lemma(lemma: str) -> bool:
    return lemma in ("group", "ministry", "government", "agency", "army", "police", "office", "organisation",
                     "organization", "committee", "council", "campaign", "network", "company", "party",
                     "administration", "department", "union", "firm", "court", "commission", "bank")


def role_phrase(head) -> str | None:
    """The whole nominal naming a role: 'harbour master', 'former fighter', 'chief of security'
    (modifiers that are not names, articles or possessives; a short of-phrase)."""
    if head.pos_ != "NOUN":
        return None
    left = []
    for child in sorted(head.lefts, key=lambda t: t.i, reverse=True):
        if child.i != (left[0].i if left else head.i) - 1:
            break
        if child.dep_ in ("compound", "amod") and child.pos_ in ("NOUN", "ADJ", "PROPN", "VERB") \
                and child.text[:1].islower() and child.is_alpha:
            left.insert(0, child)
        else:
            break
    words = [t.lower_ for t in left] + [head.lemma_.lower()]
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        tail = sorted(of.subtree, key=lambda t: t.i)
        if len(tail) <= 3 and all(t.pos_ in ("ADP", "NOUN") and t.text[:1].islower() for t in tail):
            words += [t.lower_ for t in tail]
    return " ".join(words)
