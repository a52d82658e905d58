"""Claims grouped by tag or by claimant, each group at a stable, readable URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from factcheck_site.content.formats import WINDOWS_DEVICE_NAMES
from factcheck_site.content.model import Claim
from factcheck_site.content.names import name_key, spelling

# folder/index.md and folder/page/N.md list the groups themselves; device names cannot be
# folders on Windows.
RESERVED_SLUGS = frozenset({"index", "page", *WINDOWS_DEVICE_NAMES})
MAX_SLUG_LENGTH = 60
DIGEST_LENGTH = 16  # hex digits: 64 bits, so that nobody can make up a name to match another's


@lru_cache(maxsize=1 << 16)  # names recur: each claimant and tag is looked up for every one of its claims
def group_slug(name: str) -> str:
    """The address of a name's page: its words, lowercase and joined by hyphens, when they are
    plain ASCII letters and digits; otherwise (other scripts, accents, too long, a reserved
    name, no words) a readable ASCII part, '--' and a fingerprint of the name. A readable slug
    never holds '--', so the two kinds cannot meet, and two names share a page only when they
    are the same name (see name_key)."""
    key = name_key(name)
    readable = key.replace(" ", "-")
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", readable) and len(readable) <= MAX_SLUG_LENGTH \
            and readable not in RESERVED_SLUGS:
        return readable
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    ascii_part = re.sub(r"[^a-z0-9]+", "-", decomposed.encode("ascii", "ignore").decode()).strip("-")
    ascii_part = ascii_part[: MAX_SLUG_LENGTH - DIGEST_LENGTH - 2].rstrip("-") or "name"
    return f"{ascii_part}--{hashlib.sha256(key.encode('utf-8')).hexdigest()[:DIGEST_LENGTH]}"


@dataclass(frozen=True)
class Group:
    slug: str
    name: str
    claims: tuple[Claim, ...]  # newest first


def group_claims(claims_newest_first: list[Claim], names_of: Callable[[Claim], Iterable[str]]) -> list[Group]:
    """Groups in alphabetical order. A group's name is its one spelling: two spellings of one name are
    refused before (content/names.py), so its title never comes from a vote among them; were they not, the
    spelling of its first claim would stand."""
    members: dict[str, list[Claim]] = {}
    names: dict[str, str] = {}
    for claim in claims_newest_first:
        for name in dict.fromkeys(names_of(claim)):
            slug = group_slug(name)
            if not members.get(slug) or members[slug][-1] is not claim:
                members.setdefault(slug, []).append(claim)
            names[slug] = spelling(name)  # newest first: the first claim's spelling is the last
    groups = [Group(slug, names[slug], tuple(claims)) for slug, claims in members.items()]
    return sorted(groups, key=lambda g: (g.name.casefold(), g.slug))


def tag_groups(claims_newest_first: list[Claim]) -> list[Group]:
    return group_claims(claims_newest_first, lambda c: c.tags)


def claimant_groups(claims_newest_first: list[Claim]) -> list[Group]:
    return group_claims(claims_newest_first, lambda c: (c.claimant,))
