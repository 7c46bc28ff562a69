"""Rules that cannot freeze the reader (issue 20, holes 10-11): a catastrophic regex is refused
or cut off, and thousands of rules list as one does.

The CLI runs in a child process with a generous timeout: before the fix these runs never ended
(a test that hangs is a test that fails, here with TimeoutExpired)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from hostile.harness import record
from ui_helpers import subscribe

from tui.cli.main import main
from tui.services.rules import hidden_sql, parse_rules
from tui.store.rulematch import nested_repeat, words_key, words_match

ROOT = Path(__file__).resolve().parents[2]


def a_titles(server, n: int = 40, length: int = 25) -> None:
    items = [{"title": "a" * length + "!", "guid": f"a{i}"} for i in range(n)]
    subscribe(server, "/a.xml", "Letters", items)


def newsdesk(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )


def test_nested_quantifier_rule_is_refused_in_one_line_and_headlines_list(server, tmp_path):
    a_titles(server)
    (tmp_path / "config.toml").write_text('[[rules]]\nmatch = "/(a+)+$/"\n')
    started = time.monotonic()
    done = newsdesk("headlines", "--json")
    record("regex (a+)+$ on 40 titles: headlines", seconds=time.monotonic() - started)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 40  # the refused rule hides nothing
    assert "nests a repeat inside a repeat" in done.stderr
    done = newsdesk("rules", "test", "--match", "/(a+)+$/")
    assert done.returncode != 0 and "nests a repeat" in done.stderr


def test_slow_regex_the_check_lets_through_is_cut_off_and_named(server):
    """`(a|aa)+$` nests no repeat but still backtracks; the engine's time bound stops it, the
    pattern is switched off and `rules test` says so (before: about 0.5 s per title and field,
    minutes for the list)."""
    a_titles(server, length=34)
    started = time.monotonic()
    done = newsdesk("rules", "test", "--match", "/(a|aa)+$/", "--json")
    record("regex (a|aa)+$ on 40 titles: rules test", seconds=time.monotonic() - started)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["too_slow"] is True


def test_nested_repeat_check_spares_the_usual_safe_patterns():
    for bad in ("(a+)+$", "(a*)*", r"(\w+\s?)+$", "((a+))*b", "(?:x*)+y"):
        assert nested_repeat(bad), bad
    for ok in (r"\d+(\.\d+)*", "(ab)+", "a+b+", "colou?r", r"^\[sponsored\]", "(x|y)+"):
        assert nested_repeat(ok) is None, ok


def test_a_thousand_word_rules_list_and_hide(server, tmp_path, capsys):
    """Before: 989 word rules and every list failed with "Expression tree is too large"."""
    items = [{"title": f"Story about topic{i}", "guid": f"g{i}"} for i in range(60)]
    subscribe(server, "/t.xml", "Topics", items)
    rules = "".join(f'[[rules]]\nmatch = "topic{i}"\n' for i in range(0, 2000, 2))
    rules += "".join(
        f'[[rules]]\nmatch = "/^never{i}$/"\nsources = ["http://x{i}.test/*"]\n'
        for i in range(1000)
    )
    (tmp_path / "config.toml").write_text(rules)
    capsys.readouterr()
    started = time.monotonic()
    assert main(["headlines", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    record("2000 rules: headlines", seconds=time.monotonic() - started)
    assert sorted(r["title"] for r in shown) == sorted(
        f"Story about topic{i}" for i in range(1, 60, 2)
    )


def test_word_sets_agree_with_the_single_rule_sql(server):
    """The merged set hides exactly what the same rules hide one by one."""
    import sqlite3

    from tui.services.rules import register_sql

    titles = ["Rust in Space", "trust me", "NEW  york times", "new-york", "Kelvin \u212aISS", "x"]
    db = sqlite3.connect(":memory:")
    register_sql(db)
    db.execute(
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, source_id INT, title TEXT, "
        "summary_text TEXT, content_html TEXT, author TEXT, link TEXT)"
    )
    db.executemany("INSERT INTO entries (id, title) VALUES (?, ?)", enumerate(titles, 1))
    words = ["rust", '"new york"', "kiss"] + [f"filler{i}" for i in range(100)]

    def hidden(raw: list[str]) -> set[int]:
        rules, errors = parse_rules([{"match": w, "field": "title"} for w in raw])
        assert not errors
        sql, params = hidden_sql(rules)
        return {r[0] for r in db.execute(f"SELECT id FROM entries e WHERE {sql}", params)}

    one_by_one = set().union(*(hidden([w]) for w in words))
    assert hidden(words) == one_by_one == {1, 3, 5}
    assert words_match(words_key([("new", "york")]), "new\tyork") == 1
