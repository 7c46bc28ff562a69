"""A Miniflux REST API contract server on 127.0.0.1 (no real Miniflux runs here: it needs Go and
PostgreSQL 14+). It follows Miniflux's API reference and its handlers (internal/api):

- /v1/* authenticates by `X-Auth-Token: <API key>` or HTTP basic auth (the web password); a
  missing or wrong one gets 401 {"error_message": "Access Unauthorized"} (and WWW-Authenticate).
- Errors are JSON {"error_message": "..."}: 400 for a bad query or body, 404 "Resource Not
  Found", 500 for a store error (a bookmark toggle of an entry that is not there).
- GET /v1/me, /v1/categories, /v1/feeds (each feed with its category object; every feed has
  one, "All" by default).
- GET /v1/entries: status (repeated), starred, order (id, published_at, …), direction,
  limit (default 100, 0 = no limit), offset, after_entry_id, before_entry_id, feed_id ->
  {"total": N, "entries": [...]}; "removed" entries are never listed. GET /v1/entries/{id}.
- PUT /v1/entries {"entry_ids": [...], "status": "read"|"unread"} -> 204 (400 for an empty
  list or a bad status). PUT /v1/entries/{id}/bookmark toggles the star -> 204.
- PUT /v1/feeds/{id}/mark-all-as-read -> 204.
"""

from __future__ import annotations

import base64
import http.server
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from loopback import LoopbackServer, hang_up_if_closed

ORDERS = {"id", "status", "published_at", "category_title", "category_id", "title", "author"}


@dataclass
class Entry:
    id: int
    feed_id: int
    title: str
    url: str
    published: int
    content: str
    author: str = ""
    status: str = "unread"  # unread, read, removed
    starred: bool = False


