"""Generated pages handed to Markdown as a placeholder (output/raw_html.py) come out as if Markdown had
converted them: the built site is byte for byte the same with and without the shortcut, and MkDocs knows the
same anchors on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from conftest import BUILD_TIME, copy_project
from factcheck_site.output.build_cache import CACHE_DIR
from factcheck_site.output.raw_html import Anchors, anchor_ids, converted, passes_through
from factcheck_site.plugin import FactcheckPlugin
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import _RawHTMLPreprocessor
from test_goldens import render_golden_site

ROOT = Path(__file__).resolve().parent.parent


def _body(page: str) -> str:
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(project: Path, site_dir: Path, shortcut: bool, monkeypatch: pytest.MonkeyPatch,
           keep_cache: bool = False) -> dict[str, set[str] | None]:
    """mkdocs build, without the build cache unless keep_cache; every page's anchors as MkDocs knows them."""
    if not keep_cache:
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
    MkDocsConfig.plugins.plugin_cache.pop("factcheck", None)  # type: ignore[attr-defined]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_TIME)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    plugin = config.plugins["factcheck"]
    assert isinstance(plugin, FactcheckPlugin)
    plugin.raw_html_shortcut = shortcut
    anchors: dict[str, set[str] | None] = {}
    config.plugins.events["post_page"].insert(0, lambda output, page, config: (anchors.__setitem__(
        page.file.src_uri, None if page.present_anchor_ids is None else set(page.present_anchor_ids)), output)[1])
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    return anchors


def test_the_site_is_the_same_with_and_without_the_shortcut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://factcheck.test/")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_TIME)
    project = copy_project(tmp_path / "project")
    with_shortcut = _build(project, tmp_path / "with", True, monkeypatch)
    without = _build(project, tmp_path / "without", False, monkeypatch)
    assert len(without) > 60 and sum(bool(ids) for ids in without.values()) > 50
    assert with_shortcut == without, "MkDocs knows other anchors with the shortcut"
    ours, theirs = _files(tmp_path / "with"), _files(tmp_path / "without")
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []
    # Built again from the cache, the pages are the same, and so are their anchors.
    assert _build(project, tmp_path / "cached", True, monkeypatch, keep_cache=True) == without
    assert _files(tmp_path / "cached") == theirs
    claim_page = (tmp_path / "with" / "claims" / "regiment-formed-in-may" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="claim" class="fc-claim__text' in claim_page and "factcheckrawhtml" not in claim_page


def test_every_page_that_passes_through_is_what_markdown_makes_of_it() -> None:
    """The golden site's pages, with the extensions this repository's site uses."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    passed = 0
    for src_uri, page in render_golden_site().items():
        body = _body(page)
        if not passes_through(body):
            continue
        passed += 1
        md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
        scan = _RawHTMLPreprocessor()
        scan._register(md)
        assert md.convert(body) == converted(body), src_uri
        assert anchor_ids(body) == scan.present_anchor_ids, src_uri
    assert passed >= 10, "claim, source and listing pages pass through"


@pytest.mark.parametrize("body", [
    "# Fact-checks\n\n<ul><li>x</li></ul>\n",  # Markdown first
    '<h1 id="t">T</h1>\n\nSome *Markdown* after a blank line.\n',
    '<span class="x">inline</span>\n',  # not a block: Markdown wraps it in a paragraph
    "",
])
def test_pages_with_markdown_are_converted(body: str) -> None:
    assert not passes_through(body)


def test_anchors_are_found_as_mkdocs_finds_them() -> None:
    body = ('<div id="a&amp;b"><a name="n">x</a><span data-id="no" ID=\'up\'>y</span><p name="not-a">z</p>'
            '<input id=bare></div>')
    md = markdown.Markdown()
    scan = _RawHTMLPreprocessor()
    scan._register(md)
    md.convert(body)
    assert anchor_ids(body) == scan.present_anchor_ids == {"a&b", "n", "up", "bare"}
    lazy = Anchors(body)
    assert "up" in lazy and "nope" not in lazy and lazy == {"a&b", "n", "up", "bare"}
