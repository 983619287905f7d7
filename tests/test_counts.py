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


def events(result):
    return [(int(c.number), c.object.split()[-1], c.event) for c in result.counts]


def test_each_count_carries_the_event_it_belongs_to(analyze):
    r = analyze("Four commanders fled with the treasury. Over 300 people were thrown out of their homes. "
                "The smugglers said more than 100 deserters had helped flee the town. Guards released three of "
                "the prisoners on Sunday.")
    assert events(r) == [(4, "commanders", "flee"), (300, "people", "throw"), (100, "deserters", "help flee"),
                         (3, "prisoners", "release")]


def test_conjoined_counts_share_their_verb(analyze):
    r = analyze("Two nurses and five drivers left the convoy at night.")
    assert events(r) == [(2, "nurses", "leave"), (5, "drivers", "leave")]


def test_a_count_inside_another_phrase_has_no_event(analyze):
    r = analyze("The mayor of 40 villages spoke on Monday. There were 50 trucks at the crossing.")
    assert events(r) == [(40, "villages", None), (50, "trucks", None)]


def test_ranges_keep_both_bounds(analyze):
    r = analyze("Between 20 and 30 people were hurt, and 15 to 18 houses burned.")
    assert [(c.number, c.upper, c.qualifier, c.event) for c in r.counts] == [
        (20, 30, "between", "hurt"), (15, 18, None, "burn")]


def test_a_count_said_in_a_quote_is_the_speakers_claim(analyze):
    r = analyze("\u201cMore than 40 fighters fled the base on Friday,\u201d said Rami Haddad, a local activist. "
                "Officials said 12 soldiers died. Rain fell on 30 villages.")
    quotes = {q.id: q for q in r.quotes}
    claims = [(int(c.number), c.claimed_by) for c in r.counts]
    assert claims == [(40, "Rami Haddad"), (12, "Officials"), (30, None)]
    assert all(quotes[c.quote_id].start <= c.start and c.end <= quotes[c.quote_id].end
               for c in r.counts if c.quote_id)
