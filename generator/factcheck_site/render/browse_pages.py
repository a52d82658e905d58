"""Browsing by tag, by claimant and by source.

Each group has its own paginated list of claims, newest first; the lists of groups
are paginated too, so no page grows with the size of the archive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from factcheck_site.content.model import Source
from factcheck_site.language import _, n_, np_
from factcheck_site.render.context import RenderContext
from factcheck_site.render.groups import Group, claimant_groups, tag_groups
from factcheck_site.render.kept_pages import kept_page
from factcheck_site.render.listings import NOT_SEARCHED, count_text, listing_pages
from factcheck_site.render.markup import date_html, esc, front_matter, page_heading, pager, pager_targets
from factcheck_site.render.urls import (
    CLAIMANTS_FOLDER,
    SOURCES_FOLDER,
    TAGS_FOLDER,
    claimant_src,
    directory_src,
    source_src,
    tag_src,
)

GROUPS_PER_PAGE = 100
# What readers read on these pages.
NONE_YET, LATEST, CITED_BY = _("None yet."), _("{count} · latest {date}"), _("cited by {count}")
TAG_TITLE, TAG_INTRO, TAGS_TITLE = _("Tag: {tag}"), _("{count} tagged “{tag}”, newest first."), _("Fact-checks by tag")
CLAIMANT_TITLE, CLAIMANT_INTRO = _("Claims by {claimant}"), _("{count} of claims by {claimant}, newest first.")
ATTRIBUTED_TITLE, ATTRIBUTED_INTRO = _("Claims attributed to {claimant}"), _(
    "{count} of claims that one article each attributes to {claimant}, newest first; each says whose report it is.")
ONE_ARTICLE_EACH = np_(" · according to one article", " · according to one article each")
CLAIMANTS_TITLE, SOURCES_TITLE = _("Fact-checks by claimant"), _("Fact-checks by source")


@dataclass(frozen=True)
class Entry:
    """One row of a list of groups: a link, and what is in it."""

    name: str
    target_src: str
    about: str  # HTML


def directory_pages(title: str, intro: str, entries: list[Entry], folder: str, ctx: RenderContext) -> dict[str, str]:
    """A paginated list of groups; title and intro are plain text."""
    chunks = [entries[i : i + GROUPS_PER_PAGE] for i in range(0, len(entries), GROUPS_PER_PAGE)] or [[]]

    def src_for_page(page: int) -> str:
        return directory_src(folder, page)

    result = {}
    for number, chunk in enumerate(chunks, 1):
        here = src_for_page(number)
        heading = page_heading(title, number)

        def make(here: str = here, heading: str = heading, chunk: list[Entry] = chunk, number: int = number) -> str:
            rows = "\n".join(f'<li class="fc-group"><a class="fc-group__name" '
                             f'href="{esc(ctx.link(here, e.target_src))}">{esc(e.name)}</a> '
                             f'<span class="fc-group__about">{e.about}</span></li>' for e in chunk)
            body = f'<ul class="fc-groups">\n{rows}\n</ul>' if chunk else f'<p class="fc-empty">{NONE_YET}</p>'
            return "\n".join([
                front_matter(heading, intro, hide=("navigation",), meta=NOT_SEARCHED),
                f'<h1 id="title">{esc(heading)}</h1>',
                f"<p>{esc(intro)}</p>",
                body,
                pager(number, len(chunks), src_for_page, here, ctx),
                "",
            ])

        result[here] = kept_page(ctx.kept, here, (), (heading, intro, tuple(chunk),
                                                      *pager_targets(number, len(chunks), src_for_page)), make)
    return result


def _in_words() -> tuple[Callable[[int], str], Callable[[dt.date], str]]:
    """count_text and date_html, each worked out once per value: in the reader's language (gettext, CLDR) each takes
    tens of microseconds, and a directory of thousands of groups or sources repeats a few hundred values. Made for
    one listing, in the language active while it is made."""
    return cache(count_text), cache(date_html)


def _group_pages(groups: list[Group], title: Callable[[Group], str], intro: Callable[[Group], str],
                 src: Callable[[str, int], str], directory: tuple[str, str, str],
                 ctx: RenderContext, about: Callable[[Group], str] = lambda group: "",
                 words: tuple[Callable[[int], str], Callable[[dt.date], str]] | None = None) -> dict[str, str]:
    """A paginated listing per group, and the directory of all groups: (title, intro, folder)."""
    counted, dated = words or _in_words()
    pages = {}
    for group in groups:
        pages.update(listing_pages(title(group), intro(group), group.claims, ctx,
                                   lambda page, slug=group.slug: src(slug, page)))
    entries = [Entry(g.name, src(g.slug, 1), LATEST.format(count=counted(len(g.claims)),
                                                           date=dated(g.claims[0].published)) + esc(about(g)))
               for g in groups]
    pages.update(directory_pages(*directory[:2], entries, directory[2], ctx))
    return pages


def render_tag_pages(ctx: RenderContext) -> dict[str, str]:
    groups = tag_groups(ctx.site.claims_newest_first())
    words = _in_words()
    return _group_pages(groups, lambda g: TAG_TITLE.format(tag=g.name),
                        lambda g: TAG_INTRO.format(count=words[0](len(g.claims)), tag=g.name), tag_src,
                        (str(TAGS_TITLE), n_("{count} tag, in alphabetical order.", "{count} tags, in alphabetical "
                                             "order.", len(groups)), TAGS_FOLDER),
                        ctx, words=words)


def _reported(group: Group) -> bool:
    """Whether every claim of a claimant is known only through one article's report (claimant_via): then the
    claimant's pages say the claims are attributed to them, not that they made them."""
    return all(claim.claimant_via for claim in group.claims)


