"""Pictures of kept articles: fetched at prefetch (the article's figures and lead photo, not
every image of the page), downscaled and kept in the cache for --offline, and rendered for
the reader.

Fetching goes through the same guard as pages (no private or local address unless it is the
source's own host, on every redirect hop) and the same per-host gates as the prefetch it is
part of; the bytes are capped by `max_image_bytes` as they arrive, and decoding (Pillow, with
pixel caps) runs in a background thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.models import Article
from tui.pictures import fit
from tui.pictures.decode import PictureError
from tui.services.background import to_background
from tui.settings.config import Config
from tui.store import Store
from tui.store.pictures import (
    PictureTotals,
    StoredPicture,
    known_urls,
    lead_pictures,
    picture_totals,
    pictures_of,
    prune_pictures,
    save_picture,
)
from tui.textclean import clean_line, safe_url

if TYPE_CHECKING:
    import httpx
    from PIL.Image import Image

    from tui.pictures.halfblock import Cell
    from tui.pictures.terminal import Choice

__all__ = [
    "PictureTotals",
    "StoredPicture",
    "detect_terminal",
    "fetch_pictures",
    "halfblock_cells",
    "kitty_cells",
    "lead_pictures_of",
    "picture_urls",
    "pictures_for",
    "prepare",
    "prune_to_budget",
    "totals",
]

IMAGE_ACCEPT = "image/avif;q=0.5, image/webp, image/jpeg, image/png, image/gif;q=0.8, */*;q=0.1"
Gate = Callable[[str], AbstractAsyncContextManager[object]]


def picture_urls(article: Article, limit: int) -> list[str]:
    """The lead photo, then each figure's picture, http(s) only, each once, at most `limit`."""
    found = [article.lead_image] + [b.src for b in article.blocks if b.type == "figure"]
    urls = [u for u in (safe_url(x) for x in found if x) if u]
    return list(dict.fromkeys(urls))[:limit]


async def fetch_pictures(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    entry_id: int,
    source_url: str | None,
    gate: Gate | None = None,
) -> int:
    """Fetch and keep the pictures of the entry's stored article; returns how many were kept.
    A picture that cannot be had keeps its one-line reason (and is not tried again)."""
    if config.images == "off" or config.image_cache_mb <= 0:
        return 0
    stored = await to_background(store.article, entry_id)
    if stored is None or stored[0] is None:
        return 0
    urls = picture_urls(stored[0], config.images_per_article)
    known = await to_background(known_urls, store, entry_id)
    todo = [u for u in urls if u not in known]
    results = await asyncio.gather(
        *(_one(store, client, config, entry_id, u, source_url, gate) for u in todo)
    )
    return sum(results)


async def _one(
    store: Store,
    client: httpx.AsyncClient,
    config: Config,
    entry_id: int,
    url: str,
    source_url: str | None,
    gate: Gate | None,
) -> bool:
    from tui.net.guard import PrivateAddressGuard
    from tui.net.http import FetchError, fetch
    from tui.pictures.decode import keep

    try:
        async with gate(url) if gate is not None else _no_gate():
            resp = await fetch(
                client,
                url,
                max_bytes=config.max_image_bytes,
                deadline=config.deadline,
                accept=IMAGE_ACCEPT,
                guard=PrivateAddressGuard(source_url),
            )
        if resp.status != 200 or not resp.content:
            raise FetchError(f"HTTP {resp.status}")
        kept = await to_background(keep, resp.content)
    except (FetchError, PictureError) as exc:
        reason = clean_line(str(exc), 200) or "picture unavailable"
        await to_background(save_picture, store, entry_id, url, None, error=reason)
        return False
    await to_background(save_picture, store, entry_id, url, kept.data, kept.width, kept.height)
    return True


class _no_gate:  # noqa: N801 - used like a function
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> bool:
        return False


def detect_terminal(setting: str) -> Choice:
    """What the terminal on stdin/stdout draws pictures with (tui.pictures.terminal)."""
    from tui.pictures.terminal import detect

    return detect(setting)


