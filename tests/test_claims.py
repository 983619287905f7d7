import json

import pytest
from click.testing import CliRunner

from sayso.claims import claim_ids, clusters, speaker_groups, unclustered, update
from sayso.claims.text import changes, norm, same_claim, words

GOVERNOR = "We will rebuild every school in this valley before the winter comes"
STORIES = [
    {"id": "ledger", "date": "2024-03-01", "source": "Daily Ledger",
     "text": f"Rain fell on Tuesday.\n\n\u201c{GOVERNOR},\u201d said Mara Quinlan, the regional governor."},
    {"id": "post", "date": "2024-03-02", "source": "Evening Post",
     "text": "The governor toured the valley.\n\n\u201cWe will rebuild every school in this valley,\u201d "
             "said Quinlan on Wednesday."},
    {"id": "herald", "date": "2024-03-02", "source": "Coast Herald",
     "text": "A visit to the valley.\n\n\u201cWe will rebuild every single school in this valley before the "
             "winter comes,\u201d said Tomas Reyes, a local mayor."},
    {"id": "times", "date": "2024-03-03", "source": "Hill Times",
     "text": "News in brief.\n\n\"We will rebuild every school ... before the winter comes,\" Mara Quinlan said."},
]
LATER = {"id": "gazette", "date": "2024-02-28", "source": "Valley Gazette",
         "text": f"An early interview.\n\n\u201c{GOVERNOR.upper()}!\u201d Mara Quinlan told us.\n\n"
                 "\u201cThe bridge at the mill will open in nine days,\u201d said Pia Lund, an engineer."}


def test_forms_differing_in_case_punctuation_quote_marks_and_number_spelling_are_equal():
    assert norm("\u201cFive hundred FAMILIES\u2026 left, didn\u2019t they?\u201d") == \
        norm('"500 families ... left -- didn\'t they"')
    assert norm("1,200 people") == norm("twelve hundred people") == ["1200", "people"]


def test_excerpts_join_the_longer_form_and_other_quotes_do_not():
    long = norm(GOVERNOR)
    assert same_claim(norm("rebuild every school in this valley"), long)
    assert same_claim(norm("We will rebuild every school [...] before the winter comes"), long)
    assert not same_claim(norm("We will rebuild every road in the north before spring"), long)
    assert not same_claim(norm("every school"), long)  # too short to tell
    assert not same_claim(norm("we will rebuild this valley"), long)  # a short form must be found in one piece


def test_changes_are_words_added_removed_or_replaced_but_not_cuts_or_excerpts():
    reference = words(GOVERNOR)
    assert changes(words("We will rebuild every single school in this valley before the winter comes"),
                   reference) == [{"op": "added", "from": "", "to": "single"}]
    assert changes(words("We will rebuild every school in the valley"), reference) == [
        {"op": "replaced", "from": "this", "to": "the"}]
    assert changes(words("We will rebuild every school before the winter comes"), reference) == [
        {"op": "removed", "from": "in this valley", "to": ""}]
    assert changes(words("We will rebuild every school \u2026 before the winter comes"), reference) == []
    assert changes(words("every school in this valley"), reference) == []
    assert changes(words("We will rebuild every school in [the] valley"), reference) == []  # an editor's brackets


def test_speakers_whose_names_end_one_another_are_one_person():
    assert speaker_groups(["Donald Trump", "Trump", "Mr. Trump", None, "he"]) == ["Donald Trump"]
    assert speaker_groups(["Hillary Clinton", "Bill Clinton", "Hillary Clinton"]) == ["Hillary Clinton",
                                                                                       "Bill Clinton"]


def _store(tmp_path, records):
    from sayso.batch import ingest
    from sayso.store import Store

    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "claims.db"
    with Store(db) as store:
        report = ingest([str(path)], store)
    assert report.errors == []
    return db


@pytest.fixture
def store_path(tmp_path):
    return _store(tmp_path, STORIES)


