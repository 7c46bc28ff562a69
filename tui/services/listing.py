"""How a view is listed under the config: stories folded where grouping is on, and the rules'
hidden entries left out (or shown, dimmed, with `H`)."""

from __future__ import annotations

from tui.services.rules import parse_rules, rules_sql
from tui.settings.config import Config
from tui.store.listing import Listing
from tui.store.views import View

# Lists that fold a story to one row: never a single source's list (its own follow-ups are
# its business), nor Starred (each star is a choice), nor a search (every match counts).
GROUPED_KINDS = frozenset({"unread", "today", "folder", "custom", "all"})


def listing_for(view: View, config: Config, show_hidden: bool = False) -> Listing:
    rules, _errors = parse_rules(config.rules)
    if view.kind == "front":  # ranked in the list's worker: Listing.resolved
        from functools import partial

        from tui.services.front import resolve_front

        return Listing(
            view,
            grouped=True,
            hidden=rules_sql(rules),
            show_hidden=show_hidden,
            resolve=partial(resolve_front, config),
        )
    grouped = config.stories and _kind(view) in GROUPED_KINDS
    return Listing(view, grouped=grouped, hidden=rules_sql(rules), show_hidden=show_hidden)


def _kind(view: View) -> str:
    return view.kind
