"""Rows of the benchmark table, their targets, and the printed / JSON forms."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    key: str  # stable id, e.g. "refresh.cold"; the smoke test looks rows up by it
    label: str
    value: str  # ours, formatted
    compare: str = ""  # the reference (newsboat, minimal app), formatted
    target: str = ""
    passed: bool | None = None  # None: no target, or could not be measured
    data: dict[str, Any] = field(default_factory=dict)  # raw numbers for the JSON


def na(key: str, label: str, why: str, target: str = "") -> Row:
    return Row(key, label, f"n/a ({why})", target=target)


def ratio_row(
    key: str,
    label: str,
    ours: float,
    ref: float | None,
    ref_name: str,
    limit: float,
    unit: str = "s",
    **data: Any,
) -> Row:
    """A row whose target is `ours <= limit * ref`; no verdict when there is no reference."""
    value = _fmt(ours, unit)
    if ref is None or ref <= 0:
        return Row(
            key,
            label,
            value,
            f"{ref_name}: n/a",
            f"≤ {limit:g}× {ref_name}",
            None,
            {"ours": ours, **data},
        )
    ratio = ours / ref
    return Row(
        key,
        label,
        value,
        f"{ref_name} {_fmt(ref, unit)} → {ratio:.2f}×",
        f"≤ {limit:g}× {ref_name}",
        ratio <= limit,
        {"ours": ours, "reference": ref, "ratio": ratio, **data},
    )


def _fmt(x: float, unit: str) -> str:
    if unit == "s":
        return f"{x:.2f} s" if x >= 1 else f"{x * 1000:.0f} ms"
    if unit == "MB":
        return f"{x:.0f} MB"
    if unit == "ms":
        return f"{x:.1f} ms"
    return f"{x:g} {unit}"


def verdict(row: Row) -> str:
    return {True: "PASS", False: "FAIL", None: ""}[row.passed]


def format_table(rows: list[Row]) -> str:
    head = ("measure", "newsdesk", "reference", "target", "")
    cells = [head] + [(r.label, r.value, r.compare, r.target, verdict(r)) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = []
    for n, c in enumerate(cells):
        lines.append("  ".join(s.ljust(w) for s, w in zip(c, widths, strict=False)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(rows: list[Row], path: Path, command: str, settings: dict[str, Any]) -> None:
    doc = {
        "command": command,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
        },
        "settings": settings,
        "rows": [{**asdict(r), "verdict": verdict(r)} for r in rows],
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
