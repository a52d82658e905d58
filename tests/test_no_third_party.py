"""No page makes a reader's browser contact another host: no web fonts, CDN scripts or
API calls, so readers on restrictive networks get the whole page, search included."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

SITE_HOST = "factcheck.example.org"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
LOADING_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                      "audio": "src", "video": "src", "embed": "src", "object": "data", "track": "src"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def external_host(url: str) -> str | None:
    """The host a URL would contact, when it is not this site and not inline data."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob", "about", "mailto"):
        return None
    if parts.netloc and parts.hostname != SITE_HOST:
        return parts.hostname
    return None


@pytest.fixture(scope="module", params=["repository", "rich"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("built_site" if request.param == "repository" else "rich_site")


def test_no_script_link_or_embedded_resource_from_another_host(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    found = []
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in LOADING_ATTRIBUTES.items():
            for element in page.find_all(tag):
                if tag == "link" and element.get("rel") == ["canonical"]:
                    continue  # names this page, loads nothing
                for url in [element.get(attribute, ""), *element.get("srcset", "").split(",")]:
                    if url and external_host(url.split()[0]):
                        found.append(f"{path.relative_to(site)}: <{tag} {attribute}={url}>")
        styles = [s.get_text() for s in page.find_all("style")] + [e["style"] for e in page.find_all(style=True)]
        for style in styles:
            found += [f"{path.relative_to(site)}: {m}" for m in CSS_URL.findall(style) if external_host(m[0] or m[1])]
    assert found == []


def test_no_stylesheet_loads_fonts_or_anything_else_from_another_host(site: Path) -> None:
    sheets = sorted(site.rglob("*.css"))
    assert sheets
    found = []
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        found += [f"{sheet.relative_to(site)}: {a or b}" for a, b in CSS_URL.findall(text) if external_host(a or b)]
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    assert found == []


@pytest.fixture(scope="module")
def served(rich_site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(rich_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()


def test_a_browser_reading_pages_and_searching_contacts_no_other_host(served: str) -> None:
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def record(route, request) -> None:
            requested.append(request.url)
            if urlsplit(request.url).hostname == "127.0.0.1" or request.url.startswith("data:"):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", record)
        page = context.new_page()
        for path in ("", "claims/deployment-lasted-120-days/", "sources/calitoday-unimaginable-burdens/",
                     "tags/", "corrections/"):
            page.goto(served + path, wait_until="networkidle")
            assert page.locator("article, .md-content").first.is_visible()
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially("sappers", delay=30)  # Material searches on key events
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        assert results.count() > 0, "search works without the network"
        page.wait_for_load_state("networkidle")
        browser.close()
    assert requested, "the browser made no request at all"
    assert [url for url in requested if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:")] == []
    assert any(url.endswith("search_index.json") for url in requested)
