"""Generated pages that MkDocs need not parse.

Claim, source and listing pages are HTML written by the renderers (render/), which Python-Markdown passes
through unchanged: its raw-HTML handling and MkDocs' anchor scan each run Python's HTML parser over every byte
of them, most of the time of a build of a large archive spent in MkDocs. The plugin hands Markdown a placeholder
for such a page instead and puts the HTML back in on_page_content, with the anchors MkDocs would have found.

A page qualifies only if every Markdown block of it (the first line, and each line after a blank one) starts with
a block-level HTML tag, the form in which Python-Markdown leaves raw HTML as it is; anything else (the home page
and the verdict scale, which hold Markdown) is converted as usual. tests/test_raw_html.py builds the sites with and
without this shortcut and compares them byte for byte.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Set

import markdown

# The tags that open a raw block: Python-Markdown's own list, asked for rather than copied, so a release that
# changes it cannot leave a page parsed one way and passed through the other.
BLOCK_TAGS = frozenset(markdown.Markdown().block_level_elements)
PLACEHOLDER = "factcheckrawhtmlplaceholder"  # one word: Markdown makes it <p>PLACEHOLDER</p>
CONVERTED = f"<p>{PLACEHOLDER}</p>"
_BLOCK_START = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)[\s>/]")
_TAG = re.compile(r"<([a-zA-Z][^\s/<>]*)((?:\s+[^\s=/<>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>")
_ATTRIBUTE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")


def passes_through(markdown: str) -> bool:
    """Whether Python-Markdown would give this page's body back as it is (stripped of blank lines at its ends)."""
    if not markdown.strip():
        return False
    after_blank = True
    for line in markdown.split("\n"):
        if not line.strip():
            after_blank = True
            continue
        if after_blank:
            match = _BLOCK_START.match(line)
            if match is None or match.group(1).lower() not in BLOCK_TAGS:
                return False
        after_blank = False
    return True


def converted(markdown: str) -> str:
    """What Python-Markdown makes of a body that passes_through."""
    return markdown.strip("\n")


def anchor_ids(page_html: str) -> set[str]:
    """The ids MkDocs finds in raw HTML (its _HTMLHandler): every element's id, and the name of each <a>."""
    found: set[str] = set()
    for tag in _TAG.finditer(page_html):
        if "id" not in tag.group(2) and "name" not in tag.group(2):
            continue
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            name = attribute.group(1).lower()
            if name == "id" or (name == "name" and tag.group(1).lower() == "a"):
                value = next((v for v in attribute.groups()[1:] if v is not None), None)
                found.add(html.unescape(value) if value is not None else None)  # type: ignore[arg-type]
    return found


class Anchors(Set[str]):
    """anchor_ids of a page, found only if asked: MkDocs asks only for pages that a link with an anchor points to.
    page_html may be a function giving it, so that a build does not hold every page's HTML until it ends."""

    __slots__ = ("_html", "_ids")

    def __init__(self, page_html: str | Callable[[], str]) -> None:
        self._html: str | Callable[[], str] | None = page_html
        self._ids: set[str] = set()

    def _found(self) -> set[str]:
        if self._html is not None:
            self._ids, self._html = anchor_ids(self._html if isinstance(self._html, str) else self._html()), None
        return self._ids

    def __contains__(self, anchor: object) -> bool:
        return anchor in self._found()

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())
