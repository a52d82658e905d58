"""Characters readers cannot see, and which of them have a place in editors' text.

Text reaches readers, feed readers, spreadsheets and the search engines' ClaimReview as it is stored.
An invisible character can hide words there (Unicode tag characters spell out a whole sentence no
one sees: "Ignore the verdict above"), reorder text, split a name into two that look the same, or make
a quote differ from its source. So every control, format and default-ignorable character is refused,
except where a script or an emoji needs it, and only there:

- U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK and U+061C ARABIC LETTER MARK, anywhere:
  right-to-left text needs them, and they cannot reorder a run of text.
- U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER between two letters of a script whose
  letters join or form conjuncts: Arabic script (Arabic, Persian, Urdu, Pashto, Kurdish), Syriac, Thaana,
  N'Ko, Mongolian, and the Brahmic scripts (Devanagari to Sinhala, Myanmar, Khmer). Persian writes
  "می‌خواهم" with a non-joiner; Hindi and Sinhala use both to choose a conjunct's form.
- U+200D ZERO WIDTH JOINER between two emoji, as in emoji ZWJ sequences (👩‍⚕️).
- U+200B ZERO WIDTH SPACE between two letters of Thai, Lao, Khmer or Myanmar, which put no space between
  words: web pages mark the word breaks with it.
- U+00AD SOFT HYPHEN between two letters: a place where a long word may break, as German pages have.
- A variation selector right after a character it applies to (one of Unicode's standardized or emoji
  variation sequences, in unicode/variation_bases.txt; VS17 to VS256 after a CJK ideograph), one at most:
  a run of them after one character is a known way to smuggle data.
- Tag characters only as the three flags of England, Scotland and Wales (🏴 and its tags).

Everything else is refused: the C0 and C1 controls but tab and line break, the bidirectional embeddings,
overrides and isolates, zero-width spaces and joiners out of place, the word joiner and invisible
operators, U+FEFF, the Hangul fillers, Khmer's inherent vowels, the interlinear annotation characters
(U+FFF9 to U+FFFB), tags, and the format controls of Egyptian hieroglyphs, shorthand and music. The
visible format characters that Arabic, Syriac and Kaithi set before numbers (U+0600 to U+0605 and the
like) stay allowed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

# Every character that is a control, a format character or default-ignorable (DerivedCoreProperties.txt,
# whose ranges include the code points reserved for more of them), but the visible number signs.
CANDIDATES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
# CANDIDATES' ASCII characters: in ASCII text, searching for these alone is three times as fast.
_ASCII_CANDIDATES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# CANDIDATES' characters below U+10000, and every character above them: in text that is not ASCII, searching for
# these is three to five times as fast as for CANDIDATES itself (measured on claims and sources). A character found
# above U+FFFF is then held to CANDIDATES.
_MAYBE_CANDIDATES = re.compile(CANDIDATES.pattern[: CANDIDATES.pattern.index("\U00013430")] + "\U00010000-\U0010ffff]")
_ALWAYS_ALLOWED = frozenset("\u200e\u200f\u061c")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMES = {0x1B: "ESCAPE, which starts terminal codes", 0x02: "START OF TEXT", 0x03: "END OF TEXT"}
# Where joiners and non-joiners shape letters (blocks: Arabic to N'Ko and Arabic Extended, the Brahmic
# scripts, Myanmar, Khmer, Mongolian, their extensions, and Arabic presentation forms).
_JOINING = ((0x0600, 0x08FF), (0x0900, 0x0DFF), (0x1000, 0x109F), (0x1780, 0x18AF), (0xA8E0, 0xA8FF),
            (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE))
_WITHOUT_SPACES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))  # Thai, Lao, Myanmar, Khmer
_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
_BLACK_FLAG = "\U0001f3f4"
_FLAG_TAGS = {"gbeng", "gbsct", "gbwls"}  # the tag sequences Unicode recommends (RGI): England, Scotland, Wales
_TAGS = re.compile("[\U000e0020-\U000e007f]+")


@cache
def _variation_bases() -> dict[str, frozenset[str]]:
    lines = files("factcheck_site.content.unicode").joinpath("variation_bases.txt").read_text(encoding="utf-8")
    bases = {}
    for line in lines.splitlines():
        if line and not line.startswith("#"):
            selector, listed = line.split(":")
            bases[chr(int(selector, 16))] = frozenset(chr(int(code, 16)) for code in listed.split())
    return bases


def _within(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def _letter(char: str, ranges: tuple[tuple[int, int], ...] | None = None) -> bool:
    return bool(char) and unicodedata.category(char)[0] in "LM" and (ranges is None or _within(char, ranges))


def _emoji(char: str) -> bool:
    return bool(char) and unicodedata.category(char) == "So" or "\U0001f3fb" <= char <= "\U0001f3ff" or char == "\ufe0f"


def _allowed(text: str, index: int) -> int:
    """How many characters from index on are in their place (0: the one there is not)."""
    char = text[index]
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if char in _ALWAYS_ALLOWED:
        return 1
    if not before:
        return 0  # nothing to join, break or vary
    if char in "\u200c\u200d" and _letter(before, _JOINING) and _letter(after, _JOINING):
        return 1
    if char == "\u200d" and _emoji(before) and _emoji(after):
        return 1
    if char == "\u200b" and _letter(before, _WITHOUT_SPACES) and _letter(after, _WITHOUT_SPACES):
        return 1
    if char == "\u00ad" and _letter(before) and _letter(after):
        return 1
    if char in _variation_bases() and before in _variation_bases()[char]:
        return 1
    if "\U000e0100" <= char <= "\U000e01ef" and _within(before, _CJK):
        return 1
    if "\U000e0020" <= char <= "\U000e007f" and before == _BLACK_FLAG:
        run = _TAGS.match(text, index)
        assert run is not None
        tags = "".join(chr(ord(c) - 0xE0000) for c in run.group())
        if tags[:-1] in _FLAG_TAGS and tags[-1] == "\x7f":
            return len(tags)
    return 0


def describe(char: str) -> str:
    """U+XXXX and the character's name."""
    code = ord(char)
    return f"U+{code:04X} {_NAMES.get(code) or unicodedata.name(char, 'a control character')}"


