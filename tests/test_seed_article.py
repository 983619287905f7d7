"""The real article in ../shared/seeds, read as a user would: the facts below were checked by
hand against the article. Skips when ../shared is absent; no sentence of it is copied here."""
import pytest

from conftest import SEED, needs_shared, quote_by

pytestmark = needs_shared


@pytest.fixture(scope="module")
def seed(analyze):
    return analyze(SEED.read_text(encoding="utf-8"), "voa-is-deserters")


def test_named_deserters_are_speakers_with_their_description(seed):
    for name in ("Abu Walid", "Abu Jamal", "Abu Shujaa"):
        quotes = quote_by(seed, name)
        assert quotes and all(q.kind == "direct" and q.speaker.role == "deserter" for q in quotes)
    (split,) = quote_by(seed, "Abu Walid")
    assert len(split.parts) == 2  # one quote, split by its cue


def test_academics_and_pronouns_resolve_to_the_two_researchers(seed):
    pair = quote_by(seed, "Anne Speckhard and Ahmet Yayla")
    mentions = {q.speaker.mention for q in pair}
    assert {"the academics", "they", "Speckhard and Yayla"} <= mentions


def test_activist_speaker_with_organisation_and_pronoun(seed):
    quotes = quote_by(seed, "Ahmad Abdulkader")
    assert len(quotes) == 3
    assert {q.speaker.mention for q in quotes} >= {"He", "he"}
    assert quotes[0].speaker.org == "Eye-On-The-Homeland"


def test_nested_quote_points_to_its_parent(seed):
    nested = [q for q in seed.quotes if q.nested_in]
    assert nested and all(any(p.id == q.nested_in and p.start <= q.start and q.end <= p.end
                              for p in seed.quotes) for q in nested)


def test_places_in_syria_and_beyond(seed):
    by_name = {p.name: p for p in seed.places}
    assert by_name["Ar Raqqah"].country == "SY"
    assert by_name["Al Mayādīn"].country == "SY"
    assert by_name["Turkey"].feature == "country"
    assert by_name["United States"].country == "US"
    assert all(p.lat is not None for p in seed.places)


def test_counts(seed):
    found = {(c.number, c.qualifier, c.object) for c in seed.counts}
    assert {(300, "over", "people"), (100, "more than", "deserters"), (12, None, "deserters"),
            (4, None, "commanders")} <= found
    assert not any(c.number in (14, 2014) for c in seed.counts)


def test_correction(seed):
    (c,) = seed.corrections
    assert "Britain" in c.wrong and "United States" in c.right
    assert not any(q.start >= c.start for q in seed.quotes)
