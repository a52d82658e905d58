"""Pages that list claims: the home page's latest list, the archive, the verdict
scale and one listing per verdict. Long lists are paginated so that no page grows
with the size of the archive."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice

from factcheck_site.content.model import Claim, Site
from factcheck_site.content.verdict_scale import ordered, rated
from factcheck_site.language import _, active, n_, np_
from factcheck_site.render.context import RenderContext
from factcheck_site.render.kept_pages import kept_page
from factcheck_site.render.markup import badge, claim_list, esc, front_matter, page_heading, pager, pager_targets, tone
from factcheck_site.render.structured_data import rating_bounds
from factcheck_site.render.urls import (
    CLAIMANTS_SRC,
    HOME_SRC,
    SCALE_SRC,
    SOURCES_SRC,
    TAGS_SRC,
    archive_src,
    claim_src,
    corrections_src,
    verdict_src,
    who_said_what_src,
)

PER_PAGE = 50
LATEST_ON_HOME = 20
LATEST_PER_VERDICT = 5


def _pages(claims: list[Claim]) -> list[list[Claim]]:
    return [claims[i : i + PER_PAGE] for i in range(0, len(claims), PER_PAGE)] or [[]]


def newest_by_verdict(ctx: RenderContext) -> dict[str, list[Claim]]:
    """Each verdict's claims, newest first: gone through once per build, for every listing that counts or lists them
    (shared through ctx.made, for this Site only: a copy noting a page's reads has its own)."""
    made = ctx.made.get("newest_by_verdict")
    if made is None or made[0] is not ctx.site:
        grouped: dict[str, list[Claim]] = {verdict.id: [] for verdict in ctx.site.scale}
        for claim in ctx.site.claims_newest_first():
            grouped.setdefault(claim.verdict, []).append(claim)
        made = ctx.made["newest_by_verdict"] = (ctx.site, grouped)
    return {verdict: list(claims) for verdict, claims in made[1].items()}


def count_text(number: int) -> str:
    return n_("{count} fact-check", "{count} fact-checks", number)


def verdict_chips(ctx: RenderContext, here: str) -> str:
    """One link per verdict the site has ruled, with how many claims it was ruled on, best first."""
    site, grouped = ctx.site, newest_by_verdict(ctx)
    chips = []
    for verdict in ordered(site.scale):
        count = len(grouped[verdict.id])
        if count:
            chips.append(f'<li><a class="fc-chip fc-tone-{tone(verdict, site.scale)}" '
                         f'href="{esc(ctx.link(here, verdict_src(verdict.id)))}">'
                         f'{esc(verdict.label)} '
                         f'<span class="fc-chip__count">{active().number(count)}<span class="fc-visually-hidden"> '
                         f'{CHIP_WORD(count)}</span></span></a></li>')
    if not chips:
        return ""
    return f'<nav class="fc-chips" aria-label="{BY_VERDICT_LABEL}"><ul>{"".join(chips)}</ul></nav>'


# What readers read on the home page.
LATEST, BY_VERDICT = _("Latest fact-checks"), _("Browse by verdict")
ALL_COUNT = np_("All {count} fact-checks", "All {count} fact-checks")
BY_TAG, BY_CLAIMANT, BY_SOURCE, WHO_SAID_WHAT, CORRECTIONS = (_("by tag"), _("by claimant"), _("by source"),
                                                              _("Who said what"), _("Corrections"))
GROUP_HEADING, ALL_IN_GROUP = _("{label} ({count})"), np_("All {count} rated {label}", "All {count} rated {label}")
CHIP_WORD, BY_VERDICT_LABEL = np_("fact-check", "fact-checks"), _("Fact-checks by verdict")
HOME_TITLE, HOME_DESCRIPTION = _("Fact-checks"), _("The latest fact-checks")
ARCHIVE_TITLE, ARCHIVE_INTRO = _("All fact-checks"), np_("All {count} fact-checks, newest first.",
                                                            "All {count} fact-checks, newest first.")
VERDICT_TITLE, VERDICT_INTRO = _("Verdict: {label}"), _("{meaning} {count}, newest first.")
SCALE_TITLE, SCALE_DESCRIPTION = _("Verdict scale"), _("What each verdict means, with the fact-checks under each.")
SEE_ALL, RATING, NOT_RATED = _("See all {count} rated {label}"), _("Rating:"), _(" (not rated)")
# A sentence ends at . ! ? and a space, or at a full-width stop, before what starts a sentence in any script: a
# capital, a digit, or a letter of a script without case (Hangul, kana, CJK, Arabic...), not a lower-case letter.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])\s+|(?<=[\u3002\uff01\uff1f])\s*)"
                           r"(?=[\"'(\u2018\u201c\u00ab\u201e]?[^\W_a-z\u00df-\u00ff\u0100-\u024f\u0430-\u045f\u03ac-\u03ce])")


