"""The core's work kept on disk between processes (output/core_cache.py): a build in a new process takes a claim from
the cache only when its file's bytes and everything its checking depends on are those stored, and the site is then
exactly what checking every file again gives. tests/test_incremental.py checks whole builds on random edits."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zlib
from pathlib import Path

import pytest
from conftest import copy_project
from factcheck_site.build import BuildOptions, SiteBuild, build_site
from factcheck_site.cache_folder import CACHE_DIR, open_cache
from factcheck_site.config import read_settings
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.output.build_cache import installed_distributions
from factcheck_site.output.core_cache import (
    FILE,
    INDEX,
    StoredClaims,
    _stored_index,
    claim_from_json,
    claim_json,
)

from benchmarks.project import make_project


def _build(project: Path, warnings: list[str] | None = None, stored: bool = True) -> tuple[SiteBuild, int]:
    """build_site in one process, with the claims stored in the project's cache (as a new `mkdocs build` does);
    the build, and how many claims it took from the store."""
    built, store = _stored_build(project, warnings, stored=stored)
    return built, store.reused if store is not None else 0


def _stored_build(project: Path, warnings: list[str] | None = None, committed: dict[str, dt.date] | None = None,
                  stored: bool = True) -> tuple[SiteBuild, StoredClaims | None]:
    """_build, with the claims' commit dates given, and the store (store.pages says which pages it rendered)."""
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), committed or {}, processes=1)
    if not stored:
        return build_site(options), None
    folder = open_cache(project, pytest.fail if warnings is None else warnings.append, pytest.fail)
    assert folder is not None
    with folder:
        store = StoredClaims(folder)
        return build_site(options, stored=store), store


def _same(built: SiteBuild, clean: SiteBuild) -> None:
    assert built.problems == clean.problems
    assert built.site.claims == clean.site.claims
    assert built.pages == clean.pages


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("core") / "p"
    make_project(project, 40, 3)
    return project


def test_every_claim_comes_back_from_its_record_as_it_was(tmp_path: Path) -> None:
    """The repository's claims (corrections, claim dates, relayed claimants, analyses) and a generated archive."""
    make_project(tmp_path / "a", 40, 4)
    for project in (copy_project(tmp_path / "r"), tmp_path / "a"):
        claims = _build(project, stored=False)[0].site.claims.values()
        assert claims and all(claim_from_json(claim_json(claim)) == claim for claim in claims)


def test_a_build_in_a_new_process_checks_again_only_the_claim_that_changed(archive: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 40, 3)
    first, reused = _build(project)
    assert reused == 0 and not first.problems
    store = project / CACHE_DIR / FILE
    written = store.stat()
    again, reused = _build(project)
    assert reused == len(first.site.claims)
    _same(again, first)
    unchanged = store.stat()
    assert (unchanged.st_ino, unchanged.st_mtime_ns) == (written.st_ino, written.st_mtime_ns), \
        "a build in which no claim changed does not seal and write the store again"
    edited = sorted((project / "claims").glob("*.yml"))[5]
    edited.write_text(edited.read_text(encoding="utf-8").replace('summary: "', 'summary: "Edited. ', 1),
                      encoding="utf-8")
    after, reused = _build(project)
    assert reused == len(first.site.claims) - 1, "only the edited claim is checked again"
    _same(after, _build(project, stored=False)[0])
    assert after.site.claims[edited.stem].summary.startswith("Edited. ")
    assert store.stat().st_mtime_ns != written.st_mtime_ns, "the edited claim is stored"
    assert _build(project)[1] == len(first.site.claims)


EDITS = {  # what else a claim's checking depends on: after each, no stored claim may be taken as it was
    "a source's text": lambda p: _append(next(iter(sorted((p / "sources").glob("*.md")))), "\nA late paragraph.\n"),
    "another claim file added": lambda p: (p / "claims" / "zz-new.yml").write_text(
        next(iter(sorted((p / "claims").glob("*.yml")))).read_text(encoding="utf-8"), encoding="utf-8"),
    "a dispatch declared in mkdocs.yml": lambda p: (p / "mkdocs.yml").write_text((p / "mkdocs.yml").read_text(
        encoding="utf-8").replace("      dispatches:\n", "      dispatches:\n        other-dispatch: another one\n"),
        encoding="utf-8"),
    "a source's title": lambda p: _retitled(next(iter(sorted((p / "sources").glob("*.md"))))),
    "a source refused": lambda p: next(iter(sorted((p / "sources").glob("*.md")))).write_text(
        "no front matter\n", encoding="utf-8"),
}


def _retitled(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", 'title: "Another title"', text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")


