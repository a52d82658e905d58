"""Incremental builds equal clean builds, byte for byte, whatever the edits (issue 16).

A Hypothesis state machine edits a copy of the repository's site at random (claims added, changed (their text,
verdict, stances, claimant, tags, dates), renamed and deleted; quotes changed and broken; sources changed; the
verdict scale, the organisation and site_url changed; new commits) and after every step compares, file by file:

- `mkdocs serve --dirty` as it runs: one plugin instance for the whole session, building into the same
  folder each time (the previous build reused in memory, unchanged pages not written again), with a clean
  serve-mode build;
- `mkdocs build` reusing the build cache in .cache/factcheck/, with a clean build without a cache.

MkDocs runs in this process (a subprocess per build would take seconds); SOURCE_DATE_EPOCH pins the dates
MkDocs writes into sitemap.xml.gz.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from conftest import BUILD_TIME, copy_project, free_port
from factcheck_site import plugin as plugin_module
from factcheck_site import serving
from factcheck_site.build import BuildOptions, build_site
from factcheck_site.config import read_settings
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.output.build_cache import CACHE_DIR
from factcheck_site.plugin import FactcheckPlugin
from factcheck_site.render.listings import PER_PAGE
from factcheck_site.render.urls import SCALE_SRC, archive_src, corrections_src, who_said_what_src
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel

from benchmarks.project import make_project

# Two claims that link to each other (deleting or renaming one is a problem in the other), and one that links nowhere.
CLAIMS = ["regiment-formed-in-may", "pyongyang-confirmed-deployment-in-april",
          "unit-was-528th-engineering-sapper-regiment"]
SCALE = """      verdicts:
        - {id: true, label: "True", meaning: "Accurate.", rank: 3}
        - {id: false, label: "False", meaning: "Inaccurate.", rank: 1}
        - {id: unverified, label: "Unverified", meaning: "Cannot be checked.", rank: 0}
        - {id: mostly-true, label: "Mostly true", meaning: "Nearly accurate.", rank: 2}
        - {id: mixed, label: "Mixed", meaning: "Both.", rank: 2}
        - {id: misleading, label: "Misleading", meaning: "False impression.", rank: 1}
        - {id: mostly-false, label: "Mostly false", meaning: "Mostly inaccurate.", rank: 1}
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(built: Path, clean: Path) -> None:
    ours, theirs = _files(built), _files(clean)
    assert sorted(ours) == sorted(theirs), "the incremental build has other files than the clean one"
    differing = [path for path in ours if ours[path] != theirs[path]]
    assert not differing, f"incremental and clean builds differ in {differing[:5]}"


def _plugin_session(instance: FactcheckPlugin | None) -> None:
    """The factcheck plugin instance that the next load_config hands out (MkDocs keeps one per process
    for plugins with on_startup, as `mkdocs serve` relies on); None for a new one."""
    cache = MkDocsConfig.plugins.plugin_cache  # type: ignore[attr-defined]
    if instance is None:
        cache.pop("factcheck", None)
    else:
        cache["factcheck"] = instance


def _config(project: Path, site_dir: Path, plugin: FactcheckPlugin | None) -> MkDocsConfig:
    _plugin_session(plugin)
    return load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))


def build_once(project: Path, site_dir: Path, command: str, dirty: bool = False,
               plugin: FactcheckPlugin | None = None) -> tuple[bool, FactcheckPlugin]:
    """One build as `mkdocs <command>` runs it; whether it succeeded, and the plugin instance used."""
    config = _config(project, site_dir, plugin)
    instance = config.plugins["factcheck"]
    assert isinstance(instance, FactcheckPlugin)
    if plugin is None:
        config.plugins.on_startup(command=command, dirty=dirty)
    try:
        build(config, dirty=dirty)
    except (PluginError, Abort):
        return False, instance
    finally:
        _plugin_session(None)
    return True, instance


def preview_completed(project: Path, site_dir: Path, plugin: FactcheckPlugin, dirty: bool = True) -> FactcheckPlugin:
    """What `mkdocs serve` does after its first build, which left out the feeds, the exports and the cards not yet
    drawn: once the first page is served, and again once the cards drawn in the background are in the cache, it
    builds again."""
    assert plugin.background_cards is not None and plugin.background_cards.wait(300), "cards never drawn"
    ok, plugin = build_once(project, site_dir, "serve", dirty, plugin)
    assert ok and not plugin.follow_up
    return plugin


def clean_build(project: Path, site_dir: Path, command: str) -> bool:
    """A build with nothing to reuse: a new plugin instance, no cache, an empty site folder; under `mkdocs serve`,
    with the build that completes the first preview."""
    aside = project.parent / "cache-aside"
    cache = project / CACHE_DIR
    if cache.exists():
        shutil.move(cache, aside)
    shutil.rmtree(site_dir, ignore_errors=True)
    try:
        ok, plugin = build_once(project, site_dir, command)
        if ok and plugin.follow_up:
            preview_completed(project, site_dir, plugin, dirty=False)
        return ok
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if aside.exists():
            shutil.move(aside, cache)


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_TIME)
    monkeypatch.setenv("SITE_URL", "https://kursk-desk.github.io/")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    yield
    _plugin_session(None)


def small_project(target: Path) -> Path:
    """The repository's site with three claims (and the sources they quote), in a git repository."""
    project = copy_project(target)
    for claim in (project / "claims").glob("*.yml"):
        if claim.stem not in CLAIMS:
            claim.unlink()
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("site_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']",
                                                     "site_url: !ENV [SITE_URL]"), encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "start", date="2026-11-01T12:00:00Z")
    return project


def _git(project: Path, *args: str, date: str = "2026-11-01T12:00:00Z") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", "-C", str(project), *args], check=True, env=env, capture_output=True)


