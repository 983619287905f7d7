import pytest

from sayso.extract.entities import AliasFileError, load_aliases


def names(result):
    return {e.name: e for e in result.entities}


def test_surname_and_acronym_merge_into_full_names(analyze):
    r = analyze("Researchers at the Northbridge Institute for Conflict Studies (NICS) met Marta Kowalczyk "
                "in Ankara. Kowalczyk said NICS would publish the interviews.")
    by_name = names(r)
    assert "Kowalczyk" in by_name["Marta Kowalczyk"].aliases
    assert "NICS" in by_name["Northbridge Institute for Conflict Studies"].aliases
    assert len(by_name["Marta Kowalczyk"].mentions) == 2


def test_shipped_aliases_merge_known_names(analyze):
    r = analyze("Daesh lost the town in March. ISIS fighters fled east, and the Islamic State never returned.")
    group = names(r)["Islamic State"]
    assert {"Daesh", "ISIS"} <= set(group.aliases)
    assert "Daesh" not in {p.name for p in r.places}


def test_user_alias_file_and_bad_yaml(tmp_path):
    good = tmp_path / "aliases.yaml"
    good.write_text("- name: Hayat Tahrir al-Sham\n  label: ORG\n  aliases: [HTS, Tahrir al-Sham]\n", encoding="utf-8")
    assert load_aliases(good).lookup("hts") == ("Hayat Tahrir al-Sham", "ORG")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: A\n  aliases: [B, C\n- name: D\n", encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"bad.yaml: line \d+"):
        load_aliases(bad)


def test_demonyms_are_nationalities_linked_to_their_country_not_places(analyze):
    r = analyze("Syrian and French officials met in Ankara.")
    by_name = {e.name: e for e in r.entities}
    assert by_name["Syrian"].label == "NORP" and by_name["Syrian"].country == "SY"
    assert by_name["French"].country == "FR"
    assert {p.name for p in r.places} == {"Ankara"}


def test_a_preposition_the_model_took_into_a_name_is_left_out_of_it():
    from spacy.tokens import Span

    from sayso.extract.entities import cluster_entities
    from sayso.pipeline import get_nlp

    text = "Among Latinos, her lead is two points. Of Ohio voters, most agree."
    doc = get_nlp()(text)
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 9, 11, label="GPE")]  # as the model tags them at times
    entities = {e.name: e for e in cluster_entities(doc)}
    assert set(entities) == {"Latinos", "Ohio"}
    assert [text[m.start:m.end] for e in entities.values() for m in e.mentions] == ["Latinos", "Ohio"]
