"""Checking and rendering on every core gives a site exactly as one process does (processes=1):
the same pages in the same order, the same problems, the same claims."""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from building import build
from conftest import ENV, ROOT
from factcheck_site.build import MIN_FILES_PER_CHUNK, BuildOptions, build_site, map_in_processes, map_sharing
from factcheck_site.config import read_settings
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.render import site_pages

from benchmarks.project import make_project


def test_work_split_across_processes_comes_back_in_order() -> None:
    items = list(range(MIN_FILES_PER_CHUNK * 6))
    results = map_in_processes(lambda chunk: [(item, os.getpid()) for item in chunk], items, 2)
    assert [item for item, _ in results] == items
    assert {pid for _, pid in results} - {os.getpid()}, "the work never left this process"


@pytest.mark.parametrize("count", [MIN_FILES_PER_CHUNK * 2, MIN_FILES_PER_CHUNK * 6 + 7])
def test_work_shared_with_this_process_comes_back_in_order(count: int) -> None:
    """Loading shares its chunks between this process and the one it forks: every item once, in order, the work
    done in both, and what this process does beside them (listing the claims while the sources load) returned."""
    items, here = list(range(count)), os.getpid()
    started = {True: multiprocessing.get_context("fork").Event(), False: multiprocessing.get_context("fork").Event()}

    def task(chunk: list[int]) -> list[tuple[int, int]]:
        # Each process's first chunk waits for the other to start one: so quick a task could otherwise be done by
        # whichever process came first.
        started[os.getpid() == here].set()
        started[os.getpid() != here].wait(60)
        return [(item, os.getpid()) for item in chunk]

    results, beside = map_sharing(task, items, 2, lambda: "listed")
    assert [item for item, _ in results] == items
    assert {pid for _, pid in results} - {os.getpid()}, "the work never left this process"
    assert os.getpid() in {pid for _, pid in results}, "this process only waited"
    assert beside == "listed"


def _fails_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        raise ValueError("item 7 cannot be loaded")
    return chunk


@pytest.mark.parametrize("first", [True, False])
def test_an_error_in_shared_work_is_raised_here(first: bool) -> None:
    """Whichever process meets it (the first chunks go to the forked one or to this one), an error stops the map here,
    as itself, and no worker is left behind."""
    items = list(range(MIN_FILES_PER_CHUNK * 4)) if first else list(range(MIN_FILES_PER_CHUNK * 4, 0, -1))
    with pytest.raises(ValueError, match="item 7 cannot be loaded"):
        map_sharing(_fails_on_seven, items, 2)
    assert not multiprocessing.active_children()


def _refuse_to_load() -> None:
    raise ValueError("this result cannot be loaded here")


class _LoadsNowhere:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _refuse_to_load, ()


@pytest.mark.parametrize("failure", ["raises", "does not load"])
def test_what_goes_wrong_in_the_forked_process_is_raised_here(failure: str) -> None:
    """An error raised in the forked process, or a result of it this process cannot read (a worker killed in the middle
    of sending one reads the same), stops the map here with what went wrong, and leaves no worker behind: never a
    hang, never an error that blames nothing."""
    here, fork = os.getpid(), multiprocessing.get_context("fork")
    started = {True: fork.Event(), False: fork.Event()}

    def task(chunk: list[int]) -> list[object]:
        started[os.getpid() == here].set()
        started[os.getpid() != here].wait(60)  # each process takes a chunk
        if os.getpid() == here:
            return list(chunk)
        if failure == "raises":
            raise ValueError("item cannot be loaded in the worker")
        return [_LoadsNowhere() for _ in chunk]

    expected = "cannot be loaded in the worker" if failure == "raises" else "result could not be read"
    with pytest.raises((ValueError, RuntimeError), match=expected):
        map_sharing(task, list(range(MIN_FILES_PER_CHUNK * 4)), 2)
    assert not multiprocessing.active_children()


def test_a_site_built_on_two_cores_is_the_site_built_on_one(tmp_path: Path) -> None:
    project = tmp_path / "p"
    claims = make_project(project, MIN_FILES_PER_CHUNK * 3, 7)
    # Problems in every step: a broken source (its quoting claim fails too) and a broken claim.
    (project / "sources" / "no-front-matter.md").write_text("Just text.\n", encoding="utf-8")
    (project / "claims" / "zz-broken.yml").write_text("claim: [unclosed\n", encoding="utf-8")
    quoting = project / "claims" / f"{claims[-1].id}.yml"
    quoting.write_text(quoting.read_text(encoding="utf-8").replace("  - source: ", "  - source: no-front-matter\n"
                                                                   "    text: Just text.\n  - source: ", 1),
                       encoding="utf-8")
    settings, problems = read_settings(project / "mkdocs.yml")
    assert problems == []
    options = BuildOptions(settings, True, publication_from_settings(settings, True),
                           {claims[0].id: dt.date(2030, 1, 2)}, processes=1)
    phases: list[str] = []

    one = build_site(options)
    two = build_site(replace(options, processes=2), timer=phases.append)

    assert two.problems == one.problems
    assert {p.path for p in one.problems} == {"sources/no-front-matter.md", "claims/zz-broken.yml"}
    assert claims[-1].id not in one.site.claims  # quoting a broken source: reported on the source alone
    assert list(two.site.claims) == list(one.site.claims) and two.site.claims == one.site.claims
    assert two.site.sources == one.site.sources
    assert list(two.pages) == list(one.pages) and two.pages == one.pages
    assert two.home_section == one.home_section and two.home_section in one.pages["index.md"]
    assert "2 January 2030" in two.pages[f"claims/{claims[0].id}.md"]  # the commit date reached the page
    assert phases == ["load sources", "load and verify claims", "render claim pages",
                      "render source pages and listings"]
    # mkdocs build asks for every page packed where it is made, the workers' too: the same pages, a third of the bytes
    packed = build_site(replace(options, processes=2, packed=True))
    assert list(packed.pages) == list(one.pages)
    assert {src: zlib.decompress(page).decode("utf-8") for src, page in packed.pages.items()} == one.pages
    assert sum(map(len, packed.pages.values())) * 3 < sum(len(page.encode("utf-8")) for page in one.pages.values())