def prune_to_budget(store: Store, config: Config) -> int:
    """Blocking: drop the oldest pictures until the kept ones fit `image_cache_mb`."""
    return prune_pictures(store, config.image_cache_mb * 1024 * 1024)


def totals(store: Store) -> PictureTotals:
    """Blocking: what `check` reports."""
    return picture_totals(store)


def pictures_for(store: Store, entry_id: int) -> dict[str, StoredPicture]:
    """Blocking: the entry's kept pictures (and failures) by URL."""
    return pictures_of(store, entry_id)


def lead_pictures_of(store: Store, entry_ids: list[int]) -> dict[int, StoredPicture]:
    """Blocking: each entry's lead picture, for the river."""
    return lead_pictures(store, entry_ids)


@dataclass(frozen=True)
class Prepared:
    """A kept picture decoded for the reader (in a worker): a small RGB copy for half-blocks,
    the PNG for Kitty graphics or the full copy for Sixel when that is the protocol, and the
    kept size for the aspect."""

    image: Image
    width: int
    height: int
    png: bytes | None = None
    full: Image | None = None


# Pixels kept decoded for half-blocks: a 256-column pane at full width, a picture 96 pixels
# (48 rows) tall. A kept JPEG decodes at a reduced scale to about this (DCT scaling): fast.
HALFBLOCK_BOX = (256, 192)


def prepare(picture: StoredPicture, mode: str = "halfblock") -> Prepared | str:
    """Blocking (decoding): the picture ready to render in `mode`, or the one-line reason it
    is not."""
    from tui.pictures.decode import load_kept
    from tui.pictures.kitty import png

    if picture.data is None:
        return picture.error or "picture unavailable"
    try:
        small = load_kept(picture.data, HALFBLOCK_BOX)
        full = None
        if mode in ("kitty", "sixel"):
            full = load_kept(picture.data, (picture.width, picture.height))
    except PictureError as exc:
        return str(exc)
    if mode == "kitty" and full is not None:
        return Prepared(small, picture.width, picture.height, png=png(full))
    return Prepared(small, picture.width, picture.height, full=full)


def halfblock_cells(picture: Prepared, max_cols: int, max_rows: int) -> list[list[Cell]]:
    """The picture fitted to max_cols x max_rows cells (aspect kept), as half-block cells.
    Cheap enough for the UI thread: it resizes the small copy `prepare` made."""
    from tui.pictures import halfblock

    cols, rows = fit.cells(picture.width, picture.height, max_cols, max_rows)
    return halfblock.cells(picture.image, cols, rows) if cols else []


def kitty_cells(picture: Prepared, max_cols: int, max_rows: int) -> tuple[int, int]:
    """The cells a Kitty placement of the picture takes (the same fit as half-blocks)."""
    return fit.cells(picture.width, picture.height, max_cols, max_rows)


def prepared_pictures(
    store: Store, entry_id: int, mode: str = "halfblock"
) -> dict[str, Prepared | str]:
    """Blocking (SQLite, decoding): the entry's kept pictures ready to render in `mode`, and
    the reason for each that is not, by URL. What the reader's article worker calls."""
    return {url: prepare(pic, mode) for url, pic in pictures_of(store, entry_id).items()}


def lead_thumbnails(
    store: Store, entry_ids: list[int], max_cols: int, max_rows: int
) -> dict[int, list[list[Cell]]]:
    """Blocking (SQLite, decoding): each entry's lead photo as half-block cells of at most
    max_cols x max_rows, for the river. A JPEG is decoded at a reduced scale: cheap."""
    from tui.pictures import halfblock
    from tui.pictures.decode import load_kept

    out: dict[int, list[list[Cell]]] = {}
    for entry_id, picture in lead_pictures(store, entry_ids).items():
        cols, rows = fit.cells(picture.width, picture.height, max_cols, max_rows)
        if not cols or picture.data is None:
            continue
        try:
            out[entry_id] = halfblock.cells(load_kept(picture.data, (cols, rows * 2)), cols, rows)
        except PictureError:
            continue
    return out
