"""Small corrections to the theme's HTML that its templates cannot be configured for."""

from __future__ import annotations

import re

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(html: str, label: str = "Search") -> str:
    """Material's search box is a dialog without a name, which screen readers announce
    as just "dialog" (axe-core: aria-dialog-name); give it one."""
    return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)


_HTML_TAG = re.compile(r"<html\b([^<>]*)>")


def html_direction(html: str, direction: str) -> str:
    """Material sets the writing direction on <body> only; the root element gets it too, so the document's
    direction (what browsers, screen readers and translation tools read first) is the language's."""
    match = _HTML_TAG.search(html, 0, 2000)
    if match is None or " dir=" in match[1]:
        return html
    return f'{html[:match.end() - 1]} dir="{direction}">{html[match.end():]}'


# A table of a page's content that Material's script wraps in a scrolling box (its `table:not([class])`).
_BARE_TABLE = re.compile(r"<table\b(?![^>]*\bclass=)[^>]*>.*?</table>", re.DOTALL | re.IGNORECASE)
SCROLL_BOX = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{}</div></div>'


def wrap_tables(html: str) -> str:
    """Each table of a page's content in the scrolling box Material's script puts it in, from the start: the script
    loads on the reader's first interaction (templates/partials/theme-loader.html, which takes the boxes off again
    just before Material puts its own on), and the text below a table must not move when it does."""
    def box(match: re.Match[str]) -> str:
        table = match[0]
        return table if "<table" in table[6:].lower() else SCROLL_BOX.format(table)  # nested tables: left alone

    return _BARE_TABLE.sub(box, html)
