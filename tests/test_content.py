"""The desk's published work meets its own standards (what a machine can check)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from building import load
from conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
SOURCE_IDS = ["dprk-soldiers-return-home", "dprk-soldiers-return-from-kursk", "dprk-military-engagement-debate",
              "north-korean-sappers-secret-demining", "calitoday-unimaginable-burdens"]


def _site():
    site, problems = load(ROOT / "claims", ROOT / "sources", ROOT)
    assert problems == []
    return site


def test_at_least_fifteen_claims_each_with_two_quotes_summary_and_analysis() -> None:
    site = _site()
    assert len(site.claims) >= 15
    for claim in site.claims.values():
        assert len(claim.quotes) >= 2, claim.id
        assert claim.summary and claim.analysis, claim.id
        assert 80 <= len(claim.analysis.split()) <= 400, f"{claim.id}: analysis should walk through the evidence"
        assert claim.tags, f"{claim.id}: tags let readers browse"


def test_claims_quote_more_than_one_source_where_several_speak() -> None:
    site = _site()
    multi = [c for c in site.claims.values() if len({q.source for q in c.quotes}) >= 2]
    assert len(multi) >= len(site.claims) - 2, "nearly every claim is spoken to by several articles"


def test_every_source_is_quoted_by_at_least_three_claims() -> None:
    site = _site()
    cited = Counter(source for claim in site.claims.values() for source in {q.source for q in claim.quotes})
    for source_id in SOURCE_IDS:
        assert cited[source_id] >= 3, source_id


def test_sources_are_the_seed_articles_verbatim() -> None:
    site = _site()
    assert sorted(site.sources) == sorted(SOURCE_IDS)
    if SEEDS.is_dir():  # the seeds sit beside the repository in this workplace and in CI
        for seed, source_id in zip(sorted(SEEDS.glob("*.txt")), SOURCE_IDS, strict=True):
            assert site.sources[source_id].text == seed.read_text(encoding="utf-8")


def test_every_verdict_used_is_explained_with_an_example(built_site: Path) -> None:
    site = _site()
    scale = BeautifulSoup((built_site / "verdicts" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for verdict in {c.verdict for c in site.claims.values()}:
        section = scale.select_one(f"section#{verdict}")
        assert section is not None and section.select_one(".fc-scale__meaning").get_text(strip=True)
        assert section.select(".fc-item a.fc-item__claim"), f"no example claim under {verdict}"


def test_standards_pages_exist_and_are_in_the_navigation(built_site: Path) -> None:
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = " ".join(a.get_text(" ", strip=True) for a in home.select("nav.md-nav a"))
    for title in ("Methodology", "Verdict scale", "Corrections policy", "About"):
        assert title in nav
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "{{" not in about and "Kursk Fact-Check Desk" in about
