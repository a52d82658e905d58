""""Who said what": for each fact-check, what each source it quotes says about the claim.

Rows are claims (newest first), columns the sources those claims quote, and each cell says, from the
quotes' stances alone, whether the source supports the claim, contradicts it, gives context, or is
not quoted on it; each stance links to its quote on the claim page. The pages are paginated like the
other listings, each with only the sources its own claims quote as columns, so no page grows with
the archive. Each column's head counts the claims the source supports and contradicts on the whole
site. Stances are shown as a symbol and a word, never by colour alone; on a narrow screen the table
scrolls sideways under a first column that stays put.
"""

from __future__ import annotations

from collections import Counter

from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.render.claim_page import quote_anchor
from factcheck_site.render.context import RenderContext
from factcheck_site.render.kept_pages import kept_page
from factcheck_site.render.line_counts import lines_meta
from factcheck_site.render.listings import NOT_SEARCHED, PER_PAGE
from factcheck_site.render.markup import badge, esc, front_matter, pager, pager_targets
from factcheck_site.render.urls import claim_src, source_src, who_said_what_src

TITLE = "Who said what"
STANCES = ("supports", "contradicts", "context")
# (symbol, word): the word is shown too, so that no stance is told by its colour or shape alone
STANCE_MARKS = {"supports": ("✓", "supports"), "contradicts": ("✗", "contradicts"), "context": ("○", "context")}
NOT_QUOTED = ("–", "not quoted")
INTRO = ("Each row is a fact-check; each column a source quoted in the fact-checks on this page. A cell says "
         "what the source's quotes do for the claim: ✓ supports it, ✗ contradicts it, ○ gives context, "
         "– not quoted on it (which does not mean the source says nothing about it). Each stance links to "
         "the quote. Under each source: the fact-checks on the whole site whose claim it supports and "
         "contradicts.")


def stances(claim: Claim) -> dict[str, dict[str, int]]:
    """{source id: {stance: number of its first quote with that stance}}, in the order sources are first quoted."""
    found: dict[str, dict[str, int]] = {}
    for number, quote in enumerate(claim.quotes, 1):
        found.setdefault(quote.source, {}).setdefault(quote.stance, number)
    return found


Stances = dict[str, dict[str, dict[str, int]]]  # by claim id: stances(claim)


def stance_counts(found: Stances) -> dict[str, Counter[str]]:
    """{source id: how many claims it supports, contradicts and gives context on}, over the whole site."""
    counts: dict[str, Counter[str]] = {}
    for by_source in found.values():
        for source_id, by_stance in by_source.items():
            counts.setdefault(source_id, Counter()).update(by_stance.keys())
    return counts


def _columns(claims: list[Claim], site: Site, found: Stances) -> list[Source]:
    """The sources these claims quote: the most quoted first, then by title."""
    quoted = Counter(source_id for claim in claims for source_id in found[claim.id])
    return sorted((site.sources[s] for s in quoted), key=lambda s: (-quoted[s.id], s.title.casefold(), s.id))


def _mark(stance: str) -> str:
    symbol, word = STANCE_MARKS[stance]
    return f'<span aria-hidden="true">{symbol}</span> {word}'


def _cell(claim: Claim, by_stance: dict[str, int] | None, ctx: RenderContext, here: str) -> str:
    if not by_stance:
        symbol, word = NOT_QUOTED
        return f'<td class="fc-wsw__none"><span aria-hidden="true">{symbol}</span>' \
               f'<span class="fc-visually-hidden">{word}</span></td>'
    links = [f'<a class="fc-wsw__stance fc-wsw__stance--{stance}" '
             f'href="{esc(ctx.link(here, claim_src(claim.id), quote_anchor(claim.id, by_stance[stance])))}">'
             f"{_mark(stance)}</a>" for stance in STANCES if stance in by_stance]
    return f'<td>{"<br>".join(links)}</td>'


def _head(source: Source, counts: Counter[str], ctx: RenderContext, here: str) -> str:
    href = ctx.link(here, source_src(source.id))
    return (f'<th scope="col"><a href="{esc(href)}">{esc(source.title)}</a>'
            f'<span class="fc-wsw__counts">{_mark("supports")} {counts["supports"]} · '
            f'{_mark("contradicts")} {counts["contradicts"]}</span></th>')


def _table(claims: list[Claim], columns: list[Source], ctx: RenderContext, here: str,
           counts: dict[str, Counter[str]], found: Stances) -> str:
    site = ctx.site
    head = "".join(_head(source, counts.get(source.id, Counter()), ctx, here) for source in columns)
    rows = []
    for claim in claims:
        by_source = found[claim.id]
        cells = "".join(_cell(claim, by_source.get(source.id), ctx, here) for source in columns)
        rows.append(f'<tr><th scope="row"><a href="{esc(ctx.link(here, claim_src(claim.id)))}">{esc(claim.claim)}'
                    f"</a> {badge(site.verdicts[claim.verdict], site.scale)} {lines_meta(claim, ctx)}</th>{cells}</tr>")
    return (f'<div class="fc-wsw" role="region" aria-label="{TITLE}" tabindex="0"><table class="fc-wsw__table">'
            f'<thead><tr><th scope="col">Fact-check</th>{head}</tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def render_who_said_what_pages(ctx: RenderContext) -> dict[str, str]:
    claims = ctx.site.claims_newest_first()
    chunks = [claims[i : i + PER_PAGE] for i in range(0, len(claims), PER_PAGE)] or [[]]
    found = {claim.id: stances(claim) for claim in claims}
    counts = stance_counts(found)
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = who_said_what_src(number)
        heading = TITLE if number == 1 else f"{TITLE} (page {number})"
        columns = _columns(chunk, ctx.site, found)

        def make(here: str = here, heading: str = heading, chunk: list[Claim] = chunk, number: int = number,
                 columns: list[Source] = columns) -> str:
            body = _table(chunk, columns, ctx, here, counts, found) if chunk else \
                '<p class="fc-empty">No fact-checks yet.</p>'
            return "\n".join([
                front_matter(heading, "What each source says about each claim, from the quotes in the fact-checks.",
                             hide=("navigation", "toc"), meta=NOT_SEARCHED),
                f'<h1 id="title">{esc(heading)}</h1>', f"<p>{esc(INTRO)}</p>", body,
                pager(number, len(chunks), who_said_what_src, here, ctx), ""])

        heads = tuple((s.id, tuple(sorted(counts.get(s.id, Counter()).items()))) for s in columns)
        pages[here] = kept_page(ctx.kept, here, chunk, (heading, heads, *pager_targets(number, len(chunks),
                                                                                       who_said_what_src)), make)
    return pages