def _append(path: Path, text: str) -> Path:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("edit", EDITS)
def test_what_a_claims_checking_depends_on_changed_so_no_stored_claim_is_taken(edit: str, tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 30, 6)
    _build(project)
    EDITS[edit](project)
    after, reused = _build(project)
    assert reused == 0
    _same(after, _build(project, stored=False)[0])


def test_a_claim_stored_before_its_date_came_is_checked_against_today_again(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim dated after the day of the build is refused; stored on a later day, it is refused again on an earlier
    one (a clock set back, FACTCHECK_BUILD_DATE for a preview)."""
    project = tmp_path / "p"
    make_project(project, 30, 7)
    latest = max(dt.date.fromisoformat(d) for d in re.findall(r"\b\d{4}-\d\d-\d\d\b", "".join(
        p.read_text(encoding="utf-8") for p in (project / "claims").glob("*.yml"))))
    monkeypatch.setenv("FACTCHECK_BUILD_DATE", latest.isoformat())
    assert not _build(project)[0].problems
    monkeypatch.setenv("FACTCHECK_BUILD_DATE", (latest - dt.timedelta(days=10)).isoformat())
    after, reused = _build(project)
    assert reused == 0 and any("dates may not be in the future" in p.message for p in after.problems)
    _same(after, _build(project, stored=False)[0])


@pytest.mark.parametrize("damage", ["edited without the key", "sealed but not a claim", "sealed but not JSON"])
def test_a_damaged_store_is_ignored_with_one_warning(damage: str, tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 20, 8)
    _build(project)
    stored = project / CACHE_DIR / FILE
    data = stored.read_bytes()
    if damage == "edited without the key":  # a claim's verdict changed in its record, the seal left as it was
        stored.write_bytes(re.sub(rb'"verdict":"[a-z-]+"', b'"verdict":"true"', data, count=1))
    else:
        head, _, lines = data.split(b"\n", 1)[1].partition(b"\n")
        where = lines.split(b"\t", 1)[0]
        record = b'{"_":"Claim","id":"x"}' if damage == "sealed but not a claim" else b"{not json"
        with open_cache(project, pytest.fail, pytest.fail) as folder:  # type: ignore[union-attr]
            folder.write(FILE, head + b"\n" + where + b"\t" + record)
    warnings: list[str] = []
    after, _ = _build(project, warnings)
    assert len(warnings) == 1 and FILE in warnings[0]
    _same(after, _build(project, stored=False)[0])


def _clean(project: Path, committed: dict[str, dt.date] | None = None) -> SiteBuild:
    return _stored_build(project, committed=committed, stored=False)[0]


def _rendered(project: Path, committed: dict[str, dt.date] | None = None,
              warnings: list[str] | None = None) -> tuple[SiteBuild, list[str], int]:
    """A build with the store: what it built, the calls whose pages it rendered, how many it took from the store."""
    built, store = _stored_build(project, warnings, committed)
    assert store is not None
    return built, store.pages.rendered, store.pages.reused


def _page_files(project: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (project / CACHE_DIR).glob("pages-*")}


def test_a_build_in_a_new_process_renders_again_only_the_pages_that_read_what_changed(tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 40, 3)
    first, rendered, reused = _rendered(project)
    assert reused == 0 and len(rendered) > len(first.site.claims) + len(first.site.sources)
    written = _page_files(project)
    assert written and all(path.read_bytes().startswith(b"factcheck-seal-1 ")
                           for path in (project / CACHE_DIR).glob("pages-*"))
    again, rendered_again, reused = _rendered(project)
    assert rendered_again == [] and reused == len(rendered), "nothing changed: every page comes from the store"
    _same(again, first)
    assert _page_files(project) == written, "a build that rendered nothing does not write the store again"
    edited = sorted((project / "claims").glob("*.yml"))[5]
    _append(edited, "")  # the same bytes: nothing to render
    assert _rendered(project)[1] == []
    edited.write_text(edited.read_text(encoding="utf-8").replace('summary: "', 'summary: "Edited. ', 1),
                      encoding="utf-8")
    after, rendered, _ = _rendered(project)
    _same(after, _clean(project))
    claims = [unit for unit in rendered if unit.startswith("claim:")]
    assert f"claim:{edited.stem}" in claims and len(claims) < 5, rendered
    assert not [unit for unit in rendered if unit.startswith("source:") and unit.removeprefix("source:") not in {
        q.source for q in after.site.claims[edited.stem].quotes} | set(after.site.claims[edited.stem].appeared_in)]
    assert _rendered(project)[1] == []


def _later_commit(project: Path) -> dict[str, dt.date]:
    first = sorted((project / "claims").glob("*.yml"))[2].stem
    return {first: dt.date(2099, 1, 2)}


def _another_claim(project: Path) -> None:
    first = sorted((project / "claims").glob("*.yml"))[0]
    text, count = re.subn(r'(?m)^claim: "', 'claim: "Another claim: ', first.read_text(encoding="utf-8"), count=1)
    assert count == 1
    (project / "claims" / "zz-another.yml").write_text(text, encoding="utf-8")


def _desk_words(project: Path) -> None:
    folder = project / "locales" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factcheck.po").write_text('msgid "Evidence"\nmsgstr "What the sources say"\n\n', encoding="utf-8")


PAGE_EDITS = {  # what a page depends on: after each, the pages that read it are rendered again, and only they
    "a source's title": (lambda p: _retitled(next(iter(sorted((p / "sources").glob("*.md"))))), "some"),
    "a source's text": (lambda p: _append(next(iter(sorted((p / "sources").glob("*.md")))), "\nA late line.\n"),
                        "some"),
    "another claim added": (lambda p: _another_claim(p), "some"),
    "a claim's last commit": (None, "some"),
    "the organisation's name in mkdocs.yml": (lambda p: (p / "mkdocs.yml").write_text((p / "mkdocs.yml").read_text(
        encoding="utf-8").replace("        name: ", "        name: Another ", 1), encoding="utf-8"), "all"),
    "a translation in the desk's own catalogue (locales/)": (_desk_words, "all claims"),
}


@pytest.mark.parametrize("edit", PAGE_EDITS)
def test_what_a_page_read_changed_so_it_is_rendered_again(edit: str, tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 30, 6)
    before, units, _ = _rendered(project)
    change, expected = PAGE_EDITS[edit]
    committed = _later_commit(project) if change is None else None
    if change is not None:
        change(project)
    after, rendered, reused = _rendered(project, committed)
    clean = _clean(project, committed)
    _same(after, clean)
    assert after.pages != before.pages, "the edit shows on some page"
    if expected == "all":
        assert reused == 0
    elif expected == "all claims":
        assert {unit for unit in units if unit.startswith("claim:")} <= set(rendered)
    else:
        assert rendered and reused, "some pages are rendered again, the others taken from the store"


def test_a_package_installed_or_upgraded_renders_every_page_again(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown's HTML, Babel's dates: a page depends on the packages the build runs with, as Python finds them."""
    project = tmp_path / "p"
    make_project(project, 20, 9)
    _rendered(project)
    packages = tmp_path / "site-packages"
    for version in ("1.0", "1.1"):
        shutil.rmtree(packages, ignore_errors=True)
        info = packages / f"example_package-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: example-package\nVersion: {version}\n",
                                       encoding="utf-8")
        monkeypatch.syspath_prepend(str(packages))
        installed_distributions.cache_clear()  # what a new process finds
        after, rendered, reused = _rendered(project)
        assert reused == 0 and rendered
        _same(after, _clean(project))
    installed_distributions.cache_clear()