def first_sentence(text: str) -> str:
    """The first sentence of a plain-text summary, whole (never cut inside a sentence): the one line a grouped
    list gives for each claim."""
    return _SENTENCE_END.split(text.strip(), 1)[0]


def _grouped_item(claim: Claim, ctx: RenderContext, here: str) -> str:
    """A claim under its verdict's heading: no badge of its own, and the first line of why it got that verdict."""
    href = ctx.link(here, claim_src(claim.id))
    return (f'<li class="fc-item fc-item--grouped"><a class="fc-item__claim" href="{esc(href)}">{esc(claim.claim)}'
            f'</a> <span class="fc-item__why">{esc(first_sentence(ctx.site.plain(claim.summary)))}</span></li>')


def _unrated_groups(grouped: dict[str, list[Claim]], ctx: RenderContext, here: str) -> list[str]:
    """Claims no verdict on the scale fits (Unverified), apart: under their verdict, with what it means and, for
    each, the first line of why."""
    parts = []
    for verdict in ctx.site.scale:
        if verdict in rated(ctx.site.scale):
            continue
        group = grouped[verdict.id]
        if not group:
            continue
        heading = GROUP_HEADING.format(label=verdict.label, count=active().number(len(group)))
        items = "\n".join(_grouped_item(claim, ctx, here) for claim in group[:LATEST_ON_HOME])
        parts += [f'<h2 id="not-rated-{esc(verdict.id)}" data-search-exclude>{esc(heading)}</h2>',
                  f'<p class="fc-group-why">{esc(verdict.meaning)}</p>',
                  f'<ul class="fc-list fc-list--grouped">\n{items}\n</ul>']
        if len(group) > LATEST_ON_HOME:
            listing = ctx.link(here, verdict_src(verdict.id))
            parts.append(f'<p class="fc-more"><a href="{esc(listing)}">'
                         f"{esc(ALL_IN_GROUP.of(len(group), label=verdict.label))}"
                         "</a></p>")
    return parts


def render_home_section(ctx: RenderContext, here: str = HOME_SRC) -> str:
    """After the site's own home page (its lead): a link to each verdict's list, the latest rated fact-checks,
    then those no verdict on the scale fits (Unverified), grouped, each with the first line of why."""
    claims, grouped = ctx.site.claims_newest_first(), newest_by_verdict(ctx)
    on_scale = {verdict.id for verdict in rated(ctx.site.scale)}
    latest = list(islice((c for c in claims if c.verdict in on_scale), LATEST_ON_HOME))
    shown = [*latest, *(claim for verdict in ctx.site.scale if verdict.id not in on_scale
                        for claim in grouped[verdict.id][:LATEST_ON_HOME])]
    counts = tuple(len(grouped[verdict.id]) for verdict in ctx.site.scale)
    # Each unrated claim shows its summary's first line, whose links read other claims' texts: compared as read.
    why = tuple(ctx.site.plain(claim.summary) for claim in shown[len(latest):])

    def make() -> str:
        # data-search-exclude: the claims listed here are found on their own pages.
        parts = ['<section class="fc-latest" id="latest">', verdict_chips(ctx, here)]
        if latest or not claims:
            parts += [f'<h2 id="rated" data-search-exclude>{LATEST}</h2>', claim_list(latest, ctx, here)]
        parts += _unrated_groups(grouped, ctx, here)
        targets = [(archive_src(), ALL_COUNT.of(len(claims))), (SCALE_SRC, BY_VERDICT),
                   (TAGS_SRC, BY_TAG), (CLAIMANTS_SRC, BY_CLAIMANT), (SOURCES_SRC, BY_SOURCE),
                   (who_said_what_src(), WHO_SAID_WHAT), (corrections_src(), CORRECTIONS)]
        links = [f'<a href="{esc(ctx.link(here, src))}">{text}</a>' for src, text in targets]
        parts += [f'<p class="fc-more">{" · ".join(links)}</p>', "</section>"]
        return "\n".join(parts)

    # Kept apart from the pages (it is no page of its own): what it shows is the claims listed, and the counts.
    return make() if ctx.kept is None else ctx.kept.piece(("home section", here), tuple(shown),
                                                          (len(claims), counts, why), make)


def render_home_page(ctx: RenderContext, section: str | None = None) -> str:
    """A home page for sites that have none of their own; section: render_home_section(ctx), if made already (it
    goes through every claim)."""
    return front_matter(str(HOME_TITLE), str(HOME_DESCRIPTION), hide=("navigation",)) + f"# {HOME_TITLE}\n\n" + \
        (render_home_section(ctx) if section is None else section) + "\n"


