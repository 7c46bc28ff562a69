"""Names the reader knows that the config may use: binding ids ([keys]) and theme names.

The reader's own tables (tui.ui.keys, Textual's themes) cannot be imported on the CLI's path
(Textual costs ~0.3 s), so the config loader checks against these copies; a test keeps them
equal to the reader's, so every command warns about the same names the reader does.
"""

from __future__ import annotations

BINDING_IDS = frozenset(
    """
    add_source article_page_up back bottom cancel_dialog change_theme close_help collapse_folder
    collapse_story
    command_palette confirm_no confirm_yes copy_link cursor_down cursor_up edit_source
    expand_folder expand_story focus_next focus_previous help help_page_down help_page_up import_file
    link_close link_copy link_number link_open link_play links list_page_down list_page_up
    mark_all_read next_source next_unread open open_link open_teaser page_article prev_source prev_unread quit
    refresh_all refresh_source remove_source search search_clear search_done show_error
    subscribe_starter toggle_hidden toggle_read toggle_river toggle_sources toggle_star top undo_mark
    """.split()
)

THEMES = frozenset(
    """
    ansi-dark ansi-light atom-one-dark atom-one-light catppuccin-frappe catppuccin-latte
    catppuccin-macchiato catppuccin-mocha dracula flexoki gruvbox monokai nord rose-pine
    rose-pine-dawn rose-pine-moon solarized-dark solarized-light textual-dark textual-light
    tokyo-night
    """.split()
)
