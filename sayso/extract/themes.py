"""Themes from a research codebook. The codebook stage lands with the themes issue; until then
no themes are assigned and the key stays empty."""
from __future__ import annotations

from ..model import ThemeHit


def extract_themes(doc, quotes) -> list[ThemeHit]:
    return []
