"""Rendered GET responses shared between identical requests until the store changes.

A response depends on the request (path and query) and on what the store held when it was read:
its commits (`PRAGMA data_version` of a connection of the cache's own, which changes whenever any
other connection commits, in this process or another: an ingest, a review decision), the server's
own writes (counted here, whatever route made them) and the collection's figures, which are
recounted in the background (`Summary.generation`). Those make one version number; an entry
is kept only for the version it was rendered at, and the first request of a newer version
drops the entries of older ones. The pages that show nothing of the claim clusters (FACTS_ONLY)
follow the facts' version (`facts_version`) instead of every commit: an ingest commits its
clustering several times a second, and the lists' pages outlive those commits. The version is
read before the response is rendered, so an entry is never older than its version: a request
that follows a write never gets what was rendered before it.

Identical requests that arrive while one of them is being rendered wait for it (one rendering per
version). Responses without a Content-Length (streamed downloads) and anything but a 200 are not
kept; neither are requests that carry credentials."""
from __future__ import annotations

import asyncio
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from ..store.db import facts_version
from ..store.summary import RECOUNT_S

MAX_BYTES = 32_000_000  # of kept response bodies, all entries together
MAX_ENTRY = 2_000_000  # bytes of one body: larger ones are rendered every time
SAFE = ("GET", "HEAD", "OPTIONS")
# Paths whose responses are made of the facts and the figures alone, never of the claim clusters.
FACTS_ONLY = re.compile(r"/(?:|quotes|speakers|entities|counts|corrections|documents|places|themes|timeline|map)"
                        r"|/api/(?:overview|quotes|speakers|entities|counts|corrections|themes|places|documents|search)"
                        r"|(?:/api)?/speakers/.+")


class StoreVersion:
    """A number that grows whenever what the pages show may have changed: for every page, or for
    those made of the facts alone. Both come from one counter, so a newer version of either kind
    is always a larger number."""

    def __init__(self, db, figures):
        from ..store import Store

        self._conn = Store(db, readonly=True, shared=True).conn
        self._figures = figures
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._facts_seen: tuple | None = None
        self.number = 0
        self.facts_number = 0
        self.writes = 0  # the server's own writes, begun or ended

    def __call__(self, facts_only: bool = False) -> int:
        """The current version of every page, or of the pages made of the facts alone."""
        with self._lock:
            data = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if self._seen is None or data != self._seen[0]:  # a commit: its new documents join the figures now
                self._figures.take_in(self._conn)
            facts = facts_version(self._conn)
            # The figures notice deleted documents and review decisions when a page refreshes them
            # at least RECOUNT_S after their last check: entries expire as often, so that a page
            # keeps checking them as it would with no cache.
            common = (self.writes, self._figures.generation, int(time.monotonic() // RECOUNT_S))
            seen = (data, *common)
            if seen != self._seen:
                self._seen, self.number = seen, self.number + 1
            facts_seen = seen if facts is None else (facts, *common)  # a store from before facts_version
            if facts_seen != self._facts_seen:
                self._facts_seen, self.facts_number = facts_seen, self.number
            return self.facts_number if facts_only else self.number

    def wrote(self) -> None:
        self.writes += 1


class ResponseCache:
    """ASGI middleware keeping the responses of GET requests of the current store version."""

    def __init__(self, app, version: Callable[[], int], max_bytes: int = MAX_BYTES):
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.current = {False: -1, True: -1}  # the newest version seen of each kind (facts only or not)
        self.entries: OrderedDict[tuple, tuple[dict, list[dict], int]] = OrderedDict()  # oldest used first
        self.size = 0
        self.rendering: dict[tuple, asyncio.Future] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] not in SAFE:  # a write: entries rendered before or during it are not reused
            self.version.wrote()
            try:
                return await self.app(scope, receive, send)
            finally:
                self.version.wrote()
        if scope["method"] != "GET" or any(name == b"authorization" for name, _ in scope["headers"]):
            return await self.app(scope, receive, send)
        facts_only = FACTS_ONLY.fullmatch(scope["path"]) is not None
        # microseconds (reads of a connection's cache), or after a commit the milliseconds of
        # counting its few new documents into the figures: not worth a thread
        version = self.version(facts_only)
        scope.setdefault("state", {})["store_version"] = version  # for PerVersion
        if version > self.current[facts_only]:
            self.current[facts_only] = version
            self._drop_older(facts_only, version)
        key = (facts_only, version, scope["path"], scope["query_string"])
        while key in self.rendering:  # the same request is being rendered: wait for it
            await asyncio.shield(self.rendering[key])
        if key in self.entries:
            self.entries.move_to_end(key)
            start, body, _ = self.entries[key]
            await send(start)
            for message in body:
                await send(message)
            return
        await self._render(key, scope, receive, send)

    async def _render(self, key: tuple, scope, receive, send) -> None:
        done = self.rendering[key] = asyncio.get_running_loop().create_future()
        start, body, size, keep = None, [], 0, True

        async def keeping(message):
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                length = dict(message.get("headers", [])).get(b"content-length")
                keep = message["status"] == 200 and length is not None and int(length) <= MAX_ENTRY
                if not keep:
                    self._finish(key, done)  # waiting requests render their own
            elif keep and message["type"] == "http.response.body":
                body.append(message)
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, keeping)
            if keep and start is not None and key[1] == self.current[key[0]]:
                self._keep(key, start, body, size)
        finally:
            self._finish(key, done)

    def _finish(self, key: tuple, done: asyncio.Future) -> None:
        if self.rendering.get(key) is done:
            del self.rendering[key]
            done.set_result(None)

    def _drop_older(self, facts_only: bool, version: int) -> None:
        for key in [k for k in self.entries if k[0] == facts_only and k[1] < version]:
            self.size -= self.entries.pop(key)[2]

    def _keep(self, key: tuple, start: dict, body: list[dict], size: int) -> None:
        self.entries[key] = (start, body, size)
        self.size += size
        while self.size > self.max_bytes and self.entries:
            _, (_, _, dropped) = self.entries.popitem(last=False)
            self.size -= dropped


class PerVersion:
    """Results a page computes that other pages share (the counts of a list's filters, whatever
    page of it is asked for), for the store version the request was keyed on: emptied when a
    newer version arrives, and at most `size` of them."""

    def __init__(self, size: int = 1000):
        self.size = size
        self.version = -1
        self.entries: dict = {}
        self._lock = threading.Lock()

    def of(self, request) -> dict | None:
        """The dict of this request's version (None without a ResponseCache to key it)."""
        version = request.scope.get("state", {}).get("store_version")
        if version is None:
            return None
        with self._lock:
            if version > self.version:
                self.version, self.entries = version, {}
            elif version < self.version or len(self.entries) >= self.size:
                return {}  # an older version's request, or full: computed for this request alone
            return self.entries
