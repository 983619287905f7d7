"""Entities: spaCy's named entities grouped so that every name a document uses for one person,
organisation or place becomes one `Entity` with its aliases (acronyms defined in the text,
surnames of full names, "X group" for X, and known equivalences from an alias file)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .gazetteer import demonyms, normalise

from . import span_mention, text_of
from ..model import Entity, Mention

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "professor", "sheikh", "gen", "general", "col", "colonel",
           "president", "minister", "sir", "imam", "commander", "emir", "lt", "capt", "captain", "sgt"}


class AliasFileError(ValueError):
    pass


@dataclass
class AliasTable:
    """Lower-cased alias -> (canonical name, label)."""

    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    surface: set[str] = field(default_factory=set)  # aliases as written, to find in text
    _pattern: re.Pattern | None = None

    def lookup(self, text: str) -> tuple[str, str] | None:
        return self.names.get(_key(text))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Known names in the text, as written (case matters: "IS" is not "is")."""
        if self._pattern is None:
            names = sorted((a for a in self.surface if not a.lower().startswith("the ")), key=len, reverse=True)
            self._pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
        return [(m.start(), m.end(), m.group()) for m in self._pattern.finditer(text)]


@lru_cache(maxsize=8)
def load_aliases(path: str | Path | None = None) -> AliasTable:
    """The shipped alias table, extended (and overridden) by the user's YAML file if given.
    Cached per path, so the stages that use it share one table."""
    table = AliasTable()
    _add_aliases(table, _shipped_aliases(), "built-in aliases")
    if path is not None:
        path = Path(path)
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AliasFileError(f"{path}: no such file") from None
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark else ""
            raise AliasFileError(f"{path}:{line} not valid YAML: {getattr(err, 'problem', err)}") from None
        _add_aliases(table, entries, str(path))
    return table


@lru_cache(maxsize=1)
def _shipped_aliases():
    return yaml.safe_load(resources.files("sayso.data").joinpath("aliases.yaml").read_text("utf-8"))


def _add_aliases(table: AliasTable, entries, where: str) -> None:
    if not isinstance(entries, list):
        raise AliasFileError(f"{where}: expected a list of entries with name, label and aliases")
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise AliasFileError(f"{where}: entry {n} needs a 'name'")
        label = str(entry.get("label", "ORG"))
        for alias in [entry["name"], *(entry.get("aliases") or [])]:
            table.names[_key(str(alias))] = (entry["name"], label)
            table.surface.add(str(alias))
    table._pattern = None


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def clean_name(text: str) -> str:
    """Entity text without a leading article, possessive or surrounding punctuation."""
    text = re.sub(r"\s+", " ", text).strip(" \t\n,.;:\"'\u201c\u201d\u2018\u2019()")
    text = re.sub(r"(?:'s|\u2019s|'|\u2019)$", "", text)
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return text.strip()


# Words no name of a person, people or place begins with: at the start of a sentence spaCy
# sometimes takes the preposition before a name into it ("Among Latinos, ..."). Words that are
# also names ("In", "To", "On", "By" are surnames) are left out.
_NOT_NAME_STARTS = {"among", "amongst", "amid", "of", "for", "from", "with", "about", "after", "before", "during",
                    "under", "against", "between", "despite", "unlike", "toward", "towards", "within", "without",
                    "upon", "into", "through", "across", "behind", "beyond", "at"}


def _without_leading_preposition(ent):
    from spacy.tokens import Span

    if ent.label_ in ("PERSON", "NORP", "GPE", "LOC") and len(ent) > 1 and ent[0].lower_ in _NOT_NAME_STARTS:
        return Span(ent.doc, ent.start + 1, ent.end, label=ent.label_)
    return ent


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    return " ".join(words)


@dataclass
class _Cluster:
    name: str
    label: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    label_votes: dict[str, int] = field(default_factory=dict)


def cluster_entities(doc, aliases: AliasTable | None = None) -> list[Entity]:
    """Group the entities of a parsed spaCy `Doc` into `Entity`s with merged aliases."""
    aliases = aliases or load_aliases()
    acronyms = _defined_acronyms(text_of(doc))
    clusters: dict[str, _Cluster] = {}
    pending: list[tuple[str, str, Mention]] = []
    for ent in _with_known_names(doc, aliases, _with_coordinated_people(doc)):
        if ent.label_ not in LABELS:
            continue
        ent = _without_leading_preposition(ent)
        text = clean_name(ent.text)
        if not text or not any(c.isalpha() for c in text):
            continue
        label = ent.label_
        known = aliases.lookup(text) or aliases.lookup(ent.text)
        if known:
            canonical, label = known
        elif text in acronyms:
            canonical = acronyms[text]
        else:
            canonical = _strip_titles(re.sub(r"\s+group$", "", text)) if label != "PERSON" else _strip_titles(text)
            known = aliases.lookup(canonical)
            if known:
                canonical, label = known
        pending.append((canonical, label, span_mention(ent)))
        cluster = clusters.setdefault(canonical.lower(), _Cluster(canonical, label))
        cluster.aliases.add(text)
        cluster.mentions.append(span_mention(ent))
        cluster.label_votes[label] = cluster.label_votes.get(label, 0) + 1
    _merge_partial_names(clusters)
    _merge_initialisms(clusters)
    entities = []
    for n, cluster in enumerate(sorted(clusters.values(), key=lambda c: c.mentions[0].start), start=1):
        label = max(cluster.label_votes, key=cluster.label_votes.get)
        others = sorted(a for a in cluster.aliases if a != cluster.name)
        mentions = sorted(cluster.mentions, key=lambda m: m.start)
        country = demonyms().get(normalise(cluster.name).removesuffix("s")) if label == "NORP" else None
        if label == "NORP" and country is None:
            country = demonyms().get(normalise(cluster.name))
        entities.append(Entity(f"e{n}", cluster.name, label, others, mentions, country))
    return entities


