"""The HTML brief in a real browser (headless Chromium): feed titles holding <script>,
<img onerror>, javascript: links and other fetches run nothing, show literally, and no request
leaves the page. Skipped, saying why, when Chromium is not installed (`apt-get install
chromium`; .ci/run installs it)."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
import time
from html import escape
from html.parser import HTMLParser

import pytest
from feedgen import rss

from tui.cli.main import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
)


class Recorder:
    """A loopback server that records every request, whatever its method, and serves `pages`."""

    def __init__(self, pages: dict[str, bytes] | None = None) -> None:
        self.pages = pages or {}
        self.requests: list[tuple[str, str]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def __getattr__(self, name: str):
                if not name.startswith("do_"):
                    raise AttributeError(name)
                return self._any

            def _any(self) -> None:
                recorder.requests.append((self.command, self.path))
                body = recorder.pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def anchors(dom: str) -> list[str]:
    """The href of every <a> element of the serialized DOM (text that looks like one is text)."""
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                found.append(dict(attrs).get("href") or "")

    Links().feed(dom)
    return found


def hostile_titles(sink: Recorder) -> list[str]:
    return [
        f"<script>fetch('{sink.url('/script')}');document.title='RAN'</script> Harbour strike ends",
        f"<img src=x onerror=\"fetch('{sink.url('/onerror')}')\"> Bridge tolls rise",
        f"<a href=\"javascript:fetch('{sink.url('/js')}')\">Click me</a> Council votes",
        f'<link rel=stylesheet href="{sink.url("/css")}"><iframe src="{sink.url("/frame")}">'
        "</iframe> Ferry timetable",
        f"<style>@import url({sink.url('/import')});</style><svg onload=\"fetch('/svg')\"> Tide",
    ]


def test_html_brief_runs_nothing_shows_text_literally_and_fetches_nothing(server, tmp_path):
    sink = Recorder()
    page = Recorder()
    try:
        titles = hostile_titles(sink)
        items = [
            {
                "title": escape(t),  # the feed's text is the title, tags and all
                "guid": f"g{i}",
                "date": time.time() - 60 * i,
                "link": f"javascript:fetch('{sink.url('/link')}')" if i == 2 else server.url("/a"),
                "summary": escape(f"<img src={sink.url('/dek')}> dek {i}"),
            }
            for i, t in enumerate(titles)
        ]
        assert main(["add", server.add("/f.xml", rss("<b>Port</b> News", items))]) == 0
        target = tmp_path / "brief.html"
        assert main(["brief", "--format", "html", "-o", str(target)]) == 0
        page.pages["/brief.html"] = target.read_bytes()
        dom = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--virtual-time-budget=3000",
                "--dump-dom",
                page.url("/brief.html"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    finally:
        sink.close()
        page.close()
    assert "<article>" in dom, dom[:500]  # the page loaded
    assert sink.requests == []  # nothing ran, nothing loaded
    assert {p for _m, p in page.requests} <= {"/brief.html", "/favicon.ico"}
    assert "<title>RAN</title>" not in dom
    # the DOM holds no element a title brought, and every title as text
    for tag in ("<script", "<img", "<iframe", "<svg", "<link"):
        assert tag not in dom, tag
    hrefs = anchors(dom)
    assert hrefs and all(h == server.url("/a") for h in hrefs)  # the javascript: link is text
    for title in titles:
        assert escape(title, quote=False) in dom
    assert escape("<b>Port</b> News", quote=False) in dom
