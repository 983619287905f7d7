"""Feeds and URLs: RSS/Atom feed files, and a file listing article or feed URLs (`--urls FILE`).

Fetching is polite: robots.txt is obeyed (urllib.robotparser, with its crawl delay), each host is
asked at most once per `interval` seconds, a request times out, a timeout, a dropped connection,
429 or 5xx answer is retried with growing pauses, and every page fetched is kept in an on-disk
cache ($SAYSO_CACHE or ~/.cache/sayso, folder `http`) so a re-run does not fetch it again (feeds
themselves are re-read after `FEED_TTL` seconds, to find new items). Articles are extracted with
trafilatura; the document keeps its URL, title, date and outlet (the feed's title, else the site).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..model import Document
from .readers import html_document, read_bytes
from .text import ReadError, decode

USER_AGENT = f"sayso/{__version__} (research text analysis; +https://github.com/sayso)"
FEED_TTL = 3600.0
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)
_SLUG = re.compile(r"[^\w.-]+")


class FetchError(Exception):
    pass


@dataclass
class Response:
    url: str
    status: int
    content_type: str
    body: bytes


def cache_dir() -> Path:
    root = os.environ.get("SAYSO_CACHE") or Path.home() / ".cache" / "sayso"
    return Path(root) / "http"


@dataclass
class Fetcher:
    """HTTP GET with robots.txt, a per-host pause, retries with back-off and an on-disk cache."""

    interval: float = 1.0
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0
    cache: Path | None = field(default_factory=cache_dir)
    _client: object = None
    _robots: dict = field(default_factory=dict)
    _last: dict = field(default_factory=dict)

    def get(self, url: str, max_age: float | None = None) -> Response:
        cached = self._cached(url, max_age)
        if cached:
            return cached
        if not self._allowed(url):
            raise FetchError("disallowed by the site's robots.txt")
        response = self._fetch(url)
        if response.status != 200:
            raise FetchError(f"HTTP {response.status}")
        self._store(url, response)
        return response

    def _fetch(self, url: str) -> Response:
        import httpx

        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=True,
                                        headers={"User-Agent": USER_AGENT})
        for attempt in range(self.retries):
            self._wait_turn(url)
            try:
                answer = self._client.get(url)
            except httpx.TimeoutException:
                problem = f"timed out after {self.timeout:g} s"
            except httpx.HTTPError as err:
                problem = f"cannot connect ({type(err).__name__})"
            else:
                if answer.status_code != 429 and answer.status_code < 500:
                    return Response(str(answer.url), answer.status_code,
                                    answer.headers.get("content-type", ""), answer.content)
                problem = f"HTTP {answer.status_code}"
            if attempt + 1 < self.retries:
                time.sleep(self.backoff * 2 ** attempt)
        raise FetchError(f"{problem} ({self.retries} tries)")

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        pause = self._last.get(host, 0.0) + self._delay(host) - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last[host] = time.monotonic()

    def _delay(self, host: str) -> float:
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(USER_AGENT) if robots is not None else None
        return max(self.interval, float(crawl_delay or 0))

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.netloc not in self._robots:
            robots = RobotFileParser()
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                answer = self._fetch(robots_url)
            except FetchError:
                robots.allow_all = True  # no answer: nothing is forbidden (what robotparser does on 404)
            else:
                if answer.status in (401, 403):
                    robots.disallow_all = True
                elif answer.status >= 400:
                    robots.allow_all = True
                else:
                    robots.parse(answer.body.decode("utf-8", errors="replace").splitlines())
            self._robots[parts.netloc] = robots
        return self._robots[parts.netloc].can_fetch(USER_AGENT, url)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def _cached(self, url: str, max_age: float | None) -> Response | None:
        if self.cache is None:
            return None
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if max_age is not None and time.time() - meta["fetched_at"] > max_age:
                return None
            return Response(meta["url"], meta["status"], meta["content_type"], body_path.read_bytes())
        except (OSError, ValueError, KeyError):
            return None

    def _store(self, url: str, response: Response) -> None:
        if self.cache is None:
            return
        meta_path, body_path = self._paths(url)
        try:
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            body_path.write_bytes(response.body)
            meta = {"url": response.url, "status": response.status, "content_type": response.content_type,
                    "fetched_at": time.time()}
            temporary = meta_path.with_suffix(".tmp")
            temporary.write_text(json.dumps(meta), encoding="utf-8")
            temporary.replace(meta_path)  # the body is complete before the entry points to it
        except OSError:
            pass  # a cache that cannot be written costs a re-fetch, nothing more

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def is_feed(body: bytes, content_type: str = "") -> bool:
    mime = content_type.split(";")[0].strip().lower()
    return mime in ("application/rss+xml", "application/atom+xml") or bool(_FEED_START.match(body[:4096]))


def read_feed_file(path: Path, fetcher: Fetcher | None = None) -> Iterator[Document | ReadError]:
    """An RSS/Atom file on disk: every item's article is fetched and read."""
    data = read_bytes(path)
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for item in feed_documents(data, str(path), fetcher):
            yield item
    finally:
        if own:
            fetcher.close()


