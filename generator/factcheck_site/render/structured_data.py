"""schema.org ClaimReview for each fact-check, and the Open Graph and Twitter card
meta that link previews use.

The same objects go into each page's <head> and into claimreview.json, so the data
feed and the pages cannot disagree; every value is one the page itself shows.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from factcheck_site.content.model import Claim, Site, Source, names_no_one
from factcheck_site.content.publisher import Organization, Publication
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.language import language
from factcheck_site.render.share_card import HEIGHT, WIDTH, card_alt, card_src, card_text
from factcheck_site.render.urls import claim_src


def rating_bounds(scale: tuple[Verdict, ...]) -> tuple[int, int]:
    """(worstRating, bestRating): the lowest and highest rated verdicts; 0 means not rated and is no point
    on the scale, so an unrated claim can never be read as the most false one."""
    rated = [v.rank for v in scale if v.rank > 0]
    return (min(rated), max(rated)) if rated else (1, 1)


def organization_data(org: Organization) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": org.name, "url": org.url}
    if org.logo:
        data["logo"] = org.logo
    if org.corrections_policy:
        data["correctionsPolicy"] = org.corrections_policy
    if org.methodology:
        data["publishingPrinciples"] = org.methodology
    return data


def review_rating(verdict: Verdict, scale: tuple[Verdict, ...], explanation: str) -> dict[str, Any]:
    """The Rating of a verdict. A rated verdict carries its number on the scale with the scale's ends; an
    unrated one (rank 0, such as "Unverified") carries only its label: Google's ClaimReview documentation
    requires alternateName and only recommends the numbers, and any number would place it on the scale."""
    rating: dict[str, Any] = {"@type": "Rating"}
    if verdict.rank > 0:
        worst, best = rating_bounds(scale)
        rating.update(ratingValue=verdict.rank, bestRating=best, worstRating=worst)
    rating.update(alternateName=verdict.label, ratingExplanation=explanation)
    return rating


def appearance_data(source: Source) -> dict[str, Any]:
    """A source the claim appeared in, as a CreativeWork: its original URL when we have one, always its title,
    and when known its publisher, publication date and archived copy."""
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if source.url:
        work["url"] = source.url
    work["headline"] = source.title
    if source.publisher:  # unknown: nothing stands in for it
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    if source.archived:
        work["archivedAt"] = source.archived
    return work


def first_appearance(sources: list[Source]) -> Source | None:
    """The earliest of the sources a claim appeared in; None unless every one has a publication date,
    since an undated source could be the earlier one."""
    if not sources or any(s.published is None for s in sources):
        return None
    return min(sources, key=lambda s: s.published or dt.date.max)


def claim_author(claim: Claim, site: Site) -> dict[str, Any] | None:
    """Who the data says made the claim: never more than the page can say. When one article alone attributes
    the claim to its claimant (claimant_via), the author is that article's publisher; when the claimant is an
    article, its publisher. A publisher the copy does not name is left out, as is any name that names no one."""
    via = site.via_source(claim)
    if claim.claimant_via:
        name = via.publisher if via else claim.claimant_via
        return None if names_no_one(name) else {"@type": "Organization", "name": name}
    if claim.claimant_source or names_no_one(claim.claimant):
        source = site.sources.get(claim.claimant_source or "")
        return {"@type": "Organization", "name": source.publisher} if source and not names_no_one(
            source.publisher) else None
    return {"@type": "Person" if claim.claimant_type == "person" else "Organization", "name": claim.claimant}


def claim_data(claim: Claim, site: Site) -> dict[str, Any]:
    """The Claim a ClaimReview reviews: who made it, when, and where it appeared."""
    item: dict[str, Any] = {"@type": "Claim"}
    author = claim_author(claim, site)
    if author:
        item["author"] = author
    via = site.via_source(claim)  # a source that relayed the claim is where it appeared, too
    appearances = [site.sources[s] for s in dict.fromkeys([*claim.appeared_in, *([via.id] if via else [])])]
    first = first_appearance(appearances)
    if claim.claim_date:  # the claim's own date or none: an article's date is not when the claimant spoke
        item["datePublished"] = claim.claim_date.isoformat()
    if appearances:
        item["appearance"] = [appearance_data(s) for s in appearances]
    if first:
        item["firstAppearance"] = appearance_data(first)
    return item


def claim_review(claim: Claim, site: Site, publication: Publication, context: bool = True) -> dict[str, Any]:
    """A claim page's ClaimReview; without context, for embedding in a document that sets it (a DataFeed)."""
    verdict = site.verdicts[claim.verdict]
    review: dict[str, Any] = {"@context": "https://schema.org"} if context else {}
    review.update({
        "@type": "ClaimReview",
        "url": publication.url_of(claim_src(claim.id)),
        "claimReviewed": claim.claim,
        "reviewRating": review_rating(verdict, site.scale, site.plain(claim.summary)),
        "itemReviewed": claim_data(claim, site),
        "author": organization_data(publication.organization),
        "datePublished": claim.published.isoformat(),
        "dateModified": site.last_changed(claim).isoformat(),
        "inLanguage": publication.language,
    })
    return review


def script_json(data: Any) -> str:
    """JSON for a <script type="application/ld+json"> element: `<`, `>` and `&` are escaped as JSON
    \\u escapes, so no editor text can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=8)  # one language per site, 25,000 claim pages: CLDR's likely territory looked up once
def _og_locale(code: str) -> str:
    return language(code).og_locale


def social_meta(claim: Claim, site: Site, publication: Publication) -> list[list[str]]:
    """[attribute, name, content] for each <meta> of a claim's link preview, whose image is the claim's
    card (share_card.py): the claim, the verdict and the site's name."""
    verdict = site.verdicts[claim.verdict]
    description = f"{verdict.label}: {site.plain(claim.summary)}"
    url = publication.url_of(claim_src(claim.id))
    card = card_text(claim, site, publication)
    image, alt = publication.file_url(card_src(claim.id, card)), card_alt(card)
    return [
        ["property", "og:type", "article"],
        ["property", "og:locale", _og_locale(publication.language)],
        ["property", "og:site_name", publication.site_name],
        ["property", "og:title", claim.claim],
        ["property", "og:description", description],
        ["property", "og:url", url],
        ["property", "og:image", image],
        ["property", "og:image:type", "image/png"],
        ["property", "og:image:width", str(WIDTH)],
        ["property", "og:image:height", str(HEIGHT)],
        ["property", "og:image:alt", alt],
        ["property", "article:published_time", claim.published.isoformat()],
        ["property", "article:modified_time", site.last_changed(claim).isoformat()],
        *(["property", "article:tag", tag] for tag in claim.tags),
        ["name", "twitter:card", "summary_large_image"],
        ["name", "twitter:title", claim.claim],
        ["name", "twitter:description", description],
        ["name", "twitter:image", image],
        ["name", "twitter:image:alt", alt],
    ]
