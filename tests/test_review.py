"""Review decisions through the library, on the real pipeline: the reviewed view, anchoring that
survives re-analysis, export/import, stats and agreement."""
import shutil
from pathlib import Path

import pytest

from sayso import review
from sayso.review import exchange, measures
from sayso.review.reanalyze import reanalyze
from sayso.store import Store

WELLS = """Omar Haddad, a farmer from the valley, said the wells had been dry since spring.

Leila Nassar murmured that the convoy had left before dawn.

"We waited for three days and nobody came," said Samir Khoury, who drives a water truck.

According to the district council, forty families moved away last year.

"The road is open again," Khoury added.
"""
MARKET = """"Prices doubled in a month," said Hana Saleh, who sells bread near the bridge.

The mayor, Yusuf Bakr, told reporters that a new market would open in May.

"Nobody trusts the scales any more," Saleh said.
"""


def write_cues(path: Path, add=(), drop=()) -> Path:
    """The shipped cue lexicon with verbs added or dropped."""
    import yaml
    from importlib import resources

    data = yaml.safe_load(resources.files("sayso.data").joinpath("cues.yaml").read_text("utf-8"))
    data["speech_verbs"] = [v for v in data["speech_verbs"] if v not in drop] + list(add)
    path.write_text(yaml.safe_dump(data), "utf-8")
    return str(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from sayso.batch import ingest

    folder = tmp_path_factory.mktemp("review")
    (folder / "docs").mkdir()
    (folder / "docs" / "wells.txt").write_text(WELLS, "utf-8")
    (folder / "docs" / "market.txt").write_text(MARKET, "utf-8")
    db = folder / "built.db"
    with Store(db) as store:
        assert ingest([str(folder / "docs")], store).added == 2
    return db


@pytest.fixture
def store(built, tmp_path):
    db = tmp_path / "review.db"
    shutil.copy(built, db)
    with Store(db) as s:
        yield s


def by_text(conn, words, **filters):
    found = [q for q in review.quotes(conn, include_rejected=True, **filters) if words in q["text"]]
    assert len(found) == 1, (words, found)
    return found[0]


def test_unreviewed_view_is_the_machine_quotes(store):
    rows = review.quotes(store.conn)
    machine = store.quotes()
    assert [(r["doc_id"], r["id"], r["text"], r["speaker_name"]) for r in rows] == \
        [(q["doc_id"], q["id"], q["text"], q["speaker_name"]) for q in machine]
    assert {r["review_status"] for r in rows} == {"unreviewed"}


def test_accept_reject_edit_add(store):
    c = store.conn
    waited = by_text(c, "We waited")
    accepted = review.decide(c, "wells", waited["id"], "accept", reviewer="ana", note="checked")
    assert (accepted["review_status"], accepted["reviewer"]) == ("accepted", "ana")
    road = by_text(c, "road is open")
    review.decide(c, "wells", road["id"], "reject", reviewer="ana")
    assert all("road is open" not in q["text"] for q in review.quotes(c))
    assert by_text(c, "road is open")["review_status"] == "rejected"
    wells = by_text(c, "wells had been dry")
    edited = review.decide(c, "wells", wells["id"], "edit", reviewer="ana", speaker="Omar  Haddad Jr.",
                           kind="direct", start=wells["start"] - 4, end=wells["end"])
    assert edited["review_status"] == "edited" and edited["speaker_name"] == "Omar Haddad Jr."
    assert edited["kind"] == "direct" and edited["text"] == WELLS[wells["start"] - 4:wells["end"]]
    assert edited["speaker_role"] is None and edited["speaker_resolved_by"] == "reviewer"
    start = WELLS.index("the convoy")
    added = review.add(c, "wells", start, start + len("the convoy had left before dawn"), "Leila Nassar",
                       kind="indirect", reviewer="ana")
    assert added["review_status"] == "added" and added["text"] == "the convoy had left before dawn"
    assert added["speaker_name"] == "Leila Nassar"
    assert added["id"] in {q["id"] for q in review.quotes(c, doc="wells")}
    # an added quote is reviewed like any other: its speaker can be corrected and it can be rejected
    fixed = review.decide(c, "wells", added["id"], "edit", speaker="Leila Nassar-Haddad", reviewer="ben")
    assert (fixed["review_status"], fixed["speaker_name"]) == ("added", "Leila Nassar-Haddad")
    assert review.decide(c, "wells", added["id"], "reject")["review_status"] == "rejected"
    statuses = {q["id"]: q["review_status"] for q in review.quotes(c, doc="wells", include_rejected=True)}
    assert sorted(statuses.values()).count("unreviewed") == 1  # the council's claim is untouched


def test_bad_decisions_are_refused(store):
    c = store.conn
    q = review.quotes(c)[0]
    with pytest.raises(review.ReviewError, match="no quote"):
        review.decide(c, q["doc_id"], "q99", "accept")
    with pytest.raises(review.ReviewError, match="no document"):
        review.decide(c, "nope", "q1", "accept")
    with pytest.raises(review.ReviewError, match="not inside"):
        review.decide(c, q["doc_id"], q["id"], "edit", start=5, end=10 ** 6)
    with pytest.raises(review.ReviewError, match="needs a new"):
        review.decide(c, q["doc_id"], q["id"], "edit")
    with pytest.raises(review.ReviewError, match="kind"):
        review.add(c, q["doc_id"], 0, 5, "Someone", kind="shouted")
    assert c.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0


def test_stale_decision_is_refused(store):
    c = store.conn
    q = by_text(c, "Prices doubled")
    seen = q["review_version"]
    review.decide(c, "market", q["id"], "accept", reviewer="ana", expect_version=seen)
    with pytest.raises(review.StaleError, match="changed by another decision"):
        review.decide(c, "market", q["id"], "reject", reviewer="ben", expect_version=seen)
    assert by_text(c, "Prices doubled")["review_status"] == "accepted"


def test_reanalyze_with_changed_cues_keeps_every_decision(store, tmp_path):
    c = store.conn
    waited, road, council = by_text(c, "We waited"), by_text(c, "road is open"), by_text(c, "forty families")
    review.decide(c, "wells", waited["id"], "edit", speaker="Samir Khoury (driver)", reviewer="ana")
    review.decide(c, "wells", road["id"], "accept", reviewer="ana")
    review.decide(c, "wells", council["id"], "reject", reviewer="ana")
    decisions = c.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    # a cue verb more: Leila Nassar's quote is found, so the ids of every later quote shift
    report = reanalyze(store, ["wells"], cues=write_cues(tmp_path / "more.yaml", add=["murmur"]))
    assert (report.documents, report.decisions, report.orphaned) == (1, 3, [])
    assert report.quotes_after == report.quotes_before + 1
    moved = by_text(c, "We waited")
    assert moved["id"] != waited["id"]  # the ordinal id changed ...
    assert (moved["review_status"], moved["speaker_name"]) == ("edited", "Samir Khoury (driver)")  # ... the decision held
    assert by_text(c, "road is open")["review_status"] == "accepted"
    assert by_text(c, "forty families")["review_status"] == "rejected"
    assert by_text(c, "convoy")["review_status"] == "unreviewed"
    convoy = by_text(c, "convoy")
    review.decide(c, "wells", convoy["id"], "accept", reviewer="ana")
    # back to the shipped cues: that quote is gone; its decision is kept, listed as orphaned
    report = reanalyze(store, ["wells"])
    assert [(o["action"], o["reason"]) for o in report.orphaned] == [("accept", "quote no longer found")]
    assert [o["start"] for o in review.orphaned(c)] == [convoy["start"]]
    assert c.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == decisions + 1
    assert by_text(c, "road is open")["review_status"] == "accepted"
    # and when the cue comes back, so does the decision
    assert reanalyze(store, ["wells"], cues=str(tmp_path / "more.yaml")).orphaned == []
    assert by_text(c, "convoy")["review_status"] == "accepted"
    runs = c.execute("SELECT settings FROM runs ORDER BY id").fetchall()
    assert len(runs) == 4 and '"reanalyze": true' in runs[-1][0]


def test_export_import_is_idempotent_and_anchored(store, built, tmp_path):
    import io

    c = store.conn
    q = by_text(c, "Nobody trusts")
    review.decide(c, "market", q["id"], "edit", speaker="Hana Saleh", kind="indirect", reviewer="ana")
    start = MARKET.index("a new market")
    review.add(c, "market", start, start + len("a new market would open in May"), "Yusuf Bakr", "indirect")
    buffer = io.StringIO()
    assert exchange.write_jsonl(c, buffer) == 2
    lines = buffer.getvalue().splitlines()
    other = tmp_path / "other.db"
    shutil.copy(built, other)
    with Store(other) as target:
        records = exchange.read_jsonl(lines, "decisions.jsonl")
        assert exchange.import_records(target.conn, records) == {"added": 2, "already": 0, "unapplied": 0}
        assert exchange.import_records(target.conn, records) == {"added": 0, "already": 2, "unapplied": 0}
        mine = [(r["id"], r["kind"], r["speaker_name"], r["review_status"]) for r in review.quotes(target.conn)]
    assert mine == [(r["id"], r["kind"], r["speaker_name"], r["review_status"]) for r in review.quotes(c)]
    with pytest.raises(review.ReviewError, match="decisions.jsonl:2: not JSON"):
        exchange.read_jsonl([lines[0], "{oops"], "decisions.jsonl")
    with pytest.raises(review.ReviewError, match=":1: a quote decision needs"):
        exchange.read_jsonl(['{"fact_table": "quotes", "action": "accept", "reviewer": "x", "reviewed_at": "t"}'],
                            "f")


def test_entity_merge_split_rename_recorded(store):
    c = store.conn
    names = {e["name"]: e["id"] for e in store.entities()}
    into, other = names["Samir Khoury"], names["Hana Saleh"]
    review.merge_entities(c, "Samir Khoury", "Hana Saleh", reviewer="ana")
    assert {q["speaker_registry_id"] for q in review.quotes(c) if q["speaker_name"] == "Hana Saleh"} == {into}
    new = review.split_entity(c, into, "hana saleh", reviewer="ana")
    assert new != into
    review.rename_entity(c, new, "Hana Saleh Khoury", reviewer="ana")
    assert {e["id"]: e["name"] for e in store.entities()}[new] == "Hana Saleh Khoury"
    with pytest.raises(review.ReviewError, match="merge the two"):
        review.rename_entity(c, new, "Samir Khoury")
    actions = [r[0] for r in c.execute("SELECT action FROM decisions WHERE fact_table = 'registry' ORDER BY id")]
    assert actions == ["merge", "split", "rename"] and other not in {e["id"] for e in store.entities()}
    # a type-ahead finds the renamed entity
    assert review.speaker_names(c, "hana")[0]["name"].startswith("Hana Saleh")


def test_stats_and_agreement(store):
    c = store.conn
    quotes = review.quotes(c)
    for q in quotes:
        review.decide(c, q["doc_id"], q["id"], "accept", reviewer="ana")
    review.decide(c, quotes[0]["doc_id"], quotes[0]["id"], "reject", reviewer="ben")
    review.decide(c, quotes[1]["doc_id"], quotes[1]["id"], "edit", speaker="Somebody Else", reviewer="ben")
    for q in quotes[2:]:
        review.decide(c, q["doc_id"], q["id"], "accept", reviewer="ben")
    start = WELLS.index("the convoy")
    review.add(c, "wells", start, start + 10, "Leila Nassar", "indirect", reviewer="ben")
    result = measures.stats(c)["overall"]
    n = len(quotes)
    assert (result["machine_quotes"], result["reviewed"], result["rejected"], result["edited_speaker"]) == (n, n, 1, 1)
    assert result["precision"] == round((n - 1) / n, 3) and result["added"] == 1
    assert result["recall_estimate"] == round((n - 1) / n, 3)
    assert set(measures.stats(c)["by_resolved_by"]) >= {"cue"}
    rows = {r["decision"]: r for r in measures.agreement(c)}
    assert rows["quote"]["quotes"] == n and rows["quote"]["agreement_percent"] == round(100 * (n - 1) / n, 1)
    assert rows["speaker"]["quotes"] == n - 1
    assert rows["quote"]["kappa"] == 0.0  # ana kept everything: agreement no better than chance


def test_kappa_of_known_table():
    # 20 items: both yes 10, both no 5, a yes/b no 3, a no/b yes 2 -> po .75, pe .5*.6+.5*.4 ... computed
    pairs = [("y", "y")] * 10 + [("n", "n")] * 5 + [("y", "n")] * 3 + [("n", "y")] * 2
    percent, k = measures.kappa(pairs)
    po, pe = 15 / 20, (13 / 20) * (12 / 20) + (7 / 20) * (8 / 20)
    assert percent == 75.0 and k == round((po - pe) / (1 - pe), 3)


def test_readonly_store_without_review_tables(built, tmp_path):
    import sqlite3

    db = tmp_path / "old.db"
    shutil.copy(built, db)
    raw = sqlite3.connect(db)
    raw.executescript("DROP VIEW orphaned_decisions; DROP VIEW reviewed_quotes; DROP VIEW quote_review;"
                      " DROP TABLE decisions;")
    raw.close()
    with Store(db, readonly=True) as s:
        assert len(review.quotes(s.conn)) == len(s.quotes())


def test_decisions_before_their_document_attach_when_it_is_stored(store, tmp_path):
    from sayso.batch import ingest

    c = store.conn
    review.decide(c, "market", by_text(c, "Prices doubled")["id"], "reject", reviewer="ana")
    start = MARKET.index("a new market")
    review.add(c, "market", start, start + 12, "Yusuf Bakr", reviewer="ana")
    records = list(exchange.export_records(c))
    with Store(tmp_path / "empty.db") as target:
        exchange.import_records(target.conn, records)
        assert {o["reason"] for o in review.orphaned(target.conn)} == {"document not in this store"}
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "market.txt").write_text(MARKET, "utf-8")
        ingest([str(tmp_path / "docs")], target)
        assert review.orphaned(target.conn) == []
        statuses = {q["text"]: q["review_status"] for q in review.quotes(target.conn, include_rejected=True)}
        assert statuses["Prices doubled in a month,"] == "rejected" and statuses["a new market"] == "added"


