"""The article text of a saved web page: what a reader sees in the article, not the page
around it.

The rules are structural, so an editor can predict and check the result:

1. Keep the page's only <article> if it has exactly one; otherwise its only <main>;
   otherwise the whole <body>.
2. Leave out what is never article text: scripts, styles, embedded frames and media,
   forms and buttons, menus (<nav>, <menu>), side boxes (<aside>), footers, page headers
   (a <header> inside the <article> holds its headline and byline, and is kept), dialogs,
   anything marked hidden, and the same parts marked by ARIA roles.
3. Every heading, paragraph, list item, quotation, caption or table cell becomes one
   paragraph; <br> becomes a line break; runs of spaces become one space (not in <pre>).

No guessing from class names or text density: a heuristic that drops a "short" paragraph
could drop the very sentence a claim quotes. Leftovers are visible, and the editor removes
them before the fingerprint is taken (see CONTRIBUTING.md).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

ALWAYS_DROPPED = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "frame", "frameset",
    "object", "embed", "video", "audio", "picture", "img", "map", "form", "button", "input", "select",
    "textarea", "option", "label", "nav", "menu", "aside", "footer", "dialog",
})
NOT_CONTENT = frozenset({"head", "title", "meta", "link", "base"})  # not shown, so not reported as left out
DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                           "alertdialog", "menu", "menubar", "toolbar"})
BLOCKS = frozenset({
    "html", "body", "article", "main", "section", "header", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "caption", "address", "details", "summary", "hr", "center", "fieldset",
})
_SPACES = re.compile(r"\s+")
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


@dataclass
class PageText:
    text: str  # paragraphs separated by one blank line, ending with a newline
    kept: str  # which part of the page was kept, e.g. "<article>"
    left_out: Counter[str] = field(default_factory=Counter)  # element name -> how many were left out
    metadata: dict[str, str] = field(default_factory=dict)  # suggestions: title, publisher, url, published


def _dropped_reason(tag: Tag, inside_article: bool) -> str | None:
    name = tag.name
    if name in ALWAYS_DROPPED:
        return name
    if name == "header" and not inside_article:
        return name
    role = str(tag.get("role") or "").strip().lower()
    if role in DROPPED_ROLES:
        return f'role="{role}"'
    if tag.has_attr("hidden") or str(tag.get("aria-hidden") or "").lower() == "true":
        return "hidden"
    style = re.sub(r"\s", "", str(tag.get("style") or "")).lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden"
    return None


class _Paragraphs:
    def __init__(self) -> None:
        self.done: list[str] = []
        self.current: list[str] = []

    def add(self, text: str) -> None:
        self.current.append(text)

    def end(self) -> None:
        lines = [_SPACES.sub(" ", line).strip() for line in "".join(self.current).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.done.append(text)
        self.current = []

    def add_preformatted(self, text: str) -> None:
        self.end()
        lines = [line.rstrip() for line in text.strip("\n").split("\n")]
        if any(lines):
            self.done.append("\n".join(lines))


def _walk(root: Tag, out: _Paragraphs, left_out: Counter[str], inside_article: bool) -> None:
    """The text of root's descendants, in order, with an explicit stack rather than recursion: a saved page
    may nest elements thousands deep (3,000 <div>s once gave a RecursionError), and any depth is read."""
    # Per open element: its remaining children, whether inside an <article>, whether it is a block.
    stack = [(iter(root.children), inside_article, False)]
    while stack:
        children, inside, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                out.end()
            continue
        if isinstance(child, _SKIPPED_STRINGS):
            continue
        if isinstance(child, NavigableString):
            out.add(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag) or child.name in NOT_CONTENT:
            continue
        reason = _dropped_reason(child, inside)
        if reason:
            left_out[reason] += 1
        elif child.name == "br":
            out.add("\n")
        elif child.name == "pre":
            out.add_preformatted(child.get_text())
        elif child.name in BLOCKS:
            out.end()
            stack.append((iter(child.children), inside or child.name == "article", True))
        else:
            stack.append((iter(child.children), inside, False))


def _only(soup: BeautifulSoup, name: str) -> Tag | None:
    found = soup.find_all(name)
    return found[0] if len(found) == 1 else None


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and str(tag.get("content") or "").strip():
            return _SPACES.sub(" ", str(tag["content"])).strip()
    return ""


def page_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """What the page says about itself, offered to the editor as suggestions, never used unseen."""
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    title = (_meta(soup, "og:title", "twitter:title")
             or (_SPACES.sub(" ", title_tag.get_text()).strip() if title_tag else "")
             or (_SPACES.sub(" ", h1.get_text()).strip() if h1 else ""))
    canonical = soup.find("link", rel="canonical")
    url = (str(canonical.get("href") or "").strip() if isinstance(canonical, Tag) else "") or _meta(soup, "og:url")
    published = _meta(soup, "article:published_time", "datePublished", "date")[:10]
    found = {"title": title, "publisher": _meta(soup, "og:site_name", "application-name"),
             "url": url if url.startswith(("https://", "http://")) else "",
             "published": published if re.match(r"^\d{4}-\d{2}-\d{2}$", published) else ""}
    return {k: v for k, v in found.items() if v}


def html_to_text(html: str | bytes) -> PageText:
    """The article text of a page; bytes are decoded by the page's own charset declaration."""
    soup = BeautifulSoup(html, "html.parser")
    metadata = page_metadata(soup)
    article, main, body = _only(soup, "article"), _only(soup, "main"), soup.find("body")
    if article is not None:
        root, kept = article, "<article>"
    elif main is not None:
        root, kept = main, "<main>"
    elif isinstance(body, Tag):
        root, kept = body, "<body>"
    else:
        root, kept = soup, "the whole page"
    out = _Paragraphs()
    left_out: Counter[str] = Counter()
    _walk(root, out, left_out, root.name == "article")
    out.end()
    text = "\n\n".join(out.done)
    return PageText(text + "\n" if text else "", kept, left_out, metadata)
