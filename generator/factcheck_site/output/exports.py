"""Every claim as data for researchers: claims.json, claims.csv and claimreview.json.

The exports carry every field an editor wrote, so a claim can be rebuilt from them;
docs/data.md describes each field, and a test keeps the two in step.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from factcheck_site.content.formats import SLUG_PATTERN
from factcheck_site.content.model import Claim, Site, Source
from factcheck_site.content.prose_links import SOURCE, markdown_with_urls
from factcheck_site.content.publisher import Publication
from factcheck_site.content.reporting_lines import lines_by_stance
from factcheck_site.output.pieces import KeptPieces, Pieces, json_pieces, json_with_items, text_pieces
from factcheck_site.render.structured_data import claim_review, organization_data, rating_bounds
from factcheck_site.render.urls import claim_src, source_src

EXPORT_VERSION = 1
CLAIMS_JSON, CLAIMS_CSV, CLAIMREVIEW_JSON = "claims.json", "claims.csv", "claimreview.json"
DATAPACKAGE_JSON = "datapackage.json"  # Frictionless Data Package describing claims.csv and claims.json
# Spreadsheet programs run a cell that starts with one of these as a formula; editors' text is untrusted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a cell: at the start of a field, and after any character it may be told to
# split on (comma, semicolon, tab; a line break where a reader ignores quotes), with spaces and quote marks
# before the cell's first character. A spreadsheet in a German or French locale reads claims.csv with ';'
# as the separator, and `…;=cmd|' /C calc'!A0;` in a claim became a cell starting with '='.
_CELL_START = re.compile("(?:^|(?<=[,;\t\r\n]))([ \"]*)(?=[=+\\-@\t\r'])")


def _date(day: Any) -> str | None:
    return day.isoformat() if day else None


def source_record(source: Source, publication: Publication) -> dict[str, Any]:
    return {"id": source.id, "page_url": publication.url_of(source_src(source.id)), "title": source.title,
            "publisher": source.publisher, "url": source.url, "archived": source.archived,
            "published": _date(source.published), "retrieved": _date(source.retrieved), "language": source.language,
            "reproduces": list(source.reproduces)}


def _page_url(publication: Publication) -> Callable[[str, str], str]:
    return lambda kind, ref_id: publication.url_of(source_src(ref_id) if kind == SOURCE else claim_src(ref_id))


def claim_record(claim: Claim, site: Site, publication: Publication) -> dict[str, Any]:
    """A claim's fields; in its prose each link to a source or claim by id is its words or title (in the
    analysis, a Markdown link to the page)."""
    verdict = site.verdicts[claim.verdict]
    via = site.via_source(claim)
    analysis = claim.analysis and markdown_with_urls(claim.analysis, site.link_text, _page_url(publication))
    return {
        "id": claim.id,
        "url": publication.url_of(claim_src(claim.id)),
        "claim": claim.claim,
        "claim_is_quote": claim.claim_is_quote,
        "claimant": claim.claimant,
        "claimant_via": site.via_name(claim),
        "claimant_via_source": via.id if via else None,
        "claimant_source": claim.claimant_source,
        "claimant_type": claim.claimant_type,
        "claim_date": _date(claim.claim_date),
        "appeared_in": list(claim.appeared_in),
        "verdict": verdict.id,
        "verdict_label": verdict.label,
        "rating": verdict.rank,
        "summary": site.plain(claim.summary),
        "analysis": analysis,
        "tags": list(claim.tags),
        "author": claim.author,
        "published": _date(claim.published),
        "imported_from": claim.imported_from,
        "updated": _date(claim.updated),
        "last_changed": _date(site.last_changed(claim)),
        "sources": list(dict.fromkeys(q.source for q in claim.quotes)),
        "quotes": [{"source": q.source, "text": q.text, "stance": q.stance, "note": q.note and site.plain(q.note),
                    "states_claim_date": q.states_claim_date,
                    "reproduces": list(q.reproduces) if q.reproduces is not None else None}
                   for q in claim.quotes],
        "reporting_lines": {stance: len(lines) for stance, lines in lines_by_stance(claim, site.sources).items()},
        "corrections": [{"date": _date(c.date), "text": site.plain(c.text), "previous_verdict": c.previous_verdict}
                        for c in claim.corrections],
    }


def claims_json(site: Site, publication: Publication, kept: KeptPieces | None = None) -> Pieces:
    worst, best = rating_bounds(site.scale)
    data = {
        "version": EXPORT_VERSION,
        "site": {"name": publication.site_name, "url": publication.site_url,
                 "organization": organization_data(publication.organization)},
        "rating_scale": {"worst": worst, "best": best, "not_rated": 0},
        "verdicts": [{"id": v.id, "label": v.label, "meaning": v.meaning, "rating": v.rank} for v in site.scale],
        "sources": [source_record(site.sources[s], publication) for s in sorted(site.sources)],
    }
    records = json_pieces(kept, "record", site.claims_newest_first(), site,
                          lambda c, s: claim_record(c, s, publication))
    return json_with_items(data, "claims", records, kept, CLAIMS_JSON)


# claims.csv: one row per claim; list columns hold JSON arrays, empty cells mean "not given"
CSV_COLUMNS = ("id", "url", "claim", "claimant", "claimant_type", "claim_date", "verdict", "verdict_label", "rating",
               "summary", "author", "published", "updated", "last_changed", "tags", "appeared_in", "sources",
               "quotes", "corrections", "analysis", "claimant_via", "claimant_via_source", "claim_is_quote")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return guarded(text)


def guarded(text: str) -> str:
    """Text no spreadsheet can run as a formula, whatever it splits cells on: an apostrophe before every
    formula character (and apostrophe) that could start a cell (FORMULA_GUARD says how to undo it)."""
    return _CELL_START.sub("\\1'", text)


def claims_csv(site: Site, publication: Publication, kept: KeptPieces | None = None) -> Pieces:
    rows = text_pieces(kept, "csv", site.claims_newest_first(), site, partial(_claim_row, publication))
    rows.insert(0, _CSV_HEADER)
    return kept.file(CLAIMS_CSV, Pieces(rows)) if kept is not None else Pieces(rows)


def _claim_row(publication: Publication, claim: Claim, site: Site) -> str:
    record = claim_record(claim, site, publication)
    return _csv_row([_cell(record[column]) for column in CSV_COLUMNS])


def _csv_row(cells: Sequence[str]) -> str:
    """One row as csv.writer writes it (it keeps nothing from one row to the next)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


