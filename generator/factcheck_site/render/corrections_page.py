"""The site-wide corrections page: every correction to every fact-check, newest first,
so readers can review the desk's record in one place."""

from __future__ import annotations

from functools import partial
from typing import Any

from factcheck_site.content.model import Claim, Correction, Site
from factcheck_site.content.prose_links import links_in
from factcheck_site.content.verdict_changes import verdict_changes
from factcheck_site.language import _, np_
from factcheck_site.render.context import RenderContext
from factcheck_site.render.kept_pages import kept_page
from factcheck_site.render.listings import NOT_SEARCHED
from factcheck_site.render.markup import badge, date_html, esc, front_matter, page_heading, pager, pager_targets
from factcheck_site.render.safe_markdown import text_to_html
from factcheck_site.render.urls import claim_src, corrections_src

PER_PAGE = 50
TITLE, NONE = _("Corrections"), _("No fact-check has been corrected.")
VERDICT_CHANGED, CHANGED = _("Verdict changed"), _("{changed} from {before} to {after}.")
INTRO = np_("Every correction to a published fact-check, newest first: {count} correction. Each one is also shown, "
            "with its date, on the fact-check it corrects.",
            "Every correction to a published fact-check, newest first: {count} corrections. Each one is also shown, "
            "with its date, on the fact-check it corrects.")


def all_corrections(site: Site) -> list[tuple[Correction, Claim, tuple[str, str] | None]]:
    """(correction, its claim, (verdict before, after) when it changed the verdict), newest first."""
    found = []
    for claim in site.claims.values():
        if not claim.corrections:
            continue
        changes = verdict_changes([(c.date, c.previous_verdict) for c in claim.corrections], claim.verdict)
        for index, correction in enumerate(claim.corrections):
            found.append((correction, claim, changes.get(index), index))
    found.sort(key=lambda item: (-item[0].date.toordinal(), -item[1].published.toordinal(), item[1].id, -item[3]))
    return [(correction, claim, change) for correction, claim, change, _ in found]


def _item(correction: Correction, claim: Claim, change: tuple[str, str] | None, ctx: RenderContext,
          here: str) -> str:
    href = ctx.link(here, claim_src(claim.id), "corrections")
    changed = ""
    if change:
        before, after = (ctx.site.verdicts[v] for v in change)
        scale = ctx.site.scale
        changed = ('<p class="fc-correction__change">' + CHANGED.format(
            changed=f"<strong>{VERDICT_CHANGED}</strong>", before=badge(before, scale), after=badge(after, scale))
            + "</p>")
    return (f'<li class="fc-item fc-correction">{date_html(correction.date)} · '
            f'<a class="fc-item__claim" href="{esc(href)}">{esc(claim.claim)}</a>'
            f'{changed}<p class="fc-correction__text">{text_to_html(correction.text, partial(ctx.reference, here))}'
            "</p></li>")


def render_corrections_pages(ctx: RenderContext) -> dict[str, str]:
    entries = all_corrections(ctx.site)
    chunks = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]
    intro = INTRO.of(len(entries))
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = corrections_src(number)
        heading = page_heading(str(TITLE), number)

        def make(here: str = here, heading: str = heading, chunk: list[Any] = chunk, number: int = number) -> str:
            items = "\n".join(_item(c, claim, change, ctx, here) for c, claim, change in chunk)
            body = f'<ul class="fc-list fc-all-corrections">\n{items}\n</ul>' if chunk else \
                f'<p class="fc-empty">{NONE}</p>'
            return "\n".join([front_matter(heading, intro, hide=("navigation",), meta=NOT_SEARCHED),
                              f'<h1 id="title">{esc(heading)}</h1>', f"<p>{esc(intro)}</p>", body,
                              pager(number, len(chunks), corrections_src, here, ctx), ""])

        # A correction's text may link to claims and sources by id: kept while what each link shows is the same.
        links = tuple((link.kind, link.id, ctx.site.link_text(link.kind, link.id))
                      for c, _, _ in chunk for link in links_in(c.text))
        pages[here] = kept_page(ctx.kept, here, [claim for _, claim, _ in chunk],
                                (heading, intro, tuple((c, change) for c, _, change in chunk), links,
                                 *pager_targets(number, len(chunks), corrections_src)), make)
    return pages
