"""Google Reader API client, as FreshRSS, Miniflux, Inoreader, The Old Reader and BazQux serve it.

BASE is the API root the server documents (FreshRSS: https://host/api/greader.php; Miniflux:
its base URL). ClientLogin trades user and password for an auth token sent on every call as
`Authorization: GoogleLogin auth=…`; writes also carry the action token `T` from
/reader/api/0/token in the form body (Miniflux authenticates POSTs by T alone, FreshRSS by
the header and checks T). A 401 means the token expired: log in once more and retry once.

FreshRSS's quirks, met on a real 1.25: entry titles and authors arrive with & < > replaced by
full-width stand-ins (turned back here; feed titles keep theirs, since those marks are ordinary
punctuation in CJK titles); every call answers 503 while its API is switched off; a user name
it does not allow gets 400; T never expires and may be empty; a full page of ids always
carries a continuation, so the last page may be empty.

Item ids come in two forms: stream/items/ids gives short decimal ids, items carry the long
form `tag:google.com,2005:reader/item/<16 hex digits>`. We keep the long form everywhere.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Sequence
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from tui.sync.model import (
    IdFilter,
    RemoteCategory,
    RemoteEntry,
    RemoteFeed,
    SyncError,
    converted,
    count_request,
    remote_time,
)
from tui.sync.transport import ApiClient, Reply, exchange, status_error

LONG_PREFIX = "tag:google.com,2005:reader/item/"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
IDS_PAGE = 1000  # ids per stream/items/ids call
CONTENTS_BATCH = 250  # items per stream/items/contents call
EDIT_BATCH = 250  # items per edit-tag call
MAX_PAGES = 10_000  # a continuation that never ends is a server bug, not a big account
_USER_PART = re.compile(r"^user/[^/]+/")
_STANDINS = str.maketrans({"＆": "&", "＜": "<", "＞": ">"})
API_OFF = (
    "the server's Google Reader API is switched off (FreshRSS: Administration › Authentication "
    "› Allow API access; Miniflux: Settings › Integrations › Google Reader)"
)
LOGIN_FAILED = (
    "login failed: wrong user or API password (FreshRSS and Miniflux use an API password set "
    "apart from the web one: FreshRSS Settings › Profile › API management)"
)


def to_long(item_id: str) -> str:
    """Any id form to the long one; ids that are neither decimal nor 16 hex stay as they are."""
    item_id = item_id.strip()
    if item_id.startswith(LONG_PREFIX):
        return LONG_PREFIX + item_id[len(LONG_PREFIX) :].lower()
    if item_id.isdecimal():
        return f"{LONG_PREFIX}{int(item_id) & 0xFFFFFFFFFFFFFFFF:016x}"
    if len(item_id) == 16 and all(c in "0123456789abcdefABCDEF" for c in item_id):
        return LONG_PREFIX + item_id.lower()
    return item_id


def to_short(item_id: str) -> str:
    """The decimal form of a long id (a 64-bit value read as signed, as servers store it)."""
    tail = item_id[len(LONG_PREFIX) :] if item_id.startswith(LONG_PREFIX) else item_id
    value = int(tail, 16)
    return str(value - (1 << 64) if value >= 1 << 63 else value)


def _stream(stream_id: str) -> str:
    """user/1234/label/X and user/-/label/X name the same stream; keep the `-` form."""
    return _USER_PART.sub("user/-/", stream_id)


class GReaderClient(ApiClient):
    feed_read_by_time = True

    def __init__(self, client: httpx.AsyncClient, url: str, *args: str, **kw: Any) -> None:
        super().__init__(client, url, *args, **kw)
        self._base = url.rstrip("/")
        self.auth: str | None = None
        self.token: str | None = None
        self._subs: list[dict[str, Any]] | None = None  # one subscription list per sync
        self.skew = 0.0  # the server's clock less ours (from its Date header), for `ts`

    async def _send(self, method: str, path: str, **kw: Any) -> Reply:
        count_request(self.requests)
        self.requests += 1
        reply = await exchange(self._http, method, self._base + path, deadline=self._deadline, **kw)
        if reply.status == 503:
            raise SyncError(API_OFF)
        if self.requests == 1:
            self.skew = _skew(reply.headers.get("date"))
        return reply

    async def login(self) -> None:
        reply = await self._send(
            "POST", "/accounts/ClientLogin", data={"Email": self._user, "Passwd": self._password}
        )
        if reply.status in (400, 401, 403):  # FreshRSS: 400 for a user name it does not allow
            raise SyncError(LOGIN_FAILED)
        if reply.status != 200:
            raise status_error(reply)
        fields = dict(line.split("=", 1) for line in reply.text().splitlines() if "=" in line)
        auth = fields.get("Auth", "").strip()
        if not auth or "<" in auth or " " in auth:
            raise SyncError("bad response: login answer without Auth= (is the URL the API's?)")
        self.auth, self.token = auth, None

    async def _fetch_token(self) -> str:
        reply = await self._authed("GET", "/reader/api/0/token")
        token = reply.text().strip()  # may be empty: FreshRSS then takes an empty T
        if len(token) > 1000 or any(c.isspace() for c in token):
            raise SyncError("bad response: no action token")
        self.token = token
        return token

    async def _authed(self, method: str, path: str, **kw: Any) -> Reply:
        """A call with the auth header; on 401 log in again and retry once."""
        if self.auth is None:
            await self.login()
        for attempt in (1, 2):
            headers = {"Authorization": f"GoogleLogin auth={self.auth}"}
            reply = await self._send(method, path, headers=headers, **kw)
            if reply.status == 401 and attempt == 1:
                await self.login()
                continue
            if reply.status != 200:
                raise status_error(reply)
            return reply
        raise AssertionError("unreachable")

    async def get_json(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        reply = await self._authed("GET", path, params=[("output", "json"), *(params or [])])
        data = reply.json()
        if not isinstance(data, dict):
            raise SyncError("bad response: expected a JSON object")
        return data

    async def post(self, path: str, form: list[tuple[str, str]]) -> Reply:
        """A write: auth header plus T; a refused T (401) gets a fresh login and token once."""
        for attempt in (1, 2):
            token = await self._fetch_token() if self.token is None else self.token
            headers = {
                "Authorization": f"GoogleLogin auth={self.auth}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            # Repeated keys (i=…&i=…) need the body encoded by hand; httpx's data= is a dict.
            body = urlencode([*form, ("T", token)]).encode()
            reply = await self._send("POST", path, headers=headers, content=body)
            if reply.status == 401 and attempt == 1:
                await self.login()  # also forgets the old T
                continue
            if reply.status != 200:
                raise status_error(reply)
            return reply
        raise AssertionError("unreachable")

    async def categories(self) -> list[RemoteCategory]:
        """Folders: labels that hold subscriptions, and tags the server calls folders."""
        found: dict[str, RemoteCategory] = {}
        for feed in await self._subscriptions():
            for cat in feed.get("categories") or []:
                if isinstance(cat, dict) and "/label/" in str(cat.get("id", "")):
                    cid = _stream(str(cat["id"]))
                    found[cid] = RemoteCategory(cid, str(cat.get("label") or _label(cid)))
        tags = (await self.get_json("/reader/api/0/tag/list")).get("tags") or []
        for tag in tags:
            tid = _stream(str(tag.get("id", ""))) if isinstance(tag, dict) else ""
            if "/label/" in tid and tag.get("type") == "folder" and tid not in found:
                found[tid] = RemoteCategory(tid, _label(tid))
        return list(found.values())

    async def _subscriptions(self) -> list[dict[str, Any]]:
        """The subscription list, fetched once per client (categories and feeds both read it)."""
        if self._subs is None:
            subs = (await self.get_json("/reader/api/0/subscription/list")).get("subscriptions")
            if not isinstance(subs, list):
                raise SyncError("bad response: no subscriptions list")
            self._subs = [s for s in subs if isinstance(s, dict) and s.get("id")]
        return self._subs

    async def feeds(self) -> list[RemoteFeed]:
        feeds = []
        for s in await self._subscriptions():
            cats = [
                _stream(str(c.get("id")))
                for c in s.get("categories") or []
                if isinstance(c, dict) and "/label/" in str(c.get("id", ""))
            ]
            feeds.append(
                RemoteFeed(
                    id=str(s["id"]),
                    title=str(s.get("title") or ""),
                    url=str(s.get("url") or ""),
                    site_url=str(s.get("htmlUrl") or ""),
                    category_id=cats[0] if cats else None,
                )
            )
        return feeds

    async def item_ids(
        self,
        stream: str = READING_LIST,
        *,
        exclude: str | None = None,
        include: str | None = None,
        newer_than: int | None = None,
        page: int = IDS_PAGE,
    ) -> AsyncIterator[list[str]]:
        """Pages of long item ids in `stream`, following continuation to the end."""
        continuation: str | None = None
        seen_tokens: set[str] = set()
        for _ in range(MAX_PAGES):
            params = [("s", stream), ("n", str(page))]
            params += [("xt", exclude)] if exclude else []
            params += [("it", include)] if include else []
            params += [("ot", str(newer_than))] if newer_than else []
            params += [("c", continuation)] if continuation else []
            data = await self.get_json("/reader/api/0/stream/items/ids", params)
            refs = data.get("itemRefs") or []
            if not isinstance(refs, list):
                raise SyncError("bad response: itemRefs is not a list")
            ids = [to_long(str(r["id"])) for r in refs if isinstance(r, dict) and "id" in r]
            if ids:
                yield ids
            nxt = data.get("continuation")
            if not nxt or not refs:
                return
            continuation = str(nxt)
            if continuation in seen_tokens:
                raise SyncError("bad response: continuation repeats")
            seen_tokens.add(continuation)
        raise SyncError(f"bad response: more than {MAX_PAGES} pages")

    async def contents(self, ids: Sequence[str]) -> list[RemoteEntry]:
        """Items for up to CONTENTS_BATCH ids (callers batch); unknown ids are just absent."""
        reply = await self.post(
            "/reader/api/0/stream/items/contents?output=json", [("i", to_long(i)) for i in ids]
        )
        data = reply.json()
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise SyncError("bad response: no items list")
        return converted((it for it in items if isinstance(it, dict) and it.get("id")), _entry)

    async def entries(
        self, *, unread_only: bool = False, since: str | None = None, fresh: IdFilter | None = None
    ) -> AsyncIterator[list[RemoteEntry]]:
        """Entries in pages of CONTENTS_BATCH; `since` is a unix time (the `ot` filter) here,
        and `fresh` drops the ids the cache already holds before their contents are asked for.

        Only one page of ids is held at a time, so memory stays flat for any account size.
        """
        newer = int(since) if since and since.isdecimal() else None
        async for page in self.item_ids(exclude=READ if unread_only else None, newer_than=newer):
            ids = await fresh(page) if fresh is not None else page
            for start in range(0, len(ids), CONTENTS_BATCH):
                yield await self.contents(ids[start : start + CONTENTS_BATCH])

    async def articles(self, ids: Sequence[str]) -> list[RemoteEntry]:
        found: list[RemoteEntry] = []
        for start in range(0, len(ids), CONTENTS_BATCH):
            found += await self.contents(ids[start : start + CONTENTS_BATCH])
        return found

    async def _all_ids(self, stream: str, exclude: str | None = None) -> set[str]:
        found: set[str] = set()
        async for ids in self.item_ids(stream, exclude=exclude):
            found.update(ids)
        return found

    async def unread_ids(self) -> set[str]:
        return await self._all_ids(READING_LIST, exclude=READ)

    async def starred_ids(self) -> set[str]:
        return await self._all_ids(STARRED)

    async def edit_tag(self, ids: Sequence[str], *, add: str = "", remove: str = "") -> int:
        """Add or remove one state tag on many items, EDIT_BATCH ids per call."""
        for start in range(0, len(ids), EDIT_BATCH):
            form = [("i", to_long(i)) for i in ids[start : start + EDIT_BATCH]]
            form += [("a", add)] if add else []
            form += [("r", remove)] if remove else []
            reply = await self.post("/reader/api/0/edit-tag", form)
            if reply.text().strip() != "OK":
                raise SyncError("bad response: edit-tag did not answer OK")
        return len(ids)

    async def set_read(self, ids: Sequence[str], read: bool) -> int:
        return await self.edit_tag(ids, **({"add": READ} if read else {"remove": READ}))

    async def set_starred(self, ids: Sequence[str], starred: bool) -> int:
        return await self.edit_tag(ids, **({"add": STARRED} if starred else {"remove": STARRED}))

    async def mark_feed_read(self, feed_id: str, before: float | None = None) -> None:
        # ts bounds it to what the server had fetched then (FreshRSS compares it with its fetch
        # times), so later arrivals stay unread; on the server's clock, a second to spare.
        usec = str(int(((before or time.time()) + self.skew + 1) * 1_000_000))
        reply = await self.post("/reader/api/0/mark-all-as-read", [("s", feed_id), ("ts", usec)])
        if reply.text().strip() != "OK":
            raise SyncError("bad response: mark-all-as-read did not answer OK")


def _skew(date: str | None) -> float:
    """Seconds the server's clock is ahead of ours (0 when it does not say)."""
    try:
        return parsedate_to_datetime(date).timestamp() - time.time() if date else 0.0
    except (TypeError, ValueError):
        return 0.0


def _label(stream_id: str) -> str:
    return stream_id.split("/label/", 1)[-1]


def _first_href(links: Any) -> str:
    if isinstance(links, list):
        for link in links:
            if isinstance(link, dict) and isinstance(link.get("href"), str):
                return str(link["href"])
    return ""


def _entry(item: dict[str, Any]) -> RemoteEntry:
    tags = {_stream(str(c)) for c in item.get("categories") or []}
    body = item.get("content") or item.get("summary") or {}
    origin = item.get("origin") or {}
    return RemoteEntry(
        id=to_long(str(item["id"])),
        feed_id=str(origin.get("streamId") or "") if isinstance(origin, dict) else "",
        title=str(item.get("title") or "").translate(_STANDINS),
        link=_first_href(item.get("alternate")) or _first_href(item.get("canonical")),
        author=str(item.get("author") or "").translate(_STANDINS),
        published=remote_time(item.get("published")),
        content=str(body.get("content") or "") if isinstance(body, dict) else "",
        read=READ in tags,
        starred=STARRED in tags,
    )
