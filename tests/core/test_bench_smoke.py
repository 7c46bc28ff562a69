"""The benchmark must not rot: generator, loopback server and the refresh part, tiny and fast."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from bench.report import format_table  # noqa: E402
from bench.run import main  # noqa: E402


def test_generated_feeds_parse_with_captions_and_credits():
    from tui.feeds import parse_feed

    for feed in (0, 2):  # one RSS 2.0, one Atom
        doc = corpus.feed_document(1, "http://127.0.0.2:1", feed)
        parsed = parse_feed(doc, "http://127.0.0.2:1/feeds/x.xml")
        assert len(parsed.entries) == corpus.item_count(1, feed)
        assert 30 <= len(parsed.entries) <= 50
        media = parsed.entries[0].media[0]
        assert media.caption and media.credit
    page = corpus.page_document(1, "http://127.0.0.2:1", 0, 0)
    assert 35_000 < len(page) < 45_000 and b"<figcaption>" in page
    assert page == corpus.page_document(1, "http://127.0.0.2:1", 0, 0)  # deterministic


def test_refresh_part_runs_and_stores_every_entry(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert (
        main(
            [
                "--only",
                "refresh",
                "--feeds",
                "5",
                "--latency",
                "0",
                "--no-newsboat",
                "--quick",
                "--strict",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    table = capsys.readouterr().out
    for label in ("refresh cold, 5 feeds", "refresh warm, 5 feeds", "peak RSS", "entries stored"):
        assert label in table
    import json

    rows = {r["key"]: r for r in json.loads(out.read_text())["rows"]}
    assert set(rows) >= {
        "refresh.cold",
        "refresh.warm",
        "refresh.cold.memory",
        "refresh.warm.memory",
        "refresh.entries",
    }
    expected = sum(corpus.item_count(1, f) for f in range(5))
    assert rows["refresh.entries"]["data"]["ours"] == expected
    assert rows["refresh.entries"]["data"]["summary_warm"]["not_modified"] == 5
    assert rows["refresh.cold"]["data"]["ours"] > 0
    assert format_table([]).startswith("measure")


def test_pictures_bench_hostile_and_budget_parts(tmp_path):
    """bench/pictures.py's safety rows: every hostile picture refused, in bounded memory,
    with no request to the private address; the budget pruned oldest first."""
    from bench.pictures import budget, hostile

    h = hostile(tmp_path)
    assert h["kept"] == 0 and h["private_requests"] == 0
    assert set(h["reasons"]) == {"bomb.png", "big.jpg", "endless.jpg", "lan.jpg"}
    assert h["peak_after_mb"] - h["peak_before_mb"] <= 50
    b = budget(tmp_path, 12)
    assert b["bytes_after"] <= b["budget"] < b["bytes_before"] and b["oldest_first"]
