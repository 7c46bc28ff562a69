"""The threads that background work (a refresh, its prefetch) runs its blocking calls in.

Not asyncio's default executor: Textual runs the reader's own thread workers (opening an
article, loading a page of headlines) there, first come first served, and a prefetch of 1,000
pages queues thousands of SQLite writes ahead of them, which held an open article back by
seconds. With their own threads the writes queue among themselves.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# Two: the store takes one writer at a time anyway; the second parses (small refreshes parse
# in a thread) or reads while the first writes.
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsdesk-background")


async def to_background(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """asyncio.to_thread for background work, in the background threads."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, functools.partial(fn, *args, **kwargs))
