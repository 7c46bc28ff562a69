"""Nudges after a refresh: a desktop note for new entries that pass the rules.

`notify` (config): "off"; "terminal": an OSC 9 (or OSC 777 where the terminal speaks that one)
written to the terminal the reader or the command runs in; "command": `notify_command` (an
argument list, run without a shell) gets the JSON summary on standard input and
`notify_timeout` seconds, after which it and anything it started are killed. `notify_match`
(a rule's match: word, "phrase", /regex/, leading ! to negate) narrows what is announced.

Untrusted text stays data: titles are cleaned of control sequences, and the OSC payload keeps
printable characters only (and no `;`, the field separator of OSC 777), so a feed cannot end
the sequence early and write its own. The JSON is ASCII with every control escaped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass
from typing import Any

from tui.services.rules import RuleError, match_sql, parse_rule, parse_rules, rules_sql
from tui.settings.config import Config
from tui.store import Store
from tui.store.front import Notable, unread_among
from tui.textclean import clean_line, safe_url

LISTED = 50  # entries named in the JSON summary
PAYLOAD_CHARS = 160


@dataclass(frozen=True)
class Notice:
    entries: list[Notable]

    def summary(self) -> dict[str, Any]:
        return {
            "new": len(self.entries),
            "entries": [
                {
                    "id": e.id,
                    "source": clean_line(e.source_title, 300),
                    "title": clean_line(e.title, 1000),
                    "link": safe_url(e.link),
                }
                for e in self.entries[:LISTED]
            ],
            "truncated": len(self.entries) > LISTED,
        }

    def summary_bytes(self) -> bytes:
        return (json.dumps(self.summary(), ensure_ascii=True) + "\n").encode("ascii")

    def body(self) -> str:
        """ "3 new entries: <newest title> (Source)", printable characters only."""
        n = len(self.entries)
        first = self.entries[0]
        what = f"{n} new {'entry' if n == 1 else 'entries'}"
        text = f"{what}: {clean_line(first.title, 200)} ({clean_line(first.source_title, 80)})"
        return osc_safe(text, PAYLOAD_CHARS)

    def terminal_payload(self, env: dict[str, str] | None = None) -> str:
        """The escape sequence to write to the terminal."""
        env = dict(os.environ) if env is None else env
        if speaks_osc777(env):
            return f"\x1b]777;notify;newsdesk;{self.body()}\x1b\\"
        return f"\x1b]9;newsdesk: {self.body()}\x1b\\"


def osc_safe(text: str, limit: int) -> str:
    """Only printable characters, no `;`: nothing in it can end or split an OSC sequence."""
    kept = "".join(c if c.isprintable() and c != ";" else ("," if c == ";" else " ") for c in text)
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def speaks_osc777(env: dict[str, str]) -> bool:
    """VTE terminals (GNOME Terminal, Tilix…), foot and urxvt show OSC 777 notes; iTerm2,
    WezTerm, kitty, Ghostty and Windows Terminal show OSC 9 ones. Only one is sent: a terminal
    that speaks both would show the note twice."""
    term = env.get("TERM", "")
    return bool(env.get("VTE_VERSION")) or term.startswith(("foot", "rxvt-unicode"))


def match_condition(config: Config) -> tuple[tuple[str, tuple[object, ...]] | None, str | None]:
    """SQL (alias e) for "not hidden by the rules and matching notify_match", and an error
    line when notify_match is not a valid match (then nothing is announced)."""
    rules, _errors = parse_rules(config.rules)
    parts: list[str] = []
    params: list[object] = []
    hidden = rules_sql(rules)
    if hidden is not None:
        parts.append(f"NOT {hidden[0]}")
        params += hidden[1]
    if config.notify_match.strip():
        try:
            rule = parse_rule(0, {"match": config.notify_match, "name": "notify_match"})
        except RuleError as exc:
            return None, str(exc).replace("rule 'notify_match'", "notify_match")
        sql, match_params = match_sql(rule)
        parts.append(sql)
        params += match_params
    return (" AND ".join(parts) or "1", tuple(params)), None


def notice_for(
    store: Store, config: Config, new_ids: list[int]
) -> tuple[Notice | None, str | None]:
    """What to announce of a refresh's new entries (None: nothing), and an error line."""
    if config.notify == "off" or not new_ids:
        return None, None
    condition, error = match_condition(config)
    if condition is None:
        return None, error
    entries = unread_among(store, new_ids, condition)
    return (Notice(entries) if entries else None), None


def run_command(argv: list[str], data: bytes, timeout: float) -> str | None:
    """Run the notify command with `data` on stdin, no shell; None when it succeeded, else one
    line saying what went wrong. A command still running after `timeout` seconds is killed
    with everything it started (its own process group)."""
    if not argv:
        return 'notify = "command" but notify_command is empty'
    name = clean_line(argv[0], 200)
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return f"notify command {name} did not start: {clean_line(exc.strerror or str(exc), 200)}"
    try:
        _out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return f"notify command {name} took more than {timeout:g} s and was stopped"
    if proc.returncode != 0:
        lines = (err or b"").decode("utf-8", "replace").strip().splitlines()
        last = clean_line(lines[-1], 200) if lines else ""
        said = f": {last}" if last else ""
        return f"notify command {name} failed (exit status {proc.returncode}){said}"
    return None


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()
    try:
        proc.communicate(timeout=2)
    except subprocess.TimeoutExpired:
        pass


def announce(store: Store, config: Config, new_ids: list[int]) -> tuple[Notice | None, str | None]:
    """notice_for, then the command when notify = "command" (for callers outside a refresh run,
    such as `newsdesk sync`); the terminal payload is the caller's to write."""
    notice, error = notice_for(store, config, new_ids)
    if notice is not None and config.notify == "command":
        error = run_command(config.notify_command, notice.summary_bytes(), config.notify_timeout)
    return notice, error
