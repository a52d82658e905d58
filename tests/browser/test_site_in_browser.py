"""The built site in headless Chromium, as a reader uses it: search, the layout at
desktop and phone widths, no errors, no third-party requests, accessibility, and
hostile editor content that stays text in a real browser too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from building import load
from conftest import ROOT
from factcheck_site.content.model import Claim
from hostile_site import CLAIM_ID, SOURCE_ID
from playwright.sync_api import Page, expect

from .conftest import AXE, DESKTOP, PHONE, Visit, axe_violations, serve

OpenTab = Callable[..., Visit]
SITE = load(ROOT / "claims", ROOT / "sources", ROOT)[0]
PAGES = {  # one of each kind a reader meets
    "home": "",
    "claim": "claims/deployment-lasted-120-days/",
    "source": "sources/dprk-soldiers-return-home/",
    "verdict": "verdicts/unverified/",
    "verdict scale": "verdicts/",
    "archive": "archive/",
    "tags": "tags/",
    "claimants": "claimants/",
    "corrections": "corrections/",
    "who said what": "who-said-what/",
    "not found": "404.html",
}


def assert_clean(visit: Visit) -> None:
    assert visit.console_errors == []
    assert visit.page_errors == []
    assert visit.dialogs == []
    assert visit.foreign_requests() == []


def a_word_only_one_claim_has() -> tuple[Claim, str]:
    """A claim, and a word of seven letters or more in its text that no other claim uses."""
    def words(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[A-Za-z]{7,}", text)}

    for claim in sorted(SITE.claims.values(), key=lambda c: c.id):
        others = set().union(*(words(f"{c.claim} {c.summary}") for c in SITE.claims.values() if c is not claim))
        unique = sorted(words(claim.claim) - others)
        if unique:
            return claim, unique[0]
    raise AssertionError("every word of every claim is also in another")


def search(page: Page, word: str) -> None:
    """Type into Material's search box, as a reader does (on a phone, open it first)."""
    if page.viewport_size["width"] < 1220:
        page.locator('label.md-header__button[for="__search"]').click()
    box = page.get_by_placeholder("Search")
    box.click()
    box.press_sequentially(word, delay=30)
    page.evaluate(RESULTS_SETTLED)


# Each key typed starts a search, and a busy machine may show the results for "sapp" after "sappers"
# was typed: wait until the results have not changed for half a second (at most ten).
RESULTS_SETTLED = """() => new Promise(done => {
  const results = document.querySelector('.md-search-result');
  let quiet = setTimeout(finish, 500);
  const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(finish, 500); });
  const limit = setTimeout(finish, 10000);
  function finish() { observer.disconnect(); clearTimeout(limit); done(); }
  observer.observe(results, {childList: true, subtree: true, characterData: true});
})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_search_lists_the_claim_first_and_opens_it(viewport: dict, site_url: str, open_tab: OpenTab) -> None:
    claim, word = a_word_only_one_claim_has()
    visit = open_tab(site_url, viewport)
    page = visit.open("")
    search(page, word)
    first = page.locator(".md-search-result__list > li").first.get_by_role("link").first
    expect(first).to_contain_text(claim.claim[:40])
    first.click()
    page.wait_for_url(re.compile(rf"/claims/{claim.id}/"))
    expect(page.locator("h1#claim")).to_have_text(claim.claim)
    assert_clean(visit)


def _stance_boxes(page: Page) -> tuple[dict, dict]:
    supports = page.locator(".fc-stance--supports").bounding_box()
    contradicts = page.locator(".fc-stance--contradicts").bounding_box()
    assert supports and contradicts
    return supports, contradicts


def test_opposing_quotes_sit_side_by_side_on_a_desktop(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, DESKTOP)
    supports, contradicts = _stance_boxes(visit.open(PAGES["claim"]))
    assert abs(supports["y"] - contradicts["y"]) < 2, "same row"
    assert supports["x"] + supports["width"] <= contradicts["x"], "supports on the left, contradicts beside it"
    assert supports["width"] > 300 and contradicts["width"] > 300
    assert_clean(visit)


def test_opposing_quotes_stack_on_a_phone(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    supports, contradicts = _stance_boxes(visit.open(PAGES["claim"]))
    assert contradicts["y"] >= supports["y"] + supports["height"], "contradicts below supports"
    assert abs(supports["x"] - contradicts["x"]) < 2 and supports["width"] > 300
    assert_clean(visit)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  // inside a region that scrolls sideways on purpose (a wide table), content may be wider than the page
  const scrolls = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  const wide = [...document.querySelectorAll('.md-content *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1 && !scrolls(e))
    .map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_nothing_overflows_horizontally(viewport: dict, site_url: str, hostile_site: Path,
                                        open_tab: OpenTab) -> None:
    """On every kind of page, and on the hostile pages with their long unbroken words."""
    visit = open_tab(site_url, viewport)
    for path in PAGES.values():
        found = visit.open(path).evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"] and found["wide"] == [], (path, found)
    assert_clean(visit)


def test_who_said_what_keeps_its_first_column_in_view_on_a_phone(site_url: str, open_tab: OpenTab) -> None:
    """The table scrolls sideways inside its region; the claims' column stays put."""
    visit = open_tab(site_url, PHONE)
    page = visit.open(PAGES["who said what"] + "#table")  # a phone shows the list; the table is a link away
    region = page.locator(".fc-wsw")
    before = page.locator(".fc-wsw__table tbody th").first.bounding_box()
    region.evaluate("e => { e.scrollLeft = 200; }")
    after = page.locator(".fc-wsw__table tbody th").first.bounding_box()
    assert region.evaluate("e => e.scrollLeft") > 0, "the table is wider than a phone, so it scrolls"
    assert before is not None and after is not None and abs(after["x"] - before["x"]) < 1
    assert_clean(visit)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(name: str, site_url: str, open_tab: OpenTab) -> None:
    """At both widths, in the light scheme and in the dark one (Material's slate, which follows the
    reader's system setting when the page loads). One tab per scheme, resized in place."""
    assert AXE.is_file(), "axe-core is missing: run `npm ci` in tests/browser (./dev test does)"
    for scheme, material in (("light", "default"), ("dark", "slate")):
        page = open_tab(site_url, DESKTOP, scheme).open(PAGES[name])
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material)
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            assert axe_violations(page) == [], (scheme, viewport)


