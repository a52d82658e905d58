""""Who said what": for each fact-check, what each source it quotes says about the claim.

Rows are claims (newest first), columns the sources those claims quote, and each cell says, from the
quotes' stances alone, whether the source backs the claim, goes against it, gives context, or is not
quoted on it; each stance links to its quote on the claim page. The pages are paginated like the
other listings, each with only the sources its own claims quote as columns, so no page grows with
the archive. Each column's head counts the claims the source backs and goes against on the whole
site. Stances are shown as an icon and a word in the evidence's own neutral scheme, never in the
verdicts' colours. A phone gets the compact view: each claim with its sources listed by stance; the
table is a link away (and the list on a wide screen), switched by the address's fragment alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.language import _
from factcheck_site.render.claim_page import STANCE_HEADINGS, quote_anchor
from factcheck_site.render.context import RenderContext
from factcheck_site.render.kept_pages import kept_page
from factcheck_site.render.line_counts import lines_meta
from factcheck_site.render.listings import NOT_SEARCHED, PER_PAGE
from factcheck_site.render.markup import badge, esc, front_matter, page_heading, pager, pager_targets
from factcheck_site.render.urls import claim_src, source_src, who_said_what_src

STANCES = ("supports", "contradicts", "context")
# What readers read here, in one place (issue 27 translates them). A stance's icon is the style sheet's
# (.fc-wsw__stance--*, as on claim pages); its word is always shown.
TITLE = _("Who said what")
STANCE_WORDS = {"supports": _("backs"), "contradicts": _("goes against"), "context": _("context")}
NOT_QUOTED = ("–", _("not quoted"))
CLAIM_COLUMN = _("Fact-check")
DESCRIPTION = _("What each source says about each claim, from the quotes in the fact-checks.")
INTRO = _("Each row is a fact-check; each column a source quoted in the fact-checks on this page. A cell says what "
         "the source's quotes do for the claim: they back it, go against it, or give context; – means the source "
         "is not quoted on it (which does not mean it says nothing about it). Each stance links to the quote. "
         "Under each source: the fact-checks on the whole site whose claim it backs and goes against.")
LIST_INTRO = _("Each fact-check on this page, with the sources quoted on it, by what their quotes do for the claim. "
              "Each source links to its quote.")
SHOW_TABLE, SHOW_LIST = _("Show as a table"), _("Show as a list")
EMPTY = _("No fact-checks yet.")
LIST_ID, TABLE_ID = "by-claim", "table"


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


def _columns(claims: list[Claim], site: Site, found: Stances, titles: dict[str, tuple[str, str]]) -> list[Source]:
    """The sources these claims quote: the most quoted first, then by title (titles: each source's (folded title,
    id), worked out once for every page)."""
    quoted = Counter(source_id for claim in claims for source_id in found[claim.id])
    return [site.sources[s] for s in sorted(quoted, key=lambda s: (-quoted[s], *titles[s]))]


def _mark(stance: str) -> str:
    return f'<span class="fc-wsw__icon" aria-hidden="true"></span>{STANCE_WORDS[stance]}'


def _stance_link(claim: Claim, stance: str, number: int, ctx: RenderContext, here: str, inner: str) -> str:
    href = ctx.link(here, claim_src(claim.id), quote_anchor(claim.id, number))
    return f'<a class="fc-wsw__stance fc-wsw__stance--{stance}" href="{esc(href)}">{inner}</a>'


def _empty_cell() -> str:
    symbol, word = NOT_QUOTED
    return f'<td class="fc-wsw__none"><span aria-hidden="true">{symbol}</span>' \
           f'<span class="fc-visually-hidden">{word}</span></td>'


def _cell(claim: Claim, by_stance: dict[str, int], ctx: RenderContext, here: str) -> str:
    links = [_stance_link(claim, stance, by_stance[stance], ctx, here, _mark(stance))
             for stance in STANCES if stance in by_stance]
    return f'<td>{"<br>".join(links)}</td>'


def _head(source: Source, counts: Counter[str], ctx: RenderContext, here: str) -> str:
    href = ctx.link(here, source_src(source.id))
    return (f'<th scope="col"><a href="{esc(href)}">{esc(source.title)}</a>'
            f'<span class="fc-wsw__counts"><span class="fc-wsw__stance--supports">{_mark("supports")} '
            f'{counts["supports"]}</span> <span class="fc-wsw__stance--contradicts">{_mark("contradicts")} '
            f'{counts["contradicts"]}</span></span></th>')


def _row(claim: Claim, place: dict[str, int], ctx: RenderContext, here: str, found: Stances, empty: str) -> str:
    site = ctx.site
    cells = [empty] * len(place)
    for source_id, by_stance in found[claim.id].items():
        if by_stance and source_id in place:
            cells[place[source_id]] = _cell(claim, by_stance, ctx, here)
    return (f'<tr><th scope="row"><a href="{esc(ctx.link(here, claim_src(claim.id)))}">{esc(claim.claim)}'
            f"</a> {badge(site.verdicts[claim.verdict], site.scale)} {lines_meta(claim, ctx)}</th>"
            f"{''.join(cells)}</tr>")


def _table(claims: list[Claim], columns: list[Source], ctx: RenderContext, here: str,
           counts: dict[str, Counter[str]], found: Stances) -> str:
    head = "".join(_head(source, counts.get(source.id, Counter()), ctx, here) for source in columns)
    # Most cells say "not quoted" (50 rows, up to a hundred columns, a few quoted in each row): made once.
    empty, place = _empty_cell(), {source.id: number for number, source in enumerate(columns)}
    order = tuple(place)
    rows = [_kept(ctx, ("who-said-what row", here, claim.id), claim, order,
                  lambda claim=claim: _row(claim, place, ctx, here, found, empty)) for claim in claims]
    return (f'<div class="fc-wsw" role="region" aria-label="{TITLE}" tabindex="0"><table class="fc-wsw__table">'
            f'<thead><tr><th scope="col">{CLAIM_COLUMN}</th>{head}</tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def _kept(ctx: RenderContext, key: tuple[str, str, str], claim: Claim, values: tuple[str, ...],
          make: Callable[[], str]) -> str:
    """A claim's row or item on a page, kept from the last build (under `mkdocs serve`) while its claim is the same,
    where that build made the page again (render/kept_pages.py)."""
    return make() if ctx.kept is None else ctx.kept.piece(key, (claim,), values, make, small=False)


def _item(claim: Claim, ctx: RenderContext, here: str, found: Stances) -> str:
    site, groups = ctx.site, []
    for stance in STANCES:
        quoted = [(source_id, numbers[stance]) for source_id, numbers in found[claim.id].items()
                  if stance in numbers]
        if quoted:
            links = "".join(f"<li>{_stance_link(claim, stance, number, ctx, here, esc(site.sources[source].title))}"
                            "</li>" for source, number in quoted)
            groups.append(f'<li class="fc-wsw__group fc-wsw__stance--{stance}"><span class="fc-wsw__icon" '
                          f'aria-hidden="true"></span><span class="fc-wsw__said">{STANCE_HEADINGS[stance][0]}'
                          f'</span><ul class="fc-wsw__sources">{links}</ul></li>')
    return (f'<li class="fc-wsw__claim">{badge(site.verdicts[claim.verdict], site.scale)} '
            f'<a class="fc-item__claim" href="{esc(ctx.link(here, claim_src(claim.id)))}">{esc(claim.claim)}'
            f'</a><ul class="fc-wsw__groups">{"".join(groups)}</ul></li>')


def _by_claim(claims: list[Claim], ctx: RenderContext, here: str, found: Stances) -> str:
    """The compact view: each claim, then its sources grouped by stance, each linking to its quote."""
    items = [_kept(ctx, ("who-said-what item", here, claim.id), claim, (),
                   lambda claim=claim: _item(claim, ctx, here, found)) for claim in claims]
    return f'<ol class="fc-wsw__list">{"".join(items)}</ol>'


def _views(claims: list[Claim], columns: list[Source], ctx: RenderContext, here: str,
           counts: dict[str, Counter[str]], found: Stances) -> str:
    """Both views; the style sheet shows the list on a phone and the table on a wide screen, and the other one when
    its link (a fragment of this page) is followed, without a script."""
    return (f'<div class="fc-wsw-views">'
            f'<section class="fc-wsw-view fc-wsw-view--list" id="{LIST_ID}" aria-label="{SHOW_LIST}">'
            f'<p class="fc-wsw-switch"><a href="#{TABLE_ID}">{SHOW_TABLE}</a></p>'
            f"<p>{esc(LIST_INTRO)}</p>{_by_claim(claims, ctx, here, found)}</section>"
            f'<section class="fc-wsw-view fc-wsw-view--table" id="{TABLE_ID}" aria-label="{SHOW_TABLE}">'
            f'<p class="fc-wsw-switch"><a href="#{LIST_ID}">{SHOW_LIST}</a></p>'
            f"<p>{esc(INTRO)}</p>{_table(claims, columns, ctx, here, counts, found)}</section></div>")


def _quoted(by_source: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    """What a claim adds to the counts under each column's head: (source id, stance), once each."""
    return [(source_id, stance) for source_id, by_stance in by_source.items() for stance in by_stance]


