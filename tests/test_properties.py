"""Properties that must hold for any input, checked on inputs Hypothesis makes up.

- A passage cut from a source is always found, also after typographic variation
  (quote marks, dashes, ellipses, spaces, line breaks, invisible characters), and
  also as parts joined by [...] within one paragraph.
- A quote with one word changed to a word the source does not have is never found.
- Normalization equals its plain per-character definition, offsets included.
- The loader turns any file at all (random text, random bytes, random YAML, a valid
  claim with random damage) into problem reports, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from building import build
from conftest import CASES, ROOT, examples
from factcheck_site.content.problems import Problem
from factcheck_site.content.quote_matching import find_quote, normalize
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=examples(100, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The loader writes and reads a file for each example: fifty times what a match costs.
LOADER_SETTINGS = settings(SETTINGS, max_examples=examples(50, 300))

# --- text made of words and the separators editors' tools vary ---------------------

LETTERS = "abcdefghijklmnopéøß"  # lowercase only: an uppercase letter is never in a source
WORD = st.text(alphabet=LETTERS + "0123456789", min_size=1, max_size=8)
SEPARATOR = st.sampled_from([" ", " ", " ", ", ", ". ", "; ", "\n", "\n\n", " \u2014 ", "-", "\u2013", " \u2019",
                             "\u2019s ", ' "', '" ', " \u201c", "\u201d ", "\u2026 ", "... ", "\u00a0", " \t ", "(",
                             ") "])


@st.composite
def passages(draw: st.DrawFn) -> tuple[list[str], list[bool]]:
    """Tokens of a source text, and which of them are words."""
    count = draw(st.integers(min_value=1, max_value=40))
    tokens, is_word = [], []
    for index in range(count):
        if index:
            tokens.append(draw(SEPARATOR))
            is_word.append(False)
        tokens.append(draw(WORD))
        is_word.append(True)
    return tokens, is_word


@st.composite
def source_and_cut(draw: st.DrawFn) -> tuple[str, str]:
    """A source text and a passage cut from it, from the start of a word to the end of a word."""
    tokens, is_word = draw(passages())
    words = [i for i, w in enumerate(is_word) if w]
    first = draw(st.sampled_from(words))
    last = draw(st.sampled_from([i for i in words if i >= first]))
    return "".join(tokens), "".join(tokens[first : last + 1])


VARIANTS = [
    (r"[\u2018\u2019]", ["'", "\u2018", "\u2019"]),
    (r"[\u201c\u201d\"]", ['"', "\u201c", "\u201d", "\u201e"]),
    (r"[\u2013\u2014-]", ["-", "\u2013", "\u2014", " \u2014 ", "\u2212"]),
    (r"\u2026|\.\.\.", ["\u2026", "..."]),
    (r"[ \u00a0\t\n]+", [" ", "  ", "\n", "\u00a0", " \n ", "\t"]),
]


@st.composite
def typographic_variant(draw: st.DrawFn, quote: str) -> str:
    """The quote as another tool would have typed it: same words, other typography."""
    for pattern, choices in VARIANTS:
        pick = st.sampled_from(choices)
        quote = re.sub(pattern, lambda _, pick=pick: draw(pick), quote)
    if draw(st.booleans()):  # a zero-width space or soft hyphen slipped in between two characters
        at = draw(st.integers(min_value=1, max_value=max(1, len(quote) - 1)))
        quote = quote[:at] + draw(st.sampled_from(["\u200b", "\u00ad", "\ufeff"])) + quote[at:]
    return quote


@SETTINGS
@given(source_and_cut())
def test_a_passage_cut_from_the_source_is_found(case: tuple[str, str]) -> None:
    source, quote = case
    spans = find_quote(source, quote)
    assert spans is not None
    (start, end), = spans
    assert normalize(source[start:end]).text == normalize(quote).text


@SETTINGS
@given(st.data())
def test_a_passage_is_found_in_any_typography(data: st.DataObject) -> None:
    source, quote = data.draw(source_and_cut())
    variant = data.draw(typographic_variant(quote))
    assert find_quote(source, variant) is not None, (source, variant)


@SETTINGS
@given(st.data())
def test_parts_of_one_paragraph_joined_by_an_omission_are_found(data: st.DataObject) -> None:
    tokens, is_word = data.draw(passages())
    tokens = [" " if "\n\n" in t else t for t in tokens]  # one paragraph
    words = [i for i, w in enumerate(is_word) if w]
    assume(len(words) >= 2)
    a, b, c, d = sorted(data.draw(st.lists(st.sampled_from(words), min_size=4, max_size=4)))
    assume(b < c)
    quote = "".join(tokens[a : b + 1]) + data.draw(st.sampled_from([" [...] ", "[\u2026]", " [ . . . ] "])) + \
        "".join(tokens[c : d + 1])
    assert find_quote("".join(tokens), quote) is not None


@SETTINGS
@given(st.data())
def test_a_quote_with_a_changed_word_is_never_found(data: st.DataObject) -> None:
    source, quote = data.draw(source_and_cut())
    words = re.findall(r"[^\W_]+", quote)
    target = data.draw(st.sampled_from(words))
    change = data.draw(st.sampled_from(["new word", "case", "digit"]))
    if change == "new word":
        replacement = data.draw(st.text(alphabet="qrtuvwxyz", min_size=1, max_size=6))  # letters no source has
    elif change == "case":
        replacement = target[0].upper() + target[1:]
        assume(replacement != target)  # digits have no case
    else:
        replacement = target + "7" if not target[-1].isdigit() else target[:-1] + "x"
        assume(replacement not in source)
    occurrence = data.draw(st.integers(min_value=0, max_value=words.count(target) - 1))
    spans = [m.span() for m in re.finditer(rf"(?<![^\W_]){re.escape(target)}(?![^\W_])", quote)]
    start, end = spans[occurrence]
    mutated = quote[:start] + replacement + quote[end:]
    assert find_quote(source, mutated) is None, (source, mutated)


def reference_normalize(text: str) -> tuple[str, list[int]]:
    """Normalization as first written, character by character: the definition the fast
    implementation must keep."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
            continue
        if char.isspace():
            if out and out[-1] not in " -":
                out.append(" ")
                origin.append(index)
            continue
        if char in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-":
            if out and out[-1] == " ":
                out.pop()
                origin.pop()
            if not out or out[-1] != "-":
                out.append("-")
                origin.append(index)
            continue
        if char in "\u2018\u2019\u201a\u201b\u2032\u00b4`":
            char = "'"
        elif char in "\u201c\u201d\u201e\u201f\u2033":
            char = '"'
        elif char == "\u2026":
            out.extend("...")
            origin.extend([index] * 3)
            continue
        out.append(char)
        origin.append(index)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


