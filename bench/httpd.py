"""The benchmark's loopback HTTP server, run in its own process so it never shares a GIL with
the process being measured.

Each feed lives on its own loopback address (127.0.x.y, all on one port) the way real feeds
live on different hosts, so per-host connection limits behave as they would on the internet;
with --one-host every feed is on 127.0.0.1 (a newspaper's section feeds). Every response waits
`latency` seconds first; ETag / Last-Modified conditionals get a 304. The server counts the
connections it accepts: GET /_stats answers {"accepted": N, "peak_open": M} since the last
GET /_stats/reset (the control connection itself not counted).

    python bench/httpd.py --feeds 200 --latency 0.05 --seed 1   # prints {"port": N} on stdout
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus  # noqa: E402

LAST_MODIFIED = "Wed, 02 Sep 2026 10:00:00 GMT"


def host_for(feed: int, one_host: bool = False) -> str:
    return "127.0.0.1" if one_host else f"127.0.{feed // 250}.{feed % 250 + 2}"


class Stats:
    """Connections accepted and the most open at once: what a host sees of a client's manners."""

    def __init__(self) -> None:
        self.accepted = self.open = self.peak = 0

    def opened(self) -> None:
        self.accepted += 1
        self.open += 1
        self.peak = max(self.peak, self.open)

    def closed(self) -> None:
        self.open -= 1

    def control(self, path: str) -> bytes:
        """Answer /_stats or /_stats/reset; the asking connection is not counted."""
        self.accepted -= 1
        self.open -= 1
        if path.endswith("/reset"):
            self.accepted = self.peak = 0
        body = json.dumps({"accepted": self.accepted, "peak_open": self.peak}).encode()
        return (
            _head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
            + body
        )


class Documents:
    """Bodies built on first request and kept (plain and gzipped) for the rest of the run."""

    def __init__(self, seed: int, port: int, one_host: bool = False, scheme: str = "http") -> None:
        self.seed, self.port, self.one_host, self.scheme = seed, port, one_host, scheme
        self._cache: dict[str, tuple[bytes, bytes, str, str] | None] = {}

    def base(self, feed: int) -> str:
        return f"{self.scheme}://{host_for(feed, self.one_host)}:{self.port}"

    def get(self, path: str) -> tuple[bytes, bytes, str, str] | None:
        if path not in self._cache:
            self._cache[path] = self._build(path)
        return self._cache[path]

    def _build(self, path: str) -> tuple[bytes, bytes, str, str] | None:
        parts = path.strip("/").split("/")
        try:
            if len(parts) == 2 and parts[0] == "feeds" and parts[1].endswith(".xml"):
                feed = int(parts[1][:-4])
                body = corpus.feed_document(self.seed, self.base(feed), feed)
                ctype = (
                    "application/atom+xml"
                    if corpus.feed_kind(feed) == "atom"
                    else "application/rss+xml"
                ) + "; charset=utf-8"
            elif len(parts) == 3 and parts[0] == "articles" and parts[2].endswith(".html"):
                feed, item = int(parts[1]), int(parts[2][:-5])
                body = corpus.page_document(self.seed, self.base(feed), feed, item)
                ctype = "text/html; charset=utf-8"
            else:
                return None
        except ValueError:
            return None
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        return body, gzip.compress(body, 5), ctype, etag


async def handle(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    docs: Documents,
    latency: float,
    stats: Stats,
) -> None:
    stats.opened()
    counted = True
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, *_ = lines[0].split(" ") + ["", ""]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if target.startswith("/_stats"):
                writer.write(stats.control(target))
                counted = False
                await writer.drain()
                return
            if latency:
                await asyncio.sleep(latency)
            writer.write(_respond(docs, method, target.split("?")[0], headers))
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, OSError, asyncio.CancelledError):
        return  # (cancelled: the server is stopping with a client's keep-alive still open)
    finally:
        if counted:
            stats.closed()
        writer.close()


