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
