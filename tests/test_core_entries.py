"""search, mark-read, star and refresh --due through the command line."""

from __future__ import annotations

import json
import sqlite3
import time

from feedgen import rss

from tui.cli import main

NOW = time.time()


def run_json(capsys, *argv):
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def fill(server, capsys):
    items = [
        {"title": "Harbour lighthouse rebuilt by volunteers", "guid": "a", "date": NOW - 60,
         "summary": "The town carried oak beams up the cliff."},
        {"title": "Central bank holds rates", "guid": "b", "date": NOW - 10 * 86400,
         "summary": "Economists expected the lighthouse of monetary policy to stay put."},
        {"title": "New chip fabs announced", "guid": "c", "date": NOW - 20 * 86400,
         "summary": "Semiconductor plants in three countries."},
    ]
    url = server.add("/mix.xml", rss("Mix", items))
    assert main(["add", url]) == 0
    return url


def test_search_ranks_title_matches_first(server, capsys):
    fill(server, capsys)
    hits = run_json(capsys, "search", "lighthouse")
    assert [h["title"] for h in hits] == [
        "Harbour lighthouse rebuilt by volunteers", "Central bank holds rates"]
    assert [h["title"] for h in run_json(capsys, "search", "semicond")] == ["New chip fabs announced"]
    # FTS5 syntax in user input is just words, never an error
    assert run_json(capsys, "search", 'NEAR("x" OR ) *') == []
    capsys.readouterr()
    assert main(["search", "lighthouse"]) == 0
    assert ">>lighthouse<<" in capsys.readouterr().out.lower()


def test_search_finds_full_article_text(server, capsys, data_dir):
    fill(server, capsys)
    from tui.models import Article, Block
    from tui.store import Store

    store = Store(data_dir / "newsdesk.db")
    (row,) = store.query("SELECT id FROM entries WHERE key = 'c'")
    store.save_article(row[0], Article(blocks=[Block("paragraph", text="A quokka appeared.")]))
    assert [h["id"] for h in run_json(capsys, "search", "quokka")] == [row[0]]


def test_mark_read_and_star(server, capsys):
    url = fill(server, capsys)
    assert main(["mark-read", "--all", "--older-than", "7d"]) == 0
    assert "marked 2 entries read" in capsys.readouterr().out
    state = {h["title"]: h["read"] for h in run_json(capsys, "headlines")}
    assert state == {"Harbour lighthouse rebuilt by volunteers": False,
                     "Central bank holds rates": True, "New chip fabs announced": True}
    assert main(["mark-read", "--source", url]) == 0
    assert not any(not h["read"] for h in run_json(capsys, "headlines"))
    first = run_json(capsys, "headlines")[0]["id"]
    assert main(["star", str(first)]) == 0
    assert run_json(capsys, "headlines")[0]["starred"] is True
    assert main(["star", "999999"]) == 1
    assert main(["mark-read", "--all", "--older-than", "soon"]) == 2


def test_refresh_due_honours_server_hints(server, capsys, data_dir):
    quick = server.add("/quick.xml", rss("Q", [{"guid": "q"}]))
    slow = server.add("/slow.xml", rss("S", [{"guid": "s"}]),
                      headers={"Cache-Control": "max-age=7200"})
    for u in (quick, slow):
        main(["add", u])
    assert run_json(capsys, "refresh", "--no-articles")["sources"] == 2
    db = sqlite3.connect(data_dir / "newsdesk.db")
    with db:  # pretend both were fetched 40 minutes ago
        db.execute("UPDATE sources SET last_fetched = ?", (time.time() - 2400,))
    due = run_json(capsys, "refresh", "--no-articles", "--due")
    assert due["sources"] == 1 and due["errors"] == []  # only the one without max-age
    assert run_json(capsys, "refresh", "--no-articles")["sources"] == 2  # asking always asks
