"""Claims grouped by tag or by claimant, each group at a stable, readable URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from factcheck_site.content.model import Claim

RESERVED_SLUGS = ("index", "page")  # folder/index.md and folder/page/N.md list the groups themselves
MAX_SLUG_LENGTH = 60


def group_slug(name: str) -> str:
    """Lowercase ASCII words joined by hyphens. A name that loses letters on the way (other scripts),
    is too long, or would take a reserved name gets a short fingerprint, so two names never share
    a page unless they differ only in case, accents or punctuation."""
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", decomposed.lower().encode("ascii", "ignore").decode()).strip("-")
    lost = any(c.isalnum() and not c.isascii() for c in decomposed)
    if lost or not slug or slug in RESERVED_SLUGS or len(slug) > MAX_SLUG_LENGTH:
        digest = hashlib.sha256(name.casefold().encode("utf-8")).hexdigest()[:8]
        slug = "-".join(p for p in (slug[: MAX_SLUG_LENGTH - 9].rstrip("-"), digest) if p)
    return slug


@dataclass(frozen=True)
class Group:
    slug: str
    name: str
    claims: tuple[Claim, ...]  # newest first


def group_claims(claims_newest_first: list[Claim], names_of: Callable[[Claim], Iterable[str]]) -> list[Group]:
    """Groups in alphabetical order; a group's name is its most used spelling."""
    members: dict[str, list[Claim]] = {}
    spellings: dict[str, Counter[str]] = {}
    for claim in claims_newest_first:
        for name in dict.fromkeys(names_of(claim)):
            slug = group_slug(name)
            if not members.get(slug) or members[slug][-1] is not claim:
                members.setdefault(slug, []).append(claim)
            spellings.setdefault(slug, Counter())[name] += 1
    groups = []
    for slug, claims in members.items():
        name = sorted(spellings[slug].items(), key=lambda item: (-item[1], item[0]))[0][0]
        groups.append(Group(slug, name, tuple(claims)))
    return sorted(groups, key=lambda g: (g.name.casefold(), g.slug))


def tag_groups(claims_newest_first: list[Claim]) -> list[Group]:
    return group_claims(claims_newest_first, lambda c: c.tags)


def claimant_groups(claims_newest_first: list[Claim]) -> list[Group]:
    return group_claims(claims_newest_first, lambda c: (c.claimant,))
