from sayso.extract.corrections import extract_corrections


def test_correction_notice_becomes_structured_fact():
    text = ("The camp holds 8,000 people.\n\nCorrection: An earlier version of this article said the "
            "camp was run by the army. It is run by a relief agency. The Courier regrets the error.")
    (c,) = extract_corrections(text)
    assert c.wrong == "the camp was run by the army"
    assert c.right == "the camp is run by a relief agency"
    assert c.subject == "the camp"
    assert text[c.start:c.end] == c.text and c.text.startswith("Correction:")
    assert c.text.endswith("regrets the error.")


def test_text_without_notice_has_no_corrections():
    assert extract_corrections("The earlier meeting was cancelled. A version of the plan was shared.") == []


def test_correction_found_by_the_pipeline_and_not_taken_as_a_quote(analyze):
    r = analyze("Officials said the road was open.\n\nCorrection: A previous version of this story "
                "misstated the date of the attack. It was on Monday.")
    assert len(r.corrections) == 1
    assert [q.text for q in r.quotes] == ["the road was open"]
