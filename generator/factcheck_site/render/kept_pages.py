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
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from factcheck_site.content.model import Claim

Kept = TypeVar("Kept")


class Made(dict[str, tuple[tuple[Claim, ...], tuple[Hashable, ...], str]]):
    """The listing pages, by src_uri: the claims each is made from, its values, the page. Besides (each), what the
    listings work out for every claim, and pieces of pages (a row of a table), so that a save works them out again
    only for the claims it changed; and what is counted over every claim (totals), counted again only for those."""

    def __init__(self) -> None:
        super().__init__()
        self.each: dict[str, dict[str, tuple[Claim, Any]]] = {}  # by what: by claim id, (claim, what it gave)
        self.pieces: dict[Hashable, tuple[tuple[Claim, ...], tuple[Hashable, ...], Any]] = {}
        self.totals: dict[str, Counter[Hashable]] = {}


def _same(entry: tuple[tuple[Claim, ...], tuple[Hashable, ...], Any] | None, claims: tuple[Claim, ...],
          values: tuple[Hashable, ...]) -> bool:
    return (entry is not None and entry[1] == values and len(entry[0]) == len(claims)
            and all(map(operator.is_, entry[0], claims)))


class KeptPages:
    """The listing pages of the last build (`last`), and those of this one as they are made (`made`); with pack, each
    page as pack makes it of the page made (build.py's, under `mkdocs serve`: compressed)."""

    def __init__(self, last: Made | None = None, pack: Callable[[str], Any] | None = None) -> None:
        self.last: Made = last if last is not None else Made()
        self.made: Made = Made()
        self.pack = pack

    def page(self, here: str, claims: Sequence[Claim], values: tuple[Hashable, ...], make: Callable[[], str]) -> str:
        """make(), or the page the last build made at `here` from the same claims and equal values."""
        claims = tuple(claims)
        entry = self.last.get(here)
        if entry is not None and _same(entry, claims, values):
            page = entry[2]
        else:
            page = make() if self.pack is None else self.pack(make())
        self.made[here] = (claims, values, page)
        return page

    def piece(self, key: Hashable, claims: tuple[Claim, ...], values: tuple[Hashable, ...],
              make: Callable[[], Kept], small: bool = True) -> Kept:
        """page() for a piece of a page (kept apart from the pages). Pieces that are not small (a row of each claim on
        each page) are kept only when a save makes their page again, not from a build that makes every page: an
        editor saves one claim again and again, and only its pages are made again."""
        entry = self.last.pieces.get(key)
        piece = entry[2] if entry is not None and _same(entry, claims, values) else make()
        if small or self.last:
            self.made.pieces[key] = (claims, values, piece)
        return piece

    def each(self, what: str, claims: Iterable[Claim], make: Callable[[Claim], Kept],
             count: Callable[[Kept], Iterable[Hashable]]) -> tuple[list[Kept], Counter[Hashable]]:
        """[make(claim) for claim in claims], each the last build's for the very same Claim; and how many times each
        thing is counted (count) over all of them, from the last build's total with the claims changed or gone
        counted again."""
        last = self.last.each.get(what, {})
        total = self.last.totals.get(what)
        total = Counter() if total is None else total.copy()
        fresh = what not in self.last.totals
        made: dict[str, tuple[Claim, Any]] = {}
        results = []
        for claim in claims:
            entry = last.get(claim.id)
            if entry is None or entry[0] is not claim or fresh:
                if entry is not None and not fresh:
                    total.subtract(count(entry[1]))
                entry = (claim, make(claim))
                total.update(count(entry[1]))
            made[claim.id] = entry
            results.append(entry[1])
        if not fresh:
            for gone in last.keys() - made.keys():
                total.subtract(count(last[gone][1]))
        total = +total  # nothing counted nought times
        self.made.each[what], self.made.totals[what] = made, total
        return results, total


def kept_page(kept: KeptPages | None, here: str, claims: Sequence[Claim], values: tuple[Hashable, ...],
              make: Callable[[], str]) -> str:
    """make(), through kept when there is one (under `mkdocs serve`)."""
    return make() if kept is None else kept.page(here, claims, values, make)
