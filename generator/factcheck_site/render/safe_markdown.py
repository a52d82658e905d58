"""Editors' Markdown to HTML that cannot carry markup of its own.

Claim files come from strangers, so raw HTML is escaped, links may only use safe
schemes, images (which would load from other hosts) become plain links, and
headings are pushed below the page's own.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/", "./", "../")


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    if lowered.startswith(_SAFE_SCHEMES):
        return True
    return ":" not in lowered.split("/", 1)[0]  # a relative path, not an unknown scheme


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.disable("image")
    md.validateLink = _validate_link

    def heading_open(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        level = min(6, int(tokens[idx].tag[1]) + 2)
        tokens[idx].tag = f"h{level}"
        return renderer.renderToken(tokens, idx, options, env)

    def heading_close(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        level = min(6, int(tokens[idx].tag[1]) + 2)
        tokens[idx].tag = f"h{level}"
        return renderer.renderToken(tokens, idx, options, env)

    def link_open(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "nofollow noopener")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    md.add_render_rule("link_open", link_open)
    return md


_MD = _build()


def markdown_to_html(text: str) -> str:
    return _MD.render(text).strip()
