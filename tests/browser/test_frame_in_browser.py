"""The frame around the pages, as a reader meets it in Chromium (output/reader_frame.py): breadcrumbs
and the current tab on generated pages, where to report an error or suggest a claim, the colour
scheme following the system's, and the page for an address that does not exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from building import load
from conftest import REPOSITORY, ROOT, SITE_URL
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, Visit
from .test_site_in_browser import a_word_only_one_claim_has

OpenTab = Callable[..., Visit]
SITE = load(ROOT / "claims", ROOT / "sources", ROOT)[0]
CLAIM = SITE.claims["deployment-lasted-120-days"]
# Generated pages, none in the nav: (kind, path, breadcrumbs after Home, the tab marked current).
GENERATED = [
    ("claim", f"claims/{CLAIM.id}/", ["All fact-checks"], "All fact-checks"),
    ("source", "sources/dprk-soldiers-return-home/", ["Browse", "By source"], "Browse"),
    ("claimant", "claimants/calitoday/", ["Browse", "By claimant"], "Browse"),
    ("tag", "tags/timeline/", ["Browse", "By tag"], "Browse"),
    ("verdict", "verdicts/unverified/", ["Verdict scale"], "Verdict scale"),
]


def form_fields(name: str) -> set[str]:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    return {item["id"] for item in form["body"] if "id" in item}


@pytest.mark.parametrize(("kind", "path", "crumbs", "tab"), GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_pages_have_breadcrumbs_and_mark_their_tab(kind: str, path: str, crumbs: list[str], tab: str,
                                                             site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, DESKTOP)
    page = visit.open(path)
    trail = page.get_by_role("navigation", name="Breadcrumbs")
    expect(trail.get_by_role("listitem")).to_have_text(["Home", *crumbs])
    expect(page.locator(".md-tabs__item--active")).to_have_text(tab)
    # The last crumb leads to the listing, whose own tab is then the current one.
    trail.get_by_role("link").last.click()
    page.wait_for_load_state()
    expect(page.locator(".md-tabs__item--active")).to_have_text(tab)
    assert visit.console_errors == [] and visit.page_errors == []


def test_breadcrumbs_lead_home_on_a_phone(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    page = visit.open(f"claims/{CLAIM.id}/")
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Home").click()
    page.wait_for_url(site_url)
    expect(page.locator(".fc-latest")).to_be_visible()


def test_the_error_link_opens_the_repositorys_prefilled_form(site_url: str, open_tab: OpenTab) -> None:
    """The site as the publishing workflow builds it: repo_url is the (public) repository it is published from."""
    visit = open_tab(site_url, DESKTOP)
    page = visit.open(f"claims/{CLAIM.id}/")
    link = page.get_by_role("complementary", name="Corrections").get_by_role("link")
    expect(link).to_have_text("Report an error")
    url = urlsplit(link.get_attribute("href"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPOSITORY}/issues/new"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query == {"template": "correction.yml", "title": f"Correction: {CLAIM.claim}",
                     "claim_url": f"{SITE_URL}claims/{CLAIM.id}/", "claim": CLAIM.claim}
    assert set(query) - {"template", "title"} <= form_fields("correction.yml")
    # The repository is for the desk: readers get no repository badge and no edit pencil.
    expect(page.locator(".md-source")).to_have_count(0)
    expect(page.locator(".md-content__button")).to_have_count(0)
    expect(page.locator(".md-header__source")).to_be_hidden()
    suggest = urlsplit(page.locator(".fc-footer-nav").get_by_role("link", name="Suggest a claim")
                       .get_attribute("href"))
    assert parse_qs(suggest.query)["template"] == ["suggest-claim.yml"]
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-claim.yml").is_file()
    home = visit.open("").get_by_role("complementary", name="Suggestions").get_by_role("link")
    expect(home).to_have_text("Suggest a claim")
    assert visit.foreign_requests() == [], "nothing is loaded from GitHub until the reader follows the link"


def test_the_desks_own_mark_and_colours_not_the_themes(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, DESKTOP)
    page = visit.open("")
    logo = page.locator(".md-header .md-logo img")
    expect(logo).to_have_attribute("src", re.compile(r"assets/logo\.svg$"))
    assert page.locator("link[rel=icon]").get_attribute("href").endswith("assets/logo.svg")
    header = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(29, 53, 87)", "organization.colour, not Material's indigo rgb(64, 81, 181)"
    ink = page.locator(".md-content h1").first.evaluate("e => getComputedStyle(e).color")
    red, green, blue = map(int, re.findall(r"\d+", ink)[:3])
    assert max(red, green, blue) < 40, f"near-black headlines, not Material's grey: {ink}"
    expect(page.locator(".fc-masthead__name")).to_have_text("Kursk Fact-Check Desk")
    assert visit.foreign_requests() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_colour_scheme_follows_the_system_setting(scheme: str, site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE, scheme)
    page = visit.open(f"claims/{CLAIM.id}/")
    expected = {"light": "default", "dark": "slate"}[scheme]
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = map(int, re.findall(r"\d+", background)[:3])
    assert (red + green + blue < 3 * 80) == (scheme == "dark"), background
    # The toggle in the header switches to the other scheme.
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") != expected


def test_the_scheme_is_right_before_the_theme_script_runs(site_url: str, open_tab: OpenTab) -> None:
    """No light flash for a reader in dark mode: the scheme is set before the page is drawn."""
    visit = open_tab(site_url, DESKTOP, "dark")
    visit.page.route(re.compile(r"/bundle\.[0-9a-f]+\.min\.js$"), lambda route: route.abort())
    assert visit.open("archive/").evaluate("document.body.dataset.mdColorScheme") == "slate"


def test_a_missing_page_offers_search_and_the_way_back(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, PHONE)
    response = visit.page.goto(site_url + "claims/no-such-claim/")
    assert response is not None and response.status == 404
    page = visit.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title("Page not found - Kursk Fact-Check Desk")
    links = page.locator(".fc-lost a")
    expect(links).to_have_text(["The latest fact-checks", "All fact-checks, newest first", "What our verdicts mean"])
    claim, word = a_word_only_one_claim_has()
    page.get_by_label("Search the fact-checks").fill(word)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".md-search-result__list > li").first).to_contain_text(claim.claim[:40])
    visit.page.goto(site_url + "claims/no-such-claim/")
    page.locator(".fc-lost a").nth(2).click()
    page.wait_for_url(f"{site_url}verdicts/")
    assert visit.page_errors == [] and visit.foreign_requests() == []


def test_no_generator_line_and_specifications_in_the_footer(site_url: str, open_tab: OpenTab) -> None:
    visit = open_tab(site_url, DESKTOP)
    page = visit.open("")
    expect(page.locator(".md-footer")).not_to_contain_text("Made with")
    expect(page.locator(".md-tabs")).not_to_contain_text("Data and feeds")
    page.locator(".fc-footer-nav").get_by_role("link", name="Data and feeds").click()
    page.wait_for_url(f"{site_url}data/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_verdict_scale_opens_with_meanings_not_jargon(site_url: str, open_tab: OpenTab) -> None:
    page = open_tab(site_url, PHONE).open("verdicts/")
    intro = page.locator("article p").first.inner_text()
    assert "ratingValue" not in intro and "worstRating" not in intro
