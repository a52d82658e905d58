"""The common layout's reader (content/yaml_reader.py, _CommonLayout) gives what PyYAML gives, or leaves the file to it.

`parse_yaml` reads a file in the layout nearly every claim and source has without libyaml's event stream, and hands
everything else to the builder over PyYAML's events. So the problems an editor is shown cannot change as long as, for
every text the common layout accepts, its result is the builder's: the same values of the same types, the same line
for every mapping, field, list item and text, the same raw text. Checked here on every case file, on the repository's
claims and sources, on the benchmarks' generated claims, on random claim-shaped documents and on the same with hostile
damage (tabs, anchors, tags, escapes, odd Unicode and line separators, broken indentation, deep nesting), and for
cost: no input takes more than linear time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
from typing import Any

import pytest
from conftest import CASES, ROOT, cpu_seconds, examples
from factcheck_site.content import yaml_reader
from factcheck_site.content.load import split_front_matter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import Vocabulary, make_claim, make_source

SETTINGS = settings(max_examples=examples(150, 5000), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def typed(value: Any) -> Any:
    """A value with every type spelled out (1, 1.0 and True are equal in Python, and so are a date and its text
    nowhere) and every line kept."""
    if isinstance(value, yaml_reader.YamlMap):
        return ("map", value.line, [(key, typed(item)) for key, item in value.values.items()], value.key_lines,
                value.raw, value.text_lines)
    if isinstance(value, yaml_reader.YamlList):
        return ("list", value.line, [typed(item) for item in value.items], value.item_lines)
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def common(text: str, offset: int = 0) -> Any:
    """What the common layout reads, or None where it leaves the text to PyYAML."""
    try:
        return typed(yaml_reader._CommonLayout(text, offset).read())
    except yaml_reader._NotCommon:
        return None


def through_pyyaml(text: str, offset: int = 0) -> Any:
    """What the builder reads from PyYAML's events (as parse_yaml did before the common layout), or the error."""
    try:
        return typed(yaml_reader._Builder(offset).build(text, yaml_reader._Loader))
    except (yaml_reader.YamlError, yaml_reader.yaml.YAMLError, RecursionError, ValueError) as error:
        return ("refused", type(error).__name__, str(error))


def assert_same(text: str, offset: int = 0) -> bool:
    """Whether the common layout read the text (if it did, it must have read what PyYAML reads)."""
    read = common(text, offset)
    if read is not None:
        assert read == through_pyyaml(text, offset), text
    return read is not None


# --- the files desks write ------------------------------------------------------------------------------------------

CASE_FILES = sorted(CASES.rglob("*.yml")) + sorted(CASES.rglob("*.yaml"))


def test_every_case_file_reads_as_pyyaml_reads_it() -> None:
    accepted = [path for path in CASE_FILES if assert_same(path.read_bytes().decode("utf-8", errors="replace"))]
    assert len(accepted) >= len(list((CASES / "good-claims").glob("*.yml")))


