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
import multiprocessing.connection
import os
import pickle
import sys
import threading
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck_site.content.copies import same_article_problems, same_claim_problems
from factcheck_site.content.load import (
    CLAIM_SUFFIX,
    SOURCE_SUFFIX,
    add_closest_passages,
    dispatch_problems,
    list_files,
    load_claim,
    load_each_source,
    load_sources,
)
from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.content.names import name_clashes
from factcheck_site.content.problems import Problem
from factcheck_site.content.publisher import Publication
from factcheck_site.content.quote_matching import forget_folded_sources
from factcheck_site.content.settings import Settings
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.language import activate
from factcheck_site.render.reads import Read, Reads, reading

# The renderers and the cache (output/core_cache.py, which imports Jinja) are imported where they are used:
# `factcheck validate` needs neither (a fifth of its start-up).
if TYPE_CHECKING:
    from factcheck_site.output.core_cache import StoredClaims, StoredPages
    from factcheck_site.output.pieces import Pieces
    from factcheck_site.render.context import RenderContext
    from factcheck_site.render.kept_pages import Made
    from factcheck_site.serving import Told

# Fewer files than this per process, and starting the process costs more than it saves.
MIN_FILES_PER_CHUNK = 200
MAX_PROCESSES = 8
CLAIMS_PER_CHUNK = 100  # loading claims: fewer per process than other work (see build_site)
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


