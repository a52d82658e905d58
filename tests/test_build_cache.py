"""The build cache is untrusted input: whatever is in .cache/factcheck/, a build is right or the cache is
ignored with a warning (issues 16 and 24). tests/test_incremental.py checks that reusing it builds the same site;
tests/test_cache_folder.py how its folder is read and written, tests/test_bad_files.py attacks through real
builds."""

from __future__ import annotations

import json
import os
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from conftest import BUILD_TIME
from factcheck_site.cache_folder import CACHE_DIR, SEAL, SETTLED, CacheFolder, open_cache
from factcheck_site.output.build_cache import (
    MANIFEST,
    CacheChanged,
    PageCache,
    StoredTemplates,
    checked_pages,
    environment_key,
    generator_fingerprint,
    page_key,
)
from factcheck_site.plugin import _cached_html, _StoredPage, _write_stored
from factcheck_site.serving import Beside
from jinja2 import DictLoader, Environment
from jinja2.bccache import Bucket
from mkdocs.exceptions import PluginError

HTML = "<html><body>a page</body></html>"


def _open(project: Path, warnings: list[str] | None = None) -> CacheFolder:
    folder = open_cache(project, pytest.fail if warnings is None else warnings.append, pytest.fail)
    assert folder is not None
    return folder


def _filled(project: Path) -> str:
    with _open(project) as folder:
        cache = PageCache(folder)
        key = page_key("env", "claims/a.md", None, "# A")
        cache.put(key, HTML)
        cache.save()
    return key


def _reopened(project: Path) -> tuple[PageCache, list[str]]:
    warnings: list[str] = []
    return PageCache(_open(project, warnings)), warnings


def _pages(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR / "html").glob("*/*.html"))


def _unsealed(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[1]


def test_a_saved_page_comes_back(tmp_path: Path) -> None:
    key = _filled(tmp_path)
    cache, warnings = _reopened(tmp_path)
    assert cache.has(key) and cache.html(key) == HTML and not warnings
    assert not cache.has(page_key("env", "claims/a.md", None, "# B")), "another Markdown is another page"
    assert not cache.has(page_key("env2", "claims/a.md", None, "# A")), "another environment is another page"


def test_the_manifest_is_json_never_pickle(tmp_path: Path) -> None:
    _filled(tmp_path)
    manifest = tmp_path / CACHE_DIR / MANIFEST
    assert manifest.read_bytes().startswith(SEAL)
    data = json.loads(_unsealed(manifest))
    assert data["generator"] == generator_fingerprint()


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "hand-edited", "checksum-recomputed", "unsealed",
                                    "not-json-object", "huge-nesting"])
