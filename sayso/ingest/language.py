"""The language a document is written in, detected offline with py3langid (ISO 639-1 codes)."""
from __future__ import annotations

import functools

MIN_LETTERS = 40  # below this a guess is noise ("Hello" reads as Breton)
MIN_PROBABILITY = 0.5
SAMPLE = 20_000


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The most likely language of `text`, or None when the text is too short or too mixed to tell."""
    sample = text[:SAMPLE]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_PROBABILITY else None
