"""The quote matcher as first written: one character at a time, the whole source per
quote. Slow, but short enough to check by eye; the fast matcher in factcheck_site.content.quote_matching
must give exactly its answers (tests/test_quote_matcher_equivalence.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from factcheck_site.content.quote_matching import joins_previous

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


def _nfc(text: str) -> tuple[str, list[int]]:
    """NFC, one cluster (a character and what joins it) at a time, each character mapped to its cluster's start."""
    out: list[str] = []
    origin: list[int] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not joins_previous(text[index]):
            piece = unicodedata.normalize("NFC", text[start:index])
            out.append(piece)
            origin += range(start, index) if piece == text[start:index] else [start] * len(piece)
            start = index
    return "".join(out), origin


def normalize(text: str) -> Normalized:
    """Compose (NFC), fold typographic variants; keep a map back to the original offsets."""
    text, nfc_origin = _nfc(text)
    folded = _fold(text)
    return Normalized(folded.text, tuple(nfc_origin[i] for i in folded.origin))


def _fold(text: str) -> Normalized:
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


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _find_whole_word(haystack: str, needle: str, start: int) -> int:
    while True:
        found = haystack.find(needle, start)
        if found < 0:
            return -1
        end = found + len(needle)
        before_ok = found == 0 or not (_is_word_char(haystack[found - 1]) and _is_word_char(needle[0]))
        after_ok = end == len(haystack) or not (_is_word_char(haystack[end]) and _is_word_char(needle[-1])
                                                or joins_previous(haystack[end]))
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


def _span(norm: Normalized, start: int, end: int, offset: int, text: str) -> tuple[int, int]:
    stop = norm.origin[end - 1] + 1
    while stop < len(text) and joins_previous(text[stop]):  # the marks of the last character
        stop += 1
    return offset + norm.origin[start], offset + stop


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
        return None if found < 0 else (_span(norm, found, found + len(parts[0]), 0, source_text),)
    for offset, paragraph in _paragraphs(source_text):
        norm = normalize(paragraph)
        spans, position = [], 0
        for part in parts:
            found = _find_whole_word(norm.text, part, position)
            if found < 0:
                break
            spans.append(_span(norm, found, found + len(part), offset, paragraph))
            position = found + len(part)
        else:
            return tuple(spans)
    return None
