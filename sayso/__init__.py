"""sayso: who said what, where and how many, in news reports and interview transcripts."""
from __future__ import annotations

__version__ = "0.1.0"

from .analyze import analyze, analyze_documents  # noqa: E402
from .collection import Collection  # noqa: E402
from .model import (Analysis, Correction, Count, Document, Entity, Mention, Place, Quote,  # noqa: E402
                    Speaker, ThemeHit)

__all__ = ["analyze", "analyze_documents", "Analysis", "Collection", "Correction", "Count", "Document", "Entity",
           "Mention", "Place", "Quote", "Speaker", "ThemeHit", "__version__"]
