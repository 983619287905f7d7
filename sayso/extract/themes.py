"""Themes: codes from a research codebook found in quotes and paragraphs by their cues.

Cues match on lemmas, so "pay" also finds "paid". A cue under negation ("did not join for
ideological reasons") does not count, nor does a passage holding one of the code's exclude cues.
Each passage (every quote and every paragraph) gets the codes whose cues it holds; the document's
themes gather them, one per code, with every cue span as evidence. The score grows with the
number of distinct cues: 1 - 0.5 ** n."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import Matcher, PhraseMatcher

from ..codebook import Codebook
from . import text_of
from ..model import Mention, ThemeHit
from .quotemarks import paragraphs

NEGATIONS = {"not", "n't", "never", "no", "nor", "without"}
SCOPE = "__scope__"  # the matcher key of a codebook's scope cues


@dataclass
class CueMatcher:
    codebook: Codebook
    phrases: PhraseMatcher
    patterns: Matcher

    @classmethod
    def build(cls, nlp, codebook: Codebook) -> "CueMatcher":
        phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
        patterns = Matcher(nlp.vocab)
        for code in codebook.codes:
            for kind, cues in (("include", code.include), ("exclude", code.exclude)):
                key = f"{code.id}|{kind}"
                texts = [c for c in cues if isinstance(c, str)]
                if texts:
                    phrases.add(key, [_lemmatised(nlp, t) for t in texts])
                token_patterns = [[dict(token) for token in c] for c in cues if not isinstance(c, str)]
                if token_patterns:
                    patterns.add(key, token_patterns)
        if codebook.scope is not None:
            texts = [c for c in codebook.scope.cues if isinstance(c, str)]
            if texts:
                phrases.add(f"{SCOPE}|scope", [_lemmatised(nlp, t) for t in texts])
            token_patterns = [[dict(token) for token in c] for c in codebook.scope.cues if not isinstance(c, str)]
            if token_patterns:
                patterns.add(f"{SCOPE}|scope", token_patterns)
        return cls(codebook, phrases, patterns)

    def in_scope(self, doc, matches) -> bool:
        """The document is about what the codebook is for: enough different scope cues."""
        scope = self.codebook.scope
        if scope is None:
            return True
        found = {doc[s:e].lemma_.lower() for code, kind, s, e in matches if kind == "scope"}
        return len(found) >= scope.min_distinct

    def matches(self, doc) -> list[tuple[str, str, int, int]]:
        """(code id, include|exclude, start token, end token) for every cue in the doc."""
        found = set()
        for matcher in (self.phrases, self.patterns):
            if len(matcher) == 0:
                continue
            for key, start, end in matcher(doc):
                code, kind = doc.vocab.strings[key].split("|")
                found.add((code, kind, start, end))
        return sorted(found, key=lambda m: m[2])


def _lemmatised(nlp, text: str):
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"):
            doc = proc(doc)
    return doc


def negated(doc, start: int, end: int) -> bool:
    """A negation governs the cue: on the cue's own words, on a word above it in the parse, or
    just before it."""
    span = doc[start:end]
    ancestors = {t.i for tok in span for t in tok.ancestors} | {t.i for t in span}
    for token in span.sent:
        if token.lower_ in NEGATIONS and token.dep_ in ("neg", "det", "advmod", "preconj", "cc") \
                and (token.head.i in ancestors or 0 < start - token.i <= 3):
            return True
    return False


SCORERS = ("cues", "embeddings", "combined")
CONFIRM = 0.25  # combined: a cue hit stands when the passage is at least this close to the code
ADD = 0.6  # combined: a code with no cue is given when the passage is this close to it


def extract_themes(doc, quotes, matcher: CueMatcher | None, semantic=None, scorer: str = "cues") -> list[ThemeHit]:
    """Codes for every quote and paragraph. `scorer`: 'cues' (default), 'embeddings' (needs the
    optional extra; `semantic` is a SemanticScorer) or 'combined' (cue hits confirmed by
    similarity, plus codes the passage is very close to)."""
    if matcher is None:
        return []
    text = text_of(doc)
    matches = matcher.matches(doc)
    if not matcher.in_scope(doc, matches):
        return []  # outside the codebook's domain: its codes do not apply here
    cue_hits = [(code, kind, doc[s:e].start_char, doc[s:e].end_char)
                for code, kind, s, e in matches if kind != "scope" and (kind == "exclude" or not negated(doc, s, e))]
    passages = [(q.start, q.end) for q in quotes] + paragraphs(text)
    similarity = semantic.scores([text[a:b] for a, b in passages]) if semantic and scorer != "cues" else \
        [{} for _ in passages]
    codes = matcher.codebook.by_id()
    evidence: dict[str, dict[tuple[int, int], str]] = {}
    best: dict[str, float] = {}
    for (p_start, p_end), sims in zip(passages, similarity):
        inside = [h for h in cue_hits if p_start <= h[2] and h[3] <= p_end]
        excluded = {h[0] for h in inside if h[1] == "exclude"}
        if scorer != "embeddings":
            for code, kind, start, end in inside:
                if kind == "include" and code not in excluded and (scorer == "cues" or sims.get(code, 0) >= CONFIRM):
                    evidence.setdefault(code, {})[(start, end)] = text[start:end].lower()
        threshold = ADD if scorer == "combined" else semantic_threshold()
        for code, value in sims.items():
            if value >= threshold and code not in excluded and scorer != "cues":
                evidence.setdefault(code, {})[(p_start, p_end)] = f"passage:{p_start}"
                best[code] = max(best.get(code, 0.0), value)
    hits = []
    for code_id, spans in evidence.items():
        distinct = len(set(spans.values()))
        score = max(round(1 - 0.5 ** distinct, 3) if scorer != "embeddings" else 0.0, round(best.get(code_id, 0.0), 3))
        hits.append(ThemeHit(code_id, codes[code_id].label, score, [Mention(s, e) for s, e in sorted(spans)]))
    return sorted(hits, key=lambda h: (-h.score, h.code))


def semantic_threshold() -> float:
    from .semantic import THRESHOLD

    return THRESHOLD


def passage_codes(themes: list[ThemeHit], start: int, end: int) -> list[str]:
    """The codes whose evidence lies inside [start, end): the codes of one quote or paragraph."""
    return sorted({t.code for t in themes if any(start <= e.start and e.end <= end for e in t.evidence)})
