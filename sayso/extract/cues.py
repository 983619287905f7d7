"""The cue lexicon: verbs and nouns of saying (and, optionally, of believing), shipped as data."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


@dataclass(frozen=True)
class CueLexicon:
    verbs: frozenset[str]
    nouns: frozenset[str]

    def is_cue_verb(self, token) -> bool:
        return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.verbs

    def is_cue_noun(self, token) -> bool:
        return token.pos_ == "NOUN" and token.lemma_.lower() in self.nouns


def load_cues(path: str | Path | None = None, include_belief: bool | None = None) -> CueLexicon:
    if path is None:
        return _shipped(include_belief)
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return _from_data(data, include_belief)


@lru_cache(maxsize=2)
def _shipped(include_belief: bool | None) -> CueLexicon:
    data = yaml.safe_load(resources.files("sayso.data").joinpath("cues.yaml").read_text("utf-8"))
    return _from_data(data, include_belief)


def _from_data(data: dict, include_belief: bool | None) -> CueLexicon:
    if not isinstance(data, dict) or not data.get("speech_verbs"):
        raise ValueError("a cue lexicon needs a 'speech_verbs' list")
    verbs = set(data["speech_verbs"])
    if include_belief if include_belief is not None else data.get("include_belief", False):
        verbs |= set(data.get("belief_verbs") or [])
    return CueLexicon(frozenset(v.lower() for v in verbs),
                      frozenset(n.lower() for n in data.get("speech_nouns") or []))
