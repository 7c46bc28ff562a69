"""Every key binding in one table: each has an id (remappable from the config's [keys]), and the
help screen and command palette are generated from here."""

from __future__ import annotations

from textual.binding import Binding


def _b(
    keys: str, action: str, desc: str, id: str, show: bool = False, key_display: str | None = None
) -> Binding:
    return Binding(keys, action, desc, show=show, id=id, key_display=key_display)


PAGE_ARTICLE = _b(
    "space,pagedown", "screen.page_article", "Page article / next unread", "page_article"
)

APP = [
    _b("slash", "search", "Search", "search", show=True, key_display="/"),
    _b("n", "next_unread", "Next unread", "next_unread", show=True),
    _b("p", "prev_unread", "Previous unread", "prev_unread"),
    _b("m,N", "toggle_read", "Toggle read", "toggle_read"),
    _b("J", "next_source", "Show the next source", "next_source"),
    _b("K", "prev_source", "Show the previous source", "prev_source"),
    _b("s", "toggle_star", "Star", "toggle_star", show=True),
    _b("A", "mark_all_read", "Mark all visible read", "mark_all_read"),
    _b("u", "undo_mark", "Undo the last marking (A, m)", "undo_mark"),
    _b("r", "refresh_source", "Refresh source", "refresh_source"),
    _b("R", "refresh_all", "Refresh all", "refresh_all"),
    _b("o", "open_link", "Open link in browser", "open_link"),
    _b("y", "copy_link", "Copy link", "copy_link"),
    _b("L", "links", "Links in the article (open, copy, play)", "links"),
    _b("a", "add_source", "Add source", "add_source"),
    _b("i", "import_file", "Import OPML/urls file", "import_file"),
    _b("e", "source_info", "Source details and last error", "show_error"),
    _b("E", "edit_source", "Edit source settings (title, URL, folder…)", "edit_source"),
    _b("D", "remove_source", "Remove source", "remove_source"),
    _b("backslash", "toggle_sources", "Show/hide sources", "toggle_sources", key_display="\\"),
    _b("tab", "focus_next", "Next pane", "focus_next"),
    _b("shift+tab", "focus_previous", "Previous pane", "focus_previous"),
    _b("question_mark,f1", "help", "Help", "help", show=True, key_display="?"),
    _b("q", "quit", "Quit", "quit", show=True),
    _b("ctrl+p", "command_palette", "Command palette", "command_palette"),
    _b("T", "change_theme", "Choose a theme", "change_theme"),
    _b("v", "toggle_river", "River: headlines with dek and photo line", "toggle_river"),
    _b("H", "toggle_hidden", "Show/hide entries hidden by rules", "toggle_hidden"),
    PAGE_ARTICLE,
]

# APP's keys that are the app's own (any screen); the reader screen binds the rest. Split so,
# the footer still lists them in APP's order: the screen's keys come before the app's.
_GLOBAL_IDS = {"focus_next", "focus_previous", "help", "quit", "command_palette", "change_theme"}
GLOBAL = [b for b in APP if b.id in _GLOBAL_IDS]
READER = [b for b in APP if b.id not in _GLOBAL_IDS]

HEADLINES = [
    _b("down,j", "cursor_down", "Next headline", "cursor_down"),
    _b("up,k", "cursor_up", "Previous headline", "cursor_up"),
    _b("home,g", "top", "First headline", "top"),
    _b("end,G", "bottom", "Last headline", "bottom"),
    _b("pageup,ctrl+b", "list_page_up", "Headlines page up", "list_page_up"),
    _b("pagedown,ctrl+f", "list_page_down", "Headlines page down", "list_page_down"),
    _b("enter", "open", "Open", "open", show=True),
    _b("right,l", "expand_story", "Expand a story (all its sources)", "expand_story"),
    _b("left,h", "collapse_story", "Collapse a story", "collapse_story"),
    _b("escape", "screen.list_escape", "Clear the search, or close the article", "search_clear"),
    # in the list, pgdn pages the list (as pgup does); space pages the article
    _b("space", "screen.page_article", "Page the open article / next unread", "page_article"),
]

