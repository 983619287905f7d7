"""Feeds and URL lists, fetched only from a local HTTP server this test starts on 127.0.0.1."""
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sayso.ingest import IngestError, iter_documents
from sayso.ingest.feeds import Fetcher, read_feed_file, read_urls_file

ARTICLE = """<html><head><title>{title} | Lakeside Courier</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>The ferry across the lake will run again from Monday after a strike that lasted two weeks, the operator said on Friday.</p>
<p>\u201cWe have agreed on new rosters with the crews,\u201d said Tomas Brandt, who manages the service for the town.</p>
<p>Passengers had been forced to drive around the lake, a journey of more than ninety minutes each way.</p>
</article><footer>Copyright Lakeside Courier</footer></body></html>"""


def feed(base):
    items = "".join(f"<item><title>Item {n}</title><link>{base}/{path}</link>"
                    f"<pubDate>Mon, 0{n} Jun 2026 08:00:00 GMT</pubDate></item>"
                    for n, path in ((1, "a1.html"), (2, "a2.html"), (3, "missing.html")))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Lakeside Courier</title>'
            f"<link>{base}/</link>{items}</channel></rss>")


class Site(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    pdf = b""

    def do_GET(self):
        Site.hits[self.path] += 1
        base = f"http://127.0.0.1:{self.server.server_port}"
        pages = {"/robots.txt": ("text/plain", "User-agent: *\nDisallow: /private/\n"),
                 "/feed.xml": ("application/rss+xml", feed(base)),
                 "/a1.html": ("text/html", ARTICLE.format(title="Ferry strike ends")),
                 "/a2.html": ("text/html", ARTICLE.format(title="Crews agree new rosters")),
                 "/private/p.html": ("text/html", ARTICLE.format(title="Private page")),
                 "/broken.rss": ("application/rss+xml", "this is plain text, not a feed")}
        if self.path == "/report.pdf":
            pages["/report.pdf"] = ("application/pdf", None)
        if self.path == "/slow.html":
            time.sleep(1.0)
        if self.path == "/flaky.html" and Site.hits[self.path] == 1:
            self.send_response(503)
            self.end_headers()
            return
        if self.path == "/flaky.html":
            self.path = "/a1.html"
        if self.path not in pages:
            self.send_response(404)
            self.end_headers()
            return
        kind, body = pages[self.path]
        data = Site.pdf if body is None else body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def site():
    Site.hits.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def fetcher(tmp_path, **options):
    return Fetcher(interval=0.0, timeout=0.5, retries=2, backoff=0.05, cache=tmp_path / "cache", **options)


def test_a_feed_url_gives_its_articles_with_metadata_and_errors(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# a feed and a page\n{site}/feed.xml\n\n{site}/private/p.html\n", encoding="utf-8")
    items = list(read_urls_file(str(urls), fetcher(tmp_path)))
    docs = [i for i in items if not isinstance(i, IngestError)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [d.title for d in docs] == ["Item 1", "Item 2"]
    assert docs[0].url == f"{site}/a1.html" and docs[0].date == "2026-06-01"
    assert docs[0].source == "Lakeside Courier"
    assert "Tomas Brandt" in docs[0].text and "Home" not in docs[0].text
    assert len(errors) == 2
    assert "missing.html" in str(errors[0]) and "HTTP 404" in str(errors[0])
    assert "robots.txt" in str(errors[1]) and "private" in str(errors[1])


def test_a_rerun_reads_the_cache_not_the_site(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/a1.html\n", encoding="utf-8")
    first = list(read_urls_file(str(urls), fetcher(tmp_path)))
    second = list(read_urls_file(str(urls), fetcher(tmp_path)))
    assert [d.text for d in first] == [d.text for d in second]
    assert Site.hits["/a1.html"] == 1 and Site.hits["/robots.txt"] == 1


def test_timeouts_and_server_errors_are_retried_then_reported(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/slow.html\n{site}/flaky.html\nnot-a-url\n", encoding="utf-8")
    items = list(read_urls_file(str(urls), fetcher(tmp_path)))
    assert isinstance(items[0], IngestError) and "timed out" in items[0].message and "slow.html" in str(items[0])
    assert not isinstance(items[1], IngestError) and Site.hits["/flaky.html"] == 2
    assert isinstance(items[2], IngestError) and items[2].line == 3


def test_per_host_rate_limit(site, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/a1.html\n{site}/a2.html\n", encoding="utf-8")
    started = time.monotonic()
    docs = list(read_urls_file(str(urls), Fetcher(interval=0.3, timeout=2, retries=1, cache=None)))
    assert len(docs) == 2
    assert time.monotonic() - started >= 0.6  # robots.txt, then two pages, 0.3 s apart


def test_a_feed_file_and_a_feed_that_is_not_xml(site, tmp_path):
    path = tmp_path / "courier.rss"
    path.write_text(feed(site), encoding="utf-8")
    items = list(read_feed_file(path, fetcher(tmp_path)))
    assert [getattr(d, "title", None) for d in items[:2]] == ["Item 1", "Item 2"]
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/broken.rss\n", encoding="utf-8")
    (error,) = read_urls_file(str(urls), fetcher(tmp_path))
    assert isinstance(error, IngestError) and "broken.rss" in str(error)


def test_iter_documents_takes_a_urls_file(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SAYSO_CACHE", str(tmp_path / "cache"))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/a2.html\n", encoding="utf-8")
    (doc,) = iter_documents([], urls_file=str(urls))
    assert doc.url == f"{site}/a2.html" and doc.language == "en"


def test_a_linked_pdf_is_read_as_a_pdf(site, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "report.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 700, "The harbour report counts 40 boats and 12 ferries in service this year.")
    pdf.save()
    Site.pdf = path.read_bytes()
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site}/report.pdf\n", encoding="utf-8")
    (doc,) = read_urls_file(str(urls), fetcher(tmp_path))
    assert doc.url == f"{site}/report.pdf" and "40 boats" in doc.text and doc.page_starts == [0]
