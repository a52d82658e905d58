"""Every generated page of a site, as {src_uri: Markdown}, and the data files beside them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from factcheck_site.content.load import display
from factcheck_site.content.model import Site, Source
from factcheck_site.content.problems import Problem
from factcheck_site.content.publisher import Publication
from factcheck_site.output.exports import (
    CLAIMREVIEW_JSON,
    CLAIMS_CSV,
    CLAIMS_JSON,
    DATAPACKAGE_JSON,
    claimreview_json,
    claims_csv,
    claims_json,
    datapackage_json,
)
from factcheck_site.output.feeds import JSON_FEED_PATH, RSS_PATH, json_feed, rss_feed
from factcheck_site.render.browse_pages import render_claimant_pages, render_sources_directory, render_tag_pages
from factcheck_site.render.claim_page import render_claim_page
from factcheck_site.render.corrections_page import render_corrections_pages
from factcheck_site.render.listings import (
    render_archive_pages,
    render_home_section,
    render_scale_page,
    render_verdict_pages,
)
from factcheck_site.render.placeholders import fill_placeholders
from factcheck_site.render.source_page import render_cited_by_pages, render_source_page
from factcheck_site.render.urls import HOME_SRC, SCALE_SRC, claim_src, source_src


def render_site(site: Site, directory_urls: bool = True, publication: Publication | None = None) -> dict[str, str]:
    """Without a publication (no site_url), claim pages carry no structured data or social cards."""
    pages = render_claim_pages(site, directory_urls, publication)
    pages.update(render_source_pages(site, directory_urls))
    pages.update(render_listing_pages(site, directory_urls))
    return pages


def render_claim_pages(site: Site, directory_urls: bool = True,
                       publication: Publication | None = None) -> dict[str, str]:
    return {claim_src(c.id): render_claim_page(c, site, directory_urls, publication) for c in site.claims.values()}


def render_source_pages(site: Site, directory_urls: bool = True,
                        sources: Iterable[Source] | None = None) -> dict[str, str]:
    """Each source's page (or only those of sources), and the pages listing what cites it."""
    pages: dict[str, str] = {}
    for source in site.sources.values() if sources is None else sources:
        pages[source_src(source.id)] = render_source_page(source, site, directory_urls)
        pages.update(render_cited_by_pages(source, site, directory_urls))
    return pages


def _scale_page(site: Site, directory_urls: bool) -> dict[str, str]:
    return {SCALE_SRC: render_scale_page(site, directory_urls)}


# The pages that list claims or sources; each is paginated, so none grows with the archive.
LISTINGS: tuple[Callable[[Site, bool], dict[str, str]], ...] = (
    _scale_page, render_verdict_pages, render_archive_pages, render_tag_pages, render_claimant_pages,
    render_sources_directory, render_corrections_pages)


def render_listing_pages(site: Site, directory_urls: bool = True) -> dict[str, str]:
    pages: dict[str, str] = {}
    for render in LISTINGS:
        pages.update(render(site, directory_urls))
    return pages


def docs_clashes(generated: Iterable[str], docs_dir: Path, root: Path) -> list[Problem]:
    """Pages in docs/ at the path of a generated page: one would silently replace the other."""
    return [Problem(display(docs_dir / src, root), 1, "this page is generated from claims and sources; rename or "
                    "remove it") for src in sorted(generated) if (docs_dir / src).exists()]


def render_own_page(src_uri: str, markdown: str, site: Site, organization: dict[str, Any],
                    directory_urls: bool) -> tuple[str, list[str]]:
    """One of the site's own pages (in docs/) as readers get it, and the placeholders that have no value:
    `{{ organization.name }}` and the like filled in, and the home page followed by the latest fact-checks."""
    markdown, missing = fill_placeholders(markdown, organization)
    if src_uri == HOME_SRC:
        markdown += "\n\n" + render_home_section(site, directory_urls) + "\n"
    return markdown, missing


def render_data_files(site: Site, publication: Publication) -> dict[str, str]:
    """Feeds and exports, as {path in the built site: content}."""
    exports = {CLAIMS_JSON: claims_json(site, publication), CLAIMS_CSV: claims_csv(site, publication)}
    return {
        RSS_PATH: rss_feed(site, publication),
        JSON_FEED_PATH: json_feed(site, publication),
        **exports,
        CLAIMREVIEW_JSON: claimreview_json(site, publication),
        DATAPACKAGE_JSON: datapackage_json(site, publication, exports[CLAIMS_JSON], exports[CLAIMS_CSV]),
    }