def test_a_damaged_manifest_is_ignored_with_a_warning(tmp_path: Path, damage: str) -> None:
    key = _filled(tmp_path)
    manifest = tmp_path / CACHE_DIR / MANIFEST
    data = manifest.read_bytes()
    seal, body = data.split(b"\n", 1)
    if damage == "truncated":
        manifest.write_bytes(data[: len(data) // 2])
    elif damage == "corrupted":
        manifest.write_bytes(data[:140] + b"\xff\xfe\x00" + data[143:])
    elif damage in ("hand-edited", "checksum-recomputed", "unsealed"):  # pointing the page at another file
        parsed = json.loads(body)
        parsed["entries"][key][0] = "0" * 64
        edited = json.dumps(parsed).encode()
        if damage == "checksum-recomputed":  # what anyone can do to a plain SHA-256 (issue 24)
            import hashlib
            seal = SEAL + hashlib.sha256(edited).hexdigest().encode()
        manifest.write_bytes(edited if damage == "unsealed" else seal + b"\n" + edited)
    else:  # sealed, as by a build of this user's that went wrong: still no traceback
        with _open(tmp_path) as folder:
            folder.write(MANIFEST, b"[1, 2, 3]" if damage == "not-json-object" else b"[" * 100_000 + b"]" * 100_000)
    cache, warnings = _reopened(tmp_path)
    assert not cache.has(key)
    assert len(warnings) == 1 and str(CACHE_DIR / MANIFEST) in warnings[0], warnings
    cache.put(key, HTML)
    cache.save()  # rebuilt
    assert _reopened(tmp_path)[0].has(key)


@pytest.mark.parametrize("damage", ["changed", "checksum-kept", "deleted", "truncated"])
def test_a_damaged_page_file_is_rendered_again(tmp_path: Path, damage: str) -> None:
    key = _filled(tmp_path)
    [page] = _pages(tmp_path)
    if damage == "changed":
        page.write_text(HTML.replace("a page", "a forged page"), encoding="utf-8")
    elif damage == "checksum-kept":  # the seal of the old content, on a page that runs a script
        page.write_bytes(page.read_bytes().split(b"\n", 1)[0] + b"\n<script>alert(1)</script><p>Verdict: TRUE</p>")
    elif damage == "deleted":
        page.unlink()
    else:
        page.write_bytes(page.read_bytes()[:10])
    cache, warnings = _reopened(tmp_path)
    assert not cache.has(key)
    assert len(warnings) == 1 and str(page.relative_to(tmp_path)) in warnings[0], warnings
    cache.put(key, HTML)  # the page rendered again replaces the damaged file
    cache.save()
    cache, warnings = _reopened(tmp_path)
    assert cache.has(key) and cache.html(key) == HTML and not warnings, "the damage is reported once, not every build"


def test_a_page_changed_after_it_was_checked_is_not_served(tmp_path: Path) -> None:
    """has() checks a page's seal, and html() reads it again without checking it twice only while it is the very
    file checked then: a page forged in between (the same size, the same modification time), in place or as another
    file put in its place, is refused, not served."""
    with _open(tmp_path) as folder:
        cache = PageCache(folder)
        keys = [page_key("env", f"claims/{name}.md", None, f"# {name}") for name in ("a", "b")]
        for number, key in enumerate(keys):
            cache.put(key, HTML + str(number))
        cache.save()
    time.sleep(SETTLED + 0.1)  # pages of an earlier build, as html() reads them again without a second check
    cache, warnings = _reopened(tmp_path)
    assert all(cache.has(key) for key in keys)
    pages = [next(tmp_path.glob(f"{CACHE_DIR}/html/*/{cache.entries[key][0]}.html")) for key in keys]
    for number, page in enumerate(pages):
        before = page.stat()
        forged = page.read_bytes().replace(b"a page", b"forged")
        if number == 0:  # rewritten in place, its modification time set back
            with open(page, "r+b") as stream:
                stream.write(forged)
            os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
        else:  # another file renamed into its place, with the same modification time
            other = page.with_name("forged")
            other.write_bytes(forged)
            os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
            os.replace(other, page)
    for key in keys:
        with pytest.raises(CacheChanged):
            cache.html(key)
    # The build says which page, and stops with that one line (a BuildError is no traceback under MkDocs).
    with pytest.raises(PluginError, match=r"^claims/a\.md: .*/html/.* changed during the build; build again"):
        _cached_html(cache, keys[0], "claims/a.md")
    assert len(warnings) == 1 and pages[0].name in warnings[0], warnings
    # A rebuild writes such pages by a process beside the build's (on_env): it writes no forged page, and its one line
    # comes back for the build to stop with.
    stored = _StoredPage("claims/b.md", None, str(tmp_path / "site"), True)
    stored.cache, stored.key = cache, keys[1]
    stopped = Beside(partial(_write_stored, [stored])).result()
    assert isinstance(stopped, str) and stopped.startswith("claims/b.md: ") and "changed during the build" in stopped
    assert not Path(stored.abs_dest_path).exists()


def test_pages_checked_beside_the_build_are_taken_only_while_unchanged(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild checks the seals of the cache's pages in a process forked before its core (checked_pages), and the
    build's has() takes a page from it without checking it again only while the file is the very one found sealed
    there. A page forged before that check, or after it (the same size and modification time), is caught by the
    build's own check as before: one warning, the file deleted, the page rendered again. The checking process itself
    deletes and warns about nothing."""
    with _open(tmp_path) as folder:
        cache = PageCache(folder)
        keys = [page_key("env", f"claims/{name}.md", None, f"# {name}") for name in ("a", "b", "c")]
        for number, key in enumerate(keys):
            cache.put(key, HTML + str(number))
        cache.save()
        shas = [cache.entries[key][0] for key in keys]
    time.sleep(SETTLED + 0.1)  # pages of an earlier build
    pages = [next(tmp_path.glob(f"{CACHE_DIR}/html/*/{sha}.html")) for sha in shas]

    def forge(page: Path) -> None:
        before = page.stat()
        with open(page, "r+b") as stream:
            stream.write(page.read_bytes().replace(b"a page", b"forged"))
        os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))

    forge(pages[1])
    warnings: list[str] = []
    folder = _open(tmp_path, warnings)
    checked = Beside(partial(checked_pages, folder)).result()
    assert checked is not None and set(checked) == {shas[0], shas[2]}
    assert pages[1].exists() and not warnings, "the checking process deletes and warns about nothing"
    forge(pages[2])
    cache = PageCache(folder)
    cache.checked = checked
    seals: list[str] = []
    unsealed = CacheFolder._unsealed
    monkeypatch.setattr(CacheFolder, "_unsealed", lambda self, name, data: seals.append(name) or unsealed(self, name,
                                                                                                          data))
    assert cache.has(keys[0]) and cache.html(keys[0]) == HTML + "0"
    assert not seals, "a page found sealed beside, unchanged since, is not checked again by the build's process"
    assert not cache.has(keys[1]) and not cache.has(keys[2])
    assert len(warnings) == 1 and pages[1].name in warnings[0], warnings
    assert not pages[1].exists() and not pages[2].exists()
    folder.close()


@pytest.mark.parametrize("forgery", ["no seal", "the seal of the template compiled from its source"])
def test_compiled_templates_are_loaded_only_under_this_users_seal(tmp_path: Path, forgery: str) -> None:
    """mkdocs build keeps Jinja's compiled templates (Python code) in the cache: what a build loads there must have been
    compiled by this user's builds, never code a clone or anyone else put there."""
    source = "{{ 6 * 7 }} is the answer"

    def rendered(folder: CacheFolder) -> str:
        templates = folder.subfolder("templates")
        assert templates is not None
        env = Environment(loader=DictLoader({"page.html": source}), bytecode_cache=StoredTemplates(templates))
        return env.get_template("page.html").render()

    with _open(tmp_path) as folder:
        assert rendered(folder) == "42 is the answer"
        [stored] = (tmp_path / CACHE_DIR / "templates").iterdir()
        env = Environment(loader=DictLoader({"page.html": source}))
        bucket = Bucket(env, stored.name, StoredTemplates(folder).get_source_checksum(source))
        bucket.code = env.compile("forged code ran", "page.html")
        forged = bucket.bytecode_to_string()
        sealed = stored.read_bytes()
        folder.subfolder("templates").write(stored.name, forged)  # type: ignore[union-attr]
        assert rendered(folder) == "forged code ran", "sealed by this user's build: loaded, not compiled again"
    stored.write_bytes(forged if forgery == "no seal" else sealed.split(b"\n", 1)[0] + b"\n" + forged)
    warnings: list[str] = []
    with _open(tmp_path, warnings) as folder:
        assert rendered(folder) == "42 is the answer"
    assert len(warnings) == 1 and stored.name in warnings[0], warnings


def test_another_generator_version_starts_afresh_silently(tmp_path: Path) -> None:
    key = _filled(tmp_path)
    data = json.loads(_unsealed(tmp_path / CACHE_DIR / MANIFEST))
    data["generator"] = "0" * 64
    with _open(tmp_path) as folder:
        folder.write(MANIFEST, json.dumps(data).encode())
    cache, warnings = _reopened(tmp_path)
    assert not cache.has(key) and not warnings


def test_the_cache_of_the_last_version_is_dropped_silently(tmp_path: Path) -> None:
    """Version 0.2's cache: an unsealed manifest.json with a plain checksum, and unsealed pages."""
    old = tmp_path / CACHE_DIR
    (old / "html" / "ab").mkdir(parents=True)
    (old / "manifest.json").write_text('{"format": 1, "entries": {}}', encoding="utf-8")
    (old / "html" / "ab" / f"ab{'0' * 62}.html").write_text("<p>old</p>", encoding="utf-8")
    cache, warnings = _reopened(tmp_path)
    cache.save()
    assert not warnings
    assert sorted(p.name for p in old.iterdir()) == ["html", MANIFEST]
    assert not _pages(tmp_path)


def test_unused_pages_are_dropped(tmp_path: Path) -> None:
    key = _filled(tmp_path)
    for _ in range(3):
        cache, _warnings = _reopened(tmp_path)
        cache.save()
    cache, _warnings = _reopened(tmp_path)
    assert not cache.has(key)
    assert not _pages(tmp_path)


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

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_TIME)
    monkeypatch.setenv("SITE_URL", "https://kursk-desk.github.io/")
    project = small_project(tmp_path / "project")
    assert build_once(project, tmp_path / "first", "build")[0]
    pages = _pages(project)
    assert pages, "the build wrote no cache"
    for page in pages[::2]:
        page.write_text("<p>forged</p>", encoding="utf-8")
    assert build_once(project, tmp_path / "second", "build")[0]
    assert clean_build(project, tmp_path / "clean", "build")
    assert_same_site(tmp_path / "second", tmp_path / "clean")


def test_organisation_pages_a_rebuild_writes_beside_are_not_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """A desk may point its corrections policy or methodology at any page or file of the site, a claim's page or the
    claims export, say. A rebuild writes those from the cache by a process beside its own (plugin._write_stored),
    which may not have written them yet when the build checks that the pages named exist: a page being written is no
    missing page (the warning would fail --strict)."""
    from factcheck_site import plugin as plugin_module
    from test_incremental import CLAIMS, build_once, small_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_TIME)
    monkeypatch.setenv("SITE_URL", "https://kursk-desk.github.io/")
    project = small_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "corrections_policy: corrections-policy/", f"corrections_policy: claims/{CLAIMS[0]}/").replace(
        "methodology: methodology/", "methodology: claims.json"), encoding="utf-8")
    assert build_once(project, tmp_path / "first", "build")[0]
    checked, began = tmp_path / "checked", tmp_path / "began"
    write_stored, check = plugin_module._write_stored, plugin_module.FactcheckPlugin._check_organization_pages

    def written_once_checked(files: list[Any]) -> str:  # in the process beside: nothing written before the check
        began.touch()
        while not checked.exists():
            time.sleep(0.01)
        return write_stored(files)

    def checked_then_written(self: Any, mkdocs_config: Any) -> None:
        check(self, mkdocs_config)
        checked.touch()

    monkeypatch.setattr(plugin_module, "_write_stored", written_once_checked)
    monkeypatch.setattr(plugin_module.FactcheckPlugin, "_check_organization_pages", checked_then_written)
    with caplog.at_level("WARNING"):
        assert build_once(project, tmp_path / "second", "build")[0]
    assert began.exists(), "the rebuild wrote nothing beside"
    assert not [record.getMessage() for record in caplog.records if "the site has no" in record.getMessage()]
    assert (tmp_path / "second" / "claims" / CLAIMS[0] / "index.html").is_file()
    assert (tmp_path / "second" / "claims.json").is_file()