def test_a_quote_followed_across_outlets(store_path):
    from sayso.store import Store

    with Store(store_path) as store:
        assert unclustered(store.conn) == 0  # ingest clustered them as it stored them
        assert update(store.conn) == 0
        (claim,) = list(clusters(store.conn, min_sources=2))
    assert claim["text"] == GOVERNOR
    assert claim["sources"] == ["Daily Ledger", "Evening Post", "Coast Herald", "Hill Times"]
    assert claim["first"] == {"doc": "ledger", "quote_id": "q1", "date": "2024-03-01", "source": "Daily Ledger"}
    assert claim["speaker"] == "Mara Quinlan" and claim["speakers"] == ["Mara Quinlan", "Tomas Reyes"]
    assert claim["conflicting_speakers"] is True
    altered = {o["doc"]: o["changes"] for o in claim["occurrences"] if o["altered"]}
    assert altered == {"herald": [{"op": "added", "from": "", "to": "single"}]}


def test_outlets_are_counted_as_claims_grow_and_for_claims_made_before(store_path):
    from sayso.claims.index import stats_counted, update_quotes
    from sayso.store import Store

    def by_outlets(conn):
        return {n: [c["id"] for c in clusters(conn, min_sources=n)] for n in (1, 2, 3, 4, 5)}

    with Store(store_path) as store:
        conn = store.conn
        assert stats_counted(conn)
        kept = {r[0]: tuple(r[1:]) for r in conn.execute("SELECT claim_id, members, sources FROM claim_stats")}
        counted = by_outlets(conn)
        conn.execute("DELETE FROM claim_stats")  # a store clustered before claim_stats
        assert not stats_counted(conn) and by_outlets(conn) == counted  # read by grouping the members
        update_quotes(conn)  # the next update counts them
        assert stats_counted(conn)
        assert {r[0]: tuple(r[1:]) for r in conn.execute("SELECT claim_id, members, sources FROM claim_stats")} == kept
    assert max(sources for _, sources in kept.values()) == 4 and counted[4] and not counted[5]


def test_a_servers_descriptions_are_read_again_only_for_claims_that_changed(store_path, tmp_path):
    """A server keeps each claim's description (Descriptions) until the claim changes: a member
    joins, a member quote is renamed, a reviewer decides; its list is then what a fresh read gives."""
    from sayso.batch import ingest
    from sayso.claims import Descriptions, count
    from sayso.review.decisions import decide
    from sayso.store import Store

    memo = Descriptions()
    with Store(store_path) as store:
        conn = store.conn
        assert list(clusters(conn, memo=memo)) == list(clusters(conn))
        assert count(conn, min_sources=2) == len(list(clusters(conn, min_sources=2))) == 1
        read = []
        original = memo.get
        memo.get = lambda key, describe_it: original(key, lambda: read.append(key[0]) or describe_it())
        list(clusters(conn, memo=memo))
        assert read == []  # nothing changed: nothing read again
        (shared,) = clusters(conn, min_sources=2, memo=memo)
        number = int(shared["id"][1:])
        conn.execute("UPDATE quotes SET speaker_name = 'Pia Lund' WHERE doc_id = 'times' AND id = 'q1'")
        conn.commit()
        assert list(clusters(conn, memo=memo)) == list(clusters(conn)) and read == [number]
        decide(conn, "herald", "q1", "reject", reviewer="ana")
        assert list(clusters(conn, min_sources=2, memo=memo)) == list(clusters(conn, min_sources=2))
        assert count(conn, min_sources=2) is None  # a rejection may leave a claim fewer outlets: described
        later = tmp_path / "later.jsonl"
        later.write_text(json.dumps(LATER) + "\n", encoding="utf-8")
        ingest([str(later)], store)  # a member joins the shared claim, a new claim is made
        assert list(clusters(conn, memo=memo)) == list(clusters(conn)) and number in read[1:]


