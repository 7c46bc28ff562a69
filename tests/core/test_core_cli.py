"""The core through its command line: real loopback server, real httpx, real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from feedgen import atom, rss

from tui.cli.main import main

NOW = time.time()


def run_json(capsys, *argv) -> object:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def items(n: int, prefix: str = "Story", **extra) -> list[dict]:
    return [
        {"title": f"{prefix} {i}", "guid": f"{prefix}-{i}", "date": NOW - 3600 * i, **extra}
        for i in range(n)
    ]


def test_add_refresh_headlines(server, capsys):
    url = server.add("/world.xml", rss("World", items(3)))
    assert main(["add", url]) == 0
    assert "subscribed to World" in capsys.readouterr().out
    sources = run_json(capsys, "sources")
    assert [(s["url"], s["title"], s["entries"], s["unread"], s["error"]) for s in sources] == [
        (url, "World", 3, 3, None)
    ]
    heads = run_json(capsys, "headlines")
    assert [h["title"] for h in heads] == ["Story 0", "Story 1", "Story 2"]
    assert {"id", "source", "title", "link", "published", "read", "starred"} <= set(heads[0])


def test_add_discovers_feed_from_page(server, capsys):
    feed = server.add("/feed.atom", atom("Site", items(2)), content_type="application/atom+xml")
    page = server.add(
        "/",
        '<html><head><link rel="alternate" type="application/atom+xml" href="/feed.atom">'
        "</head><body>hi</body></html>",
        content_type="text/html",
    )
    assert main(["add", page]) == 0
    out = capsys.readouterr().out
    assert f"found its feed {feed}" in out
    assert [s["url"] for s in run_json(capsys, "sources")] == [feed]


@pytest.mark.parametrize("bad", ["ftp://example.org/feed", "not a url", "file:///etc/passwd"])
def test_add_refuses_bad_url(bad, capsys):
    assert main(["add", bad]) == 1
    assert "not an http(s) URL" in capsys.readouterr().err


def test_add_refuses_page_without_feed(server, capsys):
    page = server.add("/p", "<html><body>no feeds</body></html>", content_type="text/html")
    assert main(["add", page]) == 1
    assert "links to no feed" in capsys.readouterr().err
    assert run_json(capsys, "sources") == []


def test_refresh_twice_is_304_and_keeps_state(server, capsys, data_dir):
    a = server.add("/a.xml", rss("A", items(4, "A")))
    b = server.add("/b.atom", atom("B", items(2, "B")), content_type="application/atom+xml")
    for u in (a, b):
        assert main(["add", u]) == 0
    first = run_json(capsys, "headlines")
    target = first[0]["id"]
    db = sqlite3.connect(data_dir / "newsdesk.db")
    with db:
        db.execute("UPDATE entries SET read = 1, starred = 1 WHERE id = ?", (target,))
    server.requests.clear()
    summary = run_json(capsys, "refresh", "--no-articles")
    assert summary["sources"] == 2 and summary["not_modified"] == 2
    assert summary["new_entries"] == 0 and summary["failed"] == 0
    # the 304 came from a conditional request
    assert all("If-None-Match" in h or "if-none-match" in h for _, h in server.requests)
    # the server's feed changes: one new item, old ones re-delivered
    server.add("/a.xml", rss("A", items(5, "A")))
    summary = run_json(capsys, "refresh", "--no-articles")
    assert summary["ok"] == 1 and summary["new_entries"] == 1
    after = {h["id"]: h for h in run_json(capsys, "headlines")}
    assert len(after) == 7
    assert after[target]["read"] and after[target]["starred"]


def test_headlines_filters(server, capsys):
    a = server.add("/a.xml", rss("A", items(3, "A")))
    b = server.add("/b.xml", rss("B", items(2, "B")))
    main(["add", a]), main(["add", b])
    only_b = run_json(capsys, "headlines", "--source", b)
    assert {h["source"] for h in only_b} == {b} and len(only_b) == 2
    assert len(run_json(capsys, "headlines", "--limit", "2")) == 2
    assert main(["headlines", "--source", "http://nope/"]) == 1  # runtime: no such source


def test_remove(server, capsys):
    a = server.add("/a.xml", rss("A", items(1)))
    main(["add", a])
    assert main(["remove", a]) == 0
    assert run_json(capsys, "sources") == []
    assert main(["remove", a]) == 1


OPML = """<?xml version="1.0"?>
<opml version="1.0"><head><title>mine</title></head><body>
  <outline text="News">
    <outline text="World" type="rss" xmlUrl="http://a.example/world.xml"/>
    <outline text="Tech">
      <outline text="Ars" type="rss" xmlUrl="http://b.example/ars.xml"/>
    </outline>
  </outline>
  <outline text="Loose" type="rss" xmlUrl="http://c.example/loose.xml"/>
  <outline text="Dup" type="rss" xmlUrl="http://c.example/loose.xml"/>