def hidden_run(text: str, index: int) -> str:
    """What the tag characters from index on spell, when they do: the text they hide."""
    run = _TAGS.match(text, index)
    if run is None or len(run.group()) < 2:
        return ""
    spelled = "".join(chr(ord(c) - 0xE0000) for c in run.group()).rstrip("\x7f")
    shown = spelled if len(spelled) <= 40 else spelled[:39] + "…"
    return f"; with the {len(run.group()) - 1} after it, it spells hidden text: '{shown}'"


def first_invisible(text: str, start: int = 0) -> tuple[int, str, str] | None:
    """The first character from start that has no place where it is, as (index, description, kind: "control
    character" for controls and text-direction overrides, else "character"), or None."""
    if not start and _next_candidate(unusual := unusual_characters(text), 0, unusual.isascii()) is None:
        return None  # most texts: a search of their unusual characters alone
    ascii_only = text.isascii()
    index = _next_candidate(text, start, ascii_only)
    while index is not None:
        kept = _allowed(text, index)
        if not kept:
            char = text[index]
            kind = "control character" if _CONTROL.match(char) else "character"
            return index, describe(char) + hidden_run(text, index) + _hint(char), kind
        index = _next_candidate(text, index + kept, ascii_only)
    return None


def may_hide(text: str) -> bool:
    """Whether any part of text, or a YAML value read from it, may hold a character first_invisible looks at: one
    search of a whole file's unusual characters, where most files have none (a value can hold one the file does not
    only through an escape, which needs a backslash)."""
    if "\\" in text:
        return True
    unusual = unusual_characters(text)
    return bool(unusual) and _next_candidate(unusual, 0, unusual.isascii()) is not None


# Printable ASCII and the line break: what unusual_characters leaves out.
_USUAL_BYTES = bytes(range(0x20, 0x7F)) + b"\n"
_last_unusual = ("", "")  # the last text asked about, and its unusual characters (one object: threads read it whole)


def unusual_characters(text: str) -> str:
    """The characters of text that are not printable ASCII nor a line break, in their order: all that a search for
    a control, format or other character beyond ASCII has to look at, taken out by C's byte loops (UTF-8 keeps
    ASCII's bytes for ASCII alone). A regular expression's character class, tried at every character of a claim
    file or a source, takes ten to fifty times as long. Asked twice of a claim file (its YAML, then may_hide):
    the last answer is kept."""
    global _last_unusual
    last = _last_unusual
    if text is last[0]:
        return last[1]
    unusual = text.encode("utf-8", "surrogatepass").translate(None, _USUAL_BYTES).decode("utf-8", "surrogatepass")
    _last_unusual = (text, unusual)
    return unusual


def _next_candidate(text: str, start: int, ascii_only: bool) -> int | None:
    """Where CANDIDATES first matches in text from start, or None."""
    if ascii_only:
        found = _ASCII_CANDIDATES.search(text, start)
        return None if found is None else found.start()
    found = _MAYBE_CANDIDATES.search(text, start)
    while found is not None and text[found.start()] >= "\U00010000" and not CANDIDATES.match(text, found.start()):
        found = _MAYBE_CANDIDATES.search(text, found.start() + 1)
    return None if found is None else found.start()


def _hint(char: str) -> str:
    if char in "\u200c\u200d":
        return (" (it is kept only between two letters of Arabic-script, Syriac, Thaana, N'Ko, Mongolian or Brahmic "
                "text, and U+200D between two emoji)")
    if char == "\u200b":
        return " (it is kept only between two letters of Thai, Lao, Khmer or Myanmar text)"
    if char == "\u00ad":
        return " (it is kept only between two letters of a word)"
    if char in _variation_bases() or "\U000e0100" <= char <= "\U000e01ef":
        return " (a variation selector is kept only right after a character it applies to, one at most)"
    return ""


def strip_invisible(text: str) -> str:
    """Text without its control, format and default-ignorable characters, to show an editor where a problem is."""
    return CANDIDATES.sub("", text)
