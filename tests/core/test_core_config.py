"""Config values are checked at load: a bad value is one line naming the key and what is allowed;
what can be ignored is a warning said once, and newsdesk still runs."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from feedgen import rss

from tui.cli.main import main

ERRORS = [
    ("concurrency = 0", "concurrency", "from 1 to 1000"),
    ("concurrency = -1", "concurrency", "from 1 to 1000"),
    ("concurrency = true", "concurrency", "whole number"),
    ("per_host = 0", "per_host", "from 1 to 6"),
    ("per_host = 7", "per_host", "from 1 to 6"),
    ("prefetch_concurrency = 0", "prefetch_concurrency", "from 1 to 100"),
    ("timeout = -1", "timeout", "greater than 0"),
    ("timeout = nan", "timeout", "greater than 0"),
    ("timeout = inf", "timeout", "greater than 0"),
    ("deadline = -1", "deadline", "greater than 0"),
    ("deadline = 0", "deadline", "greater than 0"),
    ("max_feed_bytes = -1", "max_feed_bytes", "at least 1"),
    ("max_page_bytes = 0", "max_page_bytes", "at least 1"),
    ("keep_days = -1", "keep_days", "at least 0"),
    ("keep_per_source = -5", "keep_per_source", "at least 0"),
    ("refresh_interval = -3", "refresh_interval", "at least 0"),
    ('prefetch = "yes"', "prefetch", "true or false"),
    ("theme = 5", "theme", "a string"),
    ("keys = 5", "keys", "a table"),
    ("sources = 5", "sources", "a table"),
    ("general = 5", "general", "a table"),
    ("views = 5", "views", "an array"),
    ("player = 5", "player", "list of strings or a string"),
    ('player = "mpv \'unclosed"', "player", "No closing quotation"),
    ("[general]\nconcurrency = 0", "concurrency", "from 1 to 1000"),
]


@pytest.mark.parametrize("text,key,allowed", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_value_is_one_line_naming_key_and_range(tmp_path, capsys, text, key, allowed):
    (tmp_path / "config.toml").write_text(text + "\n")
    assert main(["sources"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, no traceback
    assert f"{key} " in err and allowed in err and "config.toml" in err, err


WARNINGS = [
    ("concurrancy = 8", "concurrancy", "did you mean concurrency?"),
    ("[general]\nper_hots = 2", "general.per_hots", "did you mean per_host?"),
    ("[keys]\nnext_unread = 5", "keys.next_unread", "must be a string"),
    ('[sources."http://a.example/"]\nrefresh_interval = "often"', "refresh_interval", "number"),
    ('[sources."http://a.example/"]\nrefresh_interval = "abc"', "refresh_interval", "number"),
    ('[sources."http://a.example/"]\nheaders = "x"', "headers", "table of strings"),
    ('[sources."http://a.example/"]\nheaders = { X = "a\\nInjected: 1" }', "headers.X", "one-line"),
    ('[sources."http://a.example/"]\nprefetch = "no"', "prefetch", "true or false"),
    ('[sources."http://a.example/"]\nmax_entires = 5', "max_entires", "did you mean max_entries?"),
    ('sources = { "http://a.example/" = 5 }', "sources.", "table of settings"),
    ('[[views]]\nquery = "x"', "views[1]", "needs name"),
    # the CLI says what the reader says of names only it uses (issue 22, item 18)
    ('theme = "dracular"', "theme", "did you mean dracula?"),
    ('[keys]\nnext_unred = "n"', "keys.next_unred", "did you mean next_unread?"),
]


@pytest.mark.parametrize("text,key,said", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_ignorable_problem_is_one_warning_and_newsdesk_runs(tmp_path, capsys, text, key, said):
    (tmp_path / "config.toml").write_text(text + "\n")
    assert main(["sources", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    lines = err.splitlines()
    assert len(lines) == 1, err  # said once
    assert lines[0].startswith("newsdesk: warning: config ") and key in lines[0], lines
    assert said in lines[0], lines


def test_bad_per_source_interval_does_not_break_refresh(server, tmp_path, capsys):
    url = server.add("/f.xml", rss("F", [{"title": "a", "guid": "a"}]))
    (tmp_path / "config.toml").write_text(f'[sources."{url}"]\nrefresh_interval = "abc"\n')
    assert main(["add", url]) == 0
    capsys.readouterr()
    assert main(["refresh", "--due", "--json", "--no-articles"]) == 0
    assert json.loads(capsys.readouterr().out)["failed"] == 0


def test_toml_syntax_error_names_file_and_line(tmp_path, capsys):
    (tmp_path / "config.toml").write_text('concurrency = 4\ntheme = "dark\n')
    assert main(["sources"]) == 1
    err = capsys.readouterr().err.strip()
    assert f"config {tmp_path / 'config.toml'}, line 2: not valid TOML" in err, err
    assert "Illegal" not in err and "(at line" not in err


def test_keep_days_zero_keeps_everything_forever(server, tmp_path, capsys, data_dir):
    old = time.time() - 3 * 365 * 86400
    items = [{"title": f"Old {i}", "guid": f"o{i}", "date": old - i} for i in range(20)]
    url = server.add("/old.xml", rss("Old", items))
    (tmp_path / "config.toml").write_text("keep_days = 0\n")
    assert main(["add", url]) == 0
    db = sqlite3.connect(data_dir / "newsdesk.db")
    with db:
        db.execute("UPDATE entries SET read = 1 WHERE id % 2 = 0")
        db.execute("UPDATE entries SET first_seen = ?", (old,))  # arrived long ago too
    capsys.readouterr()
    assert main(["refresh", "--json", "--no-articles"]) == 0
    assert json.loads(capsys.readouterr().out)["pruned"] == 0
    assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 20
    db.close()


def test_player_may_be_a_string_as_in_newsboat(tmp_path, capsys):
    from tui.settings.config import load_config

    (tmp_path / "config.toml").write_text('player = "mpv --no-video"\n')
    assert load_config(tmp_path / "config.toml").player == ["mpv", "--no-video"]
    assert main(["sources"]) == 0


def test_the_known_names_are_the_readers(tmp_path):
    from textual.theme import BUILTIN_THEMES

    from tui.settings.names import BINDING_IDS, THEMES
    from tui.ui.configcheck import binding_ids

    # a binding added to tui.ui.keys needs its id in tui.settings.names too
    assert BINDING_IDS == binding_ids()
    assert THEMES == set(BUILTIN_THEMES)


def test_a_config_file_named_on_the_command_line_must_exist(tmp_path, capsys):
    missing = tmp_path / "nonexistent.toml"
    assert main(["--config", str(missing), "sources"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"no config file at {missing}" in err, err
    # commands that write the config create it
    assert main(["--config", str(missing), "rules", "add", "--match", "sponsored"]) == 0
    assert missing.exists()
