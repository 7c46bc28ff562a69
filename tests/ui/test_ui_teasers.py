"""A page of teasers in the reader: its list of headlines, and enter reads the chosen story."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import NOW, plain, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
HTML = "text/html; charset=utf-8"


@pytest.fixture
def river(server, data_dir):
    link = server.add("/business", (PAGES / "teaser_river.html").read_bytes(), content_type=HTML)
    # the river's second headline links here (a relative link, resolved against the page)
    server.add(
        "/business/port-expansion.html",
        (PAGES / "news_figures.html").read_bytes(),
        content_type=HTML,
    )
    subscribe(
        server,
        "/fronts.xml",
        "Fronts",
        [{"title": "Business front", "guid": "b1", "date": NOW, "link": link, "summary": "x"}],
    )
    (data_dir.parent / "config.toml").write_text("refresh_on_start = false\n")
    return server


def body_text(app) -> str:
    return plain(app.query_one("#article-body"))


async def test_teaser_page_lists_headlines_and_enter_reads_one(river, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 40)) as pilot:  # narrow: the article pane takes focus
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        text = body_text(app)
        for headline in (
            "The old textile mill that found new customers overseas",
            "Port expansion approved after a decade of delays",
            "Market traders win a freeze on stall rents",
        ):
            assert headline in text
        assert "© Ben Okoro for The Morning Paper" in text  # credit, on its own line
        assert "Gull Point" not in text
        assert app.reader.article.has_focus
        await pilot.press("j")  # the second headline
        assert app.reader.article.chosen_teaser == river.url("/business/port-expansion.html")
        river.requests.clear()
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        assert "/business/port-expansion.html" in river.paths_requested()
        text = body_text(app)
        assert "Gull Point" in text  # the linked story, read in the pane
        assert "Volunteers haul timber up the cliff path to the damaged tower." in text
        assert "Market traders win" not in text


async def test_links_screen_lists_the_teasers(river, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        await pilot.press("L")
        await settle(app, pilot)
        from tui.ui.dialogs import LinksScreen

        screen = app.screen
        assert isinstance(screen, LinksScreen)
        teasers = [link for link in screen.links if link.kind == "teaser"]
        assert [t.label for t in teasers][:2] == [
            "The old textile mill that found new customers overseas",
            "Port expansion approved after a decade of delays",
        ]
        number = screen.links.index(teasers[1]) + 1
        river.requests.clear()
        for digit in str(number):
            await pilot.press(digit)
        await settle(app, pilot, rounds=6)
        assert "/business/port-expansion.html" in river.paths_requested()
        assert "Gull Point" in body_text(app)


@pytest.fixture
def front(server, data_dir):
    """A section front found by its structure: a lead card with a kicker, lazy and overlay
    cards, whole-card links, and a "Most read" list beside them."""
    link = server.add("/world", (PAGES / "river_front.html").read_bytes(), content_type=HTML)
    server.add("/world/coastal-vote", (PAGES / "news_figures.html").read_bytes(), content_type=HTML)
    subscribe(
        server,
        "/fronts.xml",
        "Fronts",
        [{"title": "World front", "guid": "w1", "date": NOW, "link": link, "summary": "x"}],
    )
    (data_dir.parent / "config.toml").write_text("refresh_on_start = false\n")
    return server


async def test_escape_from_a_story_read_from_a_river_goes_back_to_the_river(front, client):
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        text = body_text(app)
        for headline in (
            "Strait reopens to tankers after a week of talks",
            "Coastal provinces vote on a shared water authority",
            "Bridge tolls to rise by a tenth from April",
        ):
            assert headline in text
        assert "Harbour City win the cup" not in text  # the "Most read" list is no teaser
        assert "Shipping · Strait reopens" in text  # the kicker apart, before its headline
        article = app.reader.article
        await pilot.press("j")
        chosen = front.url("/world/coastal-vote")
        assert article.chosen_teaser == chosen
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        assert "Gull Point" in body_text(app)  # the story, read in the pane
        await pilot.press("escape")
        await settle(app, pilot)
        text = body_text(app)
        assert "Gull Point" not in text
        assert "Strait reopens to tankers after a week of talks" in text
        assert article.chosen_teaser == chosen  # the teaser it was read from, still chosen
        assert app.reader.state.reading and article.has_focus
        await pilot.press("escape")  # a second escape: back to the headlines
        await settle(app, pilot)
        assert not app.reader.state.reading
