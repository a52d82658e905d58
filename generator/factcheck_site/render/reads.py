"""What a renderer reads of the site, so that a page (or a feed's item) is made again only when that changed.

`reading` gives a renderer a Site whose dicts note every key looked up: the claims, sources, commit dates and
lists of citing claims a page shows. build.py keeps each claim's and source's pages with their reads from one
build to the next under `mkdocs serve`, and renders again only those whose reads `changed_reads` finds changed;
`ReadMemo` does the same for values made from one claim (the feeds' and exports' records). Whatever else a page
depends on (the verdict scale, the URL style, the publication) is in the build's options: when they change,
nothing is reused.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from factcheck_site.content.model import Claim, Site
from factcheck_site.render.context import RenderContext

Value = TypeVar("Value")


Read = tuple[str, Any]  # (a field of Site: claims, sources, committed, cited_by; a key of it, or EVERY)
Reads = frozenset[Read]  # what rendering one claim's or one source's pages read
EVERY = "\0every"  # the key of a read that went through a whole field (its length, every item)
TRACKED = ("claims", "sources", "committed", "cited_by")


class _Reading(Mapping[Any, Any]):
    """One of a Site's dicts, as a page being rendered sees it: every key looked up is noted."""

    __slots__ = ("_data", "_name", "_reads")

    def __init__(self, data: Mapping[Any, Any], name: str, reads: set[Read]) -> None:
        self._data, self._name, self._reads = data, name, reads

    def __getitem__(self, key: Any) -> Any:
        self._reads.add((self._name, key))
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._reads.add((self._name, key))
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._reads.add((self._name, key))
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        self._reads.add((self._name, EVERY))
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.add((self._name, EVERY))
        return len(self._data)


def reading_site(site: Site) -> tuple[Site, set[Read]]:
    """site, noting what is read of it: the claims, sources, commit dates and citations looked up."""
    reads: set[Read] = set()
    seen = copy.copy(site)
    for name in TRACKED:
        object.__setattr__(seen, name, _Reading(getattr(site, name), name, reads))
    return seen, reads


def reading(ctx: RenderContext) -> tuple[RenderContext, set[Read]]:
    """ctx with a Site that notes what a renderer reads of it (reading_site)."""
    site, reads = reading_site(ctx.site)
    return replace(ctx, site=site), reads


_last_compared: list[tuple[Site, Site, frozenset[Read]]] = []  # the last two sites compared, and what differs


def changed_reads(before: Site, after: Site) -> frozenset[Read]:
    """The reads whose answer differs between two sites. A save under `mkdocs serve` asks it of the same two sites
    three times (the pages, the feeds' records, the search documents), each a pass over every claim and source: a
    Site and its dicts are never changed once made (content/model.py), so the last answer is given again."""
    if _last_compared and _last_compared[0][0] is before and _last_compared[0][1] is after:
        return _last_compared[0][2]
    changed: set[Read] = set()
    for name in TRACKED:
        old, new = getattr(before, name), getattr(after, name)
        keys = {key for key in old.keys() | new.keys()
                if old.get(key) is not new.get(key) and old.get(key) != new.get(key)}
        changed.update((name, key) for key in keys)
        if keys:
            changed.add((name, EVERY))
    _last_compared[:] = [(before, after, frozenset(changed))]
    return _last_compared[0][2]




class ReadMemo:
    """Values made from one claim and the site, kept from one build to the next (`mkdocs serve`) with what making
    them read of the site, and made again only when the claim or any of those reads changed."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], tuple[Any, Reads]] = {}
        self.site: Site | None = None
        self.options: Any = None
        self.changed: frozenset[Read] = frozenset()

    def next_build(self, site: Site, options: Any) -> None:
        """Start a build of site with options (what the values depend on besides the site): with other options, or
        another verdict scale, nothing is kept."""
        if self.site is None or options != self.options or site.scale != self.site.scale:
            self.entries = {}  # the scale (and the verdicts made from it) is the one part of a Site not tracked
        else:
            self.changed = changed_reads(self.site, site)
            self.entries = {key: entry for key, entry in self.entries.items() if key[1] in site.claims}
        self.site, self.options = site, options

    def value(self, kind: str, claim: Claim, site: Site, make: Callable[[Claim, Site], Value]) -> Value:
        """make(claim, site), or what it gave last time if nothing it read has changed since."""
        entry = self.entries.get((kind, claim.id))
        if entry is not None and entry[1].isdisjoint(self.changed):
            return entry[0]  # type: ignore[no-any-return]
        seen, reads = reading_site(site)
        made = make(claim, seen)
        self.entries[(kind, claim.id)] = (made, frozenset(reads | {("claims", claim.id)}))
        return made


def each_claim(memo: ReadMemo | None, kind: str, claim: Claim, site: Site,
               make: Callable[[Claim, Site], Value]) -> Value:
    """make(claim, site), through memo when there is one."""
    return make(claim, site) if memo is None else memo.value(kind, claim, site, make)
