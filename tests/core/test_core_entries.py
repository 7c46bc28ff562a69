"""search, mark-read, star and refresh --due through the command line."""

from __future__ import annotations

import json
import sqlite3
import time

from feedgen import rss

from tui.cli.main import main

NOW = time.time()


def run_json(capsys, *argv):
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def fill(server, capsys):
    items = [
        {
            "title": "Harbour lighthouse rebuilt by volunteers",
            "guid": "a",
            "date": NOW - 60,
            "summary": "The town carried oak beams up the cliff.",
        },
        {
            "title": "Central bank holds rates",
            "guid": "b",
            "date": NOW - 10 * 86400,
            "summary": "Economists expected the lighthouse of monetary policy to stay put.",
        },
        {
            "title": "New chip fabs announced",
            "guid": "c",
            "date": NOW - 20 * 86400,
            "summary": "Semiconductor plants in three countries.",
        },
    ]
    url = server.add("/mix.xml", rss("Mix", items))
    assert main(["add", url]) == 0
    return url


def test_search_ranks_title_matches_first(server, capsys):
    fill(server, capsys)
    hits = run_json(capsys, "search", "lighthouse")
    assert [h["title"] for h in hits] == [
        "Harbour lighthouse rebuilt by volunteers",
        "Central bank holds rates",
    ]
    assert [h["title"] for h in run_json(capsys, "search", "semicond")] == [
        "New chip fabs announced"
    ]
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
    assert state == {
        "Harbour lighthouse rebuilt by volunteers": False,
        "Central bank holds rates": True,
        "New chip fabs announced": True,
    }
    assert main(["mark-read", "--source", url]) == 0
    assert not any(not h["read"] for h in run_json(capsys, "headlines"))
    first = run_json(capsys, "headlines")[0]["id"]
    assert main(["star", str(first)]) == 0
    assert run_json(capsys, "headlines")[0]["starred"] is True
    assert main(["star", "999999"]) == 1
    assert main(["mark-read", "--all", "--older-than", "soon"]) == 2


def test_refresh_due_honours_server_hints(server, capsys, data_dir):
    quick = server.add("/quick.xml", rss("Q", [{"guid": "q"}]))
    slow = server.add(
        "/slow.xml", rss("S", [{"guid": "s"}]), headers={"Cache-Control": "max-age=7200"}
    )
    for u in (quick, slow):
        main(["add", u])
    assert run_json(capsys, "refresh", "--no-articles")["sources"] == 2
    db = sqlite3.connect(data_dir / "newsdesk.db")
    with db:  # pretend both were fetched 40 minutes ago
        db.execute("UPDATE sources SET last_fetched = ?", (time.time() - 2400,))
    due = run_json(capsys, "refresh", "--no-articles", "--due")
    assert due["sources"] == 1 and due["errors"] == []  # only the one without max-age
    assert run_json(capsys, "refresh", "--no-articles")["sources"] == 2  # asking always asks


def test_per_source_settings_from_config(server, capsys, tmp_path, data_dir):
    now = time.time()
    a = server.add("/a.xml", rss("A", [{"guid": f"a{i}", "date": now - i * 60} for i in range(10)]))
    b = server.add(
        "/b.xml",
        rss("B", [{"guid": f"b{i}", "date": now - i * 60} for i in range(10)]),
        conditional=False,
    )
    for u in (a, b):
        main(["add", u])
    (tmp_path / "config.toml").write_text(
        f'[sources."{a}"]\ntitle = "Renamed"\nfolder = "Mine"\nmax_entries = 3\n'
        f'[sources."{b}"]\nuser_agent = "Special/1.0"\nheaders = {{ X-Token = "t" }}\n'
    )
    db = sqlite3.connect(data_dir / "newsdesk.db")
    with db:
        db.execute("UPDATE entries SET read = 1")
    server.requests.clear()
    run_json(capsys, "refresh", "--no-articles")
    sources = {s["url"]: s for s in run_json(capsys, "sources")}
    assert (sources[a]["title"], sources[a]["folder"]) == ("Renamed", "Mine")
    assert sources[a]["entries"] == 3 and sources[b]["entries"] == 10
    sent = {p: h for p, h in server.requests}
    assert sent["/b.xml"]["User-Agent"] == "Special/1.0" and sent["/b.xml"]["X-Token"] == "t"
    assert sent["/a.xml"]["User-Agent"].startswith("newsdesk/")


def test_saved_views_filter(server, capsys, data_dir):
    from tui.store import Store
    from tui.store.views import saved_views

    fill(server, capsys)
    (view,) = saved_views([{"name": "Light", "query": "lighthouse", "unread": True}])
    store = Store(data_dir / "newsdesk.db")
    titles = [r.title for r in store.page(view, 0, 10)]
    assert titles == ["Harbour lighthouse rebuilt by volunteers", "Central bank holds rates"]
    store.set_read([store.page(view, 0, 1)[0].id])
    assert store.count(view) == 1


def test_bash_completion_script_completes_commands_and_options(capsys, tmp_path):
    import shutil
    import subprocess

    assert main(["completion", "bash"]) == 0
    script = tmp_path / "comp.sh"
    script.write_text(capsys.readouterr().out)
    if not shutil.which("bash"):
        return
    probe = (
        f"source {script}; COMP_WORDS=(newsdesk ref); COMP_CWORD=1; _newsdesk; "
        'echo "${COMPREPLY[@]}"; COMP_WORDS=(newsdesk search --); COMP_CWORD=2; _newsdesk; '
        'echo "${COMPREPLY[@]}"'
    )
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True).stdout.splitlines()
    assert out[0] == "refresh"
    assert set(out[1].split()) == {"--help", "--json", "--limit", "--hidden"}