def end_with_parent(parent: int) -> None:
    """A pool's initializer: the worker ends once the process that forked it has gone. A worker waits on its pool's
    queue, whose pipe it holds open itself, so a parent killed (`mkdocs serve` stopped with SIGKILL, a closed
    terminal) would otherwise leave it waiting for ever."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _run_chunk(index: int) -> Any:
    assert _pending is not None
    task, chunks = _pending
    gc.disable()
    try:
        return task(chunks[index])
    finally:
        gc.enable()


def map_in_processes(task: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                     processes: int, min_chunk: int = MIN_FILES_PER_CHUNK, per_process: int = 4) -> list[Result]:
    """task over consecutive chunks of items, in forked processes; the results in the items' order.

    The task and items are inherited, not sent: only each chunk's index goes to a process.
    Chunks are small enough that results stream back while the rest is still being worked on
    (at most per_process chunks for each process).
    """
    global _pending
    count = min(processes * per_process, len(items) // min_chunk)
    if processes <= 1 or count <= 1:
        return task(items)
    from concurrent.futures import ProcessPoolExecutor  # here: validate loads with map_sharing, and renders nothing

    size = -(-len(items) // count)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _pending = (task, chunks)
    gc.freeze()
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                 initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
            return [result for chunk in pool.map(_run_chunk, range(len(chunks))) for result in chunk]
    finally:
        _pending = None
        gc.unfreeze()


_UNDONE = object()  # a chunk not yet received


def map_sharing(task: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item], processes: int,
                beside: Callable[[], Any] = lambda: None,
                min_chunk: int = MIN_FILES_PER_CHUNK) -> tuple[list[Result], Any]:
    """map_in_processes, with this process one of the processes: after beside() (work whose result is too large to
    send back cheaply: a listing of 25,000 claims is hundreds of megabytes of pages) it takes chunks as the processes
    it forks do, the next chunk not yet taken, until none is left. For loading and rendering, where it would
    otherwise wait: one process fewer to fork (a forked process copies each page of memory it writes to), and a
    share of the results that travels to no other process (at 5,000 claims 16 MB of claims, 0.2 s of CPU pickled
    and unpickled). Each chunk is a 2 x processes-th of the items not yet in one, down to an eighth of min_chunk: the
    first few are large, the last ones small, so that the processes end close together."""
    if processes <= 1 or len(items) < 2 * min_chunk:
        return task(items), beside()
    chunks, start, smallest = [], 0, max(1, min_chunk // 8)
    while start < len(items):
        size = max(smallest, -(-(len(items) - start) // (2 * processes)))
        chunks.append(items[start : start + size])
        start += size
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many chunks have been taken, by any process
    results: list[Any] = [_UNDONE] * len(chunks)
    failed: list[BaseException] = []
    workers = []
    reader = None
    gc.freeze()
    try:
        for _ in range(processes - 1):
            receive, send = context.Pipe(duplex=False)
            worker = context.Process(target=_take_chunks, args=(task, chunks, taken, send, os.getpid()), daemon=True)
            worker.start()
            send.close()
            workers.append((worker, receive))
        # The others' results are received (and unpickled) beside this process's own work: a worker blocks once its
        # pipe is full.
        reader = threading.Thread(target=_receive, args=([receive for _, receive in workers], results, failed))
        reader.start()
        here = beside()
        enabled = gc.isenabled()
        gc.disable()
        try:
            while not failed and (index := _take(taken)) < len(chunks):  # a worker's error stops the work here too
                results[index] = task(chunks[index])
        finally:
            if enabled:
                gc.enable()
        reader.join()
    finally:
        for worker, _ in workers:
            if worker.is_alive() and (failed or sys.exc_info()[0] is not None):
                worker.terminate()
            worker.join()
        if reader is not None:
            reader.join()  # the workers gone, their pipes have ended
        for _, receive in workers:
            receive.close()
        gc.unfreeze()
    if failed:
        raise failed[0]
    if any(result is _UNDONE for result in results):
        raise RuntimeError("a worker process ended before its work was done; see the messages above")
    return [result for chunk in results for result in chunk], here


def _take(taken: Any) -> int:
    with taken.get_lock():
        index = taken.value
        taken.value = index + 1
    return int(index)


def _take_chunks(task: Callable[[Sequence[Item]], list[Result]], chunks: list[Sequence[Item]], taken: Any,
                 send: Any, parent: int) -> None:
    """A forked worker of map_sharing: the next chunk not taken, until none is left, each result sent back."""
    end_with_parent(parent)
    gc.disable()
    try:
        while (index := _take(taken)) < len(chunks):
            send.send_bytes(pickle.dumps((index, task(chunks[index])), pickle.HIGHEST_PROTOCOL))
    except BaseException as error:  # raised again in the parent
        try:
            send.send_bytes(pickle.dumps((-1, error), pickle.HIGHEST_PROTOCOL))
        except Exception:  # an error that does not pickle: its words
            send.send_bytes(pickle.dumps((-1, RuntimeError(f"{type(error).__name__}: {error}"))))
    finally:
        send.close()


def _receive(connections: list[Any], results: list[Any], failed: list[BaseException]) -> None:
    """Each result the workers send, in its place, until every worker has closed its pipe."""
    waiting = list(connections)
    while waiting:
        for connection in multiprocessing.connection.wait(waiting):
            try:
                index, result = pickle.loads(connection.recv_bytes())
            except EOFError:
                waiting.remove(connection)
                continue
            except BaseException as error:  # cut off mid-message (the worker killed), or a result that does not load
                failed.append(RuntimeError(f"a worker process's result could not be read: {error!r}"))
                waiting.remove(connection)
                continue
            if index < 0:
                failed.append(result)
            else:
                results[index] = result


@dataclass(frozen=True)
class BuildOptions:
    """What to build, and how."""

    settings: Settings  # where the claims and sources are, and the verdict scale
    directory_urls: bool = True  # MkDocs' use_directory_urls: claims/foo/ rather than claims/foo.html
    publication: Publication | None = None  # None without a site_url: no structured data or social cards
    committed: Mapping[str, dt.date] = field(default_factory=dict)  # claim id -> last commit (git_dates.py)
    processes: int | None = None  # None: one per core (processes_available); 1: all in this process
    render: bool = True  # False: only load and check, as `factcheck validate` does
    # True: each page of SiteBuild.pages is its Markdown compressed (pack), packed where it is made, in the workers
    # too, so that the build never holds every page whole (`mkdocs build`: 750 MB of Markdown at 25,000 claims,
    # under 200 MB packed)
    packed: bool = False
    # False: nothing is kept for a next build (`mkdocs build`); such a build is no previous= for the next. `mkdocs
    # serve` keeps its pages packed from one build to the next (the listings too: render/kept_pages.py)
    kept: bool = True
    # True (with a publication): the feeds and exports too (render_data_files), in SiteBuild.data_files, packed;
    # none when there are problems (mkdocs build stops)
    data_files: bool = False
    # True (mkdocs build): a rebuild's feeds and exports, joined by a process beside the pages' (DataLater), are not
    # waited for: SiteBuild.data_later hands that process back, to write them into the site once it is named
    data_later: bool = False
    # True (a cold mkdocs build): the feeds and exports are made by the caller once build_site is done, with
    # SiteBuild.make_data_files, which stores each claim's pieces of them as data_files does, for the next rebuild
    data_files_after: bool = False


@dataclass(frozen=True)
class SiteBuild:
    site: Site  # the claims and sources that passed
    pages: dict[str, str]  # {src_uri: Markdown}, HOME_SRC included; none unless options.render (packed: bytes)
    problems: list[Problem]  # every problem, in every file
    home_section: str = ""  # the latest fact-checks, for a site's own home page (which replaces pages[HOME_SRC])
    reusable: Reusable | None = field(default=None, repr=False, compare=False)  # for build_site(previous=)
    data_files: dict[str, bytes] = field(default_factory=dict, repr=False)  # options.data_files: path -> packed
    data_later: DataLater | None = field(default=None, repr=False, compare=False)  # options.data_later: not yet made
    # options.data_files_after: the feeds and exports, packed, made when called
    make_data_files: Callable[[], dict[str, bytes]] | None = field(default=None, repr=False, compare=False)


FileState = tuple[int, int, int, int]  # what os.stat says of a file: changes whenever its content may have
NO_STATE: FileState = (0, 0, 0, 0)  # not asked (a build that keeps nothing for the next): matches no file's


def file_state(path: str | Path) -> FileState:
    st = os.stat(path)  # not Path.stat: a save under `mkdocs serve` asks it of every claim file
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


@dataclass(frozen=True)
class Reusable:
    """What a build read and made, kept in memory (`mkdocs serve`) so that the next build re-reads only the
    files that changed and re-renders only the pages that depend on them. Never written to disk."""

    options: tuple[Any, ...]  # the options that every page depends on
    sources: tuple[Any, ...]  # the source files and their states, and what loading them gave
    claims: dict[str, tuple[FileState, Claim | None, list[Problem]]]  # by path: state, claim, problems
    claim_ids: frozenset[str]  # every claim file's id, loaded or not
    claim_pages: dict[str, str]  # each claim's page, by src_uri
    source_pages: dict[str, dict[str, str]]  # by source id: its pages
    claim_reads: dict[str, frozenset[Read]]  # by claim id: what rendering its page read of the site
    source_reads: dict[str, frozenset[Read]]  # by source id: what rendering its pages read of the site
    listing_pages: Made  # the listing pages, by src_uri, with what each was made from (render/kept_pages.py)


Timer = Callable[[str], None]  # told the name of each step of the build as it ends


def build_site(options: BuildOptions, timer: Timer | None = None, previous: SiteBuild | None = None,
               stored: StoredClaims | None = None) -> SiteBuild:
    """The site, its pages and its problems; every file is checked, whatever the problems found.

    With previous (the last build of the same site, in this process), files whose state has not changed are
    not read again, and a claim's or a source's pages are rendered again only when something they read of the
    site when last rendered (`reading` notes every claim, source, commit date and list of citing claims looked
    up) differs now; listings and the home page, which read every claim, always are. Changed sources or options
    rebuild everything. With stored (the claims an earlier process loaded, kept in the cache: output/core_cache.py),
    a claim file whose bytes and context are those stored is not parsed and checked again, and this build's claims
    are stored in turn; so are the pages of a build without problems, each call's (a claim's page, a source's pages,
    a listing, the home page) with what it read of the site, and a later build takes those whose reads have the
    values they had (StoredPages). The result is the same as without previous or stored (tests/test_incremental.py
    checks it on random edits).

    The cyclic garbage collector is off while it runs, as it is in the processes it forks: a build makes millions of
    objects and almost no cycles (151 objects at 10,000 claims), and each full collection walked every object held,
    the loaded archive included (0.4-0.6 s of one core at 10,000 claims)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_site(options, timer, previous, stored)
    finally:
        if enabled:
            gc.enable()


