"""The list pages at work: totals, paging, sorting, facets, removable filters, empty results that
say why, whole-result downloads, the theme matrix and the timeline."""
import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from sayso.ingest.readers import make_document
from sayso.model import Analysis, Mention, Place, Quote, Speaker, ThemeHit
from sayso.store import Store
from sayso.web import create_app


@pytest.fixture(scope="module")
def client(examples_db):
    return TestClient(create_app(examples_db))


def api_total(client, **params):
    return len(client.get("/quotes.json", params=params).json())


def test_the_quote_list_states_its_total_and_pages_through_it(client):
    total = api_total(client)
    html = client.get("/quotes", params={"size": 25}).text
    assert f"1–25 of {total} quotes" in html
    second = client.get("/quotes", params={"size": 25, "offset": 25}).text
    assert f"26–{min(50, total)} of {total} quotes" in second
    assert 'rel="prev"' in second and 'rel="first"' in second and 'rel="prev"' not in html
    assert 'rel="next"' in html


def test_paging_past_the_end_lands_on_the_last_page(client):
    total = api_total(client)
    response = client.get("/quotes", params={"size": 25, "offset": 100_000}, follow_redirects=False)
    assert response.status_code == 303
    landed = client.get(response.headers["location"]).text
    assert f"of {total} quotes" in landed and f"–{total} of" in landed


def test_facet_counts_are_the_totals_of_their_filters(client):
    html = client.get("/quotes").text
    facets = re.findall(r'<a href="(/quotes\?[^"]+)">[^<]+</a> <span class="n">(\d+)</span>', html)
    assert len(facets) > 10
    for href, n in facets:
        params = dict(p.split("=", 1) for p in href.split("?", 1)[1].replace("&amp;", "&").split("&"))
        from urllib.parse import unquote_plus

        params = {k: unquote_plus(v) for k, v in params.items()}
        assert api_total(client, **params) == int(n), href


def _facet_values(html: str, label: str) -> list[tuple[str, int]]:
    section = html.split(f"<h2>{label}</h2>", 1)[1].split("</section>", 1)[0]
    return [(name, int(n)) for name, n in re.findall(r'">([^<]+)</a> <span class="n">(\d+)</span>', section)]


@pytest.mark.parametrize("filters", [{}, {"kind": "direct"}], ids=["figures", "counted"])
def test_a_facet_shows_more_values_on_request_and_fewer_again(client, filters):
    html = client.get("/quotes", params=filters).text
    first = _facet_values(html, "Speaker")
    speakers = {r["speaker"] for r in client.get("/quotes.json", params=filters).json() if r["speaker"]}
    assert len(first) == 10 < len(speakers)
    more = re.search(r'<a class="facet-more" href="([^"]+)">more speaker', html).group(1).replace("&amp;", "&")
    expanded = client.get(more).text
    values = _facet_values(expanded, "Speaker")
    assert values[:10] == first and len(values) == len(speakers)
    assert [n for _, n in values] == sorted((n for _, n in values), reverse=True)
    assert len(_facet_values(expanded, "Kind")) == len(_facet_values(html, "Kind"))  # the others as they were
    fewer = re.search(r'<a class="facet-more" href="([^"]+)">fewer', expanded).group(1).replace("&amp;", "&")
    assert _facet_values(client.get(fewer).text, "Speaker") == first


def test_filters_are_listed_removable_and_an_empty_result_names_its_filter(client):
    html = client.get("/quotes", params={"kind": "according_to", "q": "water"}).text
    assert "Remove filter kind" in html and "Remove filter words" in html
    empty = client.get("/quotes", params={"kind": "direct", "q": "zzyzx"}).text
    assert "No quotes match all of these filters" in empty
    assert "Without <strong>words</strong> there would be" in empty


def test_sorting_by_date_and_speaker(client):
    rows = client.get("/quotes.json", params={"sort": "date", "dir": "desc"}).json()
    dates = [r["doc_date"] or "" for r in rows]
    assert dates == sorted(dates, reverse=True)
    names = [(r["speaker"] or "").casefold() for r in client.get("/quotes.json", params={"sort": "speaker"}).json()]
    assert names == sorted(names)


def test_downloads_hold_the_whole_filtered_result(client):
    total = api_total(client, kind="direct")
    text = client.get("/quotes.csv", params={"kind": "direct", "size": 25, "offset": 25}).text
    rows = list(csv.DictReader(io.StringIO(text)))  # the whole result, whatever page the link was on
    assert len(rows) == total > 10 and {r["kind"] for r in rows} == {"direct"}
    page = client.get("/quotes", params={"kind": "direct"}).text
    assert 'href="/quotes.csv?kind=direct' in page and 'href="/quotes.json?kind=direct' in page
    for name in ("speakers", "entities", "counts", "corrections", "themes", "places"):
        assert client.get(f"/{name}.csv").status_code == 200, name
        assert client.get(f"/{name}.json").status_code == 200, name


