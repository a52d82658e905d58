"""Corrections to the theme's HTML (output/theme_fixes.py), without a build: which tables of a page's content
come in Material's scrolling boxes, as its script would put them (the browser tests check that nothing moves when
it does: tests/browser/test_theme_loader_in_browser.py)."""

from __future__ import annotations

import pytest
from factcheck_site.output.theme_fixes import SCROLL_BOX, wrap_tables

BARE = "<table>\n<thead><tr><th>a</th></tr></thead>\n<tbody><tr><td>1</td></tr></tbody>\n</table>"
BOXED = SCROLL_BOX.format(BARE)


@pytest.mark.parametrize(("html", "expected"), [
    (f"<p>x</p>\n{BARE}\n<p>y</p>", f"<p>x</p>\n{BOXED}\n<p>y</p>"),  # a Markdown table
    (f"{BARE}{BARE}", BOXED * 2),  # each table its own box
    ('<table style="width: 50%"><tr><td>1</td></tr></table>',  # attributes, but no class: Material boxes it
     SCROLL_BOX.format('<table style="width: 50%"><tr><td>1</td></tr></table>')),
    ('<TABLE><tr><td>1</td></tr></TABLE>', SCROLL_BOX.format('<TABLE><tr><td>1</td></tr></TABLE>')),
    ('<table class="fc-wsw__table"><tr><td>1</td></tr></table>',  # a class: Material leaves it as it is
     '<table class="fc-wsw__table"><tr><td>1</td></tr></table>'),
    ("<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>",  # nested (raw HTML): left alone
     "<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>"),
    ("<p>a tablet, <tables> in prose</p>", "<p>a tablet, <tables> in prose</p>"),
    ("<table><tr><td>1</td></tr>", "<table><tr><td>1</td></tr>"),  # never closed: left alone
    ("<table <table><tr><td>1</td></tr></table>", "<table <table><tr><td>1</td></tr></table>"),  # broken tag
])
def test_the_tables_material_boxes_are_boxed_from_the_build(html: str, expected: str) -> None:
    assert wrap_tables(html) == expected


def test_a_page_of_table_tags_takes_one_pass() -> None:
    """Editors write the pages' HTML: tables that never close, or a tag that never ends, cost one scan."""
    for html in ("<table>" * 50_000, "<table " * 50_000 + ">", "<table></table>" * 30_000):
        assert wrap_tables(html).count("<table") == html.count("<table")
