"""URLs between generated pages.

Generated pages are raw HTML blocks, which MkDocs does not rewrite, so the core
computes relative URLs itself, the same way MkDocs would for Markdown links.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache


@lru_cache(maxsize=1 << 17)
def page_url(src_uri: str, directory_urls: bool) -> str:
    """The site-relative URL MkDocs gives a page, e.g. claims/foo.md -> claims/foo/."""
    stem, _ = posixpath.splitext(src_uri)
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return folder + "/" if folder else ""
    return stem + "/"


@lru_cache(maxsize=1 << 17)
def _url_parts(url: str) -> tuple[str, ...]:
    return tuple(p for p in url.split("/") if p and p != ".")


@lru_cache(maxsize=1 << 17)
def _from(src_uri: str, directory_urls: bool) -> tuple[str, ...]:
    """The folders of a page's URL: claims/foo.md -> ('claims', 'foo'), or ('claims',) as claims/foo.html."""
    url = page_url(src_uri, directory_urls)
    return _url_parts(url) if url.endswith("/") else _url_parts(url)[:-1]


@lru_cache(maxsize=1 << 17)
def _to(src_uri: str, directory_urls: bool) -> tuple[tuple[str, ...], str, bool]:
    """A page's URL as parts, those parts joined, and whether it names a folder (ends with a slash)."""
    url = page_url(src_uri, directory_urls)
    parts = _url_parts(url)
    return parts, "/".join(parts), url.endswith("/") or url == ""


def relative_url(from_src: str, to_src: str, directory_urls: bool, fragment: str = "") -> str:
    """Computed on the strings alone (no file system): the build makes hundreds of thousands of these, most of them
    between pages with no folder in common (a listing's link to a claim), each part looked up once per page."""
    here = _from(from_src, directory_urls)
    target, joined, folder = _to(to_src, directory_urls)
    if here and target and here[0] == target[0]:
        common = 1
        while common < len(here) and common < len(target) and here[common] == target[common]:
            common += 1
        relative = "/".join((("..",) * (len(here) - common)) + target[common:]) or "."
    elif not here:
        relative = joined or "."
    elif target:
        relative = "../" * len(here) + joined
    else:
        relative = "../" * (len(here) - 1) + ".."
    if folder:
        relative = relative + "/" if relative != "." else "./"
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
# Every generated page except the home page lies in one of these (tests/test_site_build.py checks).
GENERATED_FOLDERS = ("claims", "sources", "verdicts", "archive", "tags", "claimants", "corrections", "who-said-what")
HOME_SRC = "index.md"


def directory_src(folder: str, page: int = 1) -> str:
    """A paginated list of groups (tags, claimants, sources); group pages are folder/<slug>/."""
    return f"{folder}/index.md" if page == 1 else f"{folder}/page/{page}.md"


def tag_src(slug: str, page: int = 1) -> str:
    return f"tags/{slug}/index.md" if page == 1 else f"tags/{slug}/{page}.md"


def claimant_src(slug: str, page: int = 1) -> str:
    return f"claimants/{slug}/index.md" if page == 1 else f"claimants/{slug}/{page}.md"


def corrections_src(page: int = 1) -> str:
    return "corrections/index.md" if page == 1 else f"corrections/{page}.md"


def who_said_what_src(page: int = 1) -> str:
    return "who-said-what/index.md" if page == 1 else f"who-said-what/{page}.md"


TAGS_FOLDER, CLAIMANTS_FOLDER, SOURCES_FOLDER = "tags", "claimants", "sources"
TAGS_SRC, CLAIMANTS_SRC, SOURCES_SRC = (directory_src(f) for f in (TAGS_FOLDER, CLAIMANTS_FOLDER, SOURCES_FOLDER))


def cited_by_src(source_id: str, page: int = 1) -> str:
    """All claims citing a source, when there are too many for the source's own page."""
    return f"sources/{source_id}/cited-by.md" if page == 1 else f"sources/{source_id}/cited-by/{page}.md"
