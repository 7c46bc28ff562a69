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

USER_AGENT = f"newsdesk/{__version__} (+https://github.com/newsdesk/newsdesk; terminal feed reader)"
MAX_REDIRECTS = 8
_PERMANENT = {301, 308}
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A short, specific reason a URL could not be fetched."""


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
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=16),
        # HTTP/2 where the server offers it (ALPN over TLS): one connection carries every
        # request to that host, instead of per_host connections each waiting its turn.
        http2=True,
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
) -> Response:
    """GET with a total deadline; raises FetchError with a human reason on any failure."""
    try:
        async with asyncio.timeout(deadline):
            return await _follow(client, url, etag, last_modified, max_bytes, accept, extra_headers)
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


async def _follow(client, url, etag, last_modified, max_bytes, accept, extra) -> Response:
    headers = {"Accept": accept, **(extra or {})}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen: set[str] = set()
    permanent = True
    for _ in range(MAX_REDIRECTS + 1):
        check_scheme(url)
        if url in seen:
            raise FetchError("redirect loop")
        seen.add(url)
        async with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code in _REDIRECTS:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {resp.status_code} redirect without a Location")
                permanent = permanent and resp.status_code in _PERMANENT
                url = urljoin(url, location.strip())
                continue
            return await _finish(resp, url, max_bytes, permanent and len(seen) > 1)
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


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


def parse_retry_after(value: str | None, default: float = 3600.0) -> float:
    """Retry-After as an absolute time: seconds or an HTTP date; an hour when absent."""
    now = time.time()
    if value:
        value = value.strip()
        if value.isdigit():
            return now + min(int(value), 7 * 86400)
        when = _http_date(value)
        if when is not None:
            return when
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
