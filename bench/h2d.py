"""The benchmark's HTTPS server that speaks HTTP/2 (and HTTP/1.1 to clients that do not offer h2),
with certificates from a throwaway test CA the bench makes with openssl.

Every feed is on one host, 127.0.0.1, as in the "many feeds on one host" case; the documents,
latency and conditional answers are bench/httpd.py's. It counts connections by the client's
address and port (one HTTP/2 connection carries many requests): GET /_stats answers
{"accepted": N} since the last GET /_stats/reset. Needs the `bench` extra (hypercorn).

    python bench/h2d.py --feeds 200 --latency 0.05 --certs DIR   # prints {"port": N}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.httpd import Documents, LoopbackServer, answer  # noqa: E402


def hypercorn_available() -> bool:
    try:
        import hypercorn  # noqa: F401
    except ImportError:
        return False
    return True


def make_test_ca(out: Path) -> dict[str, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it (EC keys, valid two days)."""
    out.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (
        out / n for n in ("ca.key", "ca.pem", "key.pem", "csr", "cert.pem")
    )
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2",
             "-subj", "/CN=newsdesk bench test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    _openssl("req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext = out / "ext.cnf"
    ext.write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
    )
    _openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
             "-out", cert, "-days", "2", "-extfile", ext)  # fmt: skip
    return {"ca": ca, "cert": cert, "key": key}


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


class App:
    """A plain ASGI app over bench/httpd.py's documents."""

    def __init__(self, docs: Documents, latency: float) -> None:
        self.docs, self.latency = docs, latency
        self.clients: set[tuple[str, int]] = set()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        client = tuple(scope.get("client") or ("", 0))
        path = scope["path"]
        if path.startswith("/_stats"):
            if path.endswith("/reset"):
                self.clients.clear()
            body = json.dumps({"accepted": len(self.clients - {client})}).encode()
            return await self._send(send, 200, {"Content-Type": "application/json"}, body)
        self.clients.add(client)
        if self.latency:
            await asyncio.sleep(self.latency)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        status, extra, body = answer(self.docs, scope["method"], path, headers)
        await self._send(send, status, extra, body)

    async def _send(self, send, status: int, headers: dict[str, str], body: bytes) -> None:
        headers = {**headers, "Content-Length": str(len(body))}  # not chunked over HTTP/1.1
        raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


async def serve(feeds: int, latency: float, seed: int, certs: Path) -> None:
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    with socket.socket() as probe:  # a free port (hypercorn binds by address string)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.certfile, config.keyfile = str(certs / "cert.pem"), str(certs / "key.pem")
    config.alpn_protocols = ["h2", "http/1.1"]
    config.accesslog = config.errorlog = None
    config.keep_alive_timeout = 60
    config.backlog = 1024
    app = App(Documents(seed, port, one_host=True, scheme="https"), latency)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.run_in_executor(
        None, lambda: (sys.stdin.buffer.read(), loop.call_soon_threadsafe(stop.set))
    )
    task = asyncio.ensure_future(hypercorn_serve(app, config, shutdown_trigger=stop.wait))
    await asyncio.sleep(0.2)  # let it bind before the parent connects
    print(json.dumps({"port": port}), flush=True)
    await task


class H2Server(LoopbackServer):
    """`with H2Server(tmp, feeds=200) as srv:` – srv.env holds SSL_CERT_FILE for clients."""

    scheme = "https"
    script = Path(__file__).resolve()

    def __init__(self, certs: Path, feeds: int, latency: float = 0.05, seed: int = 1) -> None:
        super().__init__(feeds, latency, seed, one_host=True)
        self.certs = make_test_ca(certs)
        self.env = {"SSL_CERT_FILE": str(self.certs["ca"])}

    def command(self) -> list[str]:
        cmd = [sys.executable, str(self.script), "--feeds", str(self.feeds)]
        cmd += ["--latency", str(self.latency), "--seed", str(self.seed)]
        return cmd + ["--certs", str(self.certs["ca"].parent)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--certs", type=Path, required=True)
    a = p.parse_args()
    asyncio.run(serve(a.feeds, a.latency, a.seed, a.certs))


if __name__ == "__main__":
    main()
