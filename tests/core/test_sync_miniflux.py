"""The Miniflux REST API client against the contract server (Miniflux's API reference)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from miniflux_server import MinifluxServer

from tui.sync.miniflux import PAGE, MinifluxClient
from tui.sync.model import SyncError


@pytest.fixture
def mf() -> Iterator[MinifluxServer]:
    with MinifluxServer() as srv:
        yield srv


def by_key(http, srv: MinifluxServer, key: str | None = None) -> MinifluxClient:
    return MinifluxClient(http, srv.url, "", key or srv.state.token)


async def test_api_key_or_basic_auth_and_a_clear_refusal(http, mf: MinifluxServer) -> None:
    await by_key(http, mf).login()
    await MinifluxClient(http, mf.url + "/v1/", mf.state.user, mf.state.password).login()
    with pytest.raises(SyncError, match=r"^login failed: wrong user, password or API key$"):
        await by_key(http, mf, "wrong").login()
    with pytest.raises(SyncError, match=r"^login failed"):
        await MinifluxClient(http, mf.url, mf.state.user, "wrong").login()


async def test_feeds_categories_and_entries_paged_by_after_entry_id(http, mf) -> None:
    feed = mf.add_feed("Busy", folder="News")
    ids = mf.add_entries(feed, PAGE * 2 + 10, read={0}, starred={3})
    client = by_key(http, mf)
    assert {c.title for c in await client.categories()} == {"All", "News"}
    (f,) = await client.feeds()
    assert (f.title, f.category_id) == ("Busy", "2")
    pages = [p async for p in client.entries()]
    assert [len(p) for p in pages] == [PAGE, PAGE, 10]
    got = {e.id: e for p in pages for e in p}
    assert set(got) == {str(i) for i in ids}
    first = got[str(ids[0])]
    assert first.read and not first.starred and got[str(ids[3])].starred
    assert (first.title, first.author, first.content) == ("Item 0", "Author 0", "<p>Body 0</p>")
    assert first.published == 1_790_000_000
    later = [e.id for p in [p async for p in client.entries(since=str(ids[-3]))] for e in p]
    assert later == [str(i) for i in ids[-2:]]


async def test_a_thousand_reads_in_one_request_and_errors_carry_the_servers_words(http, mf) -> None:
    ids = mf.add_entries(mf.add_feed("F"), 1000)
    client = by_key(http, mf)
    before = mf.requests("PUT", "/v1/entries")
    await client.set_read([str(i) for i in ids], True)
    assert mf.requests("PUT", "/v1/entries") - before == 1
    assert all(e.status == "read" for e in mf.state.entries.values())
    with pytest.raises(SyncError, match=r"^HTTP 400: Invalid sorting order$"):
        await client._get("entries", [("order", "nonsense")])


async def test_the_bookmark_toggle_is_sent_only_when_the_state_differs(http, mf) -> None:
    ids = mf.add_entries(mf.add_feed("F"), 3, starred={1})
    client = by_key(http, mf)
    await client.set_starred([str(ids[0]), str(ids[1])], True)  # ids[1] is starred already
    await client.set_starred([str(ids[0]), str(ids[1])], True)  # a retried push: no flip back
    assert [mf.state.entries[i].starred for i in ids] == [True, True, False]
    assert mf.state.toggles == 1
    del mf.state.entries[ids[2]]
    await client.set_starred([str(ids[2])], True)  # gone from the server: nothing to toggle
    assert mf.state.toggles == 1


async def test_articles_by_id_few_one_by_one_many_by_range(http, mf) -> None:
    ids = mf.add_entries(mf.add_feed("F"), 60, read={5})
    with mf.lock:
        del mf.state.entries[ids[7]]
    client = by_key(http, mf)
    few = await client.articles([str(ids[5]), str(ids[7])])
    assert [(e.id, e.read) for e in few] == [(str(ids[5]), True)]  # the deleted one is absent
    gets = mf.requests("GET", "/v1/entries")
    many = await client.articles([str(i) for i in ids[:50]])
    assert {e.id for e in many} == {str(i) for i in ids[:50]} - {str(ids[7])}
    assert mf.requests("GET", "/v1/entries") - gets == 1
