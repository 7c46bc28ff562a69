"""newsdesk's benchmark: one command, a table of measures against their targets.

    python bench/run.py [--quick] [--only refresh,paint,interact,prefetch,search,scale,busy,tree]

Starts its own loopback server (see bench/httpd.py), compares with newsboat where installed
and with a minimal Textual app, prints the table and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import paint  # noqa: E402
from bench.report import Row, format_table, na, ratio_row, write_json  # noqa: E402

PARTS = ("refresh", "paint", "interact", "prefetch", "search", "scale", "busy", "tree")
HERE = Path(__file__).resolve().parent


def part_refresh(a) -> list[Row]:
    from bench.h2d import hypercorn_available
    from bench.refresh_bench import bench_refresh, newsboat_available

    rows: list[Row] = []
    for layout in a.layouts:
        if layout == "h2" and not hypercorn_available():
            rows.append(na("refresh.h2", "refresh, one HTTP/2 host", "pip install '.[bench]'"))
            continue
        rows += bench_refresh(
            a.feeds,
            a.latency,
            a.repeat,
            newsboat=a.newsboat and newsboat_available(),
            seed=a.seed,
            layout=layout,
        )[0]
    return rows


def reader_available() -> str | None:
    """None when the reader can be imported, else why not."""
    try:
        import tui.ui.app  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"reader not available: {type(exc).__name__}"
    return None


def big_cache(tmp: Path, a) -> Path:
    from bench.cache_fill import fill_newsdesk

    path = tmp / "big"
    if not path.exists():
        fill_newsdesk(path, a.sources, a.per_source, seed=a.seed)
    return path


def part_paint(a, tmp: Path) -> list[Row]:
    from bench.cache_fill import NEWSBOAT_MARKER, PAINT_MARKER, fill_newsboat
    from bench.minimal_app import MARKER

    size = f"{a.sources * a.per_source:,} entries"
    why = reader_available() or (None if paint.tmux_available() else "tmux not installed")
    if why:
        return [
            na("paint.first", f"first paint, {size}", why, "≤ 1.3× minimal app"),
            na("paint.memory", f"reader peak memory, {size}", why, "≤ 2× minimal app"),
        ]
    data = big_cache(tmp, a)
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    minimal = paint.repeat_paint(paint.minimal_cmd(), MARKER, a.paint_runs, env=env)
    ours = paint.repeat_paint(paint.newsdesk_cmd(data), PAINT_MARKER, a.paint_runs, env=env)
    rows = []
    ours_s, ref_s = paint.median_of(ours, "seconds"), paint.median_of(minimal, "seconds")
    if ours_s is None:
        rows.append(
            na(
                "paint.first",
                f"first paint, {size}",
                "headline never painted",
                "≤ 1.3× minimal app",
            )
        )
    else:
        rows.append(
            ratio_row(
                "paint.first",
                f"first paint, {size}",
                ours_s,
                ref_s,
                "minimal app",
                1.3,
                runs=[p.seconds for p in ours],
                reference_runs=[p.seconds for p in minimal],
            )
        )
    ours_mb, ref_mb = paint.median_of(ours, "peak_mb"), paint.median_of(minimal, "peak_mb")
    if ours_mb is not None:
        rows.append(
            ratio_row(
                "paint.memory",
                f"reader peak memory, {size}",
                ours_mb,
                ref_mb,
                "minimal app",
                2.0,
                unit="MB",
            )
        )
    if a.newsboat and shutil.which("newsboat"):
        home = tmp / "newsboat-big"
        if not home.exists():
            fill_newsboat(home, a.sources, a.per_source, seed=a.seed)
        nb = paint.time_to_paint(
            paint.newsboat_cmd(home), NEWSBOAT_MARKER, timeout=300, env={**env, "HOME": str(home)}
        )
        (home / "cache.db.lock").unlink(missing_ok=True)
        value = f"{nb.seconds:.2f} s" if nb.seconds else "n/a (did not paint in 300 s)"
        rows.append(
            Row(
                "paint.newsboat",
                f"newsboat first paint, {size}",
                value,
                f"newsdesk {ours_s:.2f} s" if ours_s else "",
                data={"seconds": nb.seconds, "peak_mb": nb.peak_mb},
            )
        )
    paint.stop_tmux()
    return rows


def part_interact(a, tmp: Path) -> list[Row]:
    from bench.cache_fill import fill_newsdesk

    why = reader_available()
    if why:
        return [
            na("interact.open", "open cached article", why, "≤ 50 ms"),
            na("interact.cursor", "cursor one row, 10,000 rows", why, "p95 ≤ 16 ms"),
            na("interact.river", "river: cursor one entry, 10,000 rows", why, "p95 ≤ 16 ms"),
        ]
    from bench.interact import measure

    data = tmp / "ten-thousand"
    fill_newsdesk(data, 250, 40, seed=a.seed, articles=a.opens + 5)
    m = measure(data, moves=a.moves, opens=a.opens)
    o, c = m["open"], m["cursor"]
    r = measure(data, moves=a.moves, opens=0, river=True)["cursor"]
    return [
        Row(
            "interact.open",
            "open cached article (median / p95)",
            f"{o['median_ms']:.0f} / {o['p95_ms']:.0f} ms",
            target="p95 ≤ 50 ms",
            passed=o["p95_ms"] <= 50,
            data=o,
        ),
        Row(
            "interact.cursor",
            "cursor one row, 10,000 rows (median / p95)",
            f"{c['median_ms']:.1f} / {c['p95_ms']:.1f} ms",
            target="p95 ≤ 16 ms",
            passed=c["p95_ms"] <= 16,
            data=c,
        ),
        Row(
            "interact.river",
            "river: cursor one entry, 10,000 rows (median / p95)",
            f"{r['median_ms']:.1f} / {r['p95_ms']:.1f} ms",
            target="p95 ≤ 16 ms",
            passed=r["p95_ms"] <= 16,
            data=r,
        ),
    ]


def part_prefetch(a) -> list[Row]:
    from bench.prefetch_bench import bench_prefetch

    results = bench_prefetch(a.pages, a.latency, seed=a.seed)
    best = max(results, key=lambda r: r["pages_per_s"])
    names = {"1": "1 worker process", "2": "2 worker processes", "thread": "in-process thread"}
    rows = [
        Row(
            f"prefetch.{r['variant']}",
            f"prefetch {r['pages']} pages: {names[r['variant']]}",
            f"{r['pages_per_s']:.1f} pages/s",
            f"cores busy {r['cores_busy']:.2f}" + (" (both)" if r["cores_busy"] >= 1 else ""),
            "≥ 45 pages/s",
            r["pages_per_s"] >= 45,
            r,
        )
        for r in results
    ]
    rows.append(
        Row(
            "prefetch.best",
            "prefetch: fastest here",
            names[best["variant"]],
            data={"variant": best["variant"]},
        )
    )
    return rows


def part_search(a, tmp: Path) -> list[Row]:
    try:
        from tui.store.search import search
    except ImportError:
        return [na("search", "search 50,000 entries", "tui.store.search does not exist yet")]
    from tui.store import Store

    store = Store(big_cache(tmp, a) / "newsdesk.db")
    times = []
    for query in ("harbour", "council votes", "flood def", "zebra marker", "bridge"):
        for _ in range(3):
            start = time.perf_counter()
            search(store, query)
            times.append(time.perf_counter() - start)
    store.close()
    med = statistics.median(times)
    return [
        Row(
            "search",
            f"search {a.sources * a.per_source:,} entries (median, 5 queries)",
            f"{med * 1000:.1f} ms",
            f"max {max(times) * 1000:.1f} ms",
            data={"median_s": med, "max_s": max(times)},
        )
    ]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="one run each, fewer pages and keys")
    p.add_argument("--only", default=",".join(PARTS), help=f"comma-separated: {','.join(PARTS)}")
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--latency", type=float, default=0.05, help="seconds per request (0.05)")
    p.add_argument(
        "--layouts",
        default="hosts,one-host,h2",
        help="refresh: feeds each on its own host, all on one HTTP/1.1 host, one HTTP/2 host",
    )
    p.add_argument("--no-newsboat", dest="newsboat", action="store_false")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sources", type=int, default=1250)
    p.add_argument("--per-source", type=int, default=40)
    p.add_argument("--pages", type=int, default=None, help="prefetch pages (1000; quick 200)")
    p.add_argument("--strict", action="store_true", help="stop at the first failing part")
    p.add_argument(
        "--sizes",
        default=None,
        help="scale: entries per cache (10000,100000,1000000; quick: 1M off)",
    )
    p.add_argument("--pool-idle", type=float, default=20.0, help="tree: workers' idle timeout")
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    a = p.parse_args(argv)
    a.only = [x.strip() for x in a.only.split(",") if x.strip()]
    a.layouts = [x.strip() for x in a.layouts.split(",") if x.strip()]
    unknown = set(a.only) - set(PARTS)
    if unknown:
        p.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    a.repeat = 1 if a.quick else 3
    a.paint_runs = 2 if a.quick else 5
    a.moves, a.opens = (60, 10) if a.quick else (300, 40)
    a.pages = a.pages or (200 if a.quick else 1000)
    default_sizes = "10000,100000" if a.quick else "10000,100000,1000000"
    a.sizes = [int(x) for x in (a.sizes or default_sizes).split(",") if x.strip()]
    a.scale_table = ""
    return a


def run(a: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as name:
        tmp = Path(name)
        for part in a.only:
            print(f"… {part}", file=sys.stderr, flush=True)
            try:
                rows += _part(part, a, tmp)
            except Exception as exc:  # noqa: BLE001 - one broken part must not lose the others
                if a.strict:
                    raise
                rows.append(na(part, part, f"failed: {type(exc).__name__}: {exc}"[:200]))
    return rows


def _part(part: str, a: argparse.Namespace, tmp: Path) -> list[Row]:
    if part == "refresh":
        return part_refresh(a)
    if part == "prefetch":
        return part_prefetch(a)
    from bench.load_parts import part_busy, part_scale, part_tree

    parts = {
        "paint": part_paint,
        "interact": part_interact,
        "search": part_search,
        "scale": part_scale,
        "busy": part_busy,
        "tree": part_tree,
    }
    return parts[part](a, tmp)


def _compile_sources() -> None:
    """Byte-compile newsdesk first: an installed copy starts from .pyc files, and timing an
    editable checkout (or PYTHONDONTWRITEBYTECODE=1) would charge every start for compiling."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "tui"), quiet=1)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    _compile_sources()
    rows = run(a)
    print(format_table(rows))
    if a.scale_table:
        print("\n" + a.scale_table)
    command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()}
    write_json(rows, a.json, command.strip(), settings)
    print(f"\nwrote {a.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
