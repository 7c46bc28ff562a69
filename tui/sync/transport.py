"""One HTTP exchange with a sync server: a total deadline, a size cap, errors as one line."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from tui.net.http import describe_http_error
from tui.sync.model import SyncError

DEADLINE = 60.0  # seconds for one whole request, as feeds have
# A page of 200 full articles is a few MB; anything far past that is not an API answer.
MAX_BYTES = 32 * 1024 * 1024
# JSON values one answer may hold. Bytes alone do not bound memory: `[{},{},...]` costs some 25
# bytes of Python objects per 3 bytes of JSON (60 MB took a process to 1.5 GB). The largest real
# answers (1,000 items of ~30 values) are far below this.
MAX_VALUES = 500_000
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: httpx.Headers
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON, or a SyncError saying what came instead (an HTML page, garbage, or
        more values than any API answer holds)."""
        values = json_values(self.body)
        if values > MAX_VALUES:
            raise SyncError(f"bad response: {values:,} JSON values in one answer (refused)")
        try:
            return json.loads(self.body)
        except ValueError:
            raise SyncError(f"bad response: {_what(self)}") from None


def json_values(body: bytes) -> int:
    """About how many values a JSON text holds, without parsing it: its separators and
    brackets outside strings (in C, one pass; strings are taken out first)."""
    if len(body) < MAX_VALUES:  # fewer bytes than the limit: fewer values too
        return 0
    bare = _STRING.sub(b"", body)
    return sum(bare.count(c) for c in (b",", b"{", b"["))


def _what(reply: Reply) -> str:
    head = reply.body[:200].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "an HTML page, not JSON (is the URL the API's?)"
    if not reply.body.strip():
        return "empty body"
    return "not JSON"


async def exchange(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    deadline: float = DEADLINE,
    max_bytes: int = MAX_BYTES,
    **kw: Any,
) -> Reply:
    """Send one request and read the whole answer within `deadline` seconds."""
    try:
        async with asyncio.timeout(deadline):
            async with client.stream(method, url, **kw) as resp:
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise SyncError(f"response larger than {max_bytes:,} bytes")
                    chunks.append(chunk)
                return Reply(resp.status_code, resp.headers, b"".join(chunks))
    except TimeoutError:
        raise SyncError(f"timed out after {deadline:g} s") from None
    except httpx.HTTPError as exc:
        raise SyncError(describe_http_error(exc)) from None


class ApiClient:
    """What every protocol client keeps: the HTTP client, where and as whom, the deadline of
    one request, and how many requests it made (for measuring batching)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        url: str,
        user: str,
        password: str,
        *,
        deadline: float = DEADLINE,
    ) -> None:
        self._http = client
        self._url = url
        self._user = user
        self._password = password
        self._deadline = deadline
        self.requests = 0


def status_error(reply: Reply) -> SyncError:
    """A non-2xx answer in one line; a redirect says where to, since the URL is then wrong."""
    if reply.status in (301, 302, 303, 307, 308):
        where = reply.headers.get("location", "")
        return SyncError(f"HTTP {reply.status} (moved to {where[:200]})")
    return SyncError(f"HTTP {reply.status}")
