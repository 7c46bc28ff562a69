"""Misbehaving HTTP responses for the loopback server (Route(handler=...))."""

from __future__ import annotations

import socket
import time
import zlib

from feedgen import rss


def _headers(handler, extra: dict[str, str], ctype: str = "application/rss+xml") -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", ctype)
    for k, v in extra.items():
        handler.send_header(k, v)
    handler.end_headers()


def endless(handler) -> None:
    """A body that never ends: no Content-Length, bytes until the client hangs up."""
    handler.close_connection = True
    _headers(handler, {"Connection": "close"})
    chunk = b"<rss><channel>" + b"<!-- padding -->" * 4096
    try:
        while True:
            handler.wfile.write(chunk)
    except OSError:
        pass


def gzip_bomb(handler) -> None:
    """A few KB of gzip that unpacks to gigabytes, compressed on the fly as the client reads."""
    handler.close_connection = True
    _headers(handler, {"Content-Encoding": "gzip", "Connection": "close"})
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    try:
        handler.wfile.write(comp.compress(b"<rss><channel><title>bomb</title>"))
        for _ in range(4096):  # 4 GB unpacked
            handler.wfile.write(comp.compress(zeros) + comp.flush(zlib.Z_SYNC_FLUSH))
        handler.wfile.write(comp.flush())
    except OSError:
        pass


def byte_a_second(handler) -> None:
    """One byte a second: each read is quick enough for a per-read timeout, the total is not."""
    handler.close_connection = True
    body = rss("Drip", [{"title": "never", "guid": "d"}]).encode()
    _headers(handler, {"Content-Length": str(len(body))})
    try:
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def redirect_to(location: str):
    def handler(h) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handler


def endless_redirects(h) -> None:
    """Every URL redirects to a new one: no loop to spot, only the hop limit."""
    n = int(h.path.rsplit("=", 1)[-1]) if "?n=" in h.path else 0
    redirect_to(f"/victim.xml?n={n + 1}")(h)


def reset_mid_body(handler) -> None:
    body = rss("Reset", [{"title": f"r{i}", "guid": f"r{i}"} for i in range(50)]).encode()
    _headers(handler, {"Content-Length": str(len(body))})
    handler.wfile.write(body[: len(body) // 2])
    handler.wfile.flush()
    handler.connection.setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
    )
    handler.rfile.close()
    handler.wfile.close()
    handler.connection.close()
    handler.close_connection = True


def length_too_long(handler) -> None:
    """Content-Length promises more than is sent, then the server hangs up."""
    handler.close_connection = True
    body = rss("Long", [{"title": "promised", "guid": "p"}]).encode()
    _headers(handler, {"Content-Length": str(len(body) + 10_000)})
    handler.wfile.write(body)


def length_too_short(handler) -> None:
    """Content-Length covers a fraction of the body; the rest is left on a kept-alive connection
    where the next response on it would be read from."""
    body = rss("Short", [{"title": f"s{i}", "guid": f"s{i}"} for i in range(20)]).encode()
    _headers(handler, {"Content-Length": "120"})
    handler.wfile.write(body)
    handler.wfile.flush()
