"""The generated pages of a site, as {src_uri: Markdown}, and the data files beside them.

build.py decides which are rendered when, and on how many cores."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from factcheck_site.content.load import display
from factcheck_site.content.model import Claim, Site, Source
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
from factcheck_site.output.pieces import KeptPieces, Pieces
from factcheck_site.render.browse_pages import render_claimant_pages, render_sources_directory, render_tag_pages
from factcheck_site.render.claim_page import render_claim_page
from factcheck_site.render.context import RenderContext
from factcheck_site.render.corrections_page import render_corrections_pages
from factcheck_site.render.listings import render_archive_pages, render_scale_page, render_verdict_pages
from factcheck_site.render.placeholders import fill_placeholders
from factcheck_site.render.source_page import render_cited_by_pages, render_source_page
from factcheck_site.render.urls import HOME_SRC, SCALE_SRC, claim_src, source_src
from factcheck_site.render.who_said_what import render_who_said_what_pages


def render_claim_pages(ctx: RenderContext, claims: Iterable[Claim]) -> dict[str, str]:
    return {claim_src(claim.id): render_claim_page(claim, ctx) for claim in claims}


def render_source_pages(ctx: RenderContext, sources: Iterable[Source] | None = None) -> dict[str, str]:
    """Each source's page (or only those of sources), and the pages listing what cites it."""
    pages: dict[str, str] = {}
    for source in ctx.site.sources.values() if sources is None else sources:
        pages[source_src(source.id)] = render_source_page(source, ctx)
        pages.update(render_cited_by_pages(source, ctx))
    return pages


def _scale_page(ctx: RenderContext) -> dict[str, str]:
    return {SCALE_SRC: render_scale_page(ctx)}


# The pages that list claims or sources; each is paginated, so none grows with the archive.
LISTINGS: tuple[Callable[[RenderContext], dict[str, str]], ...] = (
    _scale_page, render_verdict_pages, render_archive_pages, render_tag_pages, render_claimant_pages,
    render_sources_directory, render_corrections_pages, render_who_said_what_pages)


def docs_clashes(generated: Iterable[str], docs_dir: Path, root: Path,
                 refused: Iterable[Problem] = ()) -> list[Problem]:
    """Pages in docs/ at the path of a generated page: one would silently replace the other.

    The home page is the exception: the site's own replaces the generated one, and shows the latest
    fact-checks all the same. refused: the links content/symlinks.py refuses, which are not followed."""
    # docs/ is small: one listing (through folder links, as MkDocs reads it), not a look-up per generated page;
    # compared case-blind, as a Mac's disk compares, with each match then looked up itself.
    present = set()
    skipped = {os.path.join(os.path.realpath(root), problem.path) for problem in refused}
    for folder, subfolders, names in os.walk(docs_dir, followlinks=True):
        subfolders[:] = [name for name in subfolders
                         if os.path.join(os.path.realpath(folder), name) not in skipped]
        present.update(os.path.relpath(os.path.join(folder, name), docs_dir).replace(os.sep, "/").casefold()
                       for name in names)
    return [Problem(display(docs_dir / src, root), 1, "this page is generated from claims and sources; rename or "
                    "remove it") for src in sorted(generated)
            if src != HOME_SRC and src.casefold() in present and (docs_dir / src).exists()]


def render_own_page(src_uri: str, markdown: str, home_section: str,
                    organization: dict[str, Any]) -> tuple[str, list[str]]:
    """One of the site's own pages (in docs/) as readers get it, and the placeholders that have no value:
    `{{ organization.name }}` and the like filled in, and the home page followed by the latest fact-checks
    (home_section, from build_site)."""
    markdown, missing = fill_placeholders(markdown, organization)
    if src_uri == HOME_SRC:
        markdown += "\n\n" + home_section + "\n"
    return markdown, missing


DATA_FILES = (RSS_PATH, JSON_FEED_PATH, CLAIMS_JSON, CLAIMS_CSV, CLAIMREVIEW_JSON, DATAPACKAGE_JSON)  # in their order


def render_data_files(site: Site, publication: Publication, kept: KeptPieces | None = None) -> dict[str, Pieces]:
    """Feeds and exports, as {path in the built site: its encoded pieces}. Under `mkdocs serve`, kept holds each
    claim's pieces from the last build (output/pieces.py), and only those of claims that changed are made again."""
    if kept is not None:
        kept.next_build(site, publication)
    json_export, csv_export = claims_json(site, publication, kept), claims_csv(site, publication, kept)
    files = dict(zip(DATA_FILES, (rss_feed(site, publication, kept), json_feed(site, publication, kept), json_export,
                                  csv_export, claimreview_json(site, publication, kept),
                                  datapackage_json(site, publication, json_export, csv_export)), strict=True))
    if kept is not None:
        kept.end_build()
    return files
