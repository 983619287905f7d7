"""The collection-wide entity registry: one id per entity across documents; merges and splits."""
import json

import pytest
from click.testing import CliRunner

from sayso.cli import cli


@pytest.fixture()
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def entities(run, db, *extra):
    result = run("entities", "--db", db, "--format", "json", *extra)
    return {r["name"]: r for r in map(json.loads, result.output.splitlines())}


def test_one_entity_across_documents_and_speakers_grouped_by_it(run, tmp_path):
    db = tmp_path / "r.db"
    a = write(tmp_path / "a.txt", "\u201cThe camps are full,\u201d said Marta Kowalczyk, a researcher in Ankara.")
    b = write(tmp_path / "b.txt", "Marta Kowalczyk returned to Kilis. \u201cNothing has changed,\u201d Kowalczyk said.")
    assert run("ingest", a, b, "--db", db).exit_code == 0
    people = entities(run, db, "--label", "PERSON")
    assert people["Marta Kowalczyk"]["documents"] == 2
    assert people["Marta Kowalczyk"]["quotes"] == 2
    speakers = [json.loads(line) for line in run("speakers", "--db", db, "--format", "json").stdout.splitlines()]
    (marta,) = [s for s in speakers if s["name"] == "Marta Kowalczyk"]
    assert marta["quotes"] == 2 and marta["documents"] == 2 and marta["entity_id"].startswith("E")


def test_merge_persists_for_later_documents_and_split_undoes_a_name(run, tmp_path):
    db = tmp_path / "r.db"
    run("ingest", write(tmp_path / "a.txt", "The Northbridge Institute published its study in Ankara."), "--db", db)
    run("ingest", write(tmp_path / "b.txt", "Researchers at NICS met officials in Ankara."), "--db", db)
    orgs = entities(run, db, "--label", "ORG")
    assert {"Northbridge Institute", "NICS"} <= set(orgs)
    merged = run("entities", "--db", db, "--merge", "Northbridge Institute", "NICS")
    assert merged.exit_code == 0 and "merged" in merged.output
    run("ingest", write(tmp_path / "c.txt", "NICS said its team would return in May."), "--db", db)
    orgs = entities(run, db, "--label", "ORG")
    assert "NICS" not in orgs and orgs["Northbridge Institute"]["documents"] == 3
    split = run("entities", "--db", db, "--split", "Northbridge Institute", "NICS")
    assert split.exit_code == 0
    orgs = entities(run, db, "--label", "ORG")
    assert orgs["NICS"]["documents"] == 2 and orgs["Northbridge Institute"]["documents"] == 1


def test_unknown_or_ambiguous_names_are_clear_errors(run, tmp_path):
    db = tmp_path / "r.db"
    run("ingest", write(tmp_path / "a.txt", "Officials in Ankara met the Northbridge Institute."), "--db", db)
    result = run("entities", "--db", db, "--merge", "Ankara", "Nobody Known")
    assert result.exit_code == 1 and "no entity with id or name 'Nobody Known'" in result.stderr


def test_a_person_tagged_as_an_organisation_or_named_with_a_middle_initial_is_one_person(run, tmp_path):
    db = tmp_path / "r.db"
    texts = ["Marta J. Kowalczyk spoke in Ankara. \u201cThe camps are full,\u201d Kowalczyk said.",
             "\u201cNothing has changed,\u201d said Marta Kowalczyk, a researcher at the institute.",
             "John A. Ferris met John B. Ferris in Kilis."]
    files = [write(tmp_path / f"{i}.txt", text) for i, text in enumerate(texts)]
    assert run("ingest", *files, "--db", db).exit_code == 0
    people = entities(run, db, "--label", "PERSON")
    assert "Marta Kowalczyk" not in people and people["Marta J. Kowalczyk"]["documents"] == 2
    assert people["John A. Ferris"]["id"] != people["John B. Ferris"]["id"]  # different initials: two people


def test_a_full_name_the_model_tagged_as_an_organisation_joins_the_person(tmp_path):
    from sayso.model import Entity
    from sayso.store import Store
    from sayso.store.registry import register

    with Store(tmp_path / "r.db") as store:
        conn = store.conn
        (org,) = register(conn, [Entity(id="e1", name="Dana Whitfield", label="ORG")]).values()
        (person,) = register(conn, [Entity(id="e1", name="Dana Whitfield", label="PERSON")]).values()
        (later,) = register(conn, [Entity(id="e1", name="Dana Whitfield", label="ORG")]).values()
        (company,) = register(conn, [Entity(id="e1", name="Whitfield Logistics", label="ORG")]).values()
        assert later == person and company != person
        assert conn.execute("SELECT COUNT(*) FROM registry WHERE id = ?", (org,)).fetchone()[0] == 0
        assert conn.execute("SELECT changed_by FROM registry_changes WHERE from_id = ?", (org,)).fetchone()[0] \
            == "sayso (collection)"


def test_a_handle_or_a_platform_tagged_as_a_person_names_nobody(tmp_path):
    from sayso.model import Entity
    from sayso.store import Store
    from sayso.store.registry import dominant_person, register

    with Store(tmp_path / "r.db") as store:
        conn = store.conn
        (handle,) = register(conn, [Entity(id="e1", name="@dwhitfield Twitter", label="PERSON")]).values()
        (platform,) = register(conn, [Entity(id="e1", name="Twitter", label="PERSON")]).values()
        assert platform != handle and dominant_person(conn, "twitter") is None
        (person,) = register(conn, [Entity(id="e1", name="Dana Whitfield", label="PERSON")]).values()
        assert dominant_person(conn, "whitfield") == person
