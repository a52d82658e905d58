"""The page for one fact-check: the claim, the verdict, and the evidence side by side."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial

from factcheck_site.content.model import Claim, Quote, Site
from factcheck_site.content.publisher import Publication
from factcheck_site.content.quote_matching import OMISSION
from factcheck_site.content.verdict_changes import verdict_changes
from factcheck_site.language import _, date_text
from factcheck_site.render.context import RenderContext
from factcheck_site.render.groups import group_slug
from factcheck_site.render.line_counts import imported_note, lines_panel
from factcheck_site.render.markup import badge, date_html, esc, front_matter, tone, verdict_meter
from factcheck_site.render.safe_markdown import markdown_to_html, text_to_html
from factcheck_site.render.structured_data import claim_review, script_json, social_meta
from factcheck_site.render.text_fragment import text_fragment_url
from factcheck_site.render.urls import (
    claim_src,
    claimant_src,
    corrections_src,
    source_src,
    tag_src,
    verdict_src,
)

JSONLD_KEY = "factcheck_jsonld"  # the front matter key that templates/main.html puts in <head>
# What readers read on a claim page, in one place (issue 27 translates them). Evidence is told by words and an
# icon of its own (assets/factcheck.css, .fc-stance--*), never by the verdicts' colours.
STANCE_HEADINGS = {
    "supports": (_("Backs the claim"), _("None of the quoted sources backs the claim.")),
    "contradicts": (_("Goes against it"), _("None of the quoted sources goes against the claim.")),
    "context": (_("Context"), ""),
}
KICKER, CLAIM_KIND, QUOTE_KIND = _("Fact-check"), _("Claim"), _("Quote")
SHOW_IN_SOURCE, ORIGINAL, ARCHIVED = _("Show in source"), _("Original article"), _("Archived copy")
ORIGINAL_HINT = _("Opens the article and, in most browsers, scrolls to the quote")
OUR_NOTE, OUR_VERDICT, EVIDENCE, ANALYSIS = _("Our note:"), _("Our verdict:"), _("Evidence"), _("Analysis")
# Who made the claim, whose report it is and when, as whole sentences (word order differs between languages).
CLAIM_BY = _("Claim by {claimant}")  # where a sentence is not needed (search results)
CLAIMANT_SENTENCES = {(False, False): _("Claim by {claimant}."),
                      (True, False): _("Claim by {claimant}, according to {via}."),
                      (False, True): _("Claim by {claimant} on {date}."),
                      (True, True): _("Claim by {claimant}, according to {via} on {date}.")}
APPEARED, APPEARED_ORIGINAL = _("Where the claim appeared"), _("original")
BY, PUBLISHED, UPDATED = _("By {author}"), _("Published {date}"), _("Updated {date}")
LAST_CHANGED = _("Last changed {date}")
PUBLISHED_BY, TAGS = _("Published by {organization}"), _("Tags:")
VERDICT_CHANGED, SEE_CORRECTION = _("Verdict changed on {date}: from {before} to {after}."), _("See the correction")
CORRECTIONS, ALL_CORRECTIONS = _("Corrections"), _("All corrections on this site")
CHANGE_NOTE = _("Verdict changed from {before} to {after}.")
CITATION = _('{organization}. "{claim}" Fact-check, published {published}. {address}')
CITATION_UPDATED = _('{organization}. "{claim}" Fact-check, published {published}, updated {updated}. {address}')
CITE, CITE_HINT = _("Cite this fact-check"), _("A click selects the whole citation; copy it with Ctrl+C or ⌘+C.")


VERDICT_ANCHOR = "verdict"  # the id of the verdict box, where a highlighted passage on a source page leads


def quote_anchor(claim_id: str, number: int) -> str:
    """The id of a quote's highlight on its source page and of the quote on the claim page."""
    return f"q-{claim_id}-{number}"


