"""HTTP fetching as a good citizen: one shared client, conditional GET, bounded size and time.

Redirects are followed by hand so that a permanent one can update the stored URL, a loop is
caught, and nothing but http(s) is ever requested.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from tui import __version__
from tui.net.errors import FetchError
from tui.net.guard import PrivateAddressGuard, same_origin
from tui.net.pinning import guarded, pin_connections
from tui.textclean import clean_line, strip_userinfo

__all__ = ["FetchError", "Response", "fetch", "make_client"]

USER_AGENT = f"newsdesk/{__version__} (+https://github.com/newsdesk/newsdesk; terminal feed reader)"
MAX_REDIRECTS = 8
_PERMANENT = {301, 308}
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Response:
    url: str  # the final URL after redirects
    status: int
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # set when every redirect on the way was permanent
    retry_after: float | None = None  # absolute unix time, for 429/503
    expires: float | None = None  # absolute unix time, from Expires
    max_age: int | None = None  # seconds, from Cache-Control
    http_version: str = ""  # "HTTP/1.1" or "HTTP/2": an HTTP/2 host can take more at once

    def server_interval(self) -> float:
        """The least time the server asks us to wait before asking again (0 when it says nothing):
        the longer of Cache-Control max-age and Expires (the feed's <ttl> and the cap are
        applied where the feed is stored, in services.ingest)."""
        hints = [float(self.max_age or 0)]
        if self.expires:
            hints.append(self.expires - time.time())
        return max(0.0, max(hints))


def make_client(timeout: float = 20.0, max_connections: int = 32) -> httpx.AsyncClient:
    """The one client the app uses; tests build theirs the same way, pointed at loopback."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=16),
        # HTTP/2 where the server offers it (ALPN over TLS): one connection carries every
        # request to that host, instead of per_host connections each waiting its turn.
        http2=True,
    )
    pin_connections(transport)  # guarded requests connect only to the address they checked
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        transport=transport,
        follow_redirects=False,
        event_hooks={"response": [_refuse_odd_redirects]},
    )


async def _refuse_odd_redirects(resp: httpx.Response) -> None:
    """httpx parses a redirect's Location even when not following it, and a `javascript:` or
    `data:` one fails there with an obscure URL error; say plainly what was refused."""
    if resp.status_code in _REDIRECTS:
        location = resp.headers.get("location", "").strip()
        scheme = urlsplit(location).scheme.lower() if ":" in location else ""
        if scheme and scheme not in ("http", "https"):
            raise FetchError(f"refused redirect to non-http URL scheme {scheme!r}")


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    deadline: float = 60.0,
    accept: str = "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
    extra_headers: dict[str, str] | None = None,
    origin_headers: tuple[str, dict[str, str]] | None = None,
    guard: PrivateAddressGuard | None = None,
) -> Response:
    """GET with a total deadline; raises FetchError with a human reason on any failure.

    `extra_headers` go with every request; `origin_headers` (the origin URL they were
    configured for, the headers: a Cookie, an Authorization) only to that origin, never across
    a redirect to another. `guard` refuses private addresses on every hop."""
    hop = _Hop(extra_headers, origin_headers, guard)
    try:
        async with asyncio.timeout(deadline):
            return await _follow(client, url, etag, last_modified, max_bytes, accept, hop)
    except TimeoutError:
        raise FetchError(f"timed out after {deadline:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(describe_http_error(exc)) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
        raise FetchError(f"invalid URL: {exc}") from None
    except ssl.SSLError as exc:
        raise FetchError(f"TLS error: {exc.reason or exc}") from None
    except OSError as exc:
        raise FetchError(f"network error: {exc.strerror or exc}") from None


class _Hop:
    """What each request of a redirect chain may carry and where it may go."""

    def __init__(
        self,
        extra: dict[str, str] | None,
        origin_headers: tuple[str, dict[str, str]] | None,
        guard: PrivateAddressGuard | None,
    ) -> None:
        self.extra: dict[str, str] = dict(extra or {})
        self.origin: str | None = origin_headers[0] if origin_headers else None
        self.secret: dict[str, str] = origin_headers[1] if origin_headers else {}
        self.guard: PrivateAddressGuard | None = guard

    def headers(self, url: str, base: dict[str, str]) -> dict[str, str]:
        headers = {**base, **self.extra}
        if self.origin is not None and same_origin(url, self.origin):
            headers.update(self.secret)
        return headers

    async def check(self, url: str) -> None:
        if self.guard is not None:
            await self.guard.check_url(url)

    def check_peer(self, url: str, resp: httpx.Response) -> None:
        if self.guard is None:
            return
        stream = resp.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        self.guard.check_peer(url, str(peer[0]) if peer else None)


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
    accept: str,
    hop: _Hop,
) -> Response:
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen: set[str] = set()
    permanent = True
    for _ in range(MAX_REDIRECTS + 1):
        check_scheme(url)
        if hop.guard is not None:  # a link a remote feed chose: its credentials are not ours
            url = strip_userinfo(url)  # (httpx would send them as Basic auth)
        if url in seen:
            raise FetchError("redirect loop")
        seen.add(url)
        await hop.check(url)
        with guarded(hop.guard):  # a new connection checks the address it connects to
            async with client.stream("GET", url, headers=hop.headers(url, headers)) as resp:
                hop.check_peer(url, resp)
                if resp.status_code in _REDIRECTS:
                    url = _redirect_target(url, resp)
                    permanent = permanent and resp.status_code in _PERMANENT
                    continue
                return await _finish(resp, url, max_bytes, permanent and len(seen) > 1)
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def _redirect_target(url: str, resp: httpx.Response) -> str:
    """The next hop. A Location holding whitespace or control characters is refused: it would
    become the stored source URL and reach every place that shows it."""
    location = str(resp.headers.get("location") or "").strip()
    if not location:
        raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
    if clean_line(location, 8192) != location or any(c.isspace() for c in location):
        raise FetchError("refused redirect to a URL with control or space characters")
    return urljoin(url, location)