def test_the_claims_and_sources_desks_write_are_read_in_the_common_layout() -> None:
    """Every claim and source front matter of the repository's desk, and of the benchmarks' generated archive, is
    read without libyaml's events (else nothing is gained), and reads as PyYAML reads it."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "claims").glob("*.yml"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((CASES / "good-claims").glob("*.yml"))]
    vocabulary = Vocabulary.build(1)
    sources = [make_source(number, 1, vocabulary, ["The Daily Wire"]) for number in range(12)]
    claimants = [f"Claimant {number}" for number in range(20)]
    texts += [make_claim(number, 1, vocabulary, sources, claimants, ["numbers", "maps", "timeline", "army"],
                         ["Desk Editor"]).text for number in range(150)]
    fronts = [split_front_matter(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "sources").glob("*.md"))]
    fronts += [split_front_matter(source.text) for source in sources]
    for text in texts:
        assert assert_same(text), f"not read in the common layout:\n{text}"
    for front in fronts:
        assert front is not None
        assert assert_same(front[0], 1), f"not read in the common layout:\n{front[0]}"


# --- random claim-shaped documents ------------------------------------------------------------------------------------

KEYS = ["claim", "claimant", "verdict", "summary", "quotes", "source", "text", "stance", "note", "analysis", "tags",
        "published", "updated", "corrections", "date", "appeared_in", "x-y", "_z", "a1", "k" * 100, "k" * 101, "1",
        "true", "null", "<<", "key with space", '"quoted"', "'single'", "? x", "é", "a:b"]
PLAIN = ["false", "true", "True", "yes", "No", "on", "OFF", "y", "~", "null", "Null", "NULL", "", "1", "-1", "+1",
         "0", "007", "0x1F", "0o17", "0b101", "1_000", "1:30", "190:20:30", "1.5", "1.5e3", "6.8523015e+5", ".inf",
         "-.INF", ".nan", ".NaN", "2025-12-12", "2025-02-30", "2025-12-12 10:00:00", "2025-12-12T10:00:00Z",
         "2001-12-14t21:59:43.10-05:00", "2025-1-2", "=", "<<", "a b", "C#", "a#b", "a #b", "a  # comment",
         "http://x.example/a?b=c#d", "mostly-false", "Kim's", "a, b [c] {d}", "é ü", "ü:x", "a:b", "a: b", "a:",
         "a :b", "-x", "- x", "-", "--", "---", "...", "?x", "? x", ":x", "x ", "@x", "`x`", "%x", "!x", "!!str x",
         "&a x", "*a", "[a]", "{a: b}", "|", ">", "|x", "'a' b", "a 'b'", 'a "b"', "\u00a0x\u00a0", "x\u3000",
         "\u200fx", "\u202ex", "\U0001F600", "a\\nb", "a\\", "x\ufeff", "\ufffe", "a\x7fb", "a\x9fb", "a\tb",
         "1e3", "12e03", "-0", "0.", "+.5", "0x", "1__0", "_1", "0b", "190:60", "2025-12-12 1:00:00"]
PIECES = ["a", "b c", "é", "\u201cq\u201d", "\u2019", "\u2014", "\u00a0", "\u3000", "\U0001F600", "#", " #", ": ", ":",
          "'", '"', "''", "\\", "&", "*", "!", "[", "]", "{", "}", ",", "|", ">", "-", "  ", "\u200b", "\u202e",
          "\x85", "\u2028", "\ufeff", "\x00", "\x1b", "\t", "\r"]
ESCAPES = ["\\\\", '\\"', "\\/", "\\n", "\\t", "\\0", "\\a", "\\b", "\\e", "\\f", "\\v", "\\r", "\\N", "\\_", "\\L",
           "\\P", "\\ ", "\\\t", "\\x41", "\\x4", "\\u00e9", "\\u2028", "\\ud800", "\\udfff", "\\U0001F600",
           "\\U00110000", "\\U0000d800", "\\q", "\\'", "\\x85", "\\u0000", "\\x0a", "\\u000d", "\\xff", "\\uFEFF",
           "\\ufffe", "\\x1b"]


class Draw:
    """Choices for one document: the tame ones of the common layout, or, with the document's wildness, any."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.wild = rng.choice([0.0, 0.0, 0.02, 0.1, 0.4])

    def __call__(self, tame: Any, wild: Any = ()) -> Any:
        return self.rng.choice(wild if wild and self.rng.random() < self.wild else tame)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability


TAME_PLAIN = [word for word in PLAIN if word and word[0] not in "!&*%@`{}[],?:#|>'\"-"
              and ": " not in word and not word.endswith(":") and " #" not in word and word == word.strip(" ")
              and word.isprintable() and "\ufeff" not in word and "\ufffe" not in word]
TAME_PIECES = ["a", "b c", "é", "\u201cq\u201d", "\u2019", "\u2014", "\u00a0", "\U0001F600", "#", ":", "'", "!", "&"]
TAME_ESCAPES = ["\\\\", '\\"', "\\/", "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\u2028", "\\x85"]


def _plain(draw: Draw) -> str:
    if draw.chance(0.15):
        return "".join(draw(TAME_PIECES[:3], PIECES) for _ in range(draw.rng.randint(1, 6))).strip(" ") or "x"
    return draw(TAME_PLAIN, PLAIN)


def _double_quoted(draw: Draw) -> str:
    parts = [draw(TAME_ESCAPES, ESCAPES) if draw.chance(0.3) else draw(TAME_PIECES, PIECES).replace('"', "'")
             .replace("\\", "/") for _ in range(draw.rng.randint(0, 8))]
    return '"' + "".join(parts) + draw(['"', '"', '"  # c'], ['"#c', '" x', "", '"\n  more"', '\\\n  more"'])