def test_clustering_that_commits_after_every_quote_makes_the_same_claims(store_path, monkeypatch):
    """Clustering commits at least every COMMIT_S (a short hold on the write lock), reading on
    through its commits."""
    import sayso.claims.index as index
    from sayso.store import Store

    with Store(store_path) as store:
        conn = store.conn
        before = claim_ids(conn)
        for table in ("claim_members", "claim_keys", "claim_stats", "claims", "claims_state"):
            conn.execute(f"DELETE FROM {table}")
        conn.commit()
        monkeypatch.setattr(index, "COMMIT_S", 0.0)
        assert update(conn) == len(before)
        assert claim_ids(conn) == before


def test_claims_read_the_review_a_rejected_occurrence_leaves_and_an_edited_speaker_counts(store_path):
    from sayso.review.decisions import decide
    from sayso.store import Store

    with Store(store_path) as store:
        decide(store.conn, "herald", "q1", "reject", reviewer="ana")  # the misattributed reprint
        (claim,) = list(clusters(store.conn, min_sources=2))
        assert "herald" not in [o["doc"] for o in claim["occurrences"]] and "Coast Herald" not in claim["sources"]
        assert claim["speakers"] == ["Mara Quinlan"] and claim["conflicting_speakers"] is False
        decide(store.conn, "times", "q1", "edit", reviewer="ana", speaker="Pia Lund")
        (claim,) = list(clusters(store.conn, min_sources=2))
    assert claim["speakers"] == ["Mara Quinlan", "Pia Lund"] and claim["conflicting_speakers"] is True


def test_new_documents_join_existing_claims_without_reclustering(store_path, tmp_path):
    from sayso.batch import ingest
    from sayso.store import Store

    with Store(store_path) as store:
        update(store.conn)
        before = claim_ids(store.conn)
        later = tmp_path / "later.jsonl"
        later.write_text(json.dumps(LATER) + "\n", encoding="utf-8")
        ingest([str(later)], store)  # the new document's quotes join the claims as it is stored
        assert unclustered(store.conn) == 0 and update(store.conn) == 0
        after = claim_ids(store.conn)
        (claim,) = list(clusters(store.conn, min_sources=2))
    assert {k: after[k] for k in before} == before
    assert after[("gazette", "q1")] == before[("ledger", "q1")]
    assert after[("gazette", "q2")] not in before.values()
    assert claim["first"]["doc"] == "gazette"  # the earliest date, though ingested last


def test_claims_command_prints_one_cluster_per_line(store_path):
    from sayso.cli import cli

    result = CliRunner().invoke(cli, ["claims", "--db", str(store_path), "--altered", "--format", "json"])
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    claim = json.loads(line)
    assert set(claim) == {"id", "text", "speaker", "speakers", "conflicting_speakers", "sources", "first",
                          "occurrences"}
    assert set(claim["occurrences"][0]) == {"doc", "quote_id", "date", "source", "speaker", "text", "altered",
                                            "changes"}
    for args, expected in ((["--conflicting"], 1), (["--speaker", "Reyes"], 1), (["--speaker", "Nobody"], 0),
                           (["--min-sources", "5"], 0)):
        result = CliRunner().invoke(cli, ["claims", "--db", str(store_path), "--format", "json", *args])
        assert len(result.output.splitlines()) == expected, args


