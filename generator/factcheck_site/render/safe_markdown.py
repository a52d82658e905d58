"""Editors' Markdown to HTML that cannot carry markup of its own.

Claim files come from strangers, so raw HTML is escaped, links may only use safe
schemes, images (which would load from other hosts) become plain links, and
headings are pushed below the page's own.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from factcheck_site.content.prose_links import SOURCE, links_in

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/", "./", "../")
_REFERENCES = ("source:", "claim:")  # links to a source or claim by id (content/prose_links.py)
# (kind, id) -> (relative URL, title or claim text), or None for an id not on the site
Resolve = Callable[[str, str], "tuple[str, str] | None"]


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    if lowered.startswith(_SAFE_SCHEMES) or url.startswith(_REFERENCES):
        return True
    return ":" not in lowered.split("/", 1)[0]  # a relative path, not an unknown scheme


@functools.cache
def _md() -> MarkdownIt:
    """The parser, made when a text first needs parsing: `factcheck validate` of text that cannot hold what the
    checks look for (plain_markdown) never imports markdown-it."""
    from markdown_it import MarkdownIt

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
        if not tokens[idx].meta.get("reference"):
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
    md.core.ruler.push("factcheck_references", _resolve_references)
    return md


def _text_token(content: str) -> Token:
    from markdown_it.token import Token

    token = Token("text", "", 0)
    token.content = content
    return token


def _resolve_references(state: StateCore) -> None:
    """Each link to a source or claim by id, in any form Markdown has (inline, reference-style, autolink),
    becomes a link to the page, showing the words, or the title (in a cite element) or claim text; with no
    page to link to (no resolver, or a refused file), the words or the id as text. When the env has a
    "links" list (markdown_links), each such link is noted in it, and the text readers read in "seen"."""
    from markdown_it.token import Token

    resolve: Resolve | None = state.env.get("resolve")
    links: list[tuple[int, str, str]] | None = state.env.get("links")
    seen: list[tuple[int, str]] = state.env.get("seen", [])
    for block in state.tokens:
        if links is not None and block.type in ("fence", "code_block") and block.map:
            seen.append((block.map[0], block.content))
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        pending_close: list[bool] = []  # per open link: whether its close is dropped
        line = block.map[0] if block.map else 0
        words: list[str] = []  # the text read since the last line break or link by id
        skip = -1
        for index, token in enumerate(block.children):
            if index == skip:  # an autolink's address, shown as its title instead
                continue
            if links is not None and token.type in ("text", "code_inline"):
                words.append(token.content)
            elif links is not None and token.type in ("softbreak", "hardbreak", "link_open"):
                seen.append((line, "".join(words) + " "))
                words = []
                line += token.type != "link_open"
            if token.type == "link_close":
                if not pending_close.pop():
                    children.append(token)
                continue
            if token.type != "link_open":
                children.append(token)
                continue
            href = str(token.attrGet("href") or "")
            if not href.startswith(_REFERENCES):
                pending_close.append(False)
                children.append(token)
                continue
            kind, ref_id = href.split(":", 1)
            if links is not None:
                links.append((line, kind, ref_id))
            target = resolve(kind, ref_id) if resolve else None
            empty = block.children[index + 1].type == "link_close" or token.markup == "autolink"
            if token.markup == "autolink":
                skip = index + 1
            if target is None:
                pending_close.append(True)
                if empty:
                    children.append(_text_token(ref_id))
                continue
            token.attrSet("href", target[0])
            token.attrSet("class", f"fc-ref fc-ref--{kind}")
            token.meta["reference"] = True
            pending_close.append(False)
            children.append(token)
            if empty and kind == SOURCE:
                children += [Token("html_inline", "", 0, content="<cite>"), _text_token(target[1]),
                             Token("html_inline", "", 0, content="</cite>")]
            elif empty:
                children.append(_text_token(target[1]))
        if links is not None:
            seen.append((line, "".join(words)))
        block.children = children



def markdown_to_html(text: str, resolve: Resolve | None = None) -> str:
    """resolve: where links to a source or claim by id lead, and what they show (RenderContext.reference)."""
    plain = plain_paragraphs_html(text)
    if plain is not None:
        return plain
    return _md().render(text, {"resolve": resolve}).strip()


# Besides '*', the characters with which Markdown's inline syntax starts (escapes, code spans, emphasis with '_',
# strikethrough, links, autolinks, entities), tables' '|', and what the parser rewrites (line ends, NUL).
_INLINE_SYNTAX = re.compile(r"[\\`_~\[\]<&|\r\x00]")
# Words in bold or emphasis that nothing else can pair with: the run of one or two '*' after a line's start, a space,
# an opening bracket or a quotation mark, the words starting and ending with no space, the same run, then a space, the
# line's end or punctuation. Only the opener can open, and the closer closes it (CommonMark's flanking rules).
_EMPHASIS = re.compile(r"(?:^|(?<=[ (\"']))(\*\*?)([^\s*](?:[^*\n]*[^\s*])?)\1(?=$|[ .,;:!?)'\"-])", re.MULTILINE)
_ORDERED_ITEM = re.compile(r"[0-9]{1,9}[.)]")
_EMPHASIS_TAGS = {"*": "em", "**": "strong"}


def _escape(text: str) -> str:
    """As markdown-it escapes text: not the apostrophe."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def plain_paragraphs_html(text: str) -> str | None:
    """What markdown_to_html gives text made only of paragraphs of words, some in bold or emphasis with '*', made
    without the parser (a third of the time of a claim's page); None for any other text. Each line starts with a
    character that starts no block (no indentation, heading, quote, list item, rule or underline) and neither starts
    nor ends with a space, so a paragraph is its lines as they stand, line breaks kept, and blank lines part them.
    tests/test_markdown_fast_path.py compares it with the parser on text made of everything Markdown reads."""
    if _INLINE_SYNTAX.search(text):
        return None
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line:
            blocks.append([])
            continue
        first = line[0]
        if (first.isspace() or line[-1].isspace() or first in "#>+=-"
                or (first == "*" and not _EMPHASIS.match(line)) or _ORDERED_ITEM.match(line)):
            return None
        blocks[-1].append(line)
    paragraphs = []
    for paragraph in ("\n".join(block) for block in blocks if block):
        if "*" not in paragraph:
            paragraphs.append(f"<p>{_escape(paragraph)}</p>")
            continue
        parts, end = [], 0
        for emphasis in _EMPHASIS.finditer(paragraph):
            parts.append(_escape(paragraph[end : emphasis.start()]))
            tag = _EMPHASIS_TAGS[emphasis[1]]
            parts.append(f"<{tag}>{_escape(emphasis[2])}</{tag}>")
            end = emphasis.end()
        parts.append(_escape(paragraph[end:]))
        if any("*" in part for part in parts[::2]):
            return None
        paragraphs.append(f"<p>{''.join(parts)}</p>")
    return "\n".join(paragraphs)


