"""What the reader shows from a cache that still holds raw controls (written before text was
cleaned on the way in): the sources pane and the Source settings dialog's inputs are clean, and
`y` never copies a link that would run a second command when pasted."""

from __future__ import annotations

import pytest
from hostile.harness import assert_clean, server  # noqa: F401 (fixture)
from hostile.subscriptions import poison_cache
from ui_helpers import items, settle, subscribe

from tui.services.context import Context
from tui.ui.app import make_app
from tui.ui.dialogs import EditSourceScreen
from tui.ui.widgets.sources import SourceList


@pytest.fixture
def poisoned(server, data_dir):
    subscribe(server, "/a.xml", "A", items(server, 3, "A"))
    poison_cache(data_dir / "newsdesk.db")
    (data_dir.parent / "config.toml").write_text("refresh_on_start = false\n")


async def test_source_settings_inputs_are_clean(poisoned, monkeypatch):
    app = make_app(Context(), offline=True)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", lambda text: copied.append(text))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        srcs = app.query_one(SourceList)
        shown = "\n".join(srcs.render_line(y).text for y in range(srcs.size.height))
        assert_clean(shown, "sources pane")
        await pilot.press("enter")  # open the first entry: its link holds \n and \t
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert copied == []  # a link with whitespace is not an http(s) URL
        srcs.focus()
        oid = next(k for k, v in srcs.views.items() if k.startswith("source:") and v.source_id == 1)
        srcs.highlighted = srcs.get_option_index(oid)
        await pilot.press("E")
        await settle(app, pilot)
        assert isinstance(app.screen, EditSourceScreen)
        for field in ("#title", "#folder"):
            value = app.screen.query_one(field).value
            assert_clean(value, f"dialog input {field}")
            assert "CLIP" in value  # the visible words survive
        assert_clean(app.export_screenshot(), "screen")


async def test_config_problems_only_the_reader_can_check_are_said_once(data_dir):
    (data_dir.parent / "config.toml").write_text(
        'theme = "no-such-theme"\nconcurrancy = 8\nrefresh_on_start = false\n'
        '[keys]\nbogus_id = "x"\nnext_unread = 5\nsearch = "ctrl+f"\n'
    )
    app = make_app(Context(), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        toasts = [str(n.message) for n in app._notifications]
        assert len(toasts) == 1, toasts  # one toast, one line each (issue 22, item 30)
        said = toasts[0].splitlines()
        assert any("theme 'no-such-theme'" in s for s in said), said
        assert any("concurrancy" in s and "did you mean concurrency" in s for s in said), said
        assert any("keys.bogus_id" in s for s in said), said
        assert any("keys.next_unread" in s for s in said), said
        assert len(said) == 4, said
        assert app.keymap_overrides == {"search": "ctrl+f"}  # `5` did not replace `n`
