"""What a remote server or feed can make newsdesk send, and to whom.

Two loopback servers on different ports are two origins: secret headers configured for one must
never reach the other, and a feed on one may not make prefetch knock on the other (a feed on your
LAN may link to its own host and port; not to your router's admin page).
"""

from __future__ import annotations

import ipaddress
import json
import sqlite3

import pytest
from feedgen import rss
from hostile.harness import record
from server import FeedServer

from tui.cli.main import main
from tui.net.guard import PrivateAddressGuard, is_public, same_origin
from tui.net.http import FetchError

SECRETS = {"Cookie": "session=s3cret", "Authorization": "Bearer t0ken"}


@pytest.fixture
def other():
    """A second server: another origin (same host, another port)."""
    with FeedServer() as srv:
        yield srv


def header(headers: dict[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def requests_to(srv: FeedServer, path: str) -> list[dict[str, str]]:
    return [h for p, h in srv.requests if p.split("?")[0] == path]


def run(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def write_config(tmp_path, url: str, extra: str = "") -> None:
    (tmp_path / "config.toml").write_text(
        f'[sources."{url}"]\n'
        'title = "Mine"\n'
        'user_agent = "custom-agent/1"\n'
        f'headers = {{ Cookie = "{SECRETS["Cookie"]}", Authorization = "{SECRETS["Authorization"]}" }}\n'
        + extra
    )


def leaked(headers: dict[str, str]) -> list[str]:
    return [name for name, value in SECRETS.items() if header(headers, name) == value]


def test_secret_headers_stay_on_their_origin_across_a_redirect(server, other, tmp_path, capsys):
    feed = other.add("/feed.xml", rss("Elsewhere", [{"title": "x", "guid": "x"}]))
    start = server.add("/feed.xml", b"", status=302, headers={"Location": feed})
    write_config(tmp_path, start)
    assert main(["import", _urls(tmp_path, start)]) == 0
    summary = run(capsys, "refresh", "--no-articles")
    assert summary["ok"] == 1, summary
    (first,) = requests_to(server, "/feed.xml")
    assert leaked(first) == ["Cookie", "Authorization"]  # the configured origin gets them
    (hop,) = requests_to(other, "/feed.xml")
    record("secret headers across a redirect", leaked=len(leaked(hop)))
    assert leaked(hop) == [], hop  # another origin never does
    assert header(hop, "User-Agent") == "custom-agent/1"  # not a secret: it goes everywhere


def test_settings_follow_a_permanent_redirect_but_secrets_keep_their_origin(
    server, other, tmp_path, capsys
):
    # same origin first: /old.xml moved to /new.xml on the same server
    server.add("/new.xml", rss("Feed", [{"title": "a", "guid": "a"}]))
    old = server.add("/old.xml", b"", status=301, headers={"Location": server.url("/new.xml")})
    write_config(tmp_path, old)
    assert main(["import", _urls(tmp_path, old)]) == 0
    run(capsys, "refresh", "--no-articles")
    sources = run(capsys, "sources")
    assert [s["url"] for s in sources] == [server.url("/new.xml")]
    assert sources[0]["title"] == "Mine"  # [sources."old URL"] still applies
    server.requests.clear()
    run(capsys, "refresh", "--no-articles")
    (again,) = requests_to(server, "/new.xml")
    assert leaked(again) == ["Cookie", "Authorization"]  # same origin as configured

    # then the server moves it to another origin: the title still applies, secrets stay home
    elsewhere = other.add("/feed.xml", rss("Feed", [{"title": "b", "guid": "b"}]))
    server.add("/new.xml", b"", status=301, headers={"Location": elsewhere})
    run(capsys, "refresh", "--no-articles")
    sources = run(capsys, "sources")
    assert [s["url"] for s in sources] == [elsewhere] and sources[0]["title"] == "Mine"
    run(capsys, "refresh", "--no-articles")
    hops = requests_to(other, "/feed.xml")
    assert len(hops) == 2 and all(leaked(h) == [] for h in hops), hops


def _urls(tmp_path, *urls: str) -> str:
    path = tmp_path / "urls.txt"
    path.write_text("".join(u + "\n" for u in urls))
    return str(path)


PAGE = "<html><body><article><h1>T</h1>" + "<p>Body text of the page here.</p>" * 20
PAGE += "</article></body></html>"


def test_prefetch_refuses_private_addresses_but_not_the_sources_own_host(
    server, other, tmp_path, capsys
):
    server.add("/page.html", PAGE, content_type="text/html")
    server.add("/private.html", PAGE, content_type="text/html")
    server.add("/hop", b"", status=302, headers={"Location": other.url("/admin2")})
    other.add("/admin", "<html><body>ADMIN</body></html>", content_type="text/html")
    other.add("/admin2", "<html><body>ADMIN</body></html>", content_type="text/html")
    port = other.url("/").split(":")[-1].split("/")[0]
    links = {
        "own host": server.url("/page.html"),
        "credentials": server.url("/private.html").replace("://", "://user:pw@"),
        "other port": other.url("/admin"),
        "redirect to other port": server.url("/hop"),
        "localhost name": f"http://localhost:{port}/admin",
        "ipv6 loopback": f"http://[::1]:{port}/admin",
        "rfc1918": "http://10.0.0.1/",
        "link-local": "http://169.254.169.254/latest/meta-data/",
        "cgnat": "http://100.64.0.1/",
        "mapped": f"http://[::ffff:127.0.0.1]:{port}/admin",
        "zero": f"http://0.0.0.0:{port}/admin",
    }
    items = [{"title": t, "guid": t, "link": u} for t, u in links.items()]
    feed = server.add("/feed.xml", rss("Feed", items))
    (tmp_path / "config.toml").write_text("deadline = 5.0\ntimeout = 3.0\n")
    assert main(["import", _urls(tmp_path, feed)]) == 0
    run(capsys, "refresh")
    assert other.requests == [], other.requests  # nothing reached the other origin
    (private,) = requests_to(server, "/private.html")
    assert header(private, "Authorization") is None  # userinfo never becomes Basic auth
    db = sqlite3.connect(tmp_path / "data" / "newsdesk.db")
    rows = dict(
        db.execute(
            "SELECT e.title, coalesce(a.error, a.status) FROM entries e "
            "JOIN articles a ON a.entry_id = e.id"
        ).fetchall()
    )
    db.close()
    record("prefetch of private addresses", refused=sum("refused" in v for v in rows.values()))
    assert rows["own host"] == "ok" and rows["credentials"] == "ok", rows
    for title in set(links) - {"own host", "credentials"}:
        assert "refused" in rows[title], (title, rows[title])


async def test_fetch_on_open_refuses_another_local_origin(server, other, tmp_path):
    from tui.services.reader import fetch_article
    from tui.settings.config import Config
    from tui.store import Store

    other.add("/admin", "<html><body>ADMIN</body></html>", content_type="text/html")
    feed = server.add(
        "/feed.xml", rss("F", [{"title": "A", "guid": "a", "link": other.url("/admin")}])
    )
    from tui.feeds import parse_feed
    from tui.net.http import make_client

    store = Store(tmp_path / "x.db")
    store.add_source(feed)
    store.store_feed(feed, parse_feed(server.routes["/feed.xml"].body, feed))
    async with make_client(timeout=3) as client:
        view = await fetch_article(store, client, Config(), 1)
    assert other.requests == []
    assert view is not None and "refused" in (view.notice or ""), view.notice


async def test_a_teaser_link_is_guarded_like_a_prefetch(server, other):
    """A story linked from a page of teasers, read in place (Enter or L on a teaser), may not
    reach another local origin either: only the entry's source's own host and port."""
    from tui.net.http import make_client
    from tui.services.reader import fetch_link_view
    from tui.settings.config import Config

    other.add("/admin", "<html><body><p>ADMIN</p></body></html>", content_type="text/html")
    own = server.add(
        "/story.html",
        "<html><body><article>"
        + "<p>A paragraph long enough to be read as the body of a story.</p>" * 6
        + "</article></body></html>",
        content_type="text/html",
    )
    async with make_client(timeout=3) as client:
        refused = await fetch_link_view(client, Config(), other.url("/admin"), server.url("/f"))
        allowed = await fetch_link_view(client, Config(), own, server.url("/f"))
    assert other.requests == []
    assert "refused" in (refused.notice or ""), refused.notice
    assert allowed.full_text and "long enough" in allowed.article.body_text()


@pytest.mark.parametrize(
    "address,public",
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("::", False),
        ("fc00::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_address_classes(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


async def test_guard_allows_the_sources_own_host_and_port_only():
    guard = PrivateAddressGuard("http://127.0.0.1:8080/feed.xml")
    await guard.check_url("http://127.0.0.1:8080/page")  # its own server: fine
    for url in ("http://127.0.0.1:8081/admin", "http://10.0.0.1/", "http://[::1]:8080/"):
        with pytest.raises(FetchError, match="refused"):
            await guard.check_url(url)
    with pytest.raises(FetchError, match="refused"):
        guard.check_peer("http://rebind.example/", "127.0.0.1")  # DNS rebinding


def test_same_origin():
    assert same_origin("http://a.example/x", "http://a.example/y")
    assert same_origin("https://a.example/x", "http://a.example/y")  # upgrade keeps them
    assert not same_origin("http://a.example/x", "https://a.example/y")  # downgrade does not
    assert not same_origin("http://a.example:8080/x", "http://a.example/y")
    assert not same_origin("http://b.example/x", "http://a.example/y")
    assert not same_origin("http://a.example.evil/x", "http://a.example/y")
