"""The command line as a new user meets it (issue 13): JSON on every command that prints, one
exit code per kind of error, plain wording, retention that says what it pruned, a refresh that
shows its article phase and its real time."""

from __future__ import annotations

import argparse
import io
import json
import re
import sqlite3
import threading
import time

import pytest
from feedgen import rss

from tui.cli.main import main

NOW = time.time()


def items(n: int, prefix: str = "Story", step: float = 3600, **extra) -> list[dict]:
    return [
        {"title": f"{prefix} {i}", "guid": f"{prefix}-{i}", "date": NOW - step * i, **extra}
        for i in range(n)
    ]


def out_json(capsys, *argv) -> object:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


# -- --json everywhere --------------------------------------------------------------------


def test_every_command_that_prints_takes_json():
    from tui.cli.parser import build_parser

    def leaves(parser, name=""):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield name, parser
        for sub in subs:
            for child, command in sub.choices.items():
                yield from leaves(command, f"{name} {child}".strip())

    found = 0
    for name, command in leaves(build_parser()):
        # the reader; a shell script; the far side of an ssh sync (its answer is for newsdesk)
        if name in ("", "completion", "sync-peer"):
            continue
        options = {o for a in command._actions for o in a.option_strings}
        assert "--json" in options, name
        found += 1
    assert found >= 12


def test_json_from_add_remove_import_export_mark_star_check(server, capsys, tmp_path):
    url = server.add("/a.xml", rss("Alpha", items(3)))
    added = out_json(capsys, "add", url)
    assert added["url"] == url and added["title"] == "Alpha" and added["new_entries"] == 3
    assert added["already"] is False
    exported = out_json(capsys, "export")
    assert exported == [{"url": url, "title": "Alpha", "folder": None}]
    marked = out_json(capsys, "mark-read", "--all")
    assert marked == {"marked": 3, "read": True}
    entry = out_json(capsys, "headlines")[0]["id"]
    assert out_json(capsys, "star", str(entry)) == {"id": entry, "starred": True}
    assert out_json(capsys, "check")["ok"] is True
    assert out_json(capsys, "remove", url) == {"removed": url}
    urls = tmp_path / "urls"
    urls.write_text(f"{url}\n{url}\n")
    imported = out_json(capsys, "import", str(urls))
    assert (imported["added"], imported["duplicates"]) == (1, 1)


# -- exit codes ----------------------------------------------------------------------------


