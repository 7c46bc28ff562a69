"""Commands that maintain the cache: refresh and check."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tui.cli.output import http_client, print_json
from tui.services.context import Context
from tui.store import StoreError
from tui.textclean import clean_line


def _setup_refresh(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    p.add_argument("--no-articles", action="store_true", help="do not prefetch full articles")
    p.add_argument(
        "--due",
        action="store_true",
        help="only sources due by their refresh interval and the server's caching hints (for cron)",
    )


def _run_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.refresh import Refresher

    cfg, store = ctx.config(), ctx.store()
    if store.readonly:
        raise StoreError(f"cache {store.path} is read-only: refresh cannot store anything")
    show = sys.stderr.isatty() and not args.json
    progress = _progress_bar if show else None

    async def go():
        async with http_client(cfg) as client:
            summary = await Refresher(store, client, cfg).run(progress=progress, due_only=args.due)
            if cfg.prefetch and not args.no_articles:
                await _prefetch(store, client, cfg, summary.new_ids)
            return summary

    from tui.store.retention import maintain

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
        print(f"  {clean_line(err['source'], 2000)}: {clean_line(err['error'], 300)}")
    return 0


async def _prefetch(store, client, cfg, new_ids: list[int]) -> None:
    from tui.services.prefetch import prefetch_articles

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


COMMANDS = {
    "refresh": (_setup_refresh, _run_refresh, "fetch every source and store new entries"),
    "check": (
        _setup_check,
        _run_check,
        "check the cache; a damaged one is moved aside and rebuilt",
    ),
}
