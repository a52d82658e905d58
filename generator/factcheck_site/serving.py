"""What `mkdocs serve` does beside a build, kept off the path from a save to the page on screen: Python's garbage
collector and MkDocs' file watcher.

Most of the heap lasts from one build to the next (every claim, page and key of the last build, kept so that the
next renders only what changed), and the collector goes through all of it whenever enough objects have been
kept from its younger generations: four times a save at 25,000 claims, 0.65 s each. Instead, once a build is
served and the editor's browser has reloaded, one collection frees what the build left (MkDocs' pages and files
point at each other, so only the collector frees them), and what survives is frozen, out of the collector's way
until the next such collection. During a build the oldest generation is gone through ten times less often, and
then only over what that build made. A save that comes before the pause is over is collected for first.

That collection goes only through what the build made (what is frozen stays frozen): the whole heap (0.3 s at 10,000
claims, 0.65 s at 25,000), to free the few objects of earlier builds that a build let go (at 2,000 claims about 150
of the 1,200 a save leaves), is gone through once the server has had no build for IDLE seconds, or every WHOLE_EVERY
saves.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import posixpath
import re
import select
import signal
import threading
import traceback
from collections.abc import Callable
from typing import Any

from factcheck_site.build import end_with_parent, processes_available
from factcheck_site.output.pieces import Pieces

PAUSE = 0.5  # seconds after a build before collecting: a browser on this machine has reloaded the page by then
OLDEST_GENERATION_EVERY = 100  # collections of the middle generation between those of the oldest (Python's: 10)
IDLE = 10.0  # seconds without a build before the whole heap is collected
WHOLE_EVERY = 20  # ... or collections of what a build made, at most, between two of the whole heap


class Collector:
    """Collects garbage in the pause after a build, or before the next if that comes first; and does then whatever
    else a build left for later (later()), which the page on screen does not wait for."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.due = False  # the first build runs as any build outside `mkdocs serve` does
        self.timer: threading.Timer | None = None
        self.idle: threading.Timer | None = None  # the whole heap's collection, once the server is idle
        self.building = False
        self.since_whole = 0  # collections of what a build made since the last of the whole heap
        self.jobs: list[Callable[[], None]] = []

    def later(self, job: Callable[[], None]) -> None:
        """job() after the collection that follows this build (before the next build, or when the server stops)."""
        with self.lock:
            self.jobs.append(job)

    def before_build(self) -> None:
        """Collect now, if the pause after the last build has not yet."""
        with self.lock:  # under the lock: a pause's collection running now cannot leave an idle timer behind
            self.building = True
            self._cancel_timers()
        self._collect()

    def after_build(self) -> None:
        """Collect after a pause, in another thread."""
        with self.lock:
            self.due, self.building = True, False
        self.timer = threading.Timer(PAUSE, self._collect)
        self.timer.daemon = True
        self.timer.start()

    def stop(self) -> None:
        with self.lock:
            self.building = True  # no idle timer is started any more
            self._cancel_timers()
            self._run_jobs()

    def _cancel_timers(self) -> None:
        for timer in (self.timer, self.idle):
            if timer is not None:
                timer.cancel()
        self.timer = self.idle = None

    def _run_jobs(self) -> None:
        jobs, self.jobs = self.jobs, []
        for job in jobs:
            job()

    def _collect(self) -> None:
        with self.lock:
            if self.due:
                whole = self.since_whole >= WHOLE_EVERY
                if whole:
                    gc.unfreeze()
                gc.collect()
                gc.freeze()
                young, middle, _ = gc.get_threshold()
                gc.set_threshold(young, middle, OLDEST_GENERATION_EVERY)
                self.due = False
                self.since_whole = 0 if whole else self.since_whole + 1
                if self.since_whole and not self.building:
                    self.idle = threading.Timer(IDLE, self._collect_whole)
                    self.idle.daemon = True
                    self.idle.start()
            self._run_jobs()

    def _collect_whole(self) -> None:
        with self.lock:
            if self.building or not self.since_whole:
                return
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.since_whole = 0