_CSV_HEADER = _csv_row(CSV_COLUMNS).encode("utf-8")


def claimreview_json(site: Site, publication: Publication, kept: KeptPieces | None = None) -> Pieces:
    """A schema.org DataFeed of the claim pages' ClaimReviews, newest first: the container in which
    Data Commons publishes the ClaimReview markup made with Google's Fact Check Markup Tool, so tools
    that read that feed read this one. Each DataFeedItem is dated like its page and holds its ClaimReview."""
    claims = site.claims_newest_first()
    changed = max(map(site.last_changed, claims), default=None)
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{publication.site_name}: fact-checks (ClaimReview)",
        "url": publication.file_url(CLAIMREVIEW_JSON),
        "publisher": organization_data(publication.organization),
    }
    if changed:
        feed["dateModified"] = changed.isoformat()
    items = json_pieces(kept, "review", claims, site, partial(_feed_item, publication))
    return json_with_items(feed, "dataFeedElement", items, kept, CLAIMREVIEW_JSON)


def _feed_item(publication: Publication, claim: Claim, site: Site) -> dict[str, Any]:
    return {"@type": "DataFeedItem", "dateCreated": claim.published.isoformat(),
            "dateModified": site.last_changed(claim).isoformat(),
            "item": claim_review(claim, site, publication, context=False)}


# datapackage.json: the contract of claims.csv and claims.json as a Frictionless Data Package
# (https://datapackage.org/), so `frictionless validate datapackage.json` checks every row.
FORMULA_GUARD = ("Spreadsheet programs run a cell that starts with =, +, -, @, a tab or a carriage return as a "
                 "formula, and may split cells on a comma, a semicolon or a tab: so an apostrophe (') is written "
                 "before each of those characters, and each apostrophe, that could start a cell: at the start of "
                 "a cell, or after a comma, semicolon, tab or line break and any spaces and double quotes. To "
                 "recover the text, drop each apostrophe in such a place that is followed by one of those "
                 "characters or by an apostrophe.")
