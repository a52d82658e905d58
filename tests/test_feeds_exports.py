"""Feeds and exports in the built site: the feeds parse as RSS 2.0 and JSON Feed 1.1 with
absolute URLs, and every claim can be rebuilt from claims.json and from claims.csv."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
from building import load
from conftest import CASES, ROOT, SITE_URL, examples
from factcheck_site.content.model import Claim, Site
from factcheck_site.content.prose_links import markdown_with_urls
from factcheck_site.content.publisher import publication_from_config
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.output.exports import FORMULA_STARTS, JsonMemo, claims_csv, indented_json
from factcheck_site.render.reads import ReadMemo
from factcheck_site.render.site_pages import render_data_files
from hypothesis import given, settings
from hypothesis import strategies as st


def newest_first(site: Site) -> list[Claim]:
    return sorted(site.claims.values(), key=lambda c: (c.published, c.id), reverse=True)


def built_page(site_dir: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site_dir / url[len(SITE_URL):] / "index.html"


def as_text(detail: Any) -> str:
    """What a feed reader shows: feedparser guesses whether an RSS title or description is HTML."""
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


def test_feed_titles_and_descriptions_are_the_editors_text(hostile_site: Path) -> None:
    """`&amp;`, `&lt;b&gt;` and `<img src=https://...>` in a claim come back from feedparser as
    the editor wrote them, never as markup (the title used to be escaped once, the description twice)."""
    from hostile_site import CLAIM_ID, CLAIM_TEXT

    feed = feedparser.parse((hostile_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    entry = next(e for e in feed.entries if e.link.endswith(f"/claims/{CLAIM_ID}/"))
    assert as_text(entry.title_detail) == CLAIM_TEXT["claim"]
    assert as_text(entry.summary_detail) == "False: " + CLAIM_TEXT["summary"]
    assert "&amp;<img src=https://x.example/i.png>" in CLAIM_TEXT["summary"]
    for detail in (entry.title_detail, entry.summary_detail):
        assert detail.type == "text/html" and "<" not in detail.value, "text, never live HTML"
    for other in feed.entries:
        assert "<" not in other.title and "<" not in other.summary


def test_rss_categories_are_the_editors_tags(hostile_site: Path) -> None:
    """A category is plain text in RSS 2.0 (feedparser, like readers, does not read it as HTML), so it is
    escaped once, for XML; markup in a tag comes back as the editor wrote it (issue 24 checked every element:
    title and description are the two a reader takes as HTML)."""
    from hostile_site import CLAIM_ID, TAGS

    feed = feedparser.parse((hostile_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    entry = next(e for e in feed.entries if e.link.endswith(f"/claims/{CLAIM_ID}/"))
    assert [tag.term for tag in entry.tags] == TAGS
    assert feed.feed.title and "<" not in feed.feed.title


def test_rss_feed_parses_with_absolute_links(rich_site: Path, rich_content: Site) -> None:
    feed = feedparser.parse((rich_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Kursk Fact-Check Desk" and feed.feed.link == SITE_URL
    claims = newest_first(rich_content)[:50]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}claims/{c.id}/" for c in claims]
    for entry, claim in zip(feed.entries, claims, strict=True):
        assert built_page(rich_site, entry.link).is_file()
        assert entry.id == entry.link
        assert as_text(entry.title_detail) == claim.claim
        assert entry.summary_detail.type == "text/html" and "<" not in entry.summary, "text, never live HTML"
        assert html.unescape(entry.summary) == f"{rich_content.verdicts[claim.verdict].label}: {claim.summary}"
        assert dt.date(*entry.published_parsed[:3]) == claim.published
        assert [t.term for t in entry.get("tags", [])] == list(claim.tags)
    self_link = [link for link in feed.feed.links if link.rel == "self"]
    assert self_link[0].href == SITE_URL + "feed.xml"


def test_json_feed_has_the_required_fields_of_version_1_1(rich_site: Path, rich_content: Site) -> None:
    feed = json.loads((rich_site / "feed.json").read_text(encoding="utf-8"))
    # Required by https://www.jsonfeed.org/version/1.1/: version, title, items; each item id and rich_content.
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert feed["home_page_url"] == SITE_URL and feed["feed_url"] == SITE_URL + "feed.json"
    assert all(isinstance(a["name"], str) for a in feed["authors"])
    claims = newest_first(rich_content)[:50]
    assert len(feed["items"]) == len(claims)
    for item, claim in zip(feed["items"], claims, strict=True):
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"] == f"{SITE_URL}claims/{claim.id}/" and built_page(rich_site, item["url"]).is_file()
        assert item["title"] == claim.claim
        assert dt.datetime.fromisoformat(item["date_published"]).date() == claim.published
        assert dt.datetime.fromisoformat(item["date_published"]).tzinfo is not None, "RFC 3339 needs an offset"
        assert dt.datetime.fromisoformat(item["date_modified"]).date() >= claim.published
        assert item["tags"] == list(claim.tags) and all(isinstance(t, str) for t in item["tags"])
        assert item["_factcheck"]["verdict"] == claim.verdict
    assert all(k.startswith("_") or k in {"id", "url", "title", "content_text", "summary", "date_published",
                                          "date_modified", "authors", "tags"} for i in feed["items"] for k in i)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def comparable_from_claim(claim: Claim, site: Site) -> dict[str, Any]:
    """A claim as the exports give it: in its prose each link by id is its words or title (docs/data.md), in the
    analysis a Markdown link to the page."""
    def url_of(kind: str, ref_id: str) -> str:
        return f"{SITE_URL}{'sources' if kind == 'source' else 'claims'}/{ref_id}/"

    via = site.via_source(claim)
    return {
        "id": claim.id, "claim": claim.claim, "claim_is_quote": claim.claim_is_quote, "claimant": claim.claimant,
        "claimant_via": site.via_name(claim), "claimant_via_source": via.id if via else None,
        "claimant_type": claim.claimant_type,
        "claim_date": claim.claim_date, "appeared_in": list(claim.appeared_in), "verdict": claim.verdict,
        "summary": site.plain(claim.summary),
        "analysis": claim.analysis and markdown_with_urls(claim.analysis, site.link_text, url_of),
        "tags": list(claim.tags), "author": claim.author, "published": claim.published, "updated": claim.updated,
        "quotes": [(q.source, q.text, q.stance, q.note and site.plain(q.note)) for q in claim.quotes],
        "corrections": [(c.date, site.plain(c.text), c.previous_verdict) for c in claim.corrections],
    }


def comparable_from_record(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"], "claim": record["claim"], "claim_is_quote": record["claim_is_quote"],
        "claimant": record["claimant"], "claimant_via": record["claimant_via"],
        "claimant_via_source": record["claimant_via_source"], "claimant_type": record["claimant_type"],
        "claim_date": _date(record["claim_date"]),
        "appeared_in": record["appeared_in"], "verdict": record["verdict"], "summary": record["summary"],
        "analysis": record["analysis"], "tags": record["tags"], "author": record["author"],
        "published": _date(record["published"]), "updated": _date(record["updated"]),
        "quotes": [(q["source"], q["text"], q["stance"], q["note"]) for q in record["quotes"]],
        "corrections": [(_date(c["date"]), c["text"], c["previous_verdict"]) for c in record["corrections"]],
    }


# The apostrophes the formula guard writes (docs/data.md): where a cell may start, before a formula
# character or an apostrophe.
_GUARD = re.compile("(?:^|(?<=[,;\t\r\n]))([ \"]*)'(?=[=+\\-@\t\r'])")


def read_csv_records(text: str) -> list[dict[str, Any]]:
    """claims.csv back into records, undoing what docs/data.md says the export does."""
    records = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        record: dict[str, Any] = {}
        for key, guarded in row.items():
            cell = _GUARD.sub(r"\1", guarded)
            if key in ("tags", "appeared_in", "sources", "quotes", "corrections"):
                record[key] = json.loads(cell)
            elif key == "rating":
                record[key] = int(cell)
            elif key == "claim_is_quote":
                record[key] = {"True": True, "False": False}[cell]
            else:
                record[key] = cell if cell != "" else None
        records.append(record)
    return records


def test_claims_json_round_trips_every_claim(rich_site: Path, rich_content: Site) -> None:
    data = json.loads((rich_site / "claims.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    records = data["claims"]
    assert [r["id"] for r in records] == [c.id for c in newest_first(rich_content)]
    for record in records:
        claim = rich_content.claims[record["id"]]
        assert comparable_from_record(record) == comparable_from_claim(claim, rich_content)
        assert record["url"] == f"{SITE_URL}claims/{claim.id}/"
        assert record["verdict_label"] == rich_content.verdicts[claim.verdict].label
        assert record["rating"] == rich_content.verdicts[claim.verdict].rank
        assert record["sources"] == list(dict.fromkeys(q.source for q in claim.quotes))
        assert _date(record["last_changed"]) >= claim.last_changed
    sources = {s["id"]: s for s in data["sources"]}
    assert set(sources) == set(rich_content.sources)
    for source in rich_content.sources.values():
        record = sources[source.id]
        assert (record["title"], record["publisher"], record["url"], record["archived"], record["language"]) == \
            (source.title, source.publisher, source.url, source.archived, source.language)
        assert built_page(rich_site, record["page_url"]).is_file()
    assert {v["id"]: v["rating"] for v in data["verdicts"]} == {v.id: v.rank for v in DEFAULT_SCALE}


def test_claims_csv_round_trips_every_claim(rich_site: Path, rich_content: Site) -> None:
    records = read_csv_records((rich_site / "claims.csv").read_text(encoding="utf-8"))
    json_records = json.loads((rich_site / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert len(records) == len(rich_content.claims)
    for record, json_record in zip(records, json_records, strict=True):
        assert comparable_from_record(record) == comparable_from_claim(rich_content.claims[record["id"]], rich_content)
        assert record == {key: json_record[key] for key in record}, "the CSV says what claims.json says"


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    text = (CASES / "good-claims" / "minimal.yml").read_text(encoding="utf-8")
    text = text.replace('claim: "The regiment', 'claim: "=HYPERLINK(\\"http://evil.example\\") The regiment')
    text = text.replace('summary: "Only', 'summary: "-5 and @ and +1: only; =cmd|\' /C calc\'!A0; and, +2,  \\"-3 and')
    text = text.replace("author: Fact-check desk", 'author: "Desk;@SUM(1)\\t=1"\ntags: ["a;=cmd", "b, -1", "\'=c"]')
    (claims / "formula.yml").write_text(text, encoding="utf-8")
    site, problems = load(claims, ROOT / "sources", tmp_path)
    assert problems == []
    publication, _ = publication_from_config(SITE_URL, "Desk", "", "en", {}, True)
    exported = claims_csv(site, publication)
    # issue 24: read as a spreadsheet in any locale may read it, splitting cells on a comma, a semicolon or a
    # tab, with or without honouring quotes, no cell starts a formula
    for delimiter in (",", ";", "\t"):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            rows = list(csv.reader(io.StringIO(exported, newline=""), delimiter=delimiter, quoting=quoting))
            for cell in (cell.lstrip(' "') for row in rows for cell in row):
                assert not cell.startswith(FORMULA_STARTS), (delimiter, quoting, cell)
    [record] = read_csv_records(exported)
    claim = site.claims["formula"]
    assert (record["claim"], record["summary"], record["author"]) == (claim.claim, claim.summary, claim.author)
    assert record["tags"] == list(claim.tags)


def test_exports_of_the_repository_site_cover_every_claim(built_site: Path) -> None:
    site, problems = load(ROOT / "claims", ROOT / "sources", ROOT)
    assert problems == []
    data = json.loads((built_site / "claims.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in data["claims"]} == set(site.claims)
    for record in data["claims"]:
        assert comparable_from_record(record) == comparable_from_claim(site.claims[record["id"]], site)


def test_data_files_are_documented_for_researchers() -> None:
    from factcheck_site.output.exports import CSV_COLUMNS

    page = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name in ("feed.xml", "feed.json", "claims.json", "claims.csv", "claimreview.json", "datapackage.json"):
        assert f"]({name})" in page, name
    for column in CSV_COLUMNS:
        assert f"`{column}`" in page, column
    assert "`, `".join(CSV_COLUMNS) in page.replace("\n", " "), "the CSV column order is documented"


def test_rss_guids_are_permalinks(rich_site: Path) -> None:
    text = (rich_site / "feed.xml").read_text(encoding="utf-8")
    assert text.count(f'<guid isPermaLink="true">{SITE_URL}claims/') == text.count("<item>") > 0


def test_every_page_lets_a_feed_reader_discover_both_feeds(built_site: Path) -> None:
    """Autodiscovery as feed readers do it: a <link> whose rel tokens include "alternate", with the feed's type."""
    from bs4 import BeautifulSoup

    for page in (built_site / "index.html", built_site / "claims" / "deployment-lasted-120-days" / "index.html"):
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        found = {link["type"]: (page.parent / link["href"]).resolve() for link in head.find_all("link")
                 if "alternate" in link.get("rel", []) and link.get("type", "").endswith(("rss+xml", "feed+json"))}
        assert found.keys() == {"application/rss+xml", "application/feed+json"}, page
        assert feedparser.parse(found["application/rss+xml"].read_text(encoding="utf-8")).entries
        assert json.loads(found["application/feed+json"].read_text(encoding="utf-8"))["items"]


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                     max_leaves=30)


