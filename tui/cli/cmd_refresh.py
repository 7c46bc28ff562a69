"""Commands that maintain the cache: refresh and check."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import TYPE_CHECKING, Any

from tui.cli.output import http_client, plural, print_json
from tui.services.context import Context
from tui.services.session import QuietRefresh
from tui.store import StoreError
from tui.textclean import clean_line

if TYPE_CHECKING:
    from tui.services.pipeline import RefreshOutcome


def _setup_refresh(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    p.add_argument("--no-articles", action="store_true", help="do not prefetch full articles")
    p.add_argument(
        "--due",
        action="store_true",
        help="only sources due by their refresh interval and the server's caching hints (for cron)",
    )


class _Bars(QuietRefresh):
    """A refresh's progress as a bar on stderr (feeds, then articles)."""

    def progressed(self, done: int, total: int, phase: str) -> None:
        _bar("feeds" if phase == "refreshing" else "articles", done, total)


def _run_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.pipeline import RefreshRunning, run_refresh, stop_workers
    from tui.services.session import Session

    cfg, store = ctx.config(), ctx.store()
    if store.readonly:
        raise StoreError(f"cache {store.path} is read-only: refresh cannot store anything")
    show = sys.stderr.isatty() and not args.json
    start, started_at = time.monotonic(), time.time()

    async def go() -> RefreshOutcome:
        async with http_client(cfg) as client:
            return await run_refresh(
                Session(store, cfg, client),
                due_only=args.due,
                prefetch=not args.no_articles,
                events=_Bars() if show else None,
            )

    try:
        outcome = asyncio.run(go())
    except RefreshRunning as exc:
        # an overlapping cron run: not an error, and nothing to do
        if args.json:
            print_json({"running": True, "message": str(exc)})
        else:
            print(f"newsdesk: {exc}; not starting another", file=sys.stderr)
        return 0
    except KeyboardInterrupt:
        stop_workers()
        entries, articles = store.stored_since(started_at)
        if show:
            sys.stderr.write("\n")
        print(
            f"newsdesk: interrupted; kept {entries} new entries and {articles} full articles "
            "(run `newsdesk refresh` again for the rest)",
            file=sys.stderr,
        )
        return 130
    if show:
        sys.stderr.write("\n")
    data = {
        **outcome.summary.to_json(),
        "articles": outcome.prefetched,
        "articles_failed": outcome.prefetch_total - outcome.prefetched,
        "pruned": outcome.pruned,
        "stories_grouped": outcome.arrival.grouped,
        "marked_read_by_rules": outcome.arrival.marked_read,
        "starred_by_rules": outcome.arrival.starred,
        "stories_seconds": round(outcome.arrival.seconds, 3),
        "seconds": round(time.monotonic() - start, 3),
    }
    if outcome.maintenance_error or outcome.arrival_error:
        data["warning"] = "; ".join(
            w for w in (outcome.maintenance_error, outcome.arrival_error) if w
        )
    if outcome.accounts:
        data["accounts"] = [a.to_json() for a in outcome.accounts]
    from tui.cli.cmd_front import notified

    data.update(notified(ctx, outcome.notice, outcome.notify_error))
    if args.json:
        print_json(data)
        return 0
    _print_summary(data, outcome.summary.next_due)
    if outcome.accounts:
        from tui.cli.cmd_accounts import print_sync

        print_sync(outcome.accounts)
    return 0


def _print_summary(data: dict[str, Any], next_due: float | None = None) -> None:
    if not data["sources"] and data["not_due"]:
        wait = max(0.0, (next_due or time.time()) - time.time())
        print(f"{plural(data['not_due'], 'source')} not due (next in {_minutes(wait)})")
        return
    not_due = f", {data['not_due']} not due" if data["not_due"] else ""
    print(
        f"{plural(data['sources'], 'source')}: {data['ok']} updated, "
        f"{data['not_modified']} unchanged, {data['failed']} failed, {data['skipped']} skipped"
        f"{not_due}; {plural(data['new_entries'], 'new entry', 'new entries')} "
        f"in {data['seconds']:.1f} s"
    )
    if data["articles"] or data["articles_failed"]:
        print(f"articles: {data['articles']} kept, {data['articles_failed']} without full text")
    if data["pruned"]:
        print(f"pruned {plural(data['pruned'], 'old entry', 'old entries')}")
    if data.get("warning"):
        print(f"warning: {data['warning']}")
    if data.get("notify_error"):
        print(f"notify: {data['notify_error']}")
    for err in data["errors"]:
        print(f"  {clean_line(err['source'], 2000)}: {clean_line(err['error'], 300)}")


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} min" if minutes < 120 else f"{minutes / 60:.0f} h"


def _bar(phase: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "." * (width - filled)
    sys.stderr.write(f"\r{phase:>8} [{bar}] {done}/{total}   ")
    sys.stderr.flush()


def _setup_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _run_check(ctx: Context, args: argparse.Namespace) -> int:
    from tui.services.pictures import totals

    store = ctx.store()
    report = store.recovered or store.repair()
    pictures = totals(store)
    budget = ctx.config().image_cache_mb
    if args.json:
        print_json(
            {
                "cache": str(store.path),
                "ok": report is None,
                "repaired": report,
                "pictures": pictures.count,
                "pictures_failed": pictures.failed,
                "pictures_bytes": pictures.size,
                "pictures_budget_bytes": budget * 1024 * 1024,
            }
        )
    else:
        print(report or f"cache {store.path} is fine")
        print(
            f"{plural(pictures.count, 'picture')} kept ({pictures.size / 1048576:.1f} MB of "
            f"{budget} MB), {pictures.failed} unavailable"
        )
    return 0


COMMANDS = {
    "refresh": (_setup_refresh, _run_refresh, "fetch every source and store new entries"),
    "check": (
        _setup_check,
        _run_check,
        "check the cache; a damaged one is moved aside and rebuilt",
    ),
}