class Edits(RuleBasedStateMachine):
    """Random edits; after each, every incremental build must equal a clean one."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(os.environ["FACTCHECK_INCREMENTAL_TMP"]) / f"run{id(self)}"
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.project = small_project(self.root / "project")
        self.serving = self.root / "serving"
        self.serve_plugin: FactcheckPlugin | None = None
        # Its builds leave the feeds, exports and search index for later, as under MkDocs' server (LaterFiles)
        self.server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(self.serving))
        self.count = 0
        self.started = False
        self.originals = {p.name: p.read_text(encoding="utf-8") for p in (self.project / "claims").glob("*.yml")}

    def teardown(self) -> None:
        if self.serve_plugin is not None:  # as mkdocs serve ends: its threads end, so later builds here may fork
            self.serve_plugin.on_shutdown()
        self.server.server_close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _claims(self) -> list[Path]:
        return sorted((self.project / "claims").glob("*.yml"))

    def _edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    @rule(which=st.integers(0, 10), words=st.text("abcdefgh ", min_size=1, max_size=12),
          field=st.sampled_from(["summary", "claim"]))
    def change_claim(self, which: int, words: str, field: str) -> None:
        """The summary, or the claim's text, which the pages of claims linking to it show."""
        claim = self._claims()[which % len(self._claims())]
        text = claim.read_text(encoding="utf-8")
        quoted = f'{field}: "' in text
        self._edit(claim, f'{field}: "' if quoted else f"{field}: ", f'{field}: {chr(34) if quoted else ""}'
                   f'{words.strip() or "x"} ')

    @rule(which=st.integers(0, 10), field=st.sampled_from(["stance", "verdict", "claimant", "tags", "published"]),
          pick=st.integers(0, 3))
    def change_field(self, which: int, field: str, pick: int) -> None:
        """What listings, the who-said-what page, cards and structured data are drawn from."""
        claim = self._claims()[which % len(self._claims())]
        text = claim.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        prefix = {"stance": "    stance: ", "verdict": "verdict: ", "claimant": "claimant: ", "tags": "tags: ",
                  "published": "published: "}[field]
        value = {"stance": ["supports", "contradicts", "context", "supports"],
                 "verdict": ["false", "unverified", "mostly-true", "misleading"],
                 "claimant": ['"Kim Jong Un"', '"CaliToday"', '"A. N. Other"', '"Kim Jong Un"'],
                 "tags": ["[timeline]", "[names, translation]", "[]", "[casualties, timeline]"],
                 "published": ["2026-11-18", "2026-11-20", "2025-01-02", "2026-11-19"]}[field][pick]
        for number, line in enumerate(lines):
            if line.startswith(prefix):
                lines[number] = f"{prefix}{value}\n"
                break
        claim.write_text("".join(lines), encoding="utf-8")

    @rule(which=st.integers(0, 10))
    def add_claim(self, which: int) -> None:
        self.count += 1
        claim = self._claims()[which % len(self._claims())]
        shutil.copy(claim, self.project / "claims" / f"added-{self.count}.yml")

    @rule(which=st.integers(0, 10))
    def rename_claim(self, which: int) -> None:
        self.count += 1
        claim = self._claims()[which % len(self._claims())]
        claim.rename(claim.with_name(f"renamed-{self.count}.yml"))

    @precondition(lambda self: len(self._claims()) > 1)
    @rule(which=st.integers(0, 10))
    def delete_claim(self, which: int) -> None:
        self._claims()[which % len(self._claims())].unlink()

    @rule(which=st.integers(0, 10), to=st.integers(0, 10), field=st.sampled_from(["summary", "correction"]))
    def link_to_claim(self, which: int, to: int, field: str) -> None:
        """A summary or a correction that links to another claim by id: the home page's unrated claims and the
        corrections page show its text, or no link once it is gone."""
        claims = self._claims()
        claim, target = claims[which % len(claims)], claims[to % len(claims)].stem
        text = claim.read_text(encoding="utf-8")
        link = f"See [](claim:{target}). "
        if field == "summary":
            text = re.sub(r'(?m)^summary: "', lambda m: m[0] + link, text, count=1)
        else:
            text = re.sub(r'(?m)^(  - date: .*\n    text: ")', lambda m: m[0] + link, text, count=1)
        claim.write_text(text, encoding="utf-8")

    @rule(which=st.integers(0, 4))
    def rename_source(self, which: int) -> None:
        """A source's id changes, in every claim that cites it: the who-said-what columns are another source's."""
        self.count += 1
        source = sorted((self.project / "sources").glob("*.md"))[which]
        renamed = f"{source.stem}-r{self.count}"
        for claim in self._claims():
            text = claim.read_text(encoding="utf-8")
            if source.stem in text:
                text = re.sub(rf"(?<![\w-]){re.escape(source.stem)}(?![\w-])", renamed, text)
                claim.write_text(text, encoding="utf-8")
        source.rename(source.with_name(renamed + ".md"))

    @rule(which=st.integers(0, 10), breaks=st.booleans())
    def change_quote(self, which: int, breaks: bool) -> None:
        claim = self._claims()[which % len(self._claims())]
        if breaks:
            self._edit(claim, '    text: "', '    text: "Nowhere in the source ')
        else:  # back to a quote as first written, or a shorter one that still occurs
            original = self.originals.get(claim.name)
            if original is not None:
                claim.write_text(original, encoding="utf-8")

    @rule(which=st.integers(0, 4), breaks=st.booleans())
    def change_source(self, which: int, breaks: bool) -> None:
        source = sorted((self.project / "sources").glob("*.md"))[which]
        text = source.read_text(encoding="utf-8")
        if breaks:  # a word every article uses, so that some quote no longer occurs
            text = text.replace(" the ", " teh ", 1)
        else:
            text = text.rstrip("\n") + f"\n\nA paragraph added later ({self.count}).\n"
        source.write_text(text, encoding="utf-8")

    @rule()
    def change_scale(self) -> None:
        config = self.project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        anchor = "      claims_dir: claims\n"
        text = text.replace(SCALE, "") if SCALE in text else text.replace(anchor, anchor + SCALE)
        config.write_text(text, encoding="utf-8")

    @rule(name=st.sampled_from(["Kursk Fact-Check Desk", "Another Desk"]))
    def change_organisation(self, name: str) -> None:
        config = self.project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("        name: Kursk Fact-Check Desk", f"        name: {name}")
                          .replace("        name: Another Desk", f"        name: {name}"), encoding="utf-8")

    @rule(url=st.sampled_from(["https://kursk-desk.github.io/", "https://other-desk.github.io/checks/"]))
    def change_site_url(self, url: str) -> None:
        os.environ["SITE_URL"] = url

    @rule(day=st.integers(2, 28))
    def commit(self, day: int) -> None:
        _git(self.project, "add", "-A")
        _git(self.project, "commit", "-qm", "edit", "--allow-empty", date=f"2026-12-{day:02d}T12:00:00Z")

    @invariant()
    def incremental_equals_clean(self) -> None:
        # mkdocs build with the cache, then without.
        cached_ok = build_once(self.project, self.root / "cached", "build")[0]
        clean_ok = clean_build(self.project, self.root / "clean", "build")
        assert cached_ok == clean_ok
        assert clean_ok or self.started, "the unedited site must build"
        self.started = True
        if clean_ok:
            assert_same_site(self.root / "cached", self.root / "clean")
        # mkdocs serve --dirty: the same plugin instance and site folder for the whole session. Without problems
        # it builds what `mkdocs build` does; with them, it shows them on the drafts' pages.
        ok, self.serve_plugin = build_once(self.project, self.serving, "serve", True, self.serve_plugin)
        assert ok
        if not self.serve_plugin.later_files.attached:
            self.serve_plugin.later_files.attach(self.server)
        if self.serve_plugin.follow_up:
            self.serve_plugin = preview_completed(self.project, self.serving, self.serve_plugin)
        self.serve_plugin.later_files.finish()  # as the server does once the build's pages are served
        if not clean_ok:
            assert clean_build(self.project, self.root / "clean", "serve")
        assert_same_site(self.serving, self.root / "clean")