def _stances_and_counts(ctx: RenderContext, claims: list[Claim]) -> tuple[Stances, dict[str, Counter[str]]]:
    """stances() of every claim, and stance_counts() of them; under `mkdocs serve`, worked out again only for the claims
    a save changed (render/kept_pages.py)."""
    if ctx.kept is None:
        found = {claim.id: stances(claim) for claim in claims}
        return found, stance_counts(found)
    each, total = ctx.kept.each("who-said-what stances", claims, stances, _quoted)
    counts: dict[str, Counter[str]] = {}
    for (source_id, stance), number in total.items():
        counts.setdefault(source_id, Counter())[stance] = number
    return {claim.id: found for claim, found in zip(claims, each, strict=True)}, counts


def render_who_said_what_pages(ctx: RenderContext) -> dict[str, str]:
    claims = ctx.site.claims_newest_first()
    chunks = [claims[i : i + PER_PAGE] for i in range(0, len(claims), PER_PAGE)] or [[]]
    found, counts = _stances_and_counts(ctx, claims)
    # What each source's column shows in a page's key, and how columns sort: once a build, not once per page and
    # column (200 pages at 10,000 claims, each with dozens of columns)
    titles = {source.id: (source.title.casefold(), source.id) for source in ctx.site.sources.values()}
    shown = {source_id: tuple(sorted(counted.items())) for source_id, counted in counts.items()}
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = who_said_what_src(number)
        heading = page_heading(str(TITLE), number)
        columns = _columns(chunk, ctx.site, found, titles)

        def make(here: str = here, heading: str = heading, chunk: list[Claim] = chunk, number: int = number,
                 columns: list[Source] = columns) -> str:
            body = _views(chunk, columns, ctx, here, counts, found) if chunk else f'<p class="fc-empty">{EMPTY}</p>'
            return "\n".join([
                front_matter(heading, DESCRIPTION, hide=("navigation", "toc"), meta=NOT_SEARCHED),
                f'<h1 id="title">{esc(heading)}</h1>', body,
                pager(number, len(chunks), who_said_what_src, here, ctx), ""])

        heads = tuple((s.id, shown.get(s.id, ())) for s in columns)
        pages[here] = kept_page(ctx.kept, here, chunk, (heading, heads, *pager_targets(number, len(chunks),
                                                                                       who_said_what_src)), make)
    return pages
