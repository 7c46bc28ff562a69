"""`E` saves what it says it saved (issue 22, item 4): a title or folder the config sets is
changed in the config (which wins over the cache at every start), unchanged defaults are not
written, and a new address is checked as `a` checks one."""

from __future__ import annotations

import tomllib

import pytest
from ui_helpers import db, items, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.dialogs import EditSourceScreen
from tui.ui.widgets.sources import SourceList


@pytest.fixture
def world(server, tmp_path):
    url = subscribe(server, "/world.xml", "World", items(server, 3, "World"))
    (tmp_path / "config.toml").write_text(
        f'# mine\n[sources."{url}"]\ntitle = "Config title"\nfolder = "Cfg"\n'
    )
    return url


async def _edit(app, pilot, **fields) -> None:
    srcs = app.query_one(SourceList)
    srcs.focus()
    oid = next(k for k in srcs.views if k.startswith("source:"))
    srcs.highlighted = srcs.get_option_index(oid)
    await pilot.press("E")
    await settle(app, pilot)
    assert isinstance(app.screen, EditSourceScreen)
    for name, value in fields.items():
        app.screen.query_one(f"#{name}").value = value
    await pilot.click("#save")
    await settle(app, pilot)


async def test_a_title_the_config_sets_is_changed_there_and_stays(world, tmp_path, data_dir):
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(app, pilot)
        await _edit(app, pilot, title="Mine", folder="")
        assert not isinstance(app.screen, EditSourceScreen)
    table = tomllib.loads((tmp_path / "config.toml").read_text())["sources"][world]
    assert table == {"title": "Mine"}  # folder cleared; no prefetch or interval written
    Context().store().close()  # the next start applies the config: the dialog's values stay
    row = (
        db(data_dir)
        .execute("SELECT title_override, folder FROM sources WHERE url = ?", (world,))
        .fetchone()
    )
    assert row == ("Mine", None)


async def test_a_mistyped_address_is_not_saved(world, server, client, data_dir):
    bad = server.url("/wrold.xml")  # 404
    app = make_app(Context(), offline=False, client=client)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(app, pilot, rounds=4)
        await _edit(app, pilot, url=bad)
        assert isinstance(app.screen, EditSourceScreen)
        said = str(app.screen.query_one("#error").content)
        assert said.startswith("Not saved: cannot fetch") and "404" in said, said
    urls = {r[0] for r in db(data_dir).execute("SELECT url FROM sources")}
    assert urls == {world}