def _quote(claim: Claim, number: int, quote: Quote, ctx: RenderContext, here: str) -> str:
    source = ctx.site.sources[quote.source]
    text = esc(OMISSION.sub("[…]", quote.text))
    in_source = ctx.link(here, source_src(source.id), quote_anchor(claim.id, number))
    about = [f"<cite>{esc(source.title)}</cite>", *([esc(source.publisher)] if source.publisher else [])]
    if source.published:
        about.append(date_html(source.published))
    caption = " · ".join(about)
    links = [f'<a class="fc-quote__in-source" href="{esc(in_source)}">{SHOW_IN_SOURCE}</a>']
    if source.url:
        passages = [source.text[start:end] for start, end in quote.spans]
        links.append(f'<a class="fc-quote__original" href="{esc(text_fragment_url(source.url, passages))}" '
                     f'rel="nofollow noopener" title="{ORIGINAL_HINT}">{ORIGINAL}</a>')
    if source.archived:
        links.append(f'<a class="fc-quote__archived" href="{esc(source.archived)}" rel="nofollow noopener">'
                     f"{ARCHIVED}</a>")
    note = (f'<p class="fc-quote__note"><span class="fc-quote__note-label">{OUR_NOTE}</span> '
            f"{text_to_html(quote.note, partial(ctx.reference, here))}</p>" if quote.note else "")
    return (f'<figure class="fc-quote" id="{quote_anchor(claim.id, number)}">'
            f'<blockquote><p>{text}</p></blockquote>'
            f'<figcaption>{caption}<br>{" · ".join(links)}{note}</figcaption></figure>')


def _stance_column(stance: str, items: list[str]) -> str:
    heading, empty = STANCE_HEADINGS[stance]
    body = "".join(items) if items else f'<p class="fc-empty">{esc(empty)}</p>'
    return (f'<section class="fc-stance fc-stance--{stance}" aria-label="{esc(heading)}">'
            f'<h3 class="fc-stance__heading">{esc(heading)} <span class="fc-count">({len(items)})</span></h3>'
            f"{body}</section>")


def _via(claim: Claim, ctx: RenderContext, here: str) -> str:
    """Whose report the attribution is: "CaliToday" in ", according to CaliToday", linked to the source when it is
    one (the article by its headline when the copy we hold does not name its publisher)."""
    source = ctx.site.via_source(claim)
    if source is None:
        return f'<span class="fc-claimant__via">{esc(claim.claimant_via or "")}</span>'
    href = ctx.link(here, source_src(source.id))
    return (f'<a class="fc-claimant__via" href="{esc(href)}" title="{esc(source.title)}">'
            f"{esc(ctx.site.via_name(claim))}</a>")


def _claimant(claim: Claim, ctx: RenderContext, here: str) -> str:
    """Who made the claim, who relayed it and when: above the fold, so where it appeared comes later."""
    href = ctx.link(here, claimant_src(group_slug(claim.claimant)))
    claimant = f'<a class="fc-claimant__name" href="{esc(href)}"><strong>{esc(claim.claimant)}</strong></a>'
    via = _via(claim, ctx, here) if claim.claimant_via else ""
    when = date_html(claim.claim_date) if claim.claim_date else ""
    return CLAIMANT_SENTENCES[bool(via), bool(when)].format(claimant=claimant, via=via, date=when)


def _appeared(claim: Claim, ctx: RenderContext, here: str) -> str:
    items = []
    for source_id in claim.appeared_in:
        source = ctx.site.sources[source_id]
        item = f'<a href="{esc(ctx.link(here, source_src(source_id)))}">{esc(source.title)}</a>'
        if source.publisher:
            item += f" · {esc(source.publisher)}"
        if source.url:
            item += (f' (<a class="fc-appearance" href="{esc(source.url)}" rel="nofollow noopener">'
                     f"{APPEARED_ORIGINAL}</a>)")
        items.append(f"<li>{item}</li>")
    return (f'<h2 id="appeared">{APPEARED}</h2><ul class="fc-appeared">{"".join(items)}</ul>' if items else "")


