"""Loading, checking and rendering a whole site: the one pipeline that the MkDocs plugin, the
`factcheck` command, the benchmarks and the tests all run.

Claims do not depend on each other, and neither do pages once every claim is known, so
each step splits its work across processes: the sources are loaded, then the claims are
loaded and checked against them, then every page is rendered against the whole site.
The processes are forked from this one: they inherit what is already loaded, and only
their results travel back. With processes=1 everything runs in this process, and the
result is the same, in the same order, whatever the number of processes.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from factcheck_site.content.load import (
    CLAIM_SUFFIX,
    add_closest_passages,
    list_files,
    load_claim,
    load_each_source,
    load_sources,
)
from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.content.problems import Problem
from factcheck_site.content.publisher import Publication
from factcheck_site.content.settings import Settings
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.render.context import RenderContext
from factcheck_site.render.listings import render_home_page, render_home_section
from factcheck_site.render.site_pages import LISTINGS, render_claim_pages, render_source_pages
from factcheck_site.render.urls import HOME_SRC

# Fewer files than this per process, and starting the process costs more than it saves.
MIN_FILES_PER_CHUNK = 200
MAX_PROCESSES = 8
Item = TypeVar("Item")
Result = TypeVar("Result")


def processes_available() -> int:
    """One process per core, where forking is safe: never from a process running other
    threads (`mkdocs serve`'s web server), whose locks a child could inherit held."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_PROCESSES))


_pending: tuple[Callable[[Any], Any], list[Any]] | None = None  # what forked processes work on


def _run_chunk(index: int) -> Any:
    assert _pending is not None
    task, chunks = _pending
    gc.disable()
    try:
        return task(chunks[index])
    finally:
        gc.enable()


def map_in_processes(task: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                     processes: int, min_chunk: int = MIN_FILES_PER_CHUNK) -> list[Result]:
    """task over consecutive chunks of items, in forked processes; the results in the items' order.

    The task and items are inherited, not sent: only each chunk's index goes to a process.
    Chunks are small enough that results stream back while the rest is still being worked on.
    """
    global _pending
    count = min(processes * 4, len(items) // min_chunk)
    if processes <= 1 or count <= 1:
        return task(items)
    size = -(-len(items) // count)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _pending = (task, chunks)
    gc.freeze()
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for chunk in pool.map(_run_chunk, range(len(chunks))) for result in chunk]
    finally:
        _pending = None
        gc.unfreeze()


@dataclass(frozen=True)
class BuildOptions:
    """What to build, and how."""

    settings: Settings  # where the claims and sources are, and the verdict scale
    directory_urls: bool = True  # MkDocs' use_directory_urls: claims/foo/ rather than claims/foo.html
    publication: Publication | None = None  # None without a site_url: no structured data or social cards
    committed: Mapping[str, dt.date] = field(default_factory=dict)  # claim id -> last commit (git_dates.py)
    processes: int | None = None  # None: one per core (processes_available); 1: all in this process
    render: bool = True  # False: only load and check, as `factcheck validate` does


@dataclass(frozen=True)
class SiteBuild:
    site: Site  # the claims and sources that passed
    pages: dict[str, str]  # {src_uri: Markdown}, HOME_SRC included; none unless options.render
    problems: list[Problem]  # every problem, in every file
    home_section: str = ""  # the latest fact-checks, for a site's own home page (which replaces pages[HOME_SRC])


Timer = Callable[[str], None]  # told the name of each step of the build as it ends


def build_site(options: BuildOptions, timer: Timer | None = None) -> SiteBuild:
    """The site, its pages and its problems; every file is checked, whatever the problems found."""
    lap = timer or (lambda step: None)
    settings = options.settings
    processes = processes_available() if options.processes is None else options.processes
    sources, broken, problems = load_sources(
        settings.sources_dir, settings.root, lambda files: map_in_processes(load_each_source, files, processes))
    lap("load sources")
    claim_files, found = list_files(settings.claims_dir, CLAIM_SUFFIX, settings.root)
    problems += found
    verdicts = {v.id: v for v in settings.scale}
    claims: dict[str, Claim] = {}
    claim_ids = frozenset(path.stem for path, _ in claim_files)
    for claim, found in map_in_processes(partial(_load_claims, verdicts, sources, broken, claim_ids), claim_files,
                                         processes):
        problems += found
        if claim is not None:
            claims[claim.id] = claim
    problems = add_closest_passages(problems, sources)  # once every claim is checked, within one budget
    site = Site(sources, claims, settings.scale, committed=dict(options.committed))  # indexed once, before forking
    lap("load and verify claims")
    if not options.render:
        return SiteBuild(site, {}, problems)
    ctx = RenderContext(site, options.directory_urls, options.publication)
    pages: dict[str, str] = {}
    for rendered in map_in_processes(partial(_claim_pages, ctx), list(claims.values()), processes):
        pages.update(rendered)
    lap("render claim pages")
    # On a small site the other pages take milliseconds, less than starting a process.
    processes = processes if len(claims) >= 2 * MIN_FILES_PER_CHUNK else 1
    for rendered in map_in_processes(_call_each, page_groups(ctx, processes), processes, 1):
        pages.update(rendered)
    pages[HOME_SRC] = render_home_page(ctx)
    lap("render source pages and listings")
    return SiteBuild(site, pages, problems, render_home_section(ctx))


def _load_claims(verdicts: dict[str, Verdict], sources: dict[str, Source], broken: set[str],
                 claim_ids: frozenset[str],
                 files: Sequence[tuple[Path, str]]) -> list[tuple[Claim | None, list[Problem]]]:
    """Claim files, each checked on its own and against the sources (broken: those that failed) and the ids of
    every claim file."""
    return [load_claim(path, shown, verdicts, sources, broken, claim_ids) for path, shown in files]


def _claim_pages(ctx: RenderContext, claims: Sequence[Claim]) -> list[dict[str, str]]:
    return [render_claim_pages(ctx, claims)]


def page_groups(ctx: RenderContext, processes: int) -> list[Callable[[], dict[str, str]]]:
    """The pages after the claims', in order, as groups of similar cost."""
    sources = list(ctx.site.sources.values())
    size = max(1, -(-len(sources) // (processes * 4)))
    groups: list[Callable[[], dict[str, str]]] = [
        partial(render_source_pages, ctx, sources[i : i + size]) for i in range(0, len(sources), size)]
    return groups + [partial(render, ctx) for render in LISTINGS]


def _call_each(calls: Sequence[Callable[[], dict[str, str]]]) -> list[dict[str, str]]:
    return [call() for call in calls]
