"""The Korean test site (tests/cases/korean-site) as a reader meets it in Chromium: every word on its pages is
Korean (the editors' words, the theme's and the generator's alike), at 390 and 1280 px, and axe-core finds nothing
serious."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_languages import latin_words

from .conftest import DESKTOP, PHONE, Visit, axe_violations, serve

OpenTab = Callable[..., Visit]
PAGES = ["", "claims/deployment-lasted-120-days/", "claims/wounded-soldiers-attended/", "sources/",
         "sources/test-daily-sappers-return/", "verdicts/", "who-said-what/", "corrections/", "claimants/",
         "archive/", "404.html"]


@pytest.fixture(scope="module")
def korean_url(korean_site: Path) -> Iterator[str]:
    yield from serve(korean_site)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_reader_of_the_korean_site_sees_no_english(viewport: dict[str, int], korean_url: str,
                                                    open_tab: OpenTab) -> None:
    visit = open_tab(korean_url, viewport)
    found = {}
    for path in PAGES:
        page = visit.open(path)
        words = latin_words(page.inner_text("body"))
        if words:
            found[path or "/"] = sorted(words)
        if viewport == DESKTOP:
            assert axe_violations(page) == [], path
    assert found == {}, f"English words a reader sees on the Korean site: {found}"