def _byline(claim: Claim, site: Site) -> str:
    """Who wrote the fact-check and when, under the headline: published, updated as the editors said, and the
    last change (a correction, a commit) when it came later."""
    changed = site.last_changed(claim)

    def day(date: dt.date) -> str:  # the date the structured data's dateModified gives is marked as such
        return f'<span class="fc-last-changed">{date_html(date)}</span>' if date == changed else date_html(date)

    parts = [BY.format(author=esc(claim.author)), PUBLISHED.format(date=day(claim.published))]
    if claim.imported_from:
        parts.append(imported_note(claim))
    if claim.updated and claim.updated > claim.published:
        parts.append(UPDATED.format(date=day(claim.updated)))
    if changed > (claim.updated or claim.published):
        parts.append(LAST_CHANGED.format(date=day(changed)))
    return f'<p class="fc-byline">{" · ".join(parts)}</p>'


def _changes(claim: Claim) -> dict[int, tuple[str, str]]:
    return verdict_changes([(c.date, c.previous_verdict) for c in claim.corrections], claim.verdict)


def _verdict_history(claim: Claim, site: Site) -> str:
    """A plain statement in the verdict box for every correction that changed the verdict."""
    notes = []
    for index, (before, after) in sorted(_changes(claim).items(), key=lambda item: claim.corrections[item[0]].date):
        notes.append('<p class="fc-verdict__changed">' + VERDICT_CHANGED.format(
            date=date_html(claim.corrections[index].date), before=badge(site.verdicts[before], site.scale),
            after=badge(site.verdicts[after], site.scale)) + f' <a href="#corrections">{SEE_CORRECTION}</a>.</p>')
    return "".join(notes)


def corrections_html(claim: Claim, ctx: RenderContext, here: str) -> str:
    site = ctx.site
    changes = _changes(claim)
    items = []
    order = sorted(range(len(claim.corrections)), key=lambda i: claim.corrections[i].date, reverse=True)
    for index in order:
        correction = claim.corrections[index]
        change = ""
        if index in changes:
            before, after = changes[index]
            change = ('<strong class="fc-correction__change">' + CHANGE_NOTE.format(
                before=esc(site.verdicts[before].label), after=esc(site.verdicts[after].label)) + "</strong> ")
        text = text_to_html(correction.text, partial(ctx.reference, here))
        items.append(f'<li class="fc-correction">{date_html(correction.date)}: {change}{text}</li>')
    return f'<ul class="fc-corrections">{"".join(items)}</ul>'


def citation(claim: Claim, site: Site, publication: Publication) -> str:
    """A plain-text citation of the fact-check: who, what, when (last updated as the page's "Last changed"
    and the ClaimReview's dateModified say), and its permanent address."""
    changed = site.last_changed(claim)
    words = CITATION_UPDATED if changed > claim.published else CITATION
    return words.format(organization=publication.organization.name, claim=claim.claim,
                        published=date_text(claim.published), updated=date_text(changed),
                        address=publication.url_of(claim_src(claim.id)))


def cite_this(claim: Claim, site: Site, publication: Publication) -> str:
    """The citation in a closed <details>: no script needed, and one click selects all of it to copy."""
    return (f'<details class="fc-cite" id="cite"><summary>{CITE}</summary>'
            f'<p class="fc-cite__text">{esc(citation(claim, site, publication))}</p>'
            f'<p class="fc-cite__hint">{CITE_HINT}</p>'
            "</details>")