def test_pages_make_no_request_beyond_the_local_server(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url)
    for path in PAGES.values():
        visit.open(path, wait_until="networkidle")
    search(visit.page, "Kursk")
    visit.page.wait_for_selector(".md-search-result__list > li")
    assert any(url.endswith("search_index.json") for url in visit.requests), "search loaded its index locally"
    # The sitemap lists every page of the archive: no reader needs to download it.
    assert not [url for url in visit.requests if url.endswith("sitemap.xml")]
    assert_clean(visit)


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    yield from serve(hostile_site)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_hostile_content_stays_text_in_the_browser(viewport: dict, hostile_url: str, open_tab: OpenTab) -> None:
    """No alert, no script error, no image or pixel loaded, no overflow: on the pages
    that show the hostile claim and source, and in search results for its payloads."""
    visit = open_tab(hostile_url, viewport)
    expect(visit.open(f"claims/{CLAIM_ID}/").locator("h1#claim")).to_contain_text('<script>alert("claim")</script>')
    expect(visit.open(f"sources/{SOURCE_ID}/").locator("h1#source")).to_contain_text(
        '<script>alert("source-title")</script>')
    for path in ("", f"claims/{CLAIM_ID}/", f"sources/{SOURCE_ID}/", "archive/", "verdicts/false/", "verdicts/"):
        found = visit.open(path).evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"] and found["wide"] == [], (path, found)
    search(visit.page, "onerror")
    results = visit.page.locator(".md-search-result__list > li")
    expect(results.first).to_be_visible()
    results.first.get_by_role("link").first.click()
    visit.page.wait_for_load_state("networkidle")
    assert not [url for url in visit.requests if url.endswith("/x")], "an <img src=x> from a payload was loaded"
    assert_clean(visit)


def _result_links(page: Page, query: str) -> list[str]:
    """The address of each result listed for the whole query (not for a prefix still shown), in order."""
    results = page.locator(".md-search-result__list > li")
    first_word = re.escape(query.split()[0].lower())
    expect(results.first.get_by_role("link").first).to_have_attribute("href", re.compile(rf"[?&]h={first_word}\b"))
    return [results.nth(i).get_by_role("link").first.get_attribute("href") or "" for i in range(results.count())]


def _claims_mentioning(word: str) -> set[str]:
    return {c.id for c in SITE.claims.values()
            if word in " ".join([c.claim, SITE.claimant_line(c), c.summary, *c.tags,
                                 *(q.text for q in c.quotes)]).lower()}


@pytest.mark.parametrize("query", ["sappers", "Khinstoyev", "Putin", "CTAK", "three months"])
def test_claims_rank_above_the_site_pages(query: str, site_url: str, open_tab: OpenTab) -> None:
    """The verdict scale page lists claims, so it holds their words; a reader searching them wants the claims."""
    visit = open_tab(site_url)
    search(visit.open(""), query)
    links = _result_links(visit.page, query)
    pages = [("claims/" not in href and "sources/" not in href) for href in links]
    assert pages == sorted(pages) and not pages[0], f"a site page above a claim or source: {links}"
    assert_clean(visit)


@pytest.mark.parametrize("typed", ["Khinstoev", "Kinstoyev", "Khinstoyevv"])
def test_a_name_typed_with_one_letter_wrong_finds_the_claims(typed: str, site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url)
    search(visit.open(""), typed)
    links = _result_links(visit.page, typed)
    found = {m.group(1) for href in links for m in [re.search(r"/claims/([^/]+)/", href)] if m}
    assert found == _claims_mentioning("khinstoyev"), links
    assert "/claims/" in links[0] or "/sources/" in links[0], links
    expect(visit.page.locator(".md-search-result__list mark").first).to_have_text(re.compile("^Khinstoyev", re.I))
    assert_clean(visit)