def answer(
    docs: Documents, method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) for a request: shared by this server and the HTTP/2 one."""
    doc = docs.get(path) if method in ("GET", "HEAD") else None
    if doc is None:
        return 404, {"Content-Type": "text/plain", "Content-Length": "9"}, b"not found"
    plain, packed, ctype, etag = doc
    inm = headers.get("if-none-match")
    fresh = inm == etag if inm else headers.get("if-modified-since") == LAST_MODIFIED
    if fresh:
        return 304, {"ETag": etag, "Last-Modified": LAST_MODIFIED}, b""
    extra = {"Content-Type": ctype, "ETag": etag, "Last-Modified": LAST_MODIFIED}
    body = plain
    if "gzip" in headers.get("accept-encoding", ""):
        body, extra["Content-Encoding"] = packed, "gzip"
    extra["Content-Length"] = str(len(body))
    return 200, extra, body if method == "GET" else b""


def _respond(docs: Documents, method: str, path: str, headers: dict[str, str]) -> bytes:
    status, extra, body = answer(docs, method, path, headers)
    return _head(status, extra) + body


_REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found"}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS[status]}", "Server: newsdesk-bench"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if status == 304:
        lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def serve(
    feeds: int, latency: float, seed: int, port: int = 0, one_host: bool = False
) -> None:
    loop = asyncio.get_running_loop()
    hosts = list(dict.fromkeys(host_for(i, one_host) for i in range(max(feeds, 1))))
    docs = Documents(seed, port, one_host)
    stats = Stats()
    servers = []

    async def on_client(r, w):
        await handle(r, w, docs, latency, stats)

    first = await asyncio.start_server(on_client, hosts[0], port, backlog=1024)
    docs.port = first.sockets[0].getsockname()[1]
    servers.append(first)
    for host in hosts[1:]:
        servers.append(await asyncio.start_server(on_client, host, docs.port, backlog=1024))
    print(json.dumps({"port": docs.port}), flush=True)
    # Stop when the parent closes our stdin (or dies).
    await loop.run_in_executor(None, sys.stdin.buffer.read)


class LoopbackServer:
    """`with LoopbackServer(feeds=200, latency=0.05) as srv:` runs the server in a subprocess."""

    scheme = "http"
    script = Path(__file__).resolve()

    def __init__(
        self, feeds: int, latency: float = 0.05, seed: int = 1, one_host: bool = False
    ) -> None:
        self.feeds, self.latency, self.seed, self.one_host = feeds, latency, seed, one_host
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.env: dict[str, str] = {}  # what a client needs to trust this server

    def base(self, feed: int) -> str:
        return f"{self.scheme}://{host_for(feed, self.one_host)}:{self.port}"

    def feed_url(self, feed: int) -> str:
        return self.base(feed) + corpus.feed_path(feed)

    def page_url(self, feed: int, item: int) -> str:
        return self.base(feed) + corpus.page_path(feed, item)

    def command(self) -> list[str]:
        cmd = [sys.executable, str(self.script), "--feeds", str(self.feeds)]
        cmd += ["--latency", str(self.latency), "--seed", str(self.seed)]
        return cmd + (["--one-host"] if self.one_host else [])

    def stats(self, reset: bool = False) -> dict[str, int]:
        """Connections the server accepted (and the most open at once) since the last reset."""
        return json.loads(_get(self.base(0) + ("/_stats/reset" if reset else "/_stats"), self.env))

    def __enter__(self) -> LoopbackServer:
        cmd = self.command()
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("bench server failed to start")
        self.port = json.loads(line)["port"]
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def warm(self, paths: list[str]) -> None:
        """Build documents before timing starts, so generating them is never measured."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda url: _get(url, self.env), paths))


def _get(url: str, env: dict[str, str]) -> bytes:
    """One GET on its own connection (plain or TLS against the bench's CA); the body."""
    import ssl

    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    name, _, port = host.partition(":")
    raw = socket.create_connection((name, int(port)), timeout=30)
    s = raw
    if scheme == "https":
        ctx = ssl.create_default_context(cafile=env["SSL_CERT_FILE"])
        ctx.set_alpn_protocols(["http/1.1"])
        s = ctx.wrap_socket(raw, server_hostname=name)
    with s:
        s.sendall(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).partition(b"\r\n\r\n")[2]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--one-host", action="store_true", help="every feed on 127.0.0.1")
    a = p.parse_args()
    try:
        asyncio.run(serve(a.feeds, a.latency, a.seed, a.port, a.one_host))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
