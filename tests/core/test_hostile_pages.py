"""Hostile article pages through prefetch (`newsdesk refresh`) and `newsdesk read URL`.

Extraction runs in a worker process with a deadline; the deadline is read from the environment
when tui.services.extract_pool is imported, so the runs that need a small one are subprocesses.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feedgen import rss
from hostile.harness import (
    NOW,
    assert_clean,
    assert_json_clean,
    cli,
    inspect,
    record,
    server,  # noqa: F401 (fixture)
)
from hostile.pages import HOSTILE_TITLE, PAGES

from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 4  # seconds an extraction may take here


def _run(tmp_path: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
        "NEWSDESK_CONFIG": str(tmp_path / "config.toml"),
        "NEWSDESK_EXTRACT_DEADLINE": str(DEADLINE),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def pages(server, tmp_path):
    # prefetch_concurrency stays at its default (8): the runaway page must not time out the
    # pages queued behind it
    (tmp_path / "config.toml").write_text(
        "deadline = 5.0\ntimeout = 3.0\nmax_page_bytes = 8000000\n"
    )
    for path, (build, _) in PAGES.items():
        server.add(path, **build())
    items = [
        {"title": f"Page {p}", "guid": p, "link": server.url(p), "date": NOW - i}
        for i, p in enumerate(PAGES)
    ]
    return server.add("/pages.xml", rss("Pages", items))


def test_prefetch_of_hostile_pages(pages, server, tmp_path, capsys):
    (tmp_path / "urls.txt").write_text(pages + "\n")
    assert main(["import", str(tmp_path / "urls.txt")]) == 0  # subscribes; fetches nothing
    started = time.monotonic()
    proc = _run(tmp_path, "refresh", "--json", timeout=90)
    seconds = time.monotonic() - started
    db = sqlite3.connect(tmp_path / "data" / "newsdesk.db")
    errors = dict(
        db.execute(
            "SELECT e.key, a.error FROM entries e JOIN articles a ON a.entry_id = e.id"
        ).fetchall()
    )
    record("prefetch of 7 hostile pages", seconds=round(seconds, 3), lost=0, code=proc.returncode)
    assert proc.returncode == 0, proc.stderr
    assert_json_clean(proc.stdout, "refresh --json")
    assert seconds < 8 * DEADLINE, seconds
    assert set(errors) == set(PAGES), errors  # every page was tried and has an outcome
    for path, (_, words) in PAGES.items():
        if words is None:
            assert errors[path] is None, (path, errors[path])
        else:
            assert errors[path] and any(w in errors[path] for w in words), (path, errors[path])
    outcome = inspect(pages, json.loads(proc.stdout), seconds, capsys)
    assert len(outcome.headlines) == len(PAGES)


@pytest.mark.parametrize("path", ["/p/huge-declared", "/p/huge-streamed", "/p/scripts"])
def test_read_fails_with_a_specific_error(path, server, pages, capsys):
    started = time.monotonic()
    code, out, err = cli(capsys, "read", server.url(path), "--json")
    seconds = time.monotonic() - started
    record(f"read {path}", seconds=round(seconds, 3), lost=0, code=code)
    assert code == 1 and out == ""
    assert any(w in err for w in PAGES[path][1]), err
    assert seconds < 15


def test_read_slow_page_is_stopped_at_the_deadline(server, pages, tmp_path):
    started = time.monotonic()
    proc = _run(tmp_path, "read", server.url("/p/slow"), "--json")
    seconds = time.monotonic() - started
    record(
        "read /p/slow (extraction deadline)",
        seconds=round(seconds, 3),
        lost=0,
        code=proc.returncode,
    )
    assert proc.returncode == 1 and f"longer than {DEADLINE} s" in proc.stderr, proc.stderr
    assert seconds < DEADLINE + 8


def test_read_hostile_page_shows_nothing_live(server, pages, capsys):
    started = time.monotonic()
    code, out, err = cli(capsys, "read", server.url("/p/hostile"), "--json")
    record(
        "read /p/hostile (json)", seconds=round(time.monotonic() - started, 3), lost=0, code=code
    )
    assert code == 0, err
    article = assert_json_clean(out, "read --json")
    text = json.dumps(article)
    assert "[@click=app.quit]Headline[/]" in text and "[b]markup[/b]" in text
    for url in (article["url"], article["lead_image"], *(b.get("src") for b in article["blocks"])):
        assert url is None or url.startswith(("http://", "https://")), url
    code, out, err = cli(capsys, "read", server.url("/p/hostile"), "--width", "70")
    assert code == 0
    assert_clean(out, "read (text)")
    assert_clean(err, "read stderr")
    assert "[link=file:///etc/passwd]link[/link]" in out
    assert HOSTILE_TITLE[:10] not in out or "[@click" in out


def test_read_page_with_a_control_character_entity(server, capsys):
    from hostile.pages import control_entity

    url = server.add("/p/entity", **control_entity())
    code, out, err = cli(capsys, "read", url, "--json")
    assert code == 0, err
    article = assert_json_clean(out, "read --json")
    assert len(article["blocks"]) == 6
