"""Run the hostile suite (tests/core/test_hostile_*.py, tests/ui/test_hostile_*.py) and print the
figures the README quotes.

    python bench/hostile_report.py [--json]

Cases that record a figure of their own (requests a sync made, a process's peak memory, bytes a
copy took on disk, requests that reached a loopback service) are listed under the table.

Cases tried counts every hostile case (each feed/transport case, each article page in the
prefetch run, each `read`, the TUI runs); hypothesis examples are counted apart; a crash is any case whose
test failed or errored (an expected failure for a reported bug is listed, not counted); entries
lost sums what the refresh cases found missing or changed state after the hostile refresh.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Collector:
    """A pytest plugin that keeps each test's outcome and call duration."""

    def __init__(self) -> None:
        self.results: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report) -> None:
        entry = self.results.setdefault(report.nodeid, {"outcome": "passed", "seconds": 0.0})
        if report.when == "call":
            entry["seconds"] = report.duration
        if hasattr(report, "wasxfail"):
            entry["outcome"] = "xfailed" if report.skipped else "xpassed"
        elif report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"


def run() -> dict:
    collector = Collector()
    with tempfile.NamedTemporaryFile(prefix="hostile_record_", suffix=".jsonl", delete=False) as f:
        record_path = f.name
    os.environ["NEWSDESK_HOSTILE_RECORD"] = record_path
    started = time.monotonic()
    try:
        pytest.main(
            [str(p) for p in sorted((ROOT / "tests").glob("**/test_hostile_*.py"))]
            + ["-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics"],
            plugins=[collector],
        )
        lines = Path(record_path).read_text().splitlines()
    finally:
        os.unlink(record_path)
    records = [json.loads(line) for line in lines if line.strip()]
    total = time.monotonic() - started
    results = collector.results
    props = [n for n in results if "test_hostile_props" in n]
    examples = 100 * len(props)  # settings(max_examples=...) in test_hostile_props.py
    prefetch_pages = 6  # the prefetch run covers 7 pages, one recorded row
    tried = len(results) - len(props) + prefetch_pages
    crashes = [n for n, r in results.items() if r["outcome"] in ("failed", "error")]
    xfails = [n for n, r in results.items() if r["outcome"] == "xfailed"]
    timed = [r for r in records if "seconds" in r]  # some cases record counts, not a time
    # cases that record a figure of their own (requests made, peak memory, bytes on disk...)
    figures = [r for r in records if set(r) - {"case", "seconds", "lost", "code"}]
    slowest_record = max(timed, key=lambda r: r["seconds"], default=None)
    slowest_test = max(results.items(), key=lambda kv: kv[1]["seconds"], default=(None, {}))
    return {
        "cases_tried": tried,
        "property_examples": examples,
        "crashes": len(crashes),
        "crashed": crashes,
        "entries_lost": sum(r.get("lost", 0) for r in records),
        "longest_case_s": slowest_record and slowest_record["seconds"],
        "longest_case": slowest_record and slowest_record["case"],
        "longest_test_s": round(slowest_test[1].get("seconds", 0.0), 2),
        "longest_test": slowest_test[0],
        "known_bugs_xfail": xfails,
        "suite_seconds": round(total, 1),
        "case_figures": figures,
    }


def main() -> int:
    figures = run()
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))
        return 0 if figures["crashes"] == 0 else 1
    rows = [
        (
            "hostile cases tried",
            f"{figures['cases_tried']} (+{figures['property_examples']} property-based examples)",
        ),
        ("crashes", str(figures["crashes"])),
        ("entries lost", str(figures["entries_lost"])),
        ("longest case", f"{figures['longest_case_s']:.1f} s ({figures['longest_case']})"),
        ("longest test", f"{figures['longest_test_s']:.1f} s ({figures['longest_test']})"),
        ("whole suite", f"{figures['suite_seconds']:.0f} s"),
        ("known bugs (xfail)", str(len(figures["known_bugs_xfail"]))),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    print(f"| {'figure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for k, v in rows:
        print(f"| {k:<{width}} | {v} |")
    if figures["case_figures"]:
        print()
        print("| case | figures |")
        print("|------|---------|")
        for r in figures["case_figures"]:
            shown = ", ".join(
                f"{k}={round(v, 2) if isinstance(v, float) else v}"
                for k, v in r.items()
                if k != "case"
            )
            print(f"| {r['case']} | {shown} |")
    for name in figures["crashed"]:
        print(f"crashed: {name}")
    return 0 if figures["crashes"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