def render_claim_page(claim: Claim, ctx: RenderContext) -> str:
    site, publication = ctx.site, ctx.publication
    here = claim_src(claim.id)
    verdict = site.verdicts[claim.verdict]
    by_stance: dict[str, list[str]] = {"supports": [], "contradicts": [], "context": []}
    for number, quote in enumerate(claim.quotes, 1):
        by_stance[quote.stance].append(_quote(claim, number, quote, ctx, here))

    head: dict[str, object] = {}
    if publication is not None:
        head = {"factcheck_meta": social_meta(claim, site, publication),
                JSONLD_KEY: script_json(claim_review(claim, site, publication))}
    scale_href = ctx.link(here, verdict_src(verdict.id))
    resolve = partial(ctx.reference, here)
    # Quotation marks (added by the style sheet) only for a claim found verbatim in a source it appeared in.
    kind, label = ("quote", QUOTE_KIND) if claim.claim_is_quote else ("claim", CLAIM_KIND)
    # Above the fold on a phone: the claim, who made it and when, the verdict and why; then where it sits on
    # the scale and what that point means.
    parts = [
        front_matter(claim.claim, f"{verdict.label}: {site.plain(claim.summary)}", meta=head),
        '<article class="fc-claim">',
        f'<p class="fc-kicker">{KICKER} · <span class="fc-claim__kind">{label}</span></p>',
        f'<h1 id="claim" class="fc-claim__text fc-claim__text--{kind}">{esc(claim.claim)}</h1>',
        _byline(claim, site),
        f'<p class="fc-claimant">{_claimant(claim, ctx, here)}</p>',
        f'<div class="fc-verdict fc-tone-{tone(verdict, site.scale)}" id="{VERDICT_ANCHOR}">'
        f'<p class="fc-verdict__label">{OUR_VERDICT} {badge(verdict, site.scale, scale_href)}</p>'
        f'<p class="fc-verdict__summary">{text_to_html(claim.summary, resolve)}</p>'
        f"{verdict_meter(verdict, site.scale)}"
        f'<p class="fc-verdict__meaning">{esc(verdict.meaning)}</p>{_verdict_history(claim, site)}'
        "</div>",
        lines_panel(claim, ctx, here),
        f'<h2 id="evidence">{EVIDENCE}</h2>',
        '<div class="fc-evidence">'
        + _stance_column("supports", by_stance["supports"])
        + _stance_column("contradicts", by_stance["contradicts"])
        + "</div>",
    ]
    if by_stance["context"]:
        parts.append('<div class="fc-evidence fc-evidence--context">'
                     + _stance_column("context", by_stance["context"]) + "</div>")
    if claim.analysis:
        parts += [f'<h2 id="analysis">{ANALYSIS}</h2>',
                  f'<div class="fc-analysis">{markdown_to_html(claim.analysis, resolve)}</div>']
    if claim.appeared_in:
        parts.append(_appeared(claim, ctx, here))
    if claim.corrections:
        all_corrections = ctx.link(here, corrections_src())
        parts += [f'<h2 id="corrections">{CORRECTIONS}</h2>', corrections_html(claim, ctx, here),
                  f'<p class="fc-more"><a href="{esc(all_corrections)}">{ALL_CORRECTIONS}</a></p>']
    footer = []
    if claim.tags:
        links = [(t, ctx.link(here, tag_src(group_slug(t)))) for t in claim.tags]
        tags = " ".join(f'<a class="fc-tag" rel="tag" href="{esc(href)}">{esc(t)}</a>' for t, href in links)
        footer.append(f'<p class="fc-tags">{TAGS} {tags}</p>')
    if publication is not None:
        footer.append(f"<p>{PUBLISHED_BY.format(organization=esc(publication.organization.name))}</p>")
    if footer:
        parts.append(f'<footer class="fc-claim__footer">{"".join(footer)}</footer>')
    if publication is not None:
        parts.append(cite_this(claim, site, publication))
    parts += ["</article>", ""]
    return "\n".join(parts)


def with_jsonld_in_body(page: str) -> str:
    """A rendered claim page with its ClaimReview as a script element at the start of its body instead
    of in its front matter, for site builders without our template (a page without one is unchanged).

    JSON-LD in the body is valid HTML, read by search engines; Markdown passes a script element through
    as it is. The JSON is script_json's, whose `<`, `>` and `&` are escaped, so it cannot end the element.
    """
    key = f"\n{JSONLD_KEY}: "
    start, end_of_front = page.find(key), page.find("\n---\n", 3)
    if not 0 <= start < end_of_front:
        return page
    end_of_line = page.index("\n", start + 1)
    jsonld = json.loads(page[start + len(key) : end_of_line])  # front matter values are JSON (markup.yaml_value)
    if any(character in jsonld for character in "<>&"):
        raise ValueError("structured data must come from script_json, which escapes <, > and &")
    return (page[:start] + page[end_of_line:end_of_front] + "\n---\n\n"
            + f'<script type="application/ld+json">{jsonld}</script>\n' + page[end_of_front + len("\n---\n"):])