def _single_quoted(draw: Draw) -> str:
    parts = [draw(["''", "a", "é", '"', "\\", " #", ": ", "\u2019"]) for _ in range(draw.rng.randint(0, 6))]
    return "'" + "".join(parts) + draw(["'", "' # c"], ["'x", "", "'\n  more'"])


def _flow(draw: Draw) -> str:
    words = [draw(["a", "b c", "timeline", "1", "true", "2025-01-01", "a-b", "a.b", "null", "_x", "x -", '"q"',
                   "'q'", '"b, c"', "'d # e'", '"x: y"', '"é ]"', "''", '""', '" 1 "'],
                  ["~", "-x", ".5", "a: b", "a:b", "[x]", "{x}", "é", "a #b", '"a\\"b"', "'it''s'", '"a"b'])
             for _ in range(draw.rng.randint(0, 4))]
    separator = draw([", ", ",", " , ", ",  "])
    return "[" + draw(["", " "]) + separator.join(words) + draw(["", " "], [", ", ","]) + "]" + draw(
        ["", "", " # c"], ["#c", " x", "\n  - y"])


def _block_text(draw: Draw, column: int) -> list[str]:
    header = draw("|>") + draw(["", "", "-", "+"], ["2", "-1", "+3", "1-"]) + draw(["", "", " ", " # c"], ["#c"])
    indent = column + draw([1, 2, 2, 2, 4], [0])
    lines = [header]
    for _ in range(draw.rng.randint(0, 7)):
        roll = draw.rng.random()
        if roll < 0.5:
            lines.append(" " * indent + draw(["Some words.", "**bold** and # not a comment", "a: b", "- item", "'q'",
                                              "\u00a0x", "x  ", "---", "é \u201cq\u201d"]))
        elif roll < 0.65:
            lines.append(" " * (indent + draw.rng.randint(1, 3)) + draw(["more indented", "code", ""]))
        elif roll < 0.85:
            lines.append(" " * draw.rng.randint(0, indent + 2))
        elif roll < 0.92:
            lines.append(" " * draw.rng.randint(0, indent) + "# comment?")
        else:
            lines.append(" " * max(0, indent - draw.rng.randint(1, 2)) + "less")
    return lines


def _value(draw: Draw, column: int, depth: int) -> list[str]:
    """A value's lines: the first is what follows `key: ` (or `- `); the others are whole lines."""
    roll = draw.rng.random()
    if roll < 0.35:
        return [_plain(draw)]
    if roll < 0.5:
        return [_double_quoted(draw)]
    if roll < 0.57:
        return [_single_quoted(draw)]
    if roll < 0.65:
        return [_flow(draw)]
    if roll < 0.75:
        return _block_text(draw, column)
    if depth > 10:
        return [_plain(draw)]
    if roll < 0.88:  # a list, indented or not
        indent = column + draw([0, 2, 2, 2, 4], [1, 3])
        lines = [draw(["", "", " # c"])]
        for _ in range(draw.rng.randint(0, 4)):
            if draw.chance(0.6):
                inner = _mapping(draw, indent + 2, depth + 1)
                lines.append(" " * indent + "- " + inner[0][indent + 2 :])
                lines += inner[1:]
            else:
                item = _value(draw, indent, depth + 1) if draw.chance(0.3) else [_plain(draw)]
                lines.append(" " * indent + draw(["- ", "- ", "-  "], ["-"]) + item[0])
                lines += item[1:]
        return lines
    indent = column + draw([2, 2, 4], [1])
    return [draw(["", "", "  # c"]), *_mapping(draw, indent, depth + 1)]


def _mapping(draw: Draw, column: int, depth: int) -> list[str]:
    lines: list[str] = []
    keys = draw.rng.sample(KEYS[:16], draw.rng.randint(1, 6))
    if draw.chance(0.1):
        keys.append(draw(KEYS[:20], KEYS))
    for key in keys:
        if draw.chance(0.15):
            lines.append(" " * draw.rng.randint(0, column + 3) + draw(["# a comment", "#", "# é: x", ""]))
        value = _value(draw, column, depth)
        separator = draw([": ", ": ", ":  "], [":"]) if value[0] else draw([":", ": ", ":   "])
        lines.append(" " * column + key + separator + value[0] + draw(["", "", "", " # trailing", " "]))
        lines += value[1:]
    return lines