class WatchersHeld:
    """MkDocs' file watcher polls the claims folder every half second, a snapshot of every file in it, and at 25,000
    claims each snapshot takes the interpreter from the build for a tenth of a second. While a build runs, the
    pollers wait: each takes its lock around a snapshot, and the build holds those locks. Then each compares what it
    finds with its snapshot from before the build, so a file saved during a build is still seen."""

    def __init__(self) -> None:
        self.held: list[Any] = []

    def hold(self, *watchers: Any) -> None:
        """Hold the pollers of each watcher, MkDocs' server (its observer) or an observer (watchdog's PollingEmitter
        keeps its lock in _lock; without one, nothing)."""
        for watcher in watchers:
            self._hold(getattr(watcher, "observer", watcher))

    def _hold(self, observer: Any) -> None:
        for emitter in list(getattr(observer, "emitters", ())):
            lock = getattr(emitter, "_lock", None)
            if callable(getattr(lock, "acquire", None)) and lock.acquire(timeout=HOLD_TIMEOUT):
                self.held.append(lock)

    def release(self) -> None:
        while self.held:
            self.held.pop().release()


HOLD_TIMEOUT = 5  # seconds: a poller is never in the middle of a snapshot longer than that


# Filesystems of Linux on which every change to a file is made through this kernel, which then tells inotify: a local
# disk, memory, a container's layers. Not a network share or a folder shared by a virtual machine's or a container's
# host (NFS, SMB, 9p, virtiofs, FUSE), which a change made on the other side reaches without an event.
LOCAL_FILESYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "nilfs2", "bcachefs",
                               "zfs", "tmpfs", "ramfs", "overlay"})
BACKSTOP_POLL = 5.0  # seconds between MkDocs' polls of a folder whose changes the kernel also announces
CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed"})  # not opened or read: the build reads them


def kernel_announced(folder: str) -> bool:
    """Whether Linux announces every change to the files in folder (inotify): a folder on a local filesystem."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            lines = mounts.read().splitlines()
    except OSError:  # not Linux
        return False
    target, best, kind = os.path.realpath(folder), "", None
    for line in lines:
        fields = line.split(" ")
        if "-" not in fields[6:]:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4])  # \040 for a space
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[fields.index("-", 6) + 1]
    return kind in LOCAL_FILESYSTEMS


class AnnouncedChanges:
    """The claims and sources folders watched through the kernel's announcements of their changes (inotify), where it
    makes them for every change (kernel_announced), instead of MkDocs' polling of them: at 25,000 claims, a poll (a
    snapshot of every file, compared with the last) every half second took half a core for as long as the server ran.
    A save, a new file, a deleted or renamed one asks for a build at once, as MkDocs' own watcher does.

    The folders are still polled, every BACKSTOP_POLL seconds, so that nothing the kernel might not announce (its queue
    overflowing) goes unseen; but a change the poll finds asks for a build only if the file is not as it was when its
    change was announced. Polled by MkDocs, every save asked for a second build: the poller, held during the build
    (WatchersHeld), found the saved file changed since its last snapshot and asked again, and at 25,000 claims the
    editor's next save waited for that build to end (about as long as its own)."""

    def __init__(self) -> None:
        self.observer: Any = None  # the kernel's announcements
        self.backstop: Any = None  # the polls
        self.lock = threading.Lock()
        self.announced: dict[str, tuple[int, ...] | None] = {}  # each file announced: its state then (None: gone)

    def watch(self, server: Any, folder: str) -> bool:
        """Whether folder is now watched through announcements, and polled as a backstop (MkDocs need not poll it)."""
        if not kernel_announced(folder):
            return False
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers.inotify import InotifyObserver
            from watchdog.observers.polling import PollingObserver

            if self.observer is None:
                self.observer = InotifyObserver()
                self.observer.start()
            handler = FileSystemEventHandler()
            handler.on_any_event = lambda event: (  # type: ignore[method-assign]
                self._announced(server, event) if event.event_type in CHANGES else None)
            self.observer.schedule(handler, folder, recursive=True)
            if self.backstop is None:
                self.backstop = PollingObserver(timeout=BACKSTOP_POLL)
                self.backstop.start()
            polled = FileSystemEventHandler()
            polled.on_any_event = lambda event: self._polled(server, event)  # type: ignore[method-assign]
            self.backstop.schedule(polled, folder, recursive=True)
        except (ImportError, OSError):  # no inotify here, or no watch left (fs.inotify.max_user_watches)
            return False
        return True

    def _announced(self, server: Any, event: Any) -> None:
        if event.is_directory:
            return
        with self.lock:
            for path in _paths(event):
                self.announced[path] = _state(path)
        request_build(server)

    def _polled(self, server: Any, event: Any) -> None:
        """A change the poll found: a build, unless each file it names is as it was when its change was announced
        (the build asked for then read the file as it is, or later)."""
        if event.is_directory:
            return
        with self.lock:
            seen = all(path in self.announced and self.announced[path] == _state(path) for path in _paths(event))
        if not seen:
            request_build(server)

    def stop(self) -> None:
        for observer in (self.observer, self.backstop):
            if observer is not None:
                observer.stop()
                observer.join()
        self.observer = self.backstop = None


