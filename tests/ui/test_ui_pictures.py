"""Pictures in the reader: a prefetched article's photo as half-blocks above its caption, with
--offline and the server gone; the reason in place of a picture that could not be had;
nothing with images off."""

from __future__ import annotations

import pytest
from picture_site import CAPTION, photo_site
from server import FeedServer
from ui_helpers import settle

from tui.cli.main import main
from tui.pictures.terminal import Choice
from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.widgets.article import ArticleBody


def prefetch_and_stop(broken: bool = False) -> None:
    """Refresh a photo site (articles and pictures kept), then the server goes away."""
    with FeedServer() as srv:
        url = photo_site(srv, stories=1, photos=1)
        if broken:
            srv.routes.pop("/img/0-0.jpg")
        assert main(["add", url]) == 0
        assert main(["refresh"]) == 0


HALFBLOCK = 'refresh_on_start = false\nimages = "halfblock"\n'


@pytest.fixture
def kept(tmp_path):
    (tmp_path / "config.toml").write_text(HALFBLOCK)
    prefetch_and_stop()


@pytest.fixture
def kept_broken(tmp_path):
    (tmp_path / "config.toml").write_text(HALFBLOCK)
    prefetch_and_stop(broken=True)


def screen_lines(body: ArticleBody) -> list[tuple[str, list]]:
    """What the body paints, line by line: (text, segments)."""
    out = []
    for y in range(body.scrollable_content_region.height):
        strip = body.render_line(y)
        out.append((strip.text, list(strip)))
    return out


def picture_rows_above_caption(body: ArticleBody) -> int:
    """How many rows of half-blocks, each with two colours, stand right above the caption."""
    lines = screen_lines(body)
    at = next(i for i, (text, _) in enumerate(lines) if text.strip().startswith(CAPTION))
    rows = 0
    for _text, segments in reversed(lines[:at]):
        cells = [s for s in segments if s.text.strip()]
        if not cells or any(set(s.text) != {"▀"} for s in cells):
            break
        assert all(s.style.color is not None and s.style.bgcolor is not None for s in cells)
        rows += 1
    return rows


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_prefetched_photo_shows_as_halfblocks_above_its_caption_offline(size, kept):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        body = app.query_one(ArticleBody)
        assert picture_rows_above_caption(body) >= 6
        # the photo is the picture we drew: a blue sky above, a dark sea below
        lines = screen_lines(body)
        first = next(segs for text, segs in lines if "▀" in text)
        sky = [s for s in first if "▀" in s.text][0].style.color.get_truecolor()
        assert sky.blue > sky.red


async def test_the_picture_fits_a_third_of_the_pane_and_follows_a_resize(kept):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        body = app.query_one(ArticleBody)
        tall = picture_rows_above_caption(body)
        pane = body.parent.size.height
        assert tall <= max(6, pane // 3)
        await pilot.resize_terminal(120, 60)
        await settle(app, pilot)
        assert picture_rows_above_caption(body) > tall


async def test_a_picture_that_could_not_be_had_leaves_its_caption_and_why(kept_broken):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        texts = [t for t, _ in screen_lines(app.query_one(ArticleBody))]
        at = next(i for i, t in enumerate(texts) if t.strip().startswith(CAPTION))
        assert texts[at - 1].strip() == "▣ image (HTTP 404 Not Found)"
        assert not any("▀" in t for t in texts)


async def test_images_off_shows_the_caption_with_the_mark_only(kept):
    app = make_app(Context(), offline=True, images=Choice("off"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        texts = [t for t, _ in screen_lines(app.query_one(ArticleBody))]
        at = next(i for i, t in enumerate(texts) if t.strip().startswith(CAPTION))
        assert texts[at - 1].strip() == "▣ image"
        assert not any("▀" in t for t in texts)


async def test_the_river_shows_the_lead_photo_small_beside_its_block(kept):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        await settle(app, pilot)  # the photos are decoded after the first paint
        lst = app.query_one("#headlines")
        lines = [lst.render_line(y).text for y in range(6)]
        assert lines[0].strip().startswith("●  Story 0")
        photo = [line.rstrip().split(" ")[-1] for line in lines[:4]]
        assert all(set(p) == {"▀"} and 8 <= len(p) <= 16 for p in photo), lines
        assert "▀" not in lines[4]  # the source and time line stays clear


async def test_the_river_shows_no_photo_with_images_off(kept):
    app = make_app(Context(), offline=True, images=Choice("off"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        await settle(app, pilot)
        lst = app.query_one("#headlines")
        assert not any("▀" in lst.render_line(y).text for y in range(12))


@pytest.fixture
def subscribed_only(server, tmp_path):
    """Subscribed (entries stored), no article or picture fetched yet."""
    (tmp_path / "config.toml").write_text(HALFBLOCK)
    assert main(["add", photo_site(server, stories=1, photos=1)]) == 0
    server.requests.clear()


async def test_an_article_fetched_on_opening_shows_its_pictures_too(
    subscribed_only, server, client
):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=8)
        assert "/img/0-0.jpg" in server.paths_requested()
        assert picture_rows_above_caption(app.query_one(ArticleBody)) >= 6
