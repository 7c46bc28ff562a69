"""A push-only sync: queued marks out to their servers within seconds, the pull left alone.

The reader calls this a moment after a mark (tui/ui/reader_push.py), so a mark made while the
server is up reaches it in seconds rather than at the next refresh. Only accounts with changes
queued are contacted (a login and the push step of tui.sync.engine.Run); a folder account
rewrites its own file; an ssh account waits for the next full sync (one exchange does both
ways). A failure leaves the queue as it was, for the next try.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tui.settings.accounts import Account, PasswordError
from tui.settings.config import Config
from tui.store import Store, StoreError, queue
from tui.sync.engine import AccountResult, Run, make_remote
from tui.sync.model import SyncError
from tui.textclean import clean_line


async def push_accounts(
    store: Store, http: httpx.AsyncClient, config: Config
) -> list[AccountResult]:
    """Push every account that has something to send; never raises for a server."""
    results = []
    for account in config.accounts.values():
        if account.type == "ssh":
            continue
        result = AccountResult(account.name, account.type)
        try:
            if account.type == "folder":
                if not await _push_folder(store, account, result):
                    continue
            elif not await asyncio.to_thread(queue.pending_count, store, account.name):
                continue
            else:
                await _push_server(store, http, account, config, result)
        except (SyncError, PasswordError, StoreError, OSError) as exc:
            result.error = clean_line(str(exc), 300)
        try:
            result.pending = await asyncio.to_thread(queue.pending_count, store, account.name)
        except StoreError:
            pass
        results.append(result)
    return results


async def _push_server(
    store: Store, http: httpx.AsyncClient, account: Account, config: Config, result: AccountResult
) -> None:
    password = await asyncio.to_thread(account.password)
    remote = make_remote(http, account, password, config.deadline)
    try:
        await remote.login()
        await Run(store, remote, account, config, result, None).push()
    finally:
        result.requests = remote.requests


async def _push_folder(store: Store, account: Account, result: AccountResult) -> bool:
    from tui.sync.peers import push_folder

    folder = Path(account.path).expanduser()
    result.pushed = await asyncio.to_thread(push_folder, store, folder, account.name)
    return result.pushed > 0