def _with_known_names(doc, aliases: AliasTable, ents):
    """Entities plus known names (from the alias tables) that the model did not tag."""
    from spacy.tokens import Span

    taken = {i for e in ents for i in range(e.start, e.end)}
    extra = []
    for start, end, _ in aliases.find(text_of(doc)):
        span = doc.char_span(start, end)
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue
        known = aliases.lookup(span.text)
        extra.append(Span(doc, span.start, span.end, label=known[1] if known else "ORG"))
        taken.update(range(span.start, span.end))
    return sorted([*ents, *extra], key=lambda e: e.start)


def _with_coordinated_people(doc):
    """doc.ents plus proper names coordinated with a person that the model missed:
    in "Anne Speckhard and Ahmet Yayla" the second name is a person too."""
    from spacy.tokens import Span

    ents = list(doc.ents)
    taken = {i for e in ents for i in range(e.start, e.end)}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        for partner in ent.root.conjuncts:
            if partner.pos_ != "PROPN" or partner.i in taken:
                continue
            start = partner.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN" and start - 1 not in taken:
                start -= 1
            ents.append(Span(doc, start, partner.i + 1, label="PERSON"))
            taken.update(range(start, partner.i + 1))
    return sorted(ents, key=lambda e: e.start)


def _defined_acronyms(text: str) -> dict[str, str]:
    """'Long Name (LN)' in the text defines LN as an alias of Long Name."""
    found = {}
    for m in re.finditer(r"((?:[A-Z][\w'-]*\s+(?:(?:of|for|the|and|on|in)\s+)*){1,8})\(([A-Z][A-Za-z.]{1,9})\)", text):
        long_name = clean_name(m.group(1))
        short = m.group(2)
        words = [w for w in long_name.split() if w[:1].isupper()]
        for n in range(len(words), 0, -1):  # longest tail of the name whose initials fit
            tail = words[-n:]
            if "".join(w[0] for w in tail) == short.replace(".", "")[: len(tail)] or n == len(words):
                candidate = long_name[long_name.find(tail[0]):]
                if _initials(candidate).startswith(short.replace(".", "")[:1]):
                    found[short] = re.sub(r"\s+group$", "", candidate)
                    break
    return found


def _merge_partial_names(clusters: dict[str, _Cluster]) -> None:
    """A person named by surname or first name alone joins the one full name it fits."""
    people = [c for c in clusters.values() if c.label == "PERSON" or "PERSON" in c.label_votes]
    for short in sorted(people, key=lambda c: len(c.name.split())):
        words = short.name.split()
        if len(words) > 1 and not words[0].lower() in ("abu", "umm"):
            continue
        fits = [c for c in people if c is not short and len(c.name.split()) > len(words)
                and (c.name.split()[-len(words):] == words or c.name.split()[:len(words)] == words)]
        if len(fits) == 1 and short.name.lower() in clusters:
            _absorb(clusters, fits[0], short)


def _merge_initialisms(clusters: dict[str, _Cluster]) -> None:
    """An all-capitals name equal to the initials of one longer name in the document joins it."""
    for short in list(clusters.values()):
        if not (short.name.isupper() and 2 <= len(short.name) <= 6):
            continue
        fits = [c for c in clusters.values() if c is not short and len(c.name.split()) >= 2
                and _initials(c.name) == short.name]
        if len(fits) == 1 and short.name.lower() in clusters:
            _absorb(clusters, fits[0], short)


def _absorb(clusters: dict[str, _Cluster], into: _Cluster, other: _Cluster) -> None:
    into.aliases |= other.aliases | {other.name}
    into.mentions.extend(other.mentions)
    for label, votes in other.label_votes.items():
        into.label_votes[label] = into.label_votes.get(label, 0) + votes
    del clusters[other.name.lower()]


def entity_index(entities: list[Entity]) -> dict[str, Entity]:
    """Lower-cased name or alias -> entity, for linking speakers and places to entities."""
    index: dict[str, Entity] = {}
    for entity in entities:
        for name in [entity.name, *entity.aliases]:
            index.setdefault(name.lower(), entity)
    return index