@pytest.mark.parametrize("damage", ["a page changed, the seal kept", "sealed but not pages", "sealed, a page's size "
                                    "past the end of the file", "sealed for another build's settings"])
def test_damaged_stored_pages_are_rendered_again(damage: str, tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 20, 8)
    first, units, _ = _rendered(project)
    [name, *_] = sorted(_page_files(project))
    stored = project / CACHE_DIR / name
    data = stored.read_bytes()
    seal, head, body = data.split(b"\n", 2)
    if damage == "a page changed, the seal kept":
        stored.write_bytes(data[:-40] + bytes(40))
    else:
        record = json.loads(body.split(b"\n", 1)[0])
        content = {"sealed but not pages": head + b"\nnot a record\n",
                   "sealed, a page's size past the end of the file": head + b"\n" + json.dumps(
                       [record[0], record[1], record[2], [["claims/x.md", 10**6]]]).encode() + b"\n",
                   "sealed for another build's settings": b'{"context": "0"}\n' + body}[damage]
        with open_cache(project, pytest.fail, pytest.fail) as folder:  # type: ignore[union-attr]
            folder.write(name, content)
    warnings: list[str] = []
    after, rendered, _ = _rendered(project, warnings=warnings)
    assert rendered, "what the damaged file held is rendered again"
    if damage == "sealed for another build's settings":
        assert not warnings, "a store of other settings is not damaged: it does not apply"
    else:
        assert len(warnings) == 1 and name in warnings[0], warnings
    _same(after, _clean(project))
    assert _rendered(project)[1] == [], "and stored again"