@settings(max_examples=examples(100, 300), deadline=None)
@given(value=_JSON, again=_JSON)
def test_the_serve_memo_writes_exactly_what_json_writes(value: Any, again: Any) -> None:
    """indented_json with a memo (mkdocs serve) is json.dumps(indent=2), also for lists of records it has seen."""
    memo = JsonMemo()
    for item in (value, {"items": [value, again, {"k": value}]}, [{"a": again}, {"b": [value]}], value):
        assert indented_json(item, memo) == json.dumps(item, ensure_ascii=False, indent=2)
        memo.next_build()


def test_the_data_files_are_the_same_when_served() -> None:
    """Every feed and export, built twice with the memo as mkdocs serve builds them, and once without."""
    site, problems = load(ROOT / "claims", ROOT / "sources", ROOT)
    assert problems == []
    publication, _ = publication_from_config(SITE_URL, "Desk", "About", "en", {"name": "Desk"}, True)
    assert publication is not None
    plain = render_data_files(site, publication)
    memo, reads = JsonMemo(), ReadMemo()
    assert render_data_files(site, publication, memo, reads) == plain
    assert render_data_files(site, publication, memo, reads) == plain
    assert memo.last and len(memo.last) >= len(site.claims) and len(reads.entries) == 3 * len(site.claims)
    # A claim's text changes: the records of the claims whose prose links to it change with it.
    linked = next(c for c in site.claims.values() if "](claim:" in (c.analysis or ""))
    target = linked.analysis.split("](claim:", 1)[1].split(")", 1)[0]  # type: ignore[union-attr]
    edited = Site(site.sources, {**site.claims, target: replace(site.claims[target], claim="A new text.")},
                  site.scale, committed={linked.id: dt.date(2031, 1, 1)})
    assert render_data_files(edited, publication, memo, reads) == render_data_files(edited, publication)
    # Another verdict scale: every record changes (the labels and ratings in them).
    relabelled = tuple(replace(v, label=v.label.upper()) for v in edited.scale)
    rescaled = Site(edited.sources, edited.claims, relabelled, committed=edited.committed)
    assert render_data_files(rescaled, publication, memo, reads) == render_data_files(rescaled, publication)
