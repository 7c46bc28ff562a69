"""The reader refreshes through the same pipeline as the CLI: it prunes too, and a second
refresh never cancels the first one's article prefetch."""

from __future__ import annotations

import threading
import time

import pytest
from feedgen import rss
from ui_helpers import settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app

NOW = time.time()


def page_items(server, n: int, gate: threading.Event | None = None) -> list[dict]:
    body = (
        "<html><body><article><h1>Story</h1>"
        + "".join(f"<p>Paragraph {j}, long enough to be kept as body text.</p>" for j in range(6))
        + "</article></body></html>"
    ).encode()

    def held(handler):
        if gate is not None:
            gate.wait(10)
        handler._send(200, body, "text/html; charset=utf-8")

    out = []
    for i in range(n):
        link = server.add(f"/page{i}.html", handler=held)
        out.append({"title": f"Story {i}", "guid": f"s{i}", "link": link, "date": NOW - 60 * i})
    return out


def count(sql: str) -> int:
    ctx = Context()
    try:
        return ctx.store().query(sql)[0][0]
    finally:
        ctx.close()


@pytest.fixture
def old_read_entry(server, private_paths):
    old = [{"title": "Ancient", "guid": "old", "date": NOW - 400 * 86400}]
    subscribe(server, "/f.xml", "F", old + page_items(server, 1))
    ctx = Context()
    ctx.store().set_read([r[0] for r in ctx.store().query("SELECT id FROM entries")])
    ctx.close()
    (private_paths / "config.toml").write_text(
        "keep_days = 30\nkeep_min_per_source = 0\nprefetch = false\n"  # no newest-N floor
    )
    server.add("/f.xml", rss("F", page_items(server, 1)))  # the feed dropped the old entry


async def test_reader_refresh_prunes_like_the_cli(old_read_entry, client):
    assert count("SELECT COUNT(*) FROM entries WHERE key = 'old'") == 1
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot, rounds=5)
    assert count("SELECT COUNT(*) FROM entries WHERE key = 'old'") == 0


@pytest.fixture
def gate(server):
    gate = threading.Event()
    subscribe(server, "/f.xml", "F", page_items(server, 3, gate))
    return gate


async def test_second_refresh_does_not_cancel_the_first_prefetch(gate, server, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        while not any(p.startswith("/page") for p in server.paths_requested()):
            await pilot.pause()  # the start-up refresh is prefetching, held at the gate
        # the feed gains an entry, and a second refresh starts while the first one prefetches
        server.add("/f.xml", rss("F", page_items(server, 4, gate)))
        await pilot.press("R")
        await pilot.pause()
        gate.set()
        await settle(app, pilot, rounds=5)
        assert any("already running" in str(n.message) for n in app._notifications)
    # the first run's pages were all kept (nothing cancelled them)
    assert count("SELECT COUNT(*) FROM articles WHERE body IS NOT NULL") >= 3


async def test_an_import_during_a_refresh_is_fetched_when_it_ends(gate, server, client, tmp_path):
    """Issue 22, item 3: the new sources wait for the running refresh, then are fetched."""
    new = [server.add(f"/n{i}.xml", rss(f"N{i}", [{"title": f"New {i}", "guid": f"n{i}"}]))
           for i in range(3)]  # fmt: skip
    urls = tmp_path / "urls"
    urls.write_text("\n".join(new) + "\n")
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        while not any(p.startswith("/page") for p in server.paths_requested()):
            await pilot.pause()  # the start-up refresh is prefetching, held at the gate
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path").value = str(urls)
        await pilot.press("enter")
        said = lambda: [str(n.message) for n in app._notifications]  # noqa: E731
        await until(pilot, lambda: any("fetched when it ends" in m for m in said()), said)
        assert not any(p.startswith("/n") for p in server.paths_requested())
        gate.set()
        new_entries = "SELECT COUNT(*) FROM entries WHERE title LIKE 'New %'"
        await until(pilot, lambda: count(new_entries) == 3, said)
        await settle(app, pilot, rounds=3)


async def until(pilot, done, said, tries: int = 3000) -> None:
    """Pause until `done()`; fail (with what the app said) rather than hang."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError(said())


@pytest.fixture
def empty_feed(server):
    subscribe(server, "/f.xml", "F", [])


async def test_reader_refresh_sends_the_terminal_note_through_its_own_writer(
    empty_feed, server, private_paths, client
):
    """notify = "terminal": the reader's refresh writes one OSC 9 note through Textual's driver;
    the feed's escape sequence in a title is not in it."""
    hostile = "Harbour \x1b]52;c;aGk=\x07bridge; tolls rise"
    server.add("/f.xml", rss("F", [{"title": hostile, "guid": "n", "date": NOW}]))
    (private_paths / "config.toml").write_text('notify = "terminal"\nprefetch = false\n')
    app = make_app(Context(), offline=False, client=client)
    written: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app._driver.write = written.append  # what would reach the terminal
        await settle(app, pilot, rounds=5)
    notes = [w for w in written if w.startswith("\x1b]9;")]
    assert notes == ["\x1b]9;newsdesk: 1 new entry: Harbour bridge, tolls rise (F)\x1b\\"]
