"""The panes talk through past-tense messages: these tests assert on what was posted, which
is the behaviour (the app reacts to the message, whatever widget sent it)."""

from __future__ import annotations

import pytest
from ui_helpers import ids_newest_first, items, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.messages import (
    ArticleLoaded,
    EntryOpened,
    RefreshFinished,
    RefreshProgressed,
    SourceSelected,
)


def once(messages: list) -> list:
    """The hook sees a message at every node it bubbles through: keep each message once."""
    return list({id(m): m for m in messages}.values())


@pytest.fixture
def world(server):
    return subscribe(server, "/w.xml", "World", items(server, 5, "World"))


async def test_enter_posts_entry_opened_then_article_loaded(world, data_dir):
    posted = []
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        posted.clear()
        await pilot.press("enter")
        await settle(app, pilot)
    posted = once(posted)
    newest = ids_newest_first(data_dir)[0]
    opened = [m for m in posted if isinstance(m, EntryOpened)]
    loaded = [m for m in posted if isinstance(m, ArticleLoaded)]
    assert [m.entry_id for m in opened] == [newest]
    assert [m.entry_id for m in loaded] == [newest]
    assert posted.index(opened[0]) < posted.index(loaded[0])


async def test_choosing_a_source_posts_source_selected(world):
    posted = []
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        posted.clear()
        await pilot.press("shift+tab", "j", "enter")  # sources pane: Starred
        await settle(app, pilot)
    posted = once(posted)
    chosen = [m.view.kind for m in posted if isinstance(m, SourceSelected)]
    assert chosen and chosen[-1] == "starred"


async def test_refresh_posts_progress_then_finished(world, server, client):
    posted = []
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 30), message_hook=posted.append) as pilot:
        await settle(app, pilot, rounds=5)
    posted = once(posted)
    progress = [m for m in posted if isinstance(m, RefreshProgressed)]
    finished = [m for m in posted if isinstance(m, RefreshFinished)]
    assert len(finished) == 1 and finished[0].summary.count("not_modified") == 1
    assert progress and progress[0].phase == "refreshing"
    assert posted.index(progress[0]) < posted.index(finished[0])
