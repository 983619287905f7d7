"""Quotes: direct quotes (from quotation marks), indirect speech (a cue verb with a clausal
complement), "according to" claims, and transcript turns; each with its cue and speaker."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..ingest.transcripts import find_turns
from . import text_of, word_count
from ..model import Entity, Quote, Speaker
from .antecedents import name_like, named_subjects, person_groups, person_subjects, titles
from .corrections import extract_corrections
from .cues import CueLexicon
from .entities import entity_index
from .quotemarks import AMBIGUOUS_DOUBLE, CLOSE_DOUBLE, OPEN_DOUBLE, QuoteSpan, find_quote_spans, paragraphs
from .turns import label_names, labelled_blocks, outside_blocks, transcript_quotes
from .sources import (according_before, cue_text, fronted_cue_source, introducing_cue, inverted_object, name_before_cue,
                      name_label, outside_source, quote_between, source_of, subject_outside)
from .people import DocumentPeople, clean_speaker_name, speaker_type, strip_title
from .speakers import SECOND_PERSON, Resolver, SourceRef, describe_source

MIN_UNCUED_WORDS = 4  # shorter quoted spans with no cue are titles or scare quotes, not speech
MIN_INDIRECT_TOKENS = 3
MAX_CUE_AFTER_QUESTION = 5  # tokens from a quote ending in "?" or "!" to a cue in the next sentence
# Cues that say the speaker goes on: content before them may start sentences earlier.
CONTINUING_CUES = {"add", "continue"}
SPEECH_LEMMAS = {"say", "tell", "add", "write", "state", "claim", "report", "according"}
NOT_SOURCES = {"version", "headline", "caption"}  # "an earlier version of this report said"
# Small words a title keeps in lower case ("Keeping Up with the Joneses", "State of the Union").
_TITLE_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "with",
                      "by", "from", "as", "vs", "vs.", "v.", "de", "la", "is", "it", "up", "into", "over"}
MAX_TITLE_WORDS = 8
# Verbs that quote a short phrase as someone's words: 'called the plan "a gift"'.
NAMING_CUES = {"call", "describe", "label", "dub", "term", "brand", "denounce", "decry", "praise", "deride"}


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    cue: str | None = None
    cue_pos: int | None = None
    ref: SourceRef | None = None
    nested_in: _Found | None = None  # the quote this one is quoted inside
    inherit: bool = False
    speaker: Speaker = field(default_factory=Speaker)
    parts: list[list[int]] | None = None  # the quoted passages, when an attribution interrupts them


def extract_quotes(doc, cues: CueLexicon, entities: list[Entity], corrections=None) -> list[Quote]:
    """`corrections`: the document's correction notices, if already found; a notice's "said" is
    not a quote."""
    turns = find_turns(text_of(doc))
    if turns:
        return transcript_quotes(doc, turns, DocumentPeople(entities))
    by_name = entity_index(entities)
    blocks = labelled_blocks(text_of(doc))
    spans = [s for s in find_quote_spans(text_of(doc)) if not _is_title(text_of(doc)[s.start:s.end])
             and not _is_markup_value(text_of(doc), s)]
    spans = outside_blocks(spans, blocks)
    inside = _quote_mask(doc, spans)
    found = _direct_quotes(doc, spans, inside, cues, by_name)
    for start, end, _ in blocks:  # a transcript turn is one quote: nothing inside it is reported speech
        for token in doc.char_span(start, end, alignment_mode="expand") or []:
            inside[token.i] = True
    found += [_Found(start, end, "direct", speaker=Speaker(name=label, mention=label, type="person",
                                                             resolved_by="turn"))
              for start, end, label in blocks]
    used_cues = {f.cue_pos for f in found if f.cue_pos is not None}
    found += _indirect_quotes(doc, inside, used_cues, cues, by_name)
    if corrections is None:
        corrections = extract_corrections(text_of(doc))
    notices = [(c.start, c.end) for c in corrections]
    found = [f for f in found if not any(s <= f.start < e for s, e in notices)]
    found = _outside_reported_speech(found)
    found.sort(key=lambda f: (f.start, -f.end))
    people = DocumentPeople(entities)
    _resolve_speakers(doc, found, by_name, people)
    _finish_speakers(found, entities, by_name, people)
    return _to_quotes(doc, _join_interrupted(doc, found))


def _quote_mask(doc, spans: list[QuoteSpan]) -> list[bool]:
    """Per token: does it lie inside a top-level direct quote?"""
    mask = [False] * len(doc)
    for span in spans:
        if span.nested_in is not None:
            continue
        for token in doc.char_span(span.start, span.end, alignment_mode="expand") or []:
            mask[token.i] = True
    return mask


def _direct_quotes(doc, spans, inside, cues, by_name) -> list[_Found]:
    found: list[_Found] = []
    index_of_span: dict[int, int] = {}
    for n, span in enumerate(spans):
        if span.nested_in is not None:
            parent = index_of_span.get(span.nested_in)
            if parent is None:
                continue
            item = _nested_quote(doc, span, spans[span.nested_in], found[parent], cues, by_name)
        else:
            item = _attributed_direct(doc, span, inside, cues, by_name)
        if item is not None:
            index_of_span[n] = len(found)
            found.append(item)
    return found


def _tokens_in(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _attributed_direct(doc, span: QuoteSpan, inside, cues, by_name) -> _Found | None:
    tokens = _tokens_in(doc, span.start, span.end)
    if not tokens:
        return None
    sentences = {t.sent.start: t.sent for t in tokens}
    first, last = tokens[0].i, tokens[-1].i
    ending = text_of(doc)[span.start:span.end].rstrip()[-1:]
    near_only = None  # a sentence after a question or exclamation: only a cue right after the quote
    if ending in (",", "?", "!"):
        # '"... Congress," Rep. Cummings said', '"... really?" Roe asked': the attribution follows
        # even where the parser started a new sentence after the closing mark
        after = next((t for t in doc[last + 1:last + 4] if not (t.is_punct or t.is_space)), None)
        if after is not None and after.sent.start not in sentences:
            sentences[after.sent.start] = after.sent
            near_only = after.sent.start if ending != "," else None
    best = None
    for sent in sentences.values():
        for token in sent:
            if inside[token.i] or not cues.is_cue_verb(token) or first <= token.i <= last:
                continue
            if sent.start == near_only and token.i - last > MAX_CUE_AFTER_QUESTION:
                continue
            if quote_between(token.i, first, last, inside):
                continue
            distance = first - token.i if token.i < first else token.i - last
            if best is None or distance < best[0]:
                best = (distance, token)
    if best is None:
        introducing = introducing_cue(doc, tokens[0], inside, cues)
        if introducing is not None:
            best = (first - introducing.i, introducing)
    words = word_count(text_of(doc)[span.start:span.end])
    signed = _signature(doc, span)
    if signed is not None:
        return signed
    if best is None:
        according = according_before(doc, first, inside)
        if according is not None:
            ref = describe_source(according[1], by_name, {t.i for t in tokens})
            return _Found(span.start, span.end, "direct", "according to", according[0].i, ref)
        label = name_label(doc, tokens[0], inside)
        if label is not None:
            return _Found(span.start, span.end, "direct", None, None, describe_source(label, by_name, set()))
        framing = _framing_verb(tokens, inside)
        if framing is not None and words < MIN_UNCUED_WORDS and framing.lemma_ not in NAMING_CUES:
            framing = None  # a short phrase under an ordinary verb is a term or scare quote
        if framing is not None:  # 'He called the plan "a gift to the rich."': the sentence's subject
            ref = describe_source(source_of(framing), by_name, {t.i for t in tokens})
            return _Found(span.start, span.end, "direct", cue_text(framing), framing.i, ref)
        if words < MIN_UNCUED_WORDS:
            return None
        return _Found(span.start, span.end, "direct", inherit=True)
    cue = best[1]
    source = source_of(cue) or inverted_object(cue, last) or fronted_cue_source(cue, first) \
        or name_before_cue(cue, first, inside)
    if source is not None and inside[source.i]:
        source = subject_outside(cue, inside) or outside_source(cue, inside)
    if source is None or source.lower_ in SECOND_PERSON:
        # no subject outside the quotation marks (or "you": someone addressed, "Mr. Trump, do
        # you ..."): the quote goes on with its paragraph's speaker, as one with no cue
        return _Found(span.start, span.end, "direct", inherit=True)
    exclude = {t.i for t in tokens}
    ref = describe_source(source, by_name, exclude) if source is not None else None
    return _Found(span.start, span.end, "direct", cue_text(cue), cue.i, ref)


_SIGNATURE = re.compile(r"[\"\u201d\u2019]?[ \t]*[\u2015\u2014\u2013-]{1,2}[ \t]*"
                        r"(?P<name>[A-Z][\w.'\u2019-]*(?:[ \t]+(?:[A-Z][\w.'\u2019-]*|de|la|van|von|al|bin)){0,4})")


def _signature(doc, span: QuoteSpan) -> _Found | None:
    """'"... the whole quote." ― Pamela Ruiz': a quote signed with a dash and a name after it."""
    text = text_of(doc)
    m = _SIGNATURE.match(text, span.end, min(len(text), span.end + 80))
    if m is None or "\n" in text[span.end:m.start("name")]:
        return None
    name = m.group("name").rstrip(".,")
    if len(name.split()) < 2:
        return None
    speaker = Speaker(name=name, mention=name, type="person", resolved_by="cue")
    return _Found(span.start, span.end, "direct", speaker=speaker)


def _framing_verb(tokens, inside):
    """The verb outside the quotation marks of a sentence that quotes a phrase and has a subject
    of its own outside them ('Ryan called the bill "a gift to trial lawyers"')."""
    sent = tokens[0].sent
    if tokens[0].i <= sent.start + 1 and tokens[-1].i >= sent.end - 3:
        return None  # the quote is the whole sentence: no framing verb
    verb = sent.root
    if inside[verb.i] or verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = source_of(verb)
    if subject is None or inside[subject.i] or subject.pos_ not in ("PROPN", "PRON", "NOUN"):
        return None
    if subject.lower_ in ("it", "this", "that", "there", "which", "what") or subject.lower_ in SECOND_PERSON:
        return None
    return verb


def _is_markup_value(text: str, span: QuoteSpan) -> bool:
    """'author="..." id="..."': attribute values of markup left in the text, not quotes."""
    return span.start >= 2 and text[span.start - 2] == "="


def _is_title(text: str) -> bool:
    """A quoted name of a show, book, film, song or slogan ("Fox News Sunday," "State of the
    Union"): every word capitalised but the small ones, short, and not a sentence."""
    words = [w.strip(",.;:!?\u2019'\"()") for w in text.split()]
    words = [w for w in words if w]
    if not words or len(words) > MAX_TITLE_WORDS or text.rstrip().endswith(("?", "!")):
        return False
    if len(words) == 1:
        return words[0][:1].isupper() and not words[0].isupper() and words[0].lower() not in _ONE_WORD_SPEECH
    return words[0][:1].isupper() and all(w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS or not w[:1].isalpha()
                                          for w in words)


_ONE_WORD_SPEECH = {"yes", "no", "never", "absolutely", "okay", "ok", "thanks", "sorry", "maybe", "exactly", "wow"}


def _nested_quote(doc, span, parent_span, parent: _Found, cues, by_name) -> _Found | None:
    """A quote inside a quote; its speaker comes from a cue inside the parent, if any."""
    tokens = _tokens_in(doc, span.start, span.end)
    if not tokens:
        return None
    first = tokens[0].i
    sent_tokens = [t for t in tokens[0].sent if parent_span.start <= t.idx < span.start]
    cue = next((t for t in reversed(sent_tokens) if cues.is_cue_verb(t) and t.i < first), None)
    if cue is None:
        if word_count(text_of(doc)[span.start:span.end]) < MIN_UNCUED_WORDS:
            return None
        return _Found(span.start, span.end, "direct", nested_in=parent)
    source = source_of(cue)
    ref = describe_source(source, by_name, {t.i for t in tokens}) if source is not None else None
    return _Found(span.start, span.end, "direct", cue_text(cue), cue.i, ref, nested_in=parent)


def _indirect_quotes(doc, inside, used_cues, cues, by_name) -> list[_Found]:
    found = []
    for token in doc:
        if inside[token.i] or token.i in used_cues:
            continue
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            item = _according_to(doc, token, inside, by_name)
        elif cues.is_cue_verb(token):
            item = _reported_speech(doc, token, inside, by_name)
        elif cues.is_cue_noun(token):
            item = _reporting_noun(doc, token, inside, by_name)
        else:
            item = None
        if item is not None:
            found.append(item)
    return found


def _reported_speech(doc, cue, inside, by_name) -> _Found | None:
    content = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    if content is not None:
        tokens = [t for t in content.subtree]
    elif cue.dep_ == "parataxis" and cue.head.i < cue.i:
        head = cue.head
        tokens = [t for t in head.subtree if t.i < cue.left_edge.i]
    else:
        return None
    tokens = [t for t in tokens if not inside[t.i]]
    tokens = _trim(tokens)
    if len(tokens) < MIN_INDIRECT_TOKENS:
        return None
    source = source_of(cue)
    if source is None or source.lemma_ in NOT_SOURCES:
        return None
    ref = describe_source(source, by_name, {t.i for t in tokens})
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    if tokens[-1].i < cue.i and tokens[0].i == cue.sent.start and cue.lemma_ in CONTINUING_CUES:
        start = _continued_from(doc, cue.sent, inside, start)
    return _Found(start, end, "indirect", cue_text(cue), cue.i, ref)


def _continued_from(doc, sent, inside, start: int) -> int:
    """'The road will stay shut. No trucks will pass, the minister added.': content that runs
    over sentences before a closing cue. The sentence before belongs to it when it is in the
    same paragraph, holds no quotation and no cue of its own, and follows an attributed one."""
    if sent.start == 0:
        return start
    previous = doc[sent.start - 1].sent
    text = text_of(doc)
    if "\n\n" in text[previous.start_char:sent.start_char] or any(inside[t.i] for t in previous):
        return start
    if any(t.pos_ in ("VERB", "AUX") and t.lemma_ in SPEECH_LEMMAS for t in previous):
        return start
    return previous.start_char


def _reporting_noun(doc, noun, inside, by_name) -> _Found | None:
    """"The ministry's statement that ...", "a claim by the army that ...": a noun of saying
    with a that-clause; the source is its possessor or the object of its 'by'/'from'."""
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp")
                   and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if clause is None:
        return None
    source = next((c for c in noun.children if c.dep_ == "poss"), None)
    if source is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        source = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    tokens = _trim([t for t in clause.subtree if not inside[t.i]])
    if source is None or len(tokens) < MIN_INDIRECT_TOKENS:
        return None
    ref = describe_source(source, by_name, {t.i for t in tokens})
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return _Found(start, end, "indirect", noun.text, noun.i, ref)


def _according_to(doc, according, inside, by_name) -> _Found | None:
    to = next(c for c in according.children if c.lower_ == "to")
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    sent = according.sent
    phrase = {t.i for t in according.subtree}
    left = [t for t in sent if t.i < according.left_edge.i]
    right = [t for t in sent if t.i > according.right_edge.i]
    tokens = _trim(right if len(right) >= len(left) else left)
    tokens = [t for t in tokens if t.i not in phrase]
    if len(tokens) < MIN_INDIRECT_TOKENS:
        return None
    ref = describe_source(source, by_name, {t.i for t in tokens})
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return _Found(start, end, "according_to", "according to", according.i, ref)


def _trim(tokens):
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].dep_ == "mark" and tokens[0].lower_ == "that"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _outside_reported_speech(found: list[_Found]) -> list[_Found]:
    """'He vowed to tell Putin "no more nonsense"': words in quotation marks inside reported speech
    are part of that one statement (a mixed quote), not a quote of their own."""
    reported = [f for f in found if f.kind != "direct"]
    dropped = {id(f) for f in found if f.kind == "direct" and f.nested_in is None
               and any(r.start <= f.start and f.end <= r.end for r in reported)}
    for f in found:  # in reading order, so a quote's parent is decided before the quote
        if f.nested_in is not None and id(f.nested_in) in dropped:
            dropped.add(id(f))
    return [f for f in found if id(f) not in dropped]


