"""Corrections: editors' notices ("An earlier version of this report said X. It is Y.") as
structured facts that flag the superseded claim, and the sentence of the body each notice is
about (where the report now states the corrected fact, or still states the superseded one)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Correction

_NOTICE = re.compile(
    r"(?:(?:Correction|Clarification|Editor['\u2019]s note|CORRECTION)\s*[:\-\u2014]\s*)?"
    r"(?:An?|The)\s+(?:earlier|previous|original|prior)\s+version\s+of\s+this\s+"
    r"(?:report|article|story|post|piece|item|headline|interview)\s+"
    r"(?:incorrectly\s+|mistakenly\s+|wrongly\s+|erroneously\s+)?"
    r"(?:said|stated|reported|misstated|described|identified|misidentified|gave|referred\s+to|named|misspelled)"
    r"\s+(?:that\s+)?(?P<wrong>[^.!?]+(?:\.(?=\w)[^.!?]*)*)[.!?]"
    r"(?P<rest>\s+[^.!?]+[.!?])?",
    re.IGNORECASE,
)
_RIGHT = re.compile(r"^\s*(?:In fact,?\s+|Actually,?\s+)?(?P<right>(?:It|He|She|They|The\s+\w+|This)\b[^.!?]*)[.!?]")
_SUBJECT = re.compile(r"^(?P<subject>.+?)\s+(?:was|is|were|are|had|has|did|does|will|would|had been)\s+")
_REGRET = re.compile(r"\s*[^.!?]*\bregrets?\s+the\s+error[.!?]", re.IGNORECASE)


def extract_corrections(text: str) -> list[Correction]:
    corrections = []
    for m in _NOTICE.finditer(text):
        wrong = m.group("wrong").strip()
        rest = m.group("rest") or ""
        right_m = _RIGHT.match(rest)
        right = right_m.group("right").strip() if right_m and not _REGRET.match(rest) else None
        subject_m = _SUBJECT.match(wrong)
        subject = subject_m.group("subject") if subject_m else None
        if right and subject and re.match(r"^(It|He|She|They|This)\b", right):
            right = subject + right[right.index(" "):]
        end = m.end("rest") if right else m.end("wrong") + 1
        regret = _REGRET.match(text, end)
        if regret:
            end = regret.end()
        start = m.start()
        line_start = text.rfind("\n", 0, start) + 1
        if re.match(r"\s*(?:Correction|Clarification|Editor)", text[line_start:start], re.IGNORECASE):
            start = line_start + len(text[line_start:start]) - len(text[line_start:start].lstrip())
        corrections.append(Correction(text[start:end].strip(), start, start + len(text[start:end].strip()),
                                      wrong, right, subject))
    return corrections


# locating the claim in the body --------------------------------------------------------------

_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+")
# What comes before a claim's value once its subject is taken off: a pronoun, then verbs of being.
_LEAD = re.compile(r"^\s*(?:(?:it|he|she|they|this)\s+)?(?:(?:is|was|are|were|has|have|had|did|does|will|would"
                   r"|been|being)\s+)*", re.IGNORECASE)


@dataclass(frozen=True)
class _Terms:
    """The words a sentence of the body must have to be about a notice."""

    about: frozenset[str]  # casefolded content words of what the claim is about
    right: tuple[str, ...]  # words of the corrected value that the superseded one lacks
    wrong: tuple[str, ...]  # words of the superseded value that the corrected one lacks


def locate_claims(doc, corrections: list[Correction]) -> list[Correction]:
    """Each correction with the sentence of `doc`, outside every notice, that states its
    corrected value (`claim_says` "right") or, where no sentence does, still states the
    superseded one ("wrong"; "about" when the notice names only what was wrong: "misstated the
    amount of ..."). A sentence counts only when it names what the claim is about and
    has a number or name of the value, or most of its words; left None when none does."""
    if not corrections or not doc.has_annotation("SENT_START"):
        return corrections
    notices = [(c.start, c.end) for c in corrections]
    sentences = [s for s in doc.sents if not any(s.start_char < e and b < s.end_char for b, e in notices)]
    return [_locate(c, sentences, doc.vocab) for c in corrections]


# "misstated the amount of X": what follows such a verb (of those _NOTICE reads) names what was
# wrong, not the wrong value
_NAMES_THE_TOPIC = re.compile(r"\bmis(?:stated|identified|spelled)\b", re.IGNORECASE)
# What a located passage does, for people (the document page, /corrections).
CLAIM_SAYS = {"right": "states the corrected fact", "wrong": "still states the superseded claim",
              "about": "is what the notice corrects"}


def _locate(c: Correction, sentences, vocab) -> Correction:
    terms = _terms(c, vocab)
    superseded = "about" if _NAMES_THE_TOPIC.search(c.text) else "wrong"
    for says, words in (("right", terms.right), (superseded, terms.wrong)):
        span = _best(sentences, words, terms.about, vocab)
        if span is not None:
            return replace(c, claim_start=span[0], claim_end=span[1], claim_says=says)
    return c


def _terms(c: Correction, vocab) -> _Terms:
    """Without a subject ("misstated the date of the attack"), the superseded text names what the
    claim is about, and only its numbers and names are the superseded value."""
    right = _content(_value(c.right, c.subject), vocab)
    if c.subject:
        about = {w.casefold() for w in _content(c.subject, vocab)}
        wrong = _content(_value(c.wrong, c.subject), vocab)
    else:
        said = _content(c.wrong, vocab)
        about = {w.casefold() for w in said if not _distinctive(w, vocab)}
        wrong = [w for w in said if _distinctive(w, vocab)]
    right_words, wrong_words = {w.casefold() for w in right}, {w.casefold() for w in wrong}
    return _Terms(frozenset(about), tuple(w for w in right if w.casefold() not in wrong_words | about),
                  tuple(w for w in wrong if w.casefold() not in right_words | about))


def _value(claim: str | None, subject: str | None) -> str:
    """What a claim says of its subject: "the camp was near Kirkuk" -> "near Kirkuk"."""
    claim = claim or ""
    if subject and claim.casefold().startswith(subject.casefold()):
        claim = claim[len(subject):]
    return _LEAD.sub("", claim)


def _content(phrase: str | None, vocab) -> list[str]:
    """A phrase's numbers (thousands separators dropped) and words that are not stop words."""
    words = [w.replace(",", "") if w[0].isdigit() else w for w in _WORD.findall(phrase or "")]
    return list(dict.fromkeys(w for w in words if _number(w, vocab) or (len(w) > 1 and not vocab[w.lower()].is_stop)))


def _number(word: str, vocab) -> bool:
    return word[0].isdigit() or (word.lower() != "one" and vocab[word.lower()].like_num)


def _distinctive(word: str, vocab) -> bool:
    """A number or a name: enough, with the claim's subject, to tie a sentence to the notice."""
    return _number(word, vocab) or word[0].isupper()


def _exact(word: str) -> bool:
    """Numbers in figures and names are matched as written; other words in any case or form."""
    return word[0].isdigit() or word[0].isupper()


def _best(sentences, terms: tuple[str, ...], about: frozenset[str], vocab) -> tuple[int, int] | None:
    """(start, end) of the sentence that matches `terms` best, the first of equals; without a
    subject to name, only a sentence that is the one match."""
    scored = [(score, s) for s in sentences if (score := _score(s, terms, about, vocab))]
    if not scored or (not about and len(scored) > 1):
        return None
    _, span = max(scored, key=lambda pair: pair[0])  # max keeps the first of equal scores
    text = span.text
    start = span.start_char + len(text) - len(text.lstrip())
    return start, span.end_char - len(text) + len(text.rstrip())


def _score(sentence, terms: tuple[str, ...], about: frozenset[str], vocab) -> int:
    """0 unless the sentence names at least half the subject's words and has a number or name of
    the value (all of them, when there is no subject) or most of its words (at least two)."""
    if not terms:
        return 0
    words = {w.replace(",", "") if w[0].isdigit() else w for w in _WORD.findall(sentence.text)}
    folded = {w.casefold() for w in words} | {t.lemma_.casefold() for t in sentence}
    named = about & folded
    if 2 * len(named) < len(about):
        return 0
    marks = [t for t in terms if _distinctive(t, vocab)]
    hits = [t for t in terms if (t in words if _exact(t) else t.casefold() in folded)]
    marked = [t for t in hits if t in marks]
    enough = (len(marked) == len(marks) > 0) if not about else \
        (bool(marked) or (len(hits) >= 2 and 2 * len(hits) > len(terms)))
    return 2 * len(marked) + len(hits) + len(named) if enough else 0
