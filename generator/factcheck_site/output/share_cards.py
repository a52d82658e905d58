"""Every claim's link-preview card (render/share_card.py) as a file, drawn once.

A card takes a few milliseconds to draw and encode: minutes for an archive of 25,000
claims. So cards are kept in a cache folder, named by a hash (keyed with the cache's key, so
nobody else can tell the name a card will have) of what they show and of the Pillow that drew
them, and only new or changed cards are drawn, on every core as the claim pages are. Each card is
read back through cache_folder.py, which checks its seal, as it is copied into the site (the
plugin's copy, `factcheck render`'s export); one whose seal does not hold is drawn again there.
The cache is `.cache/factcheck/cards/` in the site's folder (a private temporary folder when that
cannot be used); deleting it only costs time.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import context as contexts
from multiprocessing import forkserver, reduction, spawn
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from factcheck_site.build import end_with_parent, map_in_processes, processes_available
from factcheck_site.cache_folder import CacheFolder, private_folder
from factcheck_site.content.model import Claim, Site
from factcheck_site.content.publisher import Publication
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.language import activate
from factcheck_site.render.share_card import (
    CLAIM_BY,
    KICKER,
    READ_AT,
    VERDICT,
    VERDICT_IS,
    CardText,
    card_src,
    card_text,
    left_out,
    render_card,
)

MIN_CARDS_PER_PROCESS = 50  # a card costs more than a claim page: smaller chunks pay for their process
# mkdocs build: below this many claims the drawing process is forked from the build (CardsBeside), which costs a
# few milliseconds, rather than started from the fork server, whose start (a new interpreter importing Pillow and
# the generator) held the build for 0.3-1 s at 100 claims; its heap is then small enough to share
FORKED_BELOW = 1_000
MIN_CARDS_FORKED = 8  # fewer, and the build draws them itself: forking costs about a card's time
BESIDE_CHUNK = 10  # cards per task beside a build: the build draws the chunks no process has started when it waits


def card_folder(cache: CacheFolder | None, warn: Callable[[str], None]) -> CacheFolder:
    """The cache's folder of cards: `cards/` in the project's cache, or a private temporary one when that cannot
    be used (cards must be files for MkDocs to copy)."""
    folder = cache.subfolder("cards") if cache is not None else None
    return folder if folder is not None else private_folder("cards", warn)


def _site_tag(folder: CacheFolder, publication: Publication) -> str:
    """The start of the name of every card of one site address: `mkdocs serve` (which sets the address to the
    preview's) and `mkdocs build` each keep their own cards, and only a build for the same address deletes them."""
    return folder.keyed_name(f"site {publication.site_url}")[:8]


def _cache_name(folder: CacheFolder, tag: str, card: CardText, key: str | None = None) -> str:
    """The card's key (key, when already known), and the Pillow that draws it: another Pillow may draw other
    bytes."""
    import PIL

    return f"{tag}-{folder.keyed_name(f'{key or card.key()} {PIL.__version__}')[:24]}.png"


def _delete_unused(folder: CacheFolder, tag: str, present: set[str], wanted: set[str]) -> None:
    """Cards of this site's address that no claim shows any more (a claim edited or deleted), and cards named as
    before site tags: without this the cache grows with every edit. A card another build still wants is drawn again
    when it is read (CachedCard.data)."""
    for name in present - wanted:
        if name.startswith(f"{tag}-") or "-" not in name:
            folder.delete(name)


def _draw(folder: CacheFolder, cards: Sequence[tuple[str, CardText]]) -> list[None]:
    for name, card in cards:
        folder.write(name, render_card(card))  # whole or absent, also with builds side by side
    return [None] * len(cards)


@dataclass(frozen=True)
class CachedCard:
    """A card in the cache, read back only through its seal."""

    folder: CacheFolder
    name: str
    card: CardText

    def data(self) -> bytes:
        """The card's PNG: from the cache if its seal holds, else drawn again (and put back when it can be)."""
        found = self.folder.read(self.name)
        if found is not None:
            return found
        drawn = render_card(self.card)
        with contextlib.suppress(OSError):  # the folder refuses it: the card is drawn again next time
            self.folder.write(self.name, drawn)
        return drawn


class CardNames:
    """Each claim's card, its place in the site and its name in the cache, kept from one build to the next under
    `mkdocs serve`: hashing 25,000 cards' texts on every save costs a quarter of a second. A claim's entry holds while
    its Claim is the very one (build.py keeps the Claim of a file it did not read again) and the publication and
    verdict scale are equal."""

    def __init__(self) -> None:
        self.made_for: tuple[Publication, tuple[Verdict, ...], str] | None = None  # ..., the cache's key id
        self.entries: dict[str, tuple[Claim, str, CardText, str]] = {}  # claim id: claim, path, card, file name
        # What each card leaves off (left_out_note), in the words the cards were last drawn in: 1.9 s of a profiled
        # save at 10,000 claims when worked out again for every card
        self.left_out: tuple[tuple[str, ...], dict[CardText, list[str]]] = ((), {})


def share_cards(site: Site, publication: Publication, folder: CacheFolder, processes: int | None = None,
                names: CardNames | None = None, later: BackgroundCards | None = None,
                beside: CardsBeside | None = None) -> dict[str, CachedCard]:
    """{path in the built site: the card in the cache} for every claim's card; missing ones are drawn into folder
    first. With later (`mkdocs serve`), more missing cards than a moment's drawing are left out, and drawn in the
    background instead (BackgroundCards): a preview does not show them. With beside (`mkdocs build`), they are
    drawn while the build goes on, and each card is to be read once beside.wait() has returned."""
    named: dict[str, tuple[CardText, str]] = {}  # path in the site: the card, its file in the cache
    made_for = (publication, site.scale, folder.key_id)
    kept = names.entries if names is not None and names.made_for == made_for else {}
    tag = _site_tag(folder, publication)
    entries: dict[str, tuple[Claim, str, CardText, str]] = {}
    for claim in site.claims.values():
        entry = kept.get(claim.id)
        if entry is None or entry[0] is not claim:
            card = card_text(claim, site, publication)
            key = card.key()
            entry = (claim, card_src(claim.id, card, key), card, _cache_name(folder, tag, card, key))
        entries[claim.id] = entry
        named[entry[1]] = (entry[2], entry[3])
    if names is not None:
        names.made_for, names.entries = made_for, entries
    present = folder.names()  # one listing, not a look-up per card: each is checked as it is read
    _delete_unused(folder, tag, present, {name for _, name in named.values()})
    missing = sorted({name: card for card, name in named.values() if name not in present}.items())
    if later is not None and len(missing) > MIN_CARDS_PER_PROCESS and later.draw(missing):
        left_out = {name for name, _ in missing}
        return {path: CachedCard(folder, name, card) for path, (card, name) in sorted(named.items())
                if name not in left_out}
    forked = len(site.claims) < FORKED_BELOW
    if beside is not None and len(missing) > (MIN_CARDS_FORKED if forked else MIN_CARDS_PER_PROCESS) \
            and beside.draw(folder, missing, forked):
        return {path: CachedCard(folder, name, card) for path, (card, name) in sorted(named.items())}
    count = processes_available() if processes is None else processes
    map_in_processes(partial(_draw, folder), missing, count, MIN_CARDS_PER_PROCESS)
    return {path: CachedCard(folder, name, card) for path, (card, name) in sorted(named.items())}


def left_out_note(cards: dict[str, CachedCard], names: CardNames | None = None) -> str | None:
    """One line for the build's log: what the cards leave off because the bundled fonts cannot draw it (a script
    such as Chinese, Japanese, Thai or Devanagari), rather than draw boxes for the missing glyphs; None if nothing.
    With names (`mkdocs serve`), each card's parts are worked out once while the cards' own words are the same."""
    words = tuple(map(str, (KICKER, READ_AT, CLAIM_BY, VERDICT_IS, VERDICT)))
    known = names.left_out[1] if names is not None and names.left_out[0] == words else {}
    found: dict[CardText, list[str]] = {}  # this build's cards only: the cards of edits before are let go
    missing: dict[str, list[str]] = {}
    for path, cached in cards.items():
        card = cached.card
        parts = known.get(card)  # a card's text hashed twice here, not three times: 25,000 of them a save
        if parts is None:
            parts = left_out(card)
        found[card] = parts
        for part in parts:
            missing.setdefault(part, []).append(path.rsplit("/", 1)[0])
    if names is not None:
        names.left_out = (words, found)
    if not missing:
        return None
    return ("link-preview cards leave off what their fonts (DejaVu Sans and a Hangul subset of NanumGothic) have no "
            "letters for, rather than draw empty boxes: " + "; ".join(
                f"the {part} on {len(where)} card{'s' if len(where) > 1 else ''} ({', '.join(where[:3])}"
                f"{', ...' if len(where) > 3 else ''})" for part, where in missing.items())
            + ". The pages themselves, and the previews' titles and descriptions, show all of it")


_gate: Any = None  # in a drawing process: set while no build runs (BackgroundCards.pause)
_language: tuple[str | None, str | None] | None = None  # ... the language its cards' words are in


def _drawing_process(gate: Any, forked: bool) -> None:
    """A drawing process's initializer: it ends with the server (_end_with_server), waits at gate, and runs at the
    lowest priority there is (Linux's SCHED_IDLE, else nice 19), so that whatever else runs on the machine (the server
    polling the claims, the editor's own programs) has the cores first."""
    global _gate
    _end_with_server(forked)
    _gate = gate
    with contextlib.suppress(OSError):
        os.nice(19)
    if hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def _end_with_server(forked: bool) -> None:
    """End this process once the server has gone (killed outright, say, which runs none of its code). Forked from
    the server, its parent changes then (end_with_parent). Started from the fork server, which lives as long as any
    process started from it does, it watches the pipe the server holds open for it instead, which ends with the
    server."""
    server = multiprocessing.parent_process()
    if forked or server is None or server.sentinel is None:
        end_with_parent(os.getppid())
        return

    def watch() -> None:
        wait([server.sentinel])
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


_starting = threading.local()  # .drawer: a drawing process is being started in this thread (_DrawerProcess)
_preparation_data = getattr(spawn, "get_preparation_data", None)


def _without_main(name: str) -> dict[str, Any]:
    """What a process started from the fork server is prepared with, less the caller's main module for a drawing
    process: multiprocessing runs the script that started the build again in each process it starts (as __mp_main__),
    so that a build or `mkdocs serve` from a script without `if __name__ == "__main__":` would run again in every
    drawer. A drawer runs only this module's functions, which the fork server has loaded."""
    assert _preparation_data is not None
    data = _preparation_data(name)
    if getattr(_starting, "drawer", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


_DrawerContext: Any = None
if hasattr(contexts, "ForkServerContext"):  # not on Windows

    class _DrawerProcess(contexts.ForkServerProcess):  # type: ignore[name-defined]
        def start(self) -> None:
            _starting.drawer = True
            try:
                super().start()
            finally:
                _starting.drawer = False

    class _DrawerContext(contexts.ForkServerContext):  # type: ignore[no-redef, name-defined]
        Process = _DrawerProcess


def _drawing_context() -> Any:
    """multiprocessing's fork server, where there is one (Linux, macOS), with this module loaded in it, started now
    (it loads while the build runs), its drawers started without the caller's main module (_without_main); else
    fork."""
    if "forkserver" not in multiprocessing.get_all_start_methods() or _preparation_data is None \
            or _DrawerContext is None:
        return multiprocessing.get_context("fork")
    if spawn.get_preparation_data is not _without_main:
        spawn.get_preparation_data = _without_main  # only this thread's drawers' starts are changed
    context = _DrawerContext()
    context.set_forkserver_preload([__name__])
    forkserver.ensure_running()
    return context


def _drawn(cards: Sequence[tuple[str, CardText]], language: tuple[str | None, str | None] | None = None
           ) -> list[tuple[str, bytes]]:
    """The cards drawn, in language (the site's language and project, as the server activated them: a process
    started from the fork server has not)."""
    global _language
    if language is not None and language != _language:
        activate(language[0], Path(language[1]) if language[1] else None)
        _language = language
    drawn = []
    for name, card in cards:
        if _gate is not None:
            _gate.wait()  # a card's time at most after a build starts, the core is the build's
        drawn.append((name, render_card(card)))
    return drawn


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """Its processes ended at once, whatever each is doing."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


class BackgroundCards:
    """Cards drawn beside `mkdocs serve`, on every core, while the preview is already served: 308 s of the first
    build's 488 s at 25,000 claims went into drawing cards that no preview shows. The processes are forked while
    the process has one thread (the first build, before MkDocs starts its server), and kept for the session; they
    draw, and this process seals each card into the cache (open_folder() gives it its own handle on the folder the
    builds read). When every card asked for is in the cache, done() is called (a rebuild, which copies them).

    The processes are started from multiprocessing's fork server where there is one: a small process that has
    imported this module and nothing of the site. Forked from the server at the end of its first build instead, they
    held its heap (1.3 GB of a 25,000-claim session's 4.1 GB peak, as the server's collector went through its own
    copy of every page they shared)."""

    BATCH = 50  # cards per task: results come back, and are written, as they are drawn

    def __init__(self, open_folder: Callable[[], CacheFolder | None], done: Callable[[], None]) -> None:
        self.open_folder, self.done = open_folder, done
        self.pool: ProcessPoolExecutor | None = None
        self.lock = threading.Lock()
        self.pending: set[str] = set()  # cards asked for and not yet in the cache
        self.folder: CacheFolder | None = None  # open while cards are pending
        self.idle = threading.Event()
        self.idle.set()
        self.context = _drawing_context()
        self.gate = self.context.Event()  # set: draw; clear: a build runs (pause)
        self.gate.set()
        self.language: tuple[str | None, str | None] | None = None  # the site's language and project (the plugin's)

    def draw(self, missing: Sequence[tuple[str, CardText]]) -> bool:
        """Draw the missing cards (name in the cache, card) in the background; False when that cannot be done here
        (no other process to draw them, or no folder of the cache to put them in): the caller draws them."""
        if self.pool is None:
            count = processes_available()
            if count < 2:
                return False  # forking is not safe now (another thread runs), or one core: draw in the build
            forked = self.context.get_start_method() == "fork"
            if forked:
                gc.freeze()  # the processes' collectors leave the inherited heap alone, so its pages stay shared
            try:
                self.pool = ProcessPoolExecutor(count, mp_context=self.context, initializer=_drawing_process,
                                                initargs=(self.gate, forked))
                if forked:
                    self.pool.submit(int).result()  # every process forked now, while no other thread runs
            finally:
                if forked:
                    gc.unfreeze()
        with self.lock:
            if self.folder is None:
                self.folder = self.open_folder()
                if self.folder is None:
                    return False
            wanted = [(name, card) for name, card in missing if name not in self.pending]
            self.pending.update(name for name, _ in wanted)
            if self.pending:
                self.idle.clear()
        for start in range(0, len(wanted), self.BATCH):
            batch = wanted[start : start + self.BATCH]
            names = [name for name, _ in batch]
            try:
                future = self.pool.submit(_drawn, batch, self.language)
            except RuntimeError:  # BrokenProcessPool (a process was killed), or shut down: the build draws them
                self.pool = None
                self._written([name for name, _ in wanted[start:]], None)
                return False
            future.add_done_callback(partial(self._written, names))
        return True

    def _written(self, names: list[str], future: Future[list[tuple[str, bytes]]] | None) -> None:
        with self.lock:
            try:
                drawn = future.result() if future is not None else []
            except Exception:  # a process lost (the session ends): the next build draws what is missing
                drawn = []
            for name, data in drawn:
                with contextlib.suppress(OSError):  # not written: the next build finds it missing, and draws it
                    if self.folder is not None:
                        self.folder.write(name, data)
            self.pending.difference_update(names)
            if self.pending:
                return
            if self.folder is not None:
                self.folder.close()
                self.folder = None
            self.idle.set()
        self.done()

    def pause(self) -> None:
        """A build starts: the drawing processes stop after the card each is drawing, so that the build has every
        core (at 25,000 claims, saves took 12.6-15.9 s while they drew, 5.3-7.0 s without them), and this process
        receives and writes no cards meanwhile."""
        self.gate.clear()

    def resume(self) -> None:
        """The build has ended (or failed): drawing goes on."""
        self.gate.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether every card asked for is in the cache (waiting for it at most timeout seconds)."""
        return self.idle.wait(timeout)

    def stop(self) -> None:
        """End the drawing processes, even in the middle of a batch: stopped while one was sending its cards back
        (the server stopped with Ctrl+C as they draw), they would wait for this process for ever."""
        if self.pool is not None:
            _end_pool(self.pool)
            self.pool = None


class _FolderHandle:
    """The cards' folder of the build, for a drawing process: started from the fork server, it is given a duplicate of
    the folder's descriptor and the cache's key (through the pipe that starts it), and writes its cards itself."""

    def __init__(self, folder: CacheFolder) -> None:
        self.folder = folder

    def __reduce__(self) -> tuple[Any, ...]:
        folder, build = self.folder, self.folder._build
        return _folder_again, (reduction.DupFd(folder.fd), folder.location, folder.shown, folder.place, build.key,
                               build.made)


def _folder_again(fd: Any, location: Path, shown: Any, place: str, key: bytes, made: float) -> _FolderHandle:
    from factcheck_site.cache_folder import _Build

    return _FolderHandle(CacheFolder(fd.detach(), location, shown, place, _Build(key, made, lambda message: None)))


_beside_folder: CacheFolder | None = None  # in a process drawing beside mkdocs build: where it writes


def _beside_process(handle: _FolderHandle, language: tuple[str | None, str | None] | None, forked: bool) -> None:
    global _beside_folder
    _end_with_server(forked)
    _beside_folder = handle.folder
    if language is not None and not forked:
        activate(language[0], Path(language[1]) if language[1] else None)


def _draw_beside(cards: Sequence[tuple[str, CardText]]) -> None:
    assert _beside_folder is not None
    _draw(_beside_folder, cards)


class CardsBeside:
    """Cards drawn while `mkdocs build` reads, themes and writes its pages. MkDocs does that in one process, on one
    core, for most of a cold build (about 240 s at 25,000 claims); the cards, drawn before it on every core, took
    another 100 s or so. Drawn beside it instead, by processes on the other cores (one core is left to MkDocs, so
    neither slows the other), into the cache as before; the plugin copies them into the site once wait() has
    returned, before the site is published. What is left to draw then is drawn on every core.

    The processes start from multiprocessing's fork server (_drawing_context), as under `mkdocs serve`: forked from
    the build once its pages were made, each kept the build's heap of that moment alive for the rest of the build,
    page by page as the build went on (380 MB of a 10,000-claim build's peak of 811 MB). A small site's build
    (FORKED_BELOW) forks them all the same: its heap is small, and the fork server's start held it longer than
    drawing its cards took."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.chunks: list[tuple[Future[None], CacheFolder, Sequence[tuple[str, CardText]]]] = []
        self.language: tuple[str | None, str | None] | None = None  # the site's language and project (the plugin's)
        self.server_started = False  # this build started the fork server, and ends it (_end_server)

    def draw(self, folder: CacheFolder, missing: Sequence[tuple[str, CardText]], fork: bool = False) -> bool:
        """Start drawing missing (name in folder, card); False when they cannot be drawn beside (one core, or
        another thread runs): the caller draws them now. With fork (a small site), the processes are forked from
        this one."""
        count = processes_available()
        if count < 2 or self.pool is not None:
            return False
        if fork:
            context = multiprocessing.get_context("fork")
        else:
            self.server_started = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", 0) is None
            context = _drawing_context()
        forked = context.get_start_method() == "fork"
        self.pool = ProcessPoolExecutor(count - 1, mp_context=context, initializer=_beside_process,
                                        initargs=(_FolderHandle(folder), self.language, forked))
        size = BESIDE_CHUNK
        self.chunks = [(self.pool.submit(_draw_beside, missing[start : start + size]), folder,
                        missing[start : start + size]) for start in range(0, len(missing), size)]
        return True

    def wait(self) -> None:
        """Every card drawn: the chunks no process has started are drawn here meanwhile. A card a process could not
        draw or write (it was killed, or the folder refused it) is drawn when it is read (CachedCard.data)."""
        if self.pool is None:
            return
        for future, folder, chunk in reversed(self.chunks):  # the last chunks are the ones not started
            if future.cancel():
                _draw(folder, chunk)
        for future, _, _ in self.chunks:
            with contextlib.suppress(Exception):
                future.result()
        self.pool.shutdown()
        self.pool, self.chunks = None, []
        self._end_server()

    def stop(self) -> None:
        """End the processes, drawing or not (a failed build)."""
        if self.pool is not None:
            _end_pool(self.pool)
            self.pool, self.chunks = None, []
            self._end_server()

    def _end_server(self) -> None:
        """The fork server this build started, ended with it and waited for (it has waited for the drawers): else
        it outlives the build, and the drawers' CPU time is counted in no process the build waited for (the
        benchmarks' CPU seconds of a build and its workers)."""
        if self.server_started:
            self.server_started = False
            with contextlib.suppress(Exception):  # multiprocessing's own way of ending it (its tests'); else it ends
                forkserver._forkserver._stop()  # type: ignore[attr-defined]  # when this process does
