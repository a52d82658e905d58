"""Checking an analysis skips the Markdown parse where the parse could find nothing (no link, no entity,
escape or code span, containers too shallow to be cut; render/safe_markdown.py's plain_markdown): the
problems reported are exactly those the parse gives, on text made of everything Markdown can do with ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import examples
from factcheck_site.build import BuildOptions, build_site
from factcheck_site.config import read_settings
from factcheck_site.content.prose_links import prose_problems
from factcheck_site.render import safe_markdown
from factcheck_site.render.safe_markdown import markdown_problem
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.project import make_project

SOURCES = {"ab": None, "ab-c": None, "b": None, "x1": None}
CLAIMS = frozenset({"a-b", "ab-c-d", "bc"})
PIECES = ["a", "b", "c", "ab", "-", "-c", "x1", "é", "9", " ", "  ", "\t", "\n", "\n\n", "*", "**", "_", "__",
          "~", "~~", "~~~", "> ", ">", "- ", "+ ", "* ", "1. ", "2) ", "# ", "#", "|", "---", "===", "    ",
          ".", ")", ":", "http://ab.c", "https://x1/", "[", "]", "(", ")", "](claim:bc)", "](https://a.b)", "<",
          ">", "&", "&#98;", "\\", "\\*", "`", "\r", "- " * 10, "> " * 10, "  " * 10, ">" * 20]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _both(text: str) -> tuple[object, object]:
    return (markdown_problem(text),
            prose_problems("analysis", text, SOURCES, CLAIMS, ("gone",), markdown=True))


@settings(max_examples=examples(300, 1000), deadline=None)
@given(texts)
def test_an_analysis_gets_the_problems_the_parse_finds(text: str) -> None:
    shortcut = _both(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(safe_markdown, "plain_markdown", lambda text: False)  # always parse
        parsed = _both(text)
    assert shortcut == parsed


@pytest.mark.parametrize("text, plain", [
    ("Two words, **bold** and *emphasis*, and ~~struck~~ text.\n\n- a list\n  - in a list\n\n> a quote", True),
    ("A [link](https://example.org) or <https://example.org>, an &amp; entity, a \\* or a `code span`", False),
    ("- " * 5 + "five lists deep", True), ("- " * 10 + "ten lists deep, cut", False), ("> " * 20 + "cut", False),
])
def test_the_parse_is_skipped_only_where_it_finds_nothing(text: str, plain: bool) -> None:
    assert safe_markdown.plain_markdown(text) is plain
    if plain:
        assert _both(text) == (None, [])


def test_the_benchmark_corpus_gets_the_problems_the_parse_finds(tmp_path: Path) -> None:
    """The synthetic archive of the benchmarks, with ids written bare in its analyses in every way Markdown shows
    them (as words, in bold, split by emphasis, in a list, in a quote): the same problems, shortcut or parse."""
    project = tmp_path / "p"
    claims = make_project(project, 90, 4)
    ids = sorted(path.stem for folder in ("claims", "sources") for path in (project / folder).iterdir())
    for number, claim in enumerate(claims[::3]):
        an_id = ids[number % len(ids)]
        half = len(an_id) // 2
        shown = [an_id, f"**{an_id}**", f"**{an_id[:half]}**{an_id[half:]}", f"\n\n- {an_id}\n", f"\n\n> *{an_id}*\n",
                 f"{an_id}_x", f"~~{an_id}~~"][number % 7]
        path = project / "claims" / f"{claim.id}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("analysis: |\n  ", f"analysis: |\n  {shown} ", 1)
                        .replace(f"{shown} ", shown.replace("\n", "\n  ") + " ", 1), encoding="utf-8")
    settings, _ = read_settings(project / "mkdocs.yml")
    options = BuildOptions(settings, processes=1, render=False)
    shortcut = build_site(options).problems
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(safe_markdown, "plain_markdown", lambda text: False)
        parsed = build_site(options).problems
    assert shortcut == parsed
    assert len({problem.path for problem in parsed}) == len(claims[::3]), "an id written bare went unnoticed"