def _build_site(options: BuildOptions, timer: Timer | None, previous: SiteBuild | None,
                stored: StoredClaims | None) -> SiteBuild:
    lap = timer or (lambda step: None)
    if stored is not None or options.render:
        from factcheck_site.output.core_cache import checking_context, pack, source_digests, unpack
    settings = options.settings
    activate(settings.language, settings.root)  # before the workers fork: they write in it too
    processes = processes_available() if options.processes is None else options.processes
    source_files, found = list_files(settings.sources_dir, SOURCE_SUFFIX, settings.root)
    source_states = [(str(path), shown, file_state(path)) for path, shown in source_files]
    sources_key = (source_states, found, sorted(p.name for p in settings.sources_dir.glob(f"*{SOURCE_SUFFIX}"))
                   if settings.sources_dir.is_dir() else [])
    options_key = (settings, options.directory_urls, options.publication, options.render, options.packed,
                   options.kept)
    old = previous.reusable if previous is not None else None
    if old is not None and (old.options != options_key or old.sources[0] != sources_key):
        old = None
    # The claim files, listed here while the other processes load the sources.
    listed: list[tuple[list[tuple[Path, str]], list[Problem]]] = []
    list_claims = partial(_append, listed, partial(list_files, settings.claims_dir, CLAIM_SUFFIX, settings.root))
    if old is not None:
        sources, broken, source_problems = old.sources[1]
    else:
        sources, broken, source_problems = load_sources(
            settings.sources_dir, settings.root,
            lambda files: map_sharing(load_each_source, files, processes, list_claims)[0])
    problems = list(source_problems) + dispatch_problems(sources, settings.dispatches, settings.root)
    problems += same_article_problems(sources)
    lap("load sources")
    if not listed:
        list_claims()
    claim_files, found = listed[0]
    problems += found
    # Each file's state, for the next build in this process (Reusable, which only a build that renders makes).
    names = [str(path) for path, _ in claim_files]  # each path as a string once (a save asks of every claim file)
    states = {name: file_state(name) for name in names} if options.render else {}
    claim_ids = frozenset(path.stem for path, _ in claim_files)
    # A claim's problems depend on which claims exist (its prose may link to them): another set, and all are read.
    kept = old.claims if old is not None and old.claim_ids == claim_ids else {}
    changed = [file for file, name in zip(claim_files, names, strict=True)
               if name not in kept or kept[name][0] != states[name]]
    digests = source_digests(sources) if stored is not None else {}
    if stored is not None:
        stored.start(checking_context(settings, claim_ids, digests, broken))
    reloaded = {str(path): claim for path, _ in changed
                if stored is not None and (claim := stored.claim(path)) is not None}
    changed = [(path, shown) for path, shown in changed if str(path) not in reloaded]
    verdicts = {v.id: v for v in settings.scale}
    loaded: dict[str, tuple[Claim | None, list[Problem]]] = {path: (claim, []) for path, claim in reloaded.items()}
    # This process checks claims too, and the last chunks are small (12 claims): the processes end close together.
    loaded |= dict(zip([str(p) for p, _ in changed], map_sharing(
        partial(_load_claims, verdicts, sources, broken, claim_ids, settings.dispatches), changed, processes,
        min_chunk=CLAIMS_PER_CHUNK)[0], strict=True))
    claims: dict[str, Claim] = {}
    claim_states: dict[str, tuple[FileState, Claim | None, list[Problem]]] = {}
    for name in names:
        claim, found = loaded[name] if name in loaded else kept[name][1:]
        claim_states[name] = (states.get(name, NO_STATE), claim, found)
        problems += found
        if claim is not None:
            claims[claim.id] = claim
    clashes, refused = name_clashes(claims.values())  # a claimant or tag spelled two ways, across files
    problems += clashes + same_claim_problems(claims.values())  # and one claim checked in two files
    claims = {claim_id: claim for claim_id, claim in claims.items() if claim_id not in refused}
    if stored is not None and not problems:  # a build that fails leaves nothing behind, in the cache neither
        stored.keep({path: claim if not found else None for path, (_, claim, found) in claim_states.items()})
    problems = add_closest_passages(problems, sources)  # once every claim is checked, within one budget
    forget_folded_sources()
    site = Site(sources, claims, settings.scale, committed=dict(options.committed), dispatches=settings.dispatches)
    lap("load and verify claims")
    if not options.render:
        return SiteBuild(site, {}, problems)
    site.citing("")  # the citations indexed once, before the pages' processes fork (Site.cited_by)
    from factcheck_site.render.context import RenderContext
    from factcheck_site.render.kept_pages import KeptPages
    from factcheck_site.render.site_pages import LISTINGS
    from factcheck_site.render.urls import HOME_SRC

    kept = KeptPages(old.listing_pages if old is not None else None, pack if options.packed else None)
    # A build that keeps nothing for the next keeps no listing either: each is packed as soon as it is made.
    ctx = RenderContext(site, options.directory_urls, options.publication, kept if options.kept else None)
    # The pages an earlier process rendered, taken where what they read is the same (output/core_cache.py)
    shelf = _shelf(stored, site, digests, options) if stored is not None and old is None and not problems else None
    packed = options.packed or shelf is not None  # what the shelf keeps: each page packed
    # A rebuild (the shelf holds pages): the feeds and exports, joined from each claim's pieces as stored, in a process
    # of their own while this one takes or renders the pages. A cold build makes them here, after the pages: they
    # would hold their pieces in memory beside the pages being made.
    data_beside = DataLater(site, options.publication, shelf, stored) \
        if options.data_files and options.publication is not None and not problems and shelf is not None \
        and shelf.entries and processes > 1 else None
    try:
        if old is not None and previous is not None:
            claim_pages, claim_reads, source_pages, source_reads = _rerender(ctx, previous.site, old, options.packed)
            listings = [_packed(render(ctx)) if options.packed else render(ctx) for render in LISTINGS]
        else:
            claim_pages, claim_reads, source_pages, source_reads, listings = _all_pages(
                ctx, list(claims.values()), list(sources.values()), processes, packed, shelf)
        lap("render claim pages")
        pages = dict(claim_pages)
        for group in source_pages.values():
            pages.update(group)
        for group in listings:
            pages.update(group)
        home_section, pages[HOME_SRC] = _home(ctx, packed, shelf)
        data_files = data_beside.files() if data_beside is not None and not options.data_later else {}
    except BaseException:  # the process beside stopped, not left writing to the cache
        if data_beside is not None:
            data_beside.stop()
        raise
    if data_beside is None:
        data_files = _data_files(site, options.publication, shelf, stored) \
            if options.data_files and options.publication is not None and not problems else {}
    elif not options.data_later:
        data_beside = None
    if shelf is not None and stored is not None and stored.folder is not None:
        shelf.save(stored.folder)
    if packed and not options.packed:  # a shelf's pages, for a build that asked for them whole
        pages = {src: unpack(page) for src, page in pages.items()}  # type: ignore[arg-type]
        claim_pages = {src: unpack(page) for src, page in claim_pages.items()}  # type: ignore[arg-type]
        source_pages = {key: {src: unpack(page) for src, page in group.items()}  # type: ignore[arg-type]
                        for key, group in source_pages.items()}
    lap("render source pages and listings")
    reusable = Reusable(options_key, (sources_key, (sources, broken, source_problems)), claim_states, claim_ids,
                        claim_pages, source_pages, claim_reads, source_reads, kept.made)
    make_data = partial(_data_files, site, options.publication, shelf, stored) \
        if options.data_files_after and options.publication is not None and not problems else None
    return SiteBuild(site, pages, problems, home_section, reusable, data_files, data_beside, make_data)


