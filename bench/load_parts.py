"""bench/run.py's parts for a big cache and a busy reader: the scale table (10k / 100k / 1M
entries), cursor and open latency during a refresh, and the reader's whole process tree."""

from __future__ import annotations

from pathlib import Path

from bench import paint
from bench.report import Row, na


def reader_available() -> str | None:
    from bench.run import reader_available as available

    return available()


def part_scale(a, tmp: Path) -> list[Row]:
    """The table at 10k / 100k / 1M entries (printed on its own), and the 1M targets."""
    from bench.scale import bench_scale, format_scale

    why = reader_available() or (None if paint.tmux_available() else "tmux not installed")
    if why:
        return [na("scale", "scale table", why)]
    result = bench_scale(tmp, a.sizes, a.paint_runs, a.seed, a.latency)
    a.scale_table = format_scale(result)
    big = max(result["sizes"])
    r = result["sizes"][big]
    n = f"{big:,} entries"

    def row(key, label, value, limit, unit="ms", ratio=False):
        shown = "n/a" if value is None else (f"{value:.2f}×" if ratio else f"{value:.1f} {unit}")
        target = f"≤ {limit:g}×" + " minimal app" if ratio else f"≤ {limit:g} {unit}"
        ok = None if value is None else value <= limit
        return Row(key, label, shown, target=target, passed=ok, data={"value": value})

    return [
        row("scale.paint", f"first paint, {n}, vs minimal app", r["paint_ratio"], 1.25, ratio=True),
        row("scale.memory", f"reader peak memory, {n}", r["memory_ratio"], 1.5, ratio=True),
        row("scale.search.common", f"search p95, {n}, common word", r["search_common_ms"], 50),
        row("scale.search.rare", f"search p95, {n}, rare word", r["search_rare_ms"], 20),
        row("scale.sources", f"sources with counts p95, {n}", r["sources_ms"], 20),
        Row("scale.all", "scale table (below)", f"{len(result['sizes'])} sizes", data=result),
    ]


def part_busy(a, tmp: Path) -> list[Row]:
    from bench.busy import measure, prepare
    from bench.httpd import LoopbackServer

    why = reader_available()
    if why:
        return [na("busy", "cursor / open during refresh", why)]
    with LoopbackServer(feeds=a.feeds, latency=a.latency, seed=a.seed) as srv:
        urls = [srv.feed_url(i) for i in range(a.feeds)]
        srv.warm(urls)
        prepare(tmp / "busy", urls, cached=300, seed=a.seed)
        m = measure(tmp / "busy", pages=a.pages)
    c, o = m["cursor"], m["open"]
    during = f"during refresh of {a.feeds} feeds + prefetch of {m['pages']} pages"
    return [
        Row(
            "busy.cursor",
            f"cursor one row {during} (p50 / p95)",
            f"{c['p50_ms']:.1f} / {c['p95_ms']:.1f} ms",
            f"n = {c['n']}",
            "p95 ≤ 33 ms",
            c["p95_ms"] <= 33,
            c,
        ),
        Row(
            "busy.open",
            f"open cached article {during} (p50 / p95)",
            f"{o['p50_ms']:.0f} / {o['p95_ms']:.0f} ms",
            f"n = {o['n']}",
            "p95 ≤ 100 ms",
            o["p95_ms"] <= 100,
            o,
        ),
    ]


def part_tree(a, tmp: Path) -> list[Row]:
    from bench.httpd import LoopbackServer
    from bench.tree import measure

    why = reader_available() or (None if paint.tmux_available() else "tmux not installed")
    if why:
        return [na("tree", "reader process tree", why)]
    with LoopbackServer(feeds=a.feeds, latency=a.latency, seed=a.seed) as srv:
        urls = [srv.feed_url(i) for i in range(a.feeds)]
        srv.warm(urls)
        m = measure(tmp / "tree", urls, idle=a.pool_idle)
    paint.stop_tmux()
    peak, idle = m["peak"], m["idle"]
    return [
        Row(
            "tree.peak",
            f"reader's whole process tree, refreshing (+{m['articles']} pages)",
            f"{peak['rss_mb']:.0f} MB RSS, {peak['processes']} processes",
            f"PSS {peak['pss_mb']:.0f} MB",
            data=peak,
        ),
        Row(
            "tree.idle",
            f"reader's whole process tree, idle {a.pool_idle:g} s after",
            f"{idle['rss_mb']:.0f} MB RSS, {idle['processes']} process(es)",
            f"PSS {idle['pss_mb']:.0f} MB",
            "≤ 100 MB",
            idle["rss_mb"] <= 100 and bool(m.get("alive")),
            {**idle, "alive": m.get("alive")},
        ),
    ]