ARTICLE = [
    _b("down,j", "scroll_down", "Scroll down", "cursor_down"),
    _b("up,k", "scroll_up", "Scroll up", "cursor_up"),
    _b("home,g", "scroll_home", "Top of article", "top"),
    _b("end,G", "scroll_end", "End of article", "bottom"),
    _b("pageup,b", "page_up", "Page article up", "article_page_up"),
    _b("enter", "open_teaser", "Read the chosen story (page of teasers)", "open_teaser"),
    _b("escape,q", "back", "Back to headlines", "back", show=True),
    PAGE_ARTICLE,
]

SOURCES = [
    _b("down,j", "cursor_down", "Next source", "cursor_down"),
    _b("up,k", "cursor_up", "Previous source", "cursor_up"),
    _b("home,g", "first", "First source", "top"),
    _b("end,G", "last", "Last source", "bottom"),
    _b("enter", "select", "Show source", "open"),
    _b("left,h", "collapse_folder", "Collapse the folder", "collapse_folder"),
    _b("right,l", "expand_folder", "Expand the folder", "expand_folder"),
]

SEARCH = [
    _b("escape", "clear", "Clear the search", "search_clear"),
    _b("enter,down", "done", "Keep the results, go to the list", "search_done"),
]

DIGITS = "1234567890"
LINKS = [
    _b(
        ",".join(DIGITS),
        "digit",
        "Open link number N (1, 2… or 1 then 2 for 12)",
        "link_number",
        key_display="0-9",
    ),
    _b("enter", "open", "Open the highlighted link", "link_open"),
    _b("y", "copy", "Copy (then a number, or enter)", "link_copy"),
    _b("P", "play", "Play in the player (then a number, or enter)", "link_play"),
    _b("escape,q", "close", "Close", "link_close"),
]

HELP = [
    _b("down,j", "scroll_down", "Scroll down", "cursor_down"),
    _b("up,k", "scroll_up", "Scroll up", "cursor_up"),
    _b("home,g", "scroll_home", "Top", "top"),
    _b("end,G", "scroll_end", "End", "bottom"),
    _b("pagedown,space", "page_down", "Page down", "help_page_down"),
    _b("pageup,b", "page_up", "Page up", "help_page_up"),
    _b("escape,q,question_mark,f1", "close", "Close", "close_help"),
]

DIALOGS = [
    _b("y", "confirm", "Yes (remove)", "confirm_yes"),
    _b("n", "cancel", "No", "confirm_no"),
    _b("escape", "cancel", "Cancel", "cancel_dialog"),
]

WELCOME = [
    _b("t", "screen.subscribe_starter", "Subscribe to the starter feeds", "subscribe_starter"),
]

# (pane, bindings) in the order the help screen lists them.
SECTIONS = [
    ("Everywhere", APP),
    ("Headlines", HEADLINES),
    ("Article", ARTICLE),
    ("Sources", SOURCES),
    ("Search", SEARCH),
    ("Links", LINKS),  # the screen binds each digit to digit(N) under the id link_number
    ("Help", HELP),
    ("Dialogs", DIALOGS),
    ("Welcome", WELCOME),
]


def effective_keys(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys that trigger a binding after the user's keymap is applied."""
    keys = keymap.get(binding.id or "", binding.key)
    return ", ".join(_display(k.strip()) for k in keys.split(","))


def keys_markdown(keymap: dict[str, str] | None = None) -> str:
    """The key table for the README and docs/keys.md (a test keeps them equal)."""
    lines = ["| key | id | action |", "|---|---|---|"]
    seen: set[tuple[str, str, str]] = set()
    for section, bindings in SECTIONS:
        for b in bindings:
            key = (
                (b.key_display or b.key)
                if b.id == "link_number"
                else effective_keys(b, keymap or {})
            )
            row = (key, b.id or "", f"{section}: {b.description}")
            if (row[0], row[1], b.description) in seen:
                continue
            seen.add((row[0], row[1], b.description))
            keys_md = ", ".join(f"`{k.strip()}`" for k in key.split(", "))
            lines.append(f"| {keys_md} | `{row[1]}` | {row[2]} |")
    return "\n".join(lines) + "\n"


_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "backslash": "\\",
    "space": "space",
    "pagedown": "pgdn",
    "pageup": "pgup",
}


def _display(key: str) -> str:
    return _NAMES.get(key, key)
