"""The same thing twice: one article saved under two ids, one claim checked in two files.

Every source is a reporting line of its own unless it says which dispatch it reproduces (reporting_lines.py), so
the same article added twice (add-source run again with another title, a copy renamed) would count as two
independent lines backing a claim: a page would state as corroborated what only one article says. Sources whose
text is the same, word for word, are refused, unless they say they reproduce a common dispatch (two outlets
printing one wire report), which already counts them once.

A claim file copied to start another (README.md's first step) and published without its claim rewritten is a
second fact-check of one claim: two pages, and two verdicts to keep apart. A claim with the same words, claimant
and claim date as one published before it is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from factcheck_site.content.model import Claim, Source
from factcheck_site.content.problems import Problem


def same_article_problems(sources: dict[str, Source]) -> list[Problem]:
    """A problem on each source whose text another source (the first by id) already has."""
    by_length: dict[int, list[Source]] = defaultdict(list)  # texts are compared only where their lengths agree
    for source_id in sorted(sources):
        by_length[len(sources[source_id].text)].append(sources[source_id])
    problems = []
    for group in by_length.values():
        for index, later in enumerate(group):
            first = next((earlier for earlier in group[:index] if earlier.text == later.text
                          and not set(earlier.reproduces) & set(later.reproduces)), None)
            if first is not None:
                problems.append(Problem(later.path, later.body_line, (
                    f"the text is the same, word for word, as {first.path}'s: one article saved twice would count as "
                    f"two independent reporting lines; delete this file and quote '{first.id}' instead, or, if two "
                    "publishers print one dispatch word for word, declare it under plugins.factcheck.dispatches in "
                    "mkdocs.yml and name it in both files' reproduces")))
    return problems


@lru_cache(maxsize=2**17)  # under mkdocs serve every build compares every claim: 25,000 claims fold once, not per save
def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def same_claim_problems(claims: Iterable[Claim]) -> list[Problem]:
    """A problem on each claim whose words (case and spacing aside), claimant and claim date a claim published
    before it already has; claims published the same day are each told of the other (which is the copy, only
    the editors know). Both keep their pages, so that a preview shows what the build refuses."""
    groups: dict[tuple[str, str, object], list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[(_words(claim.claim), _words(claim.claimant), claim.claim_date)].append(claim)
    problems = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: (c.published, c.path))
        for claim in group:
            other = next((c for c in group if c is not claim and c.published <= claim.published), None)
            if other is not None:
                problems.append(Problem(claim.path, 1, (
                    f"the claim, its claimant and its date are those of {other.path}: one claim is checked once; "
                    "update that fact-check (with a correction if its verdict changes), or, if this file was copied "
                    "to start a new one, write its own claim here")))
    return problems
