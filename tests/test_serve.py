"""`mkdocs serve` picks up an edited claim file without a restart (tests/test_builders.py runs the
same scenario with `properdocs serve`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import ENV, free_port
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from test_structured_data import claim_reviews

from benchmarks.measure import process_tree
from benchmarks.project import make_project
from benchmarks.serve_timing import stop_serving


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


# How long the server may take to serve a page or rebuild one: only a server that never does fails, however busy
# the machine (a load average of 20 on 2 cores slows a build tenfold).
PATIENCE = 600


def _wait_for(url: str, needle: str, seconds: float = PATIENCE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.3)
    return False


def _wait_for_output(log: Path, needle: str, seconds: float = PATIENCE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if needle in log.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.3)
    return False


def serve_rebuilds_an_edited_claim(project: Path, builder: str) -> None:
    """`builder serve` (a Python module: mkdocs, properdocs) serves a claim page with its ClaimReview,
    shows an edit without a restart, reports a mistake in the terminal and recovers once it is fixed."""
    port = free_port()
    log = project.parent / f"{builder}-serve.log"  # read while it serves, which a pipe would not allow
    with open(log, "w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", builder, "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=ENV, stdout=output, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/claims/deployment-lasted-120-days/"
    mistake = "claims/deployment-lasted-120-days.yml:5: unknown verdict 'unverifed'"
    try:
        assert _wait_for(url, "Only CaliToday gives the 120-day figure"), "the page was never served"
        assert len(claim_reviews(BeautifulSoup(_get(url) or "", "html.parser"))) == 1, "no ClaimReview served"
        claim = project / "claims" / "deployment-lasted-120-days.yml"
        text = claim.read_text(encoding="utf-8")
        assert "summary: Only CaliToday gives" in text or 'summary: "Only CaliToday gives' in text
        claim.write_text(text.replace("Only CaliToday gives the 120-day figure",
                                      "Edited while serving: only CaliToday gives the figure"), encoding="utf-8")
        assert _wait_for(url, "Edited while serving"), "the edited claim was not rebuilt"

        # A mistake is reported in the terminal; fixing it brings the page back without a restart.
        claim.write_text(text.replace("verdict: unverified", "verdict: unverifed"), encoding="utf-8")
        assert _wait_for_output(log, mistake), "the mistake was not reported"
        claim.write_text(text.replace("Only CaliToday gives the 120-day figure", "Fixed while serving"),
                         encoding="utf-8")
        assert _wait_for(url, "Fixed while serving"), "the fixed claim was not rebuilt"
    finally:
        stop_serving(server, timeout=60)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert mistake in output
    assert "Traceback" not in output


def test_serve_rebuilds_an_edited_claim(project: Path) -> None:
    serve_rebuilds_an_edited_claim(project, "mkdocs")


def test_stopping_the_server_during_a_build_does_not_hang(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin holds MkDocs' file watcher while a build runs (serving.py). Ctrl+C in the middle of a build
    (a KeyboardInterrupt, for which MkDocs calls no plugin event) must still let go of it: stopping the server
    waits for the watcher's threads."""
    from factcheck_site import serving

    monkeypatch.setattr(serving, "BACKSTOP_POLL", 0.1)  # the plugin's poller of the claims, too, waits for the build
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["factcheck"]
    plugin.on_startup(command="serve", dirty=True)
    config = plugin.on_config(config)

    def interrupted_build() -> None:
        assert plugin.watchers.held, "the watcher should be held while a build runs"
        time.sleep(0.6)  # longer than the poll interval (0.1 s here): the poller now waits for the build
        raise KeyboardInterrupt

    server = LiveReloadServer(builder=interrupted_build, host="127.0.0.1", port=free_port(), root=str(project))
    server = plugin.on_serve(server, config=config, builder=interrupted_build)
    server.observer.start()
    def stop() -> None:  # MkDocs' watcher, and the plugin's (which polls the claims on a local disk)
        server.observer.stop()
        plugin.announced.stop()

    stopping = threading.Thread(target=stop, daemon=True)
    try:
        plugin.watchers.hold(server, plugin.announced.backstop)  # as on_pre_build does
        with pytest.raises(KeyboardInterrupt):
            server.builder()
        stopping.start()
        stopping.join(timeout=300)  # a hang never ends; a busy machine only takes long
        assert not stopping.is_alive(), "the file watcher was left held: stopping the server hangs"
    finally:
        plugin.watchers.release()
        plugin.announced.stop()
        server.observer.stop()
        server.observer.join(timeout=10)


