"""The validated content, as plain data that the rest of the core only reads: frozen records,
and the Site that holds them, made once every claim is known."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from factcheck_site.content.prose_links import SOURCE, has_links, plain_text
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.language import _

# Words that say a name names no one: a claimant, relay or publisher so described cannot be told apart
# from another (content/claimants.py refuses such claimants unless they point to one article).
NO_ONE = re.compile(r"\b(?:unidentified|unnamed|unknown|anonymous|unattributed|unspecified|not identified|"
                    r"not named|no publisher)\b", re.IGNORECASE)


def names_no_one(name: str | None) -> bool:
    return not name or not name.strip() or NO_ONE.search(name) is not None


def article_name(source: Source) -> str:
    """How pages name an article: by its publisher, or, when the copy we hold does not name one, as the
    article itself, by its headline."""
    return source.publisher if not names_no_one(source.publisher) else f"the article “{source.title}”"


ACCORDING_TO = _("{claimant}, according to {via}")  # who made a claim, and whose report it is

@dataclass(frozen=True)
class Source:
    id: str
    path: str  # as given to the loader, for messages and edit links
    title: str
    publisher: str | None  # None: the copy we hold does not name its publisher
    text: str
    body_line: int  # line in the file where the text starts
    url: str | None = None
    archived: str | None = None
    published: dt.date | None = None
    retrieved: dt.date | None = None
    language: str = "en"
    sha256: str | None = None
    reproduces: tuple[str, ...] = ()  # the dispatches (wire reports) it reproduces, by id (reporting_lines.py)


@dataclass(frozen=True)
class Quote:
    source: str
    text: str
    stance: str
    note: str | None
    line: int
    spans: tuple[tuple[int, int], ...] = ()  # where it occurs in the source text
    states_claim_date: bool = False  # the passage gives the claim's date (claim_dates.py checks it does)
    reproduces: tuple[str, ...] | None = None  # the dispatches it reproduces, when not its source's


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str
    previous_verdict: str | None = None  # set when the correction changed the verdict


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
    claimant_type: str = "organization"
    claimant_via: str | None = None  # who relayed the claim: a source id or a name
    claim_is_quote: bool = False  # the claim occurs verbatim in a source in appeared_in
    claimant_lineno: int = 1  # where the claimant and the tags are in the file, for problems found across claims
    tags_lineno: int = 1
    claimant_source: str | None = None  # when the claimant is an article: its source id (claimant is its name)
    imported_from: str | None = None  # where the fact-check was first published, before it was added here

    @property
    def last_changed(self) -> dt.date:
        return max([self.published, self.updated or self.published, *(c.date for c in self.corrections)])


@dataclass(frozen=True)
class Site:
    """Every claim and source that passed. It indexes them (the claims citing each source when first asked for),
    so its fields cannot be set afterwards, and its dicts are not to be changed either: make a new Site instead."""

    sources: dict[str, Source]
    claims: dict[str, Claim]
    scale: tuple[Verdict, ...]
    verdicts: dict[str, Verdict] = field(init=False)
    committed: dict[str, dt.date] = field(default_factory=dict)  # claim id -> last commit touching its file
    dispatches: dict[str, str] = field(default_factory=dict)  # dispatch id -> its name, as readers see it

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdicts", {v.id: v for v in self.scale})

    @cached_property
    def cited_by(self) -> dict[str, list[Claim]]:
        """The claims citing each source (see citing), indexed when first asked for: `factcheck validate` never asks
        (a tenth of its time after the claims are checked, at 5,000 claims), and a build that renders asks before
        its pages' processes fork. Not a field: neither compared nor shown."""
        cited_by: dict[str, list[Claim]] = {}
        for claim in self.claims_newest_first():
            for cited in dict.fromkeys([*(q.source for q in claim.quotes), *claim.appeared_in]):
                cited_by.setdefault(cited, []).append(claim)
        return cited_by

    def link_text(self, kind: str, ref_id: str) -> str | None:
        """What a link without words shows (content/prose_links.py): a source's title, a claim's text;
        None for an id that is not on the site."""
        if kind == SOURCE:
            return self.sources[ref_id].title if ref_id in self.sources else None
        return self.claims[ref_id].claim if ref_id in self.claims else None

    def plain(self, text: str) -> str:
        """Editors' prose as readers read it, with each link to a source or claim as its words or title."""
        return plain_text(text, self.link_text) if has_links(text) else text

    def via_source(self, claim: Claim) -> Source | None:
        """The source that relayed the claim, when claimant_via names one by its id."""
        return self.sources.get(claim.claimant_via) if claim.claimant_via else None

    def via_name(self, claim: Claim) -> str | None:
        """Who relayed the claim, by name: a source's publisher, the article itself when the copy we hold does not
        name its publisher (never a phrase that names no one), or the name the editor wrote."""
        source = self.via_source(claim)
        return article_name(source) if source else claim.claimant_via

    def claimant_line(self, claim: Claim) -> str:
        """The claimant as every page names them: with whose report the attribution is, when one article
        (or one dispatch) alone attributes the claim to them ("X, according to the article “…”")."""
        via = self.via_name(claim)
        return ACCORDING_TO.format(claimant=claim.claimant, via=via) if via else claim.claimant

    def last_changed(self, claim: Claim) -> dt.date:
        """The newer of the file's last commit and the dates the editor wrote down.

        A commit older than the declared dates (content imported in bulk, say) must
        not make a page look older than its own publication date.
        """
        committed = self.committed.get(claim.id)
        return max(claim.last_changed, committed) if committed else claim.last_changed

    def claims_newest_first(self) -> list[Claim]:
        """A new list each time. Sorted once per dict of claims: every listing asks, and a copy of this Site
        that notes what a page reads (render/reads.py) has a dict of its own, so that it sorts, and notes, again."""
        sorted_for = self.__dict__.get("_newest_first")
        if sorted_for is None or sorted_for[0] is not self.claims:
            sorted_for = (self.claims, sorted(self.claims.values(), key=lambda c: (c.published, c.id), reverse=True))
            object.__setattr__(self, "_newest_first", sorted_for)
        return list(sorted_for[1])

    def citing(self, source_id: str) -> list[Claim]:
        """The claims that quote a source or name it in appeared_in, newest first.

        Indexed once (cited_by), so that rendering every source page stays linear in the archive's size.
        """
        return self.cited_by.get(source_id, [])
