"""The benchmark's loopback HTTP server, run in its own process so it never shares a GIL with
the process being measured.

Each feed lives on its own loopback address (127.0.x.y, all on one port) the way real feeds
live on different hosts, so per-host connection limits behave as they would on the internet.
Every response waits `latency` seconds first; ETag / Last-Modified conditionals get a 304.

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


def host_for(feed: int) -> str:
    return f"127.0.{feed // 250}.{feed % 250 + 2}"


class Documents:
    """Bodies built on first request and kept (plain and gzipped) for the rest of the run."""

    def __init__(self, seed: int, port: int) -> None:
        self.seed, self.port = seed, port
        self._cache: dict[str, tuple[bytes, bytes, str, str] | None] = {}

    def base(self, feed: int) -> str:
        return f"http://{host_for(feed)}:{self.port}"

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
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, docs: Documents, latency: float
) -> None:
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
            if latency:
                await asyncio.sleep(latency)
            writer.write(_respond(docs, method, target.split("?")[0], headers))
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, OSError):
        return
    finally:
        writer.close()


def _respond(docs: Documents, method: str, path: str, headers: dict[str, str]) -> bytes:
    doc = docs.get(path) if method in ("GET", "HEAD") else None
    if doc is None:
        return _head(404, {"Content-Type": "text/plain", "Content-Length": "9"}) + b"not found"
    plain, packed, ctype, etag = doc
    inm = headers.get("if-none-match")
    fresh = inm == etag if inm else headers.get("if-modified-since") == LAST_MODIFIED
    if fresh:
        return _head(304, {"ETag": etag, "Last-Modified": LAST_MODIFIED})
    extra = {"Content-Type": ctype, "ETag": etag, "Last-Modified": LAST_MODIFIED}
    body = plain
    if "gzip" in headers.get("accept-encoding", ""):
        body, extra["Content-Encoding"] = packed, "gzip"
    extra["Content-Length"] = str(len(body))
    return _head(200, extra) + (body if method == "GET" else b"")


_REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found"}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS[status]}", "Server: newsdesk-bench"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if status == 304:
        lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def serve(feeds: int, latency: float, seed: int, port: int = 0) -> None:
    loop = asyncio.get_running_loop()
    hosts = [host_for(i) for i in range(max(feeds, 1))]
    docs = Documents(seed, port)
    servers = []

    async def on_client(r, w):
        await handle(r, w, docs, latency)

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

    def __init__(self, feeds: int, latency: float = 0.05, seed: int = 1) -> None:
        self.feeds, self.latency, self.seed = feeds, latency, seed
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def feed_url(self, feed: int) -> str:
        return f"http://{host_for(feed)}:{self.port}{corpus.feed_path(feed)}"

    def page_url(self, feed: int, item: int) -> str:
        return f"http://{host_for(feed)}:{self.port}{corpus.page_path(feed, item)}"

    def __enter__(self) -> LoopbackServer:
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--feeds",
            str(self.feeds),
            "--latency",
            str(self.latency),
            "--seed",
            str(self.seed),
        ]
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
            list(pool.map(_get_and_discard, paths))


def _get_and_discard(url: str) -> None:
    host, _, rest = url.removeprefix("http://").partition("/")
    name, _, port = host.partition(":")
    with socket.create_connection((name, int(port)), timeout=30) as s:
        s.sendall(f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        while s.recv(65536):
            pass


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    try:
        asyncio.run(serve(a.feeds, a.latency, a.seed, a.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
