"""Where a request may go and what it may carry, decided per hop.

Two rules for requests a remote feed chooses (prefetch, fetch-on-open):
- no loopback, private, link-local or otherwise non-public address, unless it is the source's own
  host and port: a feed on your LAN may link to its own pages, but a remote feed (or a local
  aggregator relaying remote content) must not make newsdesk knock on your router's admin page;
- secret headers from the config go only to the origin they were configured for.

The address check resolves the name before connecting and checks every redirect hop; the
connection itself resolves the name once more and connects only to an address it checked
(tui.net.pinning), so a name that resolves differently the second time (DNS rebinding) never
receives the request; the connected peer is checked again after.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from tui.net.errors import FetchError

_DEFAULT_PORTS = {"http": 80, "https": 443}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        port = 0
    return host, port


def same_origin(url: str, origin: str) -> bool:
    """Same scheme, host and port; or the http -> https upgrade of the same host on the
    default ports (curl and browsers keep credentials across that one)."""
    a, b = urlsplit(url), urlsplit(origin)
    if host_port(url)[0] != host_port(origin)[0]:
        return False
    if (a.scheme.lower(), host_port(url)[1]) == (b.scheme.lower(), host_port(origin)[1]):
        return True
    return (
        b.scheme.lower() == "http"
        and a.scheme.lower() == "https"
        and host_port(origin)[1] == 80
        and host_port(url)[1] == 443
    )


def is_public(address: Address) -> bool:
    """Globally routable unicast: not loopback, private (RFC 1918, ULA), CGNAT (100.64/10),
    link-local, unspecified (0.0.0.0, ::), multicast or reserved; IPv4-mapped IPv6 is judged
    by the IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not address.is_multicast


def parse_address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[Address]:
    literal = parse_address(host.strip("[]"))
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("DNS lookup failed") from exc
    found = [parse_address(str(info[4][0])) for info in infos]
    return [a for a in found if a is not None]


class PrivateAddressGuard:
    """Refuses non-public addresses except the source's own host and port."""

    def __init__(self, source_url: str | None) -> None:
        self.home = host_port(source_url) if source_url else None

    def _is_home(self, url: str) -> bool:
        return self._is_home_at(*host_port(url))

    def _is_home_at(self, host: str, port: int) -> bool:
        if self.home is None or host.lower().rstrip(".") != self.home[0]:
            return False
        # the same server: the same port, or its http and https default ports
        return port == self.home[1] or {port, self.home[1]} <= set(_DEFAULT_PORTS.values())

    async def check_url(self, url: str) -> None:
        """Before connecting: every address the name resolves to must be public."""
        if self._is_home(url):
            return
        host, port = host_port(url)
        for address in await resolve(host, port):
            self.check_address(host, port, address)

    def check_address(self, host: str, port: int, address: Address) -> None:
        """While connecting (tui.net.pinning): the address about to be connected to."""
        if is_public(address) or self._is_home_at(host.strip("[]"), port):
            return
        raise FetchError(f"refused: {host} is a private or local address ({address})")

    def check_peer(self, url: str, peer: str | None) -> None:
        """After connecting: the address actually connected to must be public too."""
        if peer is None or self._is_home(url):
            return
        address = parse_address(peer)
        if address is not None and not is_public(address):
            host = host_port(url)[0]
            raise FetchError(f"refused: {host} connected to a private address ({address})")
