"""The fast quote matcher (one normalization per source, run-length offsets, paragraph
ranges) answers exactly as the simple one in quote_reference.py, on text made of
everything typography can throw at it."""

from __future__ import annotations

import re

from conftest import examples
from factcheck_site.content.quote_matching import find_quote, normalize
from hypothesis import given, settings
from hypothesis import strategies as st
from quote_reference import find_quote as reference_find
from quote_reference import normalize as reference_normalize

PIECES = ["a", "b", "Ab", "x1", " ", "  ", "\t", "\n", "\n\n", "\n \n", "\n\u00a0\n", "\u00a0", "-", "--",
          "\u2014", "\u2013", " \u2014 ", "\u2212", "\u2026", "...", "\u200b", "\u00ad", "\ufeff", "'", "\u2019",
          "\u201c", "\u201d", '"', ".", ",", "[...]", "[\u2026]", "\u00e9",
          # issue 24: one normal form (NFC) on both sides, and a combining mark belongs to its word
          "e\u0301", "\u0301", "i\u0331", "\u00ed", "si", "s\u0131", "\u1112\u1161\u11ab", "\ud55c"]
texts = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)


@settings(max_examples=examples(300, 1000), deadline=None)
@given(texts)
def test_normalize_gives_the_same_text_and_offsets(text: str) -> None:
    expected = reference_normalize(text)
    got = normalize(text)
    assert got.text == expected.text
    assert tuple(got.origin) == expected.origin


@settings(max_examples=examples(300, 1000), deadline=None)
@given(texts, texts)
def test_any_quote_is_found_or_not_found_alike(source: str, quote: str) -> None:
    assert find_quote(source, quote) == reference_find(source, quote)


@settings(max_examples=examples(300, 1000), deadline=None)
@given(texts, st.data())
def test_quotes_cut_from_the_source_are_found_alike(source: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    quote = source[start:end]
    if data.draw(st.booleans()):  # a second passage after an omission
        resume = data.draw(st.integers(end, len(source)))
        quote += " [...] " + source[resume : data.draw(st.integers(resume, len(source)))]
    assert find_quote(source, quote) == reference_find(source, quote)


def test_a_paragraph_starting_with_a_dash_after_one_ending_with_a_dash() -> None:
    source = "The first ends \u2014\n\n\u2013 the second starts with a dash."
    quote = "\u2013 the second [...] with a dash"
    assert find_quote(source, quote) == reference_find(source, quote) is not None


SPACES = [chr(code) for code in range(0x3001) if chr(code).isspace()]  # every character \s matches


@settings(max_examples=examples(300, 1000), deadline=None)
@given(st.lists(st.sampled_from(PIECES + SPACES), max_size=24).map("".join))
def test_the_runs_folded_are_those_a_pattern_tried_at_every_position_finds(text: str) -> None:
    """quote_matching finds where normalization changes text with C's searches for an odd character or two spaces;
    its definition is a pattern tried at every position (ten times slower on a source)."""
    from factcheck_site.content import quote_matching

    folds = rf"\s{quote_matching._FOLDED}"
    pattern = re.compile(rf"(?=[{folds}\u2026])(?:[{folds}]{{2,}}|{quote_matching._ODD_CHAR.pattern})")
    assert quote_matching._irregular_runs(text) == [match.span() for match in pattern.finditer(text)]
