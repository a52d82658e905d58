"""The build cache is untrusted input: whatever is in .cache/factcheck/, a build is right or the cache is
ignored with a warning (issue 16). tests/test_incremental.py checks that reusing it builds the same site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factcheck_site.output.build_cache import MANIFEST, PageCache, environment_key, generator_fingerprint, page_key

HTML = "<html><body>a page</body></html>"


def _filled(folder: Path) -> str:
    cache = PageCache(folder, pytest.fail)
    key = page_key("env", "claims/a.md", None, "# A")
    cache.put(key, HTML)
    cache.save()
    return key


def _reopened(folder: Path) -> tuple[PageCache, list[str]]:
    warnings: list[str] = []
    return PageCache(folder, warnings.append), warnings


def test_a_saved_page_comes_back(tmp_path: Path) -> None:
    key = _filled(tmp_path)
    cache, warnings = _reopened(tmp_path)
    assert cache.has(key) and cache.html(key) == HTML and not warnings
    assert not cache.has(page_key("env", "claims/a.md", None, "# B")), "another Markdown is another page"
    assert not cache.has(page_key("env2", "claims/a.md", None, "# A")), "another environment is another page"


def test_the_manifest_is_json_never_pickle(tmp_path: Path) -> None:
    _filled(tmp_path)
    data = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert data["generator"] == generator_fingerprint()


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "hand-edited", "not-json-object", "huge-nesting"])
def test_a_damaged_manifest_is_ignored_with_a_warning(tmp_path: Path, damage: str) -> None:
    key = _filled(tmp_path)
    manifest = tmp_path / MANIFEST
    data = manifest.read_bytes()
    if damage == "truncated":
        manifest.write_bytes(data[: len(data) // 2])
    elif damage == "corrupted":
        manifest.write_bytes(data[:40] + b"\xff\xfe\x00" + data[43:])
    elif damage == "hand-edited":  # pointing the page at another file: the checksum no longer matches
        parsed = json.loads(data)
        parsed["entries"][key][0] = "0" * 64
        manifest.write_text(json.dumps(parsed), encoding="utf-8")
    elif damage == "not-json-object":
        manifest.write_text("[1, 2, 3]", encoding="utf-8")
    else:
        manifest.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    cache, warnings = _reopened(tmp_path)
    assert not cache.has(key)
    assert len(warnings) == 1 and "ignoring the build cache" in warnings[0]
    cache.put(key, HTML)
    cache.save()  # rebuilt
    assert _reopened(tmp_path)[0].has(key)


@pytest.mark.parametrize("damage", ["changed", "deleted", "truncated"])
def test_a_damaged_page_file_is_rendered_again(tmp_path: Path, damage: str) -> None:
    key = _filled(tmp_path)
    [page] = (tmp_path / "html").glob("*/*.html")
    if damage == "changed":
        page.write_text(HTML.replace("a page", "a forged page"), encoding="utf-8")
    elif damage == "deleted":
        page.unlink()
    else:
        page.write_bytes(page.read_bytes()[:10])
    cache, warnings = _reopened(tmp_path)
    assert not cache.has(key)
    assert len(warnings) == 1 and "rendering the page again" in warnings[0]
    cache.put(key, HTML)  # the page rendered again replaces the damaged file
    cache.save()
    cache, warnings = _reopened(tmp_path)
    assert cache.has(key) and cache.html(key) == HTML and not warnings, "the damage is reported once, not every build"


def test_another_generator_version_starts_afresh_silently(tmp_path: Path) -> None:
    key = _filled(tmp_path)
    manifest = tmp_path / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["generator"] = "0" * 64
    manifest.write_text(json.dumps(data), encoding="utf-8")
    cache, warnings = _reopened(tmp_path)
    assert not cache.has(key) and not warnings


def test_unused_pages_are_dropped(tmp_path: Path) -> None:
    key = _filled(tmp_path)
    for _ in range(3):
        cache, _warnings = _reopened(tmp_path)
        cache.save()
    cache, _warnings = _reopened(tmp_path)
    assert not cache.has(key)
    assert not list((tmp_path / "html").glob("*/*.html"))


def test_the_environment_key_follows_the_site_s_own_pages(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# About", encoding="utf-8")
    before = environment_key({"site_name": "A"}, [], docs)
    assert environment_key({"site_name": "A", "site_dir": "elsewhere"}, [], docs) == before
    assert environment_key({"site_name": "B"}, [], docs) != before
    (docs / "about.md").write_text("# About us", encoding="utf-8")
    assert environment_key({"site_name": "A"}, [], docs) != before


def test_a_build_with_a_damaged_cache_equals_a_clean_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_incremental import assert_same_site, build_once, clean_build, small_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    monkeypatch.setenv("SITE_URL", "https://kursk-desk.github.io/")
    project = small_project(tmp_path / "project")
    assert build_once(project, tmp_path / "first", "build")[0]
    pages = sorted((project / ".cache" / "factcheck" / "html").glob("*/*.html"))
    assert pages, "the build wrote no cache"
    for page in pages[::2]:
        page.write_text("<p>forged</p>", encoding="utf-8")
    assert build_once(project, tmp_path / "second", "build")[0]
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "second", tmp_path / "clean")


def test_ci_publishes_clean_builds() -> None:
    """No workflow restores the build cache: what CI builds and publishes is a clean build."""
    workflows = Path(__file__).resolve().parent.parent / ".github" / "workflows"
    for workflow in workflows.glob("*.yml"):
        text = workflow.read_text(encoding="utf-8")
        assert "actions/cache" not in text, f"{workflow.name} restores a cache"


def test_pages_go_to_disk_as_they_are_made_and_a_failed_builds_are_deleted(tmp_path: Path) -> None:
    """A build of 25,000 claims makes 2 GB of pages: held until the build ended, they doubled its memory. A build
    that fails after writing some leaves files no manifest names; the next successful build deletes them."""
    cache = PageCache(tmp_path, pytest.fail)
    cache.put(page_key("env", "claims/b.md", None, "# B"), "<html>the failed build's page</html>")
    assert [p.read_text(encoding="utf-8") for p in (tmp_path / "html").glob("*/*.html")] == [
        "<html>the failed build's page</html>"]
    assert not (tmp_path / MANIFEST).exists(), "no manifest before the build has succeeded"

    key = _filled(tmp_path)  # the next build, which succeeds with another page
    cache, warnings = _reopened(tmp_path)
    assert cache.has(key) and not warnings
    assert [p.read_text(encoding="utf-8") for p in (tmp_path / "html").glob("*/*.html")] == [HTML], \
        "the failed build's page is left behind"


def test_a_cache_folder_that_cannot_be_written_is_a_warning_not_a_failed_build(tmp_path: Path) -> None:
    (tmp_path / "html").write_text("a file where the cache wants a folder", encoding="utf-8")
    warnings: list[str] = []
    cache = PageCache(tmp_path, warnings.append)
    for page in ("# A", "# B"):
        cache.put(page_key("env", "claims/a.md", None, page), HTML + page)
    cache.save()
    assert len(warnings) == 1 and "cannot write the build cache" in warnings[0], warnings
    assert not (tmp_path / MANIFEST).exists(), "no manifest names pages that were never written"


def test_two_builds_sharing_the_cache_keep_each_others_new_pages(tmp_path: Path) -> None:
    """`mkdocs serve` beside `mkdocs build`: the one that saves first must not delete the pages the other has
    written for its own manifest, which would then name missing files (a warning in the next strict build)."""
    serve, build = PageCache(tmp_path, pytest.fail), PageCache(tmp_path, pytest.fail)
    built = page_key("env", "claims/a.md", None, "# A")
    serve.put(page_key("env", "claims/b.md", None, "# B"), HTML + "B")
    build.put(built, HTML + "A")
    serve.save()
    build.save()
    cache, warnings = _reopened(tmp_path)
    assert cache.has(built) and cache.html(built) == HTML + "A" and not warnings