# More examples for a longer hunt: FACTCHECK_INCREMENTAL_EXAMPLES=50 pytest tests/test_incremental.py -n 0
Edits.TestCase.settings = settings(max_examples=int(os.environ.get("FACTCHECK_INCREMENTAL_EXAMPLES", "3")),
                                   stateful_step_count=int(os.environ.get("FACTCHECK_INCREMENTAL_STEPS", "4")),
                                   deadline=None,
                                   suppress_health_check=list(HealthCheck))


def test_incremental_builds_equal_clean_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_INCREMENTAL_TMP", str(tmp_path))
    Edits.TestCase("runTest").runTest()


LISTING_EDITS = {  # what an edit to one claim of a paginated archive changes in its listings
    "its text": lambda text: text.replace("claim: ", "claim: Edited, ", 1),
    "its date, so that it moves to another page": lambda text: re.sub(r"(?m)^published: .*$",
                                                                       "published: 2026-06-01", text),
    "a stance, so that a source's counts change": lambda text: re.sub(
        r"stance: (supports|contradicts|context)",
        lambda m: "stance: " + {"supports": "contradicts", "contradicts": "context", "context": "supports"}[m[1]],
        text, count=1),
    "its verdict, to one the home page groups apart": lambda text: re.sub(r"(?m)^verdict: .*$", "verdict: unverified",
                                                                          text),
    "its claimant, to a new one": lambda text: re.sub(r"(?m)^claimant: .*$", 'claimant: "Edna Newcomer"', text),
    "its file deleted": lambda text: None,
    "a claim added": lambda text: text.replace("claim: ", "claim: Added, ", 1),
}


@pytest.mark.parametrize("edit", LISTING_EDITS)
def test_listing_pages_after_an_edit_equal_a_clean_build(edit: str, tmp_path: Path) -> None:
    """The archive, verdict, tag, claimant and who-said-what listings run to several pages here (the state
    machine's site fits on one): after one claim changes, those kept from the last build and those made again
    are together what a clean build makes, and the pages that never showed the claim are kept, as are the home
    section, the scale and corrections pages, and on a page made again, the rows of the other claims."""
    project = tmp_path / "p"
    claims = make_project(project, PER_PAGE * 3 + 10, 5)
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), processes=1)
    first = build_site(options)
    edited = next(c for c in claims if "updated:" not in c.text and "verdict: unverified" not in c.text)
    path = project / "claims" / f"{edited.id}.yml"
    text = LISTING_EDITS[edit](path.read_text(encoding="utf-8"))
    if text is None:
        path.unlink()
    else:
        (path.with_name("a-claim-added.yml") if edit == "a claim added" else path).write_text(
            text, encoding="utf-8")
    again = build_site(options, previous=first)
    assert again.problems == [] and first.problems == []
    clean = build_site(options)
    assert list(again.pages) == list(clean.pages)
    differing = [src for src in clean.pages if again.pages[src] != clean.pages[src]]
    assert not differing, f"the incremental build differs from a clean one in {differing[:5]}"
    assert again.home_section == clean.home_section
    assert first.reusable is not None and again.reusable is not None
    listings = [src for src in first.reusable.listing_pages if src in again.pages]
    assert {archive_src(4), who_said_what_src(4)} <= set(listings), "the listings should run to four pages"
    if edit == "its text":
        untouched = [src for src in listings if edited.id not in first.pages[src]]
        assert untouched and all(again.pages[src] is first.pages[src] for src in untouched), \
            "listing pages that never showed the edited claim were made again"
        assert {SCALE_SRC, corrections_src()} <= set(listings), "the scale and corrections pages are not kept"
        if edited.id not in first.home_section:
            assert again.home_section is first.home_section, "the home section was made again"
        # Saved again: its who-said-what page is made again from the rows of the other claims the last save made.
        path.write_text(path.read_text(encoding="utf-8").replace("claim: ", "claim: Again, ", 1), encoding="utf-8")
        third = build_site(options, previous=again)
        assert third.pages == build_site(options).pages and third.reusable is not None
        page = next(src for src in listings if src.startswith("who-said-what/") and edited.id in first.pages[src])
        rows = {key: piece for key, (_, _, piece) in third.reusable.listing_pages.pieces.items() if page in key}
        before = again.reusable.listing_pages.pieces
        kept = [key for key in rows if edited.id not in key and rows[key] is before[key][2]]
        others = len(first.reusable.listing_pages[page][0]) - 1
        assert len(kept) == 2 * others, "on its who-said-what page, the other claims' rows were made again"