def test_ci_publishes_clean_builds() -> None:
    """No workflow restores the build cache: what CI builds and publishes is a clean build."""
    workflows = Path(__file__).resolve().parent.parent / ".github" / "workflows"
    for workflow in workflows.glob("*.yml"):
        text = workflow.read_text(encoding="utf-8")
        assert "actions/cache" not in text, f"{workflow.name} restores a cache"


def test_pages_go_to_disk_as_they_are_made_and_a_failed_builds_are_deleted(tmp_path: Path) -> None:
    """A build of 25,000 claims makes 2 GB of pages: held until the build ended, they doubled its memory. A build
    that fails after writing some leaves files no manifest names; the next successful build deletes them."""
    cache = PageCache(_open(tmp_path))
    cache.put(page_key("env", "claims/b.md", None, "# B"), "<html>the failed build's page</html>")
    assert [_unsealed(p) for p in _pages(tmp_path)] == [b"<html>the failed build's page</html>"]
    assert not (tmp_path / CACHE_DIR / MANIFEST).exists(), "no manifest before the build has succeeded"

    key = _filled(tmp_path)  # the next build, which succeeds with another page
    cache, warnings = _reopened(tmp_path)
    assert cache.has(key) and not warnings
    assert [_unsealed(p) for p in _pages(tmp_path)] == [HTML.encode()], "the failed build's page is left behind"