def _resolve_speakers(doc, found: list[_Found], by_name, people: DocumentPeople) -> None:
    resolver = Resolver(person_subjects(doc, by_name), person_groups(doc, by_name), people, named_subjects(doc),
                        titles(doc, by_name))
    for item in found:
        if item.ref is not None:
            item.speaker = resolver.resolve(item.ref, item.ref.start, nested=item.nested_in is not None)
    _inherit_speakers(doc, found)


def _inherit_speakers(doc, found: list[_Found]) -> None:
    """A direct quote with no cue of its own continues the speaker of a cued quote in the same
    paragraph (before it, else after it), or of the previous paragraph's last quote when the
    whole paragraph is this quote."""
    paras = paragraphs(text_of(doc))

    def para_of(pos: int) -> int:
        return next((n for n, (s, e) in enumerate(paras) if s <= pos < e), -1)

    top = [f for f in found if f.nested_in is None and f.kind == "direct"]
    for n, item in enumerate(top):
        if not item.inherit:
            continue
        p = para_of(item.start)
        same = [f for f in top if f is not item and para_of(f.start) == p and f.speaker.name]
        before = [f for f in same if f.start < item.start]
        after = [f for f in same if f.start > item.start]
        donor = before[-1] if before else (after[0] if after else None)
        if donor is None and n > 0 and _opens_paragraph(text_of(doc), paras[p], item.start):
            previous = top[n - 1]
            if para_of(previous.start) == p - 1 and previous.speaker.name:
                donor = previous
        if donor is None:
            donor = _subject_before(doc, item, paras[p] if p >= 0 else None)
        if donor is not None:
            item.speaker = replace(donor.speaker, resolved_by="inherited")
            item.cue = donor.cue
            item.ref = donor.ref