def _shelf(stored: StoredClaims, site: Site, sources: dict[str, str], options: BuildOptions) -> StoredPages | None:
    """The pages stored by earlier builds, ready to be taken (None without the cache's folder)."""
    from factcheck_site.output.core_cache import SiteDigests, rendering_context

    if stored.folder is None:
        return None
    context = rendering_context(options.settings, options.directory_urls, options.publication)
    stored.pages.start(stored.folder, SiteDigests(site, stored.records, sources, context))
    stored.records = {}
    return stored.pages


def _unit(kind: str, name: str) -> str:
    """What one call renders, as the shelf names it."""
    return f"{kind}:{name}"


def _all_pages(ctx: RenderContext, claims: list[Claim], sources: list[Source], processes: int, packed: bool,
               shelf: StoredPages | None) -> tuple[dict[str, Any], dict[str, Reads], dict[str, dict[str, Any]],
                                                   dict[str, Reads], list[dict[str, Any]]]:
    """Every claim's page (packed: compressed), in the claims' order, and what each read of the site; every source's
    pages (by source id, in the sources' order), with what each read; and the listings. A page whose reads are
    unchanged since an earlier build stored it is taken from the shelf. The claims and then the sources are one map:
    one process forked for both (each fork copies, page by page, what it reads of this one: at 25,000 claims a second
    fork cost about 0.4 s of CPU) and no core idle between them; the source pages, small, make the last chunks, so
    that the processes end close together. This process makes the listings first, whose pages would cost more to
    send, while the other starts on the claims, and then takes chunks as it does."""
    from factcheck_site.render.urls import claim_src

    found = {claim.id: kept for claim in claims
             if shelf is not None and (kept := shelf.reuse(_unit("claim", claim.id))) is not None}
    found_sources = {source.id: kept for source in sources
                     if shelf is not None and (kept := shelf.reuse(_unit("source", source.id))) is not None}
    missing: list[Claim | Source] = [claim for claim in claims if claim.id not in found]
    missing += [source for source in sources if source.id not in found_sources]
    # On a small site the pages take milliseconds, less than starting a process.
    processes = processes if len(claims) >= 2 * MIN_FILES_PER_CHUNK else 1
    made_pages, listings = map_sharing(partial(_pages_of, ctx, packed), missing, processes,
                                       _listings(ctx, packed, shelf))
    rendered: dict[str, Any] = {}
    reads: dict[str, Reads] = {}
    rendered_sources: dict[str, dict[str, Any]] = {}
    source_reads: dict[str, Reads] = {}
    for kind, made, read in made_pages:
        (rendered if kind == "claims" else rendered_sources).update(made)
        (reads if kind == "claims" else source_reads).update(read)
    claim_pages: dict[str, Any] = {}
    for claim in claims:
        src = claim_src(claim.id)
        if claim.id in found:
            claim_pages[src], reads[claim.id] = found[claim.id][0][src], found[claim.id][1]
        else:
            claim_pages[src] = rendered[src]
            if shelf is not None:
                shelf.keep(_unit("claim", claim.id), reads[claim.id], {src: rendered[src]})
    source_pages: dict[str, dict[str, Any]] = {}
    for source in sources:
        if source.id in found_sources:
            source_pages[source.id], source_reads[source.id] = found_sources[source.id]
        else:
            source_pages[source.id] = rendered_sources[source.id]
            if shelf is not None:
                shelf.keep(_unit("source", source.id), source_reads[source.id], rendered_sources[source.id])
    return (claim_pages, {claim.id: reads[claim.id] for claim in claims}, source_pages,
            {source.id: source_reads[source.id] for source in sources}, listings)