def test_a_file_where_the_cache_keeps_a_folder_is_replaced_with_one_warning(tmp_path: Path) -> None:
    (tmp_path / CACHE_DIR).mkdir(parents=True)
    (tmp_path / CACHE_DIR / "html").write_text("a file where the cache wants a folder", encoding="utf-8")
    warnings: list[str] = []
    cache = PageCache(_open(tmp_path, warnings))
    keys = [page_key("env", "claims/a.md", None, page) for page in ("# A", "# B")]
    for key in keys:
        cache.put(key, HTML + key)
    cache.save()
    assert len(warnings) == 1 and f"{CACHE_DIR}/html: is a symbolic link or a file" in warnings[0], warnings
    cache, warnings = _reopened(tmp_path)
    assert all(cache.has(key) for key in keys) and not warnings


def test_two_builds_sharing_the_cache_keep_each_others_new_pages(tmp_path: Path) -> None:
    """`mkdocs serve` beside `mkdocs build`: the one that saves first must not delete the pages the other has
    written for its own manifest, which would then name missing files (a warning in the next strict build)."""
    serve, build = PageCache(_open(tmp_path)), PageCache(_open(tmp_path))
    built = page_key("env", "claims/a.md", None, "# A")
    serve.put(page_key("env", "claims/b.md", None, "# B"), HTML + "B")
    build.put(built, HTML + "A")
    serve.save()
    build.save()
    cache, warnings = _reopened(tmp_path)
    assert cache.has(built) and cache.html(built) == HTML + "A" and not warnings