</body></opml>"""


def test_import_export_round_trip(tmp_path, capsys):
    src = tmp_path / "subs.opml"
    src.write_text(OPML)
    assert main(["import", str(src)]) == 0
    assert "imported 3 sources, skipped 1 duplicate" in capsys.readouterr().out
    before = {(s["url"], s["folder"]) for s in run_json(capsys, "sources")}
    assert before == {
        ("http://a.example/world.xml", "News"),
        ("http://b.example/ars.xml", "News/Tech"),
        ("http://c.example/loose.xml", None),
    }
    out = tmp_path / "out.opml"
    assert main(["export", "-o", str(out)]) == 0
    assert 'version="2.0"' in out.read_text()
    # re-import into a fresh cache gives the same set
    assert main(["--data-dir", str(tmp_path / "other"), "import", str(out)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "other"), "sources", "--json"]) == 0
    again = {(s["url"], s["folder"]) for s in json.loads(capsys.readouterr().out)}
    assert again == before


def test_import_newsboat_urls(tmp_path, capsys):
    urls = tmp_path / "urls"
    urls.write_text(
        '# my feeds\nhttp://a.example/rss tech "~Alpha"\nhttp://b.example/rss\n'
        'http://b.example/rss dup\n"query:unread:unread = \\"yes\\""\n'
    )
    assert main(["import", str(urls)]) == 0
    assert "imported 2 sources, skipped 1 duplicate" in capsys.readouterr().out
    got = {(s["url"], s["title"], s["folder"]) for s in run_json(capsys, "sources")}
    assert got == {
        ("http://a.example/rss", "Alpha", "tech"),
        ("http://b.example/rss", "http://b.example/rss", None),
    }


def test_import_garbage_is_refused(tmp_path, capsys):
    bad = tmp_path / "bad.opml"
    bad.write_text("<?xml version='1.0'?><html><body/></html>")
    assert main(["import", str(bad)]) == 1
    assert "not an OPML" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing")]) == 1


def test_permanent_redirect_updates_url(server, capsys):
    new = server.add("/new.xml", rss("Moved", items(1)))
    server.add("/old.xml", status=301, headers={"Location": "/new.xml"}, conditional=False)
    old = server.url("/old.xml")
    main(["import", _urls_file(server, old)])
    summary = run_json(capsys, "refresh", "--no-articles")
    assert summary["ok"] == 1
    assert [s["url"] for s in run_json(capsys, "sources")] == [new]


def test_retry_after_is_respected(server, capsys):
    url = server.add("/busy.xml", status=429, headers={"Retry-After": "600"}, conditional=False)
    main(["import", _urls_file(server, url)])
    first = run_json(capsys, "refresh", "--no-articles")
    assert first["failed"] == 1 and "retry later" in first["errors"][0]["error"]
    server.requests.clear()
    second = run_json(capsys, "refresh", "--no-articles")
    assert second["skipped"] == 1 and server.requests == []  # not hammered


def _urls_file(server, *urls) -> str:
    import tempfile

    f = tempfile.NamedTemporaryFile("w", suffix=".urls", delete=False)
    f.write("\n".join(urls) + "\n")
    f.close()
    return f.name


def test_help_for_every_command(capsys):
    from tui.cli.parser import COMMANDS

    for name in COMMANDS:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert f"usage: newsdesk {name}" in capsys.readouterr().out


def test_readme_documents_every_command():
    from pathlib import Path

    from tui.cli.parser import COMMANDS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in COMMANDS:
        assert f"`newsdesk {name}" in readme, name


def test_retry_after_date_is_capped_at_a_week_and_shown_with_its_date(server, capsys):
    import time

    far = "Fri, 31 Dec 9999 23:59:59 GMT"
    url = server.add("/park.xml", status=503, headers={"Retry-After": far}, conditional=False)
    main(["import", _urls_file(server, url)])
    run_json(capsys, "refresh", "--no-articles")
    second = run_json(capsys, "refresh", "--no-articles")
    assert second["skipped"] == 1
    error = second["errors"][0]["error"]
    week = time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
    assert f"wait until {week} " in error, error  # a week from now, with its date
    assert "9999" not in error
