"""The core's work kept on disk between processes (output/core_cache.py): a build in a new process takes a claim from
the cache only when its file's bytes and everything its checking depends on are those stored, and the site is then
exactly what checking every file again gives. tests/test_incremental.py checks whole builds on random edits."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import copy_project
from factcheck_site.build import BuildOptions, SiteBuild, build_site
from factcheck_site.cache_folder import CACHE_DIR, open_cache
from factcheck_site.config import read_settings
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.output.core_cache import FILE, StoredClaims, claim_from_json, claim_json

from benchmarks.project import make_project


def _build(project: Path, warnings: list[str] | None = None, stored: bool = True) -> tuple[SiteBuild, int]:
    """build_site in one process, with the claims stored in the project's cache (as a new `mkdocs build` does);
    the build, and how many claims it took from the store."""
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, True, publication_from_settings(settings, True), processes=1)
    if not stored:
        return build_site(options), 0
    folder = open_cache(project, pytest.fail if warnings is None else warnings.append, pytest.fail)
    assert folder is not None
    with folder:
        store = StoredClaims(folder)
        return build_site(options, stored=store), store.reused


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
