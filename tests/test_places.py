import pytest

from sayso.extract.gazetteer import lookup, normalise


def place(result, name):
    return next(p for p in result.places if p.name == name)


@pytest.mark.parametrize("variant", ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour", "Deir Ez Zor"])
def test_transliteration_variants_meet(variant):
    assert any(e.geonames_id == 170794 for e in lookup(variant))


def test_normalise_folds_articles_accents_and_variants():
    assert normalise("Tel Abyad") == normalise("Tall Abyaḑ")
    assert normalise("Al-Mayadeen") == "mayadeen"


def test_places_resolve_with_country_codes_and_coordinates(analyze):
    r = analyze("Fighters moved from Raqqa to Mosul, and some crossed into Turkey.")
    raqqa = place(r, "Ar Raqqah")
    assert raqqa.country == "SY" and abs(raqqa.lat - 35.95) < 0.1 and abs(raqqa.lon - 39.0) < 0.1
    assert place(r, "Mosul").country == "IQ"
    turkey = place(r, "Turkey")
    assert turkey.feature == "country" and turkey.geonames_id == 298795


def test_document_context_disambiguates(analyze):
    us = analyze("The fire in Alexandria, Louisiana, destroyed two homes.")
    egypt = analyze("Egypt's port city of Alexandria saw protests near the harbour.")
    assert place(us, "Alexandria").country == "US"
    assert place(egypt, "Alexandria").country == "EG"


def test_unknown_place_stays_unresolved(analyze):
    r = analyze("Refugees reached the village of Qasr Zubaydawi near Palmyra last week.")
    unresolved = [p for p in r.places if p.lat is None]
    assert all(p.lon is None and p.geonames_id is None for p in unresolved)
    assert all(p.lat is not None for p in r.places if p.name == "Palmyra")


def test_abbreviated_states_and_counties(analyze):
    r = analyze("The fair in Paris, Tenn., drew crowds from across Henry County and from Murray, Ky.")
    paris = place(r, "Paris")
    assert paris.country == "US" and abs(paris.lat - 36.3) < 0.2
    assert place(r, "Henry County").feature == "admin2"


def test_place_names_inside_organisation_names(analyze):
    r = analyze("Deputies from the Douglas County Sheriff's Office and the Minnesota Department of Health "
                "searched the lake near Alexandria, Minn.")
    names = {p.name for p in r.places}
    assert {"Douglas County", "Minnesota"} <= names
    assert place(r, "Alexandria").country == "US"


def test_country_points_and_no_guessing(analyze):
    r = analyze("Officials in the U.S. and in Syria said the talks would go on.")
    us = place(r, "United States")
    assert (round(us.lat, 1), round(us.lon, 1)) == (39.8, -98.5)
