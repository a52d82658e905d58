"""Every regular expression in the generator runs in linear time on what a stranger can write (issue 24).

Editors' text reaches most of them: claims, sources, prose, web addresses, names, saved pages. A pattern
that backtracks (each `\\[` of a line scanning the rest of it, say) turns a 30 KB claim into a minute of
CPU, for validation, for the build, for every preview. So each pattern gets 100 KB of adversarial input
under a CPU-time guard of 2 s, where a linear scan takes milliseconds and a quadratic one minutes: every
character of the pattern and of a text it matches repeated, each pair of them alternating, and each
prefix of that text followed by a long run of one character (a match begun and never finished).

The patterns are found in the code (module-level patterns, and every call of re.compile, re.search and
the rest), so a new one fails test_every_pattern_has_a_sample until it is listed in SAMPLES below with a
text it matches; from then on it is checked like the others.
"""

from __future__ import annotations

import ast
import copy
import importlib
import itertools
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import factcheck_site
import pytest
from conftest import cpu_seconds

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse

SIZE = 100_000  # characters of adversarial input
CPU_BUDGET = 2.0  # seconds of CPU per input: a linear scan of SIZE takes milliseconds here, a quadratic one minutes
_METHODS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}

# A text each pattern matches (a prefix of it starts the attacks); for every pattern in the code, keyed by
# where it is: `module.NAME` for a module's pattern, `module.function: <first argument>` for a call.
SAMPLES: dict[str, str] = {
    "config.dispatch_names: SLUG_PATTERN": "a-b-c",
    "content.claimants.GROUP": "several outlets",
    "content.claimants.claimant_problems: SLUG_PATTERN": "a-b-c",
    "content.load._NO_PUBLISHER": "Publisher not identified in the snapshot",
    "content.model.NO_ONE": "Unidentified news dispatch",
    "content.invisible.CANDIDATES": "a\u200bb",
    "content.invisible._CONTROL": "a\x1b[31m",
    "content.invisible._ASCII_CANDIDATES": "a\x1bb",
    "content.invisible._MAYBE_CANDIDATES": "a\u200bb\U0001f600",
    "content.invisible._TAGS": "\U000e0067\U000e0062",
    "content.format_check._DATE": "2025-12-12",
    "content.format_check._FINGERPRINT": "0" * 64,
    "content.format_check._LANGUAGE": "pt-BR",
    "content.format_check._id_hint: '\\\\.md$'": "sources/x.md",
    "content.format_check._SLUG": "a-b-c",
    "content.formats.suggested_slug: '[^a-z0-9]+'": "A Title, 2025",
    "content.load.add_closest_passages: '^quote \\\\d+'": "quote 12 is not",
    "content.load.check_slug: SLUG_PATTERN": "a-b-c",
    "content.load._claimant_via_problems: SLUG_PATTERN": "a-b-c",
    "content.load.split_front_matter: '^---[ \\\\t]*$'": "title: x\n--- \t\nbody",
    "content.prose_links.LINK": "see \\\\[words \\[x\\]](claim:an-id) or <source:an-id>",
    "content.prose_links._ESCAPED": "\\[",
    "content.prose_links._NOT_PROSE": "[a](https://x.example/a) <https://x.example> https://x.example/b",
    "content.prose_links._REFERENCE_DEFINITION": "> [r\\]1]: \n  <claim:an-id>",
    "content.prose_links._TOKEN": "a-b-c1 d",
    "content.prose_links._ID_RUN": "a-b_c1 d",
    "content.prose_links._MARKERS": "**a**_b_~~c~~",
    "content.prose_links._ID_OR_MARKER_RUN": "a-b**c**d_e ~~f~~",
    "content.prose_links.markdown_escaped: '([!-/:-@\\\\[-`{-~])'": "a*b[c]",
    "content.quote_matching.OMISSION": "a [ . . . ] b [\u2026]",
    "content.quote_matching._RUN": " \u2014 \u200b\n\t ",
    "content.quote_matching._NON_ASCII_RUN": "e\u0301\u00e9",
    "content.quote_matching._ODD_CHAR": "a\u2014b",
    "content.quote_matching._PARAGRAPH_BREAK": "a\n \t\u00a0\nb",
    "content.quote_matching._PUNCTUATION": "a, b.",
    "content.quote_matching._QUOTE_MARK": "\u201ca\u201d",
    "content.site_checks._EXAMPLE_HOST": "see www.news.example.org/a",
    "content.site_checks._FRONT_MATTER": "--- \ntitle: x\n---\t\nbody",
    "content.site_checks.theme_has_extrahead: '\\\\{%-?\\\\s*block\\\\s+extrahead\\\\b'": "{%- block extrahead %}",
    "content.verdict_scale.parse_scale: SLUG_PATTERN": "mostly-true",
    "content.web_address._PLAIN": "https://example.org/a-b_c?d=1&e=%20#f",
    "content.web_address._PLAIN_PATH": "claims/a-claim/index.html",
    "content.web_address._HOST": "www.bbc.co.uk.",
    "content.web_address._ipv4_as_browsers_read_it: '[0-9]+|0[xX][0-9a-fA-F]*'": "0x7f",
    "content.web_address._ipv4_as_browsers_read_it: '0[xX][0-9a-fA-F]*'": "0x7f",
    "content.web_address._ipv4_as_browsers_read_it: '0[0-7]+'": "0177",
    "content.web_address._ipv4_as_browsers_read_it: '[0-9]+'": "127",
    "content.web_address.check_web_address: '%40'": "a%40b",
    "content.yaml_reader._HIDDEN_LINE_BREAK": "a\u2028b",
    "content.yaml_reader._UNCOMMON_CHARACTER": "a\tb\ufeff",
    "content.yaml_reader._KEY": "claim_date:  2025",
    "content.yaml_reader._SPACES": "  - a",
    "content.yaml_reader._SIMPLE_VALUE": '"a b" # c',
    "content.yaml_reader._DATE": "2025-12-12",
    "content.yaml_reader._BLOCK_HEADER": "|- # c",
    "content.yaml_reader._DOUBLE_QUOTED": '"a\\"b"',
    "content.yaml_reader._SINGLE_QUOTED": "'a''b'",
    "content.yaml_reader._ESCAPE": "\\u00e9\\x41\\n",
    "content.yaml_reader._FLOW_ITEM": ' "a, b" ,',
    "content.yaml_reader._FLOW_EMPTY": "[ ]",
    "editor.add_source._DATE": "2025-12-12",
    "editor.add_source.source_id_for: '[a-z0-9]+'": "a title 2",
    "editor.article_text._SPACES": "a \n\t b",
    "editor.article_text._dropped_reason: '\\\\s'": "display: none",
    "editor.article_text.page_metadata: '^\\\\d{4}-\\\\d{2}-\\\\d{2}$'": "2025-12-12",
    "editor.new_claim.slug_problem: SLUG_PATTERN": "a-b",
    "editor.new_claim.split_ids: '[,\\\\s]+'": "a, b c",
    "output.exports._CELL_START": "a; =b",
    "output.feeds._NOT_XML": "a\x00b",
    "output.raw_html._ATTRIBUTE": "a=\"b\" c='d' e=f g",
    "output.raw_html._BLOCK_START": "</div>",
    "output.raw_html._TAG": "<a href=\"x\" class='y' data-z=w hidden />",
    "output.theme_fixes._TABLE_TAG": "</table>",
    "output.theme_fixes._CLASS": ' class = "x"',
    "serving.kernel_announced: '\\\\\\\\([0-7]{3})'": "/mnt/my\\040claims",
    "output.reader_frame._GITHUB_REPO": "https://github.com/a-b/c.d.git/",
    "output.reader_frame._SCHEME": "mailto:",
    "content.formats.HEX_COLOUR": "#1d3557",
    "output.reader_frame._EMAIL": "desk@news.example.org",
    "output.search_index.STOCK_WORKER": "assets/javascripts/workers/search.0a1b.min.js",
    "output.search_index._word: '(?:[^\\\\W_]|[' + re.escape(_marks()[1]) + '])+'": "a1 b\u0915\u093e",
    "output.search_index._unspaced: f'[{UNSPACED}]+'": "北朝鮮の工兵 เกาหลี",
    "language._FIELD": "{count} {}",
    "language._UNSPACED_LETTER": "北",
    "output.search_index._nonspacing_marks: '[' + ''.join((f'\\\\U{a:08x}-\\\\U{b:08x}' "
    "for a, b in _marks()[0])) + ']+'":
        "e\u0301\u0302",
    "render.draft_pages.draft_pages: SLUG_PATTERN": "a-b",
    "render.listings._SENTENCE_END": "One. Two",
    "render.groups.group_slug: '[^a-z0-9]+'": "a b-c",
    "render.groups.group_slug: '[a-z0-9]+(?:-[a-z0-9]+)*'": "a-b-c",
    "render.safe_markdown._CONTAINER_PREFIX": "> - 1. > * 2) x\n  + y",
    "render.safe_markdown._LIST_MARKER": "- 1. * 2) +",
    "render.safe_markdown._INLINE_SYNTAX": "a_b",
    "render.safe_markdown._EMPHASIS": "a **b c** (*d*) e",
    "render.safe_markdown._ORDERED_ITEM": "12. a",
    "render.markup._SURROGATE_PAIR": "\\\\\\ud83d\\ude00",
    "render.placeholders.PLACEHOLDER": "{{ organization.name }}",
    "render.source_page._PARAGRAPH_BREAK": "a\n \n\n b",
    "cli._site_language: '[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*'": "pt-BR",
    "content.claim_dates._patterns: p": "13 декабря 2025",
    "editor.new_site._NAV_TITLE": "  - By tag: tags/index.md",
    "output.theme_fixes._HTML_TAG": '<html lang="ko" class="no-js">',
}
# Patterns made at run time, from a function that returns the pattern.
_MADE = {"output.search_index._nonspacing_marks": ("factcheck_site.output.search_index", "_nonspacing_marks"),
         "output.search_index._word": ("factcheck_site.output.search_index", "_word"),
         "output.search_index._unspaced": ("factcheck_site.output.search_index", "_unspaced"),
         # a source language's month names (Russian's: every form CLDR has) in the day-month-year pattern
         "content.claim_dates._patterns": ("factcheck_site.content.claim_dates", "_russian_day_month_year")}