@pytest.mark.parametrize("name", ["speakers", "entities", "counts", "corrections"])
def test_every_list_page_has_total_facets_and_downloads(client, name):
    html = client.get(f"/{name}").text
    total = len(client.get(f"/{name}.json").json())
    assert re.search(rf"1–\d+ of {total} {name}", html), name
    assert f'href="/{name}.csv"' in html


def test_theme_matrix_labels_totals_and_order(client):
    matrix = client.get("/themes.json").json()
    totals = [r["total"] for r in matrix["rows"]]
    assert totals == sorted(totals, reverse=True)
    for row in matrix["rows"]:
        assert row["total"] == sum(row["cells"].values())
    html = client.get("/themes").text
    assert all(c["label"] in html for c in matrix["codes"])
    assert 'class="shade-5"' in html and "<tfoot>" in html
    first = matrix["rows"][0]
    code, n = next(iter(first["cells"].items()))
    who = first["entity_id"] or first["speaker"]
    assert api_total(client, theme=code, who=who) == n


def test_timeline_bars_link_to_their_weeks_quotes(client):
    html = client.get("/timeline").text
    links = re.findall(r'<a href="(/quotes\?date_from=[^"]+)"><rect', html)
    assert links
    from html import unescape

    assert client.get(unescape(links[0])).status_code == 200
    assert "Quotes per week" in html
    data = client.get("/timeline.json").json()
    rows = list(csv.reader(io.StringIO(client.get("/timeline.csv").text)))
    assert rows[0][:2] == ["week", "all"] and len(rows) == len(data["weeks"]) + 1
    assert sum(int(r[1]) for r in rows[1:]) == sum(data["all"].values())
    first = data["weeks"][0]
    only = client.get("/timeline.json", params={"date_from": first, "date_to": first}).json()
    assert only["weeks"] == [first] and only["all"] == {first: data["all"][first]}
    assert "No quote in these dates" in client.get("/timeline", params={"date_from": "2999-01-01"}).text


def _place_doc(doc_id, country, lat, lon, gid):
    text = f"\u201cThe market in Paris reopened,\u201d said Lea Martin of {doc_id}."
    document = make_document(doc_id, text)
    start = text.index("Paris")
    quote = Quote("q1", text[1:text.index(",")], 1, text.index(","), "direct", "said", Speaker(name="Lea Martin"))
    return document, Analysis(doc_id, None, None, document.text_sha256, quotes=[quote],
                              places=[Place("Paris", lat, lon, country, gid, "city", [Mention(start, start + 5)])],
                              themes=[ThemeHit("J3", "Money", 1.0, [Mention(5, 11)])])


def test_places_of_the_same_name_in_different_countries_stay_apart(tmp_path):
    db = tmp_path / "paris.db"
    with Store(db) as store:
        store.add(*_place_doc("france", "FR", 48.85, 2.35, 2988507))
        store.add(*_place_doc("tennessee", "US", 36.3, -88.33, 4655126))
    client = TestClient(create_app(db))
    places = client.get("/api/places").json()
    assert sorted(p["country"] for p in places) == ["FR", "US"]
    html = client.get("/quotes").text
    assert "Paris (FR)" in html and "Paris (US)" in html
    only_fr = client.get("/quotes.json", params={"place": "Paris|FR"}).json()
    assert [r["doc_id"] for r in only_fr] == ["france"]


def test_csv_downloads_are_spreadsheet_safe(tmp_path):
    db = tmp_path / "f.db"
    text = "\u201c=1+2 is the sum,\u201d said Omar Khatib."
    document = make_document("f", text)
    quote = Quote("q1", text[1:text.index(",")], 1, text.index(","), "direct", "said", Speaker(name="@Omar"))
    with Store(db) as store:
        store.add(document, Analysis("f", None, None, document.text_sha256, quotes=[quote]))
    rows = list(csv.reader(io.StringIO(TestClient(create_app(db)).get("/quotes.csv").text)))
    cells = [c for row in rows[1:] for c in row]
    assert "'=1+2 is the sum" in cells and "'@Omar" in cells


def test_figures_follow_documents_added_while_the_server_runs(tmp_path):
    db = tmp_path / "grow.db"
    with Store(db) as store:
        store.add(*_place_doc("france", "FR", 48.85, 2.35, 2988507))
    client = TestClient(create_app(db))
    before = client.get("/api/overview").json()
    assert client.get("/themes.json").json()["total"] == 1
    with Store(db) as store:  # another writer, as an ingest would be
        store.add(*_place_doc("tennessee", "US", 36.3, -88.33, 4655126))
    after = client.get("/api/overview").json()
    assert (after["documents"], after["quotes"]) == (before["documents"] + 1, before["quotes"] + 1)
    assert client.get("/themes.json").json()["total"] == 2
    assert "1–2 of 2 quotes" in client.get("/quotes").text