def render_claimant_pages(ctx: RenderContext) -> dict[str, str]:
    groups = claimant_groups(ctx.site.claims_newest_first())
    words = _in_words()

    def title(group: Group) -> str:
        return (ATTRIBUTED_TITLE if _reported(group) else CLAIMANT_TITLE).format(claimant=group.name)

    def intro(group: Group) -> str:
        said = ATTRIBUTED_INTRO if _reported(group) else CLAIMANT_INTRO
        return said.format(count=words[0](len(group.claims)), claimant=group.name)

    return _group_pages(groups, title, intro, claimant_src,
                        (str(CLAIMANTS_TITLE), n_("{count} claimant, in alphabetical order.",
                                                  "{count} claimants, in alphabetical order.", len(groups)),
                         CLAIMANTS_FOLDER), ctx,
                        about=lambda g: ONE_ARTICLE_EACH(len(g.claims)) if _reported(g) else "", words=words)


def _source_sort_key(source: Source) -> tuple[int, str, str]:
    return (-(source.published.toordinal() if source.published else 0), source.title.casefold(), source.id)


def render_sources_directory(ctx: RenderContext) -> dict[str, str]:
    """The list of sources, newest article first; each source's own page lists the claims citing it."""
    site = ctx.site
    counted, dated = _in_words()
    cited = cache(lambda count: CITED_BY.format(count=counted(count)))
    entries = []
    for source in sorted(site.sources.values(), key=_source_sort_key):
        about = [esc(source.publisher)] if source.publisher else []
        if source.published:
            about.append(dated(source.published))
        about.append(cited(len(site.citing(source.id))))
        entries.append(Entry(source.title, source_src(source.id), " · ".join(about)))
    return directory_pages(str(SOURCES_TITLE), n_(
        "{count} source article, newest first. Each source's page shows its full text with every quoted passage "
        "highlighted.", "{count} source articles, newest first. Each source's page shows its full text with every "
        "quoted passage highlighted.", len(entries)), entries, SOURCES_FOLDER, ctx)
