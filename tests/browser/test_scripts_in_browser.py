"""A desk in another script, in headless Chromium: the Korean test desk (tests/cases/korean-site) found by Korean
words with their particles attached (test_languages_in_browser.py holds it to axe-core and to no English); the
same desk in Arabic laid out right to left, mirrored, with nothing wider than a phone or a desktop."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CASES, built_once, mkdocs_build
from playwright.sync_api import Page

from .conftest import DESKTOP, PHONE, Visit, serve
from .test_site_in_browser import OVERFLOW, RESULTS_SETTLED, assert_clean

OpenTab = Callable[..., Visit]
PAGES = {  # one of each kind a reader meets
    "home": "",
    "who said what, as a table": "who-said-what/#table",  # not right after the list: that would not load again
    "claim": "claims/deployment-lasted-120-days/",
    "source": "sources/test-daily-sappers-return/",
    "verdict scale": "verdicts/",
    "archive": "archive/",
    "claimants": "claimants/",
    "who said what": "who-said-what/",
}
# A query, and the claims it must list (their text holds the word with a particle or more written on to it).
KOREAN_QUERIES = {
    "북한": {"north-korea-announced-return", "casualties-were-disclosed",  # 북한은
             "deployment-lasted-120-days", "work-began-in-early-august"},  # 북한군
    "북한이": {"north-korea-announced-return", "casualties-were-disclosed"},  # 북한은: another particle
    "공병들을": {"work-began-in-early-august"},  # 공병들은
    "파견": {"north-korea-announced-return", "deployment-lasted-120-days"},  # 파견한, 파견
    "саперы": {"north-korea-announced-return"},  # a quote's сапёры: ё and е are one
    "남한": set(),
}


@pytest.fixture(scope="module")
def korean_url(korean_site: Path) -> Iterator[str]:
    yield from serve(korean_site)


@pytest.fixture(scope="session")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Korean test desk with theme.language: ar, which reads right to left, built once per run."""
    def build(folder: Path) -> None:
        shutil.copytree(CASES / "korean-site", folder / "project")
        config = folder / "project" / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("language: ko", "language: ar"), encoding="utf-8")
        result = mkdocs_build(folder / "project", folder / "site")
        assert result.returncode == 0, result.stderr

    return built_once(tmp_path_factory, "korean-ar", build) / "site"


@pytest.fixture(scope="module")
def arabic_url(arabic_site: Path) -> Iterator[str]:
    yield from serve(arabic_site)


def _search(page: Page, query: str) -> set[str]:
    """Type into Material's search box, whatever its language; the claims listed."""
    if page.viewport_size["width"] < 1220:
        page.locator('label.md-header__button[for="__search"]').click()
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    box.press("End")  # Hangul typed through an input method ends in a key of its own, which Material listens for
    page.evaluate(RESULTS_SETTLED)
    links = page.locator(".md-search-result__list a").evaluate_all("links => links.map(a => a.href)")
    return {link.split("/claims/", 1)[1].split("/")[0] for link in links if "/claims/" in link}


def test_korean_words_with_particles_attached_find_their_claims(korean_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(korean_url, DESKTOP)
    page = visit.open("")
    found = {}
    for query in KOREAN_QUERIES:
        found[query] = _search(page, query)
        page.goto(korean_url)
    assert found == KOREAN_QUERIES
    assert_clean(visit)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_desk_in_arabic_reads_right_to_left_and_fits(viewport: dict, arabic_url: str, open_tab: OpenTab) -> None:
    """Every kind of page: right to left, nothing wider than the screen (outside the table that scrolls on
    purpose); on a claim page, what marks the start of a line (a quote's bar, the verdict box's) on its right, and
    the evidence side by side mirrored."""
    visit = open_tab(arabic_url, viewport)
    for path in PAGES.values():
        page = visit.open(path)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-content')).direction") == "rtl", path
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"] and found["wide"] == [], (path, found)
    page = visit.open(PAGES["claim"])
    for selector in (".fc-verdict", ".fc-lines", ".fc-quote blockquote"):
        widths = page.locator(selector).first.evaluate(
            "e => [parseFloat(getComputedStyle(e).borderRightWidth), parseFloat(getComputedStyle(e).borderLeftWidth)]")
        assert widths[0] > widths[1], (selector, widths)
    title = page.locator("h1").bounding_box()
    content = page.locator(".md-content__inner").bounding_box()
    assert title and content and abs((title["x"] + title["width"]) - (content["x"] + content["width"])) < 30
    if viewport == PHONE:  # the who-said-what table scrolls sideways, its claims' column kept in view on the right
        page = visit.open(PAGES["who said what, as a table"])
        before = page.locator(".fc-wsw__table tbody th").first.bounding_box()
        page.locator(".fc-wsw").evaluate("e => { e.scrollLeft = -200; }")
        after = page.locator(".fc-wsw__table tbody th").first.bounding_box()
        assert page.locator(".fc-wsw").evaluate("e => e.scrollLeft") < 0
        assert before and after and abs(after["x"] - before["x"]) < 1 and before["x"] > viewport["width"] / 2
        page = visit.open(PAGES["claim"])
    if viewport == DESKTOP:  # side by side, what backs the claim comes first: on the right
        supports = page.locator(".fc-stance--supports").bounding_box()
        contradicts = page.locator(".fc-stance--contradicts").bounding_box()
        assert supports and contradicts and abs(supports["y"] - contradicts["y"]) < 2
        assert supports["x"] > contradicts["x"] + contradicts["width"] - 1
    assert_clean(visit)