def test_rejected_quotes_leave_the_lists_and_review_is_a_facet(examples_db, tmp_path):
    import shutil

    from sayso.review.decisions import decide

    db = tmp_path / "reviewed.db"
    shutil.copy(examples_db, db)
    client = TestClient(create_app(db))
    rows = client.get("/quotes.json").json()
    with Store(db) as store:
        decide(store.conn, rows[0]["doc_id"], rows[0]["id"], "reject", reviewer="ana")
        decide(store.conn, rows[1]["doc_id"], rows[1]["id"], "accept", reviewer="ana")
    after = client.get("/quotes.json").json()
    assert len(after) == len(rows) - 1 and (rows[0]["doc_id"], rows[0]["id"]) not in {(r["doc_id"], r["id"]) for r in after}
    assert len(client.get("/quotes.csv").text.strip().splitlines()) == len(rows)  # header + the others
    rejected = client.get("/quotes.json", params={"status": "rejected"}).json()
    assert [(r["doc_id"], r["id"]) for r in rejected] == [(rows[0]["doc_id"], rows[0]["id"])]
    assert 'href="/quotes?status=accepted">accepted</a> <span class="n">1</span>' in client.get("/quotes").text
    assert "1–1 of 1 quotes" in client.get("/quotes", params={"status": "rejected"}).text


def test_the_documents_list_pages_sorts_and_downloads_every_document(client):
    documents = client.get("/documents.json").json()
    assert len(documents) == 8 and all(d["title"] for d in documents)
    html = client.get("/documents", params={"sort": "quotes"}).text
    assert "1–8 of 8 documents" in html and 'href="/documents/river-town-returnees"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/documents.csv").text)))
    assert {r["id"] for r in rows} == {d["id"] for d in documents}
    assert "no documents" in client.get("/documents", params={"q": "no such title anywhere"}).text.lower() \
        or "0 documents" in client.get("/documents", params={"q": "no such title anywhere"}).text


def test_the_overview_names_the_codebook_that_coded_the_collection(client):
    html = client.get("/").text
    assert "Coded with the codebook “Joining and leaving armed groups”" in html
    assert "for passages about armed groups" in html


def test_a_place_of_no_country_filters_and_downloads_like_any_other(tmp_path):
    db = tmp_path / "region.db"
    with Store(db) as store:
        store.add(*_place_doc("france", "FR", 48.85, 2.35, 2988507))
        store.add(*_place_doc("nowhere", None, 50.0, 10.0, None))
    client = TestClient(create_app(db))
    assert client.get("/quotes", params={"place": "Paris|"}).status_code == 200
    assert [r["doc_id"] for r in client.get("/quotes.json", params={"place": "Paris|"}).json()] == ["nowhere"]
    assert len(client.get("/quotes.csv", params={"place": "Paris|"}).text.splitlines()) == 2


def test_every_speaker_and_entity_link_of_the_overview_and_entities_list_opens_a_page(client):
    for path in ("/", "/entities?size=200"):
        links = set(re.findall(r'href="(/speakers/[^"]+)"', client.get(path).text))
        assert links and all(client.get(link).status_code == 200 for link in links), path
    entities = client.get("/entities.json", params={"size": 200}).json()
    assert entities and not any("\x1f" in (e["names"] or "") for e in entities)


def test_the_map_states_how_many_places_it_shows_of_how_many(client):
    total = len(client.get("/map.json").json())
    html = client.get("/map").text
    assert f"{total:,} places." in html and html.count('data-label="Place"') == min(total, 100)


def test_people_and_places_in_a_document_link_to_their_own_pages(client):
    from html import unescape

    html = client.get("/documents/camp-water-corrected").text
    people = set(re.findall(r'class="[^"]*person[^"]*" href="(/speakers/E\d+)"', html))
    places = set(re.findall(r'class="[^"]*place[^"]*" href="(/quotes\?place=[^"]+)"', html))
    assert people and all(client.get(unescape(link)).status_code == 200 for link in people)
    assert places and all("%7C" in link for link in places)  # name|country: namesakes elsewhere stay apart


def test_the_quote_list_offers_the_themes_found_as_a_menu(client):
    codes = {t["code"] for t in client.get("/themes.json").json()["codes"]}
    html = client.get("/quotes", params={"theme": sorted(codes)[0]}).text
    offered = set(re.findall(r'<option value="([A-Z]\d+)"', html))
    assert codes and codes <= offered and f'<option value="{sorted(codes)[0]}" selected>' in html


