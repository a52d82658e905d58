"""What every generated page is rendered with: the whole site, how its pages are addressed,
and who publishes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factcheck_site.content.model import Site
from factcheck_site.content.prose_links import SOURCE
from factcheck_site.content.publisher import Publication
from factcheck_site.render.kept_pages import KeptPages
from factcheck_site.render.urls import claim_src, relative_url, source_src


@dataclass(frozen=True)
class RenderContext:
    site: Site  # every claim and source that passed, so any page can link to any other
    directory_urls: bool = True  # MkDocs' use_directory_urls: claims/foo/ rather than claims/foo.html
    publication: Publication | None = None  # None without a site_url: no structured data or social cards
    kept: KeptPages | None = field(default=None, compare=False, repr=False)  # the last build's listing pages
    # What one build makes once for every page that shows it, by what it is of (render/line_counts.py): a new
    # context for each build, and the copies that note a page's reads (render/reads.py) share it.
    made: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.publication is not None and self.publication.directory_urls != self.directory_urls:
            raise ValueError("the publication's canonical URLs and the pages' links must use the same URL style")

    def link(self, here: str, to: str, fragment: str = "") -> str:
        """The URL of page `to` relative to page `here` (both as src_uri, e.g. claims/foo.md)."""
        return relative_url(here, to, self.directory_urls, fragment)

    def reference(self, here: str, kind: str, ref_id: str) -> tuple[str, str] | None:
        """(relative URL, title or claim text) of a source or claim that prose links to by id
        (content/prose_links.py); None when it is not on the site (its file was refused)."""
        text = self.site.link_text(kind, ref_id)
        if text is None:
            return None
        return self.link(here, source_src(ref_id) if kind == SOURCE else claim_src(ref_id)), text
