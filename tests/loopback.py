"""What every contract server the tests run shares: a threading HTTP server on 127.0.0.1, a
lock around its state, started and stopped as a context manager. Stopped, it also drops the
keep-alive connections clients still hold (a stopped server must not answer on them)."""

from __future__ import annotations

import http.server
import threading
from typing import Any, Self


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: Any


class LoopbackServer:
    prefix = ""  # the API's path under the host, if any

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.lock = threading.Lock()
        self.closed = False
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{self.prefix}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True
        self._httpd.shutdown()
        self._httpd.server_close()


def hang_up_if_closed(handler: http.server.BaseHTTPRequestHandler) -> bool:
    """Call first in a handler: True (and the connection closed unanswered) once stopped."""
    if handler.server.owner.closed:  # type: ignore[attr-defined]
        handler.close_connection = True
        return True
    return False
