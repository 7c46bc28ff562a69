"""DNS rebinding and aggregator-listed feeds on private addresses (issue 20, hole 9).

An in-process resolver shim answers a name with a "public" address first and a loopback one
after; 127.0.0.2 stands for the public internet (the guard is told it is public), so the test
sends nothing beyond this machine. A loopback service on 127.0.0.1, same port, must never see
the request: the connection goes to the address that was checked.
"""

from __future__ import annotations

import asyncio
import http.server
import ipaddress
import socket
import threading
from collections.abc import Iterator

import pytest
from feedgen import rss
from hostile.harness import record

import tui.net.guard as guard_module
from tui.cli.main import main
from tui.net.http import make_client
from tui.services.context import Context
from tui.services.reader import fetch_article

PRETEND_PUBLIC = ipaddress.ip_address("127.0.0.2")


class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Host")))  # type: ignore[attr-defined]
        body = (
            b"<html><body><article><h1>Public page</h1>"
            + b"<p>A paragraph long enough to be kept as the article text.</p>" * 6
            + b"</article></body></html>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(address: str, port: int) -> http.server.ThreadingHTTPServer:
    srv = http.server.ThreadingHTTPServer((address, port), _Recorder)
    srv.daemon_threads = True
    srv.seen = []  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture
def twin_servers() -> Iterator[tuple[http.server.ThreadingHTTPServer, ...]]:
    """A "public" server on 127.0.0.2 and a loopback "admin" service on 127.0.0.1, same port."""
    for _ in range(20):
        public = _serve("127.0.0.2", 0)
        try:
            admin = _serve("127.0.0.1", public.server_address[1])
            break
        except OSError:  # that port is taken on 127.0.0.1: another pair
            public.shutdown()
            public.server_close()
    else:
        pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")
    yield public, admin
    for srv in (public, admin):
        srv.shutdown()
        srv.server_close()


def _name(host: str | bytes | None) -> str:
    return host.decode() if isinstance(host, bytes) else str(host)


@pytest.fixture
def rebinding_dns(monkeypatch) -> list[str]:
    """`rebind.test` resolves to the pretend-public address once, then to loopback."""
    real = socket.getaddrinfo
    answers: list[str] = []

    def shim(host, port, *args, **kwargs):
        if _name(host) != "rebind.test":
            return real(host, port, *args, **kwargs)
        address = "127.0.0.2" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 80)))]

    monkeypatch.setattr(socket, "getaddrinfo", shim)
    real_public = guard_module.is_public
    monkeypatch.setattr(guard_module, "is_public", lambda a: a == PRETEND_PUBLIC or real_public(a))
    return answers


def test_rebinding_name_never_delivers_the_request_to_loopback(
    server, twin_servers, rebinding_dns, capsys
):
    public, admin = twin_servers
    port = public.server_address[1]
    link = f"http://rebind.test:{port}/admin-rebind"
    feed = server.add("/feed.xml", rss("Remote", [{"title": "x", "guid": "1", "link": link}]))
    assert main(["add", feed]) == 0
    assert main(["refresh", "--json"]) == 0
    record("rebinding: pinned connection", admin_requests=len(admin.seen))
    assert admin.seen == []  # before: GET /admin-rebind reached the loopback service
    # the checked address got it (or the pinned lookup refused): never the rebound one
    assert all(h == f"rebind.test:{port}" for _, h in public.seen)


def test_pinned_connection_sends_the_name_as_host(server, twin_servers, monkeypatch):
    """A name that keeps resolving to the checked address is fetched normally, Host intact."""
    public, admin = twin_servers
    port = public.server_address[1]
    real = socket.getaddrinfo

    def steady(host, p, *args, **kwargs):
        if _name(host) == "steady.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", int(p or 80)))]
        return real(host, p, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", steady)
    real_public = guard_module.is_public
    monkeypatch.setattr(guard_module, "is_public", lambda a: a == PRETEND_PUBLIC or real_public(a))
    link = f"http://steady.test:{port}/story"
    feed = server.add("/feed.xml", rss("Remote", [{"title": "x", "guid": "1", "link": link}]))
    assert main(["add", feed]) == 0 and main(["refresh"]) == 0
    assert public.seen == [("/story", f"steady.test:{port}")] and admin.seen == []
    kept = Context().store().query("SELECT COUNT(*) FROM articles WHERE body IS NOT NULL")
    assert kept[0][0] == 1


def test_aggregator_listed_feed_on_a_private_address_opens_no_links(server, capsys):
    """A synced source's URL comes from the aggregator: its own host earns its links nothing
    (before, prefetch reached /admin?via=lan on the feed's loopback host)."""
    admin = server.add("/admin", "<html><body>router admin</body></html>", content_type="text/html")
    link = admin + "?via=lan"
    feed = server.add("/lan.xml", rss("LAN", [{"title": "x", "guid": "1", "link": link}]))
    assert main(["add", feed]) == 0
    store = Context().store()
    with store.transaction() as db:  # as a sync would have listed it
        db.execute("UPDATE sources SET account = 'agg'")
    capsys.readouterr()
    assert main(["refresh", "--json", "--no-articles"]) == 0

    async def open_it() -> None:
        async with make_client() as client:
            ctx = Context()
            entry_id = ctx.store().query("SELECT id FROM entries")[0][0]
            await fetch_article(ctx.store(), client, ctx.config(), entry_id)

    asyncio.run(open_it())
    assert main(["refresh", "--json"]) == 0
    paths = [p for p in server.paths_requested() if p.startswith("/admin")]
    record("aggregator feed on a private address", admin_requests=len(paths))
    assert paths == []
    error = Context().store().query("SELECT error FROM articles")[0][0]
    assert "private or local address" in error


def test_guard_check_address_allows_home_only_on_its_port():
    guard = guard_module.PrivateAddressGuard("http://10.0.0.5:8080/feed")
    guard.check_address("10.0.0.5", 8080, ipaddress.ip_address("10.0.0.5"))
    with pytest.raises(Exception, match="private or local"):
        guard.check_address("10.0.0.5", 9090, ipaddress.ip_address("10.0.0.5"))
    with pytest.raises(Exception, match="private or local"):
        guard_module.PrivateAddressGuard(None).check_address(
            "x.test", 80, ipaddress.ip_address("192.168.1.1")
        )
