"""The generator core alone (load, validate, verify quotes, render), in a fresh
interpreter: `python -m benchmarks.core_timing PROJECT [PROCESSES] [--steps]` prints JSON,
with each step timed to show where the time goes if asked."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from factcheck_site.build import load_and_render, processes_available
from factcheck_site.config import read_settings
from factcheck_site.content.load import CLAIM_SUFFIX, list_files, load_claim, load_sources
from factcheck_site.content.model import Site
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.content.settings import Settings
from factcheck_site.content.yaml_reader import parse_yaml
from factcheck_site.render.listings import render_home_page
from factcheck_site.render.safe_markdown import markdown_to_html
from factcheck_site.render.site_pages import render_claim_pages, render_listing_pages, render_source_pages


def run(settings: Settings) -> tuple[dict[str, float], dict[str, Any]]:
    """The work of load_site and render_site, step by step."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    verdicts = {v.id: v for v in settings.scale}
    sources, broken, problems = load_sources(settings.sources_dir, settings.root)
    lap("load sources")
    files, found = list_files(settings.claims_dir, CLAIM_SUFFIX, settings.root)
    problems += found
    claims = {}
    for path, shown in files:
        claim, found = load_claim(path, shown, verdicts, sources, broken)
        problems += found
        if claim is not None:
            claims[claim.id] = claim
    lap("load and verify claims")
    site = Site(sources, claims, settings.scale)
    pages = render_claim_pages(site, True, publication_from_settings(settings, True))
    lap("render claim pages")
    pages.update(render_source_pages(site))
    lap("render source pages")
    pages.update(render_listing_pages(site))
    pages["index.md"] = render_home_page(site, True)
    lap("render listings")
    for claim in claims.values():  # measured again on its own: the Markdown part of rendering claim pages
        markdown_to_html(claim.analysis or "")
    lap("of which Markdown (analyses)")
    yaml_started = time.perf_counter()
    for path, _ in files:
        parse_yaml(path.read_text(encoding="utf-8"))
    timings["of which YAML parsing"] = time.perf_counter() - yaml_started
    return timings, {"claims": len(claims), "sources": len(sources), "pages": len(pages), "problems": len(problems)}


def main() -> None:
    """`python -m benchmarks.core_timing PROJECT [PROCESSES] [--steps]`: the core as builds run it (every
    core, unless PROCESSES says how many); with --steps, then once more step by step."""
    arguments = [a for a in sys.argv[1:] if a != "--steps"]
    project = Path(arguments[0])
    processes = int(arguments[1]) if len(arguments) > 1 else processes_available()
    settings, _ = read_settings(project / "mkdocs.yml")
    started, cpu = time.perf_counter(), time.process_time()
    site, pages, problems = load_and_render(settings.claims_dir, settings.sources_dir, settings.scale, settings.root,
                                            True, publication_from_settings(settings, True), processes=processes)
    pages.setdefault("index.md", render_home_page(site, True))
    result: dict[str, Any] = {"seconds": time.perf_counter() - started,
                              "parent_cpu_seconds": time.process_time() - cpu, "processes": processes,
                              "claims": len(site.claims), "sources": len(site.sources), "pages": len(pages),
                              "problems": len(problems)}
    if "--steps" in sys.argv:
        result["steps"], _ = run(settings)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
