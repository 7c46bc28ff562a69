"""Run one hostile case through the real pipeline and check what every case must guarantee.

A case starts from a cache filled by a normal refresh (a steady source and a victim source, some
entries read or starred), turns the victim hostile, refreshes again through `tui.cli.main`, then
checks: the run ended in bounded time, the steady source refreshed, nothing stored before was lost
or changed state, and no control character reaches any CLI output.

Each run is appended as a JSON line to $NEWSDESK_HOSTILE_RECORD when set (bench/hostile_report.py).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from feedgen import rss
from server import FeedServer, Route

from tui.cli.main import main

# Terminal controls (C0 but tab/newline, DEL, C1), bidi marks/overrides/isolates (U+061C too),
# zero-width characters, line/paragraph separators and the invisible Unicode tag characters.
FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    r"\ufeff\u2028\u2029\U000e0000-\U000e007f]"
)
NOW = time.time()


@pytest.fixture
def server():
    """The loopback server, stopping in 50 ms rather than 500 (it is started 40 times here)."""
    srv = FeedServer()
    srv._thread = threading.Thread(
        target=srv._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    with srv:
        yield srv


def find_forbidden(text: str) -> str | None:
    """None, or a short description of the first forbidden character and its surroundings."""
    match = FORBIDDEN.search(text)
    if match is None:
        return None
    at = match.start()
    return f"{match.group()!r} at {at}: {text[max(0, at - 30) : at + 30]!r}"


def assert_clean(text: str, where: str) -> None:
    found = find_forbidden(text)
    assert found is None, f"control/bidi character reached {where}: {found}"


def strings(obj: Any) -> Iterator[str]:
    """Every string inside decoded JSON (keys too)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def assert_json_clean(raw: str, where: str) -> Any:
    """The raw output and every decoded value are free of controls; returns the decoded data."""
    assert_clean(raw, where)
    data = json.loads(raw)
    for s in strings(data):
        assert_clean(s, f"{where} (decoded value)")
    return data


def record(name: str, **fields: Any) -> None:
    path = os.environ.get("NEWSDESK_HOSTILE_RECORD")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"case": name, **fields}) + "\n")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def steady_items(n: int, start: int = 0) -> list[dict]:
    return [
        {"title": f"Steady {i}", "guid": f"steady-{i}", "date": NOW - 60 * i}
        for i in range(start, start + n)
    ]


def victim_items() -> list[dict]:
    return [
        {"title": f"Victim {i}", "guid": f"victim-{i}", "date": NOW - 3600 - 60 * i}
        for i in range(4)
    ]


@dataclass
class Outcome:
    """What a hostile refresh left behind, for case-specific checks."""

    url: str  # the hostile source
    summary: dict
    seconds: float
    sources: dict[str, dict] = field(default_factory=dict)  # sources --json by URL
    headlines: list[dict] = field(default_factory=list)  # headlines --json of the hostile source

    @property
    def error(self) -> str | None:
        return self.sources[self.url]["error"]

    @property
    def titles(self) -> list[str]:
        return [h["title"] for h in self.headlines]


def snapshot(data_dir: Path) -> dict[str, tuple]:
    db = sqlite3.connect(data_dir / "newsdesk.db")
    try:
        rows = db.execute(
            "SELECT s.url, e.key, e.read, e.starred FROM entries e "
            "JOIN sources s ON s.id = e.source_id"
        ).fetchall()
    finally:
        db.close()
    return {f"{r[0]} {r[1]}": (r[2], r[3]) for r in rows}


def prepare(server, tmp_path: Path, capsys, config: str = "") -> str:
    """A cache with a steady and a victim source, some entries read or starred; the victim URL."""
    settings = {
        "deadline": "3.0",
        "timeout": "2.0",
        "max_feed_bytes": "4000000",
        "max_page_bytes": "4000000",
        "prefetch_concurrency": "2",
    }
    for line in config.splitlines():  # the case's own settings win
        key, _, value = line.partition("=")
        settings[key.strip()] = value.strip()
    (tmp_path / "config.toml").write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
    server.add("/steady.xml", rss("Steady", steady_items(5)))
    victim = server.add("/victim.xml", rss("Victim", victim_items()))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url('/steady.xml')}\n{victim}\n")
    assert cli(capsys, "import", str(urls))[0] == 0
    code, out, _ = cli(capsys, "refresh", "--json", "--no-articles")
    assert code == 0 and json.loads(out)["failed"] == 0
    db = sqlite3.connect(tmp_path / "data" / "newsdesk.db")
    with db:
        db.execute("UPDATE entries SET read = 1 WHERE id % 2 = 0")
        db.execute("UPDATE entries SET starred = 1 WHERE id % 3 = 0")
    db.close()
    return victim


def run_refresh_case(
    name: str,
    server,
    tmp_path: Path,
    capsys,
    route: dict,
    *,
    config: str = "",
    limit: float = 10.0,
    articles: bool = False,
) -> Outcome:
    """Prepare, make the victim hostile (`route`: Route keyword arguments), refresh, check."""
    victim = prepare(server, tmp_path, capsys, config)
    data_dir = tmp_path / "data"
    before = snapshot(data_dir)
    server.add("/steady.xml", rss("Steady", steady_items(6)))  # one new entry: proves it refreshed
    server.routes["/victim.xml"] = Route(**route)
    started = time.monotonic()
    argv = ["refresh", "--json"] + ([] if articles else ["--no-articles"])
    code, out, err = cli(capsys, *argv)
    seconds = time.monotonic() - started
    after = snapshot(data_dir)
    lost = [k for k, state in before.items() if after.get(k) != state]
    record(name, seconds=round(seconds, 3), lost=len(lost), code=code)
    assert code == 0, err
    assert not lost, f"entries lost or changed state: {lost[:5]}"
    assert seconds < limit, f"{name} took {seconds:.1f} s (limit {limit} s)"
    summary = assert_json_clean(out, "refresh --json")
    assert_clean(err, "refresh stderr")
    steady = server.url("/steady.xml")
    assert steady not in {e["source"] for e in summary["errors"]}
    assert f"{steady} steady-5" in after, "the steady source was not refreshed"
    return inspect(victim, summary, seconds, capsys)


def inspect(url: str, summary: dict, seconds: float, capsys) -> Outcome:
    """Everything the CLI shows afterwards, scanned for control characters."""
    outcome = Outcome(url, summary, seconds)
    code, out, _ = cli(capsys, "sources", "--json")
    assert code == 0
    outcome.sources = {s["url"]: s for s in assert_json_clean(out, "sources --json")}
    code, out, _ = cli(capsys, "headlines", "--json", "--limit", "5000", "--source", url)
    assert code == 0
    outcome.headlines = assert_json_clean(out, "headlines --json")
    for argv in (("sources",), ("headlines", "--limit", "5000")):
        code, out, err = cli(capsys, *argv)
        assert code == 0
        assert_clean(out, " ".join(argv))
        assert_clean(err, " ".join(argv) + " stderr")
    for h in outcome.headlines:  # only http(s) links are ever stored as links
        assert h["link"] is None or h["link"].startswith(("http://", "https://")), h["link"]
    return outcome
