"""Invariants over random text (Hypothesis): the analysis never raises, and every fact's offsets
point at its own words in the analysed text."""
from __future__ import annotations

import importlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sayso
from sayso.ingest.readers import make_document

QUOTE_MARKS = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\u2039", "\u203a"]
CONTROL = ["\n", "\n\n", "\r\n", "\t", "\x0b", "\x0c", "\x00", "\x1b", "\u200b", "\u200e", "\u2028", "\ufeff"]
WORDS = ["said", "told", "according to", "Correction:", "he", "she", "they", "Abu", "Karim", "Paris", "Mosul",
         "more than", "12", "three", "hundreds of", "deserters", "people", "fled", "the", "of", "and", "Dr.",
         "Ms", "Nadia", "Farouk", "UN", "ISIS", "village", "money", "joined", "left", ":", "Q:", "A:", ".", ",",
         "-", "%", "1,200", "2.5 million", "Mr.", "an earlier version of this story said"]

pieces = st.one_of(st.sampled_from(WORDS), st.sampled_from(QUOTE_MARKS), st.sampled_from(CONTROL),
                   st.text(min_size=1, max_size=8), st.sampled_from([" "] * 3))
texts = st.lists(pieces, min_size=1, max_size=60).map(" ".join)


def assert_offsets(text: str, analysis) -> None:
    for q in analysis.quotes:
        assert text[q.start:q.end] == q.text, q
        if q.parts:  # the quoted passages: in order, apart, the first starting and the last ending the quote
            bounds = [b for part in q.parts for b in part]
            assert bounds == sorted(bounds) and bounds[0] == q.start and bounds[-1] == q.end, q
    for c in analysis.counts:
        assert text[c.start:c.end] == c.text, c
    for c in analysis.corrections:
        assert text[c.start:c.end] == c.text, c
    mentions = [m for e in analysis.entities for m in e.mentions] + [m for p in analysis.places for m in p.mentions]
    mentions += [m for t in analysis.themes for m in t.evidence]
    for m in mentions:  # a mention is the words themselves: inside the text, no blank at either end
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start:m.end] == text[m.start:m.end].strip(), m
    for q in analysis.quotes:  # a speaker without a name is linked to no entity
        assert q.speaker.name is not None or q.speaker.entity_id is None, q


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_analysis_never_raises_and_offsets_point_at_the_facts(raw):
    try:
        document = make_document("prop", raw)
    except Exception:  # the reader refuses it (empty after normalising): nothing to analyse
        return
    [analysis] = list(sayso.analyze_documents([document]))
    assert_offsets(document.text, analysis)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["\u201cWe left at night,\u201d said Nadia Farouk.", "Some 40 families fled Mosul.",
                                 "\u201cOpen", "quote\u201d", "she told reporters.", "Correction: it said 3."]),
                min_size=1, max_size=12), st.sampled_from([" ", "\n", "\n\n"]))
def test_sentences_in_any_order_keep_offsets(sentences, glue):
    text = glue.join(sentences)
    assert_offsets(text, sayso.analyze(text))


SENTENCES = ["\u201cWe left at night,\u201d said Nadia Farouk.", "Some 40 families fled Mosul.", "\u201cOpen",
             "quote\u201d", "she told reporters.", "Correction: it said 3.", "\u201cThey paid us nothing,\u201d he said.",
             "Nadia Farouk", "According to the UN, 300 tents reached Erbil."]


@pytest.fixture()
def small_segments():
    """Segments of 150 characters, so that short texts exercise the cutting and the merging."""
    module = importlib.import_module("sayso.analyze")  # the package's `analyze` is the function
    kept, module.SEGMENT_CHARS = module.SEGMENT_CHARS, 150
    yield
    module.SEGMENT_CHARS = kept


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=20), st.sampled_from([" ", "\n", "\n\n"]))
def test_facts_of_segments_are_put_back_with_offsets_and_ids_right(small_segments, sentences, glue):
    text = glue.join(sentences)
    analysis = sayso.analyze(text)
    assert_offsets(text, analysis)
    quote_ids = [q.id for q in analysis.quotes]
    entity_ids = [e.id for e in analysis.entities]
    assert len(set(quote_ids)) == len(quote_ids) and len(set(entity_ids)) == len(entity_ids)
    assert all(q.nested_in in (None, *quote_ids) and q.speaker.entity_id in (None, *entity_ids) for q in analysis.quotes)
    assert all(c.quote_id in (None, *quote_ids) for c in analysis.counts)
