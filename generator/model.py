"""The validated content: plain, immutable data that the rest of the core works on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .verdicts import Verdict


@dataclass(frozen=True)
class Source:
    id: str
    path: str  # as given to the loader, for messages and edit links
    title: str
    publisher: str
    text: str
    body_line: int  # line in the file where the text starts
    url: str | None = None
    archived: str | None = None
    published: dt.date | None = None
    retrieved: dt.date | None = None
    language: str = "en"
    sha256: str | None = None


@dataclass(frozen=True)
class Quote:
    source: str
    text: str
    stance: str
    note: str | None
    line: int
    spans: tuple[tuple[int, int], ...] = ()  # where it occurs in the source text


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str


@dataclass(frozen=True)
class Claim:
    id: str
    path: str
    claim: str
    claimant: str
    verdict: str
    summary: str
    quotes: tuple[Quote, ...]
    author: str
    published: dt.date
    claim_date: dt.date | None = None
    appeared_in: tuple[str, ...] = ()
    analysis: str | None = None
    tags: tuple[str, ...] = ()
    updated: dt.date | None = None
    corrections: tuple[Correction, ...] = ()

    @property
    def last_changed(self) -> dt.date:
        return max([self.published, self.updated or self.published, *(c.date for c in self.corrections)])


@dataclass
class Site:
    sources: dict[str, Source]
    claims: dict[str, Claim]
    scale: tuple[Verdict, ...]
    verdicts: dict[str, Verdict] = field(init=False)

    def __post_init__(self) -> None:
        self.verdicts = {v.id: v for v in self.scale}

    def claims_newest_first(self) -> list[Claim]:
        return list(self._newest_first)

    @cached_property
    def _newest_first(self) -> tuple[Claim, ...]:
        return tuple(sorted(self.claims.values(), key=lambda c: (c.published, c.id), reverse=True))

    @cached_property
    def citations(self) -> dict[str, list[tuple[Claim, int, Quote]]]:
        """For each source id, the (claim, quote number, quote) quoting it, newest claim first.

        Built once, so a source page costs the same however many claims the site has.
        """
        found: dict[str, list[tuple[Claim, int, Quote]]] = {}
        for claim in self._newest_first:
            for number, quote in enumerate(claim.quotes, 1):
                found.setdefault(quote.source, []).append((claim, number, quote))
        return found

    @cached_property
    def appearances(self) -> dict[str, list[Claim]]:
        """For each source id, the claims that appeared in it, newest first."""
        found: dict[str, list[Claim]] = {}
        for claim in self._newest_first:
            for source_id in claim.appeared_in:
                found.setdefault(source_id, []).append(claim)
        return found
