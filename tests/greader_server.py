"""A Google Reader API contract server on 127.0.0.1 (no real one installs here).

It acts as FreshRSS's p/api/greader.php does, quirks included (a client that only passes a
tidier server breaks on the real one):
- POST /accounts/ClientLogin (Email, Passwd) -> text "SID=…\\nLSID=…\\nAuth=…"; 401 when wrong,
  400 when the user name is not one FreshRSS allows.
- Every call answers 503 "Service Unavailable!" while the API is switched off (api_enabled).
- /reader/api/0/* needs `Authorization: GoogleLogin auth=<Auth>` (401 + Google-Bad-Token when
  missing, wrong or expired). A POST's action token T never expires; "" and "x" pass too.
- subscription/list and tag/list need output=json; stream/items/ids answers JSON without it.
  Folders are `user/-/label/NAME`; a feed with none is in "Uncategorized", FreshRSS's default.
- Item ids are the microsecond time the server fetched the entry, and `ot` compares that fetch
  time (not the publication date). Titles and authors come with & < > as full-width stand-ins;
  feed titles with ? \\ / , ; as well.
- stream/items/ids: s, n (default 20, no cap), c, r=o; only the last xt and it are read (PHP
  keeps one value of a repeated key). A full page always carries a continuation (the last id,
  or Miniflux's offset with continuation = "offset"), so the last one may be empty.
- stream/items/contents (POST, repeated i=, long or short ids): ids it cannot read are skipped.
- edit-tag: read and starred; unknown tags and unreadable ids are ignored, answer OK.
  mark-all-as-read (s, ts in microseconds): entries fetched before ts.
- cleanup(): deletes old entries, unread ones too (FreshRSS's default purge keeps starred).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from loopback import LoopbackServer, hang_up_if_closed

LONG = "tag:google.com,2005:reader/item/"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
DEFAULT_FOLDER = "user/-/label/Uncategorized"
USER_NAME = re.compile(r"^[0-9a-zA-Z_][0-9a-zA-Z_.@-]{1,38}$")  # FreshRSS's checkUsername
_ENTRY_STANDINS = str.maketrans({"&": "＆", "<": "＜", ">": "＞"})
_FEED_STANDINS = str.maketrans(
    {"&": "＆", "<": "＜", ">": "＞", "?": "？", "\\": "＼", "/": "／", ",": "，", ";": "；"}
)


@dataclass
class Item:
    id: int  # the fetch time in microseconds, as FreshRSS makes ids
    feed: str
    title: str
    link: str
    published: int
    content: str
    author: str = ""
    read: bool = False
    starred: bool = False

    @property
    def fetched(self) -> int:
        return self.id // 1_000_000


@dataclass
class Feed:
    id: str  # "feed/N"
    title: str
    url: str
    category: str  # "user/-/label/Name"


@dataclass
class State:
    user: str = "alice"
    password: str = "secret"
    api_enabled: bool = True
    clock: float = 0.0  # seconds the server's clock is ahead of the machine's (its Date, ids)
    feeds: dict[str, Feed] = field(default_factory=dict)
    empty_folders: list[str] = field(default_factory=list)
    items: dict[int, Item] = field(default_factory=dict)
    auth: set[str] = field(default_factory=set)
    continuation: str = "last_id"  # "last_id" as FreshRSS, "offset" as Miniflux
    log: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, ids in body
    next_id: int = 0  # the last id given: ids only grow, as fetch times do

    def token(self) -> str:
        """FreshRSS's T: derived from the user and password, so it outlives every Auth."""
        return hashlib.sha1(f"salt{self.user}{self.password}".encode()).hexdigest().ljust(57, "Z")


def _parse_id(text: str) -> int | None:
    """Long (prefix + 16 hex) or short decimal; anything else is None (and skipped)."""
    if text.startswith(LONG):
        tail = text[len(LONG) :]
        return int(tail, 16) if len(tail) == 16 and re.fullmatch(r"[0-9a-fA-F]+", tail) else None
    return int(text) if text.isdecimal() else None


def _stream(stream: str) -> str:
    parts = stream.split("/", 2)
    return "user/-/" + parts[2] if stream.startswith("user/") and len(parts) == 3 else stream


