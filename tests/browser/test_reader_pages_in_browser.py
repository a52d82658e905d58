"""The pages a reader reads, in Chromium (issue 25): evidence in a colour scheme of its own, never a verdict's;
no ¶ beside headings; the claim, who made it and when, the verdict and why above the fold on a phone; stances
told by words and icons; and no link on a reading page that leads nowhere."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urldefrag, urlsplit

import pytest
import yaml
from conftest import REPOSITORY, ROOT
from playwright.sync_api import Page, expect

from .conftest import AXE, DESKTOP, PHONE, Visit, axe_violations
from .test_site_in_browser import PAGES, SITE, assert_clean, search
from .test_verdicts_in_browser import contrast, lab, use_scheme

OpenTab = Callable[..., Visit]
READING = {"home": "", "claim": PAGES["claim"], "source": PAGES["source"], "who said what": "who-said-what/",
           "archive": "archive/", "not found": "404.html"}


def _claim_with_every_stance() -> str:
    return next(c.id for c in SITE.claims_newest_first() if {q.stance for q in c.quotes} == {"supports", "contradicts",
                                                                                             "context"})


RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)")


def _rgb(css: str) -> list[float] | None:
    match = RGB.fullmatch(css)
    if match is None or (match[4] is not None and float(match[4]) == 0):
        return None  # transparent: no colour shown
    return [float(match[i]) for i in (1, 2, 3)]


EVIDENCE_COLOURS = """selector => [...document.querySelectorAll(selector)].flatMap(e => {
  const s = getComputedStyle(e), before = getComputedStyle(e, '::before');
  return [s.borderTopColor, s.borderLeftColor, s.color, before.backgroundColor].map(c => [e.className, c]);
})"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_evidence_colours_are_never_verdict_colours(scheme: str, site_url: str, open_tab: OpenTab) -> None:
    """Green and red are True and False: a quote that backs a false claim must not wear True's colour."""
    visit = open_tab(site_url)
    page = visit.open("verdicts/")
    use_scheme(page, scheme)
    verdicts = {b["label"]: lab(b["background"]) for b in contrast(page, ".fc-scale__item h2 .fc-badge")}
    assert len(verdicts) == len(SITE.scale)
    shown: dict[tuple[str, ...], str] = {}
    for path, selector in ((f"claims/{_claim_with_every_stance()}/",
                            ".fc-stance, .fc-stance__heading, .fc-quote blockquote"),
                           ("who-said-what/#table", ".fc-wsw__stance, .fc-wsw__icon"),
                           ("who-said-what/?view#by-claim", ".fc-wsw__group, .fc-wsw__group .fc-wsw__icon")):
        page = visit.open(path)
        use_scheme(page, scheme)
        for where, css in page.evaluate(EVIDENCE_COLOURS, selector):
            rgb = _rgb(css)
            if rgb is not None and css not in shown.values():
                shown[(path, where, css)] = css
    assert len(shown) >= 2, shown
    for (path, where, css) in shown:
        colour = lab(_rgb(css) or [])
        for label, verdict in verdicts.items():
            assert math.dist(colour, verdict) >= 20, (scheme, path, where, css, f"too close to {label}")
    assert_clean(visit)


def test_stances_read_without_colour(site_url: str, open_tab: OpenTab) -> None:
    """Each stance has its words and an icon of its own, and a line of its own style above its column."""
    visit = open_tab(site_url)
    page = visit.open(f"claims/{_claim_with_every_stance()}/")
    headings = page.locator(".fc-stance__heading")
    expect(headings).to_have_count(3)
    texts = [re.sub(r"\s*\(\d+\)$", "", t) for t in headings.all_inner_texts()]
    assert texts == ["Backs the claim", "Goes against it", "Context"]
    icons = headings.evaluate_all("hs => hs.map(h => getComputedStyle(h, '::before').maskImage)")
    assert len(set(icons)) == 3 and all(icon.startswith('url("data:image/svg+xml') for icon in icons)
    lines = page.locator(".fc-stance").evaluate_all("ss => ss.map(s => getComputedStyle(s).borderTopStyle)")
    assert len(set(lines)) == 3, lines
    assert_clean(visit)


@pytest.mark.parametrize("name", list(READING))
def test_no_pilcrow_beside_headings(name: str, site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, DESKTOP)
    page = visit.open(READING[name])
    for heading in page.locator(".md-content :is(h1, h2, h3)").all():
        heading.hover()
        assert "¶" not in heading.inner_text(), (name, heading.inner_text())
    visible = page.locator(".md-content .headerlink").evaluate_all(
        "links => links.filter(a => getComputedStyle(a).display !== 'none').length")
    assert visible == 0 and "¶" not in page.locator(".md-content").inner_text()
    assert_clean(visit)


BOTTOM = """e => { const r = document.createRange(); r.selectNodeContents(e);
  const lines = [...r.getClientRects()]; return {top: lines[0].top + scrollY, first: lines[0].bottom + scrollY,
  bottom: e.getBoundingClientRect().bottom + scrollY}; }"""


