"""Speakers named by labels: the turns of a transcript ("Q:", "SMITH:") and transcript blocks
printed inside an article ("WALLACE: ..."), each a quote of its labelled speaker."""
from __future__ import annotations

import re

from . import text_of, word_count
from ..model import Quote, Speaker
from .quotemarks import QuoteSpan, paragraphs
from .people import DocumentPeople, clean_speaker_name, strip_title

TRANSCRIPT_CONFIDENCE = 0.95  # a whole transcript's labelled turns
LETTER_LABEL_CONFIDENCE = 0.5  # "Q:" / "A:" turns: who "A" is, the label does not say
# A paragraph of a transcript printed inside an article: 'WALLACE: ...', '"PENCE: ...' (a label in
# capitals, so that 'Note:' or 'Update:' lines and ordinary sentences never qualify).
_LABELLED = re.compile(r"[ \t]*[\"\u201c\u2018']?(?P<name>[A-Z][A-Z.'\u2019-]+(?:[ \t]+[A-Z][A-Z.'\u2019-]+){0,3})"
                       r"[ \t]*:[ \t]+(?=\S)")
_NOT_LABELS = {"NOTE", "UPDATE", "CORRECTION", "EDITOR'S NOTE", "WATCH", "READ", "RELATED", "PHOTO", "VIDEO",
               "WASHINGTON", "NEW YORK", "LONDON", "BREAKING", "EXCLUSIVE", "ANALYSIS", "OPINION", "Q", "A"}

def transcript_quotes(doc, turns, people: DocumentPeople) -> list[Quote]:
    quotes = []
    names = label_names({turn.speaker for turn in turns}, people)
    if names.get("A") == "A":  # 'Q: ... A: ...': the answers are the interviewee's, whom the headline names
        names["A"] = headline_person(doc) or "A"
    for n, turn in enumerate(turns, start=1):
        role = "interviewer" if turn.interviewer else None
        quotes.append(Quote(f"q{n}", text_of(doc)[turn.start:turn.end], turn.start, turn.end, "direct",
                            None, Speaker(name=names[turn.speaker], mention=turn.speaker, role=role,
                                          type="person", resolved_by="turn"),
                            confidence=TRANSCRIPT_CONFIDENCE if len(turn.speaker) > 1 else LETTER_LABEL_CONFIDENCE))
    return quotes


def headline_person(doc) -> str | None:
    """The one person the document's first paragraph (its headline) names: 'Q&A with Vice
    President Joe Biden'."""
    first = paragraphs(text_of(doc))[:1]
    if not first:
        return None
    names = {strip_title(clean_speaker_name(e.text) or "") for e in doc.ents
             if e.label_ == "PERSON" and e.end_char <= first[0][1]}
    names = {n for n in names if len(n.split()) > 1}
    return names.pop() if len(names) == 1 else None


def label_names(labels: set[str], people: DocumentPeople) -> dict[str, str]:
    """Speaker labels as names: 'BOULDUAN' beside 'KATE BOULDUAN' (or the document's 'Kate
    Boulduan') is that person."""
    out = {}
    for label in labels:
        name = label
        if len(label.split()) == 1 and len(label) > 1:
            longer = {o for o in labels if len(o.split()) > 1 and o.split()[-1].lower() == label.lower()}
            name = next(iter(longer)) if len(longer) == 1 else people.full_name(label) or label
        out[label] = name
    return out


def labelled_blocks(text: str) -> list[tuple[int, int, str]]:
    """Turns of a transcript printed inside an article ('WALLACE: ...'): (start, end, label) of
    each paragraph after its label; following unlabelled paragraphs go on with the same speaker.
    Only when at least two paragraphs carry such labels, from at least two speakers, or one
    label repeated."""
    paras = paragraphs(text)
    labelled = []
    for n, (start, end) in enumerate(paras):
        m = _LABELLED.match(text, start, end)
        if m and m.group("name").strip().upper() not in _NOT_LABELS and len(m.group("name")) > 1:
            labelled.append((n, m.end(), m.group("name").strip()))
    if len(labelled) < 2:
        return []
    blocks = []
    for k, (n, start, label) in enumerate(labelled):
        stop = labelled[k + 1][0] if k + 1 < len(labelled) else min(n + 4, len(paras))
        for p in range(n, stop):
            p_start, p_end = paras[p]
            begin = start if p == n else p_start
            while begin < p_end and text[begin] in " \t\"\u201c":
                begin += 1
            opening = text[p_start:p_end].lstrip(" \t\"\u201c")
            if p > n and (opening[:1] in "([" or word_count(opening) < 8 and k + 1 == len(labelled)):
                break  # stage directions ("(CROSSTALK.)"), and short lines after the last turn
            end = p_end
            while end > begin and text[end - 1] in " \t\"\u201d":
                end -= 1
            if end - begin > 1:
                blocks.append((begin, end, label))
            if p > n and not text[p_start:p_end].lstrip()[:1] in "\"\u201c":
                break  # a paragraph not continuing the transcript's quoting ends the turn
    return blocks


def outside_blocks(spans: list[QuoteSpan], blocks) -> list[QuoteSpan]:
    """Quotation marks inside transcript blocks quote titles or others, not new speech; drop
    the spans they would make (and re-point nested ones)."""
    if not blocks:
        return spans
    keep = [s for s in spans if not any(b0 <= s.start < b1 or s.start < b0 < s.end for b0, b1, _ in blocks)]
    kept_ids = {id(s) for s in keep}
    index = {id(s): n for n, s in enumerate(keep)}
    out = []
    for s in keep:
        if s.nested_in is not None:
            parent = spans[s.nested_in]
            if id(parent) not in kept_ids:
                continue
            s = QuoteSpan(s.start, s.end, index[id(parent)], s.closed)
        out.append(s)
    return out