def _paths(event: Any) -> list[str]:
    return [os.fsdecode(event.src_path), *([os.fsdecode(event.dest_path)] if getattr(event, "dest_path", "") else [])]


def _state(path: str) -> tuple[int, ...] | None:
    """What a poll compares of a file (its inode, times and size), or None for none there."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size


def request_build(server: Any) -> None:
    """Ask MkDocs' server for a build, as its file watcher does when a file changes (nothing, for a server
    without that)."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()


def after_first_request(server: Any, call: Callable[[], None], wait: float, settle: float = 2) -> None:
    """call() settle seconds after the server has answered its first request (a browser's first page, whose
    stylesheets and scripts it fetches next), or after wait seconds without one: MkDocs' server holds every
    request while it builds, so a build started before the first page is served would hold it."""
    once, answered = threading.Lock(), threading.Event()

    def call_once() -> None:
        if once.acquire(blocking=False):
            call()

    def later(seconds: float) -> None:
        timer = threading.Timer(seconds, call_once)
        timer.daemon = True
        timer.start()

    app = server.get_app()

    def answer(environ: Any, start_response: Any) -> Any:
        try:
            return app(environ, start_response)
        finally:
            if not answered.is_set():
                answered.set()
                later(settle)

    server.set_app(answer)
    later(wait)