def test_review_state_survives_a_rebuild(store):
    c = store.conn
    for n, q in enumerate(review.quotes(c)):
        review.decide(c, q["doc_id"], q["id"], ("accept", "reject", "edit")[n % 3], reviewer="ana",
                      **({"speaker": f"Speaker {n}"} if n % 3 == 2 else {}))
    before = review.quotes(c, include_rejected=True)
    with Store(store.path) as again:  # a writable open rebuilds quote_state from the decisions
        assert review.quotes(again.conn, include_rejected=True) == before


def test_an_added_quote_the_machine_later_finds_is_one_quote(store, tmp_path):
    c = store.conn
    murmur = write_cues(tmp_path / "more.yaml", add=["murmur"])
    reanalyze(store, ["wells"], cues=murmur)
    found = by_text(c, "convoy")
    reanalyze(store, ["wells"])  # the shipped cues miss it again
    added = review.add(c, "wells", found["start"], found["end"], "Leila Nassar", found["kind"], reviewer="ana")
    assert added["review_status"] == "added" and added["id"].startswith("r")
    assert reanalyze(store, ["wells"], cues=murmur).orphaned == []
    again = by_text(c, "convoy")  # by_text insists on exactly one
    assert again["id"].startswith("q") and again["review_status"] == "accepted"
    assert again["speaker_name"] == "Leila Nassar"


def test_recall_is_estimated_on_complete_documents_only(store):
    c = store.conn
    for q in review.quotes(c, doc="market"):
        review.decide(c, "market", q["id"], "accept", reviewer="ana")
    review.add(c, "market", 0, 6, "Hana Saleh", reviewer="ana")
    first = review.quotes(c, doc="wells")[0]
    review.decide(c, "wells", first["id"], "accept", reviewer="ana")  # wells: one quote of several
    start = WELLS.index("the convoy")
    review.add(c, "wells", start, start + 10, "Leila Nassar", reviewer="ana")
    overall = measures.stats(c)["overall"]
    kept = len(review.quotes(c, doc="market", status="accepted"))
    assert (overall["added"], overall["complete_documents"]) == (2, 1)
    assert overall["recall_estimate"] == round(kept / (kept + 1), 3) and overall["added_per_document"] == 1.0
