"""Verdicts, evidence and source pages as a reader sees them in Chromium: each verdict's place on
the scale (on its claim page, in lists and in search results), its colours in the light and the
dark (Material's slate) scheme, target sizes on a phone, where a source's article starts on a
phone, the passage in focus after "Show in source", and where a highlighted passage leads."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from factcheck_site.content.verdict_scale import rated
from factcheck_site.render.groups import group_slug
from factcheck_site.render.markup import tone
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, Visit
from .test_site_in_browser import PAGES, SITE, assert_clean, search

OpenTab = Callable[..., Visit]
SHAPE = "e => getComputedStyle(e, '::before').maskImage"  # each verdict's shape, beside its label
SCHEMES = ["default", "slate"]
POINTS = rated(SITE.scale)


def a_claim_ruled(verdict_id: str) -> str:
    return next(c.id for c in SITE.claims_newest_first() if c.verdict == verdict_id)


RULED = sorted({c.verdict for c in SITE.claims.values()}, key=lambda v: -SITE.verdicts[v].rank)


def use_scheme(page: Page, scheme: str) -> None:
    """Material's colour scheme, as its palette toggle sets it (and the colours' transitions over)."""
    page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
    settle(page)


# Until the page's colour transitions have ended and it has stopped scrolling (a jump to a fragment, Material's own
# adjustments) for a few frames: however long that takes on a busy machine, where a fixed wait may be too short.
SETTLED = """() => new Promise(done => {
  getComputedStyle(document.body).color;  // the transitions of a change just made start now
  Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => {})))
    .then(() => {
      let last = null, still = 0;
      const frame = () => {
        still = scrollY === last ? still + 1 : 0;
        last = scrollY;
        still >= 5 ? done() : requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
})"""


def settle(page: Page) -> None:
    page.evaluate(SETTLED)


# Colours as the browser resolved them (rgb(), color(srgb ...), with alpha), composited over what is
# behind them, and the WCAG contrast ratio of two of them.
COLOURS = """
(() => {
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = css => {
    context.clearRect(0, 0, 1, 1); context.fillStyle = '#000'; context.fillStyle = css; context.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data; return [r, g, b, a / 255];
  };
  const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = element => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  window.fcContrast = element => {
    const back = background(element), text = over(rgba(getComputedStyle(element).color), back);
    const [a, b] = [luminance(text), luminance(back)].sort((x, y) => y - x);
    return {ratio: (a + 0.05) / (b + 0.05), background: back.slice(0, 3), text: text.slice(0, 3)};
  };
})()
"""


def contrast(page: Page, selector: str) -> list[dict]:
    page.evaluate(COLOURS)
    return page.locator(selector).evaluate_all(
        "elements => elements.map(e => ({label: e.textContent.trim(), ...fcContrast(e)}))")


def lab(rgb: list[float]) -> tuple[float, float, float]:
    def linear(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb)
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("verdict_id", RULED)
def test_the_claim_page_meter_marks_the_verdicts_place_on_the_scale(verdict_id: str, site_url: str,
                                                                       open_tab: OpenTab) -> None:
    verdict = SITE.verdicts[verdict_id]
    visit = open_tab(site_url, PHONE)
    page = visit.open(f"claims/{a_claim_ruled(verdict_id)}/")
    meter = page.locator(".fc-verdict .fc-meter")
    expect(meter).to_have_attribute("role", "img")
    where = f"point {POINTS.index(verdict) + 1} of {len(POINTS)}" if verdict in POINTS else "not rated"
    assert (meter.get_attribute("aria-label") or "").startswith(f"{verdict.label}: {where}")
    steps = meter.locator(".fc-meter__step")
    expect(steps).to_have_count(len(POINTS))
    boxes = [steps.nth(i).bounding_box() for i in range(len(POINTS))]
    assert all(a["x"] + a["width"] <= b["x"] for a, b in zip(boxes, boxes[1:], strict=False)), "worst first"
    here = meter.locator(".fc-meter__step--here")
    expect(here).to_have_count(1)
    if verdict in POINTS:
        index = POINTS.index(verdict)
        expect(steps.nth(index)).to_have_class(f"fc-meter__step fc-tone-{tone(verdict, SITE.scale)} "
                                               "fc-meter__step--here")
        mark = here.bounding_box()
        assert mark == boxes[index] and mark["height"] > min(b["height"] for b in boxes) - 1
    else:  # off the scale: beside it, not at its bottom
        assert "fc-meter__off" in (here.get_attribute("class") or "")
        assert here.bounding_box()["x"] >= boxes[-1]["x"] + boxes[-1]["width"]
    assert_clean(visit)


# The list of a verdict on the scale that some claim has (an unrated one would show no pips).
RATED = next(c.verdict for c in SITE.claims_newest_first() if SITE.verdicts[c.verdict].rank > 0)
LISTS = {"home": "", "archive": "archive/", "verdict": f"verdicts/{RATED}/",
         "tag": f"tags/{group_slug(SITE.claims_newest_first()[0].tags[0])}/",
         "claimant": f"claimants/{group_slug(SITE.claims_newest_first()[0].claimant)}/"}


@pytest.mark.parametrize("name", list(LISTS))
def test_lists_show_each_verdict_as_a_badge_with_its_shape_and_place(name: str, site_url: str,
                                                                      open_tab: OpenTab) -> None:
    visit = open_tab(site_url)
    page = visit.open(LISTS[name])
    items = page.locator(".fc-list .fc-item:not(.fc-item--grouped)")  # grouped ones are under their verdict
    assert items.count() > 0
    for i in range(items.count()):
        item = items.nth(i)
        claim_id = item.locator(".fc-item__claim").get_attribute("href").rstrip("/").split("/")[-1]
        verdict = SITE.verdicts[SITE.claims[claim_id].verdict]
        badge = item.locator(".fc-badge")
        expect(badge).to_have_text(verdict.label)
        assert badge.evaluate(SHAPE).startswith('url("data:image/svg+xml'), "a shape, drawn without a request"
        expect(badge.locator("*")).to_have_count(0)  # the label alone: no second meter
    assert_clean(visit)


def test_search_results_show_each_claims_badge(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    page = visit.open("")
    search(page, "sappers")
    results = page.locator(".md-search-result__list > li")
    expect(results.first).to_be_visible()
    shown = 0
    for i in range(results.count()):
        href = (results.nth(i).get_by_role("link").first.get_attribute("href") or "").split("?")[0]
        if "/claims/" not in href:
            continue
        verdict = SITE.verdicts[SITE.claims[href.rstrip("/").split("/")[-1]].verdict]
        badge = results.nth(i).locator(".fc-badge")
        expect(badge).to_have_text(verdict.label)
        expect(badge).to_have_class(f"fc-badge fc-tone-{tone(verdict, SITE.scale)}")
        shown += 1
    assert shown >= 3
    assert_clean(visit)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_verdict_has_its_own_colour_and_readable_text(scheme: str, site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url)
    page = visit.open("verdicts/")
    use_scheme(page, scheme)
    badges = contrast(page, ".fc-scale__item h2 .fc-badge")
    assert [b["label"] for b in badges] == [v.label for v in POINTS[::-1]] + \
        [v.label for v in SITE.scale if v not in POINTS]
    for badge in badges:
        assert badge["ratio"] >= 4.5, (scheme, badge)
    shapes = page.locator(".fc-scale__item h2 .fc-badge").evaluate_all(f"elements => elements.map({SHAPE})")
    assert len(set(shapes)) == len(badges), "a shape of its own for each verdict, so it reads without colour"
    colours = {b["label"]: lab(b["background"]) for b in badges}
    for one in colours:
        for other in colours:
            if one < other:
                assert math.dist(colours[one], colours[other]) >= 20, (scheme, one, other, "too alike")
    for path, selector in (("", ".fc-chip"), ("", ".fc-item .fc-badge"),
                           (f"claims/{a_claim_ruled(RULED[0])}/", ".fc-verdict p"),
                           (f"claims/{a_claim_ruled(RULED[-1])}/", ".fc-verdict p, .fc-meter__step--here"),
                           (PAGES["claim"], ".fc-quote blockquote p, .fc-quote figcaption, .fc-quote__note")):
        page = visit.open(path)
        use_scheme(page, scheme)
        for found in contrast(page, selector):
            assert found["ratio"] >= 4.5, (scheme, path, found)
    assert_clean(visit)


def test_quotes_outrank_the_notes_about_them(site_url: str, open_tab: OpenTab) -> None:
    """The quoted words at full strength, the note beneath them quieter; citations readable on a phone."""
    visit = open_tab(site_url, PHONE)
    page = visit.open(PAGES["claim"])
    style = "e => { const s = getComputedStyle(e); return {size: parseFloat(s.fontSize), weight: +s.fontWeight, " \
        "colour: s.color, italic: s.fontStyle === 'italic'}; }"
    quote = page.locator(".fc-quote blockquote p").first.evaluate(style)
    note = page.locator(".fc-quote__note").first.evaluate(style)
    caption = page.locator(".fc-quote figcaption").first.evaluate(style)
    main = page.locator(".fc-verdict__summary").evaluate(style)
    assert quote["colour"] == main["colour"], "quotes in the main text colour"
    assert note["size"] < quote["size"] and note["weight"] <= quote["weight"] and note["colour"] != quote["colour"]
    expect(page.locator(".fc-quote__note strong")).to_have_count(0)
    assert caption["size"] >= 14 and not caption["italic"]
    assert_clean(visit)


def test_targets_are_at_least_24px_on_a_phone(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    for path, selector in ((PAGES["source"], ".fc-refs a"), ("", ".fc-chip"),
                           (PAGES["claim"], ".fc-verdict__label a.fc-badge")):
        boxes = visit.open(path).locator(selector).evaluate_all(
            "elements => elements.map(e => { const r = e.getBoundingClientRect(); "
            "return [e.textContent, r.width, r.height]; })")
        assert boxes, (path, selector)
        small = [box for box in boxes if box[1] < 24 or box[2] < 24]
        assert small == [], (path, small[:5])
    assert_clean(visit)


def test_a_sources_article_comes_first_on_a_phone(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    page = visit.open(PAGES["source"])
    top = page.locator(".fc-snapshot").evaluate("e => e.getBoundingClientRect().top + scrollY")
    assert top < 900, top
    assert page.locator("#cited-by").bounding_box()["y"] > page.locator(".fc-snapshot").bounding_box()["y"]
    visit = open_tab(site_url, DESKTOP)  # beside the text on a wide screen
    page = visit.open(PAGES["source"])
    text, cited = page.locator(".fc-source__text").bounding_box(), page.locator(".fc-source__cited").bounding_box()
    assert text["x"] + text["width"] <= cited["x"] and abs(text["y"] - cited["y"]) < 2
    assert_clean(visit)


def follow(visit: Visit, start: str, link: str, lands_on: str) -> Page:
    """Open a page, select the first link matching the selector, and wait for the page it leads to."""
    page = visit.open(start)
    page.locator(link).first.click()
    page.wait_for_url(lands_on)
    settle(page)  # the jump to the fragment
    return page


def in_view(page: Page, selector: str) -> bool:
    """Whether the element is whole in the window, below the fixed header."""
    return page.locator(selector).first.evaluate("""e => {
      const box = e.getBoundingClientRect(), header = document.querySelector('.md-header').getBoundingClientRect();
      return header.bottom <= box.top && box.bottom <= innerHeight;
    }""")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_show_in_source_puts_the_quoted_passage_in_focus(viewport: dict, site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, viewport)
    page = follow(visit, PAGES["claim"], ".fc-quote__in-source", "**/sources/**#q-*")
    target = ".fc-anchor:target ~ mark"  # the first mark after the anchor is the quoted passage
    found = page.locator(target).first.evaluate("""mark => {
      const others = [...document.querySelectorAll('.fc-snapshot mark')].filter(m => m !== mark);
      const style = getComputedStyle(mark);
      return {outline: parseFloat(style.outlineWidth), background: style.backgroundColor,
              others: [...new Set(others.map(m => getComputedStyle(m).backgroundColor))]};
    }""")
    assert found["outline"] >= 2
    assert found["others"] == ["rgba(0, 0, 0, 0)"] and found["background"] != "rgba(0, 0, 0, 0)", found
    assert in_view(page, target), "the passage is in view"
    assert_clean(visit)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_highlighted_passage_leads_to_the_claims_verdict(viewport: dict, site_url: str,
                                                           open_tab: OpenTab) -> None:
    visit = open_tab(site_url, viewport)
    page = follow(visit, PAGES["source"], ".fc-snapshot mark a", "**/claims/**#verdict")
    assert in_view(page, ".fc-verdict__label") and in_view(page, ".fc-verdict .fc-meter")
    assert_clean(visit)
