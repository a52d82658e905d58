"""Search: the index holds what readers look for, the built site wires Material's
search box to the factcheck worker, and in a real browser typing a word of a claim
lists that claim first, as text, and opens it."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, copy_project, mkdocs_build

from generator.load import load_site
from generator.search_index import (
    DOCS_PER_FILE,
    ENGLISH_STOPWORDS,
    TITLE,
    build_index,
    search_docs,
    shard_key,
    words,
)
from generator.verdicts import DEFAULT_SCALE

HOSTILE = '<img src=x onerror="document.title=1">'
HOSTILE_CLAIM = f'''claim: "{HOSTILE.replace('"', "'")} Zyxwvut sappers demolished the bridge."
claimant: "Nobody"
verdict: "false"
summary: "No source says so."
quotes:
  - source: dprk-soldiers-return-home
    text: "completing the mission in just three months"
    stance: contradicts
author: Fact-check desk
published: 2030-01-01
'''


def _decode(postings: list[int]) -> list[tuple[int, int]]:
    out, doc = [], 0
    for value in postings:
        doc += value // 8
        out.append((doc, value % 8))
    return out


def test_words_and_shard_keys() -> None:
    assert words("Kim’s 120-day «Deployment», Zürich") == ["kim", "s", "120", "day", "deployment", "zürich"]
    assert shard_key("sappers") == "sa"
    assert shard_key("zürich") == "z_fc"
    assert shard_key("x") == "x"


def test_a_claims_words_point_to_it() -> None:
    site, _ = load_site(ROOT / "claims", ROOT / "sources", DEFAULT_SCALE, ROOT)
    docs = search_docs(site, directory_urls=True)
    manifest, files = build_index(docs, ENGLISH_STOPWORDS)
    assert manifest["keys"] == sorted(f[len("terms/"):-len(".json")] for f in files if f.startswith("terms/"))
    claim = site.claims["kursk-42400-hectares-1-5-million-explosives"]
    number = next(i for i, d in enumerate(docs) if d.location == "claims/kursk-42400-hectares-1-5-million-explosives/")
    shard = json.loads(files["terms/he.json"])
    assert (number, TITLE) in [(d, bits & TITLE) for d, bits in _decode(shard["hectares"])]
    row = json.loads(files[f"docs/{number // DOCS_PER_FILE}.json"])[number % DOCS_PER_FILE]
    assert row[0] == "claims/kursk-42400-hectares-1-5-million-explosives/" and row[1] == claim.claim
    assert "the" not in json.loads(files["terms/th.json"])  # stopwords are not indexed


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("search") / "p")
    (project / "claims" / "hostile-search-claim.yml").write_text(HOSTILE_CLAIM, encoding="utf-8")
    site = project / "site-out"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


def test_built_site_uses_the_factcheck_worker_and_index(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    manifest = index["config"]["factcheck"]
    folder = hostile_site / manifest["path"]
    assert all((folder / "terms" / f"{key}.json").is_file() for key in manifest["keys"])
    # Claims and sources are in the factcheck index only; Material's holds the site's own pages.
    assert not [d for d in index["docs"] if d["location"].startswith(("claims/", "sources/", "archive/"))]
    assert any(d["location"].startswith("methodology/") for d in index["docs"])
    for page in [hostile_site / "index.html", *hostile_site.glob("claims/*/index.html")]:
        worker = re.search(r'"search": "([^"]+)"', page.read_text(encoding="utf-8")).group(1)
        assert "factcheck-search." in worker and (page.parent / worker).resolve().is_file()


@pytest.fixture(scope="module")
def served(hostile_site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(hostile_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _search(page: Any, url: str, word: str, phone: bool) -> Any:
    page.goto(url)
    query = page.locator("input[data-md-component=search-query]")
    if phone:  # the search box opens from the header's magnifier
        page.locator("label.md-header__button[for=__search]").first.click()
    else:
        query.click()
    query.press_sequentially(word, delay=30)
    page.wait_for_function(
        "word => { const first = document.querySelector('.md-search-result__item');"
        " return first && first.innerText.toLowerCase().includes(word) }", arg=word, timeout=20_000)
    return page.locator(".md-search-result__item")


@pytest.mark.parametrize("width", [1280, 390])
def test_typing_a_word_of_a_claim_lists_it_first_and_opens_it(served: str, width: int) -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.search_timing import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            hosts: set[str] = set()
            page.on("request", lambda request: hosts.add(request.url.split("/")[2]))

            results = _search(page, served, "hectares", width < 960)
            assert results.first.locator("h1").inner_text().startswith("North Korean sappers in the Kursk region")
            results.first.locator("a").first.click()
            page.wait_for_url(re.compile(r"/claims/kursk-42400-hectares-1-5-million-explosives/"))
            assert "42,400 hectares" in page.locator("h1").first.inner_text()

            # Editor text reaches the result list as text, never as markup.
            results = _search(page, served, "zyxwvut", width < 960)
            first = results.first
            assert HOSTILE.replace('"', "'") in first.inner_text()
            assert first.locator("img").count() == 0 and page.title() != "1"
            assert errors == []
            assert hosts == {served.split("/")[2]}
        finally:
            browser.close()
