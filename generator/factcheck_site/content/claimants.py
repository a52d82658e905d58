"""Who made a claim, and through whom we know it: one identifiable speaker or publication, and the
article whose report it is when only one reporting line attributes the claim.

A claimant that names no one ("Unidentified news dispatch", "Unnamed officials") cannot be told apart
from another, so it must point to exactly one article: either the claimant is that article itself (its
source id, shown as the article's publisher or, when the copy names none, as "the article “…”"), or
claimant_via names the one article that reports the unnamed speaker. A claimant may not be a group of
publications. A person named as the claimant by one reporting line only is that line's report: the
claim must say whose report it is (claimant_via), and pages then say "according to" that article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from factcheck_site.content.formats import SLUG_PATTERN
from factcheck_site.content.model import Quote, Source, names_no_one
from factcheck_site.content.reporting_lines import reporting_lines

GROUP = re.compile(r"\b(?:publishers|publications|outlets|newspapers|articles|dispatches|media reports|"
                   r"news reports|several|various|multiple|and others)\b", re.IGNORECASE)
# Words of a title, not of a name: "Governor Alexander Khinstoyev" is named where "Alexander Khinstoyev" is.
TITLES = frozenset({"mr", "mrs", "ms", "dr", "sir", "governor", "president", "prime", "minister", "chancellor",
                    "senator", "general", "leader", "king", "queen", "spokesperson", "spokesman", "spokeswoman",
                    "secretary", "mayor", "deputy", "chairman", "chair"})


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in folded).split()


def names_person(text: str, name: str) -> bool:
    """Whether a text names a person: every word of the name, apart from titles, occurs in it as a word."""
    wanted = [w for w in _words(name) if w not in TITLES]
    present = set(_words(text))
    return bool(wanted) and all(w in present for w in wanted)


def claimant_problems(values: dict[str, Any], lines: dict[str, int], sources: Mapping[str, Source],
                      broken: set[str]) -> list[tuple[int, str]]:
    """(line, message) for a claimant or relay that is not one identifiable speaker or publication."""
    claimant, via = values.get("claimant"), values.get("claimant_via")
    if claimant is None:
        return []
    line = lines["claimant"]
    if claimant in sources or claimant in broken:
        appeared = values.get("appeared_in", ())
        if claimant in sources and claimant not in appeared:
            return [(line, f"the claimant is the article '{claimant}', so the claim appeared in it: add "
                     f"{claimant} to appeared_in")]
        return []
    if re.fullmatch(SLUG_PATTERN, claimant):
        return [(line, f"'claimant' names unknown source '{claimant}' (no file sources/{claimant}.md); write "
                 "the id of the article that made the claim, or the claimant's name as it is spelled, e.g. "
                 "'Kim Jong Un'")]
    if GROUP.search(claimant):
        return [(line, f"'claimant' is a group ('{claimant}'); a claimant is one speaker or publication: name "
                 "the one who made the claim, or, when that is an article whose publisher the copy does not "
                 "name, write that article's source id as the claimant (list the others in appeared_in)")]
    if names_no_one(claimant) and not (via in sources or via in broken):
        return [(lines.get("claimant_via", line), f"'claimant' names no one ('{claimant}'), so it must point to "
                 "exactly one article: write the article's source id as the claimant when the statement is the "
                 "article's own, or keep the description and name in claimant_via the one article that reports "
                 "them, by its source id")]
    if via is not None and via not in sources and via not in broken and names_no_one(via):
        return [(lines["claimant_via"], f"'claimant_via' names no one ('{via}'); name the one article that "
                 "relayed the claim by its source id")]
    return []


def person_problem(values: dict[str, Any], quotes: list[Quote], sources: Mapping[str, Source]) -> str | None:
    """A person named as the claimant by fewer than two independent reporting lines, with nothing saying whose
    report that is: the supporting quotes whose sources name the person are counted by reporting line."""
    claimant = values.get("claimant")
    if values.get("claimant_type") != "person" or values.get("claimant_via") or claimant is None:
        return None
    naming = [q for q in quotes if q.stance == "supports" and q.source in sources
              and names_person(sources[q.source].text, claimant)]
    lines = reporting_lines(naming, sources)
    if len(lines) >= 2:
        return None
    if not lines:
        return (f"no source quoted in support of the claim names '{claimant}', so pages cannot state that they "
                "made it: name in claimant_via, by its source id, the article that attributes it to them (pages "
                "then say \"according to\" it), or quote the passage that names them")
    shown = ", ".join(lines[0].sources)
    return (f"only one reporting line ({shown}) attributes the claim to '{claimant}', so that is its report, "
            f"not an established fact: add claimant_via: {lines[0].sources[0]} (pages then say \"according to\" "
            "that article), or quote a source of another line that attributes it to them")
