"""The newest fact-checks as an RSS 2.0 feed and a JSON Feed 1.1, with absolute URLs.

Dates come from the content, never from the clock, so two builds of the same
content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from email.utils import format_datetime
from functools import partial
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from factcheck_site.content.model import Claim, Site
from factcheck_site.content.publisher import Publication
from factcheck_site.output.pieces import KeptPieces, Pieces, json_pieces, json_with_items, text_pieces
from factcheck_site.render.urls import claim_src

FEED_SIZE = 50
RSS_PATH, JSON_FEED_PATH = "feed.xml", "feed.json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# characters XML 1.0 cannot carry at all, even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _xml_html(text: str) -> str:
    """Plain text in an element that readers take as HTML (an item's title and description):
    escaped as HTML, then as XML. Escaped once, `&amp;` would reach the reader as `&` and
    `<img ...>` as an image; feedparser, like many readers, guesses HTML in both elements."""
    return _xml(html.escape(text, quote=False))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def newest(site: Site) -> list[Claim]:
    return site.claims_newest_first()[:FEED_SIZE]


def item_text(claim: Claim, site: Site) -> str:
    """What a feed item says: the verdict, then the ruling."""
    return f"{site.verdicts[claim.verdict].label}: {site.plain(claim.summary)}"


def rss_feed(site: Site, publication: Publication, kept: KeptPieces | None = None) -> Pieces:
    claims = newest(site)
    channel = [
        f"<title>{_xml_html(publication.site_name)}</title>",
        f"<link>{_xml(publication.site_url)}</link>",
        f"<description>{_xml_html(publication.description or publication.site_name)}</description>",
        f"<language>{_xml(publication.language)}</language>",
        f"<atom:link href={quoteattr(publication.file_url(RSS_PATH))} rel=\"self\" type=\"application/rss+xml\"/>",
    ]
    if claims:
        newest_change = max(site.last_changed(c) for c in claims)
        channel.append(f"<lastBuildDate>{format_datetime(_midnight(newest_change), usegmt=True)}</lastBuildDate>")
    head = "\n".join(channel)
    parts = text_pieces(kept, "rss", claims, site, partial(_rss_item, publication))
    parts.insert(0, ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                     f'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n{head}').encode())
    parts.append(b"\n</channel>\n</rss>\n")
    return Pieces(parts)


def _rss_item(publication: Publication, claim: Claim, site: Site) -> str:
    """A claim's item, after the line break that puts it on a line of its own."""
    url = publication.url_of(claim_src(claim.id))
    parts = [f"<title>{_xml_html(claim.claim)}</title>", f"<link>{_xml(url)}</link>",
             f'<guid isPermaLink="true">{_xml(url)}</guid>',
             f"<pubDate>{format_datetime(_midnight(claim.published), usegmt=True)}</pubDate>",
             f"<description>{_xml_html(item_text(claim, site))}</description>",
             *(f"<category>{_xml(tag)}</category>" for tag in claim.tags)]
    return "\n<item>" + "".join(parts) + "</item>"


def json_feed(site: Site, publication: Publication, kept: KeptPieces | None = None) -> Pieces:
    org = publication.organization
    feed = {"version": JSON_FEED_VERSION, "title": publication.site_name, "home_page_url": publication.site_url,
            "feed_url": publication.file_url(JSON_FEED_PATH), "description": publication.description,
            "language": publication.language, "authors": [{"name": org.name, "url": org.url}]}
    items = json_pieces(kept, "feed", newest(site), site, partial(_json_feed_item, publication))
    return json_with_items(feed, "items", items, kept, JSON_FEED_PATH)


def _json_feed_item(publication: Publication, claim: Claim, site: Site) -> dict[str, Any]:
    url = publication.url_of(claim_src(claim.id))
    verdict = site.verdicts[claim.verdict]
    return {"id": url, "url": url, "title": claim.claim, "content_text": item_text(claim, site),
            "summary": site.plain(claim.summary), "date_published": _midnight(claim.published).isoformat(),
            "date_modified": _midnight(site.last_changed(claim)).isoformat(),
            "authors": [{"name": claim.author}], "tags": list(claim.tags),
            "_factcheck": {"claimant": claim.claimant, "claimant_via": site.via_name(claim), "verdict": verdict.id,
                           "verdict_label": verdict.label, "rating": verdict.rank}}
