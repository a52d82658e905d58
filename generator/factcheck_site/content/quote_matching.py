"""Finding a quote in a source's text, forgiving typography but not words.

Editors paste quotes from browsers, word processors and PDFs, which change quote
marks, dashes, ellipses and spaces; none of that may cause a false mismatch. Case
and words must match exactly, because a quote that changes a word is a misquote.
Both sides are compared in one Unicode normal form (NFC), so "sí" typed as one
character matches "sí" saved as "i" and a combining accent; and a combining mark
is part of its word, so "si" is never found in "sí".
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count, groupby, repeat
from operator import add, sub

from factcheck_site.content.invisible import unusual_characters
from factcheck_site.language import unspaced

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


_QUOTE_FOLDS = {char: "'" for char in _SINGLE_QUOTES} | {char: '"' for char in _DOUBLE_QUOTES}
_QUOTE_MARK = re.compile(f"[{re.escape(_SINGLE_QUOTES + _DOUBLE_QUOTES)}]")
# What normalization changes: runs of spaces, dashes and invisible characters, and the
# ellipsis. A lone space between words is already normal, so the pattern skips it.
_FOLDED = re.escape(_INVISIBLE + _DASHES)
_OTHER_SPACES = "".join(char for char in map(chr, range(0x3001)) if char.isspace() and char != " ")  # as \s
# Any character that is folded, or starts a run: a plain search for one is ten times
# faster than trying the alternatives at every position.
_ODD_CHAR = re.compile(f"[{re.escape(_INVISIBLE + _DASHES + _OTHER_SPACES)}\u2026]")
_RUN = re.compile(rf"[\s{_FOLDED}]*")  # a run of spaces, dashes and invisible characters, from where it starts


def _irregular_runs(text: str) -> list[tuple[int, int]]:
    """Where normalization changes text: each run of two or more spaces, dashes and invisible characters, each
    such character alone but the plain space, and each ellipsis. Each run has an odd character or two spaces in a
    row, found by C's searches (a regular expression's character class, str.find), where a pattern tried at every
    position took ten times as long on a source."""
    runs: list[tuple[int, int]] = []
    size, position = len(text), 0
    odd, double = _ODD_CHAR.search(text), text.find("  ")
    while True:
        if odd is not None and odd.start() < position:
            odd = _ODD_CHAR.search(text, position)
        if 0 <= double < position:
            double = text.find("  ", position)
        found = min(odd.start() if odd is not None else size, double if double >= 0 else size)
        if found == size:
            return runs
        if text[found] == "\u2026":
            runs.append((found, found + 1))
            position = found + 1
            continue
        # An odd character may have one space before it in its run (two would be found first, as would an odd one).
        start = found - 1 if found > position and text[found - 1] == " " else found
        position = _RUN.match(text, found).end()
        runs.append((start, position))


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


# Characters that combine with the character before them though their combining class is 0 (NFC quick
# check "Maybe"): Hangul vowels and final consonants, and the second parts of some Indic two-part vowels.
COMPOSES_BACKWARD = frozenset(map(chr, [
    *range(0x1161, 0x1176), *range(0x11A8, 0x11C3), 0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0C56,
    0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCA, 0x0DCF, 0x0DDF, 0x102E, 0x1B35, 0x110BA, 0x11127, 0x1133E,
    0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930]))
_NON_ASCII_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")  # with the letter before it, which a mark may change


def joins_previous(char: str) -> bool:
    """Whether char belongs to the character before it (a combining mark, or a part that composes with it)."""
    return bool(unicodedata.combining(char)) or char in COMPOSES_BACKWARD or unicodedata.category(char) in ("Mn", "Mc")


def to_nfc(text: str) -> tuple[str, array[int] | None]:
    """text in NFC, and for each of its characters the index in text it comes from (None when text is NFC
    already, as nearly all text is). Each cluster (a character and the marks that join it) is normalized
    on its own: NFC never composes across clusters."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    origin: array[int] = array("q")
    done = 0
    for run in _NON_ASCII_RUN.finditer(text):
        start, end = run.span()
        out.append(text[done:start])
        origin.extend(range(done, start))
        cluster = start
        for index in range(start + 1, end + 1):
            if index == end or not joins_previous(text[index]):
                piece = unicodedata.normalize("NFC", text[cluster:index])
                out.append(piece)
                origin.extend(range(cluster, index) if piece == text[cluster:index] else [cluster] * len(piece))
                cluster = index
        done = end
    out.append(text[done:])
    origin.extend(range(done, len(text)))
    return "".join(out), origin


