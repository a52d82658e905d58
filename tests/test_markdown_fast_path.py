"""An analysis made only of paragraphs of words, some in bold or emphasis, is rendered without the Markdown parser
(render/safe_markdown.py's plain_paragraphs_html): the page is byte for byte the parser's, on text made of everything
Markdown reads, and the fast path is taken for the prose analyses mostly are."""

from __future__ import annotations

import pytest
from conftest import examples
from factcheck_site.render import safe_markdown
from factcheck_site.render.safe_markdown import markdown_to_html, plain_paragraphs_html
from hypothesis import given, settings
from hypothesis import strategies as st

PIECES = ["a", "b", "Zé", "9", "40%", "1.", "2)", "10.5", " ", "  ", "\t", "\n", "\n\n", "\n \n", "*", "**", "***",
          "_", "__", "~", "~~", "~~~", "> ", ">", "- ", "-", "+ ", "+", "* ", "# ", "#", "|", "---", "===", "=",
          "    ", ".", ",", ")", "(", ":", ";", "!", "?", "'", '"', "[", "]", "](claim:bc)", "<", "&", "&amp;", "\\",
          "`", "\r", "\x00", "\xa0", "\u2003", "\u3000", "\x0b", "\x1c", "\u2028", "\ufeff", "«", "»", "—", "،", "١",
          "北", "\u0301", "$", "^"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
# Prose as editors write it: words, some in bold or emphasis, punctuation, paragraphs and wrapped lines.
WORDS = ["word", "Two", "49%", "3,452", "é", "北朝鮮", "**bold**", "*emphasis*", "**two words**", "**40%**", "*a*",
         "(**aside**)", '"**quoted**"', "**end**.", "**end**,", "**x**-based", "it's", "q?"]
prose = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join), min_size=1, max_size=5).map(
    lambda lines: "".join(line + st_sep for line, st_sep in zip(lines, ["\n", "\n\n", "\n"] * 2, strict=False)))


def _parsed(text: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(safe_markdown, "plain_paragraphs_html", lambda text: None)  # always the parser
        return markdown_to_html(text)


@settings(max_examples=examples(600, 3000), deadline=None)
@given(texts)
def test_any_text_renders_as_the_parser_renders_it(text: str) -> None:
    assert markdown_to_html(text) == _parsed(text)


@settings(max_examples=examples(300, 1000), deadline=None)
@given(prose)
def test_prose_renders_as_the_parser_renders_it(text: str) -> None:
    assert markdown_to_html(text) == _parsed(text)


@pytest.mark.parametrize("text, fast", [
    ("One paragraph, **bold** and *emphasis*.\nA wrapped line.\n\n\nAnother: 49% of **3,452**.", True),
    ('**Bold** at the start, "**quoted**" and **40%**, then (*aside*) it\'s **x**-based.', True),
    ("A [link](https://example.org), an &amp; entity, a \\* or a `code span`", False),
    ("- a list", False), ("1. a list", False), ("> a quote", False), ("# heading", False),
    ("Text\n===", False), ("a **b**c", False), ("    code", False), ("snake_case", False), ("a*b*c", False),
])
def test_the_parser_is_skipped_only_for_paragraphs_of_words(text: str, fast: bool) -> None:
    assert (plain_paragraphs_html(text) is not None) is fast
    assert markdown_to_html(text) == _parsed(text)
