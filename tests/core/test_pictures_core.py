"""Pictures kept with their articles: fetched at prefetch through the guard, capped, decoded
off the loop, stored downscaled, pruned to the budget and with their entry, counted by check."""

from __future__ import annotations

import asyncio
import io
import json
import struct
import time
import zlib

import pytest
from picture_site import CAPTION, photo, photo_site
from server import FeedServer

from tui.cli.main import main
from tui.net.http import make_client
from tui.pictures.decode import PictureError, keep, load_kept
from tui.services.context import Context
from tui.services.pictures import fetch_pictures, picture_urls
from tui.store.pictures import picture_totals, pictures_of, prune_pictures, save_picture


def _refresh(url: str) -> Context:
    assert main(["add", url]) == 0
    assert main(["refresh"]) == 0
    return Context()


def test_prefetch_keeps_each_figure_downscaled_and_check_counts_them(server, capsys):
    ctx = _refresh(photo_site(server, stories=2, photos=2))
    store = ctx.store()
    rows = store.query("SELECT entry_id, url, width, height, size, data, error FROM pictures")
    assert len(rows) == 4
    for row in rows:
        assert row["error"] is None and row["size"] == len(row["data"]) > 0
        img = load_kept(row["data"], (row["width"], row["height"]))
        assert img.size == (640, 400)
    capsys.readouterr()
    assert main(["check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pictures"] == 4 and report["pictures_failed"] == 0
    assert report["pictures_bytes"] == sum(r["size"] for r in rows)


def test_large_pictures_are_kept_small(server):
    server.add("/big.png", photo(3000, 2000, "PNG"), content_type="image/png")
    kept = keep(server.routes["/big.png"].body)
    assert (kept.width, kept.height) == (960, 640)
    assert kept.data[:3] == b"\xff\xd8\xff"  # JPEG


def test_images_off_fetches_no_picture(server, tmp_path):
    (tmp_path / "config.toml").write_text('images = "off"\n')
    ctx = _refresh(photo_site(server, stories=1, photos=2))
    assert not any(p.startswith("/img/") for p in server.paths_requested())
    assert picture_totals(ctx.store()).count == 0
    assert ctx.store().query("SELECT COUNT(*) FROM articles")[0][0] == 1


def test_a_picture_on_a_private_address_is_refused_without_a_request(server):
    with FeedServer() as other:  # 127.0.0.1 on another port: not the source's own host
        other.add("/x.jpg", photo(), content_type="image/jpeg")
        ctx = _refresh(photo_site(server, stories=1, photos=1, host=other.base))
        assert other.requests == []
        [row] = ctx.store().query("SELECT data, error FROM pictures")
        assert row["data"] is None and "private or local address" in row["error"]


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width + 1) * 64, 9)  # 64 rows of a declared 50,000
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_by_its_header():
    with pytest.raises(PictureError, match=r"refused: .*pixels .*newsdesk decodes"):
        keep(_png_header(50000, 50000))


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<html><body>not a picture</body></html>", "not a picture format"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "not a picture format"),
        (photo()[:300], "broken picture"),
    ],
)
def test_what_is_not_a_raster_picture_is_refused_with_a_reason(body, reason):
    with pytest.raises(PictureError, match=reason):
        keep(body)


def _endless_jpeg(handler) -> None:
    """60 MB of 'JPEG' with no Content-Length: cut off by the cap as it arrives."""
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    start = photo()[:2000]
    try:
        handler.wfile.write(start)
        for _ in range(60):
            handler.wfile.write(b"\x00" * 1024 * 1024)
    except (BrokenPipeError, ConnectionResetError):
        pass


@pytest.mark.parametrize("declared", [True, False])
def test_a_60_mb_picture_is_refused_by_the_byte_cap(server, declared):
    from server import Route

    url = photo_site(server, stories=1, photos=1)
    if declared:
        server.routes["/img/0-0.jpg"] = Route(
            body=b"\xff" * (60 * 1024 * 1024), content_type="image/jpeg"
        )
    else:
        server.routes["/img/0-0.jpg"] = Route(handler=_endless_jpeg)
    ctx = _refresh(url)
    [row] = ctx.store().query("SELECT data, error FROM pictures")
    assert row["data"] is None and row["error"].startswith("too large")


