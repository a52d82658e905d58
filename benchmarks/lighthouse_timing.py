"""Lighthouse's performance score of each kind of page a reader lands on, as the same phone on any host.

Lighthouse's simulated throttling multiplies the host's own CPU time by a slowdown (4 by default), so the
same site scores differently on a fast and a slow machine. The slowdown is calibrated instead from the
host's `benchmarkIndex`, which Lighthouse measures in every run, with the calculator its throttling
documentation points to (docs/throttling.md, "Calibrating the CPU slowdown":
https://lighthouse-cpu-throttling-calculator.vercel.app/): 3x at 1300, one more for each 233 above it, so a
host of 2,000 runs the phone's 4x at 6x. Each page is measured three times and the median counts
(Lighthouse's advice for scores that vary from run to run).

    python -m benchmarks.lighthouse_timing [--runs 3] [--out benchmarks/results]

builds the repository's site with `mkdocs build --strict`, serves it gzip-compressed as GitHub Pages does and
writes lighthouse.md and lighthouse.json. The tests (tests/browser/test_lighthouse.py) hold the same pages to
budgets of bytes and requests, which do not depend on the host."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.browser.conftest import serve
from tests.browser.test_lighthouse import PAGES, run_lighthouse

from .project import ROOT

TARGET = 98  # the median score each kind of page should reach


def cpu_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that makes this host Lighthouse's mid-tier phone (the calculator's multiplier, whose
    code reads: 3 + (index - 1300) / 233 from 1300, 2 + (index - 800) / 500 from 800, 1 + (index - 150) / 650
    from 150; below 150 a host is too slow to emulate the phone)."""
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    if benchmark_index >= 150:
        return 1 + (benchmark_index - 150) / 650
    raise RuntimeError(f"benchmarkIndex {benchmark_index:.0f}: this host is too slow to emulate Lighthouse's phone")


def _build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}")


def measure(runs: int = 3) -> dict[str, Any]:
    """Calibrate on the median benchmarkIndex of three runs of the home page, then `runs` runs of each kind of page
    at that slowdown."""
    with tempfile.TemporaryDirectory(prefix="factcheck-lighthouse-") as work:
        site = Path(work) / "site"
        _build(site)
        for base in serve(site, compress=True):
            probes = run_lighthouse(base, [PAGES["home"]] * 3, "--performance")  # the index varies with the load
            calibration = statistics.median(probe["benchmarkIndex"] for probe in probes)
            slowdown = round(cpu_slowdown(calibration), 1)
            reports = run_lighthouse(base, [path for path in PAGES.values() for _ in range(runs)],
                                     f"--performance={slowdown}")
    pages = {}
    for kind, path in PAGES.items():
        mine = [r for r in reports if r["path"] == path]
        scores = [r["scores"]["performance"] for r in mine]
        pages[kind] = {"path": path, "scores": scores, "median": statistics.median(scores),
                       "metrics": [r["metrics"] for r in mine], "failing": mine[-1]["failing"]}
    indexes = [r["benchmarkIndex"] for r in [*probes, *reports]]
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "cores": os.cpu_count(),
            "load_average": os.getloadavg()[0], "calibration_benchmark_index": calibration,
            "benchmark_indexes": indexes, "cpu_slowdown": slowdown, "runs": runs, "target": TARGET, "pages": pages}


def report(result: dict[str, Any]) -> str:
    lines = [
        "# Lighthouse performance, calibrated",
        "",
        f"Measured {result['date']} on {result['cores']} cores (load average {result['load_average']:.1f} at the end) "
        f"by `python -m benchmarks.lighthouse_timing` (`./dev bench --lighthouse-only`): the host's benchmarkIndex "
        f"was {result['calibration_benchmark_index']:.0f} (the median of three calibration runs; from "
        f"{min(result['benchmark_indexes']):.0f} to "
        f"{max(result['benchmark_indexes']):.0f} over the runs), so the CPU slowdown was "
        f"{result['cpu_slowdown']:.1f}x, as Lighthouse's calculator gives it. Mobile, simulated throttling, "
        f"the site served gzip-compressed; the median of {result['runs']} runs counts. Target: {result['target']}.",
        "",
        "| Page | Median | Runs | First contentful paint (ms) | Largest contentful paint (ms) "
        "| Total blocking time (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, page in result["pages"].items():
        def middle(metric: str, page: dict[str, Any] = page) -> int:
            return round(statistics.median(m[metric] for m in page["metrics"]))

        lines.append(f"| {kind} (`/{page['path']}`) | {page['median']:g} | {', '.join(map(str, page['scores']))} | "
                     f"{middle('first-contentful-paint')} | {middle('largest-contentful-paint')} | "
                     f"{middle('total-blocking-time')} |")
    lines += ["", "What Lighthouse found short in each page's last run:", ""]
    lines += [f"- {kind}: {'; '.join(page['failing']) or 'nothing'}" for kind, page in result["pages"].items()]
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "lighthouse.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (out / "lighthouse.md").write_text(report(result), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lighthouse_timing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each page, the median counting (default: 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results",
                        help="where lighthouse.md and lighthouse.json go (default: benchmarks/results)")
    args = parser.parse_args(argv)
    result = measure(args.runs)
    write(result, args.out)
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
