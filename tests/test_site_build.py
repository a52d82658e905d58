"""The repository's own site, built for real, read as a reader's browser would get it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import RICH_REPO_URL, ROOT, factcheck, factcheck_process
from factcheck_site.cli import main

CLAIM_IDS = sorted(p.stem for p in (ROOT / "claims").glob("*.yml"))
SOURCE_IDS = sorted(p.stem for p in (ROOT / "sources").glob("*.md"))


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_claim_and_source_has_its_page(built_site: Path) -> None:
    for claim_id in CLAIM_IDS:
        assert (built_site / "claims" / claim_id / "index.html").is_file()
    for source_id in SOURCE_IDS:
        assert (built_site / "sources" / source_id / "index.html").is_file()


def test_claim_page_shows_what_a_reader_needs(built_site: Path) -> None:
    data = yaml.safe_load((ROOT / "claims" / "deployment-lasted-120-days.yml").read_text(encoding="utf-8"))
    html = page(built_site, "claims/deployment-lasted-120-days")
    article = html.select_one("article.fc-claim")
    assert article.select_one("h1").get_text(strip=True) == data["claim"]
    assert data["claimant"] in article.select_one(".fc-claimant").get_text()
    verdict = article.select_one(".fc-verdict")
    assert "Unverified" in verdict.get_text() and "neither confirm nor refute" in verdict.get_text()
    assert data["summary"] in verdict.get_text(" ", strip=True)
    columns = article.select(".fc-evidence .fc-stance")
    assert [c["class"][1] for c in columns[:2]] == ["fc-stance--supports", "fc-stance--contradicts"]
    quotes = article.select("figure.fc-quote")
    assert len(quotes) == len(data["quotes"])
    for figure, quote in zip(quotes, data["quotes"], strict=True):
        assert figure.select_one("blockquote").get_text(strip=True) == quote["text"].replace("[...]", "[…]")
        source = yaml.safe_load((ROOT / "sources" / f"{quote['source']}.md").read_text().split("---")[1])
        caption = figure.select_one("figcaption").get_text(" ", strip=True)
        assert source["title"] in caption and source.get("publisher", "") in caption
        link = figure.select_one("figcaption a")["href"]
        assert link.startswith(f"../../sources/{quote['source']}/#q-deployment-lasted-120-days-")
    assert article.select_one(".fc-analysis") is not None
    byline = article.select_one(".fc-byline").get_text(" ", strip=True)
    assert data["author"] in byline and "Published" in byline
    tags = article.select_one(".fc-tags").get_text(" ", strip=True)
    for tag in data["tags"]:
        assert tag in tags


def test_claim_pages_are_not_in_the_sidebar(built_site: Path) -> None:
    html = page(built_site, "claims/deployment-lasted-120-days")
    nav_links = [a.get("href", "") for a in html.select("nav.md-nav a")]
    assert not any("/claims/" in href and "archive" not in href for href in nav_links)


def test_edit_link_points_at_the_claim_file(rich_site: Path, built_site: Path) -> None:
    html = page(rich_site, "claims/deployment-lasted-120-days")
    edit = html.select_one('a[rel="edit"]')["href"]
    assert edit == f"{RICH_REPO_URL}/edit/main/claims/deployment-lasted-120-days.yml"
    # The repository's own site has no public repository address yet, so no edit link at all.
    assert page(built_site, "claims/deployment-lasted-120-days").select_one('a[rel="edit"]') is None


def test_home_lists_rated_claims_first_then_the_unverified_grouped(built_site: Path) -> None:
    """The rated fact-checks newest first, each with its verdict; then the unverified ones under one heading that
    says what the verdict means, each with the first line of why, newest first; and nothing twice."""
    html = page(built_site, "")
    claims = {slug: yaml.safe_load((ROOT / "claims" / f"{slug}.yml").read_text(encoding="utf-8"))
              for slug in CLAIM_IDS}
    rated = html.select(".fc-latest .fc-item:not(.fc-item--grouped)")
    grouped = html.select(".fc-latest .fc-item--grouped")

    def slugs(items: list) -> list[str]:
        return [item.select_one("a.fc-item__claim")["href"].strip("/").split("/")[-1] for item in items]

    expected_rated = [s for s in claims if str(claims[s]["verdict"]) != "unverified"]
    assert sorted(slugs(rated)) == sorted(expected_rated)[:20] and all(i.select_one(".fc-badge") for i in rated)
    assert len(grouped) == min(20, len(claims) - len(expected_rated)) and not any(i.select(".fc-badge")
                                                                                  for i in grouped)
    for items in (rated, grouped):
        published = [str(claims[s]["published"]) for s in slugs(items)]
        assert published == sorted(published, reverse=True)
    for item, slug in zip(grouped, slugs(grouped), strict=True):
        why = item.select_one(".fc-item__why").get_text()
        assert claims[slug]["summary"].startswith(why) and why.rstrip().endswith((".", "!", "?")), (slug, why)
    heading = html.select_one("h2#not-rated-unverified")
    assert heading.get_text() == f"Unverified ({len(claims) - len(expected_rated)})"
    meaning = "The available evidence can neither confirm nor refute the claim."
    assert heading.find_next_sibling("p").get_text() == meaning


def test_verdict_scale_page_lists_every_verdict_with_its_claims(built_site: Path) -> None:
    html = page(built_site, "verdicts")
    sections = html.select(".fc-scale__item")
    ids = [s["id"] for s in sections]
    assert ids == ["true", "mostly-true", "mixed", "misleading", "mostly-false", "false", "unverified"]
    used = {str(yaml.safe_load((ROOT / "claims" / f"{c}.yml").read_text())["verdict"]).lower() for c in CLAIM_IDS}
    for section in sections:
        if section["id"] in used:
            assert section.select(".fc-item"), f"no claim listed under {section['id']}"


def test_source_page_has_metadata_and_full_text(built_site: Path) -> None:
    html = page(built_site, "sources/calitoday-unimaginable-burdens")
    assert "CaliToday" in html.select_one(".fc-source__meta").get_text()
    text = html.select_one(".fc-snapshot").get_text()
    assert "Consoling families" in text and "CaliToday.Net" in text
    assert html.select(".fc-snapshot mark a.fc-mark")


def test_search_finds_claims_by_claim_claimant_summary_and_quote_words(built_site: Path) -> None:
    from search_reader import find

    data = yaml.safe_load((ROOT / "claims" / "deployment-lasted-120-days.yml").read_text(encoding="utf-8"))
    for word in (data["claim"].split()[1], "CaliToday", data["summary"].split()[-1].strip("."), "grueling"):
        found = [location for location, _, _ in find(built_site, word)]
        assert "claims/deployment-lasted-120-days/" in found, word


def test_linkchecker_finds_no_broken_link(built_site: Path) -> None:
    result = factcheck_process("check-links", str(built_site), cwd=built_site.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors found" in result.stdout


def test_check_links_reports_a_broken_link_with_its_page(tmp_path: Path) -> None:
    """A page that is gone, and one whose folder is left without its index.html (a plain web server would
    list the folder's files and call that a page; GitHub Pages answers 404)."""
    for folder in ("claims/kept", "claims/emptied"):
        (tmp_path / "site" / folder).mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text(
        '<!doctype html><title>Home</title><a href="claims/kept/">kept</a> <a href="claims/gone/">gone</a> '
        '<a href="claims/emptied/">emptied</a>', encoding="utf-8")
    (tmp_path / "site" / "claims" / "kept" / "index.html").write_text(
        '<!doctype html><title>Kept</title><a href="../../">home</a>', encoding="utf-8")
    result = factcheck_process("check-links", "site", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 errors found" in result.stdout
    for broken in ("claims/gone/", "claims/emptied/"):
        report = result.stdout[result.stdout.index(f"URL        `{broken}'"):]
        assert "Error: 404" in report.split("\n\n")[0]


def test_check_links_without_a_built_site_says_how_to_build_one(tmp_path: Path) -> None:
    result = factcheck("check-links", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("factcheck: site: no built site here (no index.html); build it first in the site's "
                             "folder (where mkdocs.yml is) with mkdocs build --site-dir site\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Desk\n", encoding="utf-8")
    (tmp_path / "my site").mkdir()
    result = factcheck("check-links", "my site", cwd=tmp_path)
    assert result.stderr == ("factcheck: my site: no built site here (no index.html); build it first with "
                             "mkdocs build --site-dir 'my site'\n")
    (tmp_path / "my site" / "index.html").write_text("<!doctype html><title>Home</title>", encoding="utf-8")
    result = factcheck("check-links", "my site/index.html", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("factcheck: my site/index.html: a file, not a folder; pass the folder the site was "
                             "built into (default: site)\n")


def test_check_links_without_linkchecker_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An editor's environment from ./dev serve has no LinkChecker (only the test lock installs it)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<!doctype html><title>Home</title>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "linkcheck" else real_find_spec(name))
    assert main(["check-links", "site"]) == 2
    assert capsys.readouterr().err == (f"factcheck: LinkChecker is not installed here; install it with: "
                                       f"{sys.executable} -m pip install linkchecker\n")
