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


# Where a table element opens or closes, and a class on one: Material's script boxes each `table:not([class])`.
_TABLE_TAG = re.compile(r"<(/?)table\b", re.IGNORECASE)
_CLASS = re.compile(r"\sclass\s*=", re.IGNORECASE)
SCROLL_BOX = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{}</div></div>'


def wrap_tables(html: str) -> str:
    """Each table of a page's content in the scrolling box Material's script puts it in, from the start: the script
    loads on the reader's first interaction (templates/partials/theme-loader.html, which takes the boxes off again
    just before Material puts its own on), and the text below a table must not move when it does.

    One pass over the tags (editors write the pages' HTML): a table with a class, a table holding another and
    markup whose tags do not close are left as they are."""
    tags = [(m.start(), bool(m[1])) for m in _TABLE_TAG.finditer(html)]
    pieces, done, depth, opened, keep = [], 0, 0, 0, False
    for index, (start, closing) in enumerate(tags):
        end = html.find(">", start)
        if end < 0 or (index + 1 < len(tags) and end > tags[index + 1][0]):
            return html
        if not closing:
            if depth == 0:
                opened, keep = start, bool(_CLASS.search(html, start, end))
            keep = keep or depth > 0
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and not keep:
                pieces += [html[done:opened], SCROLL_BOX.format(html[opened:end + 1])]
                done = end + 1
    return "".join(pieces) + html[done:] if pieces else html
