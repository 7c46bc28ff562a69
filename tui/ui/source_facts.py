"""What `e` shows about a source: its address, last status and error, when it was fetched and
when it will be again. Plain strings (cleaned by the dialog), so a test can read them."""

from __future__ import annotations

import time

from tui.services.desk import Config, SourceRow
from tui.ui.render import full_date


def source_facts(row: SourceRow, config: Config, now: float | None = None) -> list[tuple[str, str]]:
    """(name, value) lines for a `sources` row."""
    now = time.time() if now is None else now
    facts = [("URL", row.url)]
    if row.folder:
        facts.append(("Folder", row.folder))
    fetched = row.last_fetched
    status = row.last_status or ("never fetched" if not fetched else "")
    facts.append(("Status", "failed" if status == "error" else _status(status)))
    facts.append(("Error", row.last_error or "none"))
    if row.warning:
        facts.append(("Warning", row.warning))
    facts.append(
        ("Fetched", f"{full_date(fetched)} ({_ago(now - fetched)})" if fetched else "never")
    )
    facts.append(("Next", _next(row, config, now)))
    return facts


def _status(status: str) -> str:
    if status == "304":
        return "304 Not Modified (unchanged)"
    return f"HTTP {status}" if status.isdigit() else status


def _next(row: SourceRow, config: Config, now: float) -> str:
    """The refresh's own rules: the server's (capped) Retry-After first, then the interval."""
    from tui.services.refresh import due_at, retry_after, wait_until

    wait = retry_after(row)
    if wait is not None and wait > now:
        return f"not before {wait_until(wait, now)} (the server asked to wait)"
    if not row.last_fetched:
        return "at the next refresh (R)"
    due = due_at(config, row)
    if due <= now:
        return "due now: R refreshes, r this source"
    return f"due at {wait_until(due, now)} (in {_ago(due - now, suffix='')}); r refreshes it now"


def _ago(seconds: float, suffix: str = " ago") -> str:
    minutes = max(0, round(seconds / 60))
    if minutes < 1:
        return "just now" if suffix else "under a minute"
    if minutes < 120:
        return f"{minutes} min{suffix}"
    if minutes < 48 * 60:
        return f"{minutes // 60} h{suffix}"
    return f"{minutes // 1440} days{suffix}"
