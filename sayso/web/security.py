"""What keeps the server safe to run on a researcher's machine: only the host names it serves
(no DNS rebinding), bounded request bodies, validation errors that never echo what was sent,
security headers on every response, and analysis that an anonymous caller cannot pile up."""
from __future__ import annotations

import contextlib
import hmac
import json
import os
import threading

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
MAX_BODY = 8_000_000  # bytes of one request body (a 1,000,000-character text in JSON fits)
TOKEN_ENV = "SAYSO_TOKEN"
PAGE_CSP = ("default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets style attributes on the elements it builds; its scripts are files of ours.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def host_name(header: str) -> str:
    """The name of a Host header without its port: 'localhost:8000' -> 'localhost', '[::1]:80' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


async def _send_text(send, status: int, text: str, headers=()) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: answers 400 to a Host it does not serve, 413 to a body over `max_body`
    bytes (by Content-Length, or counted while it streams in), before the app sees either."""

    def __init__(self, app, allowed_hosts, max_body: int = MAX_BODY):
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if host_name(headers.get("host", "")) not in self.allowed:
            return await _send_text(send, 400, "this server does not serve that host name "
                                               "(start it with --allowed-host NAME to add one)\n")
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > self.max_body):
            return await _send_text(send, 413, f"request body over {self.max_body} bytes\n")
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        messages, size = [], 0
        while True:  # read the whole (bounded) body first, so a streamed body cannot grow past the limit
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_body:
                return await _send_text(send, 413, f"request body over {self.max_body} bytes\n")
            if not message.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """ASGI middleware: the security headers on every response (a plain ASGI wrapper of `send`:
    Starlette's @app.middleware("http") costs a task and a stream per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = (DOCS_CSP if scope["path"] == "/docs" else PAGE_CSP).encode()

        async def with_headers(message):
            if message["type"] == "http.response.start":
                ours = {b"content-security-policy": csp, b"x-frame-options": b"DENY",
                        b"x-content-type-options": b"nosniff", b"referrer-policy": b"no-referrer"}
                message = {**message, "headers": [(k, v) for k, v in message.get("headers", []) if k.lower() not in ours]
                           + list(ours.items())}
            await send(message)

        await self.app(scope, receive, with_headers)


def install_headers(app) -> None:
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        """Say where and what is wrong, never echo the input (it may be megabytes)."""
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300], "type": e.get("type")}
                  for e in exc.errors()[:20]]
        return JSONResponse({"detail": json.loads(json.dumps(errors, default=str))}, status_code=422)


def has_token(authorization: str) -> bool:
    token = os.environ.get(TOKEN_ENV, "")
    return bool(token) and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode())


class AnalysisGate:
    """One analysis at a time (the machine's cores are the ingest's and the readers' too).
    Anonymous callers may send `anonymous_chars` at most and get a 503 while an analysis runs;
    callers with the token may send the full size and wait their turn."""

    def __init__(self, anonymous_chars: int, wait_seconds: float = 120.0):
        self.anonymous_chars = anonymous_chars
        self.wait_seconds = wait_seconds
        self._lock = threading.Lock()

    def check_size(self, text: str, trusted: bool) -> None:
        if not trusted and len(text) > self.anonymous_chars:
            raise HTTPException(413, f"texts over {self.anonymous_chars} characters need "
                                     f"'Authorization: Bearer <{TOKEN_ENV}>'")

    @contextlib.contextmanager
    def turn(self, trusted: bool):
        got = self._lock.acquire(timeout=self.wait_seconds) if trusted else self._lock.acquire(blocking=False)
        if not got:
            raise HTTPException(503, "an analysis is running; try again shortly", headers={"Retry-After": "5"})
        try:
            yield
        finally:
            self._lock.release()
