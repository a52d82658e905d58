"""Claims grouped by tag or by claimant, each group at a stable, readable URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from factcheck_site.content.formats import WINDOWS_DEVICE_NAMES
from factcheck_site.content.model import Claim

# folder/index.md and folder/page/N.md list the groups themselves; device names cannot be
# folders on Windows.
RESERVED_SLUGS = frozenset({"index", "page", *WINDOWS_DEVICE_NAMES})
MAX_SLUG_LENGTH = 60
DIGEST_LENGTH = 16  # hex digits: 64 bits, so that nobody can make up a name to match another's


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"  # letters, digits and the marks that belong to them


def name_key(name: str) -> str:
    """What makes two names the same name: their words, compared after Unicode normalization
    (NFKC) and case folding. Case, spacing and punctuation between words do not count
    ("Kim Jong-un" is "kim jong un"); letters, accents and digits do ("José" is not "Jose").
    A name with no words at all is compared whole."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    words = "".join(c if _is_word_char(c) else " " for c in folded).split()
    return " ".join(words) if words else "\x00" + " ".join(folded.split())


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