class _Mapped:
    """Offsets through NFC: an index in the folded text, to the NFC text, to the original text."""

    __slots__ = ("_map",)

    def __init__(self, folded: Offsets, nfc: array[int]) -> None:
        self._map = array("q", (nfc[folded[i]] for i in range(len(folded))))

    def __len__(self) -> int:
        return len(self._map)

    def __getitem__(self, index: int) -> int:
        return self._map[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Offsets, _Mapped)) else False

    def __hash__(self) -> int:
        return hash(tuple(self._map))


def _normalize(text: str, paragraphs: bool) -> Normalized:
    return _normalized_forms(text, (paragraphs,))[0]


def _normalized_forms(text: str, forms: tuple[bool, ...]) -> list[Normalized]:
    """text normalized as each of forms asks (paragraphs or not), its quote marks and runs found once for all."""
    folded, nfc_origin, runs = _marks_folded(text)
    made = [_fold(folded, paragraphs, runs) for paragraphs in forms]
    if nfc_origin is None:
        return made
    return [Normalized(norm.text, _Mapped(norm.origin, nfc_origin)) for norm in made]  # type: ignore[arg-type]


def _normalized_text(text: str) -> str:
    """normalize(text).text, without the map back to the original text, which a quote's parts, compared and never
    shown, do not need (making it was a quarter of the time of folding a quote)."""
    folded, _, runs = _marks_folded(text)
    if not runs and not folded.startswith(" ") and not folded.endswith(" "):
        return folded  # _fold's shortest path
    return _fold(folded, False, runs).text


def _marks_folded(text: str) -> tuple[str, array[int] | None, list[tuple[int, int]]]:
    """text in NFC with its quote marks folded, the index in text of each of its characters (to_nfc), and its runs
    (_irregular_runs): what every form of text is folded from."""
    nfc, nfc_origin = to_nfc(text)
    folded = nfc
    # Quote marks but the backtick, and odd characters but "-" and the line break, are unusual ones: searched for
    # among those alone.
    unusual = unusual_characters(nfc)
    marks = set(_QUOTE_MARK.findall(unusual))
    if "`" in nfc:
        marks.add("`")
    for char in marks:  # str.translate is far slower, character by character
        folded = folded.replace(char, _QUOTE_FOLDS[char])
    may_run = "-" in folded or "\n" in folded or "  " in folded or _ODD_CHAR.search(unusual) is not None
    return folded, nfc_origin, _irregular_runs(folded) if may_run else []


def _fold(folded: str, paragraphs: bool, runs: list[tuple[int, int]]) -> Normalized:
    """folded (its quote marks folded already) with its runs (_irregular_runs) folded."""
    if not runs and not folded.startswith(" ") and not folded.endswith(" "):
        return Normalized(folded, Offsets([(0, 0, 1)] if folded else [], len(folded)))  # most quotes: nothing to fold
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
    for start, end in runs:
        copy(copied, start)
        copied = end
        run = folded[start:end]
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
# many quotes on a long source cheap. Claims cite sources in any order, so the cache
# holds every source of an archive (a folded copy is about the size of the text).
_cached_source = functools.lru_cache(maxsize=4096)(normalize)
_cached_paragraphs = functools.lru_cache(maxsize=4096)(_normalize_paragraphs)
_folded: dict[str, tuple[Normalized, Normalized]] = {}  # by source text: folded where the sources were loaded


def folded_source(text: str) -> tuple[Normalized, Normalized]:
    """Both forms find_quote searches a source in. Made where the source is loaded (build.py loads them on every
    core) and kept (keep_folded_sources) before the processes that check the claims are forked: each of them would
    otherwise fold nearly every source again, since claims quote sources in any order."""
    plain, paragraphs = _normalized_forms(text, (False, True))
    return plain, paragraphs


def keep_folded_sources(folded: dict[str, tuple[Normalized, Normalized]]) -> None:
    """The sources of the build under way, folded, in place of the last build's."""
    _folded.clear()
    _folded.update(folded)


def forget_folded_sources() -> None:
    """Once the claims are checked: they are a second copy of every source, which rendering does not need."""
    _folded.clear()


def _normalized_source(text: str) -> Normalized:
    folded = _folded.get(text)
    return _cached_source(text) if folded is None else folded[0]


