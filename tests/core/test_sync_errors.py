"""Servers that misbehave: each failure reaches the caller as one line a user can act on."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from tui.net.http import make_client
from tui.sync.greader import GReaderClient
from tui.sync.model import SyncError
from tui.sync.transport import exchange
from tui.sync.ttrss import TtrssClient

HTML = b"<!DOCTYPE html><html><head><title>Login</title></head><body>Sign in</body></html>"
GOOD_LOGIN = b"SID=u/1\nLSID=null\nAuth=u/1\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        path = self.path.split("?")[0]
        owner = self.server.owner
        if path in owner.hang:
            owner.release.wait(10)  # until the test is over: a server that never answers
            return
        status, body, headers = owner.routes.get(path, (404, b"not found", {}))
        self.send_response(status)
        for k, v in {"Content-Type": "text/plain", **headers}.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: BadServer


class BadServer:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.hang: set[str] = set()
        self.release = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        self.routes[path] = (status, body, {k.replace("_", "-"): v for k, v in headers.items()})

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def bad() -> Iterator[BadServer]:
    srv = BadServer()
    yield srv
    srv.close()


@pytest.fixture
async def http() -> AsyncIterator[object]:
    client = make_client(timeout=10)
    yield client
    await client.aclose()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, HTML, r"^bad response: an HTML page, not JSON \(is the URL the API's\?\)$"),
        (200, b'{"seq": 0, "status": 0, "cont', r"^bad response: not JSON$"),
        (200, b"", r"^bad response: empty body$"),
        (200, b"[1, 2, 3]", r"^bad response: not a tt-rss API answer$"),
        (401, b"Unauthorized", r"^HTTP 401$"),
        (500, HTML, r"^HTTP 500$"),
    ],
)
async def test_ttrss_bad_answers(http, bad: BadServer, status, body, message) -> None:
    bad.add("/api/", body, status, Content_Type="text/html")
    with pytest.raises(SyncError, match=message):
        await TtrssClient(http, bad.url, "u", "p").login()


async def test_ttrss_unknown_error_code_and_a_session_refused_twice(http, bad) -> None:
    bad.add("/api/", b'{"seq":0,"status":1,"content":{"error":"SOMETHING_NEW"}}')
    with pytest.raises(SyncError, match=r"^server error: SOMETHING_NEW$"):
        await TtrssClient(http, bad.url, "u", "p").login()
    # A server that accepts the login but never the session: re-login once, then give up.
    client = TtrssClient(http, bad.url, "u", "p")
    client.sid = "stale"
    bad.add("/api/", b'{"seq":0,"status":1,"content":{"error":"NOT_LOGGED_IN"}}')
    with pytest.raises(SyncError, match=r"^(login failed|server error)"):
        await client.categories()
    assert client.requests <= 3


async def test_redirect_says_where(http, bad: BadServer) -> None:
    bad.add("/api/", b"", 301, Location="https://elsewhere.example/api/")
    with pytest.raises(SyncError, match=r"^HTTP 301 \(moved to https://elsewhere.example/api/\)$"):
        await TtrssClient(http, bad.url, "u", "p").login()


@pytest.mark.parametrize("protocol", [TtrssClient, GReaderClient])
async def test_connection_refused(http, protocol) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(SyncError, match=r"^connection refused$"):
        await protocol(http, url, "u", "p").login()


@pytest.mark.parametrize(("protocol", "path"), [(TtrssClient, "/api/"), (GReaderClient, "/accounts/ClientLogin")])  # fmt: skip
async def test_slow_server_hits_the_total_deadline(http, bad: BadServer, protocol, path) -> None:
    bad.hang.add(path)
    with pytest.raises(SyncError, match=r"^timed out after 0.3 s$"):
        await protocol(http, bad.url, "u", "p", deadline=0.3).login()


async def test_oversized_answer_is_cut_off(http, bad: BadServer) -> None:
    bad.add("/big", b"x" * 100_000)
    with pytest.raises(SyncError, match=r"^response larger than 10,000 bytes$"):
        await exchange(http, "GET", bad.url + "/big", max_bytes=10_000)


async def test_greader_login_page_instead_of_api(http, bad: BadServer) -> None:
    bad.add("/accounts/ClientLogin", HTML, Content_Type="text/html")
    with pytest.raises(SyncError, match=r"^bad response: login answer without Auth="):
        await GReaderClient(http, bad.url, "u", "p").login()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HTML, r"^bad response: an HTML page"),
        (b'{"subscriptions": [', r"^bad response: not JSON$"),
        (b'{"subscriptions": 7}', r"^bad response: no subscriptions list$"),
        (b"[]", r"^bad response: expected a JSON object$"),
    ],
)
async def test_greader_bad_lists(http, bad: BadServer, body, message) -> None:
    bad.add("/accounts/ClientLogin", GOOD_LOGIN)
    bad.add("/reader/api/0/subscription/list", body)
    with pytest.raises(SyncError, match=message):
        await GReaderClient(http, bad.url, "u", "p").feeds()


async def test_greader_401_after_fresh_login_is_reported(http, bad: BadServer) -> None:
    bad.add("/accounts/ClientLogin", GOOD_LOGIN)
    bad.add("/reader/api/0/subscription/list", b"Unauthorized!", 401)
    client = GReaderClient(http, bad.url, "u", "p")
    with pytest.raises(SyncError, match=r"^HTTP 401$"):
        await client.feeds()
    assert client.requests == 4  # login, list, login again, list again: once, not forever


async def test_greader_continuation_that_repeats_is_refused(http, bad: BadServer) -> None:
    bad.add("/accounts/ClientLogin", GOOD_LOGIN)
    bad.add("/reader/api/0/stream/items/ids", b'{"itemRefs":[{"id":"1"}],"continuation":"x"}')
    client = GReaderClient(http, bad.url, "u", "p")
    with pytest.raises(SyncError, match=r"^bad response: continuation repeats$"):
        await client.unread_ids()
