"""Adding a source says what happened (issue 22, item 13): an address typed without a scheme
that does not answer over TLS is tried over http and the user is told; a failed check explains
"Add anyway" against "Try again"; the success toast names the feed that was found."""

from __future__ import annotations

import json

import pytest
from feedgen import rss
from hostile.harness import cli
from textual.widgets import Button
from ui_helpers import items, plain, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.screens import AddSourceScreen


def test_an_address_without_a_scheme_falls_back_to_http_and_says_so(server, capsys):
    url = server.add("/feed.xml", rss("Plain", [{"title": "One", "guid": "1"}]))
    bare = url.removeprefix("http://")
    code, out, err = cli(capsys, "add", bare, "--json")
    assert code == 0, err
    added = json.loads(out)
    assert added["url"] == url and added["new_entries"] == 1
    assert "using http" in added["note"] and "TLS" in added["note"], added


def test_a_scheme_given_is_kept_even_when_tls_fails(server, capsys):
    url = server.add("/feed.xml", rss("Plain", [{"title": "One", "guid": "1"}]))
    code, _, err = cli(capsys, "add", url.replace("http://", "https://"))
    assert code == 1 and "TLS error" in err, err


@pytest.fixture
def fine(server):
    subscribe(server, "/ok.xml", "Fine", items(server, 2, "Fine"))


async def test_the_dialog_explains_add_anyway_and_the_toast_names_the_feed(fine, server, client):
    down = server.add("/down.xml", "gone", status=503, content_type="text/plain")
    feed = server.add("/site/feed.xml", rss("Site news", [{"title": "A", "guid": "a"}]))
    page = server.add(
        "/site/",
        f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}">'
        "</head><body><p>Welcome</p></body></html>",
        content_type="text/html",
    )
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddSourceScreen)
        app.screen.query_one("#url").value = down
        await pilot.press("enter")
        await settle(app, pilot)
        said = plain(app.screen.query_one("#error"))
        assert "Add anyway subscribes without a working first fetch" in said, said
        assert str(app.screen.query_one("#add", Button).label) == "Try again"
        app.screen.query_one("#url").value = page
        await pilot.pause()
        assert str(app.screen.query_one("#add", Button).label) == "Add"
        await pilot.click("#add")
        toasts: list[str] = []
        for _ in range(500):  # the dialog's worker ends with the dialog: wait for the toast
            await pilot.pause(0.01)
            toasts = [str(n.message) for n in app._notifications]
            if any("Subscribed" in t for t in toasts):
                break
        assert not isinstance(app.screen, AddSourceScreen)
        assert any(f"the feed {feed}, found on {page}" in t for t in toasts), toasts
