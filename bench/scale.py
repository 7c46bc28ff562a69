"""Part "scale": the same measures at 10,000, 100,000 and 1,000,000 entries, to show which
costs grow with the cache. Caches are filled straight into SQLite (bench/cache_fill.py), 2% of
entries with a full article (1M: 20,000 articles, ~3.1 GB, ~2 minutes to fill here).

paint / memory: first paint and peak RSS of the reader in tmux (median of `runs`), against the
minimal Textual app. search: p95 over 20 queries of a common word and of a rare word. open:
p95 over 20 cached articles read from the store (entry, article, decoded). sources: p95 over
20 reads of the sources with their counts. refresh: 200 loopback feeds added to the big cache,
`newsdesk refresh --no-articles` cold then warm (retention on; keep_days long enough that it
deletes nothing of the filled cache, so every size stays its size).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench import paint
from bench.interact import percentile

COMMON = ["the", "harbour", "vote", "bridge", "council", "after", "in", "plan", "rules", "as"]
RARE = ["zebra", "benchmark", "marker", "paint", "headline"]


def fill(tmp: Path, size: int, seed: int) -> tuple[Path, float]:
    from bench.cache_fill import fill_newsdesk

    data = tmp / f"scale-{size}"
    start = time.perf_counter()
    if not (data / "newsdesk.db").exists():
        fill_newsdesk(data, 1250, size // 1250, seed=seed, articles=size // 50)
    return data, time.perf_counter() - start


def p95_ms(fn, args: list) -> float:
    times = []
    for arg in args:
        start = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - start)
    return percentile(times, 0.95) * 1000


def store_measures(data: Path) -> dict[str, float]:
    from tui.store import Store
    from tui.store.search import search

    store = Store(data / "newsdesk.db")
    try:
        ids = [r[0] for r in store.query("SELECT entry_id FROM articles LIMIT 20")]
        search(store, "warm")  # the first query opens the FTS index
        return {
            "search_common_ms": p95_ms(lambda q: search(store, q), (COMMON * 2)[:20]),
            "search_rare_ms": p95_ms(lambda q: search(store, q), (RARE * 4)[:20]),
            "open_ms": p95_ms(lambda i: (store.entry(i), store.article(i)), ids),
            "sources_ms": p95_ms(lambda _: store.sources(), list(range(20))),
        }
    finally:
        store.close()


def paint_measures(data: Path, minimal: list, runs: int) -> dict[str, float | None]:
    from bench.cache_fill import PAINT_MARKER

    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    ours = paint.repeat_paint(paint.newsdesk_cmd(data), PAINT_MARKER, runs, env=env)
    s, ref_s = paint.median_of(ours, "seconds"), paint.median_of(minimal, "seconds")
    mb, ref_mb = paint.median_of(ours, "peak_mb"), paint.median_of(minimal, "peak_mb")
    return {
        "paint_s": s,
        "paint_ratio": s / ref_s if s and ref_s else None,
        "memory_mb": mb,
        "memory_ratio": mb / ref_mb if mb and ref_mb else None,
    }


def refresh_measures(data: Path, srv, feeds: int) -> dict[str, float]:
    import sqlite3

    from bench.procs import run_measured
    from bench.refresh_bench import NEWSDESK, newsdesk_env, subscribe_all

    urls = [srv.feed_url(i) for i in range(feeds)]
    subscribe_all(data, urls)
    with sqlite3.connect(data / "newsdesk.db") as db:  # the filled sources' hosts do not exist:
        db.execute(  # "retry after" far ahead makes a refresh skip them without a DNS lookup
            "UPDATE sources SET retry_after = 4e9, last_fetched = ? WHERE url LIKE 'https://bench%'",
            (time.time(),),
        )
    (data / "config.toml").write_text("keep_days = 36500\nkeep_per_source = 100000\n")
    env = {**newsdesk_env(data), "NEWSDESK_CONFIG": str(data / "config.toml")}
    cmd = NEWSDESK + ["refresh", "--json", "--no-articles"]
    cold, warm = run_measured(cmd, env=env), run_measured(cmd, env=env)
    for m in (cold, warm):
        if m.returncode:
            raise RuntimeError(f"refresh failed: {m.stderr[-500:]}")
    return {"refresh_cold_s": cold.seconds, "refresh_warm_s": warm.seconds}


def bench_scale(tmp: Path, sizes: list[int], runs: int, seed: int, latency: float) -> dict:
    from bench.httpd import LoopbackServer
    from bench.minimal_app import MARKER

    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    minimal = paint.repeat_paint(paint.minimal_cmd(), MARKER, runs, env=env)
    out: dict[int, dict] = {}
    with LoopbackServer(feeds=200, latency=latency, seed=seed) as srv:
        srv.warm([srv.feed_url(i) for i in range(200)])
        for size in sizes:
            data, filled = fill(tmp, size, seed)
            row: dict = {"fill_s": filled}
            row.update(paint_measures(data, minimal, runs))
            row.update(store_measures(data))
            row.update(refresh_measures(data, srv, 200))
            out[size] = row
    paint.stop_tmux()
    return {"sizes": out, "minimal_paint_s": paint.median_of(minimal, "seconds")}


def format_scale(result: dict) -> str:
    sizes = result["sizes"]
    fields = [
        ("first paint", lambda r: _f(r["paint_s"], "s") + _x(r["paint_ratio"])),
        ("reader peak memory", lambda r: _f(r["memory_mb"], "MB") + _x(r["memory_ratio"])),
        ("search p95, common word", lambda r: _f(r["search_common_ms"], "ms")),
        ("search p95, rare word", lambda r: _f(r["search_rare_ms"], "ms")),
        ("open cached article p95 (store)", lambda r: _f(r["open_ms"], "ms")),
        ("sources with counts p95", lambda r: _f(r["sources_ms"], "ms")),
        (
            "refresh 200 feeds cold / warm",
            lambda r: f"{r['refresh_cold_s']:.2f} / {r['refresh_warm_s']:.2f} s",
        ),
        ("fill (not timed elsewhere)", lambda r: _f(r["fill_s"], "s")),
    ]
    head = ["measure"] + [f"{n:,} entries" for n in sizes]
    rows = [head] + [[name] + [get(sizes[n]) for n in sizes] for name, get in fields]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _f(x: float | None, unit: str) -> str:
    if x is None:
        return "n/a"
    return {"s": f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s", "MB": f"{x:.0f} MB"}.get(
        unit, f"{x:.1f} ms"
    )


def _x(ratio: float | None) -> str:
    return f" ({ratio:.2f}×)" if ratio else ""


def median(xs: list[float]) -> float:
    return statistics.median(xs)
