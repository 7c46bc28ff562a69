"""A Google Reader API contract server on 127.0.0.1 (no real one installs here).

It follows what FreshRSS (p/api/greader.php) and Miniflux (internal/googlereader) document
and do, taking the stricter side wherever they differ, so a client that passes here works
with both:
- POST /accounts/ClientLogin (Email, Passwd) -> text "SID=…\\nLSID=…\\nAuth=…"; 401 when wrong.
- /reader/api/0/* needs `Authorization: GoogleLogin auth=<Auth>` (401 + Google-Bad-Token when
  missing, wrong or expired). Every POST also needs the action token T from /token in its form
  body (Miniflux authenticates POSTs by T; FreshRSS checks it): T differs from Auth here.
- subscription/list, tag/list, stream/items/ids need output=json (Miniflux does).
- stream/items/ids: s, n (default 20), c, xt/it (repeated), ot, r=o; decimal ids in itemRefs,
  and `continuation` as FreshRSS (last id) or Miniflux (offset) encode it.
- stream/items/contents (POST, repeated i= in the body, long or short ids): long ids out.
- edit-tag (POST i=, a=, r= in the body): read and starred; mark-all-as-read (s, ts).
"""

from __future__ import annotations

import http.server
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

LONG = "tag:google.com,2005:reader/item/"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"


@dataclass
class Item:
    id: int
    feed: str
    title: str
    link: str
    published: int
    content: str
    author: str = ""
    read: bool = False
    starred: bool = False


@dataclass
class Feed:
    id: str  # "feed/N"
    title: str
    url: str
    category: str | None  # "user/-/label/Name"


@dataclass
class State:
    user: str = "alice"
    password: str = "secret"
    feeds: dict[str, Feed] = field(default_factory=dict)
    empty_folders: list[str] = field(default_factory=list)
    items: dict[int, Item] = field(default_factory=dict)
    auth: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    continuation: str = "offset"  # "offset" as Miniflux, "last_id" as FreshRSS
    log: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, ids in body
    next_id: int = 1_700_000_000_000_000  # microsecond-style ids, as FreshRSS makes them


def _parse_id(text: str) -> int | None:
    """Long (prefix + 16 hex) or short decimal; anything else is refused (400)."""
    if text.startswith(LONG):
        tail = text[len(LONG) :]
        return int(tail, 16) if len(tail) == 16 else None
    return int(text) if text.isdecimal() else None