def test_budget_pruning_drops_the_oldest_first(tmp_path):
    store = Context().store()
    assert main(["add", "http://example.invalid/feed.xml"]) in (0, 1)
    store.query("SELECT 1")
    with store.transaction() as db:
        db.execute("INSERT OR IGNORE INTO sources (url, added) VALUES ('http://x.invalid/', 0)")
        source = db.execute("SELECT id FROM sources WHERE url = 'http://x.invalid/'").fetchone()[0]
        for i in range(5):
            db.execute(
                "INSERT INTO entries (source_id, key, sort_time, first_seen) VALUES (?,?,?,?)",
                (source, f"k{i}", i, i),
            )
    ids = [
        r[0]
        for r in store.query("SELECT id FROM entries WHERE source_id = ? ORDER BY id", (source,))
    ]
    for n, entry_id in enumerate(ids):
        save_picture(store, entry_id, f"http://x.invalid/{n}.jpg", b"j" * 1000, 10, 10)
        with store.transaction() as db:  # distinct ages, in order
            db.execute("UPDATE pictures SET fetched = ? WHERE entry_id = ?", (1000 + n, entry_id))
    assert prune_pictures(store, 2500) == 3
    left = store.query("SELECT url FROM pictures ORDER BY url")
    assert [r[0] for r in left] == ["http://x.invalid/3.jpg", "http://x.invalid/4.jpg"]
    assert picture_totals(store).size == 2000
    assert prune_pictures(store, 2500) == 0
    # retention: the pictures go with their entry
    with store.transaction() as db:
        db.execute("DELETE FROM entries WHERE id = ?", (ids[3],))
    assert [r[0] for r in store.query("SELECT url FROM pictures")] == ["http://x.invalid/4.jpg"]


def test_refresh_prunes_pictures_to_the_budget(server, tmp_path):
    (tmp_path / "config.toml").write_text("image_cache_mb = 0\n")
    ctx = _refresh(photo_site(server, stories=1, photos=2))
    # a zero budget keeps no picture and fetches none
    assert picture_totals(ctx.store()).count == 0
    assert not any(p.startswith("/img/") for p in server.paths_requested())


def test_a_picture_once_failed_is_not_fetched_again(server):
    url = photo_site(server, stories=1, photos=1)
    server.routes.pop("/img/0-0.jpg")
    ctx = _refresh(url)
    [row] = ctx.store().query("SELECT error FROM pictures")
    assert row["error"] == "HTTP 404 Not Found"
    asked = server.paths_requested().count("/img/0-0.jpg")

    async def again() -> int:
        async with make_client(timeout=5) as client:
            return await fetch_pictures(ctx.store(), client, ctx.config(), 1, server.base)

    assert asyncio.run(again()) == 0
    assert server.paths_requested().count("/img/0-0.jpg") == asked


def test_picture_urls_lead_first_http_only_once():
    from tui.models import Article, Block

    article = Article(
        lead_image="https://a.example/lead.jpg",
        blocks=[
            Block("figure", src="https://a.example/lead.jpg", caption=CAPTION),
            Block("figure", src="javascript:alert(1)"),
            Block("figure", src="https://a.example/2.jpg"),
            Block("paragraph", text="x"),
        ],
    )
    assert picture_urls(article, 10) == ["https://a.example/lead.jpg", "https://a.example/2.jpg"]
    assert picture_urls(article, 1) == ["https://a.example/lead.jpg"]


def test_pictures_of_gives_data_and_reasons(server):
    ctx = _refresh(photo_site(server, stories=1, photos=1))
    pics = pictures_of(ctx.store(), 1)
    [pic] = pics.values()
    assert pic.data and pic.width == 640 and pic.error is None
    assert time.time() - ctx.store().query("SELECT fetched FROM pictures")[0][0] < 60
    assert io.BytesIO(pic.data).read(2) == b"\xff\xd8"


def test_a_bomb_under_pillows_own_limit_is_refused_by_ours():
    with pytest.raises(PictureError, match="8000 x 8000 pixels"):
        keep(_png_header(8000, 8000))  # 64 MP: under Pillow's 89 MP warning, over our 12 MP
