"""The verdict scale: what a site may rule, and in what order.

Sites may replace the default scale in mkdocs.yml; ranks give the order on the
scale page and the numeric rating published in structured data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck_site.content.formats import SLUG_PATTERN


def N_(text: str) -> str:
    """Marks the default scale's words for the catalogues (`./dev translations`); translated_scale translates them."""
    return text


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str
    meaning: str
    rank: int  # 1 is the worst rating; higher is more accurate; 0 means not rated


DEFAULT_SCALE: tuple[Verdict, ...] = (
    Verdict("true", N_("True"), N_("The claim is accurate and nothing significant is missing."), 6),
    Verdict("mostly-true", N_("Mostly true"), N_("The claim is accurate but needs clarification or extra context."), 5),
    Verdict("mixed", N_("Mixed"), N_("The claim contains both accurate and inaccurate elements."), 4),
    Verdict("misleading", N_("Misleading"), N_("The claim contains accurate facts but leaves a false impression."), 3),
    Verdict("mostly-false", N_("Mostly false"),
            N_("The claim contains an element of truth but ignores critical facts."), 2),
    Verdict("false", N_("False"), N_("The claim is inaccurate."), 1),
    Verdict("unverified", N_("Unverified"), N_("The available evidence can neither confirm nor refute the claim."), 0),
)


def translated_scale(scale: tuple[Verdict, ...], translate: Callable[[str], str]) -> tuple[Verdict, ...]:
    """The scale with its labels and meanings in the site's language (translate: the catalogue's gettext). The
    default scale's words are in the catalogues (marked N_ above); the words a desk writes in mkdocs.yml (its own
    scale, or the default one reworded) are in the desk's language and in no catalogue, so they pass unchanged."""
    return tuple(Verdict(v.id, translate(v.label), translate(v.meaning), v.rank) for v in scale)


def _reworded(entries: list[Any]) -> tuple[tuple[Verdict, ...], list[str]]:
    """The default scale in the desk's own words: entries without ranks give a default verdict's label or meaning
    (say, in the desk's language), and the scale keeps its verdicts and order."""
    problems: list[str] = []
    words: dict[str, dict[str, str]] = {}
    default_ids = [v.id for v in DEFAULT_SCALE]
    for number, entry in enumerate(entries, 1):
        vid = str(entry.get("id")).lower() if isinstance(entry.get("id"), bool) else entry.get("id")
        unknown = set(entry) - {"id", "label", "meaning"}
        if unknown:
            problems.append(f"verdict {number} has unknown keys {sorted(unknown)}; to reword the default scale use "
                            "id, label and meaning")
        if vid not in default_ids:
            problems.append(f"verdict {number}: '{vid}' is not on the default scale ({', '.join(default_ids)}); give "
                            "every verdict a rank to define a scale of your own")
            continue
        given = {key: entry[key] for key in ("label", "meaning") if key in entry}
        if not given or not all(isinstance(text, str) and text.strip() for text in given.values()):
            problems.append(f"verdict '{vid}': give its label, its meaning or both, as non-empty text")
            continue
        words[vid] = {key: text.strip() for key, text in given.items()}
    scale = tuple(Verdict(v.id, words.get(v.id, {}).get("label", v.label),
                          words.get(v.id, {}).get("meaning", v.meaning), v.rank) for v in DEFAULT_SCALE)
    return scale, problems


def parse_scale(entries: Any) -> tuple[tuple[Verdict, ...], list[str]]:
    """Read a scale from mkdocs.yml; returns the scale and any problems with it. Entries with ranks define a scale
    of the desk's own; entries without any rank reword verdicts of the default scale."""
    problems: list[str] = []
    if not isinstance(entries, list) or not entries:
        return DEFAULT_SCALE, ["verdicts must be a non-empty list of {id, label, meaning, rank}"]
    if all(isinstance(entry, dict) and "rank" not in entry for entry in entries):
        return _reworded(entries)
    scale: list[Verdict] = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            problems.append(f"verdict {number} must be a mapping with id, label, meaning and rank")
            continue
        unknown = set(entry) - {"id", "label", "meaning", "rank"}
        if unknown:
            problems.append(f"verdict {number} has unknown keys {sorted(unknown)}; use id, label, meaning, rank")
        vid, label, meaning, rank = (entry.get(k) for k in ("id", "label", "meaning", "rank"))
        if isinstance(vid, bool):
            vid = str(vid).lower()
        if not isinstance(vid, str) or not re.fullmatch(SLUG_PATTERN, vid):
            problems.append(f"verdict {number}: id must be lowercase letters, digits and hyphens")
            continue
        if not isinstance(label, str) or not label.strip() or not isinstance(meaning, str) or not meaning.strip():
            problems.append(f"verdict '{vid}': label and meaning must be non-empty text")
            continue
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 0:
            problems.append(f"verdict '{vid}': rank must be a whole number, 0 for 'not rated'")
            continue
        if any(v.id == vid for v in scale):
            problems.append(f"verdict '{vid}' is defined twice")
            continue
        scale.append(Verdict(vid, label.strip(), meaning.strip(), rank))
    return tuple(scale) or DEFAULT_SCALE, problems


def ordered(scale: tuple[Verdict, ...]) -> list[Verdict]:
    """Most accurate first, unrated verdicts last."""
    return sorted(scale, key=lambda v: (v.rank == 0, -v.rank))


def rated(scale: tuple[Verdict, ...]) -> list[Verdict]:
    """The points of the scale, worst first: every verdict but the unrated ones."""
    return sorted((v for v in scale if v.rank > 0), key=lambda v: v.rank)
