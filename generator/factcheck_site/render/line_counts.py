"""How many independent reporting lines back or contradict a claim, as readers see it: a panel on the
claim page, a line in lists and in the who-said-what table. The counting is content/reporting_lines.py's;
the verdict stays the editors' call, and the panel says that a line is not a confirmation."""

from __future__ import annotations

from html import escape as esc  # as render/markup.py escapes (which imports this module)

from factcheck_site.content.model import Claim, Site, article_name
from factcheck_site.content.reporting_lines import Line, lines_by_stance
from factcheck_site.language import _, list_text, n_, np_
from factcheck_site.render.context import RenderContext
from factcheck_site.render.urls import source_src

EXPLANATION = _("Articles that reproduce the same dispatch count as one line. A line says how the words reached "
               "us, not that they are true: two lines relaying the same official are still one official source, "
               "which the verdict weighs.")


HEADING, HOW_WE_COUNT = _("Independent reporting lines"), _("How we count")
SUPPORTS, CONTRADICTS = np_("{count} supports the claim", "{count} support the claim"), np_(
    "{count} contradicts it", "{count} contradict it")
FIRST_PUBLISHED = _("First published elsewhere: {address}")


def _count(number: int) -> str:
    return n_("{count} line", "{count} lines", number)


def lines_text(claim: Claim, site: Site) -> str:
    """One line of plain text, for lists: "Reporting lines: 2 support, 1 contradicts"."""
    found = lines_by_stance(claim, site.sources)
    supports, contradicts = len(found["supports"]), len(found["contradicts"])
    return _("Independent reporting lines: {supports}, {contradicts}").format(
        supports=n_("{count} supports", "{count} support", supports),
        contradicts=n_("{count} contradicts", "{count} contradict", contradicts))


def lines_meta(claim: Claim, ctx: RenderContext) -> str:
    """The counts in a list item or a table row: the same in every list the claim is in (seven in an archive), so
    made once per build. The quotes' sources are read each time, as counting reads them (render/reads.py)."""
    for quote in claim.quotes:
        ctx.site.sources.get(quote.source)
    made = ctx.made.get(("lines_meta", claim.id))
    if made is None or made[0] is not claim:
        made = ctx.made[("lines_meta", claim.id)] = (
            claim, f'<span class="fc-lines-count">{esc(lines_text(claim, ctx.site))}</span>')
    return made[1]


def _line(line: Line, ctx: RenderContext, here: str) -> str:
    site = ctx.site
    links = [f'<a href="{esc(ctx.link(here, source_src(s)))}">{esc(article_name(site.sources[s]))}</a>'
             for s in line.sources]
    if not line.dispatches:
        return links[0] if len(links) == 1 else ", ".join(links)
    names = esc(list_text([site.dispatches.get(d, d) for d in line.dispatches]))
    articles = n_("{count} article", "{count} articles", len(line.sources))
    return f"{names} ({articles}: {'; '.join(links)})"


def lines_panel(claim: Claim, ctx: RenderContext, here: str) -> str:
    """The claim page's count of reporting lines, each named with the articles in it."""
    found = lines_by_stance(claim, ctx.site.sources)
    rows = []
    for stance, words in (("supports", SUPPORTS), ("contradicts", CONTRADICTS)):
        lines = found[stance]
        sentence = words(len(lines)).format(count=f"<strong>{_count(len(lines))}</strong>")
        listed = "".join(f"<li>{_line(line, ctx, here)}</li>" for line in lines)
        rows.append(f'<div class="fc-lines__stance"><p>{sentence}</p>'
                    + (f"<ul>{listed}</ul>" if lines else "") + "</div>")
    methodology = ctx.publication.organization.methodology if ctx.publication is not None else None
    how = f' <a href="{esc(_on_this_site(methodology, ctx, here))}">{HOW_WE_COUNT}</a>.' if methodology else ""
    return (f'<section class="fc-lines" aria-labelledby="lines"><h2 id="lines">{HEADING}</h2>'
            f'{"".join(rows)}<p class="fc-lines__note">{esc(str(EXPLANATION))}{how}</p></section>')


def imported_note(claim: Claim) -> str:
    """For a fact-check first published elsewhere (an imported archive): where."""
    if not claim.imported_from:
        return ""
    return FIRST_PUBLISHED.format(address=f'<a class="fc-imported" href="{esc(claim.imported_from)}" '
                                          f'rel="nofollow noopener">{esc(claim.imported_from)}</a>')


def _on_this_site(url: str, ctx: RenderContext, here: str) -> str:
    """A page of this site by a link relative to `here`, so that it leads to this copy of the site (a preview, an
    archive) and not to the published one; an address elsewhere as it is."""
    site_url = ctx.publication.site_url if ctx.publication is not None else None
    if not site_url or not url.startswith(site_url):
        return url
    home = ctx.link(here, "index.md")
    return home.removesuffix("index.html") + url[len(site_url):]
