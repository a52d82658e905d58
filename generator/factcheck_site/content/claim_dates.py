"""A claim's date must be traceable: a quote marked states_claim_date gives it, in its own words.

We give a date only where a source states when the statement was made, and never infer a year (or a
day) that no source gives: the passage must give the year, month and day of claim_date, and each part it
gives must be claim_date's. Dates are read as English writes them ("December 12th", "12 December 2025",
"Friday, December 12, 2025"), as 2025-12-12, as Chinese, Japanese and Korean write them (2025년 12월 12일), and with
the month names of the source's own language from CLDR ("13 декабря 2025").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), 1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|2\d)\d\d)"
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b",
    # Chinese, Japanese and Korean: 2025年12月12日, 2025년 12월 12일 (and the parts: 12월 12일, 2025년 12월)
    r"(?P<year>(?:1[89]|2\d)\d\d)\s*[年년]\s*(?P<month>[01]?\d)\s*[月월](?:\s*(?P<day>[0-3]?\d)\s*[日일])?",
    r"(?<!\d)(?P<month>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]",
    rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?",
    rf"\b{_MONTH},?\s+{_YEAR}\b",
    rf"\b(?:in|since|from|on|by|until|of|early|late|mid-?)\s+{_MONTH}\b",
    rf"\b{_YEAR}\b",
)]


@lru_cache(maxsize=32)
def _month_names(language: str) -> dict[str, int]:
    """The month names (wide and abbreviated, in running text and alone) of a language, from CLDR through Babel,
    lowercased: "декабря" is 12 in Russian. English's are MONTHS; a language CLDR does not know has none."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return {}
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale).items():
                if name.rstrip(".").isalpha():
                    names.setdefault(name.rstrip(".").lower(), number)
    return names


@lru_cache(maxsize=32)
def _patterns(language: str) -> tuple[list[re.Pattern[str]], dict[str, int]]:
    """The patterns dates are read with in a source of this language, and its month names: English's, with the
    language's own month names ("13 декабря 2025", "12. Dezember 2025", "12 de diciembre de 2025")."""
    months = {name: n for name, n in _month_names(language).items() if name not in MONTHS}
    if not months or language.split("-", 1)[0] == "en":
        return _PATTERNS, MONTHS
    month = r"(?P<month>" + "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True)) + r")\.?"
    day = r"(?P<day>[0-3]?\d)\.?"
    own = [re.compile(p, re.IGNORECASE) for p in (
        rf"\b{day}\s+(?:de\s+)?{month}(?:,?\s+(?:de\s+)?{_YEAR}\b)?",
        rf"(?<!\w){month}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
        rf"(?<!\w){month},?\s+(?:de\s+)?{_YEAR}\b",
    )]
    return own + _PATTERNS, {**MONTHS, **months}
Stated = tuple[int | None, int | None, int | None]  # (year, month, day), each None when the passage omits it


def _russian_day_month_year() -> re.Pattern[str]:
    """One of the patterns made from a language's month names, for tests/test_regex_cost.py to attack."""
    return _patterns("ru")[0][0]


def stated_dates(text: str, language: str = "en") -> list[Stated]:
    """Every date the passage gives, as far as it gives it, in the order found; a stretch read as one date
    is not read again as a shorter one. language: the source's, whose month names are read too."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Stated]] = []
    patterns, months = _patterns(language)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            parts = match.groupdict()
            month = parts.get("month")
            number = (int(month) if month.isdigit() else months[month.lower()]) if month else None
            day = int(parts["day"]) if parts.get("day") else None
            if (number is not None and not 1 <= number <= 12) or (day is not None and not 1 <= day <= 31):
                continue
            taken.append(match.span())
            found.append((match.start(), (int(parts["year"]) if parts.get("year") else None, number, day)))
    return [stated for _, stated in sorted(found)]


def _shown(stated: Stated) -> str:
    year, month, day = stated
    names = [n for n, m in MONTHS.items() if m == month and len(n) > 3 or (m == 5 and month == 5)]
    words = [str(day) if day else "", names[0].capitalize() if month else "", str(year) if year else ""]
    return " ".join(w for w in words if w)


def date_problem(text: str, claim_date: dt.date, language: str = "en") -> str | None:
    """Why a passage (from a source in `language`) does not state claim_date, or None when it does."""
    wanted = (claim_date.year, claim_date.month, claim_date.day)
    stated = stated_dates(text, language)
    if any(s == wanted for s in stated):
        return None
    agreeing = [s for s in stated if all(part is None or part == want for part, want in zip(s, wanted, strict=True))]
    if agreeing:
        best = max(agreeing, key=lambda s: sum(part is not None for part in s))
        missing = [name for name, part in zip(("year", "month", "day"), best, strict=True) if part is None]
        return (f"the passage gives {_shown(best)} but no {' or '.join(missing)}, so it does not state "
                f"claim_date ({claim_date.isoformat()}); we do not infer a date no source gives: remove "
                "claim_date, or mark a passage that gives the year, month and day")
    if stated:
        return (f"the passage gives {_shown(stated[0])}, not claim_date ({claim_date.isoformat()}); correct "
                "claim_date, or mark the passage that states it")
    return (f"no date found in the passage (dates are read as 12 December 2025, December 12, 2025, 2025-12-12, "
            f"2025년 12월 12일 or with the month names of the source's language); mark the passage that states "
            f"claim_date ({claim_date.isoformat()})")


def claim_date_problems(values: dict[str, Any], lines: dict[str, int],
                        languages: Mapping[str, str] | None = None) -> list[tuple[int, str]]:
    """(line, message) for a claim date that no marked quote states, and a marked quote that does not
    (languages: each source's language, whose month names its passages are read with)."""
    claim_date = values.get("claim_date")
    marked = [(number, q) for number, q in enumerate(values.get("quotes", []), 1) if q.get("states_claim_date")]
    if claim_date is None:
        return [(q["_line"], f"quote {number}: 'states_claim_date' is true, but the claim has no claim_date; add "
                 "the date the passage gives as claim_date, or remove states_claim_date") for number, q in marked]
    if not marked:
        return [(lines["claim_date"], f"'claim_date' is {claim_date.isoformat()}, but no quote is marked as stating "
                 "it: add states_claim_date: true to the quote whose passage gives the year, month and day the "
                 "claim was made, or remove claim_date (we give a date only where a source states it)")]
    problems = []
    for number, quote in marked:
        problem = date_problem(quote["text"], claim_date, (languages or {}).get(quote.get("source", ""), "en"))
        if problem:
            problems.append((quote["_line"], f"quote {number} is marked states_claim_date, but {problem}"))
    return problems