def test_an_entitys_document_count_opens_the_documents_that_name_it(client):
    from html import unescape

    entity = max(client.get("/entities.json").json(), key=lambda e: e["documents"])
    html = client.get("/entities").text
    link = unescape(re.search(rf'href="(/documents\?entity={entity["id"]})"', html).group(1))
    assert len(client.get(link.replace("/documents?", "/documents.json?")).json()) == entity["documents"]
    assert f"of {entity['documents']} documents" in client.get(link).text


def test_places_are_a_list_with_namesakes_apart_and_unresolved_names_shown(tmp_path):
    db = tmp_path / "places.db"
    with Store(db) as store:
        store.add(*_place_doc("france", "FR", 48.85, 2.35, 2988507))
        store.add(*_place_doc("tennessee", "US", 36.3, -88.33, 4655126))
        store.add(*_place_doc("nowhere", None, None, None, None))
    client = TestClient(create_app(db))
    html = client.get("/places").text
    assert "1–3 of 3 places" in html and "not resolved" in html
    rows = client.get("/places.json").json()
    assert sorted((r["name"], r["country"] or "") for r in rows) == [("Paris", ""), ("Paris", "FR"), ("Paris", "US")]
    assert [r["country"] for r in client.get("/places.json", params={"resolved": "no"}).json()] == [None]
    assert len(client.get("/places.csv", params={"country": "FR"}).text.splitlines()) == 2


def test_the_passage_a_correction_is_about_is_marked_and_linked(tmp_path, analyze):
    text = ("Bridge to Kellan Island reopens\n\nThe footbridge to Kellan Island reopened after 14 weeks of repairs, "
            "the council said. Cyclists must dismount.\n\nCorrection: An earlier version of this article said the "
            "footbridge reopened after 41 weeks of repairs. It reopened after 14 weeks.")
    db = tmp_path / "bridge.db"
    with Store(db) as store:
        store.add(make_document("bridge", text), analyze(text, "bridge"))
    client = TestClient(create_app(db))
    page = client.get("/documents/bridge").text
    marked = re.findall(r'<(?:span|a) class="[^"]*\bcorrection-passage says-right\b[^"]*"'
                        r'[^>]*data-facts="[^"]*\bc1-claim\b[^"]*"[^>]*>([^<]*)</', page)
    assert "14 weeks" in "".join(marked) and "41" not in "".join(marked)
    assert '<span class="anchor" id="c1-claim"></span>' in page
    assert 'href="#c1-claim"' in page  # the notice's row links to its passage
    listed = client.get("/corrections").text
    assert 'href="/documents/bridge#c1-claim"' in listed and "<small>states the corrected fact</small>" in listed
    (row,) = client.get("/corrections.json").json()
    assert row["claim_says"] == "right" and row["claim_text"] == "".join(marked).strip()


def test_a_quote_in_two_parts_is_marked_without_its_attribution_and_listed_as_words_said(client):
    page = client.get("/documents/checkpoint-clash").text
    text = re.search(r'<article class="doc-text" id="doc-text">(.*?)</article>', page, re.S).group(1)
    marked = re.findall(r'<a class="quote direct[^"]*"[^>]*data-quote="(q\d+)"[^>]*>([^<]*)</a>', text)
    demir = [words for quote_id, words in marked if "ditch" in words or "dawn" in words]
    assert len(demir) == 2 and len({q for q, words in marked if words in demir}) == 1  # two passages, one quote
    assert not any("said Yusuf Demir" in words for _, words in marked)  # the attribution is not marked
    listed = client.get("/quotes", params={"q": "ditch"}).text
    assert "until noon, \u2026 We lay in the <mark>ditch</mark>" in listed


def test_search_words_are_marked_in_escaped_text_and_never_inside_an_escape():
    from sayso.web.highlight import marked_html

    assert marked_html("<b>Water</b> & water-truck", "water") == \
        "&lt;b&gt;<mark>Water</mark>&lt;/b&gt; &amp; <mark>water</mark>-truck"
    assert marked_html("salt & amp", "amp") == "salt &amp; <mark>amp</mark>"
    assert marked_html("<i>", None) == marked_html("<i>", "x") == "&lt;i&gt;"


def test_marking_escaped_text_marks_what_a_search_of_the_raw_text_finds():
    from hypothesis import given, settings, strategies as st
    from markupsafe import escape

    from sayso.web.highlight import marked_html

    pieces = st.sampled_from(["&", "<", ">", "'", '"', "#", ";", " ", "amp", "lt", "39", "water", "Wat", "é"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join), st.sampled_from(["amp", "lt gt", "39 water", "wat", "éé"]))
    def check(text, query):
        marked = str(marked_html(text, query))
        assert marked.replace("<mark>", "").replace("</mark>", "") == str(escape(text))
        raw = re.compile(r"\b(" + "|".join(w for w in query.split() if len(w) > 1) + ")", re.IGNORECASE)
        assert re.findall("<mark>(.*?)</mark>", marked) == raw.findall(text)

    check()