# What the guard guarantees: no cell a spreadsheet may make (see _CELL_START) starts with a formula character.
_UNGUARDED = r'(?![ "]*[=+\-@\t\r])(?:[^,;\t\r\n]|[,;\t\r\n](?![ "]*[=+\-@\t\r]))*'
_CSV_FIELDS: dict[str, tuple[str, str]] = {  # column: (Table Schema type, description)
    "id": ("string", "The fact-check's identifier; also the last part of its address."),
    "url": ("string", "The fact-check's page."),
    "claim": ("string", "The claim as made."),
    "claimant": ("string", "Who made the claim."),
    "claimant_type": ("string", "Whether the claimant is an organization or a person."),
    "claim_date": ("date", "When the claim was made; empty if not known."),
    "verdict": ("string", "The verdict's id on the verdict scale."),
    "verdict_label": ("string", "The verdict as shown on the page."),
    "rating": ("integer", "The verdict's rating: higher is more accurate; 0 means not rated (not on the scale)."),
    "summary": ("string", "The ruling in one or two sentences."),
    "author": ("string", "Who wrote the fact-check."),
    "published": ("date", "When the fact-check was first published."),
    "updated": ("date", "When the editors last updated it; empty if they did not say."),
    "last_changed": ("date", "When it last changed: the later of its file's last commit and the dates above."),
    "tags": ("array", "Topics, as a JSON array of texts."),
    "appeared_in": ("array", "Ids of the sources in which the claim itself appeared, as a JSON array."),
    "sources": ("array", "Ids of the sources quoted, in order of first quote, as a JSON array."),
    "quotes": ("array", "The evidence, as in claims.json: a JSON array of {source, text, stance, note}."),
    "corrections": ("array", "As in claims.json: a JSON array of {date, text, previous_verdict}."),
    "analysis": ("string", "The reasoning, in Markdown; empty if none. Links to sources and fact-checks lead to "
                 "their pages."),
    "claimant_via": ("string", "Whose report it is that the claimant made the claim (according to): a name, or the "
                     "publisher of the source in claimant_via_source (the article, by its headline, when the copy we "
                     "hold does not name its publisher); empty if the claimant was not relayed."),
    "claimant_via_source": ("string", "The id of the source that relayed the claim, when it is one of the sources; "
                            "else empty."),
    "claim_is_quote": ("boolean", "True when the claim is the claimant's exact words, found in a source it appeared "
                       "in (shown in quotation marks); false when it is the claim in the fact-checkers' words."),
}
_REQUIRED = {"id", "url", "claim", "claimant", "claimant_type", "verdict", "verdict_label", "rating", "summary",
             "author", "published", "last_changed", "tags", "appeared_in", "sources", "quotes", "corrections",
             "claim_is_quote"}


def _csv_schema(site: Site) -> dict[str, Any]:
    worst_best = [v.rank for v in site.scale]
    fields = []
    for column in CSV_COLUMNS:
        kind, description = _CSV_FIELDS[column]
        constraints: dict[str, Any] = {"required": True} if column in _REQUIRED else {}
        if column == "id":
            constraints.update(unique=True, pattern=SLUG_PATTERN.removeprefix("^").removesuffix("$"))
        elif column == "claimant_via_source":
            constraints["pattern"] = SLUG_PATTERN.removeprefix("^").removesuffix("$")
        elif column == "claimant_type":
            constraints["enum"] = ["organization", "person"]
        elif column == "verdict":
            constraints["enum"] = [v.id for v in site.scale]
        elif column == "verdict_label":
            constraints["enum"] = [v.label for v in site.scale]
        elif column == "rating":
            constraints.update(minimum=0, maximum=max(worst_best, default=0))
        elif kind == "string":
            constraints["pattern"] = _UNGUARDED
            if column in ("claim", "claimant", "summary", "author", "analysis", "claimant_via"):
                description += " " + "Written with the spreadsheet-formula guard (see the resource's description)."
        field: dict[str, Any] = {"name": column, "type": kind, "description": description}
        if column == "url":
            field["format"] = "uri"
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def _integrity(content: Pieces) -> dict[str, Any]:
    return {"bytes": content.size(), "hash": "sha256:" + content.sha256()}


def datapackage_json(site: Site, publication: Publication, claims_json_pieces: Pieces,
                     claims_csv_pieces: Pieces) -> Pieces:
    """datapackage.json for the exports built from the same site, sized and hashed from their pieces."""
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "factcheck-claims",
        "title": f"{publication.site_name}: fact-checks",
        "description": "Every fact-check on the site with its verdict, dates, sources, quotes and corrections, "
                       "rebuilt with the site. Field by field: " + publication.url_of("data.md"),
        "homepage": publication.site_url,
        "version": str(EXPORT_VERSION),
        "resources": [
            {
                "name": "claims-csv",
                "type": "table",
                "path": CLAIMS_CSV,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": "One row per fact-check, newest first. List columns hold JSON arrays exactly as in "
                               "claims.json. " + FORMULA_GUARD,
                "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                            "doubleQuote": True},
                "schema": _csv_schema(site),
                **_integrity(claims_csv_pieces),
            },
            {
                "name": "claims-json",
                "type": "json",
                "path": CLAIMS_JSON,
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "The same fact-checks as one JSON object with the site, the verdict scale and every "
                               "source; the format's version is its `version` field.",
                **_integrity(claims_json_pieces),
            },
        ],
    }
    return Pieces.of(json.dumps(package, ensure_ascii=False, indent=2) + "\n")
