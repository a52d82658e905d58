"""The page for one source: its metadata, who cites it, and its full text with the
quoted passages highlighted, so a reader can check every quote in context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.content.web_address import shown_web_address
from factcheck_site.language import _, active, np_
from factcheck_site.render.claim_page import VERDICT_ANCHOR, quote_anchor
from factcheck_site.render.context import RenderContext
from factcheck_site.render.listings import count_text, listing_pages
from factcheck_site.render.markup import claim_item, date_html, esc, front_matter
from factcheck_site.render.urls import cited_by_src, claim_src, source_src

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
CITED_ON_PAGE = 50  # more citing claims go to a paginated list of their own
REFS_PER_PASSAGE = 20  # more claims quoting one passage are reached through the 'Cited by' list
# What readers read on a source page, in one place (issue 27 translates them).
KICKER, TEXT_HEADING = _("Source"), _("The article as we hold it")
PUBLISHER, PUBLISHED, ORIGINAL = _("Publisher"), _("Published"), _("Original")
ARCHIVED, RETRIEVED = _("Archived copy"), _("Retrieved")
RETRIEVED_ON, LANGUAGE, CITED_BY = _("retrieved {date}"), _("Language"), _("Cited by")
# Said once, in plain words, for whatever the copy does not give; nothing stands in for it anywhere else.
UNKNOWN = _("The copy we hold does not {what}.")
UNKNOWN_PARTS = {"publisher": _("name its publisher"), "url": _("give the article's web address"),
                 "published": _("say when the article was published")}
OR_LAST = _("{items} or {last}")  # the last of what the copy does not give
HINT = _("Highlighted passages are quoted in our fact-checks: select one to see the verdict of the fact-check that "
         "quotes it. The numbers after a passage lead to where each fact-check quotes it, numbered as in the list "
         "of fact-checks citing this source.")
NOT_CITED = _("No fact-check cites this source yet.")
ALL_CITING = np_("All {count} fact-checks citing this source", "All {count} fact-checks citing this source")
QUOTED_IN = np_("Quoted in {count} fact-check", "Quoted in {count} fact-checks")
REFS_LABEL = _("quoted in")  # before the numbers after a quoted passage
CITING_TITLE = _("Fact-checks citing: {title}")
CITING_INTRO = _("{count} cite {title}, newest first.")


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    anchor: str  # the id of the quote, here and on the claim page
    claim: Claim


def _highlights(source: Source, site: Site) -> list[Highlight]:
    found = []
    for claim in site.citing(source.id):
        for number, quote in enumerate(claim.quotes, 1):
            if quote.source == source.id:
                found += [Highlight(start, end, quote_anchor(claim.id, number), claim) for start, end in quote.spans]
    return sorted(found, key=lambda h: (h.start, h.end, h.anchor))


def _runs(highlights: list[Highlight]) -> list[tuple[int, int, list[Highlight]]]:
    """Overlapping highlights merged into runs of marked text: (start, end, the highlights in it)."""
    runs: list[tuple[int, int, list[Highlight]]] = []
    for h in highlights:
        if runs and h.start < runs[-1][1]:
            start, end, members = runs[-1]
            runs[-1] = (start, max(end, h.end), [*members, h])
        else:
            runs.append((h.start, h.end, [h]))
    return runs


def _refs(members: list[Highlight], numbers: dict[str, int], here: str, ctx: RenderContext) -> str:
    """One numbered link per claim quoting the run, to that claim's quote; numbers follow the 'Cited by' list."""
    first_by_claim: dict[str, Highlight] = {}
    for h in members:
        first_by_claim.setdefault(h.claim.id, h)
    links = []
    ordered = sorted(first_by_claim.items(), key=lambda item: numbers[item[0]])
    for claim_id, h in ordered[:REFS_PER_PASSAGE]:
        href = ctx.link(here, claim_src(claim_id), h.anchor)
        links.append(f'<a href="{esc(href)}" title="{esc(h.claim.claim)}">{numbers[claim_id]}</a>')
    if len(ordered) > REFS_PER_PASSAGE:
        links.append(f'<a href="#cited-by" title="{QUOTED_IN.of(len(ordered))}">'
                     f"+{len(ordered) - REFS_PER_PASSAGE}</a>")
    # Numbers set apart by the style sheet, not by brackets and commas a screen reader would read out; the words
    # before them say what they are, and keep the passage a link in running text, not a row of bare targets.
    return f'<span class="fc-refs"> <span class="fc-refs__label">{REFS_LABEL}</span>{"".join(links)}</span>'


def _marked_text(source: Source, ctx: RenderContext, here: str, numbers: dict[str, int]) -> str:
    """The text as paragraphs; quoted passages in <mark>, each linking to the verdict of a claim that quotes it,
    and after each passage links to every claim's quote of it."""
    text = source.text
    highlights = _highlights(source, ctx.site)
    run_ends = {end: members for _, end, members in _runs(highlights)}
    cuts = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    out: list[str] = []
    anchored: set[str] = set()  # a quote with omissions has several passages but one anchor, at the first
    by_start: dict[int, list[Highlight]] = {}
    for h in highlights:
        by_start.setdefault(h.start, []).append(h)
    covering: list[Highlight] = []  # the highlights open between this cut and the next
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [h for h in covering if h.end > start] + by_start.get(start, [])
        starting = [h.anchor for h in by_start.get(start, []) if h.anchor not in anchored]
        anchored.update(starting)
        anchors = "".join(f'<span id="{anchor}" class="fc-anchor"></span>' for anchor in dict.fromkeys(starting))
        rendered = []
        for chunk in _PARAGRAPH_BREAK.split(text[start:end]):
            chunk_html = esc(chunk).replace("\n", "<br>\n")
            if covering and chunk.strip():
                target = max(covering, key=lambda h: h.start)  # the innermost passage
                href = ctx.link(here, claim_src(target.claim.id), VERDICT_ANCHOR)
                chunk_html = (f'{anchors}<mark><a class="fc-mark" href="{esc(href)}" '
                              f'title="{esc(target.claim.claim)}">{chunk_html}</a></mark>')
                anchors = ""
            rendered.append(chunk_html)
        piece = "</p>\n<p>".join(rendered)
        if end in run_ends:
            piece += _refs(run_ends[end], numbers, here, ctx)
        out.append(piece)
    body = "".join(out).strip()
    return f'<div class="fc-snapshot" lang="{esc(source.language)}"><p>{body}</p></div>'