def test_claim_pages_are_rendered_knowing_every_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim page may link to other claims: it is rendered once every claim is loaded."""
    known: list[int] = []
    monkeypatch.setattr(site_pages, "render_claim_page", lambda claim, ctx: known.append(len(ctx.site.claims)) or "")
    built = build(ROOT / "claims", ROOT / "sources", ROOT)
    assert len(built.site.claims) > 1 and known == [len(built.site.claims)] * len(built.site.claims)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_while_a_site_builds_and_as_it_was_after(enabled: bool,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A build makes millions of objects and almost no cycles: collecting would walk the whole archive again and
    again. The program that asked for the build gets its collector back as it left it."""
    render = site_pages.render_claim_page
    seen: list[bool] = []
    monkeypatch.setattr(site_pages, "render_claim_page", lambda claim, ctx: seen.append(gc.isenabled()) or
                        render(claim, ctx))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        built = build(ROOT / "claims", ROOT / "sources", ROOT)
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert len(seen) == len(built.site.claims) > 1 and not any(seen)
    assert after == enabled


_TWO_BUILDS = """
import gc, json, sys
from factcheck_site import plugin
from mkdocs.__main__ import cli

plugin_class = next(kind for kind in vars(plugin).values()
                    if isinstance(kind, type) and kind.__module__ == plugin.__name__ and hasattr(kind, "on_post_build"))
frozen = []
on_pre_build = plugin_class.on_pre_build
def note_frozen(self, **kwargs):
    frozen.append(("at the start", gc.get_freeze_count()))
    return on_pre_build(self, **kwargs)
plugin_class.on_pre_build = note_frozen
for site in sys.argv[1:]:
    try:
        cli(["build", "--strict", "-q", "-d", site])
    except SystemExit as done:
        assert not done.code, done.code
    frozen.append(("at the end", gc.get_freeze_count()))
print(json.dumps(frozen))
"""


def test_a_build_leaves_its_heap_to_the_process_exit_and_takes_it_back_for_the_next(tmp_path: Path) -> None:
    """`mkdocs build` ends its process: what it holds is left out of the cyclic collector (gc.freeze) rather than
    walked and collected on one core by Python's exit (1.7 s at 10,000 claims from the build's end to the process's,
    0.3 s frozen). A second build in the same process collects the first one's as usual (nothing held for the
    process's life), and its site is the same."""
    make_project(tmp_path / "p", 40, 3)
    first, second = tmp_path / "first", tmp_path / "second"
    done = subprocess.run([sys.executable, "-c", _TWO_BUILDS, str(first), str(second)], cwd=tmp_path / "p", env=ENV,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    (_, start), (_, end), (_, start_again), (_, end_again) = json.loads(done.stdout.splitlines()[-1])
    assert start == 0
    assert end > 10_000, "the heap was left to the collector at the build's end"
    assert start_again == 0, "the second build started with the first one's heap frozen"
    assert end_again > 10_000
    assert sorted(path.relative_to(first) for path in first.rglob("*")) == \
        sorted(path.relative_to(second) for path in second.rglob("*"))


_forks: list[int] | None = None  # while a test counts them: each process forked from this one


def _note_fork() -> None:
    if _forks is not None:
        _forks.append(1)


os.register_at_fork(after_in_parent=_note_fork)


def test_claim_and_source_pages_share_one_forked_process(tmp_path: Path) -> None:
    """Each process forked copies what it reads of the build's process, the whole archive: the claim pages and the
    source pages are one map, one process forked for both (with the claims' loading, two in all: the sources are too
    few here to share), and the site is the one a single process builds."""
    global _forks
    project = tmp_path / "p"
    make_project(project, MIN_FILES_PER_CHUNK * 3, 3)
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), processes=1)
    one = build_site(options)
    _forks = []
    try:
        two = build_site(replace(options, processes=2))
        forked = len(_forks)
    finally:
        _forks = None
    assert forked == 2
    assert list(two.pages) == list(one.pages) and two.pages == one.pages
