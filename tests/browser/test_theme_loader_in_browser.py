"""Material's script, which makes two long tasks while a page loads, waits for the reader's first interaction
(templates/partials/theme-loader.html): nothing of it loads before, nothing on the page moves when it arrives,
and what a reader does before it has arrived (a palette toggle, a search shortcut, words typed into the search)
is not lost."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import DESKTOP, PHONE, Visit
from .test_lighthouse import PAGES
from .test_site_in_browser import RESULTS_SETTLED, a_word_only_one_claim_has, assert_clean

OpenTab = Callable[..., Visit]
BUNDLE = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
# What Material's script fetches once it runs: its search worker and the search index.
THEME_REQUESTS = re.compile(r"/assets/javascripts/|/search/search_index\.json$")
# The reader's first interaction, each of the kinds the page waits for.
FIRST_MOVES: dict[str, Callable[[Page], None]] = {
    "mouse": lambda page: page.mouse.move(200, 400),
    "key": lambda page: page.keyboard.press("Tab"),
    "tap": lambda page: page.mouse.click(5, 300),
    "scroll": lambda page: page.evaluate("scrollBy(0, 300)"),
}
# The blocks of a page whose place a reader sees: the header's parts, the tabs, the content's text, the footer.
PLACES = """() => Object.fromEntries([...document.querySelectorAll(
    '.md-header__inner > :not(.md-search), .md-tabs, .md-content :is(h1, h2, p, li, table), .md-footer')]
  .map((el, i) => { const r = el.getBoundingClientRect();
    return [`${i} ${el.tagName} ${(el.textContent || '').trim().slice(0, 30)}`,
            [r.x, r.y, r.width, r.height].map(Math.round)] }))"""


def theme_requests(visit: Visit) -> list[str]:
    return [url for url in visit.requests if THEME_REQUESTS.search(url)]


def material_runs(page: Page) -> None:
    page.wait_for_function("document.documentElement.classList.contains('js')")


def hold_bundle(page: Page) -> list[Route]:
    """Material's script held on its way until the test lets it through (release())."""
    held: list[Route] = []
    page.route(BUNDLE, lambda route: held.append(route))
    return held


def release(page: Page, held: list[Route]) -> None:
    page.wait_for_timeout(0)  # the route handler runs while Playwright waits
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page asked for Material's script"
    assert "no-js" in page.evaluate("[...document.documentElement.classList]"), "... which has not run yet"
    for route in held:
        route.continue_()
    material_runs(page)


@pytest.mark.parametrize("kind", PAGES)
def test_no_theme_script_loads_before_the_reader_moves(kind: str, site_url: str, open_tab: OpenTab) -> None:
    """Loaded and idle, no interaction: no script requested, and the page shows what a reader needs, the search
    button and the palette toggle included."""
    visit = open_tab(site_url, PHONE)
    page = visit.open(PAGES[kind], wait_until="networkidle")
    page.wait_for_timeout(300)
    assert theme_requests(visit) == []
    assert page.evaluate("[...document.documentElement.classList]") == ["no-js", "fc-js"]
    expect(page.locator('label.md-header__button[for="__search"]')).to_be_visible()
    expect(page.locator("form[data-md-component=palette] label:not([hidden])")).to_have_count(1)
    assert_clean(visit)


@pytest.mark.parametrize("move", FIRST_MOVES)
def test_the_first_interaction_brings_the_theme_script(move: str, site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, DESKTOP)
    page = visit.open(PAGES["claim"], wait_until="networkidle")
    assert theme_requests(visit) == []
    FIRST_MOVES[move](page)
    material_runs(page)
    assert [url for url in visit.requests if BUNDLE.search(url)] != []
    assert_clean(visit)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("path", [PAGES["claim"], "data/"], ids=["claim", "tables"])
def test_nothing_moves_when_the_theme_script_arrives(path: str, viewport: dict, site_url: str,
                                                     open_tab: OpenTab) -> None:
    """Material's script starts the page's components late, once; the tables of a page (data/ has four) are in
    its scrolling boxes before it arrives and once after."""
    visit = open_tab(site_url, viewport)
    page = visit.open(path, wait_until="networkidle")
    before = page.evaluate(PLACES)
    page.mouse.move(viewport["width"] - 5, viewport["height"] - 5)
    material_runs(page)
    page.wait_for_timeout(300)  # Material's first frames
    assert page.evaluate(PLACES) == before
    boxes = page.evaluate("""() => [...document.querySelectorAll('.md-content table')].map(table =>
      table.closest('.md-typeset__scrollwrap') ? table.closest('.md-typeset__scrollwrap')
        .querySelectorAll('.md-typeset__scrollwrap').length + 1 : 0)""")
    assert set(boxes) <= {1}, f"each table in one scrolling box: {boxes}"
    assert_clean(visit)


def test_the_page_comes_alive_when_the_script_arrives_late(site_url: str, open_tab: OpenTab) -> None:
    """Material's components start on DOMContentLoaded, long past when its script arrives: the sidebar is sized
    to the window, and the header shows the page's title once its heading has scrolled away."""
    visit = open_tab(site_url, DESKTOP)
    page = visit.open(PAGES["source"], wait_until="networkidle")
    page.evaluate("scrollBy(0, 1200)")
    material_runs(page)
    expect(page.locator(".md-header__title")).to_have_class(re.compile(r"md-header__title--active"))
    assert page.locator(".md-sidebar--primary .md-sidebar__scrollwrap").evaluate("e => e.style.height") != ""
    assert_clean(visit)


def test_a_search_typed_before_the_script_arrives_is_searched(site_url: str, open_tab: OpenTab) -> None:
    """"/" opens the search and the words typed wait for the script: once it is there, they find the claim."""
    claim, word = a_word_only_one_claim_has()
    visit = open_tab(site_url, PHONE)
    page = visit.open(PAGES["verdict scale"], wait_until="networkidle")
    held = hold_bundle(page)
    page.keyboard.press("/")
    assert page.evaluate("document.getElementById('__search').checked")
    query = page.locator("[data-md-component=search-query]")
    expect(query).to_be_focused()
    query.press_sequentially(word)
    release(page, held)
    page.evaluate(RESULTS_SETTLED)
    expect(page.locator(".md-search-result__list > li").first).to_contain_text(claim.claim[:40])
    assert_clean(visit)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_toggle_works_before_the_script_arrives(scheme: str, site_url: str, open_tab: OpenTab) -> None:
    """The scheme changes at the tap, the script keeps it when it arrives, and the next page remembers it."""
    visit = open_tab(site_url, PHONE, scheme)
    page = visit.open(PAGES["home"], wait_until="networkidle")
    held = hold_bundle(page)
    shown = {"light": "default", "dark": "slate"}[scheme]
    other = {"default": "slate", "slate": "default"}[shown]
    assert page.evaluate("document.body.dataset.mdColorScheme") == shown
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == other
    expect(page.locator("form[data-md-component=palette] label:not([hidden])")).to_have_count(1)
    release(page, held)
    assert page.evaluate("document.body.dataset.mdColorScheme") == other
    page = visit.open(PAGES["claim"], wait_until="networkidle")
    assert page.evaluate("document.body.dataset.mdColorScheme") == other
    assert_clean(visit)
