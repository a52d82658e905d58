"""Browsing by verdict, tag, claimant and source: every index lists claims newest first
with their verdicts, and stays paginated however large the archive grows."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import CASES, built_once, copy_project, mkdocs_build
from factcheck_site.content.model import Site
from factcheck_site.render.groups import group_slug

BULK = 230  # enough for five pages of 50 in one tag and one claimant's list


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def target(site_dir: Path, page: Path, href: str) -> Path:
    parts = urlsplit(href)
    path = site_dir / posixpath.normpath(posixpath.join(page.parent.relative_to(site_dir).as_posix(), parts.path))
    return path / "index.html" if path.is_dir() else path


def listed_claims(site_dir: Path, first_page: Path) -> list[tuple[str, str, str]]:
    """(claim id, verdict label, published) for every item of a paginated list, following 'Older' links."""
    items, page_path = [], first_page
    while True:
        page = soup(page_path)
        for li in page.select("ul.fc-list > li.fc-item"):
            claim_page = target(site_dir, page_path, li.select_one("a.fc-item__claim")["href"])
            assert claim_page.is_file()
            items.append((claim_page.parent.name, li.select_one(".fc-badge").get_text(),
                          li.select_one("time")["datetime"]))
        older = page.select_one('nav.fc-pager a[rel="next"]')
        if older is None:
            return items
        page_path = target(site_dir, page_path, older["href"])


def expected(claims: list, site: Site) -> list[tuple[str, str, str]]:
    return [(c.id, site.verdicts[c.verdict].label, c.published.isoformat())
            for c in sorted(claims, key=lambda c: (c.published, c.id), reverse=True)]


def test_each_tag_lists_its_claims_newest_first_with_verdicts(rich_site: Path, rich_content: Site) -> None:
    tags = {t for c in rich_content.claims.values() for t in c.tags}
    directory = soup(rich_site / "tags" / "index.html")
    names = [a.get_text() for a in directory.select("a.fc-group__name")]
    assert sorted(names) == sorted(tags) and names == sorted(names, key=str.casefold)
    for tag in tags:
        page = rich_site / "tags" / group_slug(tag) / "index.html"
        assert listed_claims(rich_site, page) == expected([c for c in rich_content.claims.values() if tag in c.tags],
                                                          rich_content)


def test_each_claimant_lists_their_claims(rich_site: Path, rich_content: Site) -> None:
    claimants = {c.claimant for c in rich_content.claims.values()}
    directory = soup(rich_site / "claimants" / "index.html")
    assert sorted(a.get_text() for a in directory.select("a.fc-group__name")) == sorted(claimants)
    for claimant in claimants:
        page = rich_site / "claimants" / group_slug(claimant) / "index.html"
        assert listed_claims(rich_site, page) == expected(
            [c for c in rich_content.claims.values() if c.claimant == claimant], rich_content)


def test_sources_index_lists_every_source_with_its_citations(rich_site: Path, rich_content: Site) -> None:
    path = rich_site / "sources" / "index.html"
    rows = soup(path).select("li.fc-group")
    assert {target(rich_site, path, r.a["href"]).parent.name for r in rows} == set(rich_content.sources)
    for row in rows:
        source_id = target(rich_site, path, row.a["href"]).parent.name
        count = len(rich_content.citing(source_id))
        assert f"cited by {count} fact-check" in row.get_text()


def test_claim_pages_link_their_tags_and_claimant(rich_site: Path, rich_content: Site) -> None:
    for claim in rich_content.claims.values():
        path = rich_site / "claims" / claim.id / "index.html"
        page = soup(path)
        tag_links = page.select(".fc-tags a.fc-tag")
        assert [a.get_text() for a in tag_links] == list(claim.tags)
        for link in tag_links + [page.select_one("a.fc-claimant__name")]:
            listing = target(rich_site, path, link["href"])
            assert claim.id in [item[0] for item in listed_claims(rich_site, listing)]


def test_verdict_indexes_list_claims_newest_first(rich_site: Path, rich_content: Site) -> None:
    for verdict in rich_content.scale:
        page = rich_site / "verdicts" / verdict.id / "index.html"
        assert listed_claims(rich_site, page) == expected(
            [c for c in rich_content.claims.values() if c.verdict == verdict.id], rich_content)


def test_entry_pages_are_in_the_navigation_and_group_pages_are_not(built_site: Path) -> None:
    nav = soup(built_site / "index.html").select_one("nav.md-nav--primary")
    links = {a.get_text(strip=True) for a in nav.find_all("a")}
    assert {"By tag", "By claimant", "By source", "Corrections"} <= links
    # Specifications are linked from the footer, not the main tabs.
    assert "Data and feeds" not in links
    footer = soup(built_site / "index.html").select_one("nav.fc-footer-nav")
    assert [a.get_text(strip=True) for a in footer.find_all("a")][0] == "Data and feeds"
    hrefs = " ".join(a["href"] for a in nav.find_all("a"))
    assert "tags/timeline" not in hrefs and "claims/" not in hrefs and "claimants/calitoday" not in hrefs


@pytest.fixture(scope="session")
def bulk_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "bulk", _build_bulk_site) / "site"


def _build_bulk_site(folder: Path) -> None:
    project = copy_project(folder / "project")
    template = (CASES / "good-claims" / "minimal.yml").read_text(encoding="utf-8")
    start = dt.date(2026, 1, 1)
    for number in range(BULK):
        text = template.replace("The regiment cleared mines in Kursk for 120 days.",
                                f"Bulk claim number {number} about the regiment.")
        text = text.replace("claimant: CaliToday", "claimant: Bulk Claimant")
        text = text.replace("published: 2026-11-20", f"published: {start + dt.timedelta(days=number // 3)}")
        (project / "claims" / f"bulk-{number:04d}.yml").write_text(text + "tags: [bulk]\n", encoding="utf-8")
    result = mkdocs_build(project, folder / "site")
    assert result.returncode == 0, result.stderr


def test_large_lists_are_paginated_and_complete(bulk_site: Path) -> None:
    for first in ("tags/bulk/index.html", "claimants/bulk-claimant/index.html", "archive/index.html",
                  "verdicts/unverified/index.html"):
        items = listed_claims(bulk_site, bulk_site / first)
        assert len(items) >= BULK and len({i[0] for i in items}) == len(items), first
        assert [i[2] for i in items] == sorted((i[2] for i in items), reverse=True), "newest first, across pages"
        pages = [bulk_site / first] + sorted((bulk_site / first).parent.glob("*/index.html"))
        pages = [p for p in pages if re.fullmatch(r"\d+", p.parent.name) or p == bulk_site / first]
        assert len(pages) >= 5
        for page in pages:
            assert len(soup(page).select("ul.fc-list > li.fc-item")) <= 50


def test_page_size_does_not_grow_with_the_archive(bulk_site: Path, built_site: Path) -> None:
    """The sidebar lists the navigation only, so a claim page of a 250-claim site is as small as of a 22-claim one."""
    small = (built_site / "claims" / "regiment-formed-in-may" / "index.html").stat().st_size
    large = (bulk_site / "claims" / "regiment-formed-in-may" / "index.html").stat().st_size
    assert large < small * 1.1
    assert len(soup(bulk_site / "tags" / "index.html").select("nav.md-nav a")) < 40


def test_listings_stay_out_of_the_search_index(built_site: Path) -> None:
    """Readers search for claims and sources, which the factcheck index holds; listings would only repeat them."""

    from search_reader import all_documents, site_pages

    locations = {doc["location"].split("#")[0] for doc in site_pages(built_site)} | {
        d[0] for d in all_documents(built_site)}
    assert "claims/deployment-lasted-120-days/" in locations
    assert not {loc for loc in locations if loc.startswith(("tags/", "claimants/", "archive/"))}


def test_a_much_cited_source_keeps_its_page_small_and_lists_all_citations(bulk_site: Path) -> None:
    path = bulk_site / "sources" / "calitoday-unimaginable-burdens" / "index.html"
    page = soup(path)
    assert len(page.select("ol.fc-citing > li")) == 50
    more = [a for a in page.select("p.fc-more a") if "citing this source" in a.get_text()]
    assert len(more) == 1
    total = int(more[0].get_text().split()[1])
    assert total > BULK and f"Cited by {total} fact-checks" in page.select_one("h2#cited-by").get_text()
    items = listed_claims(bulk_site, target(bulk_site, path, more[0]["href"]))
    assert len(items) == total and len({i[0] for i in items}) == len(items)
    for refs in page.select(".fc-refs"):
        links = refs.find_all("a")
        assert len(links) <= 21
        if len(links) == 21:
            assert links[-1]["href"] == "#cited-by" and links[-1].get_text().startswith("+")
