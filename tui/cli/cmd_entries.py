"""Commands that list, find or mark entries: headlines, search, mark-read, star."""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any

from tui.cli.output import (
    Failure,
    UsageError,
    entry_json,
    plural,
    print_headlines,
    print_json,
    say_empty,
)
from tui.services.context import Context
from tui.store.listing import Listing
from tui.store.views import ALL_UNREAD, View
from tui.textclean import clean_line


def setup_headlines(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unread", action="store_true", help="only unread entries")
    p.add_argument("--source", metavar="URL", help="only this source")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    _hidden_option(p)


def _hidden_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--hidden", action="store_true", help="also entries that rules hide")


def _rules_listing(ctx: Context, view: View, show_hidden: bool) -> Listing:
    """The view less what rules hide (a bad rule is a warning; the others apply)."""
    from tui.services.rules import parse_rules, rules_sql

    rules, errors = parse_rules(ctx.config().rules)
    for error in errors:
        print(f"newsdesk: {clean_line(error, 300)}", file=sys.stderr)
    return Listing(view, hidden=rules_sql(rules), show_hidden=show_hidden)


def _flag_hidden(ctx: Context, listing: Listing, items: list[dict[str, Any]]) -> None:
    """With --hidden, each row says whether a rule hides it."""
    from tui.store.counts import hidden_ids

    hidden = hidden_ids(ctx.store(), listing.hidden, [i["id"] for i in items])
    for item in items:
        item["hidden"] = item["id"] in hidden


def run_headlines(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    store = ctx.store()
    view = View("all")
    if args.source:
        row = store.source(args.source)
        if row is None:
            raise Failure(f"no source with URL {args.source}")
        view = View("source", source_id=row.id)
    listing = _rules_listing(ctx, view if not args.unread else _unread(view), args.hidden)
    items = [entry_json(r) for r in store.page(listing, 0, args.limit)]
    if args.hidden:
        _flag_hidden(ctx, listing, items)
    if args.json:
        print_json(items)
        return 0
    print_headlines(items)
    if not items:
        say_empty()
    return 0


def _unread(view: View) -> View:
    return ALL_UNREAD if view.kind == "all" else View("source_unread", source_id=view.source_id)


def setup_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="+", help="words to find in titles and article text")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    _hidden_option(p)


def run_search(ctx: Context, args: argparse.Namespace) -> int:
    from tui.store.search import MARK_END, MARK_START, search

    listing = _rules_listing(ctx, View("all"), args.hidden)
    rows = search(ctx.store(), " ".join(args.query), limit=max(args.limit, 0), view=listing)
    items = [entry_json(r.entry) for r in rows]
    if args.hidden:
        _flag_hidden(ctx, listing, items)
    if args.json:
        print_json(items)
        return 0
    for item, row in zip(items, rows, strict=False):
        # matches set between >> and << for people
        marked = clean_line(row.highlighted, 1000)
        item["title"] = marked.replace(MARK_START, ">>").replace(MARK_END, "<<")
    print_headlines(items)
    if not items:
        say_empty()
    return 0


def setup_mark_read(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--source", metavar="URL", help="entries of this source")
    which.add_argument("--all", action="store_true", help="every entry")
    p.add_argument("--older-than", metavar="AGE", help="only entries older than AGE: 7d, 12h, 30m")
    p.add_argument("--unread", action="store_true", help="mark unread instead")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def run_mark_read(ctx: Context, args: argparse.Namespace) -> int:

    store = ctx.store()
    source_id = None
    before = time.time() - parse_age(args.older_than) if args.older_than else None
    if args.source:
        row = store.source(args.source)
        if row is None:
            raise Failure(f"no source with URL {args.source}")
        source_id = row.id
    n = store.mark_read_where(source_id=source_id, before=before, read=not args.unread)
    if args.json:
        print_json({"marked": n, "read": not args.unread})
    else:
        print(f"marked {plural(n, 'entry', 'entries')} {'unread' if args.unread else 'read'}")
    return 0


_AGE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: str) -> float:

    match = _AGE.match(text.strip().lower())
    if not match:
        raise UsageError(f"bad age {text!r}: use a number and s, m, h, d or w (e.g. 7d)")
    return int(match.group(1)) * _UNIT[match.group(2)]


def setup_star(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="entry id, as `headlines --json` shows it")
    p.add_argument("--off", action="store_true", help="remove the star")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def run_star(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.operations import star

    if not star(ctx.store(), args.id, not args.off):
        raise Failure(f"no entry with id {args.id}")
    if args.json:
        print_json({"id": args.id, "starred": not args.off})
    else:
        print(f"{'unstarred' if args.off else 'starred'} entry {args.id}")
    return 0


COMMANDS = {
    "headlines": (setup_headlines, run_headlines, "list entries, newest first"),
    "search": (setup_search, run_search, "search titles and article text, best match first"),
    "mark-read": (setup_mark_read, run_mark_read, "mark entries read (or unread)"),
    "star": (setup_star, run_star, "star (or unstar) an entry"),
}