def feed_documents(data: bytes, where: str, fetcher: Fetcher, base_url: str | None = None) -> Iterator[Document | ReadError]:
    import feedparser

    if not is_feed(data):
        raise ReadError("not an RSS or Atom feed (not XML with <rss>, <feed> or <rdf:RDF>)")
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise ReadError(f"not a readable feed: {_first_line(feed.bozo_exception)}")
    outlet = " ".join(str(feed.feed.get("title", "")).split()) or None
    for number, entry in enumerate(feed.entries, start=1):
        link = entry.get("link")
        if not link:
            yield ReadError(f"item {number}: no link")
            continue
        url = urljoin(base_url or "", link)
        try:
            yield article(url, fetcher, title=entry.get("title"), date=_entry_date(entry), source=outlet,
                          path=where)
        except (FetchError, ReadError) as err:
            yield ReadError(f"item {number} ({url}): {_message(err)}")


def article(url: str, fetcher: Fetcher, **meta) -> Document:
    response = fetcher.get(url)
    if response.body.startswith(b"%PDF-"):
        return _pdf_article(url, response.body, meta)
    html, _ = decode(response.body)
    meta = {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in meta.items()}
    doc = html_document(_doc_id(url), html, url=url, **{k: v for k, v in meta.items() if v})
    doc.source = doc.source or urlsplit(url).netloc
    return doc


def _pdf_article(url: str, body: bytes, meta: dict) -> Document:
    """A report or filing linked as a PDF: read like a PDF file, with its URL."""
    import tempfile

    from .pdf import read_pdf

    with tempfile.TemporaryDirectory(prefix="sayso-") as folder:
        path = Path(folder) / f"{_doc_id(url)[:60]}.pdf"
        path.write_bytes(body)
        (doc,) = read_pdf(path)
    doc.id, doc.path, doc.url = _doc_id(url), None, url
    doc.source = meta.get("source") or urlsplit(url).netloc
    doc.title = meta.get("title") or doc.title
    doc.date = meta.get("date") or doc.date
    return doc


def read_urls_file(urls_file: str, fetcher: Fetcher | None = None) -> Iterator:
    """Documents from each URL listed in `urls_file` (one a line; blank lines and # comments
    ignored); a URL whose answer is a feed gives the articles of its items. Errors name the URL."""
    from . import IngestError

    try:
        lines = Path(urls_file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as err:
        yield IngestError(urls_file, f"cannot read: {err.strerror or err}")
        return
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for number, line in enumerate(lines, start=1):
            url = line.strip()
            if not url or url.startswith("#"):
                continue
            if not re.match(r"^https?://", url, re.IGNORECASE):
                yield IngestError(urls_file, f"not an http(s) URL: {url[:100]}", number)
                continue
            yield from _url_documents(url, fetcher)
    finally:
        if own:
            fetcher.close()


def _url_documents(url: str, fetcher: Fetcher) -> Iterator:
    from . import IngestError

    try:
        response = fetcher.get(url, max_age=FEED_TTL)
        if is_feed(response.body, response.content_type):
            for item in feed_documents(response.body, url, fetcher, base_url=response.url):
                yield IngestError(url, item.message) if isinstance(item, ReadError) else item
        else:
            yield article(url, fetcher)
    except (FetchError, ReadError) as err:
        yield IngestError(url, _message(err))


def _entry_date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _doc_id(url: str) -> str:
    return _SLUG.sub("-", re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE)).strip("-")[:80] or "page"


def _message(err: Exception) -> str:
    return err.message if isinstance(err, ReadError) else str(err)


def _first_line(err) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:200]
