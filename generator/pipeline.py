"""Loading and rendering a whole site as fast as the machine allows.

The same steps as load_site and render_site, arranged for archives of tens of
thousands of claims. Claims do not depend on each other, so they are checked and
rendered on every core. And `mkdocs serve` rebuilds in the same process, so a
claim whose file, sources and verdict scale are unchanged since the last build is
not parsed and verified again. The result is the same as load_site plus
render_site, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .links import claim_src
from .load import CLAIM_SUFFIX, list_files, load_claim, load_sources
from .model import Claim, Site, Source
from .pages import render_listing_pages, render_source_pages
from .problems import Problem
from .render_claim import render_claim_page
from .verdicts import Verdict

# Below this many claims (or sources) per process, starting a process costs more than it saves.
MIN_ITEMS_PER_PROCESS = 500
MAX_PROCESSES = 8


@dataclass(frozen=True)
class _Checked:
    """A claim file that passed, with what its verification depended on."""

    data: bytes
    scale: tuple[Verdict, ...]
    claim: Claim
    sources: tuple[Source, ...]


_checked: dict[str, _Checked] = {}  # by the file's path as shown; lives as long as the process


def _still_valid(cached: _Checked | None, data: bytes | None, scale: tuple[Verdict, ...],
                 sources: dict[str, Source]) -> Claim | None:
    if cached is None or data != cached.data or scale != cached.scale:
        return None
    if any(sources.get(s.id) != s for s in cached.sources):
        return None
    return cached.claim


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # load_claim reports it


@dataclass(frozen=True)
class _Job:
    """What every process needs, inherited from the parent when it forks."""

    verdicts: dict[str, Verdict]
    sources: dict[str, Source]
    broken: set[str]
    site: Site  # the sources and the scale, for rendering claim pages
    directory_urls: bool
    render: bool


def _claim_chunk(job: _Job, items: Sequence[tuple[Path, str, Claim | None]]) -> list[tuple[Claim | None,
                                                                                          list[Problem], str | None]]:
    results = []
    for path, shown, known in items:
        claim, problems = (known, []) if known is not None else load_claim(path, shown, job.verdicts, job.sources,
                                                                          job.broken)
        page = render_claim_page(claim, job.site, job.directory_urls) if job.render and claim else None
        results.append((claim, problems, page))
    return results


def processes_available() -> int:
    """How many processes a build may use: one per core, but only where forking is safe.

    Forked children inherit the loaded sources instead of reading them again. A
    process with other threads running (mkdocs serve's web server) is never forked.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_PROCESSES))


_pending: tuple[Callable[[Any], Any], list[Any]] | None = None


def _run_pending(index: int) -> Any:
    assert _pending is not None
    task, chunks = _pending
    return task(chunks[index])


def map_chunks(task: Callable[[Any], Any], chunks: list[Any]) -> list[Any]:
    """task(chunk) for every chunk, in order: the first in this process, the others in
    forked processes that see this process's memory, so no input is copied."""
    global _pending
    if len(chunks) <= 1:
        return [task(chunk) for chunk in chunks]
    _pending = (task, chunks)
    try:
        with ProcessPoolExecutor(len(chunks) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            others = [pool.submit(_run_pending, i) for i in range(1, len(chunks))]
            first = task(chunks[0])
            return [first] + [future.result() for future in others]
    finally:
        _pending = None


def _split(items: list[Any], processes: int) -> list[list[Any]]:
    count = max(1, min(processes, len(items) // MIN_ITEMS_PER_PROCESS))
    size = -(-len(items) // count) if items else 1
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def build_site(claims_dir: Path, sources_dir: Path, scale: tuple[Verdict, ...], root: Path,
               directory_urls: bool = True, render: bool = True,
               processes: int | None = None) -> tuple[Site, dict[str, str], list[Problem]]:
    """The checked site, its generated pages (none unless render) and every problem."""
    processes = processes_available() if processes is None else processes
    verdicts = {v.id: v for v in scale}
    sources, broken, problems = load_sources(sources_dir, root)
    claim_files, found = list_files(claims_dir, CLAIM_SUFFIX, root)
    problems += found

    items: list[tuple[Path, str, Claim | None]] = []
    contents: dict[str, bytes | None] = {}
    for path, shown in claim_files:
        contents[shown] = data = _read(path)
        items.append((path, shown, _still_valid(_checked.get(shown), data, scale, sources)))
    # With a broken source the build fails anyway, and pages citing it cannot be rendered.
    job = _Job(verdicts, sources, broken, Site(sources, {}, scale), directory_urls, render and not broken)
    chunks = _split(items, processes)
    results = [r for chunk in map_chunks(lambda chunk: _claim_chunk(job, chunk), chunks) for r in chunk]

    claims: dict[str, Claim] = {}
    pages: dict[str, str] = {}
    for (_, shown, _), (claim, found, page) in zip(items, results, strict=True):
        problems += found
        if claim is None:
            _checked.pop(shown, None)
            continue
        claims[claim.id] = claim
        if page is not None:
            pages[claim_src(claim.id)] = page
        data = contents[shown]
        if data is not None:
            used = {q.source for q in claim.quotes} | set(claim.appeared_in)
            _checked[shown] = _Checked(data, scale, claim, tuple(sources[s] for s in sorted(used) if s in sources))
    for gone in set(_checked) - set(contents):
        del _checked[gone]

    site = Site(sources, claims, scale)
    if job.render:
        source_chunks = _split(sorted(sources), processes)
        for chunk_pages in map_chunks(lambda ids: render_source_pages(site, ids, directory_urls), source_chunks):
            pages.update(chunk_pages)
        pages.update(render_listing_pages(site, directory_urls))
    return site, pages, problems
