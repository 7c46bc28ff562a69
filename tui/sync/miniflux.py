"""Miniflux's own REST API (/v1), as its API reference documents it.

URL is the Miniflux base URL. Authentication is an API key (Settings › API Keys) sent as
`X-Auth-Token`, used when the account has no user name, or HTTP basic auth with the user and
web password. Errors come as JSON {"error_message": "…"}.

Entries are read in id order with `after_entry_id` paging (the cursor is the highest id seen,
as with tt-rss), so a page never shifts while entries arrive. Read state is one
`PUT /v1/entries` per PAGE ids. The star is `PUT /v1/entries/{id}/bookmark`, a *toggle*: the
entry's state is read first and the toggle sent only when it differs, so a retried push never
flips a star the wrong way.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
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

PAGE = 250  # entries per GET (each with its content): 5,000 entries in 20 calls
STATUS_BATCH = 1000  # ids per PUT /v1/entries
FEW = 20  # ids asked for one by one; more are found by listing their id range
MAX_PAGES = 10_000


def _message(reply: Reply) -> str:
    try:
        data = json.loads(reply.body)
    except ValueError:
        return ""
    text = data.get("error_message") if isinstance(data, dict) else None
    return str(text)[:200] if text else ""


class MinifluxClient(ApiClient):
    feed_read_by_time = False  # mark-all-as-read has no time bound

    def __init__(self, client: httpx.AsyncClient, url: str, *args: str, **kw: Any) -> None:
        super().__init__(client, url, *args, **kw)
        self._base = url.rstrip("/").removesuffix("/v1")
        if self._user:
            pair = base64.b64encode(f"{self._user}:{self._password}".encode()).decode()
            self._headers = {"Authorization": f"Basic {pair}"}
        else:
            self._headers = {"X-Auth-Token": self._password}

    async def _call(
        self, method: str, path: str, params: list[tuple[str, str]] | None = None,
        body: object = None,
    ) -> Reply:  # fmt: skip
        count_request(self.requests)
        self.requests += 1
        url = f"{self._base}/v1/{path}" + (f"?{urlencode(params)}" if params else "")
        headers = dict(self._headers, Accept="application/json")
        kw: dict[str, Any] = {"headers": headers}
        if body is not None:
            kw["content"] = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        reply = await exchange(self._http, method, url, deadline=self._deadline, **kw)
        if reply.status in (401, 403):
            raise SyncError("login failed: wrong user, password or API key")
        if reply.status >= 300:
            said = _message(reply)
            error = status_error(reply)
            raise SyncError(f"{error}: {said}") if said else error
        return reply

    async def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        return (await self._call("GET", path, params)).json()

    async def login(self) -> None:
        me = await self._get("me")
        if not isinstance(me, dict) or "id" not in me:
            raise SyncError("bad response: /v1/me is not a user (is the URL Miniflux's?)")

    async def categories(self) -> list[RemoteCategory]:
        cats = await self._get("categories")
        if not isinstance(cats, list):
            raise SyncError("bad response: categories is not a list")
        return [RemoteCategory(str(c["id"]), str(c.get("title") or ""))
                for c in cats if isinstance(c, dict) and "id" in c]  # fmt: skip

    async def feeds(self) -> list[RemoteFeed]:
        feeds = await self._get("feeds")
        if not isinstance(feeds, list):
            raise SyncError("bad response: feeds is not a list")
        out = []
        for f in feeds:
            if not isinstance(f, dict) or "id" not in f:
                continue
            cat = f.get("category")
            out.append(RemoteFeed(
                id=str(f["id"]), title=str(f.get("title") or ""),
                url=str(f.get("feed_url") or ""), site_url=str(f.get("site_url") or ""),
                category_id=str(cat["id"]) if isinstance(cat, dict) and "id" in cat else None,
            ))  # fmt: skip
        return out

    async def _pages(
        self, params: list[tuple[str, str]], after: int = 0
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Every entry matching `params` with an id above `after`, PAGE at a time in id order."""
        for _ in range(MAX_PAGES):
            query = [*params, ("order", "id"), ("direction", "asc"), ("limit", str(PAGE))]
            data = await self._get("entries", [*query, ("after_entry_id", str(after))])
            rows = data.get("entries") if isinstance(data, dict) else None
            if not isinstance(rows, list):
                raise SyncError("bad response: no entries list")
            rows = [r for r in rows if isinstance(r, dict) and isinstance(r.get("id"), int)]
            if rows:
                yield rows
            if len(rows) < PAGE:
                return
            top = max(r["id"] for r in rows)
            if top <= after:
                raise SyncError("bad response: entries do not advance")
            after = top
        raise SyncError(f"bad response: more than {MAX_PAGES} pages")

    async def entries(
        self, *, unread_only: bool = False, since: str | None = None, fresh: IdFilter | None = None
    ) -> AsyncIterator[list[RemoteEntry]]:
        """Entries after the cursor (the highest id already held; ids only grow)."""
        params = [("status", "unread")] if unread_only else []
        async for rows in self._pages(params, int(since) if since and since.isdecimal() else 0):
            yield converted(rows, _entry)  # a poison entry is left out, not the page

    async def articles(self, ids: Sequence[str]) -> list[RemoteEntry]:
        """These entries (ids gone are absent). The list call has no id filter: a few are asked
        for one by one, more by listing the id range they span."""
        wanted = {int(i) for i in ids}
        if len(wanted) > FEW:
            found = []
            range_ = [("before_entry_id", str(max(wanted) + 1))]
            async for rows in self._pages(range_, min(wanted) - 1):
                found += [_entry(r) for r in rows if r["id"] in wanted]
            return found
        return [e for i in sorted(wanted) if (e := await self._one(i)) is not None]

    async def _one(self, entry_id: int) -> RemoteEntry | None:
        try:
            return _entry(await self._get(f"entries/{entry_id}"))
        except SyncError as exc:
            if str(exc).startswith("HTTP 404"):
                return None  # gone from the server
            raise

    async def _ids(self, params: list[tuple[str, str]]) -> set[str]:
        found: set[str] = set()
        async for rows in self._pages(params):
            found.update(str(r["id"]) for r in rows)
        return found

    async def unread_ids(self) -> set[str]:
        return await self._ids([("status", "unread")])

    async def starred_ids(self) -> set[str]:
        return await self._ids([("starred", "true")])

    async def set_read(self, ids: Sequence[str], read: bool) -> int:
        for start in range(0, len(ids), STATUS_BATCH):
            chunk = [int(i) for i in ids[start : start + STATUS_BATCH]]
            body = {"entry_ids": chunk, "status": "read" if read else "unread"}
            await self._call("PUT", "entries", body=body)
        return len(ids)

    async def set_starred(self, ids: Sequence[str], starred: bool) -> int:
        """The bookmark call toggles: read each entry's state, toggle only those that differ."""
        for i in ids:
            entry = await self._one(int(i))
            if entry is not None and entry.starred != starred:  # gone: nothing to star
                await self._call("PUT", f"entries/{int(i)}/bookmark")
        return len(ids)

    async def mark_feed_read(self, feed_id: str, before: float | None = None) -> None:
        await self._call("PUT", f"feeds/{int(feed_id)}/mark-all-as-read")


def _published(text: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def _entry(r: Any) -> RemoteEntry:
    if not isinstance(r, dict) or not isinstance(r.get("id"), int):
        raise SyncError("bad response: an entry without an id")
    return RemoteEntry(
        id=str(r["id"]),
        feed_id=str(r.get("feed_id") or ""),
        title=str(r.get("title") or ""),
        link=str(r.get("url") or ""),
        author=str(r.get("author") or ""),
        published=remote_time(_published(r.get("published_at"))),
        content=str(r.get("content") or ""),
        read=r.get("status") == "read",
        starred=bool(r.get("starred")),
    )