# Listings repeat claim texts that their own pages already put in the search index.
NOT_SEARCHED = {"search": {"exclude": True}}


def listing_pages(title: str, intro: str, claims: list[Claim] | tuple[Claim, ...], ctx: RenderContext,
                  src_for_page: Callable[[int], str]) -> dict[str, str]:
    """A paginated list of claims, newest first as given; title and intro are plain text."""
    pages = _pages(list(claims))
    result = {}
    for number, chunk in enumerate(pages, 1):
        here = src_for_page(number)
        heading = page_heading(title, number)

        def make(here: str = here, heading: str = heading, chunk: list[Claim] = chunk, number: int = number) -> str:
            return "\n".join([
                front_matter(heading, intro, hide=("navigation",), meta=NOT_SEARCHED),
                f'<h1 id="title">{esc(heading)}</h1>',
                f"<p>{esc(intro)}</p>",
                claim_list(chunk, ctx, here),
                pager(number, len(pages), src_for_page, here, ctx),
                "",
            ])

        result[here] = kept_page(ctx.kept, here, chunk, (heading, intro, *pager_targets(number, len(pages),
                                                                                       src_for_page)), make)
    return result


def render_archive_pages(ctx: RenderContext) -> dict[str, str]:
    claims = ctx.site.claims_newest_first()
    intro = ARCHIVE_INTRO.of(len(claims))
    return listing_pages(str(ARCHIVE_TITLE), intro, claims, ctx, archive_src)


def render_verdict_pages(ctx: RenderContext) -> dict[str, str]:
    result: dict[str, str] = {}
    grouped = newest_by_verdict(ctx)
    for verdict in ctx.site.scale:
        claims = grouped[verdict.id]
        intro = VERDICT_INTRO.format(meaning=verdict.meaning, count=count_text(len(claims)))
        result.update(listing_pages(VERDICT_TITLE.format(label=verdict.label), intro, claims, ctx,
                                     lambda page, v=verdict.id: verdict_src(v, page)))
    return result


SCALE_INTRO = _("Every fact-check ends in one verdict from this scale, from the most accurate to the least. The "
               "verdict follows from the quoted evidence alone.")


RATINGS_HEADING = _("Ratings in structured data")
RATINGS_TEXT = _("Each verdict's rating is the number we publish in the structured data of each fact-check (schema.org "
                 "ClaimReview `ratingValue`, on a scale from `worstRating` {worst} to `bestRating` {best}; higher is "
                 "more accurate). A rating of 0 means the claim could not be rated: it is not a point on the scale, "
                 "and never means \"false\".")


def _scale_ratings(site: Site) -> str:
    """For machines, after the scale: what the ratings are."""
    worst, best = rating_bounds(site.scale)
    return (f"## {RATINGS_HEADING}\n\n" + RATINGS_TEXT.format(worst=worst, best=best) + "\n")


def render_scale_page(ctx: RenderContext, intro: str = "") -> str:
    site, here = ctx.site, SCALE_SRC
    grouped = newest_by_verdict(ctx)
    shown = tuple(claim for verdict in ordered(site.scale) for claim in grouped[verdict.id][:LATEST_PER_VERDICT])

    def make() -> str:
        parts = [front_matter(str(SCALE_TITLE), str(SCALE_DESCRIPTION),
                              hide=("navigation", "toc")),  # the one Markdown heading is the last section's
                 f"# {SCALE_TITLE}\n", intro or str(SCALE_INTRO),
                 "", '<div class="fc-scale">']
        for verdict in ordered(site.scale):
            claims = grouped[verdict.id]
            listing = ctx.link(here, verdict_src(verdict.id))
            count = count_text(len(claims))
            newest = claims[:LATEST_PER_VERDICT]
            more = ""
            if len(claims) > len(newest):
                see_all = SEE_ALL.format(count=count, label=verdict.label)
                more = f'<p class="fc-more"><a href="{esc(listing)}">{esc(see_all)}</a></p>'
            parts.append(
                f'<section class="fc-scale__item" id="{esc(verdict.id)}">'
                f'<h2>{badge(verdict, site.scale)}</h2>'
                f'<p class="fc-scale__meaning">{esc(verdict.meaning)}</p>'
                f'<p class="fc-scale__rating">{RATING} <data class="fc-rating" value="{verdict.rank}">{verdict.rank}'
                f'{NOT_RATED if verdict.rank == 0 else ""}</data>. <a href="{esc(listing)}">{count}</a></p>'
                + claim_list(newest, ctx, here) + more
                + "</section>")
        parts += ["</div>", "", _scale_ratings(site)]
        return "\n".join(parts)

    return kept_page(ctx.kept, here, shown, (intro, *(len(grouped[verdict.id]) for verdict in ordered(site.scale))),
                     make)