def _pages_of(ctx: RenderContext, packed: bool, items: Sequence[Claim | Source]) -> list[tuple[str, Any, Any]]:
    """_all_pages' task: the pages of a chunk of claims, then sources (packed: each page compressed), each kind with
    what its pages read."""
    claims = [item for item in items if isinstance(item, Claim)]
    sources = [item for item in items if not isinstance(item, Claim)]
    made: list[tuple[str, Any, Any]] = []
    if claims:
        made += [("claims", pages, reads) for pages, reads in
                 (_packed_claims(partial(_claim_pages, ctx), claims) if packed else _claim_pages(ctx, claims))]
    if sources:
        made += [("sources", pages, reads) for pages, reads in _source_pages(ctx, packed, sources)]
    return made


def _listings(ctx: RenderContext, packed: bool, shelf: StoredPages | None) -> Callable[[], list[dict[str, Any]]]:
    """What makes every listing page (packed: each compressed); with the shelf, each page taken from it where what it
    is made from is unchanged."""
    from factcheck_site.output.core_cache import StoredListings
    from factcheck_site.render.site_pages import LISTINGS

    listing_calls: list[Callable[[], Any]] = [partial(render, ctx) for render in LISTINGS]
    if shelf is not None:  # each listing page kept apart, by what it is made from
        listing_ctx = replace(ctx, kept=StoredListings(shelf))
        listing_calls = [partial(_packed_pages, partial(render, listing_ctx)) for render in LISTINGS]
    elif packed:
        listing_calls = [partial(_packed_pages, call) for call in listing_calls]
    return partial(_call_each, listing_calls)


