"""Finding a quote in a source's text, forgiving typography but not words.

Editors paste quotes from browsers, word processors and PDFs, which change quote
marks, dashes, ellipses and spaces; none of that may cause a false mismatch. Case
and words must match exactly, because a quote that changes a word is a misquote.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_SPACES = re.compile(r"\s", re.UNICODE)
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
OMISSION = re.compile(r"\[\s*(?:\.\s*\.\s*\.|\u2026)\s*\]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: tuple[int, ...]  # origin[i] is the index in the original text of text[i]


def normalize(text: str) -> Normalized:
    """Fold typographic variants; keep a map back to the original offsets."""
    out: list[str] = []
    origin: list[int] = []

    def put(char: str, index: int) -> None:
        out.append(char)
        origin.append(index)

    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if _SPACES.match(char):
            if out and out[-1] not in " -":
                put(" ", index)
            continue
        if char in _DASHES:
            if out and out[-1] == " ":
                out.pop()
                origin.pop()
            if not out or out[-1] != "-":
                put("-", index)
            continue
        if char in _SINGLE_QUOTES:
            char = "'"
        elif char in _DOUBLE_QUOTES:
            char = '"'
        elif char == "\u2026":
            for _ in range(3):
                put(".", index)
            continue
        put(char, index)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return Normalized("".join(out), tuple(origin))


def split_omissions(quote: str) -> list[str]:
    """The parts of a quote between `[...]` markers, normalized."""
    return [normalize(part).text for part in OMISSION.split(quote)]


def omission_problem(quote: str) -> str | None:
    """Why a quote's omission markers are misplaced, or None."""
    parts = split_omissions(quote)
    if not any(parts):
        return "the quote is empty; paste the passage from the source"
    if len(parts) > 1:
        if not parts[0]:
            return "the quote starts with [...]; start it at the first quoted word instead"
        if not parts[-1]:
            return "the quote ends with [...]; end it at the last quoted word instead"
        if not all(parts):
            return "the quote has two [...] markers with nothing between them; use one"
    return None


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _find_whole_word(haystack: str, needle: str, start: int) -> int:
    while True:
        found = haystack.find(needle, start)
        if found < 0:
            return -1
        end = found + len(needle)
        before_ok = found == 0 or not (_is_word_char(haystack[found - 1]) and _is_word_char(needle[0]))
        after_ok = end == len(haystack) or not (_is_word_char(haystack[end]) and _is_word_char(needle[-1]))
        if before_ok and after_ok:
            return found
        start = found + 1


def _paragraphs(text: str) -> list[tuple[int, str]]:
    result, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        result.append((start, text[start : match.start()]))
        start = match.end()
    result.append((start, text[start:]))
    return result


def _span(norm: Normalized, start: int, end: int, offset: int) -> tuple[int, int]:
    return offset + norm.origin[start], offset + norm.origin[end - 1] + 1


def find_quote(source_text: str, quote: str) -> tuple[tuple[int, int], ...] | None:
    """Where the quote occurs in the source, as (start, end) offsets per part, or None.

    A quote without omissions may cross paragraph breaks (editors join lines);
    with `[...]` the parts must occur in order within one paragraph.
    """
    parts = split_omissions(quote)
    if not all(parts):
        return None
    if len(parts) == 1:
        norm = normalize(source_text)
        found = _find_whole_word(norm.text, parts[0], 0)
        return None if found < 0 else (_span(norm, found, found + len(parts[0]), 0),)
    for offset, paragraph in _paragraphs(source_text):
        norm = normalize(paragraph)
        spans, position = [], 0
        for part in parts:
            found = _find_whole_word(norm.text, part, position)
            if found < 0:
                break
            spans.append(_span(norm, found, found + len(part), offset))
            position = found + len(part)
        else:
            return tuple(spans)
    return None


@dataclass(frozen=True)
class Passage:
    text: str  # from the original source, as an editor would paste it
    similarity: int  # percent


def closest_passages(source_text: str, quote: str, limit: int = 1) -> list[Passage]:
    """The source passages most like the quote, best first, for error messages."""
    wanted = max(split_omissions(quote), key=len) if OMISSION.search(quote) else normalize(quote).text
    if not wanted:
        return []
    norm = normalize(source_text)
    words = [m.span() for m in re.finditer(r"\S+", norm.text)]
    wanted_words = set(wanted.split())
    size = len(wanted.split())
    # Rank windows cheaply by shared words, then compare only the best few closely.
    shared = [0]
    for start, end in words:
        shared.append(shared[-1] + (norm.text[start:end] in wanted_words))
    candidates: list[tuple[int, int, int]] = []
    for width in {max(1, size - 1), size, size + 1}:
        for first in range(0, max(1, len(words) - width + 1)):
            last = min(first + width, len(words))
            candidates.append((shared[last] - shared[first], first, last - 1))
    candidates.sort(key=lambda item: -item[0])
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    scored: list[tuple[float, int, int]] = []
    for _, first, last in candidates[:60]:
        if not words:
            break
        start, end = words[first][0], words[last][1]
        matcher.set_seq1(norm.text[start:end])
        scored.append((matcher.ratio(), start, end))
    scored.sort(key=lambda item: (-item[0], item[1]))
    passages: list[Passage] = []
    taken: list[tuple[int, int]] = []
    for ratio, start, end in scored:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        original = source_text[norm.origin[start] : norm.origin[end - 1] + 1]
        passages.append(Passage(" ".join(original.split()), min(99, int(ratio * 100))))
        if len(passages) == limit:
            break
    return passages
