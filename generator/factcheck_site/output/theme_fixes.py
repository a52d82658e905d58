"""Small corrections to the theme's HTML that its templates cannot be configured for."""

from __future__ import annotations

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(html: str, label: str = "Search") -> str:
    """Material's search box is a dialog without a name, which screen readers announce
    as just "dialog" (axe-core: aria-dialog-name); give it one."""
    return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)