def claim_shaped(rng: random.Random) -> str:
    draw = Draw(rng)
    lines = ([draw(["# A claim", "", "   "])] if draw.chance(0.2) else []) + _mapping(draw, 0, 1)
    return "\n".join(lines) + draw(["\n", "\n", "\n\n", "\n  \n", "\n# end\n"], [""])


HOSTILE = ["\t", "\r", "\r\n", "\ufeff", "\u2028", "\u2029", "\x85", "\x00", "\x7f", "\x9f", "&a ", "*a", "!!str ",
           "!x ", "!!binary ", "{", "}", "[", "]", ",", ":", ": ", " #", "#", "'", '"', "\\", "|", ">", "-", "- ", "? ",
           "---\n", "...\n", "--- ", "%YAML 1.1\n---\n", "  ", " ", "\n", "\n  ", "\n- ", "\u00a0", "\u3000", "é",
           "\U0001F600", "\ud800", "<<: ", "\x0c", "\x0b"]


def damaged(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        roll, at = rng.random(), rng.randint(0, len(text))
        if roll < 0.5:
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif roll < 0.65:
            text = text[:at] + text[at + 1 :]
        elif roll < 0.8:  # a line indented one way or the other
            lines = text.split("\n")
            which = rng.randrange(len(lines))
            lines[which] = (" " * rng.randint(1, 3) + lines[which]) if rng.random() < 0.5 else lines[which][1:]
            text = "\n".join(lines)
        else:  # a line twice (a field twice)
            lines = text.split("\n")
            which = rng.randrange(len(lines))
            lines.insert(which, lines[which])
            text = "\n".join(lines)
    return text


@SETTINGS
@given(st.randoms(use_true_random=False), st.sampled_from([0, 1]))
def test_claim_shaped_documents_read_as_pyyaml_reads_them(rng: random.Random, offset: int) -> None:
    assert_same(claim_shaped(rng), offset)


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_damaged_documents_read_as_pyyaml_reads_them(rng: random.Random) -> None:
    assert_same(damaged(rng, claim_shaped(rng)))


def test_many_random_documents_read_as_pyyaml_reads_them() -> None:
    """Thousands more than Hypothesis tries, at a fraction of its cost per example; and most of them read in the
    common layout, so that the comparisons are not all of texts it leaves to PyYAML."""
    rng = random.Random(28)
    read = sum(assert_same(claim_shaped(rng)) for _ in range(examples(1500, 40000)))
    assert read > examples(1500, 40000) // 10
    assert sum(assert_same(damaged(rng, claim_shaped(rng))) for _ in range(examples(1500, 40000))) > 0


NESTED = {
    "mappings, two spaces a level": lambda depth: "".join("  " * level + f"k{level}:\n" for level in range(depth))
    + "  " * depth + "k: v\n",
    "lists of mappings": lambda depth: "a:\n" + "".join("  " * level + "- b:\n" for level in range(1, depth))
    + "  " * depth + "- c\n",
    "indentless lists": lambda depth: "a:\n" + "".join("  " * level + "- b:\n" for level in range(depth))
    + "  " * depth + "- c\n",
}


@pytest.mark.parametrize("make", NESTED.values(), ids=NESTED.keys())
def test_nesting_at_every_depth_reads_as_pyyaml_reads_it(make: Any) -> None:
    for depth in range(1, yaml_reader.MAX_DEPTH + 4):
        assert_same(make(depth))


def test_odd_unicode_and_huge_values_read_as_pyyaml_reads_them() -> None:
    values = ["\u00a0", "\u3000", "\u200b", "\u202e", "\U0001F600", "\ufffd", "\ue000", "\ud7ff", "\U0010ffff",
              "\ufeff", "\ufffe", "\uffff", "\x80", "\x9f", "\xa0", "\u0300", "\u2028", "\u2029", "\x85", "\x0b"]
    for char in values:
        for text in (f"a: {char}\n", f"a: x{char}\n", f"a: x{char} \n", f'a: "{char}"\n', f"a: '{char}'\n",
                     f"a: |\n  {char}\n", f"a: >\n  x\n  {char}\n", f"{char}a: x\n", f"a{char}: x\n", f"a: [{char}]\n",
                     f"# {char}\na: x\n", f"a:\n  - {char}\n"):
            assert_same(text)
    huge = "word " * 200_000
    for text in (f"a: {huge}\n", f'a: "{huge}"\n', f"a: |\n  {huge}\n", "a:\n" + "  - x\n" * 30_000,
                 "a: [" + "x, " * 30_000 + "x]\n", "".join(f"k{n}: v\n" for n in range(30_000))):
        assert_same(text)


# --- cost -------------------------------------------------------------------------------------------------------------

SIZE = 400_000  # characters
CPU_BUDGET = 2.0  # seconds: what linear reading takes here is a few hundredths of that, quadratic reading minutes

COSTLY = {
    "comment lines between fields": "a:\n" + "    # c\n" * (SIZE // 8) + "b: x\n",
    "blank lines in a text": "a: |\n  x\n" + "  \n" * (SIZE // 3) + "  y\n",
    "blank lines and a comment after a text": "a: |+\n  x\n" + " \n" * (SIZE // 2) + "# c\nb: x\n",
    "a long line of markers": "a: " + "a #: " * (SIZE // 5) + "\n",
    "a long quoted line of escapes": 'a: "' + "\\x4" * (SIZE // 4) + '"\n',
    "a long unclosed quote": 'a: "' + "\\\\" * (SIZE // 2) + "\n",
    "a long flow list, unclosed": "a: [" + "a a, " * (SIZE // 5) + "\n",
    "lists nested to the limit, repeated": ("a:\n" + "".join("  " * level + "- b:\n" for level in range(1, 8))
                                            + "                - c\n") * (SIZE // 150),
    "fields with values below them": "".join(f"k{n}:\n  - x\n" for n in range(SIZE // 16)),
    "a problem on the last line": "a:\n" + "  - x\n" * (SIZE // 6) + "b: c: d\n",
}


def _read(text: str) -> None:
    with contextlib.suppress(yaml_reader.YamlError):
        yaml_reader.parse_yaml(text)


@pytest.mark.parametrize("text", COSTLY.values(), ids=COSTLY.keys())
def test_reading_takes_linear_time(text: str) -> None:
    assert cpu_seconds(lambda: _read(text), CPU_BUDGET) < CPU_BUDGET, f"reading took over {CPU_BUDGET} s of CPU"


def test_every_date_shaped_value_reads_as_pyyaml_reads_it() -> None:
    """The common layout reads YYYY-MM-DD itself (a claim has two or three, mostly of different days): each such
    value, a day that exists or not, in a field, a list item or a flow list, is PyYAML's date or text, and the same
    shape with anything more (a time, a sign, other digits, one digit fewer) is read by PyYAML's resolver, as before."""
    years = ("0000", "0001", "1900", "2000", "2024", "2025", "9999")
    months = ("00", "01", "02", "09", "10", "12", "13", "99")
    days = [f"{year}-{month}-{day}" for year in years for month in months
            for day in ("00", "01", "28", "29", "30", "31", "32")]
    odd = ["2025-1-01", "2025-01-1", "+2025-01-01", "2025-01-01x", "2025-01-01 10:00:00", "2025-01-01T10:00:00Z",
           "2025-01-01 ", "2025-01-01 # c", "２０２５-01-01", "2０25-01-01", "2025-0１-01", "2025_01_01", "20250101",
           "2025-01-01.5", "-2025-01-01"]
    for value in days + odd:
        for text in (f"a: {value}\n", f"a:\n  - {value}\n  - x\n", f"a: [{value}, x]\n", f"a:\n- b: {value}\n"):
            assert assert_same(text) or value in odd, text
    assert yaml_reader.parse_yaml("a: 2024-02-29\nb: 2025-02-29\nc: 0000-01-01\n").values == {
        "a": dt.date(2024, 2, 29), "b": "2025-02-29", "c": "0000-01-01"}


def test_dates_read_in_the_common_layout_are_pyyamls() -> None:
    """A date and a time of day are values of their own types, as PyYAML makes them, not text."""
    read = yaml_reader.parse_yaml("a: 2025-12-12\nb: 2025-12-12 10:00:00\nc: 2025-02-30\n")
    assert read.values == {"a": dt.date(2025, 12, 12), "b": dt.datetime(2025, 12, 12, 10), "c": "2025-02-30"}
    assert common("a: 2025-12-12\n") is not None
