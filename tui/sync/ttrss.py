"""Tiny Tiny RSS JSON API client (API level 15, tt-rss 21; older levels work for what we use).

Every call is a JSON POST to BASE/api/ carrying the session id; the server answers
{"seq", "status", "content"} with status 1 and content.error on failure. A session the server
has dropped (NOT_LOGGED_IN) is renewed by logging in once more and retrying the call once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

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
from tui.sync.transport import ApiClient, exchange, status_error

PAGE = 200  # the server caps getHeadlines at 200 rows per call
BATCH = 500  # article ids per updateArticle
ALL_FEEDS = -3  # getFeeds: every real feed, no virtual ones
ALL_ARTICLES = -4  # getHeadlines: every article of every feed
STARRED = -1
FIELD_STARRED, FIELD_UNREAD = 0, 2  # updateArticle's `field`
MODE_FALSE, MODE_TRUE = 0, 1

_ERRORS = {
    "LOGIN_ERROR": "login failed: wrong user or password",
    "API_DISABLED": "API disabled (enable API access in the user's preferences)",
    "NOT_LOGGED_IN": "login failed: the server dropped the session",
}


def api_url(base: str) -> str:
    """BASE/api/ whether the user gave the tt-rss root or the API address itself."""
    base = base.rstrip("/")
    return base + "/" if base.endswith("/api") else base + "/api/"


def _error(content: Any) -> str:
    code = content.get("error") if isinstance(content, dict) else None
    if not isinstance(code, str):
        return "bad response: error without a reason"
    return _ERRORS.get(code, f"server error: {code[:100]}")


class TtrssClient(ApiClient):
    feed_read_by_time = False

    def __init__(self, client: httpx.AsyncClient, url: str, *args: str, **kw: Any) -> None:
        super().__init__(client, api_url(url), *args, **kw)
        self.sid: str | None = None
        self.api_level: int | None = None

    async def _post(self, body: dict[str, Any]) -> Any:
        count_request(self.requests)
        self.requests += 1
        reply = await exchange(self._http, "POST", self._url, deadline=self._deadline, json=body)
        if reply.status != 200:
            raise status_error(reply)
        data = reply.json()
        if not isinstance(data, dict) or "content" not in data:
            raise SyncError("bad response: not a tt-rss API answer")
        return data

    async def login(self) -> None:
        data = await self._post({"op": "login", "user": self._user, "password": self._password})
        content = data["content"]
        if data.get("status") != 0 or not isinstance(content, dict):
            raise SyncError(_error(content))
        sid = content.get("session_id")
        if not isinstance(sid, str) or not sid:
            raise SyncError("bad response: login without a session id")
        self.sid = sid
        level = content.get("api_level")
        self.api_level = level if isinstance(level, int) else None

    async def call(self, op: str, **params: Any) -> Any:
        """One API operation, logging in first when needed and again once if the session died."""
        if self.sid is None:
            await self.login()
        for attempt in (1, 2):
            data = await self._post({"op": op, "sid": self.sid, **params})
            if data.get("status") == 0:
                return data["content"]
            content = data["content"]
            if (
                attempt == 1
                and isinstance(content, dict)
                and content.get("error") == "NOT_LOGGED_IN"
            ):
                await self.login()
                continue
            raise SyncError(_error(content))
        raise AssertionError("unreachable")

    async def get_api_level(self) -> int:
        content = await self.call("getApiLevel")
        return int(content["level"])

    async def categories(self) -> list[RemoteCategory]:
        rows = await self.call("getCategories", include_empty=True)
        # Negative ids are tt-rss's virtual categories (Special, Labels); 0 is Uncategorized.
        return [
            RemoteCategory(str(r["id"]), str(r.get("title") or ""))
            for r in _rows(rows)
            if isinstance(r.get("id"), int) and r["id"] > 0
        ]

    async def feeds(
        self, cat_id: int = ALL_FEEDS, include_nested: bool = False
    ) -> list[RemoteFeed]:
        rows = await self.call("getFeeds", cat_id=cat_id, include_nested=include_nested)
        feeds = []
        for r in _rows(rows):
            if r.get("is_cat") or not isinstance(r.get("id"), int) or r["id"] <= 0:
                continue  # a nested category or a virtual feed
            cat = r.get("cat_id")
            feeds.append(
                RemoteFeed(
                    id=str(r["id"]),
                    title=str(r.get("title") or ""),
                    url=str(r.get("feed_url") or ""),
                    category_id=str(cat) if isinstance(cat, int) and cat > 0 else None,
                )
            )
        return feeds

    async def headlines(
        self,
        feed_id: int = ALL_ARTICLES,
        *,
        view_mode: str = "all_articles",
        since_id: int = 0,
        show_content: bool = True,
        is_cat: bool = False,
        page: int = PAGE,
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Pages of raw headline rows, `skip` advancing by what came back, until a short page.

        tt-rss orders by date with no unique tie-break, so rows can repeat across pages when
        many share a timestamp: ids already yielded in this run are dropped.
        """
        seen: set[int] = set()
        skip = 0
        while True:
            rows = _rows(
                await self.call(
                    "getHeadlines",
                    feed_id=feed_id,
                    is_cat=is_cat,
                    limit=page,
                    skip=skip,
                    since_id=since_id,
                    view_mode=view_mode,
                    show_content=show_content,
                    include_attachments=False,
                )
            )
            fresh = [r for r in rows if isinstance(r.get("id"), int) and r["id"] not in seen]
            seen.update(r["id"] for r in fresh)
            if fresh:
                yield fresh
            # a short page ends the list; a full page of ids already seen means the server (or
            # a proxy) ignores `skip` and would send the same page for ever
            if len(rows) < page or not fresh:
                return
            skip += len(rows)

    async def entries(
        self, *, unread_only: bool = False, since: str | None = None, fresh: IdFilter | None = None
    ) -> AsyncIterator[list[RemoteEntry]]:
        """Entries with content, 200 a page; `since` is the highest entry id already held (the
        cursor never overlaps, so `fresh` is not needed)."""
        async for rows in self.headlines(
            view_mode="unread" if unread_only else "all_articles",
            since_id=int(since or 0),
        ):
            yield converted(rows, _entry)

    async def articles(self, ids: Sequence[str]) -> list[RemoteEntry]:
        """getArticle for up to PAGE ids a call; ids the server no longer has are absent."""
        found: list[RemoteEntry] = []
        for start in range(0, len(ids), PAGE):
            chunk = ",".join(str(int(i)) for i in ids[start : start + PAGE])
            rows = _rows(await self.call("getArticle", article_id=chunk))
            found += converted((r for r in rows if isinstance(r.get("id"), int)), _entry)
        return found

    async def _ids(self, feed_id: int, view_mode: str) -> set[str]:
        ids: set[str] = set()
        async for rows in self.headlines(feed_id, view_mode=view_mode, show_content=False):
            ids.update(str(r["id"]) for r in rows)
        return ids

    async def unread_ids(self) -> set[str]:
        return await self._ids(ALL_ARTICLES, "unread")

    async def starred_ids(self) -> set[str]:
        return await self._ids(STARRED, "all_articles")

    async def update_article(self, ids: Sequence[str], field: int, mode: int) -> int:
        """Set one field on many articles, BATCH ids per call; returns rows the server changed."""
        updated = 0
        for start in range(0, len(ids), BATCH):
            chunk = ",".join(str(int(i)) for i in ids[start : start + BATCH])
            content = await self.call("updateArticle", article_ids=chunk, field=field, mode=mode)
            updated += int(content.get("updated", 0)) if isinstance(content, dict) else 0
        return updated

    async def set_read(self, ids: Sequence[str], read: bool) -> int:
        return await self.update_article(ids, FIELD_UNREAD, MODE_FALSE if read else MODE_TRUE)

    async def set_starred(self, ids: Sequence[str], starred: bool) -> int:
        return await self.update_article(ids, FIELD_STARRED, MODE_TRUE if starred else MODE_FALSE)

    async def catchup_feed(self, feed_id: int, is_cat: bool = False) -> None:
        await self.call("catchupFeed", feed_id=feed_id, is_cat=is_cat)

    async def mark_feed_read(self, feed_id: str, before: float | None = None) -> None:
        # catchupFeed has no time bound: the engine uses it only when told so (feed_read_by_time)
        await self.catchup_feed(int(feed_id))


def _rows(content: Any) -> list[dict[str, Any]]:
    if not isinstance(content, list):
        raise SyncError("bad response: expected a list")
    return [r for r in content if isinstance(r, dict)]


def _entry(r: dict[str, Any]) -> RemoteEntry:
    return RemoteEntry(
        id=str(r["id"]),
        feed_id=str(r.get("feed_id") or ""),
        title=str(r.get("title") or ""),
        link=str(r.get("link") or ""),
        author=str(r.get("author") or ""),
        published=remote_time(r.get("updated")),
        content=str(r.get("content") or ""),
        read=not bool(r.get("unread")),
        starred=bool(r.get("marked")),
    )