TYPOGRAPHY = list("ab .,'\"\n\t\u00a0\u2019\u201c\u2014\u2013-\u2026\u200b\u00ad") + ["\n\n", "\n \n"]


@settings(max_examples=examples(300, 1000), deadline=None)
@given(st.lists(st.sampled_from(TYPOGRAPHY), max_size=30).map("".join))
def test_normalization_keeps_its_definition(text: str) -> None:
    norm = normalize(text)
    assert (norm.text, list(norm.origin)) == reference_normalize(text)


# --- the loader -------------------------------------------------------------------

VALID_CLAIM = (CASES / "good-claims" / "all-fields.yml").read_text(encoding="utf-8")
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes())
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) |
                           st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=5),
                           max_leaves=30)
CLAIM_FIELDS = ["claim", "claimant", "claim_date", "appeared_in", "verdict", "summary", "quotes", "analysis", "tags",
                "author", "published", "updated", "corrections"]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "claims").mkdir()
    return folder


def load_one(work: Path, data: bytes, name: str = "fuzzed.yml") -> list[Problem]:
    """Load a site whose only claim is data; check that every problem is a proper report."""
    (work / "claims" / name).write_bytes(data)
    built = build(work / "claims", ROOT / "sources", work)  # what loads must also render
    site, problems = built.site, built.problems
    # YAML counts \r, \r\n, \n, NEL and the Unicode separators as line breaks, as editors do.
    text = data.decode("utf-8", "replace")
    lines = len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text)) + 2
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == f"claims/{name}" and 1 <= problem.line <= lines, problem
        assert problem.message and "\n" not in str(problem), problem
    if not problems:
        assert Path(name).stem in site.claims
    return problems


