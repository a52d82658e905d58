"""The generator core alone (load, validate, verify quotes, render), in a fresh
interpreter: `python -m benchmarks.core_timing PROJECT [PROCESSES]` prints JSON.

With one process it also times each step, to show where the time goes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from generator.links import claim_src
from generator.load import CLAIM_SUFFIX, list_files, load_claim, load_sources
from generator.model import Site
from generator.pages import render_listing_pages, render_source_pages
from generator.pipeline import build_site, processes_available
from generator.quotes import normalized_source
from generator.render_claim import render_claim_page
from generator.render_index import render_home_page
from generator.safe_markdown import markdown_to_html
from generator.settings import read_settings
from generator.yamlsafe import parse_yaml


def steps(settings) -> dict[str, float]:  # noqa: ANN001 - a Settings
    """The same work as build_site in one process, step by step."""
    normalized_source.cache_clear()  # start as cold as build_site did
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    verdicts = {v.id: v for v in settings.scale}
    sources, broken, _ = load_sources(settings.sources_dir, settings.root)
    lap("load sources")
    files, _ = list_files(settings.claims_dir, CLAIM_SUFFIX, settings.root)
    claims = {}
    for path, shown in files:
        claim, _ = load_claim(path, shown, verdicts, sources, broken)
        if claim is not None:
            claims[claim.id] = claim
    lap("load and verify claims")
    site = Site(sources, claims, settings.scale)
    pages = {claim_src(c.id): render_claim_page(c, site) for c in claims.values()}
    lap("render claim pages")
    pages.update(render_source_pages(site, list(sources)))
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
    return timings


def main() -> None:
    project = Path(sys.argv[1])
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else processes_available()
    settings, _ = read_settings(project / "mkdocs.yml")
    started, cpu = time.perf_counter(), time.process_time()
    site, pages, problems = build_site(settings.claims_dir, settings.sources_dir, settings.scale, settings.root,
                                       processes=processes)
    pages.setdefault("index.md", render_home_page(site, True))
    result = {"seconds": time.perf_counter() - started, "parent_cpu_seconds": time.process_time() - cpu,
              "processes": processes, "claims": len(site.claims), "sources": len(site.sources),
              "pages": len(pages), "problems": len(problems)}
    if processes == 1:
        result["steps"] = steps(settings)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
