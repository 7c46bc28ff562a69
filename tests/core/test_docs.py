"""The docs follow the code: the README's key table is the one generated from the bindings, and
every binding id appears in it and on the help screen."""

from __future__ import annotations

import re
from pathlib import Path

from tui.ui import keys

ROOT = Path(__file__).resolve().parents[2]


def readme_keys() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- keys -->\n(.*?)<!-- /keys -->", text, re.S)
    assert match, "README.md needs its key table between <!-- keys --> and <!-- /keys -->"
    return match.group(1)


def all_ids() -> set[str]:
    return {b.id for _, bindings in keys.SECTIONS for b in bindings}


def test_readme_key_table_is_generated_from_the_bindings():
    assert readme_keys() == keys.keys_markdown(), (
        "README.md's key table is stale: paste tui.ui.keys.keys_markdown() between the markers"
    )
    assert (ROOT / "docs" / "keys.md").read_text(encoding="utf-8").endswith(keys.keys_markdown())


def test_every_binding_has_an_id_in_readme_and_help():
    from tui.ui.screens import HelpScreen

    ids = all_ids()
    assert None not in ids and "" not in ids
    table = readme_keys()
    help_cells = {str(c) for col in HelpScreen({})._table().columns for c in col._cells}
    for binding_id in ids:
        assert f"`{binding_id}`" in table, binding_id
        assert binding_id in help_cells, binding_id


def test_widget_bindings_come_from_the_key_table():
    """A binding added straight to a widget, bypassing keys.py, would escape the docs."""
    from tui.ui.app import NewsdeskApp
    from tui.ui.dialogs import LinksScreen
    from tui.ui.widgets.article import ArticleView
    from tui.ui.widgets.headlines import HeadlineList
    from tui.ui.widgets.searchbar import SearchBar
    from tui.ui.widgets.sources import SourceList

    ids = all_ids()
    for cls in (NewsdeskApp, HeadlineList, ArticleView, SourceList, SearchBar, LinksScreen):
        for b in cls.BINDINGS:
            assert b.id in ids, (cls.__name__, b.key)


def test_readme_warns_about_root_before_the_test_command():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    command = text.index("pip install -e '.[test]'")
    assert "as root" in text[:command] and "without asking" in text[:command]


def test_readme_config_says_there_is_no_default_player():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("player = "))
    assert "no default" in line