def _finish_speakers(found: list[_Found], entities: list[Entity], by_name, people: DocumentPeople) -> None:
    """The document's view of each speaker: a name fit to show, a one-word or titled name
    completed to the one full name the document gives that person, a type, how it was found."""
    by_id = {e.id: e for e in entities}
    speaking = {f.speaker.name for f in found if f.speaker.name and len(f.speaker.name.split()) > 1}
    labels = label_names({f.speaker.name for f in found if f.speaker.resolved_by == "turn"}, people)
    for item in found:
        speaker = item.speaker
        turn = speaker.resolved_by == "turn"
        name = labels[speaker.name] if turn else clean_speaker_name(speaker.name)
        entity = by_id.get(speaker.entity_id) if speaker.entity_id else None
        if name:
            full = people.full_name(name, speaking)
            if full is not None:
                name, entity = full, people.entity_of[full]
            elif name_like(strip_title(name)) and name_like(name):
                name = strip_title(name)
        entity = entity or by_name.get((name or "").lower())
        ref = item.ref
        kind = speaker_type(replace(speaker, name=name), entity, ref.plural if ref else False,
                            ref.head_lemma if ref else None, ref.person if ref else False)
        if turn:
            kind = "person"
        if kind == "person" and entity is not None and entity.label in ("GPE", "LOC", "FAC") and speaker.role \
                and name and name_like(name):
            entity.label = "PERSON"  # 'a former fighter called Abu Karim': the text says the model's place is a person
        if not name and ref is not None and ref.pronoun in ("he", "she", "him", "her"):
            kind = "person"
        how = speaker.resolved_by or ("cue" if name else None)
        entity_id = (entity.id if entity else speaker.entity_id) if name else None  # no name, no entity
        item.speaker = replace(speaker, name=name or None, entity_id=entity_id,
                               type=kind, resolved_by=how if name else "unresolved")


