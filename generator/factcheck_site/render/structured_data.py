"""schema.org ClaimReview for each fact-check, and the Open Graph and Twitter card
meta that link previews use.

The same objects go into each page's <head> and into claimreview.json, so the data
feed and the pages cannot disagree; every value is one the page itself shows.
"""

from __future__ import annotations

import json
from typing import Any

from factcheck_site.content.model import Claim, Site
from factcheck_site.content.publisher import Organization, Publication
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.render.urls import claim_src

RASTER_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # what link previews can show


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


def claim_review(claim: Claim, site: Site, publication: Publication) -> dict[str, Any]:
    verdict = site.verdicts[claim.verdict]
    worst, best = rating_bounds(site.scale)
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": "Person" if claim.claimant_type == "person" else "Organization", "name": claim.claimant},
    }
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    appearances = [site.sources[s] for s in claim.appeared_in]
    if any(s.url for s in appearances):
        item["appearance"] = [{"@type": "CreativeWork", "url": s.url, "headline": s.title,
                               "publisher": {"@type": "Organization", "name": s.publisher}}
                              for s in appearances if s.url]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": publication.url_of(claim_src(claim.id)),
        "claimReviewed": claim.claim,
        "reviewRating": {"@type": "Rating", "ratingValue": verdict.rank, "bestRating": best, "worstRating": worst,
                         "alternateName": verdict.label, "ratingExplanation": claim.summary},
        "itemReviewed": item,
        "author": organization_data(publication.organization),
        "datePublished": claim.published.isoformat(),
        "dateModified": site.last_changed(claim).isoformat(),
    }


def script_json(data: Any) -> str:
    """JSON for a <script type="application/ld+json"> element: `<`, `>` and `&` are escaped as JSON
    \\u escapes, so no editor text can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def social_meta(claim: Claim, site: Site, publication: Publication) -> list[list[str]]:
    """[attribute, name, content] for each <meta> of a claim's link preview."""
    verdict = site.verdicts[claim.verdict]
    description = f"{verdict.label}: {claim.summary}"
    url = publication.url_of(claim_src(claim.id))
    meta = [
        ["property", "og:type", "article"],
        ["property", "og:site_name", publication.site_name],
        ["property", "og:title", claim.claim],
        ["property", "og:description", description],
        ["property", "og:url", url],
        ["property", "article:published_time", claim.published.isoformat()],
        ["property", "article:modified_time", site.last_changed(claim).isoformat()],
        *(["property", "article:tag", tag] for tag in claim.tags),
        ["name", "twitter:card", "summary"],
        ["name", "twitter:title", claim.claim],
        ["name", "twitter:description", description],
    ]
    logo = publication.organization.logo
    if logo and logo.lower().endswith(RASTER_IMAGE_SUFFIXES):
        meta += [["property", "og:image", logo], ["name", "twitter:image", logo]]
    return meta