async def _finish(resp: httpx.Response, url: str, max_bytes: int, moved: bool) -> Response:
    status = resp.status_code
    out = Response(
        url=url,
        status=status,
        content_type=resp.headers.get("content-type"),
        etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
        moved_to=url if moved else None,
        max_age=_max_age(resp.headers.get("cache-control")),
        expires=_http_date(resp.headers.get("expires")),
        http_version=resp.http_version,
    )
    if status in (429, 503):
        out.retry_after = parse_retry_after(resp.headers.get("retry-after"))
        return out
    if status == 304:
        # Read the (empty) body to its end: a response left unread closes its connection,
        # and a warm refresh of many feeds on one host would open one connection per feed.
        await resp.aread()
        return out
    if status >= 400:
        raise FetchError(f"HTTP {status} {resp.reason_phrase}".strip())
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large: {int(declared) // 1024} KB (limit {max_bytes // 1024} KB)")
    chunks: list[bytes] = []
    size = 0
    # iter_bytes yields decoded bytes, so a gzip bomb is cut off by what it unpacks to.
    async for chunk in resp.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large: more than {max_bytes // 1024} KB")
        chunks.append(chunk)
    out.content = b"".join(chunks)
    return out


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refused non-http URL scheme {scheme!r}" if scheme else "not a URL")


MAX_RETRY_AFTER = 7 * 86400  # a server cannot park a source for longer than a week


def parse_retry_after(value: str | None, default: float = 3600.0) -> float:
    """Retry-After as an absolute time: seconds or an HTTP date, either capped at a week
    from now; an hour when absent."""
    now = time.time()
    if value:
        value = value.strip()
        if value.isdigit():
            return now + min(int(value), MAX_RETRY_AFTER)
        when = _http_date(value)
        if when is not None:
            return min(max(when, now), now + MAX_RETRY_AFTER)
    return now + default


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _max_age(value: str | None) -> int | None:
    if not value:
        return None
    for part in value.split(","):
        name, _, arg = part.strip().partition("=")
        if name.lower() == "max-age" and arg.strip().isdigit():
            return int(arg)
    return None


def _root_cause(exc: BaseException) -> BaseException:
    seen = 0
    while seen < 10 and (exc.__cause__ or exc.__context__) is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return exc


def describe_http_error(exc: httpx.HTTPError) -> str:
    """A short reason for a transport failure, in words a user can act on."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        root = _root_cause(exc)
        if (
            isinstance(root, socket.gaierror)
            or "name or service not known" in lowered
            or "temporary failure in name resolution" in lowered
        ):
            return "DNS lookup failed"
        if isinstance(root, ConnectionRefusedError):
            return "connection refused"
        if isinstance(root, ssl.SSLError) or "ssl" in lowered or "certificate" in lowered:
            return f"TLS error: {getattr(root, 'reason', None) or root}"
        if isinstance(root, OSError) and root.strerror:
            return f"cannot connect: {root.strerror}"
        return f"cannot connect: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the connection: {text}"
    if isinstance(exc, httpx.ReadError):
        return f"connection reset: {text}" if text else "connection reset"
    if isinstance(exc, httpx.DecodingError):
        return f"bad compressed body: {text}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL: {text}"
    if isinstance(exc, httpx.InvalidURL):
        return f"invalid URL: {text}"
    return f"{type(exc).__name__}: {text}"