@LOADER_SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_a_report_not_a_crash(work: Path, text: str) -> None:
    load_one(work, text.encode("utf-8", "surrogatepass"))


@LOADER_SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_are_a_report_not_a_crash(work: Path, data: bytes) -> None:
    load_one(work, data)


@LOADER_SETTINGS
@given(st.dictionaries(st.sampled_from(CLAIM_FIELDS) | st.text(max_size=10), YAML_VALUES, max_size=14))
def test_any_yaml_mapping_is_a_report_not_a_crash(work: Path, fields: dict) -> None:
    load_one(work, yaml.safe_dump(fields, allow_unicode=True).encode("utf-8"))


@LOADER_SETTINGS
@given(st.data())
def test_a_damaged_claim_is_a_report_not_a_crash(work: Path, data: st.DataObject) -> None:
    text = VALID_CLAIM
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        at = data.draw(st.integers(min_value=0, max_value=len(text)))
        cut = data.draw(st.integers(min_value=0, max_value=20))
        insert = data.draw(st.text(alphabet=":-[]{}&*!|>'\"#%@`,?\t\n \\", max_size=6) | YAML_VALUES.map(str))
        text = text[:at] + insert + text[at + cut :]
    load_one(work, text.encode("utf-8", "surrogatepass"))


# --- claimant and tag pages -----------------------------------------------------------------
# Two names share a page only when they are the same name: the same words after Unicode
# normalization and case folding (factcheck_site.content.names.name_key). Nobody can take
# over another name's page by writing its slug, a long name or a name in another script; two spellings
# of one name are refused (tests/test_bad_files.py), so a page's title is never voted for.

_NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=90)
_WORDS = st.lists(st.sampled_from(["kim", "Kim", "KIM", "jong", "un", "15846f27", "page", "con", "josé", "jose",
                                   "金正恩", "ß", "ss", "ﬁ", "fi", "a" * 40, "1", "x"]), min_size=1, max_size=5)
_SEPARATORS = st.lists(st.sampled_from([" ", "-", "--", ".", "  ", ", ", "\u00a0", "'", "&", "+"]), min_size=6,
                       max_size=6)


@st.composite
def _name_pairs(draw: st.DrawFn) -> tuple[str, str]:
    from factcheck_site.render.groups import group_slug

    first = draw(st.one_of(_NAME, _WORDS.map(" ".join)))
    how = draw(st.sampled_from(["any", "slug", "respelled", "longer", "case"]))
    if how == "slug":
        return first, group_slug(first)  # a name written as another name's page address
    if how == "respelled":  # the same words, other separators
        words, separators = draw(_WORDS), draw(_SEPARATORS)
        return " ".join(words), "".join(w + s for w, s in zip(words, separators, strict=False)).strip()
    if how == "longer":
        return first, first + draw(st.sampled_from(["a", "b", " 2", "é"]))
    if how == "case":
        return first, draw(st.sampled_from([first.upper(), first.lower(), first.swapcase(), first.title()]))
    return first, draw(st.one_of(_NAME, _WORDS.map(" ".join)))


@settings(max_examples=examples(200, 600), deadline=None)
@given(_name_pairs())
def test_two_names_share_a_page_only_when_they_are_the_same_name(pair: tuple[str, str]) -> None:
    from factcheck_site.content.formats import WINDOWS_DEVICE_NAMES
    from factcheck_site.render.groups import MAX_SLUG_LENGTH, RESERVED_SLUGS, group_slug, name_key

    first, second = pair
    assert (group_slug(first) == group_slug(second)) == (name_key(first) == name_key(second)), pair
    for name in pair:
        slug = group_slug(name)
        assert re.fullmatch(r"[a-z0-9]+(?:--?[a-z0-9]+)*", slug) and len(slug) <= MAX_SLUG_LENGTH, slug
        assert slug not in RESERVED_SLUGS and slug not in WINDOWS_DEVICE_NAMES


