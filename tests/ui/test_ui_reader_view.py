"""Reader view in the app: the full article with its captions and credits, online and offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import NOW, db, plain, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


@pytest.fixture
def figure_story(server, data_dir):
    link = server.add(
        "/lighthouse.html",
        (PAGES / "news_figures.html").read_bytes(),
        content_type="text/html; charset=utf-8",
    )
    subscribe(
        server,
        "/coast.xml",
        "Coast",
        [
            {
                "title": "Lighthouse rebuilt",
                "guid": "l1",
                "date": NOW,
                "link": link,
                "summary": "Volunteers rebuild the lighthouse.",
            }
        ],
    )
    (data_dir.parent / "config.toml").write_text("refresh_on_start = false\n")


def body_text(app) -> str:
    return plain(app.query_one("#article-body"))


async def test_open_shows_caption_and_credit(figure_story, server, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        text = body_text(app)
        assert "Gull Point" in text  # the full text, not the feed summary
        assert "Volunteers haul timber up the cliff path to the damaged tower." in text
        assert "Photograph: Ines Okafor/Coastal Ledger" in text
        assert text.count("Photograph: Ines Okafor/Coastal Ledger") == 1
        assert not app.query_one("#article-notice").display


async def test_opened_article_reads_offline(figure_story, server, client, data_dir):
    online = make_app(Context(), offline=False, client=client)
    async with online.run_test(size=(120, 40)) as pilot:
        await settle(online, pilot)
        await pilot.press("enter")
        await settle(online, pilot, rounds=6)
    server.stop()
    with db(data_dir) as conn:  # back in "All unread", where the reader opens
        conn.execute("UPDATE entries SET read = 0")
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        text = body_text(app)
        assert "Gull Point" in text and "Photograph: Jane Doe for The Coastal Ledger" in text