def _home(ctx: RenderContext, packed: bool, shelf: StoredPages | None) -> tuple[str, Any]:
    """The latest fact-checks for a site's own home page, and the generated home page (packed: compressed)."""
    from factcheck_site.output.core_cache import pack, unpack
    from factcheck_site.render.listings import render_home_page, render_home_section
    from factcheck_site.render.urls import HOME_SRC

    kept = shelf.reuse(_unit("home", "")) if shelf is not None else None
    if kept is not None:
        return unpack(kept[0][""]), kept[0][HOME_SRC]
    seeing, read = reading(ctx) if shelf is not None else (ctx, set())
    section = render_home_section(seeing)
    home: Any = render_home_page(seeing, section)
    home = pack(home) if packed else home
    if shelf is not None:
        shelf.keep(_unit("home", ""), read, {HOME_SRC: home, "": pack(section)})
    return section, home


def _data_files(site: Site, publication: Publication, shelf: StoredPages | None,
                stored: StoredClaims | None) -> dict[str, bytes]:
    """The feeds and exports, each packed (they are read whole once, when written)."""
    files = _data_pieces(site, publication, shelf, stored)
    return {path: files.pop(path).packed() for path in list(files)}


def _data_pieces(site: Site, publication: Publication, shelf: StoredPages | None,
                 stored: StoredClaims | None) -> dict[str, Pieces]:
    """The feeds and exports in their pieces; with the shelf, each claim's pieces of them as an earlier build made them,
    where what they read is unchanged (StoredPieces)."""
    from factcheck_site.output.core_cache import StoredPieces
    from factcheck_site.render.site_pages import render_data_files

    if shelf is not None and shelf.digests is not None and stored is not None and stored.folder is not None:
        kept = StoredPieces(stored.folder, shelf.digests)
        files = render_data_files(site, publication, kept)
        kept.save()
        stored.pieces = kept.shelf
    else:
        files = render_data_files(site, publication)
    return files


