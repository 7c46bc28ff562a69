"""Commands that maintain the cache: refresh and check."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from tui.cli.output import http_client, plural, print_json
from tui.services.context import Context


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
    show = sys.stderr.isatty() and not args.json
    progress = _progress_bar if show else None
    started = time.monotonic()
    articles = {"fetched": 0, "failed": 0}

    def page_progress(done: int, total: int, failed: int) -> None:
        articles["fetched"], articles["failed"] = done - failed, failed
        if show:
            _bar("articles", done, total, f" ({failed} failed)" if failed else "")

    async def go():
        async with http_client(cfg) as client:
            summary = await Refresher(store, client, cfg).run(progress=progress, due_only=args.due)
            if cfg.prefetch and not args.no_articles and summary.new_ids:
                if show:
                    sys.stderr.write("\n")
                await _prefetch(store, client, cfg, summary.new_ids, page_progress)
            return summary

    from tui.store.retention import maintain

    summary = asyncio.run(go())
    pruned = maintain(store, cfg)
    if show and summary.results:
        sys.stderr.write("\n")
    # the whole run, articles and pruning included: what the user waited for
    seconds = time.monotonic() - started
    data = {**summary.to_json(), "pruned": pruned, "articles": articles, "seconds": seconds}
    if args.json:
        data["seconds"] = round(seconds, 3)
        print_json(data)
        return 0
    print(_summary_line(data, summary.next_due))
    for err in data["errors"]:
        print(f"  {err['source']}: {err['error']}")
    return 0


def _summary_line(data: dict, next_due: float | None) -> str:
    """One line for people: what was fetched, what was not due, what was pruned, how long."""
    if not data["sources"] and data["not_due"]:
        wait = max(0.0, (next_due or time.time()) - time.time())
        return f"{plural(data['not_due'], 'source')} not due (next in {_minutes(wait)})"
    line = (
        f"{plural(data['sources'], 'source')}: {data['ok']} updated, "
        f"{data['not_modified']} unchanged, {data['failed']} failed, {data['skipped']} skipped"
    )
    if data["not_due"]:
        line += f", {data['not_due']} not due"
    line += f"; {plural(data['new_entries'], 'new entry', 'new entries')}"
    pages = data["articles"]
    if pages["fetched"] or pages["failed"]:
        line += f", {plural(pages['fetched'], 'article')} fetched"
        line += f" ({pages['failed']} failed)" if pages["failed"] else ""
    if data["pruned"]:
        line += f"; pruned {plural(data['pruned'], 'old entry', 'old entries')}"
    return line + f" in {data['seconds']:.1f} s"


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} min" if minutes < 120 else f"{minutes / 60:.0f} h"


async def _prefetch(store, client, cfg, new_ids: list[int], progress) -> None:
    from tui.services.extract_pool import shutdown
    from tui.services.prefetch import prefetch_articles

    try:
        await prefetch_articles(store, client, cfg, new_ids, progress)
    finally:
        shutdown()  # before the loop closes: no pool thread left for the interpreter's exit


def _progress_bar(result, done: int, total: int) -> None:
    _bar("refreshing", done, total)


def _bar(label: str, done: int, total: int, extra: str = "") -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "." * (width - filled)
    sys.stderr.write(f"\r{label:<10} [{bar}] {done}/{total}{extra}\x1b[K")
    sys.stderr.flush()


def _setup_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_check(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    report = store.recovered or store.repair()
    if args.json:
        print_json({"cache": str(store.path), "ok": report is None, "repaired": report})
    else:
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
