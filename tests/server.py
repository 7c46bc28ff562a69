"""A real HTTP server on 127.0.0.1 for the tests: fixture feeds, pages and misbehaviour."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True  # answer If-None-Match / If-Modified-Since with 304
    handler: Callable[[Handler], None] | None = None  # full control for misbehaving routes


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self.server.owner.requests.append((self.path, dict(self.headers)))
        route = self.server.owner.routes.get(self.path.split("?")[0])
        if route is None:
            return self._send(404, b"not found", "text/plain")
        if route.handler:
            return route.handler(self)
        etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
        last_modified = "Wed, 25 Nov 2026 10:00:00 GMT"
        inm = self.headers.get("If-None-Match")
        # as RFC 9110 says: when If-None-Match is sent, If-Modified-Since is ignored
        fresh = inm == etag if inm else self.headers.get("If-Modified-Since") == last_modified
        if route.conditional and route.status == 200 and fresh:
            return self._send(304, b"", None, {**route.headers, "ETag": etag})
        extra = dict(route.headers)
        if route.conditional and route.status == 200:
            extra.setdefault("ETag", etag)
            extra.setdefault("Last-Modified", last_modified)
        body = route.body
        if "gzip" in (self.headers.get("Accept-Encoding") or "") and len(body) > 512:
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        self._send(route.status, body, route.content_type, extra)

    def _send(self, status: int, body: bytes, ctype: str | None, headers=None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FeedServer


class FeedServer:
    """Start with `with FeedServer() as srv:`; add routes with `srv.add(path, ...)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kw) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw)
        return self.url(path)

    def paths_requested(self) -> list[str]:
        return [p for p, _ in self.requests]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def sleep_forever(handler: Handler) -> None:
    """A server that accepts and then never answers (a sleeping laptop, a dead proxy)."""
    time.sleep(30)