class DataLater:
    """A rebuild's feeds and exports, joined from each claim's stored pieces by a process forked from build_site
    (serving.Beside) while it takes or renders the pages. Nothing needs them before they are written: told where
    (write_into, once MkDocs has named the site's files), the process writes them itself, from their pieces (neither
    packed, sent nor unpacked); files() waits for them packed instead, for the build to write. finish() waits for the
    process and gives the cache's warnings it noted; what it failed to make is made here."""

    def __init__(self, site: Site, publication: Publication, shelf: StoredPages, stored: StoredClaims) -> None:
        from factcheck_site.serving import Told

        self.made_with = (site, publication, shelf, stored)
        self.told = Told()
        self.process = _beside(partial(_data_files_beside, site, publication, shelf, stored, self.told))
        self.writing = False

    def write_into(self, places: dict[str, str]) -> None:
        """The process writes each file (by its path in the site) into its place (MkDocs' abs_dest_path)."""
        self.told.tell(places)
        self.writing = True

    def files(self) -> dict[str, bytes]:
        """The files, packed, for the build to write (the process made them, or, where it failed, this one)."""
        self.told.tell(None)
        return self._made(self.process.result())

    def finish(self) -> dict[str, bytes]:
        """After write_into: {} once the process has written every file; else every file made here, packed, for the
        build to write (a process that failed may have written some, or part of one)."""
        return self._made(self.process.result())

    def _made(self, made: tuple[dict[str, bytes], StoredPages, list[str]] | None) -> dict[str, bytes]:
        site, publication, shelf, stored = self.made_with
        self.told.close()
        if made is None or stored.folder is None:  # made here: the store's files are whole or not
            return _data_files(site, publication, shelf, stored)
        files, stored.pieces, noted = made
        for message in noted:
            stored.folder.distrust(message)
        return files

    def stop(self) -> None:
        """The process stopped, if it is still working (the build failed)."""
        self.process.stop()
        self.told.close()


def _beside(work: Callable[[], Any]) -> Any:
    """serving.Beside: work() in a process forked from this one (imported here: serving.py imports this module)."""
    from factcheck_site.serving import Beside

    return Beside(work)


def _data_files_beside(site: Site, publication: Publication, shelf: StoredPages, stored: StoredClaims,
                       told: Told) -> tuple[dict[str, bytes], StoredPages, list[str]]:
    """_data_pieces in a process forked for it (DataLater): the files written where told, or packed for the build's
    process (packed while it has not said which: not all held whole meanwhile, 400 MB at 25,000 claims); what of the
    store it rendered and took (its StoredPages, without the pages), and the cache's warnings, for the build's process
    to give."""
    from factcheck_site.output.core_cache import StoredPages
    from factcheck_site.output.pieces import Pieces
    from factcheck_site.serving import NOT_YET

    assert stored.folder is not None
    noted = stored.folder.noted_only()
    files: dict[str, Any] = _data_pieces(site, publication, shelf, stored)
    places = told.heard(wait=False)
    if places is NOT_YET:
        files = {path: files.pop(path).packed() for path in list(files)}
        places = told.heard(wait=True)
    if places is not None:
        for path in list(files):
            made = files.pop(path)
            (made if isinstance(made, Pieces) else Pieces([zlib.decompress(made)])).write_plainly(places[path])
    elif files and isinstance(next(iter(files.values())), Pieces):
        files = {path: files.pop(path).packed() for path in list(files)}
    pieces = stored.pieces if stored.pieces is not None else StoredPages()
    pieces.entries, pieces.made, pieces.shards, pieces.digests = {}, {}, {}, None
    return files, pieces, noted


