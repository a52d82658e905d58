"""No page makes a reader's browser contact another host: no web fonts, CDN scripts or
API calls, so readers on restrictive networks get the whole page, search included.
(tests/browser checks the same in a real browser, searching too.)"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_URL

SITE_HOST = urlsplit(SITE_URL).hostname
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