def test_a_build_after_a_serve_in_the_same_process_publishes_the_whole_site(project: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs hands every command run in one process the same plugin instance (it keeps the plugins that have
    on_startup). A `mkdocs serve` stopped before its first preview was completed must leave nothing of its state to a
    `mkdocs build` run next: its feeds and exports were the first preview's, with no claim in them."""
    from mkdocs.commands.build import build
    from mkdocs.config.defaults import MkDocsConfig

    monkeypatch.chdir(project)
    MkDocsConfig.plugins.plugin_cache.pop("factcheck", None)  # type: ignore[attr-defined]
    try:
        config = load_config(str(project / "mkdocs.yml"))
        config.plugins.on_startup(command="serve", dirty=True)
        config = config.plugins["factcheck"].on_config(config)
        config.plugins.on_shutdown()  # stopped (Ctrl+C) before the first build ended
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        MkDocsConfig.plugins.plugin_cache.pop("factcheck", None)  # type: ignore[attr-defined]
    claims = sorted(path.stem for path in (project / "claims").glob("*.yml"))
    exported = json.loads((tmp_path / "site" / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert claims and len(exported) == len(claims), "the export is not the whole site's"
    feed = ElementTree.parse(tmp_path / "site" / "feed.xml").getroot()
    assert len(list(feed.iter("item"))) == len(claims), "the feed is not the whole site's"


@pytest.mark.parametrize("stop", ["ctrl-c", "kill"])
def test_stopping_the_server_while_cards_are_drawn_leaves_no_process_behind(tmp_path: Path, stop: str) -> None:
    """The first preview's link-preview cards are drawn by processes of their own once its pages are made. An editor
    who stops `./dev serve` with Ctrl+C meanwhile stops them too: a process stopped while sending its cards back
    would otherwise wait for the server for ever. So does a server killed outright (a closed terminal, SIGKILL), which
    runs none of its own code: its drawing processes see it gone."""
    project = tmp_path / "p"
    make_project(project, 200, 2)  # more cards than a build draws itself
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"127.0.0.1:{port}".encode()
    tree: list[tuple[int, str | None]] = []

    def started(pid: int) -> str | None:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return fields[19] if fields[0] not in "ZX" else None  # its start time; None once it has ended

    def serving_processes() -> list[int]:
        found = [pid for pid, start in tree if started(pid) == start]  # those started from it (a fork server's too)
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    if address in cmdline.read() and int(pid) not in found:
                        found.append(int(pid))
            except OSError:
                continue
        return found

    try:
        assert _wait_for(f"http://127.0.0.1:{port}/", "</html>"), "the first preview was never served"
        time.sleep(1)  # the cards are being drawn
        tree = [(pid, start) for pid in process_tree(server.pid) if (start := started(pid)) is not None]
    finally:
        if stop == "kill":
            server.kill()
            server.wait()
        else:
            stop_serving(server)
    deadline = time.monotonic() + 600  # the drawers end a second after their server; a busy machine only takes long
    while serving_processes() and time.monotonic() < deadline:
        time.sleep(0.5)
    left = serving_processes()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} processes of the server were left running"


def test_the_pages_a_preview_made_are_cached_for_the_next_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve` the build cache's manifest is written in the pause after each build (serving.Collector),
    not on the way from a save to its page, and when the server stops: a `mkdocs build` after `./dev serve` finds every
    page of the preview's last build in the cache."""
    from factcheck_site.cache_folder import open_cache
    from factcheck_site.output.build_cache import PageCache
    from mkdocs.commands.build import build

    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project.parent / "preview"))
    config.plugins.on_startup(command="serve", dirty=True)
    plugin = config.plugins["factcheck"]
    claim = project / "claims" / "deployment-lasted-120-days.yml"
    for edit in ("", "Saved during the preview: "):
        text = claim.read_text(encoding="utf-8")
        claim.write_text(text.replace("Only CaliToday gives", f"{edit}Only CaliToday gives"), encoding="utf-8")
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project.parent / "preview"))
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
    made = set(plugin.keys.values())
    config.plugins.on_shutdown()
    with open_cache(project, pytest.fail, pytest.fail) as folder:
        cached = set(PageCache(folder).entries)
    assert made and made <= cached, f"{len(made - cached)} of the preview's {len(made)} pages are not in the cache"


def test_the_claims_are_watched_through_the_kernels_announcements_and_polled_only_as_a_backstop(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs polls what it watches: a snapshot of every file of the folder every half second, which at 25,000 claims
    took half a core for as long as `./dev serve` ran. On a local disk of Linux the kernel announces every change to
    the claims and sources (inotify): a save in place, a save by renaming a new file over the old (as many editors
    do), a new file and a deleted one each ask for a build at once, with MkDocs' poller not even running, and reading
    the files (as every build does) asks for none. MkDocs still polls them, only seconds apart, as a backstop."""
    from factcheck_site.serving import BACKSTOP_POLL, kernel_announced

    claims = project / "claims"
    assert kernel_announced(str(claims)), "the test's folder should be on a local filesystem (tmpfs, ext4, ...)"
    plugin, server = _served(project, monkeypatch)
    claim = claims / "deployment-lasted-120-days.yml"
    text = claim.read_text(encoding="utf-8")

    def asks_for_a_build(change: Any) -> bool:
        with server._rebuild_cond:
            server._want_rebuild = False
        change()
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            with server._rebuild_cond:
                if server._want_rebuild:
                    return True
            time.sleep(0.05)
        return False

    def renamed_over() -> None:
        (project / "saved.tmp").write_text(text + "# saved by renaming\n", encoding="utf-8")
        os.replace(project / "saved.tmp", claim)

    try:
        assert asks_for_a_build(lambda: claim.write_text(text + "# saved\n", encoding="utf-8")), "a save went unseen"
        assert asks_for_a_build(renamed_over), "a save by renaming went unseen"
        assert asks_for_a_build(lambda: (claims / "new-claim.yml").write_text(text, encoding="utf-8")), \
            "a new claim went unseen"
        assert asks_for_a_build(lambda: (claims / "new-claim.yml").unlink()), "a deleted claim went unseen"
        with server._rebuild_cond:
            server._want_rebuild = False
        for path in claims.iterdir():
            path.read_bytes()
        time.sleep(1)
        assert not server._want_rebuild, "reading the claims asked for a build: every build would ask for another"
        polls = [emitter.timeout for observer in _pollers(server, plugin) for emitter in observer.emitters
                 if os.path.realpath(emitter.watch.path) == os.path.realpath(claims)]
        assert polls and min(polls) >= BACKSTOP_POLL, "the claims are polled every half second, or never"
    finally:
        plugin.on_shutdown()


def _served(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, LiveReloadServer]:
    """The plugin of project, started as `mkdocs serve --dirty` starts it, and a server it watches files for (its
    builder does nothing, and it serves nothing)."""
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["factcheck"]
    plugin.on_startup(command="serve", dirty=True)
    config = plugin.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(project))
    return plugin, plugin.on_serve(server, config=config, builder=server.builder)


def _pollers(server: LiveReloadServer, plugin: Any) -> list[Any]:
    """The observers that poll what the server watches: MkDocs' own, and the backstop of what the kernel announces."""
    return [observer for observer in (server.observer, getattr(plugin.announced, "backstop", None)) if observer]


def test_a_save_asks_for_one_build_and_the_backstop_poll_finds_what_was_not_announced(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save announced by the kernel asks for a build; the backstop poll that then finds the saved file changed
    must not ask for another: at 25,000 claims that second build took as long as the first, and the editor's next
    save waited for it. A change the kernel did not announce is still found by the poll, and built."""
    from factcheck_site import plugin as plugin_module
    from factcheck_site import serving
    from watchdog.events import FileSystemEventHandler

    for module in (serving, plugin_module):  # polled every 0.2 s, not 5 s, for a quick test
        monkeypatch.setattr(module, "BACKSTOP_POLL", 0.2)
    claims = project / "claims"
    plugin, server = _served(project, monkeypatch)
    server.observer.start()  # as MkDocs' serve() does
    claim, other = claims / "deployment-lasted-120-days.yml", sorted(claims.glob("*.yml"))[0]
    assert claim != other
    found: list[str] = []
    polled = threading.Condition()

    def spy(event: Any) -> None:  # every change a poll of the claims finds
        with polled:
            found.append(os.path.realpath(os.fsdecode(event.src_path)))
            polled.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = spy  # type: ignore[method-assign]
    emitters = [(observer, emitter) for observer in _pollers(server, plugin) for emitter in observer.emitters
                if os.path.realpath(emitter.watch.path) == os.path.realpath(claims)]
    for observer, emitter in emitters:
        observer.add_handler_for_watch(handler, emitter.watch)

    def polls_find(path: Path) -> bool:
        with polled:
            return polled.wait_for(lambda: os.path.realpath(path) in found, timeout=PATIENCE)

    def asked() -> bool:
        with server._rebuild_cond:
            return server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=PATIENCE)

    try:
        other.write_text(other.read_text(encoding="utf-8") + "# polled\n", encoding="utf-8")
        assert polls_find(other), "the claims are never polled"
        locks = [emitter._lock for _, emitter in emitters]
        for lock in locks:  # as during a build (WatchersHeld): the poll after it compares with one from before
            lock.acquire()
        for observer, _ in emitters:
            observer.event_queue.join()
        found.clear()
        with server._rebuild_cond:
            server._want_rebuild = False
        claim.write_text(claim.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
        assert asked(), "a save went unseen"
        # The save is several events of the kernel's (truncated, written, closed): each asks for the build; wait for
        # the last, which notes the file as it ends, before the build "starts".
        announced = plugin.announced
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline and not any(
                os.path.realpath(path) == os.path.realpath(claim) and state == serving._state(path)
                for path, state in list(announced.announced.items())):
            time.sleep(0.01)
        time.sleep(0.2)
        announced.observer.event_queue.join()
        with server._rebuild_cond:
            server._want_rebuild = False  # the build starts, and reads the saved file
        for lock in locks:
            lock.release()
        assert polls_find(claim), "the poll never found the save"
        for observer, _ in emitters:
            observer.event_queue.join()  # every handler has had the poll's changes
        assert not server._want_rebuild, "the poll asked for a second build of a save the kernel announced"

        plugin.announced.observer.stop()  # the kernel's announcements lost (its queue overflowing)
        plugin.announced.observer.join()
        other.write_text(other.read_text(encoding="utf-8") + "# not announced\n", encoding="utf-8")
        assert asked(), "a change the kernel did not announce went unseen"
    finally:
        plugin.on_shutdown()
        server.observer.stop()


def test_between_saves_the_collector_goes_through_what_a_build_made_and_the_whole_heap_once_idle(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After each build under `mkdocs serve`, the pause's collection frees what that build left; the whole heap (0.65 s
    at 25,000 claims, whose time a save coming then waited for) is gone through only once the server is idle, so
    what an earlier build let go is freed then, not never."""
    import gc
    import weakref

    from factcheck_site import serving

    monkeypatch.setattr(serving, "PAUSE", 0.05)
    monkeypatch.setattr(serving, "IDLE", 0.5)

    class Node:
        pass

    def cycle() -> weakref.ref[Node]:
        first, second = Node(), Node()
        first.other, second.other = second, first  # type: ignore[attr-defined]
        return weakref.ref(first)

    def collected(collector: serving.Collector) -> None:
        deadline = time.monotonic() + PATIENCE
        while collector.due and time.monotonic() < deadline:
            time.sleep(0.01)

    collector = serving.Collector()
    kept: list[Any] = []
    try:
        collector.before_build()  # the first build, and the collection after it, as under `mkdocs serve`
        kept.append(Node())
        old = cycle()  # made by the first build, kept by it (frozen after it), and let go by the second
        kept.append(old())
        collector.after_build()
        collected(collector)
        collector.before_build()
        kept.clear()
        young = cycle()  # made and let go by the second build
        collector.after_build()
        collected(collector)
        assert young() is None, "what the last build left was not freed"
        assert old() is not None, "the pause's collection went through the whole heap"
        deadline = time.monotonic() + PATIENCE
        while old() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert old() is None, "what an earlier build let go was never freed"
    finally:
        collector.stop()
        gc.unfreeze()
