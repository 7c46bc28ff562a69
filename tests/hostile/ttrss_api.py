"""A misbehaving Tiny Tiny RSS API on 127.0.0.1 (issue 20): the JSON API's shape, as the real
server answers it ({"seq", "status", "content"}), with the faults a broken server or proxy
shows: `skip` ignored (the same full page for ever), poison fields in one row, an answer of
millions of empty objects, a login that waits until the test lets it go.

Only the operations a sync makes are answered; every request is logged by op.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Behaviour:
    rows: list[dict[str, Any]] = field(default_factory=list)  # every article, by id order
    ignore_skip: bool = False  # getHeadlines answers the first page whatever `skip` says
    headlines_body: bytes | None = None  # a raw answer to getHeadlines instead
    login_gate: threading.Event | None = None  # login waits for this event
    unread_ids: set[int] | None = None  # the server's unread set (default: rows' own flag)


def article(i: int, feed: int = 1, **extra: Any) -> dict[str, Any]:
    row = {
        "id": i,
        "feed_id": feed,
        "title": f"Item {i}",
        "link": f"http://example.invalid/{i}",
        "author": "",
        "updated": 1_790_000_000 - i,
        "content": f"<p>Body {i}</p>",
        "unread": True,
        "marked": False,
    }
    row.update(extra)
    return row


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        op = str(body.get("op"))
        owner = self.server.owner
        with owner.lock:
            owner.ops.append(op)
        b = owner.behaviour
        if op == "login" and b.login_gate is not None:
            b.login_gate.wait(60)
        if op == "getHeadlines" and b.headlines_body is not None:
            return self._raw(b.headlines_body)
        content = self._content(op, body, b)
        self._raw(json.dumps({"seq": 0, "status": 0, "content": content}).encode())

    def _content(self, op: str, body: dict[str, Any], b: Behaviour) -> Any:
        if op == "login":
            return {"session_id": "s1", "api_level": 15}
        if op == "getCategories":
            return []
        if op == "getFeeds":
            return [{"id": 1, "title": "Feed", "feed_url": "http://feeds.example.invalid/1"}]
        if op == "getHeadlines":
            return self._headlines(body, b)
        if op == "getArticle":
            wanted = {int(x) for x in str(body.get("article_id") or "").split(",") if x}
            return [r for r in b.rows if r.get("id") in wanted]
        if op == "updateArticle":
            return {"status": "OK", "updated": 0}
        return {"error": "UNKNOWN_METHOD"}

    def _headlines(self, body: dict[str, Any], b: Behaviour) -> list[dict[str, Any]]:
        limit, skip = int(body.get("limit") or 200), int(body.get("skip") or 0)
        rows = b.rows
        if body.get("view_mode") == "unread":
            unread = b.unread_ids
            rows = [r for r in rows if (r["id"] in unread if unread is not None else r["unread"])]
        if int(body.get("feed_id") or 0) == -1:  # starred
            rows = [r for r in rows if r.get("marked")]
        since = int(body.get("since_id") or 0)
        rows = [r for r in rows if r["id"] > since]
        start = 0 if b.ignore_skip else skip
        return rows[start : start + limit]

    def _raw(self, payload: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileTtrss


class HostileTtrss:
    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.ops: list[str] = []
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/tt-rss"

    def count(self, op: str) -> int:
        with self.lock:
            return self.ops.count(op)

    def __enter__(self) -> HostileTtrss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.behaviour.login_gate is not None:
            self.behaviour.login_gate.set()
        self._httpd.shutdown()
        self._httpd.server_close()