def test_the_claim_and_its_verdict_are_above_the_fold_on_a_phone(site_url: str, open_tab: OpenTab) -> None:
    """On every claim page at 390 x 844: the claim, who made it and when, the verdict and the first line of why,
    without scrolling; the byline and dates under the headline."""
    visit = open_tab(site_url, PHONE)
    fold = PHONE["height"]
    for claim in SITE.claims_newest_first():
        page = visit.open(f"claims/{claim.id}/")
        headline, claimant = page.locator("h1#claim").evaluate(BOTTOM), page.locator(".fc-claimant").evaluate(BOTTOM)
        verdict = page.locator(".fc-verdict__label .fc-badge").evaluate(BOTTOM)
        reason = page.locator(".fc-verdict__summary").evaluate(BOTTOM)
        byline = page.locator(".fc-byline").evaluate(BOTTOM)
        assert max(headline["bottom"], claimant["bottom"], verdict["bottom"], reason["first"]) <= fold, (
            claim.id, headline, claimant, verdict, reason)
        assert headline["bottom"] <= byline["top"] <= claimant["top"], (claim.id, "the byline under the headline")
        if claim.claim_date:
            expect(page.locator(".fc-claimant time")).to_have_attribute("datetime", claim.claim_date.isoformat())
        expect(page.locator(".fc-verdict__label .fc-pips, .fc-pips")).to_have_count(0)  # one meter, not two
        expect(page.locator(".fc-verdict .fc-meter")).to_have_count(1)
    assert_clean(visit)


def _form_fields(name: str) -> set[str]:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    return {item["id"] for item in form["body"] if "id" in item}


LINKS = """() => [...document.querySelectorAll('a[href]')].filter(a => a.getClientRects().length
  || a.closest('.md-search, .md-nav, .md-tabs, .md-header') === null).map(a => a.href)"""


def test_no_link_on_a_reading_page_leads_nowhere(site_url: str, open_tab: OpenTab) -> None:
    """Every link on the reading pages resolves: pages of the site answer, fragments exist, and the routes to
    the desk are its repository's issue forms, with the fields the forms have."""
    visit = open_tab(site_url, DESKTOP)
    checked: dict[str, set[str]] = {}
    routes = 0
    for path in READING.values():
        page = visit.open(path)
        for href in page.evaluate(LINKS):
            url, fragment = urldefrag(href)
            if url.startswith(site_url):
                checked.setdefault(url, set()).update([fragment] if fragment else [])
                continue
            parts = urlsplit(href)
            assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPOSITORY}/issues/new", (path, href)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            assert (ROOT / ".github" / "ISSUE_TEMPLATE" / query["template"]).is_file(), href
            assert set(query) - {"template", "title"} <= _form_fields(query["template"]), href
            routes += 1
    assert routes >= 2, "Report an error and Suggest a claim"
    for url, fragments in checked.items():
        response = visit.page.request.get(url)
        assert response.ok, (url, response.status)
        if fragments and "text/html" in response.headers.get("content-type", ""):
            ids = set(re.findall(r'\bid="([^"]+)"', response.text()))
            assert fragments <= ids, (url, fragments - ids)
    assert_clean(visit)


def test_search_speaks_of_results_not_documents(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    page = visit.open("")
    search(page, "sappers")
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(re.compile(r"^\d+ results?$"))
    text = page.locator(".md-search").inner_text()
    assert not re.search(r"\b(documents?|snapshots?|builds?|pull requests?)\b", text, re.IGNORECASE), text
    assert_clean(visit)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_with_search_open_and_the_other_views(
        scheme: str, site_url: str, open_tab: OpenTab) -> None:
    """The kinds of page test_site_in_browser does not open: search with its results, who said what as a table
    on a phone and as a list on a desktop."""
    assert AXE.is_file()
    for viewport, path in ((PHONE, "who-said-what/#table"), (DESKTOP, "who-said-what/#by-claim")):
        page = open_tab(site_url, viewport, scheme).open(path)
        assert axe_violations(page) == [], (scheme, path)
    for viewport in (DESKTOP, PHONE):
        page: Page = open_tab(site_url, viewport, scheme).open("")
        search(page, "sappers")
        expect(page.locator(".md-search-result__list > li").first).to_be_visible()
        assert axe_violations(page) == [], (scheme, viewport, "search")


def test_measure_of_the_reading_pages(site_url: str, open_tab: OpenTab) -> None:
    """Lines of at most about 75 characters in the claim's reasoning and the source's text at 1280 px."""
    visit = open_tab(site_url, DESKTOP)
    for path, selector in ((PAGES["claim"], ".fc-verdict__summary, .fc-analysis p"),
                           (PAGES["source"], ".fc-snapshot p"), ("", ".fc-home > p")):
        page = visit.open(path)
        widest = page.locator(selector).evaluate_all("""ps => Math.max(...ps.map(p => {
          const s = getComputedStyle(p), c = document.createElement('canvas').getContext('2d');
          c.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
          const text = p.textContent.replace(/\\s+/g, ' ').trim();
          return p.getBoundingClientRect().width / (c.measureText(text).width / text.length);
        }))""")
        assert widest <= 78, (path, selector, widest)
    assert_clean(visit)
