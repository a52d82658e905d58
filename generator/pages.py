"""Every generated page of a site, as {src_uri: Markdown}."""

from __future__ import annotations

from .links import SCALE_SRC, claim_src, source_src
from .model import Site
from .render_claim import render_claim_page
from .render_index import render_archive_pages, render_scale_page, render_verdict_pages
from .render_source import render_source_page


def render_site(site: Site, directory_urls: bool = True) -> dict[str, str]:
    pages: dict[str, str] = {}
    for claim in site.claims.values():
        pages[claim_src(claim.id)] = render_claim_page(claim, site, directory_urls)
    pages.update(render_source_pages(site, list(site.sources), directory_urls))
    pages.update(render_listing_pages(site, directory_urls))
    return pages


def render_source_pages(site: Site, source_ids: list[str], directory_urls: bool = True) -> dict[str, str]:
    return {source_src(i): render_source_page(site.sources[i], site, directory_urls) for i in source_ids}


def render_listing_pages(site: Site, directory_urls: bool = True) -> dict[str, str]:
    """The pages that list claims: the verdict scale, one listing per verdict, the archive."""
    pages = {SCALE_SRC: render_scale_page(site, directory_urls)}
    pages.update(render_verdict_pages(site, directory_urls))
    pages.update(render_archive_pages(site, directory_urls))
    return pages