def _normalized_paragraphs(text: str) -> Normalized:
    folded = _folded.get(text)
    return _cached_paragraphs(text) if folded is None else folded[1]


@functools.lru_cache(maxsize=256)  # checking a quote's markers, then finding it, splits it twice
def split_omissions(quote: str) -> tuple[str, ...]:
    """The parts of a quote between `[...]` markers, normalized."""
    return tuple(_normalized_text(part) for part in OMISSION.split(quote))


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


class _WholeWord:
    """The needle, not as part of a longer word: no letter or digit may touch a letter or digit at its ends,
    and no combining mark may follow it (it would change the needle's last letter: "si" in "si\u0331").

    str.find with a check at each end, rather than a regular expression per quote:
    compiling one costs more than the search itself.
    """

    __slots__ = ("needle", "check_before", "check_after")

    def __init__(self, needle: str) -> None:
        self.needle = needle
        # A script written without spaces (Chinese, Japanese, Thai) shows no word's end: a quote may end anywhere.
        self.check_before = needle[0].isalnum() and not unspaced(needle[0])
        self.check_after = needle[-1].isalnum() and not unspaced(needle[-1])

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
        """(start, end) of the first whole-word occurrence in text[pos:endpos], or None."""
        limit = len(text) if endpos is None else endpos
        start = text.find(self.needle, pos, limit)
        while start >= 0:
            end = start + len(self.needle)
            if not (self.check_before and start > 0 and text[start - 1].isalnum() and not unspaced(text[start - 1])) \
                    and not (end < limit and ((self.check_after and text[end].isalnum() and not unspaced(text[end]))
                                              or joins_previous(text[end]))):
                return start, end
            start = text.find(self.needle, start + 1, limit)
        return None


def _span(norm: Normalized, start: int, end: int, original: str) -> tuple[int, int]:
    """The span in the original text, with the marks that belong to its last character."""
    stop = norm.origin[end - 1] + 1
    while stop < len(original) and joins_previous(original[stop]):
        stop += 1
    return norm.origin[start], stop


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
        found = _WholeWord(parts[0]).search(norm.text)
        return None if found is None else (_span(norm, *found, source_text),)
    norm = _normalized_paragraphs(source_text)
    matchers = [_WholeWord(part) for part in parts]
    position = 0
    while (first := matchers[0].search(norm.text, position)) is not None:
        paragraph_end = norm.text.find("\n", first[1])
        paragraph_end = len(norm.text) if paragraph_end < 0 else paragraph_end
        spans, after = [_span(norm, *first, source_text)], first[1]
        for matcher in matchers[1:]:
            found = matcher.search(norm.text, after, paragraph_end)
            if found is None:
                break
            spans.append(_span(norm, *found, source_text))
            after = found[1]
        else:
            return tuple(spans)
        position = paragraph_end + 1
    return None


# The bound on finding a misquote's closest passage: at most this many word pairs compared (windows of the
# source against the quote), never fewer than MIN_WINDOWS windows; the characters of only CLOSELY_COMPARED
# windows per passage asked for.
WORDS_COMPARED = 30_000
MIN_WINDOWS = 12
CLOSELY_COMPARED = 3


@dataclass(frozen=True)
class Passage:
    text: str  # from the original source, as an editor would paste it
    similarity: int  # percent


@dataclass(frozen=True)
class _Words:
    """A source's normalized words, for ranking passages: the same for every quote,
    and compact (arrays of machine integers), since a source may have 300,000 words."""

    norm: Normalized
    before: array[int]  # word k starts at before[k] + k in norm.text
    ids: array[int]  # each word without punctuation (so that "months" finds "months."), as a number
    vocabulary: dict[str, int]


@functools.lru_cache(maxsize=8)
def _words(source_text: str) -> _Words:
    norm = _normalized_source(source_text)
    if not norm.text:
        return _Words(norm, array("q", [0]), array("q"), {})
    # Normalized text has single spaces between words, and removing punctuation removes
    # no space: both splits give the same words.
    before = array("q", accumulate(map(len, norm.text.split(" ")), initial=0))
    vocabulary: dict[str, int] = {}
    ids = array("q", map(vocabulary.setdefault, _PUNCTUATION.sub("", norm.text).split(" "), count()))
    return _Words(norm, before, ids, vocabulary)


