"""Loading and rendering a whole site on every core.

Claims do not depend on each other, and neither do source pages once every claim is
known, so each step splits its files across processes. The processes are forked from
this one: they inherit what is already loaded (sources, then claims), and only their
results travel back. The result is the same, in the same order, as load_site followed
by render_site.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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
from factcheck_site.content.model import Claim, Site
from factcheck_site.content.problems import Problem
from factcheck_site.content.publisher import Publication
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.render.claim_page import render_claim_page
from factcheck_site.render.site_pages import LISTINGS, render_source_pages
from factcheck_site.render.urls import claim_src

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
class _Claims:
    """Everything a claim needs to be checked and rendered, built before the processes fork."""

    site: Site  # the sources, the scale and the commit dates: what a claim is checked against and shown with
    broken: set[str]  # sources that failed: claims quoting them are not reported again
    directory_urls: bool
    publication: Publication | None
    render: bool

    def __call__(self, files: Sequence[tuple[Path, str]]) -> list[tuple[Claim | None, list[Problem], str | None]]:
        results = []
        for path, shown in files:
            claim, problems = load_claim(path, shown, self.site.verdicts, self.site.sources, self.broken)
            page = None
            if claim is not None and self.render:
                page = render_claim_page(claim, self.site, self.directory_urls, self.publication)
            results.append((claim, problems, page))
        return results


def load_and_render(claims_dir: Path, sources_dir: Path, scale: tuple[Verdict, ...], root: Path,
                    directory_urls: bool = True, publication: Publication | None = None,
                    committed: dict[str, dt.date] | None = None, processes: int | None = None,
                    render: bool = True) -> tuple[Site, dict[str, str], list[Problem]]:
    """The site that passed, the pages of everything that passed (none unless render), and every problem.

    committed gives each claim's last commit date (see history.py), known before loading
    so that claim pages render as each claim is checked.
    """
    processes = processes_available() if processes is None else processes
    sources, broken, problems = load_sources(
        sources_dir, root, lambda files: map_in_processes(load_each_source, files, processes))
    claim_files, found = list_files(claims_dir, CLAIM_SUFFIX, root)
    problems += found
    base = Site(sources, {}, scale, committed=dict(committed or {}))
    task = _Claims(base, broken, directory_urls, publication, render)
    claims: dict[str, Claim] = {}
    pages: dict[str, str] = {}
    for claim, found, page in map_in_processes(task, claim_files, processes):
        problems += found
        if claim is not None:
            claims[claim.id] = claim
            if page is not None:
                pages[claim_src(claim.id)] = page
    problems = add_closest_passages(problems, sources)
    site = Site(sources, claims, scale, committed=base.committed)
    if not render:
        return site, pages, problems
    site.citing("")  # index who cites what once, before the processes fork
    # On a small site the other pages take milliseconds, less than starting a process.
    processes = processes if len(claims) >= 2 * MIN_FILES_PER_CHUNK else 1
    for rendered in map_in_processes(_call_each, page_groups(site, directory_urls, processes), processes, 1):
        pages.update(rendered)
    return site, pages, problems


def page_groups(site: Site, directory_urls: bool, processes: int) -> list[Callable[[], dict[str, str]]]:
    """The pages after the claims', in the order render_site gives them, as groups of similar cost."""
    sources = list(site.sources.values())
    size = max(1, -(-len(sources) // (processes * 4)))
    groups: list[Callable[[], dict[str, str]]] = [
        partial(render_source_pages, site, directory_urls, sources[i : i + size])
        for i in range(0, len(sources), size)]
    return groups + [partial(render, site, directory_urls) for render in LISTINGS]


def _call_each(calls: Sequence[Callable[[], dict[str, str]]]) -> list[dict[str, str]]:
    return [call() for call in calls]
