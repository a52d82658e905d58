"""Previewing a draft: while `mkdocs serve` runs, a claim with blanks gets a page listing
its problems instead of stalling the whole preview; `mkdocs build` still refuses it."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ENV, factcheck, free_port, mkdocs_build
from factcheck_site.content.problems import Problem
from factcheck_site.render.draft_pages import draft_pages
from test_new_claim import fill_blanks

from benchmarks.serve_timing import stop_serving

SLUG = "kim-knelt-before-portraits"


def test_a_draft_page_lists_the_problems_escaped() -> None:
    problems = [Problem("claims/a.yml", 3, "'claim' must be text, not '<script>alert(1)</script>'"),
                Problem("sources/b.md", 5, "the text no longer matches its sha256 fingerprint")]
    pages = draft_pages(problems, {"claims/a": "claims/a.yml", "sources/b": "sources/b.md",
                                   "claims/Not A Slug": "claims/Not A Slug.yml"})
    assert sorted(pages) == ["claims/a.md", "sources/b.md"]
    page = pages["claims/a.md"]
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.index("claims/a.yml:3:") < page.index("sources/b.md:5:"), "the draft's own problems come first"
    assert "claims/a.yml has 1 problem." in page


def _wait_for(url: str, test: Callable[[str], bool], timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                last = response.read().decode("utf-8")
            if test(last):
                return last
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            last = str(error)
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed what was expected; last answer:\n{last[:2000]}")


@pytest.fixture
def served(project: Path) -> Iterator[tuple[Path, str]]:
    assert factcheck("new", SLUG, "--source", "calitoday-unimaginable-burdens", cwd=project).returncode == 0
    port = free_port()
    log = (project.parent / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              env=ENV, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        stop_serving(server)
        log.close()


def test_the_preview_shows_a_drafts_problems_then_the_fact_check(served: tuple[Path, str]) -> None:
    project, base = served
    draft = _wait_for(f"{base}claims/{SLUG}/", lambda page: "This page cannot be built yet" in page)
    assert f"claims/{SLUG}.yml:7: &#x27;claim&#x27; is empty" in draft
    assert "quote 1: &#x27;text&#x27; is empty" in draft
    terminal = (project.parent / "serve.log").read_text(encoding="utf-8")
    assert "WARNING" in terminal and f"claims/{SLUG}.yml:7: 'claim' is empty" in terminal
    home = _wait_for(base, lambda page: "fc-list" in page)
    assert "deployment" in home, "the rest of the site is served as usual"

    path = project / "claims" / f"{SLUG}.yml"
    path.write_text(fill_blanks(path.read_text(encoding="utf-8")), encoding="utf-8")
    page = _wait_for(f"{base}claims/{SLUG}/", lambda page: "This page cannot be built yet" not in page
                     and "Kim Jong Un knelt before portraits" in page)
    assert "kneeling before the portraits of those who did not return" in page


def test_a_strict_build_still_refuses_a_draft(project: Path, tmp_path: Path) -> None:
    assert factcheck("new", SLUG, cwd=project).returncode == 0
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert f"claims/{SLUG}.yml:7: 'claim' is empty" in result.stderr
    assert not (tmp_path / "site" / "claims" / SLUG).exists()


def test_the_preview_survives_an_address_the_standard_library_cannot_parse(served: tuple[Path, str]) -> None:
    """`http://[::1/article` made urlsplit raise and the server stop answering; now the source's
    draft page names the problem and the rest of the site is served as before."""
    project, base = served
    _wait_for(base, lambda page: "fc-list" in page)
    (project / "sources" / "unparsable-address.md").write_text(
        '---\ntitle: "An article"\npublisher: Somebody\nurl: "http://[::1/article"\n---\nThe regiment returned.\n',
        encoding="utf-8")
    draft = _wait_for(f"{base}sources/unparsable-address/", lambda page: "This page cannot be built yet" in page)
    assert "sources/unparsable-address.md:4: &#x27;url&#x27; must be a web address" in draft
    assert "deployment" in _wait_for(base, lambda page: "fc-list" in page), "the rest of the site is still served"
    terminal = (project.parent / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in terminal
