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


def implied(result):
    return [(int(c.number), c.qualifier, c.object, c.event, c.implied) for c in result.counts]


def test_numbers_whose_noun_is_left_out_count_people_and_carry_the_event(analyze):
    r = analyze("Two drivers were killed and 9 injured when the lorry overturned. Officials said 4 were dead "
                "and 11 wounded.")
    assert implied(r) == [(2, None, "drivers", "kill", False), (9, None, "people", "injure", True),
                          (4, None, "people", "kill", True), (11, None, "people", "wound", True)]


def test_more_wounded_a_rising_toll_and_a_figure_compared_with_another(analyze):
    r = analyze("The raiders shot three guards and wounded 6 more. The death toll rose to 31 by the evening. "
                "The clinic counted 420 new patients, up from 310 a month before.")
    assert implied(r) == [(3, None, "guards", "shoot", False), (6, None, "people", "wound", True),
                          (31, None, "people", "kill", True), (420, None, "new patients", "count", False),
                          (310, None, "new patients", "count", True)]


def test_a_total_broken_into_parts_and_a_population(analyze):
    r = analyze("Of its 3,600 members, 1,900 are teachers. The district has a population of about 80,000.")
    assert implied(r) == [(3600, None, "members", None, False), (1900, None, "teachers", None, True),
                          (80000, "about", "people", None, True)]


def test_one_with_a_casualty_or_arrest_is_a_count_and_one_speaking_is_not(analyze):
    r = analyze("One man was arrested at the depot. One farmer said the road was shut.")
    assert implied(r) == [(1, None, "man", "arrest", False)]


def test_tens_of_thousands_and_numbers_without_a_thousands_separator(analyze):
    r = analyze("Tens of thousands of people crossed the river. About 1800 families stayed.")
    assert counts(r) == [(20000, "tens of thousands of", "people"), (1800, "about", "families")]


def test_addresses_phone_and_emergency_numbers_scores_and_measurements_are_not_counts(analyze):
    r = analyze("He lives in the 4300 block of Elm Lane. Call 911 or ring 555-0142. The board voted 6-3. "
                "The trucks drove at 55 mph across 120 acres. She found a pair of pliers in 2019 2 days later. "
                "Dial 3-1-1 for the council. Housing is the number two worry. He faces one count of theft. "
                "Both hoped to score upsets. Seven in 10 voters agreed, nine out of 10 nurses too.")
    assert r.counts == []


def test_two_and_a_half(analyze):
    assert counts(analyze("The office keeps two and a half posts.")) == [(2.5, None, "posts")]


def test_a_year_right_before_a_count_is_not_added_to_it_and_spaced_thousands_are_one_number(analyze):
    r = analyze("In 2021 14 fishermen were rescued. Since 2015 40 soldiers have deserted. "
                "Nearly 250 000 people fled the coast.")
    assert counts(r) == [(14, None, "fishermen"), (40, None, "soldiers"), (250_000, "nearly", "people")]


def test_a_total_broken_into_parts_keeps_every_part(analyze):
    r = analyze("Forty people died in the fire; 25 were children and 15 were women.")
    assert counts(r) == [(40, None, "people"), (25, None, "children"), (15, None, "women")]
