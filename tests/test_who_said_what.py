"""The "Who said what" page (issue 14) renders from the quotes' stances alone: a small site in which the
stances decide every cell, every link and every count."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup
from factcheck_site.content.model import Claim, Quote, Site, Source
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.render.context import RenderContext
from factcheck_site.render.listings import PER_PAGE
from factcheck_site.render.who_said_what import render_who_said_what_pages

STANCES = {  # claim -> {source: stances of its quotes, in order}
    "c1": {"s1": ["supports"], "s2": ["contradicts"]},
    "c2": {"s2": ["context", "supports"]},
    "c3": {"s3": ["contradicts"], "s1": ["context"]},
}
WORDS = {"supports": "backs", "contradicts": "goes against", "context": "context"}


def _site(stances: dict[str, dict[str, list[str]]]) -> Site:
    sources = {s: Source(s, f"sources/{s}.md", f"Title {s}", "Publisher", "text", 5)
               for s in sorted({s for by in stances.values() for s in by} | {"s4"})}
    claims = {}
    for day, (claim_id, by_source) in enumerate(stances.items(), 1):
        quotes = tuple(Quote(source, "text", stance, None, 1) for source, listed in by_source.items()
                       for stance in listed)
        claims[claim_id] = Claim(claim_id, f"claims/{claim_id}.yml", f"Claim {claim_id}.", "Someone", "unverified",
                                 "Summary.", quotes, "Desk", dt.date(2030, 1, 1) + dt.timedelta(days=day))
    return Site(sources, claims, DEFAULT_SCALE)


def test_every_cell_link_and_count_follows_from_the_stances() -> None:
    site = _site(STANCES)
    pages = render_who_said_what_pages(RenderContext(site))
    assert list(pages) == ["who-said-what/index.md"]
    table = BeautifulSoup(pages["who-said-what/index.md"], "html.parser").find("table")
    heads = table.find("thead").find_all("th")[1:]
    columns = [th.find("a")["href"].split("/")[-2] for th in heads]
    assert sorted(columns) == ["s1", "s2", "s3"]  # s4 is quoted by no claim: no column
    assert columns[:2] == ["s1", "s2"]  # quoted by two claims each, before s3
    supports = {"s1": 1, "s2": 1, "s3": 0}
    contradicts = {"s1": 0, "s2": 1, "s3": 1}
    for source, th in zip(columns, heads, strict=True):
        counts = " ".join(th.find(class_="fc-wsw__counts").get_text().split())
        assert counts == f"backs {supports[source]} goes against {contradicts[source]}"
    rows = table.find("tbody").find_all("tr")
    assert [r.find("th").find("a")["href"] for r in rows] == ["../claims/c3/", "../claims/c2/", "../claims/c1/"]
    for row in rows:
        claim_id = row.find("th").find("a")["href"].split("/")[-2]
        quotes = site.claims[claim_id].quotes
        for source, cell in zip(columns, row.find_all("td"), strict=True):
            listed = STANCES[claim_id].get(source, [])
            shown = [" ".join(a.get_text().split()) for a in cell.find_all("a")]
            expected = [WORDS[s] for s in ("supports", "contradicts", "context") if s in listed]
            assert shown == (expected or []), (claim_id, source)
            if not listed:
                assert " ".join(cell.get_text().split()) == "–not quoted"
            for link in cell.find_all("a"):
                stance = link["class"][1].rsplit("--", 1)[1]
                number = next(n for n, q in enumerate(quotes, 1) if q.source == source and q.stance == stance)
                assert link["href"] == f"../claims/{claim_id}/#q-{claim_id}-{number}"


def test_pages_hold_a_listing_page_of_claims_and_only_their_sources() -> None:
    stances = {f"c{n:03}": {f"s{n % 7}": ["supports"]} for n in range(1, PER_PAGE + 8)}
    stances["c001"]["s99"] = ["contradicts"]
    pages = render_who_said_what_pages(RenderContext(_site(stances)))
    assert list(pages) == ["who-said-what/index.md", "who-said-what/2.md"]
    last = BeautifulSoup(pages["who-said-what/2.md"], "html.parser")
    assert len(last.find("tbody").find_all("tr")) == 7
    heads = [th.find("a")["href"].split("/")[-2] for th in last.find("thead").find_all("th")[1:]]
    assert "s99" in heads and len(heads) == 8  # c001 is on the last page (oldest), with its second source
    first = BeautifulSoup(pages["who-said-what/index.md"], "html.parser")
    assert "s99" not in first.find("thead").get_text() and 'rel="next"' in str(first)


def test_an_empty_site_has_a_page_that_says_so() -> None:
    page = render_who_said_what_pages(RenderContext(_site({})))["who-said-what/index.md"]
    assert "No fact-checks yet." in page


def test_the_compact_view_lists_each_claims_sources_by_stance() -> None:
    page = BeautifulSoup(render_who_said_what_pages(RenderContext(_site(STANCES)))["who-said-what/index.md"],
                         "html.parser")
    items = page.select(".fc-wsw__list > li")
    assert [li.select_one(".fc-item__claim")["href"] for li in items] == ["../claims/c3/", "../claims/c2/",
                                                                         "../claims/c1/"]
    shown = {li.select_one(".fc-item__claim")["href"].split("/")[-2]: {
        " ".join(g.select_one(".fc-wsw__said").get_text().split()): [a.get_text() for a in g.select("a")]
        for g in li.select(".fc-wsw__group")} for li in items}
    assert shown == {"c1": {"Backs the claim": ["Title s1"], "Goes against it": ["Title s2"]},
                     "c2": {"Backs the claim": ["Title s2"], "Context": ["Title s2"]},
                     "c3": {"Goes against it": ["Title s3"], "Context": ["Title s1"]}}
    for link in page.select(".fc-wsw__list a.fc-wsw__stance"):  # each to its quote, as in the table
        assert link["href"].startswith("../claims/") and "#q-" in link["href"]