# Characters that make many patterns work hard, added to each pattern's own.
_ALWAYS = " \n\t\\[]()<>:-a1.\u00e9\u0301"


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(factcheck_site.__path__, "factcheck_site."):
        if not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


def _flags(call: ast.Call) -> int:
    flags = 0
    for keyword in call.keywords:
        if keyword.arg == "flags":
            for name in re.findall(r"re\.([A-Z]+)", ast.unparse(keyword.value)):
                flags |= getattr(re, name)
    for argument in call.args[1:]:
        for name in re.findall(r"re\.([A-Z]+)", ast.unparse(argument)):
            flags |= getattr(re, name)
    return flags


INLINE_METHODS: dict[str, set[str]] = {}  # for a pattern given to re.search(...) and the like: the functions


def _unparse(node: ast.expr) -> str:
    """ast.unparse, the same on every Python: 3.10 writes a comprehension's tuple target in parentheses, 3.11 not."""
    node = copy.deepcopy(node)
    for part in ast.walk(node):
        if isinstance(part, ast.comprehension) and isinstance(part.target, ast.Tuple):
            part.target = ast.Name(id=", ".join(ast.unparse(element) for element in part.target.elts))
    return ast.unparse(node)


def patterns_in_code() -> dict[str, re.Pattern[str] | None]:
    """Every pattern of the generator by where it is; None where it is made at run time from an expression."""
    found: dict[str, re.Pattern[str] | None] = {}
    for module in _modules():
        short = module.__name__.removeprefix("factcheck_site.")
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        for statement in tree.body:  # module-level NAME = re.compile(...)
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) \
                    and ast.unparse(statement.value.func) == "re.compile":
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        found[f"{short}.{target.id}"] = getattr(module, target.id)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and isinstance(call.func.value, ast.Name) and call.func.value.id == "re"
                        and call.func.attr in _METHODS and call.args):
                    continue
                argument = call.args[0]
                key = f"{short}.{function.name}: {_unparse(argument)}"
                INLINE_METHODS.setdefault(key, set()).add(call.func.attr)
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found[key] = re.compile(argument.value, _flags(call))
                elif isinstance(argument, ast.Name) and isinstance(getattr(module, argument.id, None), str):
                    found[key] = re.compile(getattr(module, argument.id), _flags(call))
                else:
                    found[key] = None
    return found