def test_what_counts_as_the_same_name() -> None:
    from factcheck_site.render.groups import group_slug

    same = [("Kim Jong-un", "kim jong un", "KIM  JONG UN", "Kim, Jong-Un"), ("Straße", "STRASSE"), ("ﬁre", "fire")]
    different = ["José", "Jose", "金正恩", "15846f27", "Page", "page-2", "CON", "con-x", "a" * 70, "a" * 70 + "b",
                 "!!!", "???", "—", "C", "C#", "C++", "Russian Ministry of Defense",
                 "Russian Ministry of Defense \U0001f921", "AT&T", "AT T"]
    for names in same:
        assert len({group_slug(n) for n in names}) == 1, names
    assert len({group_slug(n) for n in different}) == len(different)
    assert group_slug("Harbour Radio") == "harbour-radio"  # plain names keep readable addresses


def test_ascii_text_is_searched_for_every_invisible_character_it_can_hold() -> None:
    """ASCII text is searched for CANDIDATES' ASCII characters alone (invisible.py, for speed): each one must be
    found there as in text that is not ASCII, where the whole class is searched."""
    from factcheck_site.content.invisible import first_invisible

    for code in range(128):
        text = f"a{chr(code)}b"
        assert first_invisible(text) == first_invisible(text + "\u00e9"), hex(code)
    assert first_invisible("quote\x1b[31m") == (5, "U+001B ESCAPE, which starts terminal codes", "control character")


def test_text_beyond_ascii_is_searched_for_every_invisible_character_it_can_hold() -> None:
    """Text that is not ASCII is searched for a superset of CANDIDATES (every character above U+FFFF) and what is
    found above U+FFFF is held to CANDIDATES (invisible.py, for speed): every character CANDIDATES holds, and those
    beside its ranges, must be found or passed over as a search of the whole class finds them."""
    from factcheck_site.content import invisible

    def by_the_class(text: str) -> int | None:
        found = invisible.CANDIDATES.search(text)
        while found is not None and invisible._allowed(text, found.start()):
            found = invisible.CANDIDATES.search(text, found.start() + invisible._allowed(text, found.start()))
        return None if found is None else found.start()

    ranges = re.findall(r"(.)(?:-(.))?", invisible.CANDIDATES.pattern[1:-1], re.DOTALL)
    edges = {chr(max(0, ord(c) + step)) for low, high in ranges for c in (low, high or low) for step in (-1, 0, 1)}
    edges |= {"\U0001f600", "\U0001f3f4", "\U000e0067", "\U000e007f", "\U0010ffff", "\U00010000", "\ufe0f", "\u200d"}
    for char in sorted(edges):
        for text in (f"é{char}b", f"é\U0001f600{char}", f"\U0001f3f4{char}\U000e0062\U000e007f", f"{char}é"):
            first = invisible.first_invisible(text)
            assert (first[0] if first else None) == by_the_class(text), (hex(ord(char)), text)
            assert invisible.may_hide(text) == (invisible.CANDIDATES.search(text) is not None), hex(ord(char))


@settings(max_examples=examples(300, 1000), deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(["\ud800", "\udfff", "\u2028", "\x85", "\ufeff",
                                                                        "\u201c", "\u2026", "\U000e0041", "\t"]),
               max_size=40))
def test_a_texts_unusual_characters_hold_every_character_validation_looks_for(text: str) -> None:
    """Validation looks for YAML's uncommon characters, invisible characters, line separators, quote marks and odd
    spaces among a text's unusual characters (invisible.unusual_characters: all but printable ASCII and the line
    break), not in the whole text: each search must find there every character the text holds but the three it looks
    for in the whole text (str.find)."""
    from factcheck_site.content import invisible, quote_matching, yaml_reader

    unusual = invisible.unusual_characters(text)
    assert unusual == "".join(char for char in text if not (" " <= char <= "~" or char == "\n"))
    for pattern in (yaml_reader._UNCOMMON_CHARACTER, yaml_reader._HIDDEN_LINE_BREAK, invisible.CANDIDATES,
                    quote_matching._QUOTE_MARK, quote_matching._ODD_CHAR):
        found = set(pattern.findall(text))
        assert set(pattern.findall(unusual)) == found - {"-", "\n", "`"}, pattern.pattern
