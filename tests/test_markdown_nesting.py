"""Markdown nested past the renderer's limit is refused, never cut: for any mix of lists,
quotes and inline markup, either validation names the line, or every word is on the page."""

from __future__ import annotations

import re

from conftest import examples
from factcheck_site.render.safe_markdown import markdown_problem, markdown_to_html
from hypothesis import given, settings
from hypothesis import strategies as st

# Not fences (``` or ~~~): a code block's info string names its language and is not shown.
PREFIXES = st.sampled_from(["> ", "- ", "1. ", "* ", ">", "  ", "    ", "**", "*", "_", "~~ ", "[", "` "])


def words(text: str) -> set[str]:
    return set(re.findall(r"w\d+", text))


@settings(max_examples=examples(100, 300), deadline=None)
@given(st.lists(st.tuples(st.lists(PREFIXES, max_size=40), st.booleans()), min_size=1, max_size=12))
def test_nothing_nested_is_dropped_without_a_problem(lines: list[tuple[list[str], bool]]) -> None:
    text = "\n".join("".join(prefix) + f"w{number} " + ("\n" if blank else "")
                     for number, (prefix, blank) in enumerate(lines))
    if markdown_problem(text) is None:
        shown = re.sub(r"<[^>]+>", " ", markdown_to_html(text))
        assert words(text) <= words(shown), text


def test_the_limits_named_in_the_message_hold() -> None:
    nine = "\n".join("  " * level + f"- w{level}" for level in range(9))
    assert markdown_problem(nine) is None and words(nine) <= words(markdown_to_html(nine))
    assert markdown_problem(nine + "\n" + "  " * 9 + "- w9") is not None
    assert markdown_problem("> " * 19 + "w1") is None
    assert markdown_problem("> " * 20 + "w1") == (1, markdown_problem("> " * 20 + "w1")[1])  # type: ignore[index]
