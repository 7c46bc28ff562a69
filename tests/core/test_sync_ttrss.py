"""The Tiny Tiny RSS client against a real tt-rss (Debian's, PHP + PostgreSQL on loopback)."""

from __future__ import annotations

import pytest
from ttrss import Ttrss, ttrss, ttrss_server  # noqa: F401  (fixtures)

from tui.sync.model import SyncError
from tui.sync.ttrss import TtrssClient


def connect(http, server: Ttrss, password: str | None = None) -> TtrssClient:
    return TtrssClient(http, server.url, server.user, password or server.password)


async def test_login_gives_a_session_and_api_level(http, ttrss: Ttrss) -> None:
    client = connect(http, ttrss)
    await client.login()
    assert client.sid
    assert client.api_level == await client.get_api_level() >= 15


async def test_wrong_password_is_one_line(http, ttrss: Ttrss) -> None:
    with pytest.raises(SyncError, match=r"^login failed: wrong user or password$"):
        await connect(http, ttrss, password="not-the-password").login()


async def test_api_switched_off(http, ttrss: Ttrss) -> None:
    ttrss.set_api_access(False)
    with pytest.raises(SyncError, match=r"^API disabled"):
        await connect(http, ttrss).login()


async def test_categories_and_feeds(http, ttrss: Ttrss) -> None:
    news = ttrss.add_category("News")
    tech = ttrss.add_category("Tech")
    a = ttrss.add_feed("Feed A", "http://a.example.invalid/rss", category=news)
    b = ttrss.add_feed("Feed B", category=tech)
    loose = ttrss.add_feed("Loose feed")
    client = connect(http, ttrss)
    cats = {c.id: c.title for c in await client.categories()}
    assert cats == {str(news): "News", str(tech): "Tech"}
    feeds = {f.id: f for f in await client.feeds()}
    assert set(feeds) == {str(a), str(b), str(loose)}
    assert feeds[str(a)].url == "http://a.example.invalid/rss"
    assert feeds[str(a)].category_id == str(news)
    assert feeds[str(loose)].category_id is None
    assert [f.id for f in await client.feeds(cat_id=tech)] == [str(b)]


async def test_nested_categories_list_child_feeds_only_when_asked(http, ttrss: Ttrss) -> None:
    parent = ttrss.add_category("Parent")
    child = ttrss.add_category("Child", parent=parent)
    inner = ttrss.add_feed("Inner", category=child)
    client = connect(http, ttrss)
    assert {c.title for c in await client.categories()} == {"Parent", "Child"}
    assert await client.feeds(cat_id=parent, include_nested=True) == []  # child cat rows skipped
    assert [f.id for f in await client.feeds(cat_id=child)] == [str(inner)]


async def test_250_entries_arrive_in_pages_with_state(http, ttrss: Ttrss) -> None:
    feed = ttrss.add_feed("Busy", category=ttrss.add_category("News"))
    ids = ttrss.add_entries(feed, 250, read={0, 1, 2}, starred={5, 249})
    client = connect(http, ttrss)
    pages = [page async for page in client.entries()]
    assert [len(p) for p in pages] == [200, 50]
    got = {e.id: e for p in pages for e in p}
    assert set(got) == {str(i) for i in ids}
    assert {e.id for e in got.values() if e.read} == {str(ids[k]) for k in (0, 1, 2)}
    assert {e.id for e in got.values() if e.starred} == {str(ids[5]), str(ids[249])}
    sample = got[str(ids[7])]
    assert (sample.feed_id, sample.title, sample.author) == (str(feed), "Entry 7", "Author 7")
    assert "Body of entry 7" in sample.content and sample.link.endswith("/7")
    assert sample.published is not None


async def test_unread_only_and_since(http, ttrss: Ttrss) -> None:
    feed = ttrss.add_feed("F")
    old = ttrss.add_entries(feed, 30, read=set(range(10)))
    client = connect(http, ttrss)
    unread = [e.id for p in [p async for p in client.entries(unread_only=True)] for e in p]
    assert sorted(unread) == sorted(str(i) for i in old[10:])
    new = ttrss.add_entries(feed, 5)
    since = str(max(old))
    fresh = [e.id for p in [p async for p in client.entries(since=since)] for e in p]
    assert sorted(fresh) == sorted(str(i) for i in new)


async def test_unread_and_starred_id_sets(http, ttrss: Ttrss) -> None:
    feed = ttrss.add_feed("F")
    ids = ttrss.add_entries(feed, 450, read=set(range(0, 450, 2)), starred={3, 4})
    client = connect(http, ttrss)
    assert await client.unread_ids() == {str(i) for k, i in enumerate(ids) if k % 2}
    assert await client.starred_ids() == {str(ids[3]), str(ids[4])}


async def test_marks_reach_the_server_in_batches(http, ttrss: Ttrss) -> None:
    feed = ttrss.add_feed("F")
    ids = ttrss.add_entries(feed, 1000)
    client = connect(http, ttrss)
    await client.login()
    before = client.requests
    assert await client.set_read([str(i) for i in ids], True) == 1000
    assert client.requests - before == 2  # 500 ids per updateArticle
    assert not any(unread for unread, _ in ttrss.state(ids).values())
    await client.set_read([str(ids[0])], False)
    await client.set_starred([str(ids[1]), str(ids[2])], True)
    await client.set_starred([str(ids[2])], False)
    state = ttrss.state(ids[:3])
    assert state == {ids[0]: (True, False), ids[1]: (False, True), ids[2]: (False, False)}


async def test_catchup_touches_only_that_feed(http, ttrss: Ttrss) -> None:
    a, b = ttrss.add_feed("A"), ttrss.add_feed("B")
    ids_a, ids_b = ttrss.add_entries(a, 5), ttrss.add_entries(b, 5)
    await connect(http, ttrss).mark_feed_read(str(a))
    assert all(not unread for unread, _ in ttrss.state(ids_a).values())
    assert all(unread for unread, _ in ttrss.state(ids_b).values())


async def test_expired_session_logs_in_again_once(http, ttrss: Ttrss) -> None:
    ttrss.add_feed("F", category=ttrss.add_category("News"))
    client = connect(http, ttrss)
    await client.login()
    first_sid = client.sid
    ttrss.expire_sessions()
    assert [c.title for c in await client.categories()] == ["News"]
    assert client.sid and client.sid != first_sid


async def test_expired_session_with_api_now_off_says_so(http, ttrss: Ttrss) -> None:
    client = connect(http, ttrss)
    await client.login()
    ttrss.expire_sessions()
    ttrss.set_api_access(False)
    with pytest.raises(SyncError, match=r"^API disabled"):
        await client.categories()