class Beside:
    """work() in a process forked from this one, which MkDocs' server has not yet made threaded (the first build of
    `mkdocs serve` runs before it starts): the second core renders a share of the first build's pages while this
    process renders the rest; in a rebuild by `mkdocs build` it joins the feeds and exports from their stored pieces,
    or copies the cards, while this process takes the pages. The child inherits everything (nothing is sent to it);
    its result comes back pickled through a pipe, with what it logged at WARNING and above, which this process logs
    again (so a strict build counts it, and it is printed once). result() is None if the child failed: its share must
    then be done here."""

    def __init__(self, work: Callable[[], Any], niceness: int = 0) -> None:
        read, write = os.pipe()
        parent = os.getpid()
        gc.freeze()  # the child's collector leaves the inherited heap alone, so its pages stay shared
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(read)
            status = 1
            try:
                end_with_parent(parent)
                os.nice(niceness)
                said: list[tuple[str, int, str]] = []
                logger = logging.getLogger("mkdocs")
                logger.handlers = [_Said(said)]
                data = pickle.dumps((work(), said), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as stream:
                    stream.write(data)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(write)
        self.read: int | None = read

    def result(self) -> Any:
        """The child's result, once it has finished (None if it failed or was stopped)."""
        if self.read is None:
            return None
        with os.fdopen(self.read, "rb") as stream:
            data = stream.read()
        self.read = None
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return None
        value, said = pickle.loads(data)
        for name, level, message in said:
            logging.getLogger(name).log(level, message)
        return value

    def kill(self) -> None:
        """Stop the child now, without waiting for it (result() then finds it failed)."""
        if self.read is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Stop the child, if it is still working (the build failed)."""
        if self.read is None:
            return
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        os.close(self.read)
        self.read = None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


NOT_YET = object()  # Told.heard(wait=False) before the message came


class Told:
    """One message from the build's process to a process it forks (Beside), sent once it is known, after the fork: a
    rebuild's process joining the feeds and exports learns where to write them once MkDocs has named the site's files.
    Made before the fork; the message is sent with its length, so that the other processes forked meanwhile, which hold
    the pipe open too, do not keep the child waiting for its end."""

    def __init__(self) -> None:
        self.read: int | None
        self.write: int | None
        self.read, self.write = os.pipe()

    def tell(self, message: Any) -> None:
        """In the build's process: message sent (once; a child gone meanwhile hears nothing, and its Beside fails)."""
        if self.write is None:
            return
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        data = len(data).to_bytes(8, "big") + data
        try:
            while data:
                data = data[os.write(self.write, data):]
        except OSError:
            pass
        finally:
            self.close()

    def heard(self, wait: bool) -> Any:
        """In the child: the message, waited for (wait), or NOT_YET if it has not come."""
        if self.write is not None:  # the child writes nothing
            os.close(self.write)
            self.write = None
        assert self.read is not None
        if not wait and not select.select([self.read], [], [], 0)[0]:
            return NOT_YET
        head = self._exactly(8)
        return pickle.loads(self._exactly(int.from_bytes(head, "big")))

    def _exactly(self, size: int) -> bytes:
        assert self.read is not None
        data = b""
        while len(data) < size:
            more = os.read(self.read, size - len(data))
            if not more:
                raise EOFError("the build's process ended before it told where to write")
            data += more
        return data

    def close(self) -> None:
        for end in (self.read, self.write):
            if end is not None:
                os.close(end)
        self.read = self.write = None


NICENESS = 5  # of the first preview's processes: a page the server's process makes when asked for comes first


class BackgroundPages:
    """The first preview's generated pages, themed and written by processes forked from its build (one per core, each
    a Beside) while the server already serves: at 25,000 claims, making the archive's 30,500 pages in the build held
    the first page for minutes. A page asked for before its process has written it is made at once by the server's
    process (make, holding site_lock, which every build holds too); every build after the first waits for them
    (wait) and counts what they made as its own."""

    def __init__(self, shares: list[Callable[[], Any]], make: Callable[[Any], None], unmade: dict[str, Any],
                 site_lock: threading.Lock) -> None:
        self.children = [Beside(work, NICENESS) for work in shares]
        self.make, self.site_lock = make, site_lock
        self.unmade = unmade  # each page the processes make, by where it is written: made here if asked for first
        self.lock = threading.Lock()
        self.results: list[Any] | None = None

    def wait(self) -> list[Any]:
        """Each process's result (None for one that failed: its pages are not made), once all have finished."""
        with self.lock:
            if self.results is None:
                self.results = [child.result() for child in self.children]
                self.unmade = {}
            return self.results

    def make_if_unmade(self, path: str) -> None:
        """Make the page MkDocs' server answers path with (the file, or the folder's index.html it redirects to) now,
        unless it is written already or is none of theirs. Looked up again under the lock: a build that ran
        meanwhile (a claim deleted) has taken every page over."""
        for where in (path, os.path.join(path, "index.html")):
            if self.unmade.get(where) is None:
                continue
            with self.site_lock:
                page = self.unmade.get(where)
                if page is not None and not os.path.exists(where):
                    self.make(page)
            return

    def stop(self) -> None:
        """End the processes at once, even while wait() reads what they send (it then finds them failed)."""
        for child in self.children:
            child.kill()
        with self.lock:
            for child in self.children:
                child.stop()
            self.results, self.unmade = [None] * len(self.children), {}


class LaterFiles:
    """Under `mkdocs serve --dirty`, the files of a save's build that no page on screen needs (the feeds and exports,
    about a sixth of a save at 10,000 claims; the search index, about a tenth) are made and written once the build
    has ended, in a thread (start), while MkDocs' server already shows its pages: the saved claim is on screen first.
    Each file's step is left for later by the build (defer). From the start of every build (hold) until its step is
    done, the server holds any request for one of those files (a folder's, for the search index), so no browser is
    answered with the last build's; the next build starts once every step is done (finish). Where no server runs
    them (none attached), the steps wait for finish()."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.held: tuple[str, ...] = ()  # paths in the site folder (a folder's ends with its separator)
        self.covered: tuple[str, ...] = ()  # what the builds hold: requests for anything else are never held
        self.waiting = 0  # requests held now
        self.steps: list[tuple[tuple[str, ...], Callable[[], None]]] = []  # (the paths it writes, the step)
        self.thread: threading.Thread | None = None
        self.attached = False
        self.server: Any = None

    def attach(self, server: Any) -> None:
        """From here on, the builds leave these files for later, and the server holds the requests for them."""
        app = server.get_app()
        self.server = server

        def answer(environ: Any, start_response: Any) -> Any:
            path = served_path(server, environ.get("PATH_INFO", ""))
            if path is not None:
                self.wait_for(path)
            return app(environ, start_response)

        server.set_app(answer)
        self.attached = True

    def hold(self, paths: list[str]) -> None:
        """A build starts: requests for paths wait until its step for them is done (or the build has ended, if it
        leaves none)."""
        with self.condition:
            self.held = self.covered = tuple(map(_site_path, paths))

    def defer(self, paths: tuple[str, ...], step: Callable[[], None]) -> None:
        self.steps.append((paths, step))

    def start(self) -> None:
        """The build has ended: its steps run in a thread of their own, or the hold ends if it left none."""
        if not self.steps:
            self._release(None)
            return
        self.thread = threading.Thread(target=self._run, name="factcheck-later-files", daemon=True)
        self.thread.start()

    def finish(self) -> None:
        """Every step done: waited for, or run here where no thread ran them."""
        if self.thread is not None:
            self.thread.join()  # a Ctrl+C meanwhile leaves it to be waited for again (on_shutdown)
            self.thread = None
        if self.steps:
            self._run()

    def drop(self) -> None:
        """The build failed: nothing of it is left to do, and nothing is held."""
        self.steps = []
        self._release(None)

    def wait_for(self, path: str) -> None:
        """Until no build is under way (MkDocs' epoch, which its server waits for too) and path is not held, both at
        once: a request let through as one build's steps end, while the next build is starting, would otherwise wait
        for that build in MkDocs' server only, and be answered before that build's step has written its file."""
        path = _site_path(path)
        if not _among(path, self.covered):
            return
        epoch = getattr(self.server, "_epoch_cond", None)
        while True:
            if epoch is not None:
                with epoch:
                    epoch.wait_for(self._built)
            with self.condition:
                self.waiting += 1
                try:
                    self.condition.wait_for(lambda: not _among(path, self.held))
                finally:
                    self.waiting -= 1
            if epoch is None:
                return
            with epoch:
                if self._built():
                    return

    def _built(self) -> bool:
        return bool(self.server._visible_epoch == self.server._wanted_epoch)

    def _run(self) -> None:
        steps, self.steps = self.steps, []
        try:
            for paths, step in steps:
                try:
                    step()
                finally:
                    self._release(paths)
        finally:
            self._release(None)

    def _release(self, paths: tuple[str, ...] | None) -> None:
        """paths' requests answered from here on (None: every one's)."""
        with self.condition:
            released = () if paths is None else tuple(map(_site_path, paths))
            self.held = () if paths is None else tuple(held for held in self.held if held not in released)
            self.condition.notify_all()


def write_atomically(content: bytes, output_path: str) -> None:
    """MkDocs' utils.write_file, as the first preview's processes and the server's own write the same pages: a page is
    renamed into place whole, so the server never sends a half-written one."""
    Pieces([content]).write(output_path)


def served_path(server: Any, path_info: str) -> str | None:
    """The file of the site folder that MkDocs' server answers a request for path_info with (its _serve_request's
    rule), or None for a path outside the site."""
    path = path_info.encode("latin-1").decode("utf-8", "ignore")
    mount, root = getattr(server, "mount_path", "/"), getattr(server, "root", None)
    if root is None or not (path + "/").startswith(mount):
        return None
    relative = path[len(mount):] + ("index.html" if path.endswith("/") else "")
    return os.path.normpath(os.path.join(root, posixpath.normpath("/" + relative).lstrip("/")))


def _among(path: str, paths: tuple[str, ...]) -> bool:
    """Whether path is one of paths, or in one of their folders (those ending with the separator)."""
    return any(path == held or (held.endswith(os.sep) and path.startswith(held)) for held in paths)


def _site_path(path: str) -> str:
    """path as served_path and MkDocs' File.abs_dest_path write it (on Windows, with backslashes only); a folder's
    with its separator at the end."""
    return os.path.normpath(path) + (os.sep if path.endswith(("/", os.sep)) else "")


class _Said(logging.Handler):
    def __init__(self, said: list[tuple[str, int, str]]) -> None:
        super().__init__(logging.WARNING)
        self.said = said

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append((record.name, record.levelno, record.getMessage()))


class HeldDraws:
    """The first preview's cards, held until its pages are made (release()), then drawn in the background
    (output/share_cards.py's BackgroundCards): drawn during the first build, they took both cores from it."""

    def __init__(self, drawer: Any) -> None:
        self.drawer = drawer
        self.missing: list[Any] = []

    def draw(self, missing: list[Any]) -> bool:
        """False where no process can be forked to draw them (another thread runs): the build draws them, as
        BackgroundCards.draw says."""
        if processes_available() < 2:
            return False
        self.missing = list(missing)
        return True

    def release(self) -> None:
        missing, self.missing = self.missing, []
        if missing:
            self.drawer.draw(missing)


FILTER = "Files.add_files_from_theme.<locals>.filter"  # the one listing kept: MkDocs' own, of the theme's files


class ThemeListing:
    """MkDocs lists every file of the theme's folders on every build (Files.add_files_from_theme; Material's are 14,500,
    icons included) and matches each name against a dozen patterns: in a profile of saves at 1,000 claims, more time
    than the plugin's own work. Under `mkdocs serve` that filtered listing is kept while every folder it walked has
    the same modification time (a file added, removed or renamed changes its folder's) and the patterns' inputs
    (key: the theme's static templates, Markdown's extensions) are equal."""

    def __init__(self) -> None:
        self.kept: tuple[Any, dict[str, int], list[str]] | None = None  # key, each folder's mtime, the listing

    def wrap(self, env: Any, key: Any) -> None:
        """env.list_templates, through the kept listing for MkDocs' filter of its theme's files."""
        listing, loader = env.list_templates, env.loader
        folders = list(getattr(loader, "searchpath", None) or [])

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or getattr(filter_func, "__qualname__", "") != FILTER or not folders:
                return listing(extensions, filter_func)
            kept = self.kept
            if kept is not None and kept[0] == (key, folders) and all(_mtime(path) == mtime
                                                                       for path, mtime in kept[1].items()):
                return list(kept[2])
            walked = {}
            for folder in folders:
                for path, _, _ in os.walk(folder, followlinks=getattr(loader, "followlinks", False)):
                    walked[path] = _mtime(path)
            found = listing(extensions, filter_func)
            self.kept = ((key, folders), walked, list(found))
            return found

        env.list_templates = list_templates


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1
