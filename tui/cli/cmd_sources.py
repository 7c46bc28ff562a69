"""Commands on the subscription list: add, remove, sources, import, export."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from tui.cli.output import UsageError, http_client, print_json, source_json
from tui.services.context import Context
from tui.textclean import clean_line


def _setup_add(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="feed URL, or a web page that links to its feed")
    p.add_argument("--title", help="show this title instead of the feed's own")
    p.add_argument("--folder", help="put the source in this folder")


def _run_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.subscribe import Added, SubscribeError, subscribe

    cfg, store = ctx.config(), ctx.store()

    async def go() -> Added:
        async with http_client(cfg) as client:
            return await subscribe(store, client, cfg, args.url, args.title, args.folder)

    try:
        added = asyncio.run(go())
    except SubscribeError as exc:
        print(f"newsdesk: {clean_line(str(exc), 300)}", file=sys.stderr)
        return 1
    url = clean_line(added.url, 2000)
    if added.discovered_from:
        print(f"{clean_line(added.discovered_from, 2000)} is a web page; found its feed {url}")
    if added.already:
        print(f"already subscribed to {url}")
    else:
        name = clean_line(added.title or added.url, 120)
        print(f"subscribed to {name} <{url}> ({added.new_entries} entries)")
    return 0


def _setup_remove(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="the source's feed URL, as `newsdesk sources` shows it")


def _run_remove(ctx: Context, args: argparse.Namespace) -> int:
    store, url = ctx.store(), args.url.strip()
    if store.source(url) is None:
        # a URL stored before imports were checked may hold controls; `sources` shows it
        # cleaned, and that is what the user types back
        url = next((r["url"] for r in store.sources() if clean_line(r["url"], 8192) == url), url)
    if not store.remove_source(url):
        print(f"newsdesk: no source with URL {clean_line(args.url, 2000)}", file=sys.stderr)
        return 1
    print(f"removed {clean_line(url, 2000)}")
    return 0


def _setup_sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


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


def _setup_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="an OPML file or a newsboat urls file")


def _run_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui.feeds.opml import ImportError_, read_subscriptions

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    try:
        result = read_subscriptions(data)
    except ImportError_ as exc:
        print(f"newsdesk: {clean_line(args.file, 300)}: {exc}", file=sys.stderr)
        return 1
    store = ctx.store()
    added = duplicates = 0
    for sub in result.subscriptions:
        if store.add_source(sub.url, sub.title, sub.folder):
            added += 1
        else:
            duplicates += 1
    print(f"imported {added} sources, skipped {duplicates} duplicates")
    if result.skipped_text():
        print(f"newsdesk: {result.skipped_text()}", file=sys.stderr)
    if result.problem:
        # what came before the break is kept (exit 0, a re-import skips duplicates); the
        # warning says where the file broke so nothing is lost without a word
        print(f"newsdesk: warning: {clean_line(args.file, 300)}: {result.problem}", file=sys.stderr)
    return 0


def _setup_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


def _run_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui.feeds.opml import Subscription, write_opml

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


COMMANDS = {
    "add": (_setup_add, _run_add, "subscribe to a feed (or the feed a web page links to)"),
    "remove": (_setup_remove, _run_remove, "unsubscribe from a source"),
    "sources": (_setup_sources, _run_sources, "list sources with entry and unread counts"),
    "import": (_setup_import, _run_import, "import an OPML or newsboat urls file"),
    "export": (_setup_export, _run_export, "export subscriptions as OPML 2.0"),
}
