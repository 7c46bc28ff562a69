"""Pictures (issue 24): every target row, measured.

    python bench/pictures.py [--quick]

- open a cached article with 5 photos (half-blocks), p95, and cursor moves meanwhile, in the
  reader under Pilot (bench/interact.py's stamps), against the same cache with images off;
- a 50,000 x 50,000 PNG, a 60 MB JPEG (with and without Content-Length) and a picture on a
  private address, fetched as a prefetch would: refused, the peak memory they cost (a fresh
  process: its peak resident size, VmHWM, reset just before, less its size then), and the
  requests the private address got;
- the cache over its picture budget: pruned to it, oldest first, and how long that takes.

Everything is served from loopback by the tests' own server; the photos are drawn. Writes
bench/pictures.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _env(data: Path, config: str) -> None:
    (data / "config.toml").write_text(config)
    os.environ["NEWSDESK_DATA_DIR"] = str(data / "data")
    os.environ["NEWSDESK_CONFIG"] = str(data / "config.toml")


def build_cache(data: Path, stories: int, photos: int) -> float:
    """A prefetched cache of `stories` articles with `photos` photos each; returns seconds."""
    from picture_site import photo_site
    from server import FeedServer

    from tui.cli.main import main

    _env(data, "refresh_on_start = false\n")
    with FeedServer() as srv:
        url = photo_site(srv, stories=stories, photos=photos)
        start = time.perf_counter()
        assert main(["add", url]) == 0
        assert main(["refresh"]) == 0
        return time.perf_counter() - start


def interaction(data: Path, images: str, moves: int, opens: int) -> dict[str, dict[str, float]]:
    """bench/interact.py's cursor and open (the article's text painted), and here the open
    until its pictures are painted too."""
    from bench.interact import measure

    _env(data, f'refresh_on_start = false\nimages = "{images}"\n')
    _all_unread(data)
    out = measure(data / "data", moves=moves, opens=opens)
    if images != "off":
        _all_unread(data)
        out["open_with_pictures"] = _stats(asyncio.run(_opens_with_pictures(data, opens)))
    return out


def _all_unread(data: Path) -> None:
    """Opening marks entries read, and the reader starts on "All unread": unread again."""
    from tui.store import Store

    store = Store(data / "data" / "newsdesk.db")
    store.mark_read_where(read=False)
    store.close()


def _stats(xs: list[float]) -> dict[str, float]:
    from bench.interact import percentile

    return {
        "median_ms": statistics.median(xs) * 1000,
        "p95_ms": percentile(xs, 0.95) * 1000,
        "n": len(xs),
    }


async def _opens_with_pictures(data: Path, opens: int) -> list[float]:
    """Enter to the first frame that shows the article's pictures (every article here has
    five; the first is at its top)."""
    from tui.services.context import Context
    from tui.ui.app import make_app
    from tui.ui.pictures import FigureText

    app = make_app(Context(data_dir=data / "data"), offline=True)
    stamps: list[float] = []
    took: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        display = app._display

        def stamped(screen, renderable) -> None:
            body = app.reader.article.body
            if renderable is not None and any(
                isinstance(b, FigureText) and b.picture_shown for b in body._blocks
            ):
                stamps.append(time.perf_counter())
            display(screen, renderable)

        app._display = stamped
        headlines = app.reader.headlines
        while not (headlines.count and headlines.selected_id is not None):
            await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(opens):
            target = headlines.selected_id
            stamps.clear()
            start = time.perf_counter()
            await pilot.press("enter")
            while not stamps or app.reader.article.entry_id != target:
                await pilot.pause()
            took.append(stamps[0] - start)
            headlines.focus()
            await pilot.press("down")
            await app.workers.wait_for_complete()
            await pilot.pause()
    return took


CHILD = r"""
import asyncio, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from pathlib import Path
from tui.models import Article, Block
from tui.net.http import make_client
from tui.services.pictures import fetch_pictures
from tui.settings.config import Config
from tui.store import Store
from tui.store.pictures import pictures_of

base, urls = sys.argv[3], json.loads(sys.argv[4])
store = Store(Path(sys.argv[2]))
store.add_source(base + "/feed.xml")
sid = store.source(base + "/feed.xml").id
with store.transaction() as db:
    for key in ("warm", "hostile"):
        db.execute("INSERT INTO entries (source_id, key, sort_time, first_seen) VALUES (?,?,0,0)", (sid, key))
warm, hostile = [r[0] for r in store.query("SELECT id FROM entries ORDER BY id")]
store.save_article(warm, Article(blocks=[Block("figure", src=base + "/ok.jpg")]))
store.save_article(hostile, Article(blocks=[Block("figure", src=u) for u in urls]))

async def go(entry):
    async with make_client(timeout=10) as client:
        return await fetch_pictures(store, client, Config(), entry, base + "/feed.xml")

def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024

