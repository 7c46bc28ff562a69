"""Parts 2 and 3: time to first paint and peak memory, measured from outside in tmux.

Each program starts in a fresh tmux session (120×40) on a private tmux socket; `capture-pane`
is polled every few milliseconds until a known text is on screen. Peak memory is the VmHWM of
the pane's process a moment after the paint.
"""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.procs import vm_hwm_mb

# One tmux server per bench run: other runs on the machine stop theirs with kill-server.
SOCKET = f"newsdesk-bench-{os.getpid()}"
HERE = Path(__file__).resolve().parent


@dataclass
class Paint:
    seconds: float | None  # None: the marker never appeared
    peak_mb: float | None
    screen: str = ""


def tmux(*args: str, check: bool = True) -> str:
    out = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if check and out.returncode != 0:
        raise RuntimeError(f"tmux {args[0]}: {out.stderr.strip()}")
    return out.stdout


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def time_to_paint(
    cmd: list[str],
    marker: str,
    env: dict[str, str] | None = None,
    timeout: float = 30.0,
    settle: float = 1.0,
    cwd: str | None = None,
) -> Paint:
    """Seconds from starting `cmd` in tmux until `marker` is on screen, and its VmHWM after."""
    tmux("new-session", "-d", "-s", "idle", check=False)  # keep the tmux server warm
    session = f"b{os.getpid()}"
    tmux("kill-session", "-t", session, check=False)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
    shell = (
        f"cd {shlex.quote(cwd or os.getcwd())} && "
        f"exec env {exports} {' '.join(shlex.quote(c) for c in cmd)}"
    )
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", shell)
    seconds, screen = None, ""
    try:
        while time.perf_counter() - start < timeout:
            screen = tmux("capture-pane", "-p", "-t", session, check=False)
            if marker in screen:
                seconds = time.perf_counter() - start
                break
            time.sleep(0.005)
        pid = tmux("display-message", "-p", "-t", session, "#{pane_pid}", check=False).strip()
        time.sleep(settle)
        peak = vm_hwm_mb(int(pid)) if pid.isdigit() else None
    finally:
        tmux("kill-session", "-t", session, check=False)
    return Paint(seconds, peak, screen)


def start_session(cmd: list[str], env: dict[str, str], name: str = "tree") -> str:
    """A long-running program in its own tmux session (120×40); returns the session name."""
    tmux("new-session", "-d", "-s", "idle", check=False)
    session = f"{name}{os.getpid()}"
    tmux("kill-session", "-t", session, check=False)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    shell = f"exec env {exports} {' '.join(shlex.quote(c) for c in cmd)}"
    if os.environ.get("BENCH_EXIT_FILE"):
        shell = shell.removeprefix("exec ") + f"; echo $? > {os.environ['BENCH_EXIT_FILE']}"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", shell)
    return session


def session_pid(session: str) -> int:
    return int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())


def stop_session(session: str) -> None:
    tmux("kill-session", "-t", session, check=False)


def stop_tmux() -> None:
    tmux("kill-server", check=False)


def newsdesk_cmd(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "tui", "--offline", "--data-dir", str(data_dir)]


def minimal_cmd() -> list[str]:
    return [sys.executable, str(HERE / "minimal_app.py")]


def newsboat_cmd(home: Path) -> list[str]:
    return [
        "newsboat",
        "-u",
        str(home / "urls"),
        "-c",
        str(home / "cache.db"),
        "-C",
        str(home / "config"),
    ]


def repeat_paint(cmd: list[str], marker: str, runs: int, env=None, before=None) -> list[Paint]:
    out = []
    for _ in range(runs):
        if before:
            before()
        out.append(time_to_paint(cmd, marker, env=env))
    return out


def median_of(paints: list[Paint], attr: str) -> float | None:
    values = [getattr(p, attr) for p in paints if getattr(p, attr) is not None]
    return statistics.median(values) if len(values) == len(paints) and values else None
