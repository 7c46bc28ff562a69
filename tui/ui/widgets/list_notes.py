"""The headline list's notes and local updates (a layer of HeadlineList over its pages): why it is empty, its border notes (entries that arrived above the screen, hidden
entries), and read/star changes shown in the cached rows (the app's workers write the store)."""

from __future__ import annotations

from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from tui.services.desk import PAGE, Listing
from tui.ui.widgets.paged_list import PagedList


class ListNotes(PagedList):
    def empty_message(self) -> str:
        """Why the list is empty, in the words of its view."""
        kind = self.shown.kind if self.shown is not None else ""
        if kind == "search":
            return "No headline matches this search (escape clears it)."
        if self.hidden_count and not self.show_hidden:  # not "nothing was fetched": rules
            return f"{self.hidden_count} hidden by rules: H shows them."
        if self.empty_hint and kind in ("unread", "all", "today"):
            return self.empty_hint
        return {
            "unread": "No unread entries: you are all caught up.",
            "today": "Nothing published today yet.",
            "starred": "No starred entries: s stars the one you are reading.",
            "source_unread": "No unread entries in this source.",
        }.get(kind, "No entries here yet.")

    def _empty_line(self, y: int, width: int, style: Style) -> Strip:
        text = Text("  " + self.empty_message() if y == 1 else "", no_wrap=True, end="")
        text.truncate(width, overflow="ellipsis", pad=True)
        return Strip(list(text.render(self.app.console)), width).apply_style(style)

    def _hidden_note(self) -> str:
        n = self.hidden_count
        return "" if not n else f"{n} hidden" + (" (shown dim)" if self.show_hidden else " · H")

    def _subtitle(self) -> str:
        """The list's border notes: entries that arrived above the screen, hidden entries."""
        new = f"▲ {self.new_above} new (n)" if self.new_above else ""
        return " · ".join(note for note in (self._matches(), new, self._hidden_note()) if note)

    def _matches(self) -> str:
        """How many entries a search matched ("" when the list is no search)."""
        if self.shown is None or self.shown.kind != "search" or not self.loaded:
            return ""
        return f"{self.count:,} {'match' if self.count == 1 else 'matches'}"

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        top_entry = round(new_value) // self.block
        if self.new_above > top_entry:  # scrolled up onto them: they are seen
            self._set_new_above(top_entry)

    def update_row(
        self, entry_id: int, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Reflect a read/star change in the cached row without a reload."""
        if read and self.view is not None:
            self.kept.add(entry_id)
            query = self._query_view(self.view)
            front = query.front if isinstance(query, Listing) else None
            if front is None and isinstance(self._query, Listing):
                front = self._query.front  # the front page keeps its ranking until reloaded
            self._query = replace(query, front=front) if isinstance(query, Listing) else query
        top, width = round(self.scroll_y), self.size.width
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == entry_id:
                    rows[i] = r._replace(
                        read=r.read if read is None else int(read),
                        starred=r.starred if starred is None else int(starred),
                    )
                    line = (page * PAGE + i) * self.block - top
                    self.refresh(Region(0, line, width, self.block))  # that row only

    def mark_all_read_locally(self) -> None:
        for rows in self._pages.values():
            for i, r in enumerate(rows):
                rows[i] = r._replace(read=1)
        self.refresh()