def test_claims_command_on_a_missing_store_fails_in_one_line(tmp_path):
    from sayso.cli import cli

    result = CliRunner().invoke(cli, ["claims", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_wire_copies_are_one_group_and_stories_quoting_the_same_words_are_not(tmp_path):
    from sayso.claims import wire
    from sayso.store import Store

    body = ("The ferry to the northern islands will stop running in March, the harbour board said on Monday. "
            "\u201cWe cannot keep two old boats afloat on the money we have,\u201d said Ilse Brandt, who chairs "
            "the board. Islanders have asked for a bridge for thirty years; the board says a bridge would cost "
            "more than the ferry earns in a century. A public meeting is planned for Thursday in the school hall.")
    records = [{"id": "agency", "source": "Wire Service", "text": f"Ferry to stop in March\n\n{body}"},
               {"id": "reprint", "source": "Island Tribune", "text": f"Islands lose their ferry\n\n{body}"},
               {"id": "column", "source": "Plains Daily", "text":
                "A column on boats.\n\n\u201cWe cannot keep two old boats afloat on the money we have,\u201d said "
                "Ilse Brandt. I have taken that ferry every summer since I was a child and the crossing is the "
                "best hour of the year; the islands deserve better than a shrug from the mainland."}]
    db = _store(tmp_path, records)
    with Store(db) as store:
        update(store.conn)
        groups = dict(store.conn.execute("SELECT doc_id, wire_group FROM wire_groups"))
        assert wire.wire_groups(store.conn)[0]["wire_group"] == "agency"
    assert groups == {"agency": "agency", "reprint": "agency", "column": "column"}
    from fastapi.testclient import TestClient

    from sayso.web import create_app

    client = TestClient(create_app(db))
    once, every = (client.get("/api/overview", params={"copies": c}).json() for c in ("once", "all"))
    assert (once["documents"], every["documents"]) == (2, 3) and once["wire_copies_left_out"] == 1
    quotes = lambda figures: {s["name"]: s["quotes"] for s in figures["top_speakers"]}["Ilse Brandt"]
    assert (quotes(once), quotes(every)) == (2, 3)  # the agency's story and the column; the reprint once more
    assert "1 document is a wire copy" in client.get("/").text and "Every wire copy is counted" in \
        client.get("/", params={"copies": "all"}).text


def test_counts_of_the_same_thing_across_outlets_are_one_group_and_their_disagreement_is_flagged(tmp_path):
    from sayso.claims.counts import count_groups
    from sayso.store import Store

    records = [
        {"id": "n1", "date": "2024-05-02", "source": "Harbour Courier",
         "text": "Trouble at the base.\n\nMore than 100 deserters fled the base on Friday."},
        {"id": "n2", "date": "2024-05-03", "source": "Plains Daily",
         "text": "A base emptied.\n\n\u201cAbout 120 deserters fled the base,\u201d said Calla Varga, a local official."},
        {"id": "n3", "date": "2024-09-20", "source": "Plains Daily",
         "text": "Autumn news.\n\nFour deserters fled the camp in the hills last week."},
        {"id": "n4", "date": "2024-05-03", "source": "Ridge Observer",
         "text": "Market day.\n\nTwelve farmers sold their grain at the square."},
        {"id": "n5", "date": "2024-05-02", "source": "Harbour Courier",
         "text": "Floods.\n\nAt least 12 people were killed in Porto Alegre, Brazil, on Thursday."},
        {"id": "n6", "date": "2024-05-03", "source": "Plains Daily",
         "text": "Storm.\n\nAbout 15 people were killed in Osaka, Japan, on Friday."}]
    db = _store(tmp_path, records)
    with Store(db) as store:
        update(store.conn)
        groups = list(count_groups(store.conn))
    (group,) = groups  # the people killed in Brazil and in Japan are two counts, neither one reported twice
    assert (group["object"], group["event"], group["disagree"]) == ("deserter", "flee", True)
    assert [(f["figure"], f["claimed_by"]) for f in group["figures"]] == [("more than 100", "Harbour Courier"),
                                                                         ("about 120", "Calla Varga")]


def test_counts_command_lists_counts_and_groups(tmp_path):
    from sayso.cli import cli

    db = _store(tmp_path, [{"id": "c1", "date": "2024-05-02", "source": "Harbour Courier",
                            "text": "Flight.\n\nFifty deserters fled the base on Friday."},
                           {"id": "c2", "date": "2024-05-03", "source": "Plains Daily",
                            "text": "Flight.\n\nAt least 60 deserters fled the base, officials said."}])
    result = CliRunner().invoke(cli, ["counts", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["doc_id"], r["number"], r["object"], r["event"]) for r in rows] == [
        ("c1", 50, "deserters", "flee"), ("c2", 60, "deserters", "flee")]
    grouped = CliRunner().invoke(cli, ["counts", "--db", str(db), "--grouped", "--format", "json"])
    (group,) = [json.loads(line) for line in grouped.output.splitlines()]
    assert [(f["figure"], f["claimed_by"]) for f in group["figures"]] == [("50", "Harbour Courier"),
                                                                         ("at least 60", "officials")]


def _without_speakers(output: str) -> list[dict]:
    claims = [json.loads(line) for line in output.splitlines()]
    for claim in claims:
        for key in ("speaker", "speakers", "conflicting_speakers"):
            claim.pop(key)
        for occurrence in claim["occurrences"]:
            occurrence.pop("speaker")
    return claims


def test_claims_over_the_parquet_of_a_dask_ingest_match_the_store(tmp_path, store_path):
    from sayso.cli import cli
    from sayso.ingest.readers import make_document
    from sayso.scale.dask_runner import analyse_partition

    documents = [make_document(r["id"], r["text"], date=r["date"], source=r["source"]) for r in STORIES]
    analyse_partition(0, documents[:2], str(tmp_path / "out"), {})
    analyse_partition(1, documents[2:], str(tmp_path / "out"), {})
    from_parquet = CliRunner().invoke(cli, ["claims", "--parquet", str(tmp_path / "out"), "--format", "json"])
    from_store = CliRunner().invoke(cli, ["claims", "--db", str(store_path), "--format", "json"])
    assert from_parquet.exit_code == 0, from_parquet.output
    # the same clusters; only a store names a bare surname after the collection ("Quinlan" -> "Mara Quinlan")
    assert _without_speakers(from_parquet.output) == _without_speakers(from_store.output)
    again = CliRunner().invoke(cli, ["claims", "--parquet", str(tmp_path / "out"), "--format", "json"])
    assert again.output == from_parquet.output  # the second run reuses DIR/claims.db
    empty = CliRunner().invoke(cli, ["claims", "--parquet", str(tmp_path)])
    assert empty.exit_code == 1 and "no documents Parquet files" in empty.output


def test_a_very_long_quote_is_clustered(tmp_path):
    import sqlite3
    from importlib import resources

    from sayso.claims import Clusterer

    conn = sqlite3.connect(tmp_path / "c.db")
    conn.executescript(resources.files("sayso.claims").joinpath("schema.sql").read_text("utf-8"))
    long = " ".join(f"word{n}" for n in range(2000))
    clusterer = Clusterer(conn)
    assert clusterer.add("a", "q1", long) == clusterer.add("b", "q1", long[:5000])


def test_a_full_name_the_collection_guessed_for_a_bare_surname_is_no_conflict():
    from sayso.claims.report import describe

    row = lambda doc, name, mention, how: {"doc_id": doc, "quote_id": "q1", "text": GOVERNOR, "date": None,
                                           "source": doc, "speaker_name": name, "speaker_mention": mention,
                                           "speaker_resolved_by": how}
    guessed = describe(1, [row("a", "Mara Quinlan", "Mara Quinlan", "cue"),
                           row("b", "Ivo Quinlan", "Quinlan", "collection")])  # the text says only "Quinlan"
    assert guessed["conflicting_speakers"] is False and guessed["speakers"] == ["Mara Quinlan"]
    named = describe(1, [row("a", "Mara Quinlan", "Mara Quinlan", "cue"), row("b", "Ivo Quinlan", "Ivo Quinlan", "cue")])
    assert named["conflicting_speakers"] is True
