"""Finding a quote in a source's text, forgiving typography but not words.

Editors paste quotes from browsers, word processors and PDFs, which change quote
marks, dashes, ellipses and spaces; none of that may cause a false mismatch. Case
and words must match exactly, because a quote that changes a word is a misquote.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
OMISSION = re.compile(r"\[\s*(?:\.\s*\.\s*\.|\u2026)\s*\]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


class Origins(Sequence[int]):
    """origin[i] is the index in the original text of normalized text[i].

    Stored as runs, not one integer per character: most characters map one to
    one, so a source of any length needs only a few dozen runs.
    """

    def __init__(self, starts: list[int], bases: list[int], steps: list[int], length: int) -> None:
        self._starts, self._bases, self._steps, self._length = starts, bases, steps, length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[int, ...]: ...

    def __getitem__(self, index: int | slice) -> int | tuple[int, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._length)))
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("origin index out of range")
        run = bisect_right(self._starts, index) - 1
        return self._bases[run] + self._steps[run] * (index - self._starts[run])

    def first_at_or_after(self, original: int) -> int:
        """The first normalized index whose origin is at or after an original index."""
        run = bisect_left(self._bases, original)
        if run > 0:  # inside the previous run?
            start, base, step = self._starts[run - 1], self._bases[run - 1], self._steps[run - 1]
            end = self._starts[run] if run < len(self._starts) else self._length
            if step and original - base < end - start:
                return start + original - base
        return self._starts[run] if run < len(self._starts) else self._length


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: Origins  # origin[i] is the index in the original text of text[i]


_QUOTE_MARKS = {**dict.fromkeys(_SINGLE_QUOTES, "'"), **dict.fromkeys(_DOUBLE_QUOTES, '"')}
_QUOTE_MARK = re.compile(f"[{re.escape(_SINGLE_QUOTES + _DOUBLE_QUOTES)}]")
_FOLDED = re.escape(_DASHES + _INVISIBLE + "\u2026")
# What normalization changes: any run of spaces, dashes, invisible characters and
# ellipses except a single plain space between two ordinary characters.
_RUN = re.compile(rf"(?: (?=[\s{_FOLDED}])|[^\S ]|[{_FOLDED}])[\s{_FOLDED}]*")


def _fold_run(run: str, start: int, after_text: bool) -> list[tuple[str, int]]:
    """A run's output, character by character with its original index. Spaces collapse
    to one, dashes of any kind (with the spaces around them) become one hyphen, an
    ellipsis becomes three dots and invisible characters vanish."""
    out: list[tuple[str, int]] = []
    last = "x" if after_text else ""  # the previous output character; "" at the start of the text
    for offset, char in enumerate(run):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if last and last not in " -":
                out.append((" ", start + offset))
                last = " "
        elif char in _DASHES:
            if last == " ":
                out.pop()
                last = out[-1][0] if out else ("x" if after_text else "")
            if last != "-":
                out.append(("-", start + offset))
                last = "-"
        else:  # the ellipsis character
            out += [(".", start + offset)] * 3
            last = "."
    return out


def normalize(text: str) -> Normalized:
    """Fold typographic variants; keep a map back to the original offsets."""
    text = _QUOTE_MARK.sub(lambda match: _QUOTE_MARKS[match.group()], text)  # faster than translate: few marks
    pieces: list[str] = []
    starts: list[int] = []
    bases: list[int] = []
    steps: list[int] = []
    length = 0
    copied_from = 0

    def copy(end: int) -> None:
        nonlocal length, copied_from
        begin = copied_from + 1 if length == 0 and text.startswith(" ", copied_from) else copied_from
        if end > begin:
            pieces.append(text[begin:end])
            starts.append(length)
            bases.append(begin)
            steps.append(1)
            length += end - begin

    for match in _RUN.finditer(text):
        copy(match.start())
        for char, index in _fold_run(match.group(), match.start(), length > 0):
            pieces.append(char)
            starts.append(length)
            bases.append(index)
            steps.append(0)
            length += 1
        copied_from = match.end()
    copy(len(text))
    result = "".join(pieces)
    if result.endswith(" "):
        result = result[:-1]
        length -= 1
        if starts and starts[-1] == length:
            del starts[-1], bases[-1], steps[-1]
    return Normalized(result, Origins(starts, bases, steps, length))


def _fold_match(match: re.Match[str]) -> str:
    return "".join(char for char, _ in _fold_run(match.group(), 0, match.start() > 0))


def normalize_text(text: str) -> str:
    """normalize(text).text, without the map back to the original: for quotes."""
    text = _RUN.sub(_fold_match, _QUOTE_MARK.sub(lambda match: _QUOTE_MARKS[match.group()], text))
    if text.startswith(" "):
        text = text[1:]
    return text[:-1] if text.endswith(" ") else text


def split_omissions(quote: str) -> list[str]:
    """The parts of a quote between `[...]` markers, normalized."""
    return list(_split_omissions(quote))


@lru_cache(maxsize=256)  # a quote is checked for misplaced markers, then looked up: split it once
def _split_omissions(quote: str) -> tuple[str, ...]:
    return tuple(normalize_text(part) for part in OMISSION.split(quote))


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


def _find_whole_word(haystack: str, needle: str, start: int, end: int | None = None) -> int:
    """The first occurrence at or after start (ending by end) that does not cut a word in two."""
    limit = len(haystack) if end is None else end
    while True:
        found = haystack.find(needle, start, limit)
        if found < 0:
            return -1
        stop = found + len(needle)
        before_ok = found == 0 or not (_is_word_char(haystack[found - 1]) and _is_word_char(needle[0]))
        after_ok = stop == len(haystack) or not (_is_word_char(haystack[stop]) and _is_word_char(needle[-1]))
        if before_ok and after_ok:
            return found
        start = found + 1


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in the original text."""
    result, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        result.append((start, match.start()))
        start = match.end()
    result.append((start, len(text)))
    return result


