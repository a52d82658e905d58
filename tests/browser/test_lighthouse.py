"""Lighthouse (12.2.3, from tests/browser/package-lock.json) on the built site, as a phone (its mobile
defaults), through Debian's Chromium: every kind of page readers land on scores 100 for accessibility, best
practices and SEO, and stays within its budget of bytes and requests (page_budgets.yml).

Nothing here is timed: the performance score is computed from timings, which a slower or busier machine
moves by several points, so it is measured by `./dev bench` (benchmarks/lighthouse_timing.py), calibrated to
the host's speed. What makes a page slow to a reader and does not depend on the machine is asserted instead:
what blocks the first paint (Chromium's own classification of each request, from the trace), the bytes sent
before it, the script and stylesheet bytes, and the number of requests.

The site is served as GitHub Pages serves it: text compressed with gzip (the bytes budgeted are the bytes
that travel), and the site's 404.html for a missing page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import CHROMIUM, serve

HERE = Path(__file__).parent
SCRIPT = HERE / "lighthouse.mjs"
BUDGETS = HERE / "page_budgets.yml"
PAGES = {  # one of each kind a reader lands on
    "home": "",
    "archive": "archive/",
    "claim": "claims/deployment-lasted-120-days/",
    "source": "sources/dprk-soldiers-return-home/",
    "verdict scale": "verdicts/",
}
CATEGORIES = ("accessibility", "best-practices", "seo")


@pytest.fixture(scope="module")
def compressed_site_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site, compress=True)


def run_lighthouse(base: str, paths: list[str], *options: str) -> list[dict]:
    """One Lighthouse run per path, one after another (parallel runs would slow each other down); options:
    --performance[=CPU_SLOWDOWN] for the benchmarks."""
    node = shutil.which("node")
    assert node and (HERE / "node_modules" / "lighthouse").is_dir(), \
        "Lighthouse is missing: run `npm ci` in tests/browser (./dev test does)"
    result = subprocess.run([node, str(SCRIPT), *options, base, *paths], cwd=HERE,
                            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                            timeout=600 * len(paths), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.strip().splitlines()]


def page_costs(report: dict) -> dict[str, int]:
    """What a page costs a reader, from the requests Lighthouse's browser made loading it (data: addresses are
    inside the page, not requests): the measures page_budgets.yml bounds."""
    requests = [r for r in report["requests"] if r["url"].startswith(("http://", "https://"))]
    blocking = [r for r in requests if r["renderBlocking"] == "blocking"]
    document = [r for r in requests if r["resourceType"] == "Document"][:1]

    def size(kind: str) -> int:
        return sum(r["transferSize"] for r in requests if r["resourceType"] == kind)

    return {"render_blocking_requests": len(blocking),
            "bytes_before_first_paint": sum(r["transferSize"] for r in document + blocking),
            "script_bytes": size("Script"), "stylesheet_bytes": size("Stylesheet"), "requests": len(requests)}


def over_budget(costs: dict[str, int], budget: dict[str, int]) -> dict[str, str]:
    return {measure: f"{costs[measure]:,} > {limit:,}" for measure, limit in budget.items() if costs[measure] > limit}


@pytest.fixture(scope="module")
def reports(compressed_site_url: str) -> dict[str, dict]:
    """One Lighthouse run of each kind of page, shared by the tests below (one process runs them one after
    another: pytest-xdist would share parametrized tests out among its workers, whose runs would compete)."""
    found = run_lighthouse(compressed_site_url, list(PAGES.values()))
    by_path = {report["path"]: report for report in found}
    assert {kind: by_path[path]["runtimeError"] for kind, path in PAGES.items() if by_path[path]["runtimeError"]} == {}
    return {kind: by_path[path] for kind, path in PAGES.items()}


@pytest.mark.alone
def test_lighthouse_scores(reports: dict[str, dict]) -> None:
    shortfalls = {kind: {"scores": report["scores"], "failing": report["failing"]}
                  for kind, report in reports.items() if any(report["scores"][c] < 100 for c in CATEGORIES)}
    assert shortfalls == {}


@pytest.mark.alone
def test_every_kind_of_page_stays_within_its_budget(reports: dict[str, dict]) -> None:
    """A new blocking stylesheet or script, or a page grown past its budget, fails, naming the measure and
    the requests; raising a budget on purpose is a change to page_budgets.yml (how: its first lines)."""
    budgets = yaml.safe_load(BUDGETS.read_text(encoding="utf-8"))
    assert sorted(budgets) == sorted(PAGES), "page_budgets.yml has a budget for each kind of page"
    over = []
    for kind, report in reports.items():
        costs = page_costs(report)
        if excess := over_budget(costs, budgets[kind]):
            over.append(f"{kind} ({report['path'] or '/'}): " + "; ".join(f"{m} {v}" for m, v in excess.items()))
            over += [f"    {r['url']}: {r['resourceType']}, {r['transferSize']:,} B, "
                     f"{r['renderBlocking'] or 'not blocking'}"
                     for r in report["requests"] if r["url"].startswith(("http://", "https://"))]
    assert not over, "over budget (tests/browser/page_budgets.yml):\n" + "\n".join(over)
