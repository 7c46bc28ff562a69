"""The Google Reader API client against the contract server (FreshRSS and Miniflux behaviour)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from greader_server import LONG, GReaderServer

from tui.sync.greader import (
    CONTENTS_BATCH,
    EDIT_BATCH,
    GReaderClient,
    to_long,
    to_short,
)
from tui.sync.model import SyncError

CONTENTS = "/reader/api/0/stream/items/contents"


@pytest.fixture(params=["offset", "last_id"])
def greader(request: pytest.FixtureRequest) -> Iterator[GReaderServer]:
    """Both continuation encodings: Miniflux's offset and FreshRSS's last id."""
    with GReaderServer() as srv:
        srv.state.continuation = request.param
        yield srv


def connect(http, srv: GReaderServer, password: str | None = None) -> GReaderClient:
    return GReaderClient(http, srv.url, srv.state.user, password or srv.state.password)


def test_id_forms_convert_both_ways() -> None:
    assert to_long("12345") == LONG + "0000000000003039"
    assert to_short(LONG + "0000000000003039") == "12345"
    assert to_long(LONG + "00000000148B9369") == LONG + "00000000148b9369"
    assert to_long("000000000000048c") == LONG + "000000000000048c"
    assert to_short(to_long("1700000000000000123")) == "1700000000000000123"
    # A 64-bit id with the top bit set is negative where servers keep signed integers.
    assert to_short(LONG + "ffffffffffffffff") == "-1"
    # The Old Reader's 24-hex ids are neither form: kept as given.
    assert to_long(LONG + "5d0cfa30041e4e2f2b00000e") == LONG + "5d0cfa30041e4e2f2b00000e"


async def test_login_and_token(http, greader: GReaderServer) -> None:
    client = connect(http, greader)
    await client.login()
    assert client.auth in greader.state.auth
    await client.set_read([], True)  # nothing to send: no token needed
    assert client.token is None


async def test_wrong_password_says_an_api_password_is_its_own(http, greader) -> None:
    with pytest.raises(SyncError, match=r"^login failed: wrong user or API password \(FreshRSS"):
        await connect(http, greader, password="nope").login()
    # FreshRSS answers 400 to a user name it does not allow: the same login failure
    client = GReaderClient(http, greader.url, "no spaces allowed", greader.state.password)
    with pytest.raises(SyncError, match=r"^login failed: wrong user or API password"):
        await client.login()


async def test_api_switched_off_says_where_to_switch_it_on(http, greader) -> None:
    greader.state.api_enabled = False
    with pytest.raises(SyncError, match=r"^the server's Google Reader API is switched off "
                                        r"\(FreshRSS: Administration › Authentication"):  # fmt: skip
        await connect(http, greader).login()


async def test_full_width_stand_ins_are_undone_in_entry_titles_only(http, greader) -> None:
    feed = greader.add_feed("Q&A? Yes, no; a/b")
    (item,) = greader.add_items(feed, 1)
    with greader.lock:
        greader.state.items[item].title = "Q&A: AT&T <3 > 2"
        greader.state.items[item].author = "Smith & Wesson"
    client = connect(http, greader)
    ((entry,),) = [p async for p in client.entries()]
    assert (entry.title, entry.author) == ("Q&A: AT&T <3 > 2", "Smith & Wesson")
    (remote_feed,) = await client.feeds()  # feed titles keep theirs (CJK punctuation)
    assert remote_feed.title == "Q＆A？ Yes， no； a／b"


async def test_folders_and_subscriptions(http, greader: GReaderServer) -> None:
    a = greader.add_feed("Feed A", folder="News")
    b = greader.add_feed("Feed B", folder="Tech")
    loose = greader.add_feed("Loose")
    greader.state.empty_folders.append("user/-/label/Empty")
    client = connect(http, greader)
    cats = {c.id: c.title for c in await client.categories()}
    assert cats == {
        "user/-/label/News": "News",
        "user/-/label/Tech": "Tech",
        "user/-/label/Empty": "Empty",
        "user/-/label/Uncategorized": "Uncategorized",
    }
    await client.feeds()
    assert len(greader.requests("/reader/api/0/subscription/list")) == 1  # read once
    feeds = {f.id: f for f in await client.feeds()}
    assert set(feeds) == {a, b, loose}
    assert feeds[a].category_id == "user/-/label/News"  # user/1/… normalised
    assert feeds[loose].category_id == "user/-/label/Uncategorized"  # FreshRSS's default
    assert feeds[b].url.endswith(b)


async def test_2500_entries_page_through_ids_and_batched_contents(http, greader) -> None:
    feed = greader.add_feed("Busy", folder="News")
    ids = greader.add_items(feed, 2500, read={0, 1}, starred={7})
    client = connect(http, greader)
    got = {}
    async for page in client.entries():
        assert len(page) <= CONTENTS_BATCH
        got.update((e.id, e) for e in page)
    assert set(got) == {to_long(str(i)) for i in ids}
    assert {e.id for e in got.values() if e.read} == {to_long(str(ids[k])) for k in (0, 1)}
    assert {e.id for e in got.values() if e.starred} == {to_long(str(ids[7]))}
    e = got[to_long(str(ids[3]))]
    assert (e.feed_id, e.title, e.author, e.content) == (
        feed,
        "Item 3",
        "Author 3",
        "<p>Body 3</p>",
    )
    assert e.link.startswith("http://example.invalid/") and e.published
    assert max(greader.requests(CONTENTS)) == CONTENTS_BATCH
    assert len(greader.requests("/reader/api/0/stream/items/ids")) == 3  # 1000 a page


async def test_unread_starred_and_since(http, greader: GReaderServer) -> None:
    feed = greader.add_feed("F")
    ids = greader.add_items(feed, 30, read=set(range(20)), starred={1, 25})
    client = connect(http, greader)
    assert await client.unread_ids() == {to_long(str(i)) for i in ids[20:]}
    assert await client.starred_ids() == {to_long(str(ids[1])), to_long(str(ids[25]))}
    unread = [e.id for p in [p async for p in client.entries(unread_only=True)] for e in p]
    assert sorted(unread) == sorted(to_long(str(i)) for i in ids[20:])
    # `since` is the server's fetch time (FreshRSS's ot), not the publication date
    later = greader.add_items(feed, 3, fetched=2_000_000_000)
    recent = [e.id for p in [p async for p in client.entries(since="1999999999")] for e in p]
    assert sorted(recent) == sorted(to_long(str(i)) for i in later)


async def test_marks_reach_the_server_with_the_write_token(http, greader) -> None:
    feed = greader.add_feed("F")
    ids = greader.add_items(feed, 600)
    client = connect(http, greader)
    # The short decimal form is accepted as well as the long one.
    await client.set_read([str(i) for i in ids[:300]] + [to_long(str(i)) for i in ids[300:]], True)
    assert all(greader.state.items[i].read for i in ids)
    assert greader.requests("/reader/api/0/edit-tag") == [EDIT_BATCH, EDIT_BATCH, 100]
    await client.set_read([str(ids[0])], False)
    await client.set_starred([str(ids[1]), str(ids[2])], True)
    await client.set_starred([str(ids[2])], False)
    flags = [(greader.state.items[i].read, greader.state.items[i].starred) for i in ids[:3]]
    assert flags == [(False, False), (True, True), (True, False)]


async def test_mark_feed_read_touches_only_that_feed(http, greader: GReaderServer) -> None:
    a, b = greader.add_feed("A"), greader.add_feed("B")
    ids_a, ids_b = greader.add_items(a, 5), greader.add_items(b, 5)
    await connect(http, greader).mark_feed_read(a)
    assert all(greader.state.items[i].read for i in ids_a)
    assert not any(greader.state.items[i].read for i in ids_b)


async def test_expired_auth_logs_in_again_once(http, greader: GReaderServer) -> None:
    feed = greader.add_feed("F", folder="News")
    ids = greader.add_items(feed, 3)
    client = connect(http, greader)
    await client.set_read([str(ids[0])], True)
    old_auth = client.auth
    greader.expire_auth()
    assert [c.title for c in await client.categories()] == ["News"]  # GET retried
    greader.expire_auth()
    await client.set_starred([str(ids[1])], True)  # POST: new login and new T
    assert greader.state.items[ids[1]].starred and client.auth != old_auth


async def test_password_changed_while_expired_is_a_login_failure(http, greader) -> None:
    client = connect(http, greader)
    await client.login()
    greader.expire_auth()
    greader.state.password = "changed"
    with pytest.raises(SyncError, match=r"^login failed"):
        await client.feeds()
