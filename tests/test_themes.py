import json

from click.testing import CliRunner

from sayso.cli import cli
from sayso.codebook import CodebookError, load, validate

from conftest import EXAMPLES


def codes(result):
    return {t.code for t in result.themes}


def test_shipped_codebook_has_all_twenty_codes_with_examples():
    book = load()
    assert [c.id for c in book.codes] == ["J1", "J2", "J3", "J4", "J5", "J6", "J7", "L1", "L2", "L3", "L4",
                                          "L5", "L6", "L7", "L8", "W1", "W2", "W3", "O1", "O2"]
    assert all(c.include and c.examples and c.definition for c in book.codes)


# The shipped codebook is for documents about armed groups: test passages carry that context.
IN_SCOPE = "Karim is one of the fighters who left the militia last year.\n\n"


def test_cues_match_on_lemmas_with_evidence(analyze):
    text = IN_SCOPE + "\u201cThey paid me 300 dollars a month and gave me a house,\u201d said Karim."
    r = analyze(text)
    (salary,) = [t for t in r.themes if t.code == "J3"]
    assert {text[e.start:e.end] for e in salary.evidence} >= {"paid", "house"}
    assert salary.score == 0.875  # three distinct cues: paid, dollars, house


def test_negated_cue_does_not_code(analyze):
    assert "J4" not in codes(analyze(IN_SCOPE + "He said he did not join out of hunger or poverty."))
    assert "J4" in codes(analyze(IN_SCOPE + "He said he joined out of hunger and poverty."))


def test_passages_outside_the_codebooks_scope_get_no_codes(analyze):
    tax = ("The senator said families would pay less tax on their house and car next year, "
           "and that the money would come back to them in a higher salary.")
    assert codes(analyze(tax)) == set()
    assert "J3" in codes(analyze(IN_SCOPE + tax))
    assert load().scope.min_distinct == 2 and "fighter" in load().scope.cues


def test_scope_is_validated_with_its_line():
    text = "scope:\n  cues: []\ncodes:\n  - id: X1\n    label: L\n    definition: D\n    include: [w]\n"
    assert validate(text, "b.yaml") == ["b.yaml:2: 'scope' needs a non-empty 'cues' list"]


def test_user_codebook_replaces_the_shipped_one(tmp_path, analyze):
    path = tmp_path / "book.yaml"
    path.write_text("codes:\n  - id: X1\n    label: Water\n    definition: Talk of water.\n"
                    "    include: [well, [{LEMMA: pump}, {LOWER: water}]]\n", encoding="utf-8")
    r = analyze("The pumps water no more and the wells are dry.", codebook=str(path))
    assert codes(r) == {"X1"}


def test_validate_reports_lines():
    text = "codes:\n  - id: A\n    label: One\n    definition: d\n    include: [x]\n  - id: A\n    label: Two\n"
    problems = validate(text, "book.yaml")
    assert "book.yaml:6: code is missing 'definition'" in problems
    assert "book.yaml:6: code id 'A' repeats the one on line 2" in problems
    assert "book.yaml:6: code A has no include cues" in problems
    assert validate("codes: [", "bad.yaml")[0].startswith("bad.yaml:1: not valid YAML")
    assert validate("codes: []", "empty.yaml") == ["empty.yaml:1: the codebook has no codes"]


def test_cli_codebook_and_themes(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - id: A\n", encoding="utf-8")
    result = runner.invoke(cli, ["codebook", "validate", str(bad)])
    assert result.exit_code == 1 and f"{bad}:2: code is missing 'label'" in result.stderr
    result = runner.invoke(cli, ["analyze", str(EXAMPLES / "border-study.md"), "--codebook", str(bad)])
    assert result.exit_code == 1 and "missing 'label'" in result.stderr
    db = tmp_path / "t.db"
    assert runner.invoke(cli, ["ingest", str(EXAMPLES), "--db", str(db)]).exit_code == 0
    rows = [json.loads(x) for x in runner.invoke(cli, ["themes", "--db", str(db), "--code", "W1", "--format", "json"]).stdout.splitlines()]
    assert rows and all("W1" in r["codes"].split(";") for r in rows)
    assert any(r["speaker_name"] == "ABU SALIM" for r in rows)
    matrix = [json.loads(x) for x in runner.invoke(cli, ["themes", "--db", str(db), "--matrix", "--format", "json"]).stdout.splitlines()]
    salim = next(r for r in matrix if r["speaker"] == "ABU SALIM")
    assert salim["W1"] >= 1
    only = [json.loads(x) for x in runner.invoke(cli, ["themes", "--db", str(db), "--matrix", "--speaker", "salim",
                                                       "--code", "W1", "--format", "json"]).stdout.splitlines()]
    assert only == [{"speaker": "ABU SALIM", "W1": salim["W1"]}]
    unknown = runner.invoke(cli, ["themes", "--db", str(db), "--code", "Z9"])
    assert unknown.exit_code == 1 and "unknown code(s) Z9" in unknown.stderr


def test_loading_a_missing_codebook_is_an_error(tmp_path):
    try:
        load(tmp_path / "none.yaml")
    except CodebookError as err:
        assert "no such file" in str(err)
    else:
        raise AssertionError("expected CodebookError")


def _embeddings_installed():
    from sayso.extract.semantic import available

    return available()


import pytest  # noqa: E402


@pytest.mark.skipif(not _embeddings_installed(), reason="the embeddings extra is not installed")
def test_embedding_and_combined_scorers(analyze):
    from sayso.codebook import load
    from sayso.extract.semantic import SemanticScorer

    text = "We had nothing to eat for weeks, so when they offered bread my brothers and I went with them."
    similarity = SemanticScorer(load()).scores([text])[0]
    embedded = analyze(text, theme_scorer="embeddings")
    assert codes(embedded) == {c for c, v in similarity.items() if v >= 0.5} != set()
    assert all((e.start, e.end) == (0, len(text)) for t in embedded.themes for e in t.evidence)
    combined = codes(analyze(text, theme_scorer="combined"))
    confirmed = {c for c in codes(analyze(text)) if similarity[c] >= 0.25}
    assert combined == confirmed | {c for c, v in similarity.items() if v >= 0.6}
