"""`factcheck render --out DIR` is a complete site source: plain MkDocs, with Material's
search and no factcheck plugin, publishes it with everything the plugin adds."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, SITE_URL, copy_project, factcheck, run
from factcheck_site.config import MkDocsYamlLoader
from factcheck_site.output.page_folder import MANIFEST
from factcheck_site.output.site_export import CSS_URI, OVERRIDES
from factcheck_site.render.claim_page import with_jsonld_in_body
from factcheck_site.render.markup import front_matter
from factcheck_site.render.structured_data import script_json
from factcheck_site.render.urls import GENERATED_FOLDERS

CLAIM = "deployment-lasted-120-days"


@dataclass(frozen=True)
class Export:
    project: Path
    out: Path
    site: Path


def plain_mkdocs_config(project: Path, out: Path) -> str:
    """The site's mkdocs.yml as a builder without our plugin needs it (README.md: Publishing without the plugin)."""
    site = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=MkDocsYamlLoader)
    config = {key: site[key] for key in ("site_name", "site_description", "site_url", "nav", "markdown_extensions",
                                         "validation")}
    factcheck_options = next(p["factcheck"] for p in site["plugins"] if isinstance(p, dict) and "factcheck" in p)
    footer = [f"/{path}" for entry in factcheck_options.get("footer", []) for path in entry.values()]
    config.update(docs_dir=str(out), plugins=["search"], extra_css=[CSS_URI],
                  theme={**site["theme"], "custom_dir": str(out / OVERRIDES)},
                  not_in_nav="\n".join([f"/{folder}/" for folder in GENERATED_FOLDERS] + footer))
    return yaml.safe_dump(config, sort_keys=False)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    base = tmp_path_factory.mktemp("export")
    project = copy_project(base / "site-src")
    out = base / "export"
    rendered = factcheck("render", "--out", str(out), cwd=project)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    builder = base / "builder"
    builder.mkdir()
    (builder / "mkdocs.yml").write_text(plain_mkdocs_config(project, out), encoding="utf-8")
    site = base / "site"
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], builder)
    assert built.returncode == 0, built.stderr
    assert "factcheck" not in built.stderr.replace(str(base), "")  # the plugin is not there: nothing names it
    return Export(project, out, site)


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_claim_pages_carry_their_claimreview_once(export: Export) -> None:
    feed = json.loads((export.site / "claimreview.json").read_text(encoding="utf-8"))
    reviews = [element["item"] for element in feed["dataFeedElement"]]
    claim_ids = sorted(p.stem for p in (export.project / "claims").glob("*.yml"))
    assert len(reviews) == len(claim_ids)
    by_url = {review["url"]: review for review in reviews}
    for claim_id in claim_ids:
        page = html(export.site / "claims" / claim_id / "index.html")
        scripts = page.find_all("script", type="application/ld+json")
        assert len(scripts) == 1, f"{claim_id}: {len(scripts)} JSON-LD scripts"
        data = json.loads(scripts[0].string)
        assert data["@type"] == "ClaimReview"
        assert data.pop("@context") == "https://schema.org"  # the feed states it once, for every item
        assert data == by_url[data["url"]], "the page and claimreview.json disagree"
        assert data["url"].endswith(f"/claims/{claim_id}/")