def test_unknown_option_prints_the_commands_usage_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["headlines", "--bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage: newsdesk headlines" in err and "--bogus" in err


def test_usage_errors_exit_2_runtime_errors_exit_1(server, capsys, tmp_path):
    assert main(["mark-read", "--all", "--older-than", "soon"]) == 2
    assert main(["headlines", "--limit", "-1"]) == 2
    assert main(["remove", "http://nope.example/"]) == 1
    assert main(["star", "99999"]) == 1
    assert main(["headlines", "--source", "http://nope.example/"]) == 1
    assert main(["mark-read", "--source", "http://nope.example/"]) == 1
    assert main(["import", str(tmp_path / "missing")]) == 1
    assert main(["read", str(tmp_path / "missing.html")]) == 1
    assert main(["add", server.url("/absent.xml")]) == 1


def test_readme_documents_exit_codes():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "Exit status" in readme and "`2`" in readme and "`1`" in readme


# -- "no matches" --------------------------------------------------------------------------


def test_no_matches_on_a_terminal_and_nothing_on_a_pipe(server, capsys, monkeypatch):
    url = server.add("/a.xml", rss("Alpha", items(2)))
    assert main(["add", url]) == 0
    capsys.readouterr()
    assert main(["search", "zebra"]) == 0
    assert capsys.readouterr().out == ""  # a pipe: scripts count lines
    tty = Tty()
    monkeypatch.setattr("sys.stdout", tty)
    assert main(["search", "zebra"]) == 0
    assert main(["headlines", "--source", url, "--unread", "--limit", "0"]) == 0
    assert tty.getvalue() == "no matches\nno matches\n"


# -- refresh wording -----------------------------------------------------------------------


def test_refresh_due_says_not_due_and_when(server, capsys):
    for name in ("a", "b"):
        assert main(["add", server.add(f"/{name}.xml", rss(name, items(1, name)))]) == 0
    capsys.readouterr()
    assert main(["refresh", "--due", "--no-articles"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "2 sources not due (next in 30 min)"


def test_refresh_says_one_source_not_one_sources(server, capsys):
    assert main(["add", server.add("/a.xml", rss("A", items(1)))]) == 0
    capsys.readouterr()
    assert main(["refresh", "--no-articles"]) == 0
    assert capsys.readouterr().out.startswith("1 source: 0 updated, 1 unchanged")


def test_refresh_shows_the_article_phase_and_the_real_time(server, capsys, monkeypatch):
    release = threading.Event()

    def slow_page(handler) -> None:
        release.wait(0.4)  # the server is slow; the test waits on nothing
        body = b"<html><body><article><p>" + b"Text of a page. " * 40 + b"</p></article>"
        handler._send(200, body + b"</body></html>", "text/html; charset=utf-8")

    from server import Route

    feed = [dict(i, link=server.url(f"/page/{n}")) for n, i in enumerate(items(3, "P"))]
    url = server.add("/p.xml", rss("P", feed[:1]))
    assert main(["add", url]) == 0
    for n in range(3):
        server.routes[f"/page/{n}"] = Route(handler=slow_page)
    server.add("/p.xml", rss("P", feed))
    err = Tty()
    monkeypatch.setattr("sys.stderr", err)
    capsys.readouterr()
    started = time.monotonic()
    assert main(["refresh"]) == 0
    took = time.monotonic() - started
    out = capsys.readouterr().out
    assert "articles [" in err.getvalue()  # the article phase has its own bar
    assert re.search(r"^articles: [23] kept", out, re.M)  # 3: the backfill takes the first page too
    seconds = float(out.splitlines()[0].rsplit(" in ", 1)[1].split()[0])
    assert 0.4 <= seconds <= took + 0.1  # the whole run, the slow pages included


# -- retention -----------------------------------------------------------------------------


def test_retention_keeps_the_newest_of_a_quiet_source_and_says_what_it_pruned(
    server, capsys, data_dir, tmp_path
):
    old = items(8, "Old")
    for i, item in enumerate(old):
        item["date"] = NOW - (100 + i) * 86400  # a quiet blog: nothing in 100 days
    url = server.add("/quiet.xml", rss("Quiet", old))
    assert main(["add", url]) == 0
    db = sqlite3.connect(data_dir / "newsdesk.db")
    with db:
        db.execute("UPDATE entries SET read = 1, first_seen = first_seen - 200 * 86400")
    capsys.readouterr()
    assert main(["refresh", "--no-articles"]) == 0
    assert "pruned" not in capsys.readouterr().out
    assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 8  # kept: min 50
    (tmp_path / "config.toml").write_text("keep_min_per_source = 3\n")
    assert main(["refresh", "--no-articles"]) == 0
    assert "pruned 5 old entries" in capsys.readouterr().out
    titles = [r[0] for r in db.execute("SELECT title FROM entries ORDER BY sort_time DESC")]
    assert titles == ["Old 0", "Old 1", "Old 2"]


def test_keep_min_per_source_is_checked(tmp_path, capsys):
    (tmp_path / "config.toml").write_text("keep_min_per_source = -1\n")
    assert main(["sources"]) == 1
    assert "keep_min_per_source" in capsys.readouterr().err


# -- add, read wording ---------------------------------------------------------------------


def test_bad_url_is_quoted_as_typed(capsys):
    assert main(["add", "not a url"]) == 1
    err = capsys.readouterr().err
    assert "'not a url'" in err and "https://" not in err


def test_add_again_with_title_updates_it(server, capsys):
    url = server.add("/a.xml", rss("Alpha", items(1)))
    assert main(["add", url]) == 0
    capsys.readouterr()
    assert main(["add", url, "--title", "Mine", "--folder", "News"]) == 0
    out = capsys.readouterr().out
    assert "already subscribed" in out and "'Mine'" in out and "'News'" in out
    source = out_json(capsys, "sources")[0]
    assert (source["title"], source["folder"]) == ("Mine", "News")


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.mark.parametrize(
    "data, kind",
    [
        (PNG, "image/png"),
        (rss("Feed", items(2)).encode(), "an RSS or Atom feed"),
        (b"\x00\x01\x02 binary \x00" * 100, "binary data"),
    ],
)
def test_read_of_something_not_html_says_what_it_got(tmp_path, capsys, data, kind):
    path = tmp_path / "thing"
    path.write_bytes(data)
    assert main(["read", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"not an HTML page (got {kind})" in err and "paywall" not in err


def test_read_of_an_image_url_says_what_it_got(server, capsys):
    url = server.add("/photo", PNG, content_type="image/png")
    assert main(["read", url]) == 1
    assert "not an HTML page (got image/png)" in capsys.readouterr().err


# -- clean exit, demo config ---------------------------------------------------------------


def test_extract_pool_shuts_down_with_no_thread_left():
    import asyncio
    from concurrent.futures import process

    from tui.services import extract_pool

    html = b"<html><body><article><p>" + b"Words in a paragraph. " * 30 + b"</p></article>"
    article, _error = asyncio.run(extract_pool.extract_in_worker(html, "http://x.example/"))
    assert article is not None
    extract_pool.close()
    left = [t for t in threading.enumerate() if isinstance(t, process._ExecutorManagerThread)]
    assert left == []


def test_demo_has_its_own_config(tmp_path):
    from tui.cli.main import demo_context

    mine = tmp_path / "config.toml"  # NEWSDESK_CONFIG points here (conftest)
    mine.write_text('theme = "nord"\n[[views]]\nname = "Mine"\nquery = "x"\n')
    ctx, tmp = demo_context()
    try:
        assert ctx.config_file != mine and str(ctx.config_file).startswith(tmp.name)
        assert ctx.config().views == [] and ctx.config().theme is None
        assert ctx.store().sources()  # the demo feeds
    finally:
        ctx.close()
        tmp.cleanup()
