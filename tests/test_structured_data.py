"""Claim pages carry exactly one schema.org ClaimReview and link-preview meta, and both say
what the page shows. Read from the HTML of real `mkdocs build --strict` builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import load
from conftest import ROOT, SITE_URL
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.render.share_card import drawable
from factcheck_site.render.structured_data import script_json
from PIL import Image


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def claim_pages(site: Path) -> list[Path]:
    pages = sorted((site / "claims").glob("*/index.html"))
    assert pages, "no claim pages were built"
    return pages


def claim_reviews(page: BeautifulSoup) -> list[dict]:
    found = []
    for script in page.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        if data.get("@type") == "ClaimReview":
            found.append(data)
    return found


def visible_text(element) -> str:
    return words(element.get_text(" "))


def words(text: str) -> str:
    """Text as a reader sees it: runs of white space (line separators too) are one space."""
    return " ".join(text.split())


def scale_ratings(site: Path) -> dict[str, int]:
    """{verdict label: rating} as published on the verdict scale page."""
    page = soup(site / "verdicts" / "index.html")
    ratings = {}
    for item in page.select(".fc-scale__item"):
        ratings[item.select_one("h2 .fc-badge").get_text(strip=True)] = int(item.select_one("data.fc-rating")["value"])
    return ratings


@pytest.fixture(scope="module", params=["repository", "rich"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("built_site" if request.param == "repository" else "rich_site")


@pytest.fixture(scope="module")
def sources_by_title(rich_project: Path) -> dict:
    loaded, problems = load(rich_project / "claims", rich_project / "sources", rich_project)
    assert problems == []
    return {s.title: s for s in loaded.sources.values()}


def test_every_claim_page_has_exactly_one_complete_claimreview(site: Path) -> None:
    ratings = scale_ratings(site)
    worst, best = min(r for r in ratings.values() if r > 0), max(ratings.values())
    for path in claim_pages(site):
        page = soup(path)
        reviews = claim_reviews(page)
        assert len(reviews) == 1, path
        review = reviews[0]
        assert review["@context"] == "https://schema.org"
        canonical = page.find("link", rel="canonical")["href"]
        assert review["url"] == canonical == SITE_URL + path.parent.relative_to(site).as_posix() + "/"

        assert words(review["claimReviewed"]) == visible_text(page.select_one("h1.fc-claim__text"))
        rating = review["reviewRating"]
        shown_label = page.select_one(".fc-verdict__label .fc-badge").get_text(strip=True)
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == shown_label
        if ratings[shown_label] == 0:
            assert not {"ratingValue", "bestRating", "worstRating"} & rating.keys(), "an unrated verdict has no number"
        else:
            assert rating["ratingValue"] == ratings[shown_label], "the rating must be the one on the verdict scale page"
            assert (rating["worstRating"], rating["bestRating"]) == (worst, best)
            assert worst <= rating["ratingValue"] <= best
        assert words(rating["ratingExplanation"]) == visible_text(page.select_one(".fc-verdict__summary"))

        author = review["author"]
        assert author["@type"] == "Organization" and author["name"] == "Kursk Fact-Check Desk"
        assert author["url"] == SITE_URL
        assert author["logo"] == SITE_URL + "assets/logo.svg"
        assert author["correctionsPolicy"] == SITE_URL + "corrections-policy/"
        assert author["publishingPrinciples"] == SITE_URL + "methodology/"

        byline = page.select_one(".fc-byline")
        published = byline.find(string=lambda s: "Published" in s).find_next("time")["datetime"]
        assert review["datePublished"] == published
        assert review["dateModified"] == byline.select_one(".fc-last-changed time")["datetime"]

        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        via = page.select_one(".fc-claimant__via")
        shown = visible_text(page.select_one(".fc-claimant__name"))
        if via is None and not shown.startswith("the article"):
            assert item["author"]["@type"] in ("Person", "Organization")
            assert words(item["author"]["name"]) == shown
        else:  # known through one article, or the article's own: never more than the page can say of who made it
            relay = visible_text(via) if via is not None else shown
            assert "author" not in item if relay.startswith("the article") else (
                item["author"] == {"@type": "Organization", "name": relay})
        times = page.select_one(".fc-claimant").find_all("time")
        first = item.get("firstAppearance", {})
        # The claim's own date, as the page shows it, or none: never an article's date in its place.
        assert item.get("datePublished") == (times[0]["datetime"] if times else None)
        shown_originals = [a["href"] for a in page.select(".fc-appeared a.fc-appearance")]
        appearances = item.get("appearance", [])
        assert [a["url"] for a in appearances if "url" in a] == shown_originals
        appeared_in_links = page.select(".fc-appeared li > a:not(.fc-appearance)")
        shown_appeared_in = [a.get_text() for a in appeared_in_links]
        assert [a["headline"] for a in appearances] == shown_appeared_in
        assert not first or first in appearances


def test_appearances_are_the_original_urls_of_appeared_in_sources(rich_site: Path, sources_by_title: dict) -> None:
    review = claim_reviews(soup(rich_site / "claims" / "deployment-lasted-120-days" / "index.html"))[0]
    [appearance] = review["itemReviewed"]["appearance"]
    source = sources_by_title[appearance["headline"]]
    assert appearance["url"] == source.url == "https://news.example.com/calitoday-unimaginable-burdens#story"
    assert appearance["publisher"]["name"] == "CaliToday"


def test_person_claimant_and_hostile_text_survive_as_data_not_markup(rich_site: Path) -> None:
    page_html = (rich_site / "claims" / "hostile-claim" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(page_html, "html.parser")
    [review] = claim_reviews(page)
    assert review["claimReviewed"].startswith("Kim said </script><script>alert('claim')</script> & <!--")
    assert review["claimReviewed"].endswith("😀")
    assert review["itemReviewed"]["author"] == {"@type": "Organization",
                                                "name": "Kim Jong Un </title><script>alert('claimant')</script>"}
    assert "\u2028" in review["reviewRating"]["ratingExplanation"]
    others = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    assert not any("alert(" in (s.string or "") for s in others), "editor text reached a script"
    assert page.find(attrs={"onerror": True}) is None and page.find("img", src="x") is None
    assert "</script><script>alert" not in page_html
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Mostly true: \"><img src=x onerror=alert('summary')>")


def test_script_json_cannot_end_its_element() -> None:
    text = script_json({"a": "</script><!-- & -->", "b": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->", "b": "\u2028"}


def test_social_cards_use_the_claim_and_the_verdict(site: Path) -> None:
    def meta_of(page: BeautifulSoup, key: str) -> str:
        tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
        assert tag is not None, f"no {key}"
        return tag["content"]

    for path in claim_pages(site):
        page = soup(path)

        def meta(key: str, page: BeautifulSoup = page) -> str:
            return meta_of(page, key)

        claim = visible_text(page.select_one("h1.fc-claim__text"))
        description = (page.select_one(".fc-verdict__label .fc-badge").get_text(strip=True) + ": "
                       + visible_text(page.select_one(".fc-verdict__summary")))
        assert words(meta("og:title")) == words(meta("twitter:title")) == claim
        assert words(meta("og:description")) == words(meta("twitter:description")) == description
        assert words(meta("description")) == description
        assert meta("og:url") == page.find("link", rel="canonical")["href"]
        assert meta("og:type") == "article" and meta("twitter:card") == "summary_large_image"
        assert meta("og:site_name") == "Kursk Fact-Check Desk"
        # The preview's picture: the claim's own card, a file of the site, 1200 x 630, as the meta say.
        image = meta("og:image")
        assert image == meta("twitter:image") and image.startswith(meta("og:url") + "card-")
        assert (meta("og:image:type"), meta("og:image:width"), meta("og:image:height")) == ("image/png", "1200", "630")
        with Image.open(site / image[len(SITE_URL):]) as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))
            card.load()
        alt = meta("og:image:alt")
        label = page.select_one(".fc-verdict__label .fc-badge").get_text(strip=True)
        assert alt == meta("twitter:image:alt") and alt.startswith("Fact-check by Kursk Fact-Check Desk: ")
        assert alt.endswith(f"Verdict: {label}.") and (claim in words(alt) or not drawable(claim))
        shown_tags = [a.get_text() for a in page.select(".fc-tags a")]
        assert [m["content"] for m in page.find_all("meta", attrs={"property": "article:tag"})] == shown_tags


def test_only_claim_pages_carry_a_claimreview(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        if path.parent.parent.name != "claims":
            assert claim_reviews(soup(path)) == [], path


def test_data_feed_holds_the_claimreviews_of_the_pages(site: Path) -> None:
    """claimreview.json is a schema.org DataFeed; read back, its items are the pages' ClaimReviews."""
    in_pages = {r["url"]: r for path in claim_pages(site) for r in claim_reviews(soup(path))}
    feed = json.loads((site / "claimreview.json").read_text(encoding="utf-8"))
    assert (feed["@context"], feed["@type"]) == ("https://schema.org", "DataFeed")
    assert feed["url"] == SITE_URL + "claimreview.json"
    items = feed["dataFeedElement"]
    assert all(i["@type"] == "DataFeedItem" for i in items)
    read_back = [{"@context": feed["@context"], **i["item"]} for i in items]
    assert {r["url"]: r for r in read_back} == in_pages
    assert len(read_back) == len(in_pages)
    for item in items:
        assert (item["dateCreated"], item["dateModified"]) == (item["item"]["datePublished"],
                                                               item["item"]["dateModified"])
    assert feed["dateModified"] == max(i["dateModified"] for i in items)
    assert [i["dateCreated"] for i in items] == sorted((i["dateCreated"] for i in items), reverse=True)