def closest_passages(source_text: str, quote: str, limit: int = 1) -> list[Passage]:
    """The source passages most like the quote, best first, for error messages.

    Passages are ranked cheaply first: a window of the quote's length gains nothing
    by starting before a word the quote shares, so only windows starting at such a
    word are counted (bisect over their positions), and only the best 60 are
    compared closely, a word shorter, as long and a word longer, from that word
    and the one before.
    """
    wanted = max(split_omissions(quote), key=len) if OMISSION.search(quote) else normalize(quote).text
    if not wanted:
        return []
    index = _words(source_text)
    norm, before, words = index.norm, index.before, len(index.ids)
    wanted_ids = {index.vocabulary[word] for word in _PUNCTUATION.sub("", wanted).split() if word in index.vocabulary}
    positions = list(compress(range(words), map(wanted_ids.__contains__, index.ids)))
    size = len(wanted.split())
    shared = list(map(sub, map(bisect.bisect_left, repeat(positions), map(add, positions, repeat(size))),
                      range(len(positions))))
    best = sorted(range(len(positions)), key=shared.__getitem__, reverse=True)[:60]
    windows = sorted({(first, min(first + width, words) - 1) for i in best for first in (positions[i] - 1, positions[i])
                      for width in (size - 1, size, size + 1) if first >= 0 and width > 0})
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    # Ranked by the quote's words found in the window (in order), then by how many words must
    # change to turn the window into the quote, then by how close its length in words is to the
    # quote's, then by character similarity. Similarity alone would rather drop a changed first
    # or last word ("Ten soldiers were" -> "soldiers were") than offer the source's word in its
    # place ("Nine soldiers were"), which is what the editor must paste.
    quote_words = [index.vocabulary.get(word, -2 - n) for n, word in enumerate(_PUNCTUATION.sub("", wanted).split())]
    words_matcher: difflib.SequenceMatcher = difflib.SequenceMatcher(autojunk=False)
    words_matcher.set_seq2(quote_words)
    # The word-level keys first, for every window, within a budget of words compared (a 300-word quote is
    # compared with few windows, a short one with all); the character similarity, which costs a quote's
    # length times a window's, only for the few best windows, as the last tie-break and the percentage shown.
    allowed = max(MIN_WINDOWS, WORDS_COMPARED // max(1, len(quote_words)) ** 2)
    ranked = sorted(windows, key=lambda w: -_shared(positions, w))[:allowed] if len(windows) > allowed else windows
    keyed: list[tuple[int, int, int, int, int]] = []
    for first, last in ranked:
        window_words = index.ids[first : last + 1]
        words_matcher.set_seq1(window_words)
        found = sum(block.size for block in words_matcher.get_matching_blocks())
        keyed.append((-found, _word_changes(window_words, quote_words), abs(len(window_words) - len(quote_words)),
                      before[first] + first, before[last + 1] + last))
    keyed.sort()
    passages: list[Passage] = []
    taken: list[tuple[int, int]] = []
    for _, tied in groupby(keyed, key=lambda item: item[:3]):  # the best word-level keys first
        scored = []
        for *_, start, end in list(tied)[: CLOSELY_COMPARED * limit]:
            if not any(start < t_end and t_start < end for t_start, t_end in taken):
                matcher.set_seq1(norm.text[start:end])
                scored.append((-matcher.ratio(), start, end))
        for negative_ratio, start, end in sorted(scored):
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            first, stop = _span(norm, start, end, source_text)
            original = unicodedata.normalize("NFC", source_text[first:stop])  # as the editor should paste it
            passages.append(Passage(" ".join(original.split()), min(99, int(-negative_ratio * 100))))
            if len(passages) == limit:
                return passages
    return passages


def _shared(positions: list[int], window: tuple[int, int]) -> int:
    """How many of the quote's words a window (first, last word) holds: the cheap rank."""
    return bisect.bisect_right(positions, window[1]) - bisect.bisect_left(positions, window[0])


def _word_changes(window: Sequence[int], quote: list[int], band: int = 4) -> int:
    """Words to insert, delete or replace to turn window into quote (edit distance), counted
    near the diagonal only: windows differ from the quote's length by a word at most, so this
    costs a few steps per word, even for a quote of hundreds."""
    far = len(window) + len(quote)
    previous = [j if j <= band else far for j in range(len(quote) + 1)]
    for i, word in enumerate(window, 1):
        current = [far] * (len(quote) + 1)
        if i <= band:
            current[0] = i
        for j in range(max(1, i - band), min(len(quote), i + band) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != quote[j - 1]))
        previous = current
    return previous[-1]
