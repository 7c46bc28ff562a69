"""A shared subscription file, a server's redirect or autodiscovered link, an old cache: none can
put a terminal control into what newsdesk stores or prints.

Cleaned where text enters (import, redirects, discovery) and where it leaves: every command's
output (plain and JSON) is checked with a cache that still holds raw controls.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from hostile.harness import assert_clean, assert_json_clean, cli, find_forbidden, record
from hostile.subscriptions import (
    HOSTILE_TEXT,
    hostile_feeds,
    hostile_opml,
    hostile_server,
    poison_cache,
)

WORDS = ["CLIP", "LINK", "CONE", "HOME", "ARABICMARK", "TAGCHARS", "EXE.TXT"]


@pytest.fixture
def hostile(server, tmp_path, capsys):
    hostile_feeds(server)
    routes = hostile_server(server)
    opml = tmp_path / "hostile.opml"
    opml.write_text(hostile_opml(server), encoding="utf-8")
    code, out, err = cli(capsys, "import", str(opml))
    assert code == 0, err
    assert_clean(out + err, "import")
    code, out, err = cli(capsys, "refresh", "--no-articles", "--json")
    assert code == 0 and assert_json_clean(out, "refresh --json")["failed"] == 0
    return SimpleNamespace(opml=opml, routes=routes, db=tmp_path / "data" / "newsdesk.db")


def stored_text(db_path) -> list[str]:
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute(
            "SELECT url, title, title_override, folder, last_error FROM sources"
        ).fetchall()
        rows += db.execute("SELECT title, author, link, summary_text FROM entries").fetchall()
    finally:
        db.close()
    return [v for row in rows for v in row if isinstance(v, str)]


def test_import_stores_clean_titles_and_folders(hostile):
    texts = stored_text(hostile.db)
    bad = [t for t in texts if find_forbidden(t)]
    record("hostile OPML import", stored_with_controls=len(bad))
    assert bad == []
    joined = " ".join(texts)
    for word in WORDS:
        assert word in joined, word  # the visible words survive


def test_redirect_and_discovery_cannot_plant_controls_in_a_source_url(hostile, capsys):
    code, out, err = cli(capsys, "add", hostile.routes["moved"])
    assert code == 1 and "refused redirect" in err, err
    assert_clean(out + err, "add (redirect)")
    code, out, err = cli(capsys, "add", hostile.routes["page"])
    assert code == 0, err
    assert_clean(out + err, "add (discovery)")
    urls = [s["url"] for s in json.loads(cli(capsys, "sources", "--json")[1])]
    assert hostile.routes["clean"] in urls  # the one clean alternate link was chosen
    for url in urls:
        assert not find_forbidden(url), url


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "page.html"
    text = " ".join(HOSTILE_TEXT.values())
    page.write_text(
        f"<html><head><title>{text}</title></head><body><article><h1>{text}</h1>"
        + f"<p>{text} paragraph with enough words to count as a body of text.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )
    return page


def _commands(h, tmp_path: Path) -> dict[str, list[str]]:
    page = tmp_path / "page.html"
    return {
        "sources": ["sources"],
        "sources --json": ["sources", "--json"],
        "headlines": ["headlines", "--limit", "500"],
        "headlines --json": ["headlines", "--json"],
        "search": ["search", "CLIP"],
        "search --json": ["search", "--json", "CLIP"],
        "export": ["export"],
        "export -o": ["export", "-o", str(tmp_path / "out.opml")],
        "import again": ["import", str(h.opml)],
        "add (discovery)": ["add", h.routes["page"]],
        "add (redirect)": ["add", h.routes["moved"]],
        "remove (the cleaned URL of a raw one)": ["remove", "http://127.0.0.1:9/old"],
        "mark-read": ["mark-read", "--all"],
        "star": ["star", "1"],
        "refresh": ["refresh", "--no-articles"],
        "refresh --json": ["refresh", "--no-articles", "--json"],
        "check": ["check"],
        "read": ["read", str(page)],
        "read --json": ["read", "--json", str(page)],
        "completion": ["completion", "bash"],
    }


COMMANDS = list(_commands(SimpleNamespace(opml="", routes={"page": "", "moved": ""}), Path(".")))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_prints_no_control_from_a_hostile_cache(hostile, tmp_path, capsys, name):
    poison_cache(hostile.db)
    _page(tmp_path)
    argv = _commands(hostile, tmp_path)[name]
    code, out, err = cli(capsys, *argv)
    assert code in (0, 1), (code, err)
    if "--json" in argv:
        assert_json_clean(out, name)
    assert_clean(out, name)
    assert_clean(err, f"{name} stderr")
    if name == "export -o":
        assert_clean((tmp_path / "out.opml").read_text(encoding="utf-8"), "exported file")
    if name.startswith("remove"):
        assert code == 0, err  # a URL stored raw can still be removed by what `sources` shows
    record(f"CLI output: {name}", lost=0, code=code)