def test_a_serve_session_keeps_its_pages_packed_and_an_edit_still_equals_a_clean_build(tmp_path: Path) -> None:
    """`mkdocs serve` keeps every page of its last build for the next (about 750 MB of Markdown at 25,000 claims, a
    fifth of its peak memory): compressed, each as it is made, claim, source and listing pages alike (the listings kept
    from the last build too). After an edit the pages are still what a clean build makes, and what the session holds
    of them between the two builds is under a third of their bytes."""
    project = tmp_path / "p"
    claims = make_project(project, PER_PAGE * 3 + 10, 5)
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), processes=1, packed=True)
    first = build_site(options)
    edited = next(c for c in claims if "updated:" not in c.text)
    path = project / "claims" / f"{edited.id}.yml"
    path.write_text(LISTING_EDITS["its text"](path.read_text(encoding="utf-8")), encoding="utf-8")
    again = build_site(options, previous=first)
    clean = build_site(replace(options, packed=False)).pages
    assert again.problems == [] and list(again.pages) == list(clean)
    assert all(isinstance(page, bytes) for page in again.pages.values()), "pages held whole between saves"
    differing = [src for src, page in again.pages.items() if zlib.decompress(page).decode("utf-8") != clean[src]]
    assert not differing, f"the incremental build differs from a clean one in {differing[:5]}"
    assert again.reusable is not None
    held = {id(page): page for page in [*again.pages.values(), *again.reusable.claim_pages.values(),
                                        *(page for group in again.reusable.source_pages.values()
                                          for page in group.values()),
                                        *(entry[2] for entry in again.reusable.listing_pages.values())]}
    assert all(isinstance(page, bytes) for page in held.values()), "pages kept whole for the next save"
    assert sum(map(len, held.values())) * 3 < sum(len(page.encode("utf-8")) for page in clean.values())


def _theme_override(project: Path, text: str) -> None:
    (project / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (project / "overrides" / "partials" / "copyright.html").write_text(text, encoding="utf-8")


def _mkdocs_yml(project: Path, old: str, new: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SITE_EDITS = {  # what every page's HTML written straight from the build cache depends on besides its own Markdown
    "a template in the theme's custom_dir": lambda project: _theme_override(
        project, "<p>Edited footer: {{ config.copyright }}</p>\n"),
    "a feature of the theme in mkdocs.yml": lambda project: _mkdocs_yml(project, "    - navigation.top\n", ""),
    "the copyright line in mkdocs.yml": lambda project: _mkdocs_yml(project, "copyright: ", "copyright: Edited "),
    "the desk's own words for the frame of every page": lambda project: _desk_frame_words(project),
}


def _desk_frame_words(project: Path) -> None:
    folder = project / "locales" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factcheck.po").write_text('msgid "Breadcrumbs"\nmsgstr "Where you are"\n\n'
                                         'msgid "Search the fact-checks"\nmsgstr "Search our checks"\n\n',
                                         encoding="utf-8")


@pytest.mark.parametrize("edit", SITE_EDITS)
def test_a_rebuild_after_a_change_to_the_theme_or_mkdocs_yml_equals_a_clean_build(edit: str, tmp_path: Path) -> None:
    """A page whose themed HTML the cache holds is written from there: after a change to what every page shows (a
    template, mkdocs.yml), no page of the last build is, and the site is a clean build's."""
    project = small_project(tmp_path / "project")
    _mkdocs_yml(project, "  font: false", "  custom_dir: overrides\n  font: false")
    _theme_override(project, "<p>Footer: {{ config.copyright }}</p>\n")
    if "copyright: " not in (project / "mkdocs.yml").read_text(encoding="utf-8"):
        _mkdocs_yml(project, "theme:\n", "copyright: A desk\ntheme:\n")
    assert build_once(project, tmp_path / "first", "build")[0]
    SITE_EDITS[edit](project)
    assert build_once(project, tmp_path / "cached", "build")[0]
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "cached", tmp_path / "clean")


def test_a_listing_named_in_the_nav_another_way_keeps_its_title_in_a_rebuild(tmp_path: Path) -> None:
    """mkdocs.yml may name a generated page in its nav as ./tags/index.md or sources/./index.md; MkDocs finds the same
    page, with the title the nav gives it, in every build: a rebuild whose pages come from the cache shows that title
    in every page's navigation, as a clean build does (it showed "None")."""
    project = small_project(tmp_path / "project")
    _mkdocs_yml(project, "      - By tag: tags/index.md", "      - By tag: ./tags/index.md")
    _mkdocs_yml(project, "      - By source: sources/index.md", "      - By source: sources/./index.md")
    assert build_once(project, tmp_path / "first", "build")[0]
    assert build_once(project, tmp_path / "cached", "build")[0]
    assert clean_build(project, tmp_path / "clean", "build")
    assert "By tag" in (tmp_path / "clean" / "index.html").read_text(encoding="utf-8")
    assert_same_site(tmp_path / "cached", tmp_path / "clean")


def test_a_rebuild_finds_a_word_added_to_the_sites_own_page(tmp_path: Path) -> None:
    """The search index a rebuild takes from the cache holds Material's entries for the site's own pages (docs/), which
    no claim says anything of: a word added to one is found, as after a clean build."""
    project = small_project(tmp_path / "project")
    assert build_once(project, tmp_path / "first", "build")[0]
    page = project / "docs" / "methodology.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA paragraph about zanzibarite samples.\n", encoding="utf-8")
    assert build_once(project, tmp_path / "cached", "build")[0]
    assert any("zanzibarite" in path.read_text(encoding="utf-8")
               for path in (tmp_path / "cached" / "search").rglob("*.json")), "the search index is the last build's"


