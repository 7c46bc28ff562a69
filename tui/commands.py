"""The CLI commands other than the reader: each a (setup, run, help) triple."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui import cmd_completion, cmd_entries, cmd_read
from tui.config import Config

# defined with the Context so the reader starts without this module; re-exported here
from tui.context import Context, UsageError, apply_source_settings  # noqa: F401
from tui.textclean import clean_line
from tui.views import ALL_UNREAD, View


def _client(cfg: Config):
    from tui.fetch import make_client

    return make_client(timeout=cfg.timeout, max_connections=cfg.concurrency * 2)


def print_json(data: Any) -> None:
    # ensure_ascii keeps any stray control character escaped in the output
    print(json.dumps(data, indent=2, ensure_ascii=True))


# -- add / remove -------------------------------------------------------------------------


def _setup_add(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="feed URL, or a web page that links to its feed")
    p.add_argument("--title", help="show this title instead of the feed's own")
    p.add_argument("--folder", help="put the source in this folder")


def _run_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.subscribe import SubscribeError, subscribe

    cfg, store = ctx.config(), ctx.store()

    async def go():
        async with _client(cfg) as client:
            return await subscribe(store, client, cfg, args.url, args.title, args.folder)

    try:
        added = asyncio.run(go())
    except SubscribeError as exc:
        print(f"newsdesk: {clean_line(str(exc), 300)}", file=sys.stderr)
        return 1
    if added.discovered_from:
        print(f"{added.discovered_from} is a web page; found its feed {added.url}")
    if added.already:
        print(f"already subscribed to {added.url}")
    else:
        name = clean_line(added.title or added.url, 120)
        print(f"subscribed to {name} <{added.url}> ({added.new_entries} entries)")
    return 0


def _setup_remove(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="the source's feed URL, as `newsdesk sources` shows it")


def _run_remove(ctx: Context, args: argparse.Namespace) -> int:
    if not ctx.store().remove_source(args.url.strip()):
        print(f"newsdesk: no source with URL {args.url}", file=sys.stderr)
        return 1
    print(f"removed {args.url}")
    return 0


# -- sources / headlines ------------------------------------------------------------------


def _setup_sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def source_json(row) -> dict[str, Any]:
    return {
        "url": row["url"],
        "title": clean_line(row["display_title"], 300),
        "folder": row["folder"],
        "site": row["site_link"],
        "entries": row["entries"],
        "unread": row["unread"],
        "status": row["last_status"],
        "error": clean_line(row["last_error"], 300) or None,
        "warning": clean_line(row["warning"], 300) or None,
        "last_fetched": _iso(row["last_fetched"]),
    }


def _run_sources(ctx: Context, args: argparse.Namespace) -> int:
    items = [source_json(r) for r in ctx.store().sources()]
    if args.json:
        print_json(items)
        return 0
    if not items:
        print("no sources yet: `newsdesk add URL` or `newsdesk import FILE`")
        return 0
    for s in items:
        mark = "!" if s["error"] else " "
        folder = f"[{s['folder']}] " if s["folder"] else ""
        print(f"{mark} {s['unread']:>5}/{s['entries']:<5} {folder}{s['title']}  <{s['url']}>")
        if s["error"]:
            print(f"      error: {s['error']}")
    return 0


def _setup_headlines(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unread", action="store_true", help="only unread entries")
    p.add_argument("--source", metavar="URL", help="only this source")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def entry_json(row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "source": row["source_url"],
        "source_title": clean_line(row["source_title"], 300),
        "title": clean_line(row["title"], 1000),
        "link": row["link"],
        "author": clean_line(row["author"], 300) or None,
        "published": _iso(row["published"]),
        "read": bool(row["read"]),
        "starred": bool(row["starred"]),
    }


def _run_headlines(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    store = ctx.store()
    view = View("all")
    if args.source:
        row = store.source(args.source)
        if row is None:
            raise UsageError(f"no source with URL {args.source}")
        view = View("source", source_id=row["id"])
    rows = store.page(view if not args.unread else _unread(view), 0, args.limit)
    items = [entry_json(r) for r in rows]
    if args.json:
        print_json(items)
        return 0
    print_headlines(items)
    return 0


def print_headlines(items: list[dict[str, Any]]) -> None:
    for e in items:
        mark = "N" if not e["read"] else " "
        star = "*" if e["starred"] else " "
        when = (e["published"] or "")[:16].replace("T", " ")
        print(f"{mark}{star} {e['id']:>6} {when:16} {e['source_title'][:20]:20}  {e['title']}")


def _unread(view: View) -> View:
    return ALL_UNREAD if view.kind == "all" else View("source_unread", source_id=view.source_id)


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
    except (OverflowError, OSError, ValueError):
        return None


# -- import / export ----------------------------------------------------------------------


def _setup_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="an OPML file or a newsboat urls file")


def _run_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui.opml import ImportError_, read_subscriptions

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    try:
        subs = read_subscriptions(data)
    except ImportError_ as exc:
        print(f"newsdesk: {args.file}: {exc}", file=sys.stderr)
        return 1
    store = ctx.store()
    added = skipped = 0
    for sub in subs:
        if store.add_source(sub.url, sub.title, sub.folder):
            added += 1
        else:
            skipped += 1
    print(f"imported {added} sources, skipped {skipped} duplicates")
    return 0


def _setup_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


def _run_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui.opml import Subscription, write_opml

    subs = [
        Subscription(r["url"], r["title_override"] or r["title"], r["folder"])
        for r in ctx.store().sources()
    ]
    text = write_opml(subs)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {len(subs)} sources to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# -- refresh ------------------------------------------------------------------------------


def _setup_refresh(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    p.add_argument("--no-articles", action="store_true", help="do not prefetch full articles")
    p.add_argument(
        "--due",
        action="store_true",
        help="only sources due by their refresh interval and the server's caching hints (for cron)",
    )


def _run_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from tui.refresh import Refresher

    cfg, store = ctx.config(), ctx.store()
    show = sys.stderr.isatty() and not args.json
    progress = _progress_bar if show else None

    async def go():
        async with _client(cfg) as client:
            summary = await Refresher(store, client, cfg).run(progress=progress, due_only=args.due)
            if cfg.prefetch and not args.no_articles:
                await _prefetch(store, client, cfg, summary.new_ids)
            return summary

    from tui.retention import maintain

    summary = asyncio.run(go())
    pruned = maintain(store, cfg)
    if show:
        sys.stderr.write("\n")
    data = {**summary.to_json(), "pruned": pruned}
    if args.json:
        print_json(data)
        return 0
    print(
        f"{data['sources']} sources: {data['ok']} updated, {data['not_modified']} unchanged, "
        f"{data['failed']} failed, {data['skipped']} skipped; "
        f"{data['new_entries']} new entries in {data['seconds']:.1f} s"
    )
    for err in data["errors"]:
        print(f"  {err['source']}: {err['error']}")
    return 0


async def _prefetch(store, client, cfg, new_ids: list[int]) -> None:
    from tui.prefetch import prefetch_articles

    await prefetch_articles(store, client, cfg, new_ids)


def _progress_bar(result, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rrefreshing [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


def _setup_check(p: argparse.ArgumentParser) -> None:
    pass


def _run_check(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    report = store.recovered or store.repair()
    print(report or f"cache {store.path} is fine")
    return 0


Runner = Callable[[Context, argparse.Namespace], int]
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Runner, str]] = {
    "add": (_setup_add, _run_add, "subscribe to a feed (or the feed a web page links to)"),
    "remove": (_setup_remove, _run_remove, "unsubscribe from a source"),
    "sources": (_setup_sources, _run_sources, "list sources with entry and unread counts"),
    "headlines": (_setup_headlines, _run_headlines, "list entries, newest first"),
    "import": (_setup_import, _run_import, "import an OPML or newsboat urls file"),
    "export": (_setup_export, _run_export, "export subscriptions as OPML 2.0"),
    "refresh": (_setup_refresh, _run_refresh, "fetch every source and store new entries"),
    "read": (cmd_read.setup, cmd_read.run, "print the reader view of a page (URL or HTML file)"),
    "search": (
        cmd_entries.setup_search,
        cmd_entries.run_search,
        "search titles and article text, best match first",
    ),
    "mark-read": (
        cmd_entries.setup_mark_read,
        cmd_entries.run_mark_read,
        "mark entries read (or unread)",
    ),
    "check": (
        _setup_check,
        _run_check,
        "check the cache; a damaged one is moved aside and rebuilt",
    ),
    "completion": (
        cmd_completion.setup,
        cmd_completion.run,
        "print a shell completion script (bash, zsh)",
    ),
    "star": (cmd_entries.setup_star, cmd_entries.run_star, "star (or unstar) an entry"),
}
