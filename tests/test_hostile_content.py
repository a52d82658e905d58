"""Editor content cannot attack readers: a claim and a source with an attack in every
editor-controlled field go through a real `mkdocs build`, and no page, page title,
meta description or search index entry carries any of it as live markup, while the
reader still sees every field's text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from hostile_site import (
    ANALYSIS_VISIBLE,
    ARCHIVED_URL,
    CLAIM_ID,
    CLAIM_TEXT,
    QUOTES,
    SOURCE_ID,
    SOURCE_TEXT,
    SOURCE_URL,
    TAGS,
)

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "data", "background",
                  "ping", "manifest", "codebase", "cite", "longdesc", "usemap", "srcdoc"}
DANGEROUS_SCHEME = re.compile(r"^(?:javascript|vbscript|data):")
# What generated content may contain; anything else (img, svg, iframe, style, form...) came from an editor.
PLAIN_MARKUP = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "figure", "blockquote",
                "figcaption", "cite", "a", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "span", "time",
                "mark", "dl", "dt", "dd", "footer", "nav", "table", "thead", "tbody", "tr", "th", "td", "del", "s",
                "hr", "sup", "data", "details", "summary"}
BASE = re.compile(r'(new URL\(|"base": )"[^"]*"')  # the base URL the theme writes into each page's scripts


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def visible(node: Tag | BeautifulSoup) -> str:
    return " ".join(node.get_text(" ").split())


def flat(text: str) -> str:
    return " ".join(text.split())


def _script_signature(script: Tag) -> str:
    """A script with the page's own base URL taken out (it differs with the page's depth)."""
    text = (script.get("src") or "") + "|" + (script.string or "")
    text = re.sub(r'(^|")/(?=assets/)', r"\1", re.sub(r"(?:\.\./)+", "", text))
    return BASE.sub(r'\1"BASE"', text)


def test_the_hostile_content_is_on_many_pages(hostile_site: Path) -> None:
    carrying = [p for p in pages(hostile_site) if 'alert("claim")' in visible(parse(p))]
    assert len(carrying) >= 5, carrying  # claim, source, archive, verdict listing, scale page, home


def test_no_script_but_the_themes(hostile_site: Path) -> None:
    """Structured data is the one other script: data, not code, with no `<` that could end it early."""
    theme = {_script_signature(s) for s in parse(hostile_site / "about" / "index.html").find_all("script")}
    assert any("bundle" in s for s in theme)
    structured = 0
    for page in pages(hostile_site):
        for script in parse(page).find_all("script"):
            if script.get("type") == "application/ld+json":
                assert "<" not in script.string and json.loads(script.string)["@context"] == "https://schema.org"
                structured += 1
            else:
                assert _script_signature(script) in theme, f"{page}: {script}"
    assert structured >= 1


def test_no_event_handler_attribute_anywhere(hostile_site: Path) -> None:
    for page in pages(hostile_site):
        for element in parse(page).find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page}: {element.name} {handlers}"


def test_no_script_or_data_url_anywhere(hostile_site: Path) -> None:
    for page in pages(hostile_site):
        for element in parse(page).find_all(True):
            for name, value in element.attrs.items():
                if name.lower() in URL_ATTRIBUTES:
                    compact = re.sub(r"[\x00-\x20]", "", str(value)).lower()  # browsers ignore these in a scheme
                    assert not DANGEROUS_SCHEME.match(compact), f"{page}: {element.name} {name}={value!r}"


def test_generated_content_is_plain_markup(hostile_site: Path) -> None:
    for page in pages(hostile_site):
        content = parse(page).find("article", class_="md-content__inner")
        if content is None:
            continue
        frame = ".fc-breadcrumbs, .fc-report, .fc-lost-search, .fc-masthead"  # the templates' frame, not the content
        for theme_part in content.select(f".md-content__button, .headerlink, {frame}"):
            theme_part.decompose()
        unexpected = {e.name for e in content.find_all(True)} - PLAIN_MARKUP
        assert not unexpected, f"{page}: {unexpected}"


def test_the_reader_sees_every_field_as_text(hostile_site: Path) -> None:
    claim_page = visible(parse(hostile_site / "claims" / CLAIM_ID / "index.html"))
    for field, text in CLAIM_TEXT.items():
        assert flat(text) in claim_page, field
    for text in [*QUOTES, *TAGS, *ANALYSIS_VISIBLE, SOURCE_TEXT["title"], SOURCE_TEXT["publisher"]]:
        assert flat(text) in claim_page, text
    source_page = visible(parse(hostile_site / "sources" / SOURCE_ID / "index.html"))
    for text in [*SOURCE_TEXT.values(), SOURCE_URL, ARCHIVED_URL, *QUOTES, CLAIM_TEXT["claim"],
                 'Body <script>alert("body")</script>', "&amp; &lt;b&gt; &#x3C;script&#x3E; {{ config }} {% raw %}",
                 "<style>body{display:none}</style>"]:
        assert flat(text) in source_page, text


def test_page_titles_and_descriptions_are_text(hostile_site: Path) -> None:
    claim = parse(hostile_site / "claims" / CLAIM_ID / "index.html")
    assert flat(claim.title.get_text()) == flat(CLAIM_TEXT["claim"]) + " - Kursk Fact-Check Desk"
    assert claim.find("meta", attrs={"name": "description"})["content"] == "False: " + CLAIM_TEXT["summary"]
    source = parse(hostile_site / "sources" / SOURCE_ID / "index.html")
    assert flat(source.title.get_text()) == SOURCE_TEXT["title"] + " - Kursk Fact-Check Desk"
    assert source.find("meta", attrs={"name": "description"})["content"] == \
        f"Source: {SOURCE_TEXT['title']} ({SOURCE_TEXT['publisher']})"


def test_the_search_index_carries_text_not_markup(hostile_site: Path) -> None:
    """Material's search shows an entry's title and text as HTML (innerHTML). Pages in its index
    carry plain markup only; claims are in the factcheck index as plain text, which the factcheck
    worker escapes (tests/browser watches that in a real browser)."""
    from search_reader import all_documents, find, site_pages

    docs = site_pages(hostile_site)
    for doc in docs:
        for part in ("title", "text"):
            tags = {e.name for e in BeautifulSoup(doc[part], "html.parser").find_all(True)}
            assert tags <= {"p", "ul", "ol", "li", "code", "pre", "strong", "em", "sup"}, (doc["location"], tags)
    entries = [d for d in all_documents(hostile_site) if d[0].startswith(f"claims/{CLAIM_ID}/")]
    assert [title for _, title, _ in entries] == [CLAIM_TEXT["claim"]]
    for text in [CLAIM_TEXT["summary"], QUOTES[0]]:
        word = max(re.findall(r"[A-Za-z]{4,}", text), key=len)
        assert f"claims/{CLAIM_ID}/" in [location for location, _, _ in find(hostile_site, word)], word
