from sayso.extract.quotemarks import find_quote_spans


def spans(text):
    return [(text[s.start:s.end], s.nested_in, s.closed) for s in find_quote_spans(text)]


def test_curly_and_straight_marks():
    text = "\u201cWe stayed,\u201d she said. He said: \"We left.\""
    assert [s[0] for s in spans(text)] == ["We stayed,", "We left."]


def test_mixed_straight_open_and_curly_close():
    text = "\"The roads were closed,\u201d he said."
    assert spans(text)[0][0] == "The roads were closed,"


def test_quote_split_by_speech_verb_gives_two_spans():
    text = "\u201cFirst part,\u201d the officer said. \u201cSecond part.\u201d"
    assert [s[0] for s in spans(text)] == ["First part,", "Second part."]


def test_quote_continues_over_paragraphs():
    text = "He said, \u201cThe first paragraph runs on.\n\n\u201cAnd the second closes it.\u201d\n\nAfter."
    found = spans(text)
    assert len(found) == 1
    assert found[0][0].startswith("The first paragraph") and found[0][0].endswith("closes it.")


def test_single_quotes_nested_in_double_point_to_parent():
    text = "She said, \u201cThe guard shouted, \u2018Stop right there now,\u2019 and fired.\u201d"
    found = spans(text)
    assert found[1] == ("Stop right there now,", 0, True)


def test_apostrophes_are_not_quote_marks():
    text = "He said, \u201cWe don\u2019t know the fighters\u2019 names.\u201d"
    assert len(spans(text)) == 1


def test_unclosed_mark_ends_at_paragraph_and_rest_survives():
    text = "He said, \u201cthis never closes.\n\nLater: \u201cThis one is fine,\u201d she said."
    found = spans(text)
    assert found[0] == ("this never closes.", None, False)
    assert found[1][0] == "This one is fine,"