def test_claim_pages_have_link_preview_meta_in_head(export: Export) -> None:
    page = html(export.site / "claims" / CLAIM / "index.html")
    head = page.head
    title = head.find("meta", property="og:title")["content"]
    assert title == page.find("h1", id="claim").get_text()
    assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    card = head.find("meta", property="og:image")["content"]
    assert card.startswith(f"{SITE_URL}claims/{CLAIM}/card-") and card.endswith(".png")
    assert (export.site / card[len(SITE_URL):]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "the card is published"
    assert head.find("meta", attrs={"name": "twitter:title"})["content"] == title
    assert head.find("meta", property="og:url")["content"].endswith(f"/claims/{CLAIM}/")
    assert head.find("meta", attrs={"name": "description"})["content"].startswith("Unverified: ")
    assert head.find("link", type="application/rss+xml")["href"] == "../../feed.xml"


def test_the_stylesheet_is_linked_and_published(export: Export) -> None:
    page = html(export.site / "claims" / CLAIM / "index.html")
    links = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert f"../../{CSS_URI}" in links
    css = (export.site / CSS_URI).read_text(encoding="utf-8")
    assert ".fc-evidence" in css and page.find(class_="fc-evidence") is not None


def test_feeds_and_exports_are_published_and_parse(export: Export) -> None:
    claims = len(list((export.project / "claims").glob("*.yml")))
    rss = feedparser.parse((export.site / "feed.xml").read_bytes())
    assert not rss.bozo and len(rss.entries) == claims
    assert rss.entries[0].link.startswith(f"{SITE_URL}claims/")
    feed = json.loads((export.site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == claims
    data = json.loads((export.site / "claims.json").read_text(encoding="utf-8"))
    assert len(data["claims"]) == claims
    rows = list(csv.DictReader(io.StringIO((export.site / "claims.csv").read_text(encoding="utf-8"))))
    assert len(rows) == claims and {row["id"] for row in rows} == {c["id"] for c in data["claims"]}
    data_page = html(export.site / "data" / "index.html")
    assert data_page.find("a", href="../feed.xml") is not None, "docs/data.md links to the feeds"


def test_search_finds_claims_and_leaves_listings_out(export: Export) -> None:
    index = json.loads((export.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for claim in (export.project / "claims").glob("*.yml"):
        assert f"claims/{claim.stem}/" in locations
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(f"claims/{CLAIM}/"))
    assert "120-day deployment" in text, "the quotes of a claim are searchable"
    assert "ClaimReview" not in text, "the structured data is not indexed as text"
    listings = [loc for loc in locations if loc.split("/")[0] in ("archive", "tags", "claimants", "corrections")
                or (loc.startswith("verdicts/") and loc != "verdicts/") or loc == "sources/"]
    assert listings == []


def test_site_pages_are_filled_and_the_home_page_lists_claims(export: Export) -> None:
    for page in export.site.rglob("*.html"):
        assert "{{ organization." not in page.read_text(encoding="utf-8"), page
    about = html(export.site / "about" / "index.html").get_text()
    assert "published by Kursk Fact-Check Desk" in about  # {{ organization.name }}, filled
    home = html(export.site / "index.html")
    assert "North Korean army engineers" in home.get_text(), "the site's own home page"
    newest = max(export.project.joinpath("claims").glob("*.yml"), key=lambda path: (
        yaml.safe_load(path.read_text(encoding="utf-8"))["published"], path.stem))
    assert home.find("section", class_="fc-latest").find("a", href=f"claims/{newest.stem}/") is not None
    assert (export.site / "assets" / "logo.svg").is_file()


def test_what_only_the_builder_needs_is_not_published(export: Export) -> None:
    assert not (export.site / OVERRIDES).exists() and not (export.site / MANIFEST).exists()
    listed = (export.out / MANIFEST).read_text(encoding="utf-8")
    for name in ("about.md", "index.md", CSS_URI, "feed.xml", "claimreview.json", f"{OVERRIDES}/main.html"):
        assert f" {name}\n" in listed, f"{name} was not written through the manifest"


def test_jsonld_in_the_body_cannot_end_its_script_element() -> None:
    hostile = {"claimReviewed": "</script><script>alert(1)</script><!-- & -->", "emoji": "\U0001f600"}
    page = front_matter("t", "d", meta={"factcheck_jsonld": script_json(hostile)}) + "<article>x</article>\n"
    moved = with_jsonld_in_body(page)
    assert "factcheck_jsonld" not in moved.split("\n---\n", 1)[0]
    scripts = BeautifulSoup(moved, "html.parser").find_all("script")
    assert len(scripts) == 1 and json.loads(scripts[0].string) == hostile
    assert moved.count("</script") == 1 and "<!--" not in moved
    assert with_jsonld_in_body(front_matter("t", "d") + "body\n") == front_matter("t", "d") + "body\n"


def test_without_site_url_the_export_says_what_it_leaves_out(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "site-src")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url:", "# site_url:"), encoding="utf-8")
    out = tmp_path / "out"
    result = factcheck("render", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "site_url is not set" in result.stderr and "claimreview.json" in result.stderr
    assert not (out / "feed.xml").exists() and (out / CSS_URI).is_file()
    assert "ld+json" not in (out / "claims" / f"{CLAIM}.md").read_text(encoding="utf-8")


def test_a_docs_file_at_a_generated_path_stops_the_export(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "site-src")
    shutil.copy(ROOT / "docs" / "about.md", project / "docs" / "feed.xml")
    out = tmp_path / "out"
    result = factcheck("render", "--out", str(out), cwd=project)
    assert result.returncode == 1 and "docs/feed.xml:" in result.stdout
    assert not out.exists()