def _span(norm: Normalized, start: int, end: int, offset: int) -> tuple[int, int]:
    return offset + norm.origin[start], offset + norm.origin[end - 1] + 1


class NormalizedSource:
    """A source's text normalized once, so that every quote from it is a plain
    substring search.

    Each paragraph is searched as a range of the whole normalized text. The one
    place where that differs from normalizing the paragraph on its own is a
    paragraph starting with a dash after one ending with a dash (the two dashes
    fold into one); such a paragraph is normalized on its own.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = normalize(text)
        self._paragraphs: list[tuple[Normalized, int, int, int]] | None = None

    def paragraphs(self) -> list[tuple[Normalized, int, int, int]]:
        """(normalized text, start, end, offset in the original) of each paragraph."""
        if self._paragraphs is None:
            first = self.norm.origin.first_at_or_after
            self._paragraphs = []
            for start, end in _paragraphs(self.text):
                begin = first(start)
                if begin and self.norm.text[begin - 1] == "-":
                    own = normalize(self.text[start:end])
                    self._paragraphs.append((own, 0, len(own.text), start))
                else:
                    self._paragraphs.append((self.norm, begin, first(end), 0))
        return self._paragraphs


@lru_cache(maxsize=16384)
def normalized_source(text: str) -> NormalizedSource:
    """Cached by text: a source quoted by many claims, or unchanged between two
    builds of `mkdocs serve`, is normalized only once."""
    return NormalizedSource(text)


def find_quote(source_text: str, quote: str) -> tuple[tuple[int, int], ...] | None:
    """Where the quote occurs in the source, as (start, end) offsets per part, or None.

    A quote without omissions may cross paragraph breaks (editors join lines);
    with `[...]` the parts must occur in order within one paragraph.
    """
    parts = split_omissions(quote)
    if not all(parts):
        return None
    source = normalized_source(source_text)
    if len(parts) == 1:
        found = _find_whole_word(source.norm.text, parts[0], 0)
        return None if found < 0 else (_span(source.norm, found, found + len(parts[0]), 0),)
    for norm, start, end, offset in source.paragraphs():
        spans, position = [], start
        for part in parts:
            found = _find_whole_word(norm.text, part, position, end)
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
    wanted = max(split_omissions(quote), key=len) if OMISSION.search(quote) else normalize_text(quote)
    if not wanted:
        return []
    norm = normalized_source(source_text).norm
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