@pytest.mark.parametrize("processes", [1, 2])  # 2: the feeds and exports of a rebuild are made in a process beside
def test_after_one_claims_edit_only_the_listing_pages_and_export_pieces_of_that_claim_are_made_again(
        processes: int, tmp_path: Path) -> None:
    """A rebuild in a new process after an editor's one-claim fix: the listings, feeds and exports are not made whole
    again (at 25,000 claims, most of such a rebuild), and the result is a clean build's."""
    project = tmp_path / "p"
    make_project(project, 60, 3)
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), {}, processes=processes,
                           packed=True, kept=False, data_files=True)

    def build() -> tuple[SiteBuild, StoredClaims]:
        with open_cache(project, pytest.fail, pytest.fail) as folder:  # type: ignore[union-attr]
            store = StoredClaims(folder)
            return build_site(options, stored=store), store

    first, store = build()
    listed = [unit for unit in store.pages.rendered if unit.startswith("listing page:")]
    assert store.pieces is not None and first.data_files and listed
    edited = sorted((project / "claims").glob("*.yml"))[7]
    edited.write_text(edited.read_text(encoding="utf-8").replace('summary: "', 'summary: "Edited. ', 1),
                      encoding="utf-8")
    after, store = build()
    clean = build_site(options)
    assert after.pages == clean.pages and after.data_files == clean.data_files
    assert after.data_files != first.data_files, "the edited summary is in the exports"
    assert store.pieces is not None
    assert {unit.split(":", 1)[1] for unit in store.pieces.rendered} == {edited.stem}, store.pieces.rendered
    again = [unit for unit in store.pages.rendered if unit.startswith("listing page:")]
    assert again and len(again) < len(listed) / 2, again
    for unit in again:
        here = unit.split(":")[1]
        assert edited.stem in zlib.decompress(after.pages[here]).decode(), f"{here} does not list the edited claim"


@pytest.mark.parametrize("damage", ["sealed but not compressed", "sealed but not an index", "a document not text"])
def test_a_damaged_stored_search_index_is_made_whole_with_one_warning(damage: str, tmp_path: Path) -> None:
    project = tmp_path / "p"
    make_project(project, 5, 3)
    doc = ["claims/x/", "X", "by Y", [[1, "x"]], ""]
    data = {"sealed but not compressed": b"{}",
            "sealed but not an index": zlib.compress(json.dumps({"context": "c", "docs": {}, "files": {},
                                                                 "stopwords": []}).encode()),
            "a document not text": zlib.compress(json.dumps({"context": "c", "docs": [doc[:3] + [[[1, 2]]] + doc[4:]],
                                                             "files": {}, "stopwords": []}).encode())}[damage]
    warnings: list[str] = []
    with open_cache(project, warnings.append, pytest.fail) as folder:  # type: ignore[union-attr]
        folder.write(INDEX, zlib.compress(json.dumps({"context": "c", "docs": [doc], "files": {"a": "b"},
                                                      "stopwords": []}).encode()))
        assert _stored_index(folder, "c").files == {"a": "b"} and not warnings, "the index as stored"
        folder.write(INDEX, data)
        last = _stored_index(folder, "c")
    assert (last.docs, last.files) == ([], {}) and len(warnings) == 1 and "search index" in warnings[0], warnings


@pytest.mark.parametrize("processes", [1, 2])
def test_a_damaged_pieces_file_is_warned_about_once_and_its_pieces_made_again(processes: int, tmp_path: Path) -> None:
    """The feeds' and exports' pieces of a rebuild are read in a process beside the build's (processes=2): the cache's
    one warning is still the build's own (a strict build fails on it), and the files are a clean build's."""
    project = tmp_path / "p"
    make_project(project, 30, 5)
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), {}, processes=processes,
                           packed=True, kept=False, data_files=True)

    def build(warnings: list[str]) -> tuple[SiteBuild, StoredClaims]:
        with open_cache(project, warnings.append, pytest.fail) as folder:  # type: ignore[union-attr]
            store = StoredClaims(folder)
            return build_site(options, stored=store), store

    build([])
    [stored, *_] = sorted((project / CACHE_DIR).glob("pieces-*"))
    data = stored.read_bytes()
    stored.write_bytes(data[:-40] + bytes(40))
    warnings: list[str] = []
    after, store = build(warnings)
    assert len(warnings) == 1 and stored.name in warnings[0], warnings
    assert store.pieces is not None and store.pieces.rendered, "the damaged file's pieces are made again"
    assert after.data_files == build_site(options).data_files
    again: list[str] = []
    build(again)
    assert not again, "and stored again"