def test_scale_page_publishes_the_numeric_mapping(built_site: Path) -> None:
    ratings = scale_ratings(built_site)
    assert ratings == {v.label: v.rank for v in DEFAULT_SCALE}
    text = visible_text(soup(built_site / "verdicts" / "index.html").select_one("article"))
    assert "worstRating 1" in text and "bestRating 6" in text and "0 means the claim could not be rated" in text


def test_organisation_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    from conftest import copy_project, mkdocs_build

    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("        name: Kursk Fact-Check Desk\n", "        name: Other Desk\n")
    text = text.replace("logo: assets/logo.svg", "logo: https://cdn.other.example/logo.png")
    text = text.replace("methodology: methodology/", "methodology: about/#our-principles")
    config.write_text(text, encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site" / "claims" / "regiment-formed-in-may" / "index.html")
    author = claim_reviews(page)[0]["author"]
    assert author["name"] == "Other Desk"
    assert author["logo"] == "https://cdn.other.example/logo.png"
    assert author["publishingPrinciples"] == SITE_URL + "about/#our-principles"
    # The logo is the publisher's, in the structured data; a link preview shows the claim's card.
    assert "/card-" in page.find("meta", attrs={"property": "og:image"})["content"]


def test_missing_organisation_page_is_reported(tmp_path: Path) -> None:
    from conftest import copy_project, mkdocs_build

    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("methodology: methodology/",
                                                                 "methodology: how-we-work/"), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "organization.methodology" in result.stderr and "how-we-work/index.html" in result.stderr


def test_repository_mkdocs_yml_sets_the_organisation_once() -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for key in ("name:", "logo:", "corrections_policy:", "methodology:"):
        assert text.count(f"        {key}") == 1, key


def test_cite_this_gives_the_desk_the_claim_the_dates_and_the_permalink(site: Path) -> None:
    for path in claim_pages(site):
        page = soup(path)
        block = page.select_one("article details.fc-cite")
        assert block is not None and block.summary.get_text() == "Cite this fact-check"
        cite = words(block.select_one(".fc-cite__text").get_text())
        permalink = page.find("link", rel="canonical")["href"]
        claim = visible_text(page.select_one("h1.fc-claim__text"))
        published = page.select_one(".fc-byline time").get_text()
        changed = page.select_one(".fc-last-changed time").get_text()
        dates = f"published {published}" + (f", updated {changed}" if changed != published else "")
        assert cite.startswith(f'Kursk Fact-Check Desk. "{claim}" Fact-check, {dates}. ')
        assert cite.endswith(f". {permalink}") and block.find("script") is None
