"""Independent reporting lines: how many separate routes the quoted evidence for a claim came by.

Articles that reproduce the same dispatch (a wire report, an agency's bulletin) are one line however
many outlets print it; an article that reproduces none is a line of its own. A source says which
dispatches it reproduces (`reproduces`), and a quote may say otherwise for its own passage (an
article's own reporting beside the dispatch it carries, or one background paragraph taken from a
dispatch). The verdict stays the editors' call: this only counts what the stances already say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from factcheck_site.content.model import Claim, Quote, Source

STANCES = ("supports", "contradicts", "context")


@dataclass(frozen=True)
class Line:
    sources: tuple[str, ...]  # the articles in it, in the order they are first quoted
    dispatches: tuple[str, ...]  # the dispatches that join them; () for one article's own reporting


def quote_dispatches(quote: Quote, source: Source | None) -> tuple[str, ...]:
    """The dispatches a quoted passage reproduces: its own `reproduces` when given, else its source's."""
    if quote.reproduces is not None:
        return quote.reproduces
    return source.reproduces if source is not None else ()


def reporting_lines(quotes: Iterable[Quote], sources: Mapping[str, Source]) -> list[Line]:
    """The lines these quotes came by: articles joined by any dispatch their quoted passages share, in the
    order first quoted. An article counts once: if one of its passages here reproduces a dispatch, the
    article goes with that dispatch's line (the cautious count)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    order: list[str] = []
    for quote in quotes:
        article = ("source", quote.source)
        if quote.source not in order:
            order.append(quote.source)
        find(article)
        for dispatch in quote_dispatches(quote, sources.get(quote.source)):
            parent[find(("dispatch", dispatch))] = find(article)
    members: dict[tuple[str, str], list[str]] = {}
    for source_id in order:
        members.setdefault(find(("source", source_id)), []).append(source_id)
    joined: dict[tuple[str, str], list[str]] = {}
    for node in list(parent):
        if node[0] == "dispatch":
            joined.setdefault(find(node), []).append(node[1])
    return [Line(tuple(ids), tuple(sorted(joined.get(root, ())))) for root, ids in members.items()]


def lines_by_stance(claim: Claim, sources: Mapping[str, Source]) -> dict[str, list[Line]]:
    """{stance: the reporting lines of the quotes with that stance}."""
    return {stance: reporting_lines([q for q in claim.quotes if q.stance == stance], sources) for stance in STANCES}