def _subject_before(doc, item: _Found, para) -> _Found | None:
    """'On Sunday, Sen. Ann Roe named three reasons. "The first is ..."': a quote that is a whole
    sentence with no cue, right after a sentence of the same paragraph whose subject is a named
    person, is that person's."""
    tokens = _tokens_in(doc, item.start, item.end)
    if not tokens or para is None:
        return None
    sent = tokens[0].sent
    if sent.start == 0 or doc[sent.start - 1].idx < para[0]:
        return None
    previous = doc[sent.start - 1].sent
    subject = next((c for c in previous.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.ent_type_ != "PERSON" or subject.pos_ != "PROPN":
        return None
    ref = describe_source(subject, {}, set())
    return _Found(item.start, item.end, "direct", previous.root.text, previous.root.i, ref, speaker=ref.speaker)


def _opens_paragraph(text: str, para: tuple[int, int], start: int) -> bool:
    return not text[para[0]:start - 1].strip()


def _join_interrupted(doc, found: list[_Found]) -> list[_Found]:
    """'"A," said Ann Roe, a lawyer. "B."': a direct quote that goes on after the attribution of
    the one before it, with the same speaker, is the same statement: one quote in two parts."""
    joined: dict[int, _Found] = {}
    kept: list[_Found] = []
    previous = None  # the last top-level quote kept
    for item in found:
        if item.nested_in is not None:
            kept.append(item)
            continue
        if previous is not None and _continues(doc, previous, item):
            previous.parts = (previous.parts or [[previous.start, previous.end]]) + [[item.start, item.end]]
            previous.end = item.end
            if previous.speaker.resolved_by == "inherited" and item.speaker.resolved_by != "inherited":
                previous.speaker, previous.cue = item.speaker, item.cue
            joined[id(item)] = previous
            continue
        kept.append(item)
        previous = item
    for item in kept:
        if item.nested_in is not None and id(item.nested_in) in joined:
            item.nested_in = joined[id(item.nested_in)]
    return kept


def _continues(doc, before: _Found, item: _Found) -> bool:
    """Does `item` go on with `before`'s statement: both direct, the same named speaker, in one
    paragraph, and between them only the attribution of one of them, or words of the sentence
    whose one cue both quotes hang on ('called him a "liar" and "a bully"')?"""
    if before.kind != "direct" or item.kind != "direct" or not item.speaker.name \
            or item.speaker.name != before.speaker.name or item.start < before.end:
        return False
    gap = text_of(doc)[before.end:item.start]
    one_cue = before.cue_pos is not None and before.cue_pos == item.cue_pos
    if item.cue_pos is not None and not one_cue:
        return False  # a cue of its own: another attribution ('..., suggesting questions: "..."')
    if "\n" in gap and not _goes_on_next_paragraph(gap, item):
        return False
    attribution_between = before.cue_pos is not None and before.end <= doc[before.cue_pos].idx < item.start
    if not (one_cue or attribution_between):
        return False
    inner = gap[1:-1] if len(gap) > 1 else ""  # without the closing and the opening mark
    inner = _QUOTED.sub(lambda m: "" if _is_title(m.group(1)) else m.group(), inner).strip(QUOTE_EDGE)
    return not any(mark in inner for mark in QUOTE_CHARS) and len(_SENTENCE_END.findall(inner)) <= 1


def _goes_on_next_paragraph(gap: str, item: _Found) -> bool:
    """'"We will rebuild," the mayor said.' then a paragraph that is only a quote with no cue of its
    own, given to the mayor: the statement goes on after its attribution, in the next paragraph."""
    attribution, _, rest = gap.partition("\n")
    return item.speaker.resolved_by == "inherited" and item.cue_pos is None and bool(attribution.strip()) \
        and len(rest.strip()) <= 1 and rest.count("\n") <= 1


QUOTE_CHARS = AMBIGUOUS_DOUBLE + OPEN_DOUBLE + CLOSE_DOUBLE  # every double quotation mark
QUOTE_EDGE = " \t.,;:\u2019\u2018'" + QUOTE_CHARS
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
# a quoted stretch between two quotes: the title of a show, say ('said on NBC's "Meet the Press."')
_QUOTED = re.compile("[\"\u201c]([^\"\u201c\u201d]{1,80})[\"\u201d]")


def _to_quotes(doc, found: list[_Found]) -> list[Quote]:
    # kept: a quote with a speaker, or one long enough to be speech at the top level; a quote
    # inside a quote whose speaker is not found is only part of the outer speaker's words
    kept = [f for f in found if f.speaker.name or not (
        f.nested_in is not None or f.inherit and word_count(text_of(doc)[f.start:f.end]) < MIN_UNCUED_WORDS)]
    ids = {id(f): f"q{n}" for n, f in enumerate(kept, start=1)}
    return [Quote(ids[id(f)], text_of(doc)[f.start:f.end], f.start, f.end, f.kind, f.cue, f.speaker,
                  ids.get(id(f.nested_in)) if f.nested_in is not None else None,
                  confidence(f.kind, f.speaker, word_count(text_of(doc)[f.start:f.end])), parts=f.parts)
            for f in kept]


# How often a quote and its speaker are right, by how the speaker was found: the share of
# quotes found so in PolNeAR train (840 articles) that match an annotated attribution with
# the same source (bench/confidence.py prints these figures and how well they order errors).
CONFIDENCE_BY_HOW = {"apposition": 0.93, "pronoun": 0.93, "description": 0.9, "cue": 0.9, "inherited": 0.62,
                     "collection": 0.85, "turn": 0.6, "unresolved": 0.06}
UNRESOLVED_INDIRECT = 0.42  # reported speech is attributed text even when its source is a pronoun left open
NOT_A_PERSON = 0.04  # groups, organisations, outlets and unknown sources: more often a misread source
SHORT = 0.06  # fewer than MIN_UNCUED_WORDS words: a term or title as often as speech


def confidence(kind: str, speaker: Speaker, words: int) -> float:
    """0..1: how likely the quote is speech and its speaker right, from how the speaker was found."""
    how = speaker.resolved_by or "unresolved"
    if how == "unresolved":
        value = UNRESOLVED_INDIRECT if kind != "direct" else CONFIDENCE_BY_HOW["unresolved"]
    else:
        value = CONFIDENCE_BY_HOW.get(how, 0.8)
        if speaker.type != "person":
            value -= NOT_A_PERSON
    if words < MIN_UNCUED_WORDS:
        value -= SHORT
    return round(min(0.99, max(0.01, value)), 2)