@dataclass
class State:
    user: str = "alice"
    password: str = "secret"
    token: str = "k3y-0f-alice"
    categories: dict[int, str] = field(default_factory=lambda: {1: "All"})
    feeds: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # title, url, category
    entries: dict[int, Entry] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)  # method, path
    toggles: int = 0


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any  # its .owner is the server object

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, obj: object = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        if obj is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"error_message": message})

    def do_GET(self) -> None:
        self._route("GET")

    def do_PUT(self) -> None:
        self._route("PUT")

    def _authed(self, st: State) -> bool:
        if self.headers.get("X-Auth-Token"):
            return self.headers["X-Auth-Token"] == st.token
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return False
        return bool(user and password) and (user, password) == (st.user, st.password)

    def _route(self, method: str) -> None:
        if hang_up_if_closed(self):
            return
        owner = self.server.owner
        url = urlsplit(self.path)
        query = parse_qsl(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with owner.lock:
            st = owner.state
            st.log.append((method, url.path))
            if not self._authed(st):
                msg = {"error_message": "Access Unauthorized"}
                return self._send(401, msg, {"WWW-Authenticate": 'Basic realm="Restricted"'})
            parts = url.path.strip("/").split("/")
            if parts[:1] != ["v1"]:
                return self._error(404, "Resource Not Found")
            route = (method, *parts[1:])
            if route == ("GET", "me"):
                return self._send(200, {"id": 1, "username": st.user, "is_admin": False})
            if route == ("GET", "categories"):
                cats = [{"id": i, "title": t, "user_id": 1, "hide_globally": False}
                        for i, t in st.categories.items()]  # fmt: skip
                return self._send(200, cats)
            if route == ("GET", "feeds"):
                return self._send(200, [self._feed(i) for i in st.feeds])
            if route == ("GET", "entries"):
                return self._list(query)
            if route == ("PUT", "entries"):
                return self._set_status(body)
            if len(route) >= 3 and route[1] == "entries" and route[2].isdecimal():
                return self._one_entry(method, int(route[2]), route[3:])
            if len(route) == 4 and route[1:2] == ("feeds",) and route[3] == "mark-all-as-read":
                return self._feed_read(method, route[2])
            return self._error(404, "Resource Not Found")

    def _feed(self, fid: int) -> dict[str, object]:
        st = self.server.owner.state
        title, url, cat = st.feeds[fid]
        return {"id": fid, "user_id": 1, "feed_url": url, "site_url": "http://example.invalid/",
                "title": title, "checked_at": _iso(1_790_000_000), "disabled": False,
                "category": {"id": cat, "user_id": 1, "title": st.categories[cat],
                             "hide_globally": False}}  # fmt: skip

    def _entry(self, e: Entry) -> dict[str, object]:
        return {"id": e.id, "user_id": 1, "feed_id": e.feed_id, "status": e.status,
                "hash": f"h{e.id}", "title": e.title, "url": e.url, "comments_url": "",
                "published_at": _iso(e.published), "created_at": _iso(e.published),
                "changed_at": _iso(e.published), "content": e.content, "author": e.author,
                "share_code": "", "starred": e.starred, "reading_time": 1, "enclosures": [],
                "tags": [], "feed": self._feed(e.feed_id)}  # fmt: skip

    def _list(self, query: list[tuple[str, str]]) -> None:
        st = self.server.owner.state
        q = dict(query)
        statuses = [v for k, v in query if k == "status"]
        if any(s not in ("read", "unread", "removed") for s in statuses):
            return self._error(400, "Invalid entry status")
        order, direction = q.get("order", "published_at"), q.get("direction", "desc")
        if order not in ORDERS:
            return self._error(400, "Invalid sorting order")
        if direction not in ("asc", "desc"):
            return self._error(400, "Invalid sorting direction")
        try:
            limit, offset = int(q.get("limit", "100")), int(q.get("offset", "0"))
            after, before = int(q.get("after_entry_id", "0")), int(q.get("before_entry_id", "0"))
            feed = int(q.get("feed_id", "0"))
        except ValueError:
            return self._error(400, "Invalid integer parameter")
        if offset < 0 or limit < 0:
            return self._error(400, "Offset and limit should be >= 0")
        found = [e for e in st.entries.values() if e.status != "removed"
                 and (not statuses or e.status in statuses) and e.id > after
                 and (not before or e.id < before) and (not feed or e.feed_id == feed)]  # fmt: skip
        if "starred" in q:
            found = [e for e in found if e.starred == (q["starred"] in ("1", "true"))]
        key = (lambda e: e.id) if order == "id" else (lambda e: (e.published, e.id))
        found.sort(key=key, reverse=direction == "desc")
        page = found[offset : offset + limit] if limit else found[offset:]
        self._send(200, {"total": len(found), "entries": [self._entry(e) for e in page]})

    def _set_status(self, body: bytes) -> None:
        try:
            req = json.loads(body)
            ids, status = req["entry_ids"], req["status"]
        except (ValueError, KeyError, TypeError):
            return self._error(400, "Invalid JSON body")
        if not isinstance(ids, list) or not ids:
            return self._error(400, "The list of entries cannot be empty")
        if status not in ("read", "unread", "removed"):
            return self._error(400, "Invalid entry status")
        for i in ids:
            e = self.server.owner.state.entries.get(i) if isinstance(i, int) else None
            if e is not None and e.status != "removed":
                e.status = status
        self._send(204)

    def _one_entry(self, method: str, eid: int, rest: tuple[str, ...]) -> None:
        st = self.server.owner.state
        e = st.entries.get(eid)
        if method == "GET" and not rest:
            if e is None or e.status == "removed":
                return self._error(404, "Resource Not Found")
            return self._send(200, self._entry(e))
        if method == "PUT" and rest == ("bookmark",):
            if e is None:
                return self._error(500, "store: nothing has been updated")
            e.starred = not e.starred
            st.toggles += 1
            return self._send(204)
        self._error(404, "Resource Not Found")

    def _feed_read(self, method: str, fid: str) -> None:
        st = self.server.owner.state
        if method != "PUT" or not fid.isdecimal() or int(fid) not in st.feeds:
            return self._error(404, "Resource Not Found")
        for e in st.entries.values():
            if e.feed_id == int(fid) and e.status == "unread":
                e.status = "read"
        self._send(204)


class MinifluxServer(LoopbackServer):
    """Seed with add_feed/add_entries; read state back from .state."""

    def __init__(self) -> None:
        self.state = State()
        super().__init__(Handler)

    def add_feed(self, title: str, folder: str | None = None, url: str | None = None) -> int:
        with self.lock:
            st = self.state
            cat = 1
            if folder:
                cat = next((i for i, t in st.categories.items() if t == folder), 0)
                if not cat:
                    cat = max(st.categories) + 1
                    st.categories[cat] = folder
            fid = len(st.feeds) + 1
            st.feeds[fid] = (title, url or f"http://feeds.example.invalid/{fid}", cat)
            return fid

    def add_entries(self, feed: int, n: int, *, read: set[int] | bool = False,
                    starred: set[int] | bool = False) -> list[int]:  # fmt: skip
        def flag(spec: set[int] | bool, k: int) -> bool:
            return spec if isinstance(spec, bool) else k in spec

        ids = []
        with self.lock:
            st = self.state
            for k in range(n):
                eid = max(st.entries, default=0) + 1
                st.entries[eid] = Entry(
                    eid, feed, f"Item {k}", f"http://example.invalid/e{eid}",
                    1_790_000_000 - 60 * k, f"<p>Body {k}</p>", f"Author {k}",
                    "read" if flag(read, k) else "unread", flag(starred, k),
                )  # fmt: skip
                ids.append(eid)
        return ids

    def requests(self, method: str, prefix: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.state.log if m == method and p.startswith(prefix))
