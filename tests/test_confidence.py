"""Every quote carries a confidence, lower where its speaker was found in a less certain way."""


def test_every_quote_has_a_confidence_ordered_by_how_its_speaker_was_found(analyze):
    r = analyze("\u201cThe river rose in the night,\u201d said Omar Farouk, a nurse at the clinic.\n\n"
                "Officials have not said when the road will reopen.\n\n"
                "\u201cNobody warned us about the dam and nobody came to help us for days.\u201d")
    named, unattributed = r.quotes[0], r.quotes[-1]
    assert all(0 <= q.confidence <= 1 for q in r.quotes)
    assert named.speaker.resolved_by == "cue" and unattributed.speaker.resolved_by == "unresolved"
    assert named.confidence > 0.8 > 0.2 > unattributed.confidence


def test_transcript_turns_are_confident(analyze):
    r = analyze("Reporter: Where did the men go?\nAbu Salim: Most of them went home to their families.\n"
                "Reporter: And the others?\nAbu Salim: Some stayed with the group until the end.")
    assert r.quotes and all(q.confidence >= 0.9 and q.speaker.resolved_by == "turn" for q in r.quotes)