def _last(query: list[tuple[str, str]], key: str) -> str:
    """PHP's $_GET[key]: the last value of a repeated key."""
    values = [v for k, v in query if k == key]
    return values[-1] if values else ""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any  # its .owner is the server object

    def log_message(self, *args: object) -> None:
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        return super().date_time_string(time.time() + self.server.owner.state.clock)

    def _send(self, status: int, body: str, ctype: str = "text/plain; charset=UTF-8",
              headers: dict[str, str] | None = None) -> None:  # fmt: skip
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, obj: object) -> None:
        self._send(
            200, json.dumps(obj, ensure_ascii=False) + "\n", "application/json; charset=UTF-8"
        )

    def _unauthorized(self) -> None:
        self._send(401, "Unauthorized!", headers={"Google-Bad-Token": "true"})

    def do_GET(self) -> None:
        self._route("GET", [])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)
        self._route("POST", form)

    def _route(self, method: str, form: list[tuple[str, str]]) -> None:
        if hang_up_if_closed(self):
            return
        owner = self.server.owner
        url = urlsplit(self.path)
        path = url.path[len(owner.prefix) :] if url.path.startswith(owner.prefix) else url.path
        query = parse_qsl(url.query, keep_blank_values=True)
        with owner.lock:
            st = owner.state
            st.log.append((method, path, sum(1 for k, _ in form if k == "i")))
            if not st.api_enabled:
                return self._send(503, "Service Unavailable!")
            if path == "/accounts/ClientLogin" and method == "POST":
                return self._login(dict(form))
            if not path.startswith("/reader/api/0/"):
                return self._send(404, "Not found")
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("GoogleLogin auth="):
                return self._unauthorized()
            if not USER_NAME.match(auth[17:].split("/", 1)[0]):
                return self._send(400, "Bad Request!")
            if auth[17:] not in st.auth:
                return self._unauthorized()
            if method == "POST" and dict(form).get("T") not in (st.token(), "", "x"):
                return self._unauthorized()
            op = path[len("/reader/api/0/") :]
            handler = getattr(self, "op_" + op.replace("/", "_").replace("-", "_"), None)
            if handler is None:
                return self._send(404, "Not found")
            return handler(method, query, form)

    def _login(self, form: dict[str, str]) -> None:
        st = self.server.owner.state
        if not USER_NAME.match(form.get("Email", "")):
            return self._send(400, "Bad Request!")
        if form.get("Email") != st.user or form.get("Passwd") != st.password:
            return self._unauthorized()
        auth = f"{st.user}/{secrets.token_hex(20)}"
        st.auth.add(auth)
        self._send(200, f"SID={auth}\nLSID=null\nAuth={auth}\n")

    def op_token(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        self._send(200, self.server.owner.state.token() + "\n")

    def _needs_json(self, query: list[tuple[str, str]]) -> bool:
        if ("output", "json") not in query:
            self._send(400, "output=json required")
            return False
        return True

    def op_subscription_list(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        if not self._needs_json(query):
            return
        subs = []
        for f in self.server.owner.state.feeds.values():
            cats = [{"id": f.category, "label": f.category.split("/label/", 1)[1]}]
            subs.append({"id": f.id, "title": f.title.translate(_FEED_STANDINS), "categories": cats,
                         "url": f.url, "htmlUrl": "http://example.invalid/", "iconUrl": ""})  # fmt: skip
        self._json({"subscriptions": subs})

    def op_tag_list(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        if not self._needs_json(query):
            return
        st = self.server.owner.state
        folders = {f.category for f in st.feeds.values()} | set(st.empty_folders)
        tags: list[dict[str, object]] = [{"id": "user/-/state/com.google/starred"}]
        tags += [{"id": c, "type": "folder"} for c in sorted(folders)]
        tags += [{"id": "user/-/label/just-a-tag", "type": "tag", "unread_count": 0}]
        self._json({"tags": tags})

    def _select(self, stream: str, xt: str, it: str, ot: int) -> list[Item]:
        st = self.server.owner.state
        stream = _stream(stream)

        def keep(i: Item) -> bool:
            if stream == STARRED and not i.starred:
                return False
            if stream.startswith("feed/") and i.feed != stream:
                return False
            if stream.startswith("user/-/label/") and st.feeds[i.feed].category != stream:
                return False
            flags = {READ: i.read, STARRED: i.starred}
            if xt and flags.get(_stream(xt), False):
                return False
            return (not it or flags.get(_stream(it), True)) and i.fetched >= ot

        return [i for i in st.items.values() if keep(i)]

    def op_stream_items_ids(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        q = dict(query)
        if "s" not in q:
            return self._send(400, "Bad Request!")
        n = max(1, int(q.get("n", "20") or 20))
        items = self._select(q["s"], _last(query, "xt"), _last(query, "it"), int(q.get("ot") or 0))
        items.sort(key=lambda i: i.id, reverse=q.get("r") != "o")
        start = self._start(items, q.get("c", ""))
        if start is None:
            return self._send(400, "Bad Request!")
        page = items[start : start + n]
        out: dict[str, object] = {"itemRefs": [{"id": str(i.id)} for i in page]}
        if len(page) >= n:  # a full page, whether or not more follow
            style = self.server.owner.state.continuation
            out["continuation"] = str(page[-1].id) if style == "last_id" else str(start + n)
        self._json(out)

    def _start(self, items: list[Item], c: str) -> int | None:
        if not c:
            return 0
        if not c.isdecimal():
            return None
        if self.server.owner.state.continuation == "offset":
            return int(c)
        # FreshRSS goes on from the item after id c, by id order (it need not exist still)
        if not items or items[0].id < items[-1].id:
            return next((k for k, i in enumerate(items) if i.id > int(c)), len(items))
        return next((k for k, i in enumerate(items) if i.id < int(c)), len(items))

    def _ids(self, form: list[tuple[str, str]]) -> list[int]:
        parsed = [_parse_id(v) for k, v in form if k == "i"]
        return [p for p in parsed if p is not None]

    def op_stream_items_contents(self, method: str, query: object, form: list[tuple[str, str]]) -> None:  # fmt: skip
        st = self.server.owner.state
        items = [self._item(st.items[i]) for i in self._ids(form) if i in st.items]
        self._json({"id": READING_LIST, "updated": int(time.time()), "items": items})

    def _item(self, i: Item) -> dict[str, object]:
        st = self.server.owner.state
        feed = st.feeds[i.feed]
        cats = [READING_LIST, feed.category]
        cats += [READ] if i.read else []
        cats += [STARRED] if i.starred else []
        out: dict[str, object] = {
            "id": f"{LONG}{i.id:016x}", "crawlTimeMsec": str(i.id // 1000),
            "timestampUsec": str(i.id), "published": i.published,
            "title": i.title.translate(_ENTRY_STANDINS), "categories": cats,
            "alternate": [{"href": i.link}],
            "summary": {"content": i.content},
            "origin": {"streamId": i.feed, "title": feed.title.translate(_FEED_STANDINS),
                       "htmlUrl": "http://example.invalid/"},
        }  # fmt: skip
        if i.author:
            out["author"] = i.author.translate(_ENTRY_STANDINS)
        return out

    def op_edit_tag(self, method: str, query: object, form: list[tuple[str, str]]) -> None:
        st = self.server.owner.state
        flags = {READ: "read", STARRED: "starred"}
        for key, value in (("a", True), ("r", False)):
            attr = flags.get(_stream(_last(form, key)))
            for i in self._ids(form):
                if attr and i in st.items:
                    setattr(st.items[i], attr, value)
        self._send(200, "OK")

    def op_mark_all_as_read(self, method: str, query: object, form: list[tuple[str, str]]) -> None:
        f = dict(form)
        ts = int(f.get("ts") or 0) or (1 << 62)
        for i in self._select(f.get("s", ""), "", "", 0):
            if i.id <= ts:
                i.read = True
        self._send(200, "OK")


class GReaderServer(LoopbackServer):
    """Seed with add_feed/add_items; read state back from .state; expire_auth() to force 401."""

    def __init__(self, prefix: str = "/api/greader.php") -> None:
        self.prefix = prefix
        self.state = State()
        super().__init__(Handler)

    def add_feed(self, title: str, folder: str | None = None, url: str | None = None) -> str:
        with self.lock:
            fid = f"feed/{len(self.state.feeds) + 1}"
            cat = f"user/-/label/{folder}" if folder else DEFAULT_FOLDER
            url = url or f"http://feeds.example.invalid/{fid}"
            self.state.feeds[fid] = Feed(fid, title, url, cat)
            return fid

    def add_items(self, feed: str, n: int, *, read: set[int] | bool = False,
                  starred: set[int] | bool = False, fetched: float | None = None) -> list[int]:  # fmt: skip
        """n items fetched now (or at `fetched`), item k published k minutes before a fixed
        instant; ids in index order."""

        def flag(spec: set[int] | bool, k: int) -> bool:
            return spec if isinstance(spec, bool) else k in spec

        ids = []
        with self.lock:
            st = self.state
            for k in range(n):
                now = fetched or time.time() + st.clock
                st.next_id = max(st.next_id + 1, int(now * 1_000_000))
                st.items[st.next_id] = Item(
                    st.next_id, feed, f"Item {k}", f"http://example.invalid/{st.next_id}",
                    1_790_000_000 - 60 * k, f"<p>Body {k}</p>", f"Author {k}",
                    flag(read, k), flag(starred, k),
                )  # fmt: skip
                ids.append(st.next_id)
        return ids

    def cleanup(self, ids: list[int]) -> None:
        """FreshRSS's purge: these entries go, read or not, unless starred."""
        with self.lock:
            for i in ids:
                if i in self.state.items and not self.state.items[i].starred:
                    del self.state.items[i]

    def expire_auth(self) -> None:
        """Every Auth stops working, as after a password change; T, as FreshRSS's, does not."""
        with self.lock:
            self.state.auth.clear()

    def requests(self, path: str) -> list[int]:
        """For each request to `path`, how many i= ids it carried."""
        with self.lock:
            return [n for _, p, n in self.state.log if p == path]
