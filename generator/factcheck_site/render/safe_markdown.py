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

    tokenize = md.block.tokenize

    def tokenize_noting_cuts(state: Any, start_line: int, end_line: int) -> None:
        """markdown-it stops reading blocks nested deeper than maxNesting and drops the rest
        without a word; note the first line it drops, so the editor is told instead."""
        if state.level >= state.md.options.maxNesting and "cut_at_line" not in state.env:
            line = state.skipEmptyLines(start_line)
            if line < end_line and state.sCount[line] >= state.blkIndent:
                state.env["cut_at_line"] = line
        tokenize(state, start_line, end_line)

    md.block.tokenize = tokenize_noting_cuts  # type: ignore[method-assign]
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    md.add_render_rule("link_open", link_open)
    return md


_MD = _build()


def markdown_to_html(text: str) -> str:
    return _MD.render(text).strip()


def nesting_problem(text: str) -> tuple[int, str] | None:
    """(line within text, message) when blocks nest deeper than the renderer reads: lists in
    lists, quotes in quotes, or both, each level counted. Inline markup never loses text."""
    env: dict[str, Any] = {}
    _MD.parse(text, env)
    if "cut_at_line" not in env:
        return None
    levels = _MD.options.maxNesting  # a list level takes two (list and item), a quote level one
    return env["cut_at_line"] + 1, ("nests lists or quotes too deeply: the page would silently drop the text "
                                    f"from there on; use fewer levels (lists up to {levels // 2 - 1} deep, "
                                    f"quotes up to {levels - 1})")


def link_problem(text: str) -> tuple[int, str] | None:
    """(line within text, message) for the first web link whose address is refused in a
    source's url (content/web_address.py): a user name before the host, a host that cannot
    be read. The message starts after the field's name."""
    from factcheck_site.content.web_address import check_web_address

    for block in _MD.parse(text):
        for token in block.children or ():
            href = str(token.attrGet("href") or "") if token.type == "link_open" else ""
            if href.lower().startswith(("http://", "https://")):
                problem = check_web_address("link", href)
                if problem:
                    return (block.map[0] + 1 if block.map else 1), f"has a link that is refused: {problem}"
    return None
