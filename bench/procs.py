"""Run a process and measure it from outside: wall time and peak resident memory."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Measured:
    seconds: float
    peak_mb: float  # ru_maxrss of this one child (not the max over all children so far)
    cpu_seconds: float  # user + sys of the child
    returncode: int
    stdout: str
    stderr: str


def run_measured(
    cmd: list[str],
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 600.0,
) -> Measured:
    """Wall time from spawn to exit; rusage from wait4 on exactly this pid."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out_w, stderr=err_w
    )
    os.close(out_w)
    os.close(err_w)
    # Drain pipes in threads so a chatty child never blocks on a full pipe.
    import threading

    bufs: dict[int, bytes] = {}

    def drain(fd: int) -> None:
        with os.fdopen(fd, "rb") as f:
            bufs[fd] = f.read()

    threads = [threading.Thread(target=drain, args=(fd,), daemon=True) for fd in (out_r, err_r)]
    for t in threads:
        t.start()
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
        time.sleep(0.002)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join()
    return Measured(
        seconds,
        usage.ru_maxrss / 1024,
        usage.ru_utime + usage.ru_stime,
        proc.returncode,
        bufs[out_r].decode(errors="replace"),
        bufs[err_r].decode(errors="replace"),
    )


def vm_hwm_mb(pid: int) -> float | None:
    """Peak resident set of a live process (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