def _rerender(ctx: RenderContext, before: Site, old: Reusable, packed: bool) -> tuple[
        dict[str, str], dict[str, frozenset[Read]], dict[str, dict[str, str]], dict[str, frozenset[Read]]]:
    """Claim and source pages, rendered again only where something the page read when it was last rendered
    (reading) differs now (sources and options have not changed), with what each read (packed: each page made
    again packed, as the build's options ask)."""
    from factcheck_site.render.reads import changed_reads
    from factcheck_site.render.urls import claim_src

    site = ctx.site
    changed = changed_reads(before, site)
    claim_pages: dict[str, str] = {}
    claim_reads: dict[str, frozenset[Read]] = {}
    for claim_id, claim in site.claims.items():
        src = claim_src(claim_id)
        reads = old.claim_reads.get(claim_id)
        if reads is None or not reads.isdisjoint(changed):
            [(pages, read)] = _claim_pages(ctx, [claim])
            claim_pages.update(_packed(pages) if packed else pages)
            claim_reads.update(read)
        else:
            claim_pages[src], claim_reads[claim_id] = old.claim_pages[src], reads
    source_pages: dict[str, dict[str, str]] = {}
    source_reads: dict[str, frozenset[Read]] = {}
    for source_id, source in site.sources.items():
        reads = old.source_reads.get(source_id)
        if reads is None or not reads.isdisjoint(changed):
            pages, read = _each_source_pages(ctx, [source])
            source_pages.update({source_id: _packed(group) for source_id, group in pages.items()} if packed else pages)
            source_reads.update(read)
        else:
            source_pages[source_id], source_reads[source_id] = old.source_pages[source_id], reads
    return claim_pages, claim_reads, source_pages, source_reads


def _append(into: list[Result], make: Callable[[], Result]) -> None:
    into.append(make())


def _load_claims(verdicts: dict[str, Verdict], sources: dict[str, Source], broken: set[str],
                 claim_ids: frozenset[str], dispatches: dict[str, str],
                 files: Sequence[tuple[Path, str]]) -> list[tuple[Claim | None, list[Problem]]]:
    """Claim files, each checked on its own and against the sources (broken: those that failed), the ids of
    every claim file and the dispatches declared."""
    return [load_claim(path, shown, verdicts, sources, broken, claim_ids, dispatches) for path, shown in files]


def _claim_pages(ctx: RenderContext, claims: Sequence[Claim]) -> list[tuple[dict[str, str], dict[str, Reads]]]:
    """Each claim's page, and what it read of the site (its own claim included)."""
    from factcheck_site.render.reads import reading
    from factcheck_site.render.site_pages import render_claim_pages

    pages: dict[str, str] = {}
    reads: dict[str, frozenset[Read]] = {}
    for claim in claims:
        seeing, read = reading(ctx)
        pages.update(render_claim_pages(seeing, [claim]))
        reads[claim.id] = frozenset(read | {("claims", claim.id)})
    return [(pages, reads)]


def _source_pages(ctx: RenderContext, packed: bool, sources: Sequence[Source]) -> list[Any]:
    """_each_source_pages, as map_sharing's task (packed: each page compressed)."""
    pages, reads = _each_source_pages(ctx, sources)
    return [({source_id: _packed(group) for source_id, group in pages.items()} if packed else pages, reads)]


def _each_source_pages(ctx: RenderContext, sources: Sequence[Source]) -> list[Any]:
    """Each source's pages, and what they read of the site (the source itself included), by source id."""
    from factcheck_site.render.reads import reading
    from factcheck_site.render.site_pages import render_source_pages

    pages: dict[str, dict[str, str]] = {}
    reads: dict[str, frozenset[Read]] = {}
    for source in sources:
        seeing, read = reading(ctx)
        pages[source.id] = render_source_pages(seeing, [source])
        reads[source.id] = frozenset(read | {("sources", source.id)})
    return [pages, reads]


def _call_each(calls: Sequence[Callable[[], dict[str, str]]]) -> list[dict[str, str]]:
    return [call() for call in calls]


def _packed(pages: dict[str, str]) -> dict[str, bytes]:
    """pages packed; those a listing kept from the last build (render/kept_pages.py) are packed already."""
    from factcheck_site.output.core_cache import pack

    return {src: pack(markdown) if isinstance(markdown, str) else markdown for src, markdown in pages.items()}


def _packed_pages(make: Callable[[], dict[str, str]]) -> dict[str, bytes]:
    return _packed(make())


def _packed_claims(task: Callable[[Sequence[Claim]], list[tuple[dict[str, str], dict[str, Reads]]]],
                   claims: Sequence[Claim]) -> list[tuple[dict[str, bytes], dict[str, Reads]]]:
    return [(_packed(pages), reads) for pages, reads in task(claims)]