asyncio.run(go(warm))  # Pillow, httpx and the store warmed up on a real photo
open("/proc/self/clear_refs", "w").write("5")  # the peak (VmHWM) starts again from now
before = status("VmRSS")
kept = asyncio.run(go(hostile))
after = status("VmHWM")
reasons = {u.rsplit("/", 1)[-1]: p.error for u, p in pictures_of(store, hostile).items()}
print(json.dumps({"kept": kept, "reasons": reasons, "peak_before_mb": before, "peak_after_mb": after}))
"""


def _png_header(w: int, h: int) -> bytes:
    """A PNG that declares w x h pixels (and holds 64 rows of them)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * (w + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _endless(handler) -> None:
    """60 MB of 'JPEG' and no Content-Length."""
    from picture_site import photo

    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    try:
        handler.wfile.write(photo()[:2000])
        for _ in range(60):
            handler.wfile.write(b"\0" * 1048576)
    except OSError:
        pass


def _raw(body: bytes):
    """Served as is, Content-Length and all (the tests' server would gzip it)."""

    def send(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except OSError:
            pass

    return send


def hostile(tmp: Path) -> dict[str, object]:
    """The servers here; the fetching in a fresh process, so its peak memory is its own."""
    from picture_site import photo
    from server import FeedServer, Route

    with FeedServer() as srv, FeedServer() as private:
        srv.add("/ok.jpg", photo(), content_type="image/jpeg")
        srv.add("/bomb.png", _png_header(50000, 50000), content_type="image/png")
        srv.routes["/big.jpg"] = Route(handler=_raw(photo()[:2000] + b"\0" * (60 * 1048576)))
        srv.routes["/endless.jpg"] = Route(handler=_endless)
        private.add("/lan.jpg", photo(), content_type="image/jpeg")
        urls = [srv.url(p) for p in ("/bomb.png", "/big.jpg", "/endless.jpg")]
        urls.append(private.url("/lan.jpg"))
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(ROOT),
                str(tmp / "hostile.db"),
                srv.base,
                json.dumps(urls),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        out = json.loads(done.stdout.strip().splitlines()[-1])
        out["private_requests"] = len(private.requests)
        return out


def budget(tmp: Path, pictures: int) -> dict[str, float]:
    """`pictures` kept pictures of ~30 KB, a budget a third of their size: pruned how far,
    whether the oldest went first, and how long it took."""
    from picture_site import photo

    from tui.pictures.decode import keep
    from tui.store import Store
    from tui.store.pictures import picture_totals, prune_pictures, save_picture

    store = Store(tmp / "budget.db")
    store.add_source("http://x.invalid/feed.xml")
    with store.transaction() as db:
        for i in range(pictures):
            db.execute(
                "INSERT INTO entries (source_id, key, sort_time, first_seen) VALUES (1,?,?,?)",
                (f"k{i}", i, i),
            )
    kept = [keep(photo(seed=i)) for i in range(8)]
    for i in range(pictures):
        k = kept[i % len(kept)]
        save_picture(store, i + 1, f"http://x.invalid/{i}.jpg", k.data, k.width, k.height)
        with store.transaction() as db:
            db.execute("UPDATE pictures SET fetched = ? WHERE entry_id = ?", (1000 + i, i + 1))
    total = picture_totals(store).size
    limit = total // 3
    start = time.perf_counter()
    pruned = prune_pictures(store, limit)
    seconds = time.perf_counter() - start
    left = [r[0] for r in store.query("SELECT entry_id FROM pictures ORDER BY entry_id")]
    oldest_first = left == list(range(pictures - len(left) + 1, pictures + 1))
    return {
        "pictures": pictures,
        "bytes_before": total,
        "budget": limit,
        "bytes_after": picture_totals(store).size,
        "pruned": pruned,
        "oldest_first": oldest_first,
        "ms": seconds * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    a = parser.parse_args()
    moves, opens, stories = (30, 8, 10) if a.quick else (200, 30, 40)
    results: dict[str, object] = {"load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="nd-pictures-") as name:
        tmp = Path(name)
        results["prefetch_s"] = build_cache(tmp, stories, 5)
        results["halfblock"] = interaction(tmp, "halfblock", moves, opens)
        results["off"] = interaction(tmp, "off", moves, opens)
        results["hostile"] = hostile(tmp)
        results["budget"] = budget(tmp, 300 if not a.quick else 60)
    (HERE / "pictures.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))


def report(r: dict) -> str:
    hb, off, h, b = r["halfblock"], r["off"], r["hostile"], r["budget"]
    peak = h["peak_after_mb"] - h["peak_before_mb"]
    rows = [
        (
            "open a cached 5-photo article, p95 (halfblock): its text painted",
            f"{hb['open']['p95_ms']:.0f} ms",
            f"images off: {off['open']['p95_ms']:.0f} ms",
            "≤ 100 ms",
        ),
        (
            "the same, until its pictures are painted",
            f"{hb['open_with_pictures']['p95_ms']:.0f} ms",
            f"median {hb['open_with_pictures']['median_ms']:.0f} ms",
            "≤ 100 ms",
        ),
        (
            "cursor move, p95 (halfblock)",
            f"{hb['cursor']['p95_ms']:.1f} ms",
            f"images off: {off['cursor']['p95_ms']:.1f} ms",
            "≤ 33 ms",
        ),
        (
            "50,000² PNG, 60 MB JPEG (±Content-Length), private address",
            f"{h['kept']} kept",
            "; ".join(f"{k}: {v}" for k, v in h["reasons"].items()),
            "all refused",
        ),
        (
            "peak memory for those",
            f"+{peak:.1f} MB",
            f"{h['peak_before_mb']:.0f} MB before",
            "≤ 50 MB",
        ),
        ("requests to the private address", str(h["private_requests"]), "", "0"),
        (
            "budget pruning",
            f"{b['bytes_after']} ≤ {b['budget']} B",
            f"{b['pruned']} of {b['pictures']} pruned in {b['ms']:.1f} ms, oldest first: "
            f"{b['oldest_first']}",
            "to the budget, oldest first",
        ),
    ]
    lines = ["| measure | result | detail | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows]
    load = ", ".join(f"{x:.1f}" for x in r["load_average"])
    return "\n".join(lines) + f"\n\n(load average at the start: {load}; 2 cores)"


if __name__ == "__main__":
    main()
