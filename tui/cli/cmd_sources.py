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


def _nonblank(value: str) -> str:
    """An empty URL is a malformed value (exit 2 with the usage), not a failed subscription."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the URL is empty")
    return value


def _setup_add(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", type=_nonblank, help="feed URL, or a web page that links to its feed")
    p.add_argument("--title", help="show this title instead of the feed's own")
    p.add_argument("--folder", help="put the source in this folder")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.operations import AddFailed, add_source
    from tui.services.session import Session
    from tui.services.subscribe import Added

    cfg, store = ctx.config(), ctx.store()

    async def go() -> Added:
        async with http_client(cfg) as client:
            return await add_source(Session(store, cfg, client), args.url, args.title, args.folder)

    try:
        added = asyncio.run(go())
    except AddFailed as exc:
        raise Failure(clean_line(str(exc), 300)) from None
    url = clean_line(added.url, 2000)
    if args.json:
        print_json(
            {
                "url": added.url,
                "title": clean_line(added.title, 300) or None,
                "discovered_from": added.discovered_from,
                "already": added.already,
                "updated": added.updated,
                "note": added.note,
                "new_entries": added.new_entries,
            }
        )
        return 0
    if added.note:
        print(f"newsdesk: {clean_line(added.note, 300)}", file=sys.stderr)
    if added.discovered_from:
        print(f"{clean_line(added.discovered_from, 2000)} is a web page; found its feed {url}")
    if added.already:
        changed = " and ".join(
            f"{k} set to {clean_line(v, 120)!r}" for k, v in added.updated.items()
        )
        print(f"already subscribed to {url}" + (f"; {changed}" if changed else ""))
    else:
        name = clean_line(added.title or added.url, 120)
        print(f"subscribed to {name} <{url}> ({plural(added.new_entries, 'entry', 'entries')})")
    return 0


def _setup_remove(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="the source's feed URL, as `newsdesk sources` shows it")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_remove(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.operations import remove_source

    url = args.url.strip()
    # a URL stored before imports were checked may hold controls; `sources` shows it
    # cleaned, and that is what the user types back (remove_source finds it so)
    if not remove_source(ctx.store(), url):
        raise Failure(f"no source with URL {clean_line(args.url, 2000)}")
    if args.json:
        print_json({"removed": url})
    else:
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
    # the counts are unread/all entries, rules' hidden ones included (the reader's list hides them)
    print(f"  {'unread':>6}/{'entries':<7} [folder] title  <feed url>")
    for s in items:
        mark = "!" if s["error"] else " "
        folder = f"[{s['folder']}] " if s["folder"] else ""
        print(f"{mark} {s['unread']:>6}/{s['entries']:<7} {folder}{s['title']}  <{s['url']}>")
        if s["error"]:
            print(f"      error: {s['error']}")
        if s["warning"]:
            print(f"      warning: {s['warning']}")
    return 0


def _setup_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="an OPML file or a newsboat urls file")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_import(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.operations import OperationError, import_subscriptions

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise Failure(f"cannot read {args.file}: {exc.strerror}") from None
    try:
        result = import_subscriptions(ctx.store(), data, args.file)
    except OperationError as exc:
        raise Failure(str(exc)) from None
    added, duplicates = result.added, result.duplicates
    if args.json:
        print_json(
            {
                "added": added,
                "duplicates": duplicates,
                "skipped": sum(result.skipped.values()),
                "skipped_reasons": result.skipped,
                "notes": result.noted,
                "warning": result.problem or None,
            }
        )
    else:
        print(f"imported {plural(added, 'source')}, skipped {plural(duplicates, 'duplicate')}")
        if added:
            print("nothing fetched yet: `newsdesk refresh` fetches them (or open the reader)")
    if result.skipped_text:
        print(f"newsdesk: {result.skipped_text}", file=sys.stderr)
    for note in result.note_lines:
        print(f"newsdesk: note: {note}", file=sys.stderr)
    if result.problem:
        # what came before the break is kept (exit 0, a re-import skips duplicates); the
        # warning says where the file broke so nothing is lost without a word
        print(f"newsdesk: warning: {clean_line(args.file, 300)}: {result.problem}", file=sys.stderr)
    return 0


def _setup_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--json", action="store_true", help="print the subscriptions as JSON instead of OPML"
    )


def _run_export(ctx: Context, args: argparse.Namespace) -> int:
    from tui.feeds.opml import Subscription, write_opml

    subs = [
        Subscription(r.url, r.title_override or r.title, r.folder) for r in ctx.store().sources()
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
