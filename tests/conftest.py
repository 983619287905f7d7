from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "voa-is-deserters.txt"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repo")


@pytest.fixture(scope="session")
def analyze():
    """sayso.analyze through the real spaCy pipeline (loaded once per session)."""
    import sayso

    return sayso.analyze


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory):
    """A store built from examples/ with the library's own ingest."""
    from sayso.batch import ingest
    from sayso.store import Store

    path = tmp_path_factory.mktemp("db") / "examples.db"
    with Store(path) as store:
        report = ingest([str(EXAMPLES)], store)
    assert report.errors == [] and report.added == 8
    return path


def quote_by(result, speaker_name):
    return [q for q in result.quotes if q.speaker.name == speaker_name]
