"""Desks in languages the generator has no catalogue for (tests/cases/language-sites), in headless Chromium: the
Japanese desk found by words inside its sentences, typed into the search box; the Hebrew one right to left, with
nothing wider than a phone or a desktop, on every kind of page."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from language_desk import CLAIM, SOURCE, built_desk

from .conftest import DESKTOP, PHONE, Visit, serve
from .test_scripts_in_browser import _search
from .test_site_in_browser import OVERFLOW, assert_clean

OpenTab = Callable[..., Visit]
PAGES = ("", f"claims/{CLAIM}/", f"sources/{SOURCE}/", "who-said-what/", "archive/", "verdicts/")


@pytest.fixture(scope="module")
def japanese_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(built_desk(tmp_path_factory, "ja") / "site")


@pytest.fixture(scope="module")
def hebrew_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(built_desk(tmp_path_factory, "he") / "site")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_japanese_words_inside_a_sentence_find_the_claim(viewport: dict, japanese_url: str,
                                                         open_tab: OpenTab) -> None:
    visit = open_tab(japanese_url, viewport)
    found = {}
    for query in ("工兵部隊", "クルスク", "派遣", "南朝鮮"):
        found[query] = _search(visit.open(""), query)
    assert found == {"工兵部隊": {CLAIM}, "クルスク": {CLAIM}, "派遣": {CLAIM}, "南朝鮮": set()}
    assert_clean(visit)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_desk_in_hebrew_reads_right_to_left_and_fits(viewport: dict, hebrew_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(hebrew_url, viewport)
    for path in PAGES:
        page = visit.open(path)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-content')).direction") == "rtl", path
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"] and found["wide"] == [], (path, found)
    page = visit.open(f"claims/{CLAIM}/")
    widths = page.locator(".fc-verdict").first.evaluate(
        "e => [parseFloat(getComputedStyle(e).borderRightWidth), parseFloat(getComputedStyle(e).borderLeftWidth)]")
    assert widths[0] > widths[1]  # the verdict box's bar on the right, where a line starts
    assert_clean(visit)
