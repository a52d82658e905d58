"""Relative URLs between generated pages, computed on strings, agree with the file
system's own relpath, for every pair of the kinds of page a site has."""

from __future__ import annotations

import itertools
import posixpath

import pytest
from factcheck_site.render.urls import page_url, relative_url

SRCS = ["index.md", "about.md", "claims/a.md", "claims/b-2.md", "sources/s.md", "verdicts/index.md",
        "verdicts/false/index.md", "verdicts/false/2.md", "archive/index.md", "archive/3.md", "a/b/c/d.md",
        "a/b/index.md", "claims/index.md"]


def reference(from_src: str, to_src: str, directory_urls: bool, fragment: str = "") -> str:
    here, there = page_url(from_src, directory_urls), page_url(to_src, directory_urls)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    relative = posixpath.relpath(there.rstrip("/") or ".", base or ".")
    if there.endswith("/") or there == "":
        relative = relative.rstrip("/") + "/" if relative != "." else "./"
    return relative + (f"#{fragment}" if fragment else "")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_url_matches_relpath(directory_urls: bool) -> None:
    for from_src, to_src in itertools.product(SRCS, SRCS):
        for fragment in ("", "q-a-1"):
            assert relative_url(from_src, to_src, directory_urls, fragment) == \
                reference(from_src, to_src, directory_urls, fragment), (from_src, to_src)


def test_examples() -> None:
    assert relative_url("claims/a.md", "sources/s.md", True, "q-a-1") == "../../sources/s/#q-a-1"
    assert relative_url("index.md", "claims/a.md", True) == "claims/a/"
    assert relative_url("claims/a.md", "index.md", True) == "../../"
    assert relative_url("claims/a.md", "sources/s.md", False) == "../sources/s.html"
