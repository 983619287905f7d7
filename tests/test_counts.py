import pytest

from sayso.extract.counts import parse_number


def counts(result):
    return [(c.number, c.qualifier, c.object) for c in result.counts]


@pytest.mark.parametrize("words,value", [(["1,200"], 1200), (["twenty-five"], 25), (["three", "hundred"], 300),
                                         (["2.5", "million"], 2_500_000), (["a", "dozen"], 12)])
def test_parse_number(words, value):
    assert parse_number(words) == value


def test_counts_with_qualifiers_and_word_numbers(analyze):
    r = analyze("More than 100 deserters reached the border. A dozen recruits stayed behind, "
                "and over 300 people were moved. Four commanders fled with cash.")
    assert counts(r) == [(100, "more than", "deserters"), (12, None, "recruits"),
                         (300, "over", "people"), (4, None, "commanders")]


def test_partitive_and_vague_counts(analyze):
    r = analyze("Three of the prisoners escaped. Hundreds of families waited at the gate.")
    assert counts(r) == [(3, None, "prisoners"), (200, "hundreds of", "families")]


def test_years_ages_durations_money_and_percentages_are_not_counts(analyze):
    r = analyze("In 2014 a 14-year-old boy waited two hours. He paid 400 dollars, "
                "and 30 percent of the town left on May 5. One man said it was his second trip.")
    assert r.counts == []
