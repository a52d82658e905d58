"""Every generated page of a site, as {src_uri: Markdown}."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .links import SCALE_SRC, claim_src, source_src
from .load import display
from .model import Site
from .problems import Problem
from .render_claim import render_claim_page
from .render_index import render_archive_pages, render_scale_page, render_verdict_pages
from .render_source import render_source_page


def render_site(site: Site, directory_urls: bool = True) -> dict[str, str]:
    pages: dict[str, str] = {}
    for claim in site.claims.values():
        pages[claim_src(claim.id)] = render_claim_page(claim, site, directory_urls)
    for source in site.sources.values():
        pages[source_src(source.id)] = render_source_page(source, site, directory_urls)
    pages[SCALE_SRC] = render_scale_page(site, directory_urls)
    pages.update(render_verdict_pages(site, directory_urls))
    pages.update(render_archive_pages(site, directory_urls))
    return pages


def docs_clashes(generated: Iterable[str], docs_dir: Path, root: Path) -> list[Problem]:
    """Pages in docs/ at the path of a generated page: one would silently replace the other."""
    return [Problem(display(docs_dir / src, root), 1, "this page is generated from claims and sources; rename or "
                    "remove it") for src in sorted(generated) if (docs_dir / src).exists()]
