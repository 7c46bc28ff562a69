"""Aggregator accounts: `account add|list|remove` and `sync [NAME]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from tui.cli.output import Failure, UsageError, http_client, iso, print_json
from tui.services.context import Context
from tui.textclean import clean_line

if TYPE_CHECKING:
    from tui.sync.engine import AccountResult


def setup_account(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add an account to the config file")
    add.add_argument("name", help="a short name: letters, digits, - and _")
    add.add_argument(
        "--type", required=True, choices=["ttrss", "greader", "miniflux", "folder", "ssh"],
        help="its API, or folder/ssh: your other machines running newsdesk",
    )  # fmt: skip
    add.add_argument(
        "--url", default="", help="tt-rss root, the Google Reader API root or Miniflux's URL"
    )
    add.add_argument("--path", default="", help="folder: the shared folder (ssh: the far one)")
    add.add_argument("--host", default="", help="ssh: [user@]host, as ssh takes it")
    add.add_argument(
        "--user", default="", help="required but for Miniflux (none: the password is an API key)"
    )
    add.add_argument(
        "--password-command",
        metavar="CMD",
        help="prints the password on its first line (run without a shell); "
        "else NEWSDESK_PASSWORD_<NAME> is read",
    )
    add.add_argument("--json", action="store_true", help="print JSON for scripts")
    lst = sub.add_parser("list", help="list accounts and their last sync")
    lst.add_argument("--json", action="store_true", help="print JSON for scripts")
    rm = sub.add_parser("remove", help="remove an account, its sources and entries")
    rm.add_argument("name")
    rm.add_argument("--json", action="store_true", help="print JSON for scripts")


def run_account(ctx: Context, args: argparse.Namespace) -> int:
    action = {"add": _add, "list": _list, "remove": _remove}[args.account_command]
    return action(ctx, args)


def _edit(ctx: Context, edit: Any) -> None:
    from tui.settings.configfile import ConfigWriteError, rewrite

    try:
        rewrite(ctx.config_file, edit)
    except (ConfigWriteError, ValueError) as exc:
        raise Failure(str(exc)) from None


def _add(ctx: Context, args: argparse.Namespace) -> int:
    from tui.settings.accounts import NAME, Account, add_account_table, parse_accounts

    if not NAME.match(args.name):
        raise UsageError(f"bad account name {args.name!r}: use letters, digits, - and _")
    account = Account(args.name, args.type, args.url, args.user, args.password_command,
                      args.path, args.host)  # fmt: skip
    spec = {"type": account.type, "url": account.url, "user": account.user}
    if account.is_peer:
        spec = {"type": account.type, "path": account.path, "host": account.host}
    try:
        parse_accounts({account.name: spec}, "account")  # the same checks the config gets
    except ValueError as exc:
        raise UsageError(str(exc).removeprefix("account: ")) from None
    ctx.config()  # a config that does not parse is reported before it is edited
    _edit(ctx, lambda text: add_account_table(text, account))
    if args.json:
        print_json({"added": account.name, "config": str(ctx.config_file),
                    "password": account.password_source()})  # fmt: skip
        return 0
    print(f"added account {account.name} to {ctx.config_file}")
    if account.password_source() == "none" and not account.is_peer:
        print(f"no password yet: set {account.env_var}, or add one with --password-command")
    print(f"run `newsdesk sync {account.name}` to fetch it")
    return 0


def _list(ctx: Context, args: argparse.Namespace) -> int:
    accounts = ctx.config().accounts
    rows = []
    for a in accounts.values():
        row: dict[str, Any] = {"name": a.name, "type": a.type, "url": a.url, "user": a.user,
                               "password": a.password_source()}  # fmt: skip
        if a.is_peer:  # no server: where the other machines' files are
            row = {"name": a.name, "type": a.type, "path": a.path, "host": a.host}
        row.update(_cache_summary(ctx, a.name))
        rows.append(row)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no accounts (add one with `newsdesk account add`)")
    for r in rows:
        last = r["last_sync"] or "never synced"
        if "path" in r:
            print(f"{r['name']}  {r['type']}  {':'.join(filter(None, [r['host'], r['path']]))}")
        else:
            who = f"{r['user']}@{r['url']}" if r["user"] else r["url"]  # Miniflux by API key
            print(f"{r['name']}  {r['type']}  {who}  password: {r['password']}")
        print(f"    {r['sources']} sources, {r['entries']} entries, {r['pending']} unsent; {last}")
        if r["last_error"]:
            print(f"    last error: {r['last_error']}")
    return 0


def _cache_summary(ctx: Context, name: str) -> dict[str, Any]:
    empty = {"sources": 0, "entries": 0, "pending": 0, "last_sync": None, "last_error": None}
    if not ctx.db_exists():
        return empty
    from tui.store.synced import account_summary

    summary = account_summary(ctx.store(), name)
    summary["last_sync"] = iso(summary["last_sync"])  # type: ignore[arg-type]
    summary["last_error"] = clean_line(summary["last_error"], 300) or None  # type: ignore[arg-type]
    return summary


def _remove(ctx: Context, args: argparse.Namespace) -> int:
    from tui.settings.accounts import remove_account_table

    if args.name not in ctx.config().accounts:
        raise Failure(f"no account named {args.name}")
    _edit(ctx, lambda text: remove_account_table(text, args.name))
    sources = dropped = 0
    if ctx.db_exists():
        from tui.store.synced import forget_account

        sources, dropped = forget_account(ctx.store(), args.name)
    if args.json:
        print_json({"removed": args.name, "sources": sources, "unsent_dropped": dropped})
        return 0
    note = f"; {dropped} unsent changes dropped" if dropped else ""
    print(f"removed account {args.name} and its {sources} sources{note}")
    return 0


def setup_sync(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", help="only this account")
    p.add_argument("--json", action="store_true", help="print a JSON summary for scripts")


def run_sync(ctx: Context, args: argparse.Namespace) -> int:
    cfg = ctx.config()
    if args.name and args.name not in cfg.accounts:
        raise Failure(f"no account named {args.name}")
    if not cfg.accounts and not args.json:
        print("no accounts (add one with `newsdesk account add`)", file=sys.stderr)
        return 0
    store = ctx.store()
    show = sys.stderr.isatty() and not args.json

    def progress(name: str, what: str) -> None:
        sys.stderr.write(f"\r{clean_line(name, 40)}: {what[:60]:60}")
        sys.stderr.flush()

    async def go() -> list[AccountResult]:
        from tui.sync.engine import sync_accounts

        async with http_client(cfg) as client:
            names = [args.name] if args.name else None
            return await sync_accounts(store, client, cfg, names, progress if show else None)

    from tui.services.runlock import SyncRunning, sync_lock

    try:
        with sync_lock(store.path.parent):
            results = asyncio.run(go())
    except SyncRunning as exc:  # an overlapping cron run: nothing to do, as for refresh
        if args.json:
            print_json({"running": True, "message": str(exc)})
        else:
            print(f"newsdesk: {exc}; not starting another", file=sys.stderr)
        return 0
    if show:
        sys.stderr.write("\r" + " " * 80 + "\r")
    from tui.cli.cmd_front import notified
    from tui.services.notify import announce

    note = notified(ctx, *announce(store, cfg, [i for r in results for i in r.new_ids]))
    if args.json:
        print_json({"accounts": [r.to_json() for r in results], **note})
        return 0
    print_sync(results)
    if note.get("notify_error"):
        print(f"notify: {note['notify_error']}")
    return 0


def print_sync(results: list[AccountResult]) -> None:
    for r in results:
        line = f"{r.name}: {r.pulled} pulled, {r.pushed} pushed, {r.pending} pending"
        print(line + (f"; error: {r.error}" if r.error else ""))


def setup_sync_peer(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="sender", required=True, metavar="ID", help="the sending machine")
    p.add_argument("--path", default="", help="the folder (default: peers/ in the data directory)")


def run_sync_peer(ctx: Context, args: argparse.Namespace) -> int:
    """The far side of an `ssh` account's sync: its file on stdin, the others' on stdout."""
    from pathlib import Path

    from tui.sync.model import SyncError
    from tui.sync.peerfiles import MAX_FILE
    from tui.sync.peers import default_folder, serve_peer

    data = sys.stdin.buffer.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise Failure(f"the sent file is larger than {MAX_FILE:,} bytes")
    folder = Path(args.path).expanduser() if args.path else default_folder(ctx.data_dir)
    try:
        answer = serve_peer(ctx.store(), folder, args.sender, data)
    except (SyncError, OSError) as exc:
        raise Failure(clean_line(str(exc), 300)) from None
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()
    return 0


COMMANDS = {
    "account": (setup_account, run_account, "add, list or remove aggregator accounts"),
    "sync-peer": (
        setup_sync_peer,
        run_sync_peer,
        "used over SSH by another machine's `ssh` account (not run by hand)",
    ),  # fmt: skip
    "sync": (
        setup_sync,
        run_sync,
        "sync with aggregator accounts (tt-rss, Google Reader, Miniflux)",
    ),
}
