"""The frame around the pages, as a reader meets it in Chromium (output/reader_frame.py): breadcrumbs
and the current tab on generated pages, where to report an error or suggest a claim, the colour
scheme following the system's, and the page for an address that does not exist."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from building import load
from conftest import ROOT, SITE_URL, copy_project, mkdocs_build
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, Visit, serve
from .test_site_in_browser import a_word_only_one_claim_has

OpenTab = Callable[..., Visit]
SITE = load(ROOT / "claims", ROOT / "sources", ROOT)[0]
CLAIM = SITE.claims["deployment-lasted-120-days"]
REPOSITORY = "https://github.com/factcheck-test/kursk-desk"
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


def test_without_a_repository_the_correction_link_leads_to_how_to_report(site_url: str, open_tab: OpenTab) -> None:
    """This desk has no public repository yet: the link says how to report, and goes nowhere made up."""
    visit = open_tab(site_url, PHONE)
    page = visit.open(f"claims/{CLAIM.id}/")
    link = page.get_by_role("complementary", name="Corrections").get_by_role("link")
    expect(link).to_have_text("How to report an error")
    link.click()
    page.wait_for_url(re.compile(r"/corrections-policy/#how-to-report-an-error$"))
    expect(page.locator("h2#how-to-report-an-error")).to_be_in_viewport()
    suggest = visit.open("").locator(".fc-footer-nav").get_by_role("link", name="Suggest a claim to check")
    assert suggest.get_attribute("href") == "corrections-policy/#how-to-report-an-error"
    assert visit.foreign_requests() == []


@pytest.fixture(scope="module")
def github_desk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site once its repository is public on GitHub (repo_url set, everything else the default)."""
    project = copy_project(tmp_path_factory.mktemp("github-desk") / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\ntheme:", f"\nrepo_url: {REPOSITORY}\n\ntheme:", 1),
                      encoding="utf-8")
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    yield from serve(site)


def test_with_a_github_repository_the_correction_link_opens_the_prefilled_form(github_desk_url: str,
                                                                                open_tab: OpenTab) -> None:
    visit = open_tab(github_desk_url, DESKTOP)
    page = visit.open(f"claims/{CLAIM.id}/")
    link = page.get_by_role("complementary", name="Corrections").get_by_role("link")
    expect(link).to_have_text("Suggest a correction")
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
    suggest = urlsplit(page.locator(".fc-footer-nav").get_by_role("link", name="Suggest a claim to check")
                       .get_attribute("href"))
    assert parse_qs(suggest.query)["template"] == ["suggest-claim.yml"]
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-claim.yml").is_file()
    assert visit.foreign_requests() == [], "nothing is loaded from GitHub until the reader follows the link"


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
