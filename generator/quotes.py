"""Finding a quote in a source's text, forgiving typography but not words.

Editors paste quotes from browsers, word processors and PDFs, which change quote
marks, dashes, ellipses and spaces; none of that may cause a false mismatch. Case
and words must match exactly, because a quote that changes a word is a misquote.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from operator import itemgetter, sub

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
OMISSION = re.compile(r"\[\s*(?:\.\s*\.\s*\.|\u2026)\s*\]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_PUNCTUATION = re.compile(r"[^\w\s]")


class Offsets:
    """Maps an index in normalized text back to the original text.

    Stored as stretches rather than one entry per character, so that a source of
    megabytes costs kilobytes here: (normalized start, original start, step), where
    step 1 copies characters one for one and step 0 is a replacement whose
    characters all come from one original character.
    """

    __slots__ = ("_norm_starts", "_orig_starts", "_steps", "_length")

    def __init__(self, stretches: list[tuple[int, int, int]], length: int) -> None:
        self._norm_starts = [s[0] for s in stretches]
        self._orig_starts = [s[1] for s in stretches]
        self._steps = [s[2] for s in stretches]
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        k = bisect.bisect_right(self._norm_starts, index) - 1
        return self._orig_starts[k] + (index - self._norm_starts[k]) * self._steps[k]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Offsets) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: Offsets  # origin[i] is the index in the original text of text[i]


_QUOTE_FOLDS = [(char, "'") for char in _SINGLE_QUOTES] + [(char, '"') for char in _DOUBLE_QUOTES]
# What normalization changes: runs of spaces, dashes and invisible characters, and the
# ellipsis. A lone space between words is already normal, so the pattern skips it.
_FOLDED = re.escape(_INVISIBLE + _DASHES)
_IRREGULAR = re.compile(rf"[\s{_FOLDED}]{{2,}}|[{_FOLDED}]|[^\S ]|\u2026")


def _fold_run(run: str, start: int, at_edge: bool) -> tuple[str, int]:
    """A run of spaces, dashes and invisible characters: one "-" if it has a dash, else
    one " " unless it is at the edge of the text or paragraph, else nothing."""
    for index, char in enumerate(run):
        if char in _DASHES:
            return "-", start + index
    if not at_edge:
        for index, char in enumerate(run):
            if char not in _INVISIBLE:
                return " ", start + index
    return "", start


def _normalize(text: str, paragraphs: bool) -> Normalized:
    folded = text
    for char, plain in _QUOTE_FOLDS:
        if char in folded:
            folded = folded.replace(char, plain)
    out: list[str] = []
    stretches: list[tuple[int, int, int]] = []
    length = 0

    def put(replacement: str, origin: int) -> None:
        nonlocal length
        if replacement:
            stretches.append((length, origin, 0))
            out.append(replacement)
            length += len(replacement)

    def copy(start: int, end: int) -> None:
        nonlocal length
        if end > start:
            stretches.append((length, start, 1))
            out.append(folded[start:end])
            length += end - start

    size = len(folded)
    copied = 1 if folded.startswith(" ") else 0  # a lone space at either end is dropped
    last = size - 1 if folded.endswith(" ") else size
    for match in _IRREGULAR.finditer(folded):
        start, end = match.span()
        copy(copied, start)
        copied = end
        run = match.group()
        if run == "\u2026":
            put("...", start)
            continue
        breaks = list(_PARAGRAPH_BREAK.finditer(run)) if paragraphs and "\n" in run else []
        if breaks:
            first, final = breaks[0].start(), breaks[-1].end()
            put(*_fold_run(run[:first], start, at_edge=True))
            put("\n", start + first)
            put(*_fold_run(run[final:], start + final, at_edge=True))
        else:
            put(*_fold_run(run, start, at_edge=not length or end == size))
    copy(copied, max(copied, last))
    return Normalized("".join(out), Offsets(stretches, length))


def normalize(text: str) -> Normalized:
    """Fold typographic variants; keep a map back to the original offsets.

    Inside a run of spaces, dashes and invisible characters, any dash makes the run
    one "-", else any space makes it one " " (none at either end of the text); the
    ellipsis becomes "...". Per-character work happens in C (regular expressions,
    str.replace), so a source of megabytes takes a fraction of a second.
    """
    return _normalize(text, paragraphs=False)


def _normalize_paragraphs(text: str) -> Normalized:
    """Like normalize, paragraph by paragraph, joined by "\\n" (which normalized text never contains)."""
    return _normalize(text, paragraphs=True)


# A source is searched once per quote; folding it once per source keeps a claim with
# many quotes on a long source cheap.
_normalized_source = functools.lru_cache(maxsize=8)(normalize)
_normalized_paragraphs = functools.lru_cache(maxsize=8)(_normalize_paragraphs)


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


def _whole_word(needle: str) -> re.Pattern[str]:
    """The needle, not as part of a longer word: no letter or digit may touch a letter or digit at its ends."""
    before = r"(?<![^\W_])" if needle[0].isalnum() else ""
    after = r"(?![^\W_])" if needle[-1].isalnum() else ""
    return re.compile(before + re.escape(needle) + after)


def _span(norm: Normalized, start: int, end: int) -> tuple[int, int]:
    return norm.origin[start], norm.origin[end - 1] + 1


def find_quote(source_text: str, quote: str) -> tuple[tuple[int, int], ...] | None:
    """Where the quote occurs in the source, as (start, end) offsets per part, or None.

    A quote without omissions may cross paragraph breaks (editors join lines);
    with `[...]` the parts must occur in order within one paragraph.
    """
    parts = split_omissions(quote)
    if not all(parts):
        return None
    if len(parts) == 1:
        norm = _normalized_source(source_text)
        found = _whole_word(parts[0]).search(norm.text)
        return None if found is None else (_span(norm, *found.span()),)
    norm = _normalized_paragraphs(source_text)
    patterns = [_whole_word(part) for part in parts]
    position = 0
    while (first := patterns[0].search(norm.text, position)) is not None:
        paragraph_end = norm.text.find("\n", first.end())
        paragraph_end = len(norm.text) if paragraph_end < 0 else paragraph_end
        spans, after = [_span(norm, *first.span())], first.end()
        for pattern in patterns[1:]:
            found = pattern.search(norm.text, after, paragraph_end)
            if found is None:
                break
            spans.append(_span(norm, *found.span()))
            after = found.end()
        else:
            return tuple(spans)
        position = paragraph_end + 1
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
    norm = _normalized_source(source_text)
    words = norm.text.split(" ") if norm.text else []  # normalized text has single spaces between words
    if not words:
        return []
    # Words are compared without punctuation, so that "months" finds "months.".
    wanted_words = set(_PUNCTUATION.sub("", wanted).split())
    size = len(wanted.split())
    count = len(words)
    keys = _PUNCTUATION.sub("", norm.text).split(" ")  # as many as words: no spaces are removed
    # Rank windows cheaply by shared words, then compare only the best few closely.
    # The counting runs in C (accumulate, map), so a long source stays fast.
    before = list(accumulate(map(len, words), initial=0))  # word k starts at before[k] + k
    shared = list(accumulate(map(wanted_words.__contains__, keys), initial=0))

    def windows(width: int) -> Iterator[tuple[int, int, int]]:
        width = min(width, count)
        firsts = count - width + 1
        return zip(map(sub, shared[width:], shared[:firsts]), range(firsts), repeat(width))

    candidates = heapq.nlargest(60, chain.from_iterable(windows(w) for w in {max(1, size - 1), size, size + 1}),
                                key=itemgetter(0))
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    scored: list[tuple[float, int, int]] = []
    for _, first, width in candidates:
        last = first + width - 1
        start, end = before[first] + first, before[last + 1] + last
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
