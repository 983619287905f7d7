"""Accuracy gate: attribution on 10 PolNeAR dev articles must not fall more than 0.02 below
the figure recorded in docs/accuracy.md. Skips without ../shared."""
import re
import sys

import pytest

from conftest import ROOT, SHARED, needs_shared

pytestmark = needs_shared
TOLERANCE = 0.02


def recorded_floor() -> float:
    text = (ROOT / "docs" / "accuracy.md").read_text(encoding="utf-8")
    return float(re.search(r"gate_speech_only_e2e_f1_10 = ([\d.]+)", text)[1])


@pytest.mark.skipif(not (SHARED / "bench" / "attribution").is_dir(), reason="no attribution benchmark data")
def test_speech_only_end_to_end_f1_holds(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import attribution

    results = attribution.run(limit=10, out_dir=tmp_path, peer=False)
    f1 = results["sayso"]["speech-only"]["e2e_f1"]
    assert f1 >= recorded_floor() - TOLERANCE, f"end-to-end F1 {f1:.3f} fell below {recorded_floor():.3f}"