PATTERNS = patterns_in_code()


def _uses() -> dict[str, set[str]]:
    """For each name a pattern is called through (NAME.search(...)), the methods called."""
    found: dict[str, set[str]] = {}
    for module in _modules():
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                    and isinstance(call.func.value, ast.Name) and call.func.attr in _METHODS:
                found.setdefault(call.func.value.id, set()).add(call.func.attr)
    return found


USES = _uses()


def anchored(key: str) -> bool:
    """Whether the pattern is only ever matched at one place (match, fullmatch), not searched for."""
    if ": " in key:
        return INLINE_METHODS[key] <= {"match", "fullmatch"}
    methods = USES.get(key.rsplit(".", 1)[1], set())
    return bool(methods) and methods <= {"match", "fullmatch"}


def _pattern(key: str) -> re.Pattern[str]:
    pattern = PATTERNS[key]
    if pattern is None:
        module, function = _MADE[key.split(":")[0]]
        pattern = getattr(importlib.import_module(module), function)()
    assert pattern is not None
    return pattern


def test_every_pattern_has_a_sample() -> None:
    missing = sorted(set(PATTERNS) - set(SAMPLES))
    assert not missing, ("a new regular expression: add it to SAMPLES in tests/test_regex_cost.py with a text it "
                         f"matches, so that its cost on adversarial input is checked: {missing}")
    gone = sorted(set(SAMPLES) - set(PATTERNS))
    assert not gone, f"these patterns are no longer in the code; remove them from SAMPLES: {gone}"