def test_the_first_preview_is_served_before_cards_and_feeds_which_follow(tmp_path: Path) -> None:
    """`mkdocs serve --dirty`'s first build leaves out what a preview does not show yet: its generated pages are made
    by processes forked from it, which go on once it has ended (the server serves meanwhile); the link-preview cards
    not yet in the cache are drawn in the background, on every core; the feeds and exports are empty. The next
    build has them all, and is then exactly what a clean build makes; a save after it takes every card's File from
    the build that copied the cards, as later saves do (the first save made a File for each card again: at 25,000
    claims 0.9 s of CPU more than the saves after it), and is still a clean build's."""
    project = tmp_path / "p"
    claims = make_project(project, 60, 11)  # more cards than are drawn during a build
    first, serving = tmp_path / "serving", tmp_path / "clean"
    ok, plugin = build_once(project, first, "serve", True)
    try:
        assert ok and plugin.follow_up
        assert plugin.background is not None, "the first preview made its generated pages before it was served"
        assert all(result is not None for result in plugin.background.wait())
        assert all((first / "claims" / claim.id / "index.html").is_file() for claim in claims)
        assert not list((first / "claims").glob("*/card-*.png")), "the first preview waited for the cards"
        assert "<item>" not in (first / "feed.xml").read_text(encoding="utf-8")
        assert json.loads((first / "claims.json").read_text(encoding="utf-8"))["claims"] == []
        assert not _indexed(first, claims[0].id), "the first preview waited for the claims' search documents"
        plugin = preview_completed(project, first, plugin)
        assert len(list((first / "claims").glob("*/card-*.png"))) == len(claims)
        assert _indexed(first, claims[0].id)
        cards = {path: kept[1] for path, kept in plugin.kept_files.items() if path.endswith(".png")}
        assert len(cards) == len(claims), "the build that copied the cards kept none of their Files for the next"
        saved = project / "claims" / f"{claims[0].id}.yml"
        saved.write_text(re.sub(r'^summary: "', 'summary: "Saved. ', saved.read_text(encoding="utf-8"), count=1,
                                flags=re.M), encoding="utf-8")
        ok, plugin = build_once(project, first, "serve", True, plugin)
        assert ok
        again = {path: kept[1] for path, kept in plugin.kept_files.items() if path.endswith(".png")}
        assert len(again) == len(claims)
        assert sum(again[path] is file for path, file in cards.items()) >= len(claims) - 1, \
            "the first save made the cards' Files again"
    finally:
        plugin.on_shutdown()  # as mkdocs serve ends: the processes drawing cards end too
    assert clean_build(project, serving, "build")
    assert_same_site(first, serving)