def text_to_html(text: str, resolve: Resolve | None = None) -> str:
    """Plain text (a summary, a note, a correction) as HTML: every character escaped, and each link to a
    source or claim by id made a link, as in markdown_to_html."""
    parts, end = [], 0
    for link in links_in(text):
        parts.append(html.escape(text[end : link.start]))
        end = link.end
        target = resolve(link.kind, link.id) if resolve else None
        if target is None:
            parts.append(html.escape(link.words or link.id))
            continue
        shown = html.escape(link.words or target[1])
        if not link.words and link.kind == SOURCE:
            shown = f"<cite>{shown}</cite>"
        parts.append(f'<a class="fc-ref fc-ref--{link.kind}" href="{html.escape(target[0])}">{shown}</a>')
    parts.append(html.escape(text[end:]))
    return "".join(parts)


@functools.lru_cache(maxsize=16)  # a claim's analysis is checked (markdown_problem), then its links (prose_links)
def _checked_parse(text: str) -> tuple[list[Token], dict[str, Any]]:
    env: dict[str, Any] = {"links": [], "seen": []}
    return _md().parse(text, env), env


def markdown_links(text: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """The links to a source or claim by id that the page would have, as (line within text, counting from 0,
    kind, id), in every form Markdown makes a link; and the text readers read, as (line, text) (code
    included, link addresses not), where an id written bare would show."""
    env = _checked_parse(text)[1]
    used = {(kind, ref_id) for _, kind, ref_id in env["links"]}
    unused = [(text.count("\n", 0, max(0, text.find(href))), *href.split(":", 1))  # defined, linked from nowhere
              for href in (str(d.get("href", "")) for d in env.get("references", {}).values())
              if href.startswith(_REFERENCES) and tuple(href.split(":", 1)) not in used]
    return env["links"] + unused, env["seen"]


# What Markdown needs to make a link (brackets, an autolink's angle bracket), or to show words that the text does
# not hold as they stand (an entity, an escape, a code span, whose spaces it may drop; a line break it rewrites).
# Each looked for with str.find, in C: a regular expression's class, tried at every character, takes 15 times as long.
_LINK_OR_REWRITE = "[<&\\`\r\x00"
# A line's container markers: quotes (>), list items (-, *, + or a number, then a space) and the indentation
# that continues them, after the line break before the line (the text is searched with one before it). A pattern
# that starts with a line break is searched for one, in C; one that starts at `^` is tried at every character.
_CONTAINER_PREFIX = re.compile(r"\n((?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t\n]|$))+)", re.MULTILINE)
_LIST_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")


@functools.lru_cache(maxsize=16)  # an analysis is checked (markdown_problem), then its words (prose_links)
def plain_markdown(text: str) -> bool:
    """Whether parsing text can find nothing that markdown_problem or markdown_links report: no link in any form,
    and containers too shallow to be cut (each level needs its marker on the line, or two columns of indentation
    for a list, one '>' for a quote); the words readers read are then the text's own, less Markdown's markers
    (content/prose_links.py looks them up). Most of what checking a claim costs is the parse this spares."""
    if any(char in text for char in _LINK_OR_REWRITE):
        return False
    prefixes = _CONTAINER_PREFIX.findall("\n" + text)
    levels = _md().options.maxNesting if prefixes else 0
    for prefix in prefixes:
        columns = len(prefix.expandtabs(4)) - len(prefix.replace(" ", "").replace("\t", ""))
        if prefix.count(">") + 2 * len(_LIST_MARKER.findall(prefix)) + columns >= levels:
            return False
    return True


def markdown_problem(text: str) -> tuple[int, str] | None:
    """(line within text, message) for the first thing in editors' Markdown that readers would lose: blocks
    nested deeper than the renderer reads, then a refused link. The message starts after the field's name.
    One parse serves both checks, and markdown_links: it is most of what checking a claim costs."""
    if plain_markdown(text):
        return None
    tokens, env = _checked_parse(text)
    return _nesting_problem(env) or _link_problem(tokens)


def _nesting_problem(env: dict[str, Any]) -> tuple[int, str] | None:
    """Lists in lists, quotes in quotes, or both, each level counted, deeper than the renderer reads (it
    would drop the rest without a word; tokenize_noting_cuts notes where). Inline markup never loses text."""
    if "cut_at_line" not in env:
        return None
    levels = _md().options.maxNesting  # a list level takes two (list and item), a quote level one
    return env["cut_at_line"] + 1, ("nests lists or quotes too deeply: the page would silently drop the text "
                                    f"from there on; use fewer levels (lists up to {levels // 2 - 1} deep, "
                                    f"quotes up to {levels - 1})")


def _link_problem(tokens: list[Token]) -> tuple[int, str] | None:
    """The first web link whose address is refused in a source's url (content/web_address.py): a user name
    before the host, a host that cannot be read; or the first link to a path from the domain's root (/about/),
    which works in a preview at the root and breaks where the site is published in a folder."""
    from factcheck_site.content.web_address import check_web_address

    for block in tokens:
        for token in block.children or ():
            if token.type != "link_open":
                continue
            href = str(token.attrGet("href") or "")
            line = block.map[0] + 1 if block.map else 1
            if href.lower().startswith(("http://", "https://", "//")):
                problem = check_web_address("link", href, relative_scheme=True)
                if problem:
                    return line, f"has a link that is refused: {problem}"
            elif href.startswith("/") and not href.startswith("//"):
                return line, (f"has a link to {href}, which leads nowhere once the site is published under a "
                              "folder of its domain (as a GitHub Pages project site is); link a fact-check or "
                              "a source by its id ([](claim:ID), [](source:ID)), or write the full address "
                              "(https://...)")
    return None