def _alphabet(pattern: re.Pattern[str], sample: str) -> str:
    """The characters the pattern and its sample are made of, and a few that make patterns work hard."""
    chars: dict[str, None] = {}

    def walk(parsed: sre_parse.SubPattern | list) -> None:
        for op, value in parsed:
            name = str(op)
            if name == "LITERAL":
                chars[chr(value)] = None
            elif name == "IN":
                for item_op, item in value:
                    if str(item_op) == "LITERAL":
                        chars[chr(item)] = None
                    elif str(item_op) == "RANGE":
                        chars[chr(item[0])] = chars[chr(item[1])] = None
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(value[2])
            elif name == "SUBPATTERN":
                walk(value[-1])
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(value[1])
            elif name == "BRANCH":
                for branch in value[1]:
                    walk(branch)

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return "".join(dict.fromkeys([*list(chars)[:16], *sample, *_ALWAYS]))[:24]


def attacks(pattern: re.Pattern[str], sample: str) -> Iterator[str]:
    alphabet = _alphabet(pattern, sample)
    for char in alphabet:
        yield char * SIZE
    for first, second in itertools.permutations(alphabet[:8], 2):
        yield (first + second) * (SIZE // 2)
    yield sample * (SIZE // len(sample))
    cuts = sorted({1 + (len(sample) - 2) * k // 11 for k in range(12)}) if len(sample) > 1 else []
    for cut in cuts:
        for char in dict.fromkeys(sample[cut - 1 : cut + 1] + " \\"):
            yield sample[:cut] + char * SIZE
        yield sample[:cut] * (SIZE // cut)


def _scan(pattern: re.Pattern[str], text: str, anchored: bool) -> float:
    """CPU seconds to find every match in text, as search, sub and findall do (or the match at its start, for a
    pattern only ever used with match or fullmatch); stopped at CPU_BUDGET."""
    return cpu_seconds(lambda: pattern.match(text) if anchored else pattern.subn("", text), CPU_BUDGET)


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_the_pattern_runs_in_linear_time(key: str) -> None:
    pattern = _pattern(key)
    sample = SAMPLES[key]
    assert pattern.search(sample), f"the sample {sample!r} does not match {pattern.pattern!r}"
    for text in attacks(pattern, sample):
        seconds = _scan(pattern, text, anchored(key))
        assert seconds < CPU_BUDGET, (f"{key} ({pattern.pattern!r}) took over {CPU_BUDGET} s of CPU on "
                                      f"{len(text):,} characters starting {text[:60]!r}")
