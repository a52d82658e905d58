"""URLs between generated pages.

Generated pages are raw HTML blocks, which MkDocs does not rewrite, so the core
computes relative URLs itself, the same way MkDocs would for Markdown links.
"""

from __future__ import annotations

import posixpath


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The site-relative URL MkDocs gives a page, e.g. claims/foo.md -> claims/foo/."""
    stem, _ = posixpath.splitext(src_uri)
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return folder + "/" if folder else ""
    return stem + "/"


def relative_url(from_src: str, to_src: str, directory_urls: bool, fragment: str = "") -> str:
    here = page_url(from_src, directory_urls)
    there = page_url(to_src, directory_urls)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    target = there.rstrip("/") or "."
    relative = posixpath.relpath(target or ".", base or ".")
    if there.endswith("/") or there == "":
        relative = relative.rstrip("/") + "/" if relative != "." else "./"
    return relative + (f"#{fragment}" if fragment else "")


def claim_src(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def source_src(source_id: str) -> str:
    return f"sources/{source_id}.md"


def verdict_src(verdict_id: str, page: int = 1) -> str:
    return f"verdicts/{verdict_id}/index.md" if page == 1 else f"verdicts/{verdict_id}/{page}.md"


def archive_src(page: int = 1) -> str:
    return "archive/index.md" if page == 1 else f"archive/{page}.md"


SCALE_SRC = "verdicts/index.md"
GENERATED_FOLDERS = ("claims", "sources", "verdicts", "archive")  # every generated page except the home page
HOME_SRC = "index.md"
