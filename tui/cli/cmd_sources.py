"""Commands on the subscription list: add, remove, sources, import, export."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from tui.cli.output import Failure, http_client, plural, print_json, source_json
from tui.services.context import Context
from tui.textclean import clean_line


def _setup_add(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="feed URL, or a web page that links to its feed")
    p.add_argument("--title", help="show this title instead of the feed's own")
    p.add_argument("--folder", help="put the source in this folder")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.subscribe import Added, SubscribeError, subscribe

    cfg, store = ctx.config(), ctx.store()

    async def go() -> Added:
        async with http_client(cfg) as client:
            return await subscribe(store, client, cfg, args.url, args.title, args.folder)

    try:
        added = asyncio.run(go())
    except SubscribeError as exc:
        raise Failure(clean_line(str(exc), 300)) from None
    if args.json:
        print_json(
            {
                "url": added.url,
                "title": clean_line(added.title, 300) or None,
                "discovered_from": added.discovered_from,
                "already": added.already,
                "updated": added.updated,
                "new_entries": added.new_entries,
            }
        )
        return 0
    if added.discovered_from:
        print(f"{added.discovered_from} is a web page; found its feed {added.url}")
    if added.already:
        changed = " and ".join(
            f"{k} set to {clean_line(v, 120)!r}" for k, v in added.updated.items()
        )
        print(f"already subscribed to {added.url}" + (f"; {changed}" if changed else ""))
    else:
        name = clean_line(added.title or added.url, 120)
        print(
            f"subscribed to {name} <{added.url}> ({plural(added.new_entries, 'entry', 'entries')})"
        )
    return 0


def _setup_remove(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="the source's feed URL, as `newsdesk sources` shows it")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_remove(ctx: Context, args: argparse.Namespace) -> int:
    url = args.url.strip()
    if not ctx.store().remove_source(url):
        raise Failure(f"no source with URL {clean_line(url, 300)}")
    if args.json:
        print_json({"removed": url})
    else:
        print(f"removed {url}")
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
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui.feeds.opml import ImportError_, read_subscriptions

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise Failure(f"cannot read {args.file}: {exc.strerror}") from None
    try:
        subs = read_subscriptions(data)
    except ImportError_ as exc:
        raise Failure(f"{args.file}: {exc}") from None
    store = ctx.store()
    added = skipped = 0
    for sub in subs:
        if store.add_source(sub.url, sub.title, sub.folder):
            added += 1
        else:
            skipped += 1
    if args.json:
        print_json({"added": added, "duplicates": skipped})
    else:
        print(f"imported {plural(added, 'source')}, skipped {plural(skipped, 'duplicate')}")
    return 0


def _setup_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--json", action="store_true", help="print the subscriptions as JSON instead of OPML"
    )


def _run_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui.feeds.opml import Subscription, write_opml

    subs = [
        Subscription(r["url"], r["title_override"] or r["title"], r["folder"])
        for r in ctx.store().sources()
    ]
    if args.json:
        data = [{"url": s.url, "title": clean_line(s.title, 300) or None, "folder": s.folder}
                for s in subs]  # fmt: skip
        text = json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    else:
        text = write_opml(subs)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Failure(f"cannot write {args.output}: {exc.strerror}") from None
        print(f"wrote {plural(len(subs), 'source')} to {args.output}", file=sys.stderr)
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
