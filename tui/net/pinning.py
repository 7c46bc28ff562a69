"""Connections pinned to the address that was checked (DNS rebinding).

A guarded request (a link a remote feed chose) must not reach a private address. Checking the
name and then letting the HTTP library resolve it again is a race an attacker's DNS wins: the
first answer is public, the second is 127.0.0.1, and the GET is delivered before any check of
the connected peer can refuse the answer. So the client's network backend resolves the name
once, checks every address against the request's guard, and connects to a checked address by
number; TLS still sends the name (SNI) and the request its Host, as httpcore takes both from
the URL, not from the socket.

The guard travels in a context variable, set around the request: httpcore opens a connection
in the task of the request that needs it, so the backend sees that request's guard.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

from tui.net.errors import FetchError
from tui.net.guard import PrivateAddressGuard, resolve

_GUARD: ContextVar[PrivateAddressGuard | None] = ContextVar("newsdesk_guard", default=None)


@contextmanager
def guarded(guard: PrivateAddressGuard | None) -> Iterator[None]:
    """Connections opened inside this block are checked by `guard` (None: not checked)."""
    token = _GUARD.set(guard)
    try:
        yield
    finally:
        _GUARD.reset(token)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's own backend, resolving and checking guarded connections itself."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        guard = _GUARD.get()
        if guard is None:  # a URL the user chose: connect as usual
            return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = await resolve(host, port)  # the one lookup this connection makes
        for address in addresses:
            guard.check_address(host, port, address)  # every answer, as check_url does
        error: Exception = FetchError("DNS lookup failed")
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc  # the next address, as a resolver-driven connect would
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self.inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def pin_connections(transport: httpx.AsyncHTTPTransport) -> None:
    """Give the transport's connection pool the pinned backend (before its first request).
    httpx has no public way to choose the pool's network backend, so its attribute is set; a
    test (tests/core/test_hostile_rebind.py) fails if a new httpx moves it."""
    pool = transport._pool
    if not isinstance(pool, httpcore.AsyncConnectionPool):
        return  # a proxy from the environment resolves names itself: nothing to pin here
    pool._network_backend = PinnedBackend(pool._network_backend)
