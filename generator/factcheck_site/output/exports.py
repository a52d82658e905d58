"""Every claim as data for researchers: claims.json, claims.csv and claimreview.json.

The exports carry every field an editor wrote, so a claim can be rebuilt from them;
docs/data.md describes each field, and a test keeps the two in step.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.content.publisher import Publication
from factcheck_site.render.structured_data import claim_review, organization_data, rating_bounds
from factcheck_site.render.urls import claim_src, source_src

EXPORT_VERSION = 1
CLAIMS_JSON, CLAIMS_CSV, CLAIMREVIEW_JSON = "claims.json", "claims.csv", "claimreview.json"
# Spreadsheet programs run a cell that starts with one of these as a formula; editors' text is untrusted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _date(day: Any) -> str | None:
    return day.isoformat() if day else None


def source_record(source: Source, publication: Publication) -> dict[str, Any]:
    return {"id": source.id, "page_url": publication.url_of(source_src(source.id)), "title": source.title,
            "publisher": source.publisher, "url": source.url, "archived": source.archived,
            "published": _date(source.published), "retrieved": _date(source.retrieved), "language": source.language}


def claim_record(claim: Claim, site: Site, publication: Publication) -> dict[str, Any]:
    verdict = site.verdicts[claim.verdict]
    return {
        "id": claim.id,
        "url": publication.url_of(claim_src(claim.id)),
        "claim": claim.claim,
        "claimant": claim.claimant,
        "claimant_type": claim.claimant_type,
        "claim_date": _date(claim.claim_date),
        "appeared_in": list(claim.appeared_in),
        "verdict": verdict.id,
        "verdict_label": verdict.label,
        "rating": verdict.rank,
        "summary": claim.summary,
        "analysis": claim.analysis,
        "tags": list(claim.tags),
        "author": claim.author,
        "published": _date(claim.published),
        "updated": _date(claim.updated),
        "last_changed": _date(site.last_changed(claim)),
        "sources": list(dict.fromkeys(q.source for q in claim.quotes)),
        "quotes": [{"source": q.source, "text": q.text, "stance": q.stance, "note": q.note} for q in claim.quotes],
        "corrections": [{"date": _date(c.date), "text": c.text, "previous_verdict": c.previous_verdict}
                        for c in claim.corrections],
    }


def claims_json(site: Site, publication: Publication) -> str:
    worst, best = rating_bounds(site.scale)
    data = {
        "version": EXPORT_VERSION,
        "site": {"name": publication.site_name, "url": publication.site_url,
                 "organization": organization_data(publication.organization)},
        "rating_scale": {"worst": worst, "best": best, "not_rated": 0},
        "verdicts": [{"id": v.id, "label": v.label, "meaning": v.meaning, "rating": v.rank} for v in site.scale],
        "sources": [source_record(site.sources[s], publication) for s in sorted(site.sources)],
        "claims": [claim_record(c, site, publication) for c in site.claims_newest_first()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# claims.csv: one row per claim; list columns hold JSON arrays, empty cells mean "not given"
CSV_COLUMNS = ("id", "url", "claim", "claimant", "claimant_type", "claim_date", "verdict", "verdict_label", "rating",
               "summary", "author", "published", "updated", "last_changed", "tags", "appeared_in", "sources",
               "quotes", "corrections", "analysis")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def claims_csv(site: Site, publication: Publication) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in site.claims_newest_first():
        record = claim_record(claim, site, publication)
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def claimreview_json(site: Site, publication: Publication) -> str:
    """The ClaimReview of every claim page, newest first: the same objects as in the pages."""
    reviews = [claim_review(c, site, publication) for c in site.claims_newest_first()]
    return json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
