"""Politeness per server: at most `per_host` requests (so connections) to one host at once, and
more requests over the one connection once the host is known to speak HTTP/2.

Over HTTP/1.1 each request in flight needs a connection of its own, so the request limit is the
connection limit. Over HTTP/2 one connection multiplexes many streams, which is what the
protocol is for: an origin that answered over HTTP/2 gets H2_STREAMS_PER_CONNECTION requests at
once, still on one connection (httpx queues requests for an HTTPS origin behind the connection
being set up, and then multiplexes them). A host serving both http:// and an HTTP/2 https://
origin thus sees at most per_host + 1 connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

# Requests in flight to one HTTP/2 host. Servers commonly allow 100-250 concurrent streams;
# 24 keeps the load on one server modest while a bunch of feeds there need no queueing.
H2_STREAMS_PER_CONNECTION = 24


class HostGates:
    """Per-host semaphores, taken before the global one (a busy host holds no global slot)."""

    def __init__(self, per_host: int, total: int) -> None:
        self.per_host = per_host
        self._total = asyncio.Semaphore(total)
        self._hosts: dict[str, asyncio.Semaphore] = {}  # by host name: HTTP/1.1, or not known yet
        self._h2: dict[str, asyncio.Semaphore] = {}  # by origin known to speak HTTP/2

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        origin = _origin(url)
        gate = self._h2.get(origin) or self._host_gate(url)
        await gate.acquire()
        if gate is not self._h2.get(origin) and origin in self._h2:
            # Learned HTTP/2 while queued here: pass the permit on (the next waiter does the
            # same, so the whole queue moves at once) and take the wider gate.
            gate.release()
            gate = self._h2[origin]
            await gate.acquire()
        try:
            async with self._total:
                yield
        finally:
            gate.release()

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return gate

    def learned(self, url: str, http_version: str) -> None:
        """Record the protocol an origin answered with: HTTP/2 moves it to a wider gate."""
        origin = _origin(url)
        if http_version == "HTTP/2" and origin not in self._h2:
            self._h2[origin] = asyncio.Semaphore(H2_STREAMS_PER_CONNECTION)


def _origin(url: str) -> str:
    """Scheme, host and port: httpx keeps one HTTP/2 connection per origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"
