"""The site builds on ProperDocs as well as on MkDocs 1.6: `properdocs build --strict` makes the same
site (claim pages with their ClaimReview, the split search index, feeds and exports), and
`properdocs serve` previews it and rebuilds an edited claim.

ProperDocs is installed beside MkDocs in the same environment (the `test` extra pins it): it loads
the `mkdocs.plugins` entry points and redirects `import mkdocs.*` to `properdocs.*` in its own
process only, so `mkdocs` commands stay plain MkDocs. It reads mkdocs.yml when given `-f mkdocs.yml`
(without it, it looks for properdocs.yml first and says so before falling back to mkdocs.yml)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, SITE_URL, built_once, run
from search_reader import find, manifest
from test_serve import serve_rebuilds_an_edited_claim
from test_structured_data import claim_reviews

CLAIM = "deployment-lasted-120-days"
CLAIM_IDS = sorted(p.stem for p in (ROOT / "claims").glob("*.yml"))
# The one line in which the builders' sites differ: Material names the builder in every page's head.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def properdocs(*args: str, cwd: Path) -> tuple[int, str]:
    result = run([sys.executable, "-m", "properdocs", *args, "-f", "mkdocs.yml"], cwd)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory, repository_copy: Path, built_site: Path) -> Path:
    """The repository's own site, built once with `properdocs build --strict` (in the copy of the repository where
    the `built_site` fixture builds it with MkDocs, so both read the same git dates), after that MkDocs build:
    the build cache in .cache/factcheck/ then holds every page as MkDocs made it."""
    def build(folder: Path) -> None:
        code, output = properdocs("build", "--strict", "-d", str(folder / "site"), cwd=repository_copy)
        assert code == 0, output
        assert "WARNING" not in output and "should be renamed" not in output, output

    return built_once(tmp_path_factory, "properdocs", build) / "site"


def test_properdocs_builds_every_claim_page_with_its_claim_review(properdocs_site: Path) -> None:
    for claim_id in CLAIM_IDS:
        data = yaml.safe_load((ROOT / "claims" / f"{claim_id}.yml").read_text(encoding="utf-8"))
        html = BeautifulSoup((properdocs_site / "claims" / claim_id / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert html.select_one("article.fc-claim h1").get_text(strip=True) == data["claim"]
        [review] = claim_reviews(html)
        assert review["claimReviewed"] == data["claim"]
        assert review["url"] == f"{SITE_URL}claims/{claim_id}/"
        assert review["reviewRating"]["ratingExplanation"] == data["summary"]


def test_properdocs_search_finds_a_claim_through_the_factcheck_index(properdocs_site: Path) -> None:
    info = manifest(properdocs_site)
    folder = properdocs_site / info["path"]
    assert all((folder / "terms" / f"{key}.json").is_file() for key in info["keys"])
    for word in ("grueling", "CaliToday", "120"):
        assert f"claims/{CLAIM}/" in [location for location, _, _ in find(properdocs_site, word)], word
    page = (properdocs_site / "claims" / CLAIM / "index.html").read_text(encoding="utf-8")
    worker = re.search(r'"search": "([^"]+)"', page).group(1)
    assert "factcheck-search." in worker
    assert (properdocs_site / "claims" / CLAIM / worker).resolve().is_file()


def test_properdocs_writes_the_feeds_and_exports(properdocs_site: Path) -> None:
    feed = feedparser.parse((properdocs_site / "feed.xml").read_text(encoding="utf-8"))
    assert not feed.bozo and feed.entries
    assert all(entry.link.startswith(f"{SITE_URL}claims/") for entry in feed.entries)
    assert json.loads((properdocs_site / "feed.json").read_text(encoding="utf-8"))["items"]
    exported = json.loads((properdocs_site / "claims.json").read_text(encoding="utf-8"))
    assert sorted(record["id"] for record in exported["claims"]) == CLAIM_IDS
    feed = json.loads((properdocs_site / "claimreview.json").read_text(encoding="utf-8"))
    assert feed["@type"] == "DataFeed" and len(feed["dataFeedElement"]) == len(CLAIM_IDS)
    assert json.loads((properdocs_site / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert (properdocs_site / "claims.csv").read_text(encoding="utf-8").count("\n") > len(CLAIM_IDS)


def test_properdocs_site_is_the_mkdocs_site(properdocs_site: Path, built_site: Path) -> None:
    """File for file, byte for byte, but for the generator meta tag ("mkdocs-1.6.1, ..." against
    "mkdocs-ProperDocs 1.6.7, ..."): whatever the other tests prove of the MkDocs build holds here."""

    def files(site: Path) -> list[str]:
        return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())

    assert files(properdocs_site) == files(built_site)
    differ = [name for name in files(built_site)
              if GENERATOR.sub(b"", (properdocs_site / name).read_bytes())
              != GENERATOR.sub(b"", (built_site / name).read_bytes())]
    assert differ == []
    home = (properdocs_site / "index.html").read_bytes()
    assert b'content="mkdocs-ProperDocs ' in home, GENERATOR.findall(home)


def test_the_build_cache_knows_its_builder(properdocs_site: Path, built_site: Path) -> None:
    """MkDocs built first, from the same folder: ProperDocs found its cache full, and must render every page
    itself rather than publish pages that name MkDocs as their builder (and the other way round)."""
    for site, builder in ((properdocs_site, b"mkdocs-ProperDocs 1.6."), (built_site, b"mkdocs-1.6.")):
        pages = sorted(site.rglob("*.html"))
        named = {page.relative_to(site).as_posix(): GENERATOR.findall(page.read_bytes()) for page in pages}
        assert len(pages) > 60
        assert {page: tags for page, tags in named.items() if not (len(tags) == 1 and builder in tags[0])} == {}


def test_properdocs_serve_rebuilds_an_edited_claim(project: Path) -> None:
    serve_rebuilds_an_edited_claim(project, "properdocs")
