"""Who a claimant or a tag is: one spelling, one page, and no two spellings a reader could mistake.

A claimant's page (and a tag's) lists every claim whose name has the same words (name_key: case,
spacing and punctuation between words do not count, letters, digits, marks and symbols do: "C", "C#"
and "C++" are three names). Its title is that spelling, never chosen by a vote: so two claims that
spell one name two ways ("Kim Jong Un" and "Kim Jong-un") are refused, with both files named, until
an editor writes one spelling in both; and so are two names that look alike though their letters
differ (a Cyrillic "і" in "Kim Jong Un"): Unicode's confusable skeleton (UTS #39, from the vendored
unicode/confusables.txt) of the one equals the other's. An emoji or a symbol added to a name makes
another name ("Russian Ministry of Defense 🤡" has its own page), which cannot take the real one's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files

from factcheck_site.content.invisible import CANDIDATES
from factcheck_site.content.model import Claim
from factcheck_site.content.problems import Problem

# Punctuation that only separates or frames words (hyphens, dashes, quotes, brackets, stops, slashes); other
# punctuation (# % & * @ § †) is part of a name, as symbols are.
_SEPARATING = frozenset(".,;:!?·…'\"/\\¿¡‧")


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    if category[0] in "LNMS":  # letters, digits, the marks that belong to them, symbols
        return True
    return category == "Po" and char not in _SEPARATING


@lru_cache(maxsize=1 << 16)  # a desk's few names, on every claim of every build under mkdocs serve
def name_key(name: str) -> str:
    """What makes two names the same name: their words, compared after Unicode normalization (NFKC)
    and case folding. Case, spacing and punctuation between words do not count ("Kim Jong-un" is "kim jong
    un"); letters, accents, digits and symbols do ("José" is not "Jose", "C#" is not "C"). A name with no
    words at all is compared whole."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    words = "".join(c if _is_word_char(c) else " " for c in folded).split()
    return " ".join(words) if words else "\x00" + " ".join(folded.split())


@cache
def _prototypes() -> dict[str, str]:
    text = files("factcheck_site.content.unicode").joinpath("confusables.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, target = line.split(";")
            table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target.split())
    return table


@lru_cache(maxsize=1 << 16)  # a desk's few names, on every claim of every build under mkdocs serve
def skeleton(name: str) -> str:
    """UTS #39's skeleton: two names are confusable when their skeletons are equal. NFD, without
    default-ignorable characters, each character replaced by its prototype, NFD again; spacing collapsed."""
    decomposed = CANDIDATES.sub("", unicodedata.normalize("NFD", name))
    table = _prototypes()
    mapped = unicodedata.normalize("NFD", "".join(table.get(char, char) for char in decomposed))
    return " ".join(mapped.split())


@lru_cache(maxsize=1 << 16)  # a desk's few names, on every claim of every build under mkdocs serve
def spelling(name: str) -> str:
    """A name as one spelling: NFC, spaces collapsed (the same text to a reader)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


class _Spellings:
    """How many claims spell each name's words and skeleton each way, kept from one call to the next (`mkdocs serve`
    checks every claim on every save): a call counts again only the claims that are not the very Claims of the last,
    and those gone. Two names clash only where one key has two spellings, so while every key has one, no claim
    clashes, and the order that decides which claim is refused need not be worked out."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[Claim, Keyed]] = {}  # by claim id: its names, keyed
        self.spellings: dict[tuple[str, str, str], dict[str, int]] = {}  # (what, rule, key) -> {spelling: claims}
        self.mixed = 0  # keys with more than one spelling

    def _count(self, keyed: Keyed, step: int) -> None:
        for key, name in keyed:
            found = self.spellings.setdefault(key, {})
            before = len(found)
            count = found.get(name, 0) + step
            if count:
                found[name] = count
            else:
                del found[name]
            if not found:
                del self.spellings[key]
            self.mixed += (len(found) > 1) - (before > 1)

    def any_clash(self, claims: Iterable[Claim]) -> bool:
        """Whether two of claims spell one name's words, or its skeleton, two ways (or two claims have one id)."""
        last, self.names = self.names, {}
        for claim in claims:
            if claim.id in self.names:  # not one claim per id: counted again from nothing next time
                self.__init__()  # type: ignore[misc]
                return True
            entry = last.pop(claim.id, None)
            if entry is None or entry[0] is not claim:
                if entry is not None:
                    self._count(entry[1], -1)
                entry = (claim, _keyed_names(claim))
                self._count(entry[1], 1)
            self.names[claim.id] = entry
        for _, keyed in last.values():
            self._count(keyed, -1)
        return self.mixed > 0


Keyed = tuple[tuple[tuple[str, str, str], str], ...]  # ((what, rule, key), spelling) for each of a claim's names


def _keyed_names(claim: Claim) -> Keyed:
    """Each of a claim's names, under each rule."""
    keyed: list[tuple[tuple[str, str, str], str]] = []
    for what, given in (("claimant", (claim.claimant,)), ("tag", claim.tags)):
        for name in dict.fromkeys(spelling(n) for n in given):
            keyed += [((what, "words", name_key(name)), name), ((what, "looks", skeleton(name)), name)]
    return tuple(keyed)


_KNOWN = _Spellings()


def name_clashes(claims: Iterable[Claim]) -> tuple[list[Problem], set[str]]:
    """Two spellings of a claimant, or of a tag, that would share a page (the same words) or that look
    alike: a problem on the claim published later (then by path), naming the other file; and the ids of
    the claims refused."""
    claims = list(claims)
    if not _KNOWN.any_clash(claims):
        return [], set()
    problems: list[Problem] = []
    refused: set[str] = set()
    ordered = sorted(claims, key=lambda c: (c.published, c.path))
    for what, names_of, line_of in (("claimant", lambda c: (c.claimant,), lambda c: c.claimant_lineno),
                                    ("tag", lambda c: c.tags, lambda c: c.tags_lineno)):
        first: dict[tuple[str, str], tuple[str, Claim]] = {}  # (rule, key) -> the first spelling, where
        for claim in ordered:
            for name in dict.fromkeys(spelling(n) for n in names_of(claim)):
                for rule, key in (("words", name_key(name)), ("looks", skeleton(name))):
                    seen = first.setdefault((rule, key), (name, claim))
                    if seen[0] == name:
                        continue
                    other = seen[1]
                    if rule == "words":
                        why = "has the same words as"
                        after = "would share its page, and one of the two spellings would be its title"
                    else:
                        why = "looks the same as"
                        after = (f"is another name ({_first_difference(name, seen[0])}): readers could not tell "
                                 "the two pages apart")
                    problems.append(Problem(claim.path, line_of(claim), (
                        f"{what} '{name}' {why} '{seen[0]}' ({other.path}:{line_of(other)}) but {after}; write "
                        f"one spelling in both files")))
                    refused.add(claim.id)
                    break
    return problems, refused


def _first_difference(name: str, other: str) -> str:
    for mine, theirs in zip(unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", other), strict=False):
        if mine != theirs:
            return (f"'{mine}' U+{ord(mine):04X} {unicodedata.name(mine, '')} where the other has "
                    f"'{theirs}' U+{ord(theirs):04X} {unicodedata.name(theirs, '')}")
    return "one has characters the other has not"
