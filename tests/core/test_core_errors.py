"""Each class of bad input gives its source a specific error; the others carry on."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feedgen import rss

from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def refresh_json(capsys) -> dict:
    capsys.readouterr()
    assert main(["refresh", "--json", "--no-articles"]) == 0
    return json.loads(capsys.readouterr().out)


def import_urls(tmp_path, urls: list[str]) -> None:
    f = tmp_path / "urls.txt"
    f.write_text("\n".join(urls) + "\n")
    assert main(["import", str(f)]) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drip(handler) -> None:
    """Headers at once, then a body slower than any deadline."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        pass


def reset(handler) -> None:
    handler.connection.setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
    )
    handler.rfile.close()  # drop every reference so close() really sends the RST
    handler.wfile.close()
    handler.connection.close()
    handler.close_connection = True


def short_body(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", "5000")
    handler.end_headers()
    handler.wfile.write(b"<rss><channel><title>cut")
    handler.close_connection = True


CASES = {
    "/404": ({"status": 404, "body": "nope", "conditional": False}, "HTTP 404"),
    "/500": ({"status": 500, "body": "boom", "conditional": False}, "HTTP 500"),
    "/html": (
        {"body": "<!doctype html><html><body>hi</body></html>", "content_type": "text/html"},
        "HTML page",
    ),
    "/empty": ({"body": ""}, "empty body"),
    "/loop": (
        {"status": 302, "headers": {"Location": "/loop2"}, "conditional": False},
        "redirect loop",
    ),
    "/loop2": ({"status": 302, "headers": {"Location": "/loop"}, "conditional": False}, None),
    "/scheme": (
        {"status": 302, "headers": {"Location": "file:///etc/passwd"}, "conditional": False},
        "non-http URL scheme",
    ),
    "/drip": ({"handler": drip}, "timed out"),
    "/reset": ({"handler": reset}, "connection"),
    "/short": ({"handler": short_body}, None),
    "/big": ({"body": rss("Big", [{"title": "x" * 3000}] * 200)}, "too large"),
}


def test_each_error_is_specific_and_others_carry_on(server, tmp_path, capsys):
    (tmp_path / "config.toml").write_text(
        "deadline = 2.0\ntimeout = 1.0\nmax_feed_bytes = 200000\n"
    )
    good = server.add("/good.xml", rss("Good", [{"title": "fine", "guid": "g1"}]))
    latin = server.add(
        "/latin.xml",
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9'
        "</title><item><title>R\xe9sum\xe9</title><guid>l1</guid></item></channel></rss>".encode(
            "latin-1"
        ),
        content_type="application/rss+xml",  # no charset: the XML declaration must win
    )
    for path, (kw, _) in CASES.items():
        server.add(path, **kw)
    dead = f"http://127.0.0.1:{free_port()}/feed.xml"
    dns = "http://no-such-host.invalid/feed.xml"
    tls = server.url("/good.xml").replace("http://", "https://")
    urls = [good, latin, dead, dns, tls] + [server.url(p) for p in CASES if p != "/loop2"]
    import_urls(tmp_path, urls)
    started = time.monotonic()
    summary = refresh_json(capsys)
    assert time.monotonic() - started < 15
    errors = {e["source"]: e["error"] for e in summary["errors"]}
    assert summary["ok"] == 2 and summary["failed"] == len(urls) - 2
    assert good not in errors and latin not in errors
    assert "connection refused" in errors[dead]
    assert "DNS lookup failed" in errors[dns]
    assert "TLS" in errors[tls] or "SSL" in errors[tls]
    for path, (_, expected) in CASES.items():
        if expected:
            assert expected in errors[server.url(path)], (path, errors[server.url(path)])
    for path in ("/reset", "/short"):
        assert errors[server.url(path)]  # some specific message, and no crash
    capsys.readouterr()
    main(["sources", "--json"])
    shown = {s["url"]: s for s in json.loads(capsys.readouterr().out)}
    assert shown[dead]["error"] == errors[dead]
    assert shown[latin]["title"] == "Café"
    capsys.readouterr()
    main(["headlines", "--json", "--source", latin])
    assert [h["title"] for h in json.loads(capsys.readouterr().out)] == ["Résumé"]


def test_malformed_feed_keeps_what_it_can(server, tmp_path, capsys):
    body = rss("Broken", [{"title": f"t{i}", "guid": f"b{i}"} for i in range(3)])
    url = server.add("/broken.xml", body[: body.rindex("<item>")] + "<item><title>half")
    import_urls(tmp_path, [url])
    summary = refresh_json(capsys)
    assert summary["ok"] == 1 and summary["new_entries"] >= 2
    main(["sources", "--json"])
    (src,) = json.loads(capsys.readouterr().out)
    assert src["warning"] and src["error"] is None


def test_core_does_not_import_textual():
    code = (
        "import sys, pkgutil, importlib, tui\n"
        "for m in pkgutil.walk_packages(tui.__path__, 'tui.'):\n"
        "    if not m.name.startswith(('tui.ui', 'tui.__main__')):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def _cli(tmp_path, *args, **kw) -> subprocess.Popen:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


def _many_feeds(server, n: int, items: int) -> list[str]:
    return [
        server.add(
            f"/f{i}.xml",
            rss(f"F{i}", [{"title": f"{i}-{j}", "guid": f"{i}-{j}"} for j in range(items)]),
        )
        for i in range(n)
    ]


def test_two_refreshes_at_once(server, tmp_path, capsys):
    import_urls(tmp_path, _many_feeds(server, 30, 20))
    procs = [_cli(tmp_path, "refresh", "--json", "--no-articles") for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=False):
        assert p.returncode == 0, err
        data = json.loads(out)  # one ran; the other ran after it or said one was running
        assert data.get("running") or data["failed"] == 0
    db = sqlite3.connect(tmp_path / "data" / "newsdesk.db")
    assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 600


def test_overlapping_refresh_exits_saying_one_is_running(server, tmp_path, capsys):
    from tui.services.runlock import refresh_lock

    import_urls(tmp_path, _many_feeds(server, 2, 2))
    capsys.readouterr()
    with refresh_lock(tmp_path / "data"):  # a refresh (here: this test) holds the cache
        assert main(["refresh", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["running"] is True and f"pid {os.getpid()}" in data["message"]
        assert main(["refresh"]) == 0
        assert "already running" in capsys.readouterr().err
    assert server.requests == []  # it fetched nothing
    assert main(["refresh", "--json"]) == 0  # the lock is free again
    assert json.loads(capsys.readouterr().out)["ok"] == 2


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_kill_mid_refresh_keeps_cache(server, tmp_path, capsys):
    import_urls(tmp_path, _many_feeds(server, 10, 5))
    assert main(["refresh", "--json", "--no-articles"]) == 0
    db_path = tmp_path / "data" / "newsdesk.db"
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE entries SET read = 1 WHERE id % 2 = 0")
        db.execute("UPDATE entries SET starred = 1 WHERE id % 5 = 0")
        before = db.execute("SELECT id, key, read, starred FROM entries ORDER BY id").fetchall()
    # new content everywhere, big enough that the refresh is busy writing when killed
    for i in range(10):
        server.add(
            f"/f{i}.xml",
            rss(f"F{i}", [{"title": f"{i}-{j}", "guid": f"{i}-{j}"} for j in range(3000)]),
        )
    proc = _cli(tmp_path, "refresh", "--no-articles")
    deadline = time.monotonic() + 20
    # kill it once it is writing: the first new feed's entries are in
    while time.monotonic() < deadline and _count(db_path) <= len(before):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = {r[0]: r for r in db.execute("SELECT id, key, read, starred FROM entries")}
    for row in before:
        assert after[row[0]] == row


def _count(db_path) -> int:
    with sqlite3.connect(db_path, timeout=30) as db:
        return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