def _stream(stream: str) -> str:
    parts = stream.split("/", 2)
    return "user/-/" + parts[2] if stream.startswith("user/") and len(parts) == 3 else stream


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: str, ctype: str = "text/plain; charset=utf-8",
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
        import json

        self._send(200, json.dumps(obj), "application/json; charset=utf-8")

    def _unauthorized(self) -> None:
        self._send(401, "Unauthorized!", headers={"Google-Bad-Token": "true"})

    def do_GET(self) -> None:
        self._route("GET", [])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)
        self._route("POST", form)

    def _route(self, method: str, form: list[tuple[str, str]]) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        path = url.path[len(owner.prefix) :] if url.path.startswith(owner.prefix) else url.path
        query = parse_qsl(url.query, keep_blank_values=True)
        with owner.lock:
            st = owner.state
            st.log.append((method, path, sum(1 for k, _ in form if k == "i")))
            if path == "/accounts/ClientLogin" and method == "POST":
                return self._login(dict(form))
            if not path.startswith("/reader/api/0/"):
                return self._send(404, "Not found")
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("GoogleLogin auth=") or auth[17:] not in st.auth:
                return self._unauthorized()
            if method == "POST" and dict(form).get("T") not in st.tokens:
                return self._unauthorized()
            op = path[len("/reader/api/0/") :]
            handler = getattr(self, "op_" + op.replace("/", "_").replace("-", "_"), None)
            if handler is None:
                return self._send(404, "Not found")
            return handler(method, query, form)

    def _login(self, form: dict[str, str]) -> None:
        st = self.server.owner.state
        if form.get("Email") != st.user or form.get("Passwd") != st.password:
            return self._send(401, "Error=BadAuthentication\n")
        auth = f"{st.user}/{secrets.token_hex(20)}"
        st.auth.add(auth)
        self._send(200, f"SID={auth}\nLSID=null\nAuth={auth}\n")

    def op_token(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        token = secrets.token_hex(28)[:57].ljust(57, "Z")
        self.server.owner.state.tokens.add(token)
        self._send(200, token + "\n")

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
            cats = [{"id": f.category.replace("user/-/", "user/1/"),
                     "label": f.category.split("/label/", 1)[1]}] if f.category else []  # fmt: skip
            subs.append({"id": f.id, "title": f.title, "categories": cats, "url": f.url,
                         "htmlUrl": "http://example.invalid/", "iconUrl": ""})  # fmt: skip
        self._json({"subscriptions": subs})

    def op_tag_list(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        if not self._needs_json(query):
            return
        st = self.server.owner.state
        folders = {f.category for f in st.feeds.values() if f.category} | set(st.empty_folders)
        tags = [{"id": "user/1/state/com.google/starred"}]
        tags += [{"id": c, "type": "folder"} for c in sorted(folders)]
        tags += [{"id": "user/-/label/just-a-tag", "type": "tag"}]  # an item label, not a folder
        self._json({"tags": tags})

    def _select(self, stream: str, xt: list[str], it: list[str], ot: int) -> list[Item]:
        st = self.server.owner.state
        stream = _stream(stream)

        def keep(i: Item) -> bool:
            if stream == STARRED and not i.starred:
                return False
            if stream == READ and not i.read:
                return False
            if stream.startswith("feed/") and i.feed != stream:
                return False
            if stream.startswith("user/-/label/"):
                feed = st.feeds.get(i.feed)
                if feed is None or feed.category != stream:
                    return False
            flags = {READ: i.read, STARRED: i.starred}
            if any(flags.get(_stream(x), False) for x in xt):
                return False
            return all(flags.get(_stream(x), True) for x in it) and i.published >= ot

        return [i for i in st.items.values() if keep(i)]

    def op_stream_items_ids(self, method: str, query: list[tuple[str, str]], form: object) -> None:
        if not self._needs_json(query):
            return
        q = dict(query)
        if "s" not in q:
            return self._send(400, "Bad Request!")
        n = max(1, min(int(q.get("n", "20")), 10_000))
        xt = [v for k, v in query if k == "xt"]
        it = [v for k, v in query if k == "it"]
        items = self._select(q["s"], xt, it, int(q.get("ot", "0") or 0))
        items.sort(key=lambda i: (i.published, i.id), reverse=q.get("r") != "o")
        start = self._start(items, q.get("c", ""))
        if start is None:
            return self._send(400, "Bad Request!")
        page = items[start : start + n]
        out: dict[str, object] = {"itemRefs": [{"id": str(i.id)} for i in page]}
        if start + n < len(items):
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
        ids = [i.id for i in items]
        return ids.index(int(c)) + 1 if int(c) in ids else None

    def _ids(self, form: list[tuple[str, str]]) -> list[int] | None:
        parsed = [_parse_id(v) for k, v in form if k == "i"]
        return None if not parsed or None in parsed else [p for p in parsed if p is not None]

    def op_stream_items_contents(self, method: str, query: object, form: list[tuple[str, str]]) -> None:  # fmt: skip
        ids = self._ids(form) if method == "POST" else None
        if ids is None:
            return self._send(400, "Bad Request!")
        st = self.server.owner.state
        items = [self._item(st.items[i]) for i in ids if i in st.items]
        self._json({"id": READING_LIST, "updated": int(time.time()), "items": items})

    def _item(self, i: Item) -> dict[str, object]:
        st = self.server.owner.state
        feed = st.feeds[i.feed]
        cats = ["user/1/state/com.google/reading-list"]
        cats += [feed.category.replace("user/-/", "user/1/")] if feed.category else []
        cats += ["user/1/state/com.google/read"] if i.read else []
        cats += ["user/1/state/com.google/starred"] if i.starred else []
        return {
            "id": f"{LONG}{i.id:016x}", "crawlTimeMsec": str(i.published * 1000),
            "timestampUsec": str(i.published * 1_000_000), "published": i.published,
            "title": i.title, "author": i.author, "categories": cats,
            "alternate": [{"href": i.link, "type": "text/html"}],
            "summary": {"content": i.content},
            "origin": {"streamId": i.feed, "title": feed.title, "htmlUrl": "http://example.invalid/"},
        }  # fmt: skip

    def op_edit_tag(self, method: str, query: object, form: list[tuple[str, str]]) -> None:
        ids = self._ids(form) if method == "POST" else None
        tags = [(k, _stream(v)) for k, v in form if k in ("a", "r")]
        if ids is None or not tags or any(t not in (READ, STARRED) for _, t in tags):
            return self._send(400, "Bad Request!")
        st = self.server.owner.state
        for k, tag in tags:
            for i in ids:
                if i in st.items:
                    setattr(st.items[i], "read" if tag == READ else "starred", k == "a")
        self._send(200, "OK")

    def op_mark_all_as_read(self, method: str, query: object, form: list[tuple[str, str]]) -> None:
        f = dict(form)
        ts = int(f.get("ts") or time.time() * 1_000_000)
        ts_sec = ts // 1_000_000 if len(str(ts)) >= 16 else ts
        for i in self._select(f.get("s", ""), [], [], 0):
            if i.published <= ts_sec:
                i.read = True
        self._send(200, "OK")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: GReaderServer


class GReaderServer:
    """Seed with add_feed/add_items; read state back from .state; expire_auth() to force 401."""

    def __init__(self, prefix: str = "/api/greader.php") -> None:
        self.prefix = prefix
        self.state = State()
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{self.prefix}"

    def add_feed(self, title: str, folder: str | None = None, url: str | None = None) -> str:
        with self.lock:
            fid = f"feed/{len(self.state.feeds) + 1}"
            cat = f"user/-/label/{folder}" if folder else None
            url = url or f"http://feeds.example.invalid/{fid}"
            self.state.feeds[fid] = Feed(fid, title, url, cat)
            return fid

    def add_items(self, feed: str, n: int, *, read: set[int] | bool = False,
                  starred: set[int] | bool = False) -> list[int]:  # fmt: skip
        """n items, item k published k minutes before a fixed instant; ids in index order."""

        def flag(spec: set[int] | bool, k: int) -> bool:
            return spec if isinstance(spec, bool) else k in spec

        ids = []
        with self.lock:
            for k in range(n):
                st = self.state
                st.next_id += 1
                st.items[st.next_id] = Item(
                    st.next_id, feed, f"Item {k}", f"http://example.invalid/{st.next_id}",
                    1_790_000_000 - 60 * k, f"<p>Body {k}</p>", f"Author {k}",
                    flag(read, k), flag(starred, k),
                )  # fmt: skip
                ids.append(st.next_id)
        return ids

    def expire_auth(self) -> None:
        """Every Auth and T stops working, as after a password change or token lifetime."""
        with self.lock:
            self.state.auth.clear()
            self.state.tokens.clear()

    def requests(self, path: str) -> list[int]:
        """For each request to `path`, how many i= ids it carried."""
        with self.lock:
            return [n for _, p, n in self.state.log if p == path]

    def __enter__(self) -> GReaderServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
