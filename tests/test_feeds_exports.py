"""Feeds and exports in the built site: the feeds parse as RSS 2.0 and JSON Feed 1.1 with
absolute URLs, and every claim can be rebuilt from claims.json and from claims.csv."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
import pytest
from building import load
from conftest import CASES, ROOT, SITE_URL, examples
from factcheck_site.content.model import Claim, Site
from factcheck_site.content.prose_links import markdown_with_urls
from factcheck_site.content.publisher import publication_from_config
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.output.exports import (
    CLAIMREVIEW_JSON,
    CLAIMS_CSV,
    CLAIMS_JSON,
    DATAPACKAGE_JSON,
    FORMULA_STARTS,
    claims_csv,
)
from factcheck_site.output.feeds import JSON_FEED_PATH, RSS_PATH
from factcheck_site.output.pieces import KeptPieces, Pieces, json_item, json_with_items
from factcheck_site.plugin import FactcheckPlugin
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
    exported = claims_csv(site, publication).data().decode("utf-8")
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
@given(document=st.dictionaries(st.text(max_size=5), _JSON, max_size=4), items=st.lists(_JSON, max_size=4),
       again=st.lists(_JSON, max_size=4), key=st.text(max_size=5))
def test_a_document_from_its_items_pieces_is_what_json_writes(document: dict[str, Any], items: list[Any],
                                                              again: list[Any], key: str) -> None:
    """A JSON file whose last value is a list, made from its items' pieces (output/pieces.py), is json.dumps(indent=2)
    byte for byte, also with its start and end kept from the build before (mkdocs serve)."""
    kept = KeptPieces()
    document.pop(key, None)
    for listed in (items, again, items):
        expected = json.dumps({**document, key: listed}, ensure_ascii=False, indent=2) + "\n"
        made = json_with_items(document, key, [json_item(item, "\n    ") for item in listed], kept, "file.json")
        assert made.data() == expected.encode("utf-8")
        assert json_with_items(document, key, [json_item(item, "\n    ") for item in listed]) == made


def test_a_file_written_from_its_pieces_holds_them_all(tmp_path: Path) -> None:
    """More pieces than one system call takes (os.writev's IOV_MAX, 1,024 on Linux), written into place whole."""
    parts = [f"{number},".encode() * (number % 7) for number in range(5000)]
    target = tmp_path / "a" / "claims.json"
    Pieces(parts).write(str(target))
    assert target.read_bytes() == b"".join(parts) and [p.name for p in target.parent.iterdir()] == ["claims.json"]


def _data(files: dict[str, Pieces]) -> dict[str, bytes]:
    return {path: pieces.data() for path, pieces in files.items()}


def _edited(site: Site, claim_id: str, **changes: Any) -> Site:
    """site with one claim changed, every other claim and source the same object (as build_site keeps them)."""
    return Site(site.sources, {**site.claims, claim_id: replace(site.claims[claim_id], **changes)}, site.scale,
                committed=site.committed, dispatches=site.dispatches)


def _renamed(site: Site, claim_id: str) -> Site:
    claims = {key: claim for key, claim in site.claims.items() if key != claim_id}
    claims[claim_id + "-renamed"] = replace(site.claims[claim_id], id=claim_id + "-renamed")
    return Site(site.sources, claims, site.scale, committed=site.committed, dispatches=site.dispatches)


def _without(site: Site, claim_id: str) -> Site:
    return Site(site.sources, {k: c for k, c in site.claims.items() if k != claim_id}, site.scale,
                committed=site.committed, dispatches=site.dispatches)


def _added(site: Site, claim_id: str) -> Site:
    copy = replace(site.claims[claim_id], id="added-" + claim_id, published=dt.date(2031, 5, 1))
    return Site(site.sources, {**site.claims, copy.id: copy}, site.scale, committed=site.committed,
                dispatches=site.dispatches)


def _source_retitled(site: Site, claim_id: str) -> Site:
    source = site.claims[claim_id].quotes[0].source
    sources = {**site.sources, source: replace(site.sources[source], title="A new headline", publisher="Другая газета")}
    return Site(sources, site.claims, site.scale, committed=site.committed, dispatches=site.dispatches)


def _committed(site: Site, claim_id: str) -> Site:
    return Site(site.sources, site.claims, site.scale, committed={**site.committed, claim_id: dt.date(2032, 1, 1)},
                dispatches=site.dispatches)


def _relabelled(site: Site, claim_id: str) -> Site:
    scale = tuple(replace(v, label=v.label.upper()) for v in site.scale)
    return Site(site.sources, site.claims, scale, committed=site.committed, dispatches=site.dispatches)


def _linked_claim_changed(site: Site, claim_id: str) -> Site:
    """A claim's text changes: the records of the claims whose prose links to it change with it."""
    linked = next(c for c in site.claims.values() if "](claim:" in (c.analysis or ""))
    target = linked.analysis.split("](claim:", 1)[1].split(")", 1)[0]  # type: ignore[union-attr]
    return _edited(site, target, claim="A new text.")


# Each save, on the site as the saves before left it: (what changed, how, the publication's description and
# organisation name). Under mkdocs serve the data files are then exactly those of a clean build.
SAVES: list[tuple[str, Any, str, str]] = [
    ("nothing", lambda site, claim_id: site, "About", "Desk"),
    ("a claim's summary", lambda site, claim_id: _edited(site, claim_id, summary="A new ruling, & <b>more</b>."),
     "About", "Desk"),
    ("a claim's verdict", lambda site, claim_id: _edited(site, claim_id, verdict="false"), "About", "Desk"),
    ("a claim's dates, which move it to the top", lambda site, claim_id: _edited(
        site, claim_id, published=dt.date(2031, 1, 2), updated=dt.date(2031, 2, 3)), "About", "Desk"),
    ("a claim's last commit", _committed, "About", "Desk"),
    ("a claim added", _added, "About", "Desk"),
    ("a claim renamed", _renamed, "About", "Desk"),
    ("a claim deleted", _without, "About", "Desk"),
    ("a source's title and publisher", _source_retitled, "About", "Desk"),
    ("a claim that others link to", _linked_claim_changed, "About", "Desk"),
    ("the site's description (the feeds' channel)", lambda site, claim_id: site, "Another about", "Desk"),
    ("the organisation's name", lambda site, claim_id: site, "Another about", "Another Desk"),
    ("the verdict scale's labels", _relabelled, "Another about", "Another Desk"),
    ("every claim gone", lambda site, claim_id: Site(site.sources, {}, site.scale), "Another about", "Another Desk"),
]


def test_the_data_files_are_a_clean_builds_after_every_kind_of_save() -> None:
    """Under mkdocs serve each claim's pieces are kept from one build to the next: after each save, every feed and
    export is still byte for byte what a build without them makes."""
    site, problems = load(ROOT / "claims", ROOT / "sources", ROOT)
    assert problems == []
    kept = KeptPieces()
    for number, (save, edit, description, name) in enumerate(SAVES):
        claim_id = sorted(site.claims)[number % len(site.claims)] if site.claims else ""
        site = edit(site, claim_id)
        publication, _ = publication_from_config(SITE_URL, "Desk", description, "en", {"name": name}, True)
        assert publication is not None
        assert _data(render_data_files(site, publication, kept)) == _data(render_data_files(site, publication)), save


def test_a_saved_claim_encodes_only_its_own_pieces() -> None:
    """Under mkdocs serve, a save of one claim makes its own records again, and every other piece of the exports
    is the very one of the last build: nothing else is encoded again, and the exports are not held twice."""
    site, problems = load(ROOT / "claims", ROOT / "sources", ROOT)
    assert problems == []
    publication, _ = publication_from_config(SITE_URL, "Desk", "About", "en", {"name": "Desk"}, True)
    assert publication is not None
    kept = KeptPieces()
    before = render_data_files(site, publication, kept)
    edited = sorted(site.claims)[1]
    site = _edited(site, edited, summary="A new ruling.")
    after = render_data_files(site, publication, kept)
    assert _data(after) == _data(render_data_files(site, publication))
    for path in (CLAIMS_JSON, CLAIMS_CSV):
        new = [part for old, part in zip(before[path].parts, after[path].parts, strict=True) if part is not old]
        assert len(new) == 1 and b"A new ruling." in new[0], path


# Saves in a `mkdocs serve --dirty` session of the repository's site with three claims: (what is saved, the change).
SERVED_SAVES: list[tuple[str, Any]] = [
    ("a page of the site's own", lambda project: _replace(project / "docs" / "about.md", "\n", "\nEdited.\n")),
    ("a claim's summary", lambda project: _replace(sorted((project / "claims").glob("*.yml"))[0], 'summary: "',
                                                  'summary: "Edited: ')),
    ("the site's description, which only the feeds show", lambda project: _replace(
        project / "mkdocs.yml", "site_description: ", "site_description: Edited. ")),
    ("a claim deleted", lambda project: sorted((project / "claims").glob("*.yml"))[-1].unlink()),
]


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_served_save_writes_the_data_files_it_changed_and_only_those(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve --dirty`: after each save, every feed and export in the site folder is what a build without the
    last one's pieces makes, and each that the save did not change is not written again (at 25,000 claims the
    exports are 250 MB); one that changed is renamed into place whole, so the server never sends half a file."""
    from test_incremental import _config, build_once, small_project

    monkeypatch.setenv("SITE_URL", SITE_URL)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project, site_dir = small_project(tmp_path / "project"), tmp_path / "serving"
    plugin = _config(project, site_dir, None).plugins["factcheck"]
    assert isinstance(plugin, FactcheckPlugin)
    plugin.on_startup(command="serve", dirty=True)
    plugin.first_preview = False  # as `mkdocs serve --no-livereload`: the first build has the feeds and exports
    paths = [RSS_PATH, JSON_FEED_PATH, CLAIMS_JSON, CLAIMS_CSV, CLAIMREVIEW_JSON, DATAPACKAGE_JSON]
    try:
        assert build_once(project, site_dir, "serve", True, plugin)[0]
        for save, edit in SERVED_SAVES:
            before = {path: (site_dir / path).read_bytes() for path in paths}
            for path in paths:
                os.utime(site_dir / path, ns=(1, 1))
            edit(project)
            assert build_once(project, site_dir, "serve", True, plugin)[0], save
            assert plugin.site is not None and plugin.publication is not None
            clean = _data(render_data_files(plugin.site, plugin.publication))
            assert {path: (site_dir / path).read_bytes() for path in paths} == clean, save
            rewritten = {path for path in paths if (site_dir / path).stat().st_mtime_ns != 1}
            assert rewritten == {path for path in paths if before[path] != clean[path]}, save
            assert sorted(p.name for p in site_dir.glob("*.part")) == []
    finally:
        plugin.on_shutdown()


def test_a_files_hash_is_taken_up_only_where_its_pieces_are_the_same() -> None:
    """datapackage.json's hash of an export, under mkdocs serve taken up from the last build's hash where the pieces
    are the same, is the file's SHA-256 whatever changed: a piece at the start, in the middle or at the end, a piece
    added or removed, every piece or none."""
    parts = [f"{number:05},".encode() * (50 + number % 97) for number in range(6000)]  # 3.6 MB
    edits: list[Any] = [
        lambda p: p, lambda p: [b"x", *p[1:]], lambda p: [*p[:3000], b"x", *p[3001:]], lambda p: [*p[:-1], b"x"],
        lambda p: [*p[:2000], b"y", *p[2000:]], lambda p: p[:2500] + p[2501:], lambda p: p[:100], lambda p: [b"z"],
        lambda p: [], lambda p: [bytes(len(part)) for part in parts]]
    kept = KeptPieces()
    for edit in edits:
        before = kept.file("claims.csv", Pieces(list(parts))).sha256()
        assert before == hashlib.sha256(b"".join(parts)).hexdigest()
        edited = edit(list(parts))
        assert kept.file("claims.csv", Pieces(edited)).sha256() == hashlib.sha256(b"".join(edited)).hexdigest()