def _cited_by(source: Source, citing: list[Claim], ctx: RenderContext, here: str) -> str:
    if not citing:
        return f'<p class="fc-empty">{NOT_CITED}</p>'
    items = [claim_item(claim, ctx, here, f' id="cited-{number}" value="{number}"')
             for number, claim in enumerate(citing[:CITED_ON_PAGE], 1)]
    listing = '<ol class="fc-list fc-citing">\n' + "\n".join(items) + "\n</ol>"
    if len(citing) > CITED_ON_PAGE:
        href = ctx.link(here, cited_by_src(source.id))
        listing += f'<p class="fc-more"><a href="{esc(href)}">{ALL_CITING.of(len(citing))}</a></p>'
    return listing


def render_cited_by_pages(source: Source, ctx: RenderContext) -> dict[str, str]:
    """The paginated list of claims citing a source, for sources cited more often than one page shows."""
    citing = ctx.site.citing(source.id)
    if len(citing) <= CITED_ON_PAGE:
        return {}
    named = f"{source.title} ({source.publisher})" if source.publisher else source.title
    return listing_pages(CITING_TITLE.format(title=source.title),
                         CITING_INTRO.format(count=count_text(len(citing)), title=named), citing, ctx,
                         lambda page: cited_by_src(source.id, page))


def _address_link(url: str) -> str:
    """A web address shown as readers can trust it: a host in another script in its ASCII form."""
    shown = shown_web_address(url)
    return f'<a href="{esc(shown)}" rel="nofollow noopener">{esc(shown)}</a>'


def language_name(code: str) -> str:
    """A language's name for readers in the site's language ("English", "Portuguese (Brazil)"; "영어" on a Korean
    site), from CLDR through Babel; the code itself for one CLDR does not know."""
    return _language_name(code, active().locale)


@lru_cache(maxsize=64)
def _language_name(code: str, names_in: Locale) -> str:
    try:
        return Locale.parse(code, sep="-").get_display_name(names_in) or code
    except (UnknownLocaleError, ValueError):
        return names_in.languages.get(code.split("-", 1)[0], code)


def unknown_note(source: Source) -> str:
    """One sentence on what the copy does not give (publisher, address, date), or "" when it gives them all."""
    missing = [part for field, part in UNKNOWN_PARTS.items() if not getattr(source, field)]
    if not missing:
        return ""
    what = str(missing[0]) if len(missing) == 1 else OR_LAST.format(items=", ".join(str(m) for m in missing[:-1]),
                                                                    last=missing[-1])
    return f'<p class="fc-source__unknown">{esc(UNKNOWN.format(what=what))}</p>'


def render_source_page(source: Source, ctx: RenderContext) -> str:
    here = source_src(source.id)
    rows = []
    if source.publisher:
        rows.append((PUBLISHER, esc(source.publisher)))
    if source.published:
        rows.append((PUBLISHED, date_html(source.published)))
    if source.url:
        rows.append((ORIGINAL, _address_link(source.url)))
    if source.archived:
        retrieved = f", {RETRIEVED_ON.format(date=date_html(source.retrieved))}" if source.retrieved else ""
        rows.append((ARCHIVED, _address_link(source.archived) + retrieved))
    elif source.retrieved:
        rows.append((RETRIEVED, date_html(source.retrieved)))
    rows.append((LANGUAGE, esc(language_name(source.language))))
    citing = ctx.site.citing(source.id)
    rows.append((CITED_BY, f'<a href="#cited-by">{count_text(len(citing))}</a>'))
    meta = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    numbers = {claim.id: number for number, claim in enumerate(citing, 1)}
    described = f"{KICKER}: {source.title}" + (f" ({source.publisher})" if source.publisher else "")
    parts = [
        front_matter(source.title, described),
        '<article class="fc-source">',
        f'<p class="fc-kicker">{KICKER}</p>',
        f'<h1 id="source" class="fc-source__title">{esc(source.title)}</h1>',
        f'<dl class="fc-source__meta">{meta}</dl>' + unknown_note(source),
        # The text comes first, so that on a phone the article starts near the top; wider screens put
        # the list of citing fact-checks beside it (assets/factcheck.css).
        '<div class="fc-source__body">',
        '<section class="fc-source__text" aria-labelledby="text">',
        f'<h2 id="text">{TEXT_HEADING}</h2>',
        f'<p class="fc-hint">{HINT}</p>',
        _marked_text(source, ctx, here, numbers),
        "</section>",
        '<section class="fc-source__cited" aria-labelledby="cited-by">',
        f'<h2 id="cited-by">{CITED_BY} {count_text(len(citing))}</h2>',
        _cited_by(source, citing, ctx, here),
        "</section>",
        "</div>",
        "</article>",
        "",
    ]
    return "\n".join(parts)
