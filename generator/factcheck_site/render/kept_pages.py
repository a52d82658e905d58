"""Listing pages kept from one build to the next under `mkdocs serve`, each made again only when what it is made
from changed.

A listing sorts and pages through every claim, so noting what it reads (render/reads.py) would make each of its
pages depend on the whole site, and a saved claim would make all of them again: at 25,000 claims, 2 s of every
save. Instead each page names what it is made from: the claims on it, and plain values (its number, the number
of pages, its title, counts). A page is kept while those are the same: the same Claim objects, since build.py
keeps the Claim of a file it does not read again and makes a new one for a file that changed, and equal values.

What every page depends on besides (the sources, the verdict scale, the URL style, the publication) is in the
build's options: build.py starts from nothing when they change, as it does for claim and source pages.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from factcheck_site.content.model import Claim

Made = dict[str, tuple[tuple[Claim, ...], tuple[Hashable, ...], str]]  # by src_uri: its claims, values, page


class KeptPages:
    """The listing pages of the last build (`last`), and those of this one as they are made (`made`); with pack, each
    page as pack makes it of the page made (build.py's, under `mkdocs serve`: compressed)."""

    def __init__(self, last: Made | None = None, pack: Callable[[str], Any] | None = None) -> None:
        self.last: Made = last or {}
        self.made: Made = {}
        self.pack = pack

    def page(self, here: str, claims: Sequence[Claim], values: tuple[Hashable, ...], make: Callable[[], str]) -> str:
        """make(), or the page the last build made at `here` from the same claims and equal values."""
        claims = tuple(claims)
        entry = self.last.get(here)
        if (entry is not None and entry[1] == values and len(entry[0]) == len(claims)
                and all(map(operator.is_, entry[0], claims))):
            page = entry[2]
        else:
            page = make() if self.pack is None else self.pack(make())
        self.made[here] = (claims, values, page)
        return page


def kept_page(kept: KeptPages | None, here: str, claims: Sequence[Claim], values: tuple[Hashable, ...],
              make: Callable[[], str]) -> str:
    """make(), through kept when there is one (under `mkdocs serve`)."""
    return make() if kept is None else kept.page(here, claims, values, make)
