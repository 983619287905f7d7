import sqlite3

import pytest

from sayso.extract.corrections import extract_corrections
from sayso.ingest.readers import make_document
from sayso.store import Store, StoreError


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


# the passage of the body a notice is about -------------------------------------------------------

FERRY = ("Night ferry returns to the lake\n\n"
         "The night ferry between Orlen and Vasby now carries 240 passengers on each crossing, the harbour "
         "office said. Tickets went on sale on Friday.\n\n"
         "Correction: An earlier version of this article said the night ferry carried 420 passengers on each "
         "crossing. It carries 240.")
CLINIC = ("The clinic in Harlow was rebuilt by volunteers from Dunmore over the winter. It reopened on Tuesday.\n\n"
          "Correction: A previous version of this story said the clinic was rebuilt by volunteers from Dunmore. "
          "It was rebuilt by volunteers from Castlebar.")


def claim_of(text, c):
    return text[c.claim_start:c.claim_end]


def outside(c):
    return c.claim_end <= c.start or c.end <= c.claim_start


def test_the_sentence_stating_the_corrected_number_is_located(analyze):
    (c,) = analyze(FERRY, "ferry").corrections
    assert c.claim_says == "right" and outside(c)
    assert "240" in claim_of(FERRY, c) and "420" not in claim_of(FERRY, c)
    assert claim_of(FERRY, c).startswith("The night ferry") and claim_of(FERRY, c).endswith("said.")


def test_a_body_still_stating_the_superseded_name_is_located_as_wrong(analyze):
    (c,) = analyze(CLINIC, "clinic").corrections
    assert c.claim_says == "wrong" and outside(c)
    assert "Dunmore" in claim_of(CLINIC, c) and "Harlow" in claim_of(CLINIC, c)


def test_a_notice_naming_only_what_was_misstated_locates_the_passage_without_judging_it(analyze):
    text = ("Convoys from the river port reach the border camp by night. Drivers said a truck must cross 40 "
            "kilometres of desert to reach it.\n\nCorrection: An earlier version of this article misstated the time "
            "it takes a truck to cross 40 kilometres of desert. The crossing takes several days, not one.")
    (c,) = analyze(text, "desert").corrections
    assert outside(c) and "40 kilometres" in text[c.claim_start:c.claim_end]
    assert c.claim_says == "about"  # what was misstated is named, the superseded value is not


def test_no_passage_without_a_distinctive_match(analyze):
    unrelated = FERRY.replace("said the night ferry carried 420 passengers on each crossing. It carries 240.",
                              "said the museum was closed on Sundays. It is open on Sundays.")
    (c,) = analyze(unrelated, "museum").corrections
    assert (c.subject, c.claim_start, c.claim_end, c.claim_says) == ("the museum", None, None, None)
    subject_only = ("The camp holds 8,000 people.\n\nCorrection: An earlier version of this article said the camp "
                    "was run by the army. It is run by a relief agency.")  # the camp, but not who runs it
    (c,) = analyze(subject_only, "camp").corrections
    assert c.claim_start is None and c.claim_says is None


def test_located_passage_round_trips_through_the_store(tmp_path, analyze):
    analysis = analyze(FERRY, "ferry")
    with Store(tmp_path / "s.db") as store:
        store.add(make_document("ferry", FERRY), analysis)
        (stored,) = store.analysis("ferry").corrections
        row = store.conn.execute("SELECT claim_start, claim_end, claim_says FROM corrections").fetchone()
    (fresh,) = analysis.corrections
    assert stored == fresh and tuple(row) == (fresh.claim_start, fresh.claim_end, "right")


def test_a_store_from_before_located_passages_is_upgraded(tmp_path, analyze):
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.add(make_document("clinic", CLINIC), analyze(CLINIC, "clinic"))
    conn = sqlite3.connect(path)  # make it look like a schema 3 store
    with conn:
        for (view,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
            conn.execute(f"DROP VIEW {view}")
        for column in ("claim_start", "claim_end", "claim_says"):
            conn.execute(f"ALTER TABLE corrections DROP COLUMN {column}")
        conn.execute("ALTER TABLE quotes DROP COLUMN parts")  # and schema 5's
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(StoreError, match="to upgrade it"):
        Store(path, readonly=True)
    with Store(path) as store:
        (old,) = store.analysis("clinic").corrections  # kept, with no passage until re-analysed
        assert old.wrong and old.claim_start is None and old.claim_says is None
        store.add(make_document("ferry", FERRY), analyze(FERRY, "ferry"))
    with Store(path, readonly=True) as store:
        (new,) = store.analysis("ferry").corrections
        assert new.claim_says == "right" and "240" in claim_of(FERRY, new)
