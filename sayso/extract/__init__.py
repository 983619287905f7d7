"""Extraction stages. Each module reads a parsed spaCy `Doc` (or its text) and returns model
objects with character offsets; `sayso.pipeline` wires them in as spaCy components."""


def text_of(doc) -> str:
    """The document's text. spaCy's `doc.text` rebuilds the string on every call, and the
    extractors slice it often, so it is built once and kept with the doc."""
    text = doc.user_data.get("sayso_text")
    if text is None:
        text = doc.user_data["sayso_text"] = doc.text
    return text


def span_mention(span):
    """A mention of a spaCy span: its characters without blank space at either end (the model's
    entities can take in a line break after a name)."""
    from ..model import Mention

    text = span.text
    return Mention(span.start_char + len(text) - len(text.lstrip()), span.end_char - len(text) + len(text.rstrip()))


def word_count(text: str) -> int:
    """Words with a letter or digit in them (a dash or a lone quotation mark is no word)."""
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))