def test_a_saves_feeds_exports_and_search_index_follow_its_page_and_are_held_until_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve --dirty`, a save's build ends, and MkDocs' server shows its pages, before its search index,
    feeds and exports are made (serving.LaterFiles: they were a quarter of a save at 10,000 claims): the saved claim's
    page is served with the edit while they are made, a request for one of them meanwhile waits until it is written
    and is answered with this build's, and the site is then a clean build's."""
    project = tmp_path / "p"
    claims = make_project(project, 12, 3)
    served, clean = tmp_path / "serving", tmp_path / "clean"
    ok, plugin = build_once(project, served, "serve", True)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(served))
    page, marker = f"claims/{claims[0].id}/", "Savedbeforeitsfeeds"
    seen: dict[str, bool] = {}
    asked: list[tuple[threading.Thread, list[bytes], str]] = []

    def get(path: str) -> bytes:
        return b"".join(server.get_app()(_request(path), lambda status, headers: None))

    def made_after_the_page(name: str, path: str, make: Any) -> Any:
        def made(*args: Any, **kwargs: Any) -> Any:
            for request, _, _ in asked:  # the last file's, answered once it was written
                request.join()
            seen[f"the page was served with the edit before the {name} were made"] = marker in get(page).decode()
            answers: list[bytes] = []
            request = threading.Thread(target=lambda: answers.append(get(path)))
            request.start()
            while request.is_alive() and getattr(getattr(plugin, "later_files", None), "waiting", 0) == 0:
                time.sleep(0.01)
            seen[f"a request for {path} waited while the {name} were made"] = request.is_alive()
            asked.append((request, answers, path))
            return make(*args, **kwargs)

        return made

    try:
        assert ok
        plugin = preview_completed(project, served, plugin)

        def save() -> None:
            config = _config(project, served, plugin)
            try:
                build(config, dirty=True)
            finally:
                _plugin_session(None)

        server.builder = save
        plugin.on_serve(server, config=_config(project, served, plugin), builder=save)
        _plugin_session(None)
        monkeypatch.setattr(plugin_module, "extend_site_index", made_after_the_page(
            "search index's files", "search/search_index.json", plugin_module.extend_site_index))
        monkeypatch.setattr(plugin_module, "render_data_files", made_after_the_page(
            "feeds and exports", "feed.xml", plugin_module.render_data_files))
        saved = project / "claims" / f"{claims[0].id}.yml"
        saved.write_text(re.sub(r'^summary: "', f'summary: "{marker} ', saved.read_text(encoding="utf-8"), count=1,
                                flags=re.M), encoding="utf-8")
        server.builder()  # as MkDocs' server runs it after the save; it then shows the build's pages
        later = getattr(plugin, "later_files", None)
        if later is not None:
            later.finish()
        for request, _, _ in asked:
            request.join()
    finally:
        plugin.on_shutdown()
        server.server_close()
    assert seen and all(seen.values()), [what for what, true in seen.items() if not true]
    for _, answers, path in asked:
        assert answers == [(served / path).read_bytes()], f"{path} was answered before it was written"
    assert marker in (served / "feed.xml").read_text(encoding="utf-8")
    assert clean_build(project, clean, "build")
    assert_same_site(served, clean)


def test_a_request_let_through_as_a_saves_feeds_are_written_waits_for_the_next_saves(tmp_path: Path) -> None:
    """A request for the feed that arrives just as one save's feeds are written, when MkDocs' server has already seen
    the next save (its build wanted, not yet started), gets the next save's feed once that is written: MkDocs' server
    holds it only until that build ends, and a save's build ends before its feeds are made (serving.LaterFiles)."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    later, feed = serving.LaterFiles(), tmp_path / "feed.xml"
    feed.write_text("the last save's", encoding="utf-8")
    later.attach(server)
    later.hold([str(feed)])
    later.start()  # the last save's feed is written: nothing is held
    answers: list[bytes] = []
    try:
        server._wanted_epoch = server._visible_epoch + 1  # the next save seen: its build is wanted
        request = threading.Thread(target=lambda: answers.append(b"".join(
            server.get_app()(_request("feed.xml"), lambda status, headers: None))))
        request.start()
        deadline = time.monotonic() + 120  # a busy machine only takes long
        while request.is_alive() and not server._epoch_cond._waiters and later.waiting == 0 \
                and time.monotonic() < deadline:  # waiting for that build
            time.sleep(0.01)
        later.hold([str(feed)])  # the build starts, leaves its feed for later, and ends: its pages are shown
        later.defer((str(feed),), lambda: feed.write_text("this save's", encoding="utf-8"))
        with server._epoch_cond:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()
        while request.is_alive() and later.waiting == 0:
            time.sleep(0.01)
        held = request.is_alive()
        later.start()
        request.join()
    finally:
        later.finish()
        server.server_close()
    assert held, "the request was answered as the build ended, before its feed was written"
    assert answers == [b"this save's"]


def test_a_held_file_is_named_as_the_server_names_it_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows MkDocs' server joins its folder and a request's path with both separators (C:\\site\\search/x.json),
    and the site's files are named with backslashes only: a request for the search index must still be held."""
    import ntpath
    from types import SimpleNamespace

    monkeypatch.setattr(serving, "os", SimpleNamespace(path=ntpath, sep="\\"))
    root = "C:\\Users\\editor\\AppData\\Local\\Temp\\mkdocs_x"
    server = SimpleNamespace(mount_path="/", root=root)

    def held(path: str) -> bool:
        later = serving.LaterFiles()
        later.hold([ntpath.join(root, "search", ""), ntpath.join(root, "feed.xml")])
        request = threading.Thread(target=later.wait_for, args=(serving.served_path(server, path),))
        request.start()
        while request.is_alive() and later.waiting == 0:
            time.sleep(0.01)
        waited = request.is_alive()
        later.drop()
        request.join()
        return waited

    assert [path for path in ("/search/search_index.json", "/search/factcheck/a/terms/ab.json", "/feed.xml",
                              "/claims/a/") if held(path)] == ["/search/search_index.json",
                                                                "/search/factcheck/a/terms/ab.json", "/feed.xml"]


def _indexed(site: Path, claim_id: str) -> bool:
    """Whether the site's search index (search/factcheck/) names the claim's page."""
    return any(f"claims/{claim_id}/" in path.read_text(encoding="utf-8")
               for path in (site / "search" / "factcheck").rglob("*") if path.is_file())


def _beside_killed_at_once(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every process forked to work beside a build (serving.Beside) killed as soon as it starts, as the kernel's
    out-of-memory killer would kill it: the name of each one's work, as they are killed."""
    killed: list[str] = []
    started = serving.Beside.__init__

    def killed_at_once(self: serving.Beside, work: Any, niceness: int = 0) -> None:
        started(self, work, niceness)
        os.kill(self.pid, signal.SIGKILL)
        killed.append(getattr(getattr(work, "func", work), "__name__", repr(work)))

    monkeypatch.setattr(serving.Beside, "__init__", killed_at_once)
    return killed


def _built_then_edited(tmp_path: Path) -> Path:
    """A project of 20 claims built once by `mkdocs build` (its cache filled), then one claim's summary edited."""
    project = tmp_path / "p"
    claims = make_project(project, 20, 3)
    assert build_once(project, tmp_path / "first", "build")[0]
    edited = project / "claims" / f"{claims[0].id}.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace('summary: "', 'summary: "Edited. ', 1),
                      encoding="utf-8")
    return project


def test_a_cold_build_stores_each_claims_pieces_of_the_feeds_for_the_first_rebuild(tmp_path: Path) -> None:
    """A cold `mkdocs build` makes its feeds and exports itself while its cards draw, and stores each claim's pieces
    of them as a rebuild does: the first rebuild after it joins them from the store instead of making every claim's
    again (at 25,000 claims, with none stored, it took 25.6 s after a 144.1 s cold build: 18%)."""
    project = tmp_path / "p"
    make_project(project, 20, 3)
    assert build_once(project, tmp_path / "first", "build")[0]
    assert sorted((project / CACHE_DIR).rglob("pieces-1-*.bin")), "the cold build stored no pieces of the feeds"


def test_a_rebuild_lists_its_files_while_its_feeds_and_exports_are_still_being_joined(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild joins its feeds and exports from each claim's stored pieces in a process beside its own, which needs
    seconds at 10,000 claims: the build does not wait for it before it lists the site's files (MkDocs' on_files), where
    it tells the process where to write them, and waits for it only at the end. Held until then, the process is not
    waited for meanwhile, and the site is a clean build's."""
    from factcheck_site.render import site_pages

    project = _built_then_edited(tmp_path)
    listed, waited_out = tmp_path / "listed", tmp_path / "waited-out"
    joined, on_files, here = site_pages.render_data_files, FactcheckPlugin.on_files, os.getpid()

    def held(*args: Any, **kwargs: Any) -> Any:  # in the process beside: joined once the build has listed its files
        deadline = time.monotonic() + 60
        while os.getpid() != here and not listed.exists():
            if time.monotonic() > deadline:
                waited_out.touch()
                break
            time.sleep(0.01)
        return joined(*args, **kwargs)

    def listing(self: FactcheckPlugin, files: Any, *, config: Any) -> Any:
        listed.touch()
        return on_files(self, files, config=config)

    monkeypatch.setattr(site_pages, "render_data_files", held)
    monkeypatch.setattr(FactcheckPlugin, "on_files", listing)
    assert build_once(project, tmp_path / "rebuilt", "build")[0]
    assert listed.exists() and not waited_out.exists(), "the build waited for its feeds and exports first"
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "rebuilt", tmp_path / "clean")


def test_a_rebuild_writes_the_pages_of_its_cache_and_copies_its_cards_while_mkdocs_reads_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild writes the pages of its cache and copies the cards from it by processes beside its own, which need
    seconds at 25,000 claims: they start as soon as the plugin has listed them (on_files), not once MkDocs has read its
    own pages (on_env), so that the second core is not idle meanwhile. Both have started when on_env comes, and the
    site is a clean build's."""
    from factcheck_site import plugin as plugin_module

    project = _built_then_edited(tmp_path)
    started = {name: tmp_path / f"{name}-started" for name in ("_write_stored", "_copy_now")}
    late: list[str] = []

    def marked(name: str) -> Any:
        work = getattr(plugin_module, name)

        def started_first(*args: Any) -> Any:  # in the process beside
            started[name].touch()
            return work(*args)
        return started_first

    for name in started:
        monkeypatch.setattr(plugin_module, name, marked(name))
    on_env = FactcheckPlugin.on_env

    def environment(self: FactcheckPlugin, env: Any, *, config: Any, files: Any) -> Any:
        deadline = time.monotonic() + 60  # a busy machine only delays the processes' start; a late one never comes
        while not all(marker.exists() for marker in started.values()) and time.monotonic() < deadline:
            time.sleep(0.01)
        late.extend(name for name, marker in started.items() if not marker.exists())
        return on_env(self, env, config=config, files=files)

    monkeypatch.setattr(FactcheckPlugin, "on_env", environment)
    assert build_once(project, tmp_path / "rebuilt", "build")[0]
    assert not late, f"not started before MkDocs' on_env: {late}"
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "rebuilt", tmp_path / "clean")


def test_a_rebuild_whose_processes_beside_die_is_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild (`mkdocs build` again, with the cache the last one left) checks the seals of the cache's pages in a
    process forked before its core, joins the feeds and exports in another, writes the cache's pages from a third and
    makes the claims' search index in a fourth. Killed as they start, they leave their work to the build's own process:
    every page's seal checked there, and every file written, as a clean build writes it."""
    project = _built_then_edited(tmp_path)
    started = serving.Beside.__init__
    killed = _beside_killed_at_once(monkeypatch)
    assert build_once(project, tmp_path / "rebuilt", "build")[0]
    assert {"checked_pages", "_data_files_beside", "_write_stored", "_claims_index_beside"} <= set(killed), killed
    monkeypatch.setattr(serving.Beside, "__init__", started)
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "rebuilt", tmp_path / "clean")


def test_a_rebuilds_search_index_made_beside_for_other_stopwords_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild makes the claims' search index in a process forked once the site's files are listed, before the stock
    index says its languages (and so which words the claims index leaves out): for the languages Material's search
    plugin was given. Where the stock index has others after all, that index is not published: the build makes its own,
    and the site is a clean build's."""
    project = _built_then_edited(tmp_path)
    guessed: list[Any] = []
    monkeypatch.setattr(plugin_module, "_search_languages", lambda config: guessed.append(config) or ["de"])
    assert build_once(project, tmp_path / "rebuilt", "build")[0]
    assert guessed, "the rebuild made no search index beside"
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "rebuilt", tmp_path / "clean")


def test_a_page_of_the_first_preview_is_made_when_asked_for_and_every_page_if_its_processes_die(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The processes making the first preview's pages (serving.BackgroundPages), killed as the kernel's out-of-memory
    killer would, made nothing: a page a browser asks for is then made by the server's process at once, as a clean
    build makes it, and the next build makes every other page (the site is then a clean build's)."""
    project = tmp_path / "p"
    claims = make_project(project, 20, 3)
    killed = _beside_killed_at_once(monkeypatch)
    first, clean = tmp_path / "serving", tmp_path / "clean"
    ok, plugin = build_once(project, first, "serve", True)
    try:
        assert ok and killed, "the first preview made no page in another process"
        assert plugin.background is not None
        asked = f"claims/{claims[0].id}/"
        assert not (first / asked / "index.html").exists()
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(first))
        try:
            FactcheckPlugin._make_when_asked(server, plugin.background)
            answered: list[str] = []
            body = b"".join(server.get_app()({**_request(asked)}, lambda status, headers: answered.append(status)))
        finally:
            server.server_close()
        assert answered == ["200 OK"] and b"<html" in body, "the page asked for was not made"
        without_slash = f"claims/{claims[2].id}"  # MkDocs' server redirects to the folder once its page is there
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(first))
        try:
            FactcheckPlugin._make_when_asked(server, plugin.background)
            b"".join(server.get_app()({**_request(without_slash)}, lambda status, headers: answered.append(status)))
        finally:
            server.server_close()
        assert answered[1:] == ["302 Found"], "a page asked for without its final slash was not made"
        assert clean_build(project, clean, "build")
        assert (first / asked / "index.html").read_bytes() == (clean / asked / "index.html").read_bytes()
        assert not (first / f"claims/{claims[1].id}/index.html").exists(), "a page not asked for was made"
        plugin = preview_completed(project, first, plugin)
    finally:
        plugin.on_shutdown()
    assert_same_site(first, clean)


def _request(path: str) -> dict[str, Any]:
    environ: dict[str, Any] = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/{path}"}
    setup_testing_defaults(environ)
    return environ


def test_a_save_that_changes_no_address_leaves_the_sitemap_as_it_is(tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """Under `mkdocs serve --dirty`, a saved claim changes no page's address or date: the sitemap MkDocs made for the
    last build is this build's, and is not made (every page through Jinja, then gzip) or written again, nor is its
    note that the template gave nothing shown. A new claim's page is in the next one, as in a clean build."""
    caplog.set_level(logging.INFO)
    project = tmp_path / "p"
    claims = make_project(project, 12, 3)
    served, clean = tmp_path / "serving", tmp_path / "clean"
    ok, plugin = build_once(project, served, "serve", True)
    try:
        plugin = preview_completed(project, served, plugin)
        sitemaps = [served / "sitemap.xml", served / "sitemap.xml.gz"]
        written = [(path.stat().st_mtime_ns, path.read_bytes()) for path in sitemaps]
        path = project / "claims" / f"{claims[0].id}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1),
                        encoding="utf-8")
        ok, plugin = build_once(project, served, "serve", True, plugin)
        assert ok and [(path.stat().st_mtime_ns, path.read_bytes()) for path in sitemaps] == written, \
            "the sitemap was written again"
        assert "Template skipped" not in caplog.text
        added = path.with_name("a-claim-added.yml")
        added.write_text(path.read_text(encoding="utf-8").replace("claim: ", "claim: Added, ", 1), encoding="utf-8")
        ok, plugin = build_once(project, served, "serve", True, plugin)
        assert ok and "/claims/a-claim-added/" in sitemaps[0].read_text(encoding="utf-8")
    finally:
        plugin.on_shutdown()
    assert clean_build(project, clean, "build")
    assert_same_site(served, clean)


def test_a_serve_builds_list_of_pages_follows_every_file_added_or_removed(tmp_path: Path) -> None:
    """A serve-mode build lists MkDocs' pages once (serve_passes.ServedFiles), from when every file is known; a plugin
    that adds or removes a file after that finds it in the next list, as in MkDocs' own Files."""
    from factcheck_site.serve_passes import ServedFiles  # here: the other tests run on generators without it

    def file(src_uri: str) -> File:
        return File(src_uri, str(tmp_path / "docs"), str(tmp_path / "site"), True)

    files = ServedFiles(Files([file("a.md"), file("b.md"), file("c.css")]), File)
    files.settle()
    assert [f.src_uri for f in files.documentation_pages()] == ["a.md", "b.md"]
    files.append(file("d.md"))
    assert [f.src_uri for f in files.documentation_pages()] == ["a.md", "b.md", "d.md"]
    files.remove(files.get_file_from_path("a.md"))
    assert [f.src_uri for f in files.documentation_pages()] == ["b.md", "d.md"]
    files.documentation_pages().clear()  # a caller's list is its own
    assert [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.all)] == ["b.md", "d.md"]


def test_a_serve_builds_pages_known_from_the_plugin_are_mkdocs_own_list(tmp_path: Path) -> None:
    """Under serve, the plugin gives ServedFiles the site's own pages and the generated ones it added, and the lists
    of pages are made from those instead of a pass over every file: they are MkDocs' own lists, whatever each page's
    inclusion (drafts, excluded pages, pages left out of the navigation) and whatever is asked for; a file added or
    removed after that is found as in MkDocs' Files."""
    from factcheck_site.serve_passes import ServedFiles  # here: the other tests run on generators without it

    def file(src_uri: str, inclusion: InclusionLevel = InclusionLevel.INCLUDED) -> File:
        made = File(src_uri, str(tmp_path / "docs"), str(tmp_path / "site"), True)
        made.inclusion = inclusion
        return made

    own = [file("index.md"), file("draft.md", InclusionLevel.DRAFT), file("gone.md", InclusionLevel.EXCLUDED),
           file("about.md", InclusionLevel.NOT_IN_NAV)]
    theme = [file("assets/x.css"), file("404.svg")]
    generated = [file(f"claims/c{n}.md", InclusionLevel.NOT_IN_NAV) for n in range(3)]
    cards = [file("assets/cards/c0.png")]
    everything = [*own, *theme, *generated, *cards]
    kinds = [InclusionLevel.is_included, InclusionLevel.is_in_serve, InclusionLevel.is_in_nav,
             InclusionLevel.is_excluded, InclusionLevel.all]
    for settled in (False, True):
        files = ServedFiles(Files(everything), File, ([f for f in own], list(generated)))
        if settled:
            files.settle()
        for inclusion in kinds:
            assert [f.src_uri for f in files.documentation_pages(inclusion=inclusion)] == \
                [f.src_uri for f in Files(everything).documentation_pages(inclusion=inclusion)], inclusion
    files.documentation_pages().clear()  # a caller's list is its own
    assert len(files.documentation_pages()) == 5
    files.append(file("z.md"))
    files.remove(files.get_file_from_path("claims/c0.md"))
    assert [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)] == \
        ["index.md", "draft.md", "about.md", "claims/c1.md", "claims/c2.md", "z.md"]


class _CountedDict(dict):
    """A dict of a Site that counts the passes over its keys."""

    passes = 0

    def keys(self) -> Any:
        _CountedDict.passes += 1
        return super().keys()


def test_a_save_compares_the_last_and_this_builds_sites_once() -> None:
    """A save under `mkdocs serve` asks what changed between the last build's site and this one's for its pages, its
    feeds' records and its search documents: one pass over every claim and source (at 25,000 claims each pass is a
    tenth of a second of the save), not one for each; another pair of sites is compared afresh."""
    from factcheck_site.content.model import Site
    from factcheck_site.render.reads import EVERY, changed_reads

    before = Site(_CountedDict(a="one", b="two"), {}, ())
    after = Site(_CountedDict(a="one", b="three"), {}, ())
    _CountedDict.passes = 0
    answers = [changed_reads(before, after) for _ in range(3)]
    assert answers[0] == {("sources", "b"), ("sources", EVERY)}
    assert all(answer == answers[0] for answer in answers)
    assert _CountedDict.passes == 2, "each save's sites were gone through again for every question"
    later = Site(_CountedDict(a="four", b="three"), {}, ())
    assert changed_reads(after, later) == {("sources", "a"), ("sources", EVERY)}
