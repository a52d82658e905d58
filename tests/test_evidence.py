"""Evidence in context: source pages highlight every quoted passage and link back to the
fact-checks quoting it; quotes link to their passage here and, by text fragment, in the
original article. Read from the HTML of a real `mkdocs build --strict`."""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from factcheck_site.content.model import Site
from factcheck_site.content.quote_matching import normalize, split_omissions
from factcheck_site.render.text_fragment import encode_text, text_fragment_url
from hypothesis import given
from hypothesis import strategies as st


@functools.lru_cache(maxsize=64)
def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed once: the tests only read it (a source page is asked for once per quote)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def words(text: str) -> str:
    return " ".join(text.split())


def resolve(site_dir: Path, page: Path, href: str) -> tuple[Path, str]:
    """The built file and fragment a relative link from a page leads to."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, href
    target = posixpath.normpath(posixpath.join(page.parent.relative_to(site_dir).as_posix(), parts.path))
    path = site_dir / target
    return (path / "index.html" if path.is_dir() else path), parts.fragment


def marked_text_from(anchor: Tag) -> str:
    """The highlighted text that starts at a quote's anchor and runs on through adjacent <mark>s,
    without white space (a paragraph break inside a passage leaves none in the HTML)."""
    collected = []
    for node in anchor.next_elements:
        if not isinstance(node, NavigableString) or not node.strip():
            continue
        if node.find_parent("mark") is None:
            if node.find_parent("sup") is not None:
                continue
            break
        collected.append(str(node))
    return "".join("".join(collected).split())


def test_every_quote_is_highlighted_in_its_source_and_links_back(rich_site: Path, rich_content: Site) -> None:
    checked = 0
    for claim in rich_content.claims.values():
        claim_page = rich_site / "claims" / claim.id / "index.html"
        for number, quote in enumerate(claim.quotes, 1):
            anchor_id = f"q-{claim.id}-{number}"
            source_page = rich_site / "sources" / quote.source / "index.html"
            page = soup(source_page)
            anchors = page.find_all(id=anchor_id)
            assert len(anchors) == 1, f"{anchor_id} on {source_page}"
            anchor = anchors[0]
            following = anchor.find_next_sibling(lambda tag: "fc-anchor" not in tag.get("class", []))
            assert following.name == "mark", "the anchor sits right before its highlight"
            first_passage = rich_content.sources[quote.source].text[slice(*quote.spans[0])]
            assert marked_text_from(anchor).startswith("".join(first_passage.split())), anchor_id

            # somewhere in the snapshot a link leads back to this claim's quote, and it exists there
            back = [a for a in page.select(".fc-snapshot a")
                    if resolve(rich_site, source_page, a["href"]) == (claim_page, anchor_id)]
            assert back, f"no link back to {claim.id}#{anchor_id} on {source_page}"
            assert soup(claim_page).find(id=anchor_id) is not None

            # and the claim page links to the highlight
            shown = soup(claim_page).find(id=anchor_id).select_one("a.fc-quote__in-source")
            assert resolve(rich_site, claim_page, shown["href"]) == (source_page, anchor_id)
            checked += 1
    assert checked > 100


def test_numbered_links_after_a_passage_match_the_cited_by_list(rich_site: Path, rich_content: Site) -> None:
    for source in rich_content.sources.values():
        page_path = rich_site / "sources" / source.id / "index.html"
        page = soup(page_path)
        citing = rich_content.citing(source.id)
        listed = page.select("ol.fc-citing > li")
        assert [resolve(rich_site, page_path, li.select_one("a.fc-item__claim")["href"])[0] for li in listed] == \
            [rich_site / "claims" / c.id / "index.html" for c in citing]
        assert [li.select_one(".fc-badge").get_text() for li in listed] == \
            [rich_content.verdicts[c.verdict].label for c in citing]
        dates = [li.find("time")["datetime"] for li in listed]
        assert dates == sorted(dates, reverse=True), "newest first"
        numbers = {li["value"]: rich_site / "claims" / c.id / "index.html"
                   for li, c in zip(listed, citing, strict=True)}
        quoting = {c.id for c in citing if any(q.source == source.id for q in c.quotes)}
        referenced = set()
        for ref in page.select(".fc-snapshot .fc-refs a"):
            target, _ = resolve(rich_site, page_path, ref["href"])
            assert numbers[ref.get_text()] == target, "a ref's number is its claim's number in 'Cited by'"
            referenced.add(target.parent.name)
        assert referenced == quoting


def test_overlapping_quotes_each_get_a_back_link(rich_site: Path, rich_content: Site) -> None:
    """Several claims quote the same sentence; every one of them is reachable from it."""
    page_path = rich_site / "sources" / "dprk-soldiers-return-home" / "index.html"
    page = soup(page_path)
    quoting = [(c, n) for c in rich_content.claims.values() for n, q in enumerate(c.quotes, 1)
               if q.source == "dprk-soldiers-return-home" and "three months" in q.text]
    assert len({c.id for c, _ in quoting}) >= 3
    refs = {resolve(rich_site, page_path, a["href"])[0].parent.name for a in page.select(".fc-refs a")}
    assert {c.id for c, _ in quoting} <= refs


def test_text_fragment_links_decode_back_to_their_quotes(rich_site: Path, rich_content: Site) -> None:
    checked = omissions = 0
    for claim in rich_content.claims.values():
        page = soup(rich_site / "claims" / claim.id / "index.html")
        for number, quote in enumerate(claim.quotes, 1):
            source = rich_content.sources[quote.source]
            link = page.find(id=f"q-{claim.id}-{number}").select_one("a.fc-quote__original")
            assert source.url and link is not None
            href = link["href"]
            base, separator, directive = href.partition(":~:text=")
            assert separator, href
            assert base == (source.url if "#" in source.url else source.url + "#")
            encoded = directive.split(",")
            assert len(encoded) == (1 if len(quote.spans) == 1 else 2)
            for part in encoded:
                assert not set(part) & set("-&, #'\"<>"), f"syntax characters must be percent-encoded: {part}"
            decoded = [unquote(part) for part in encoded]
            passages = [words(source.text[s:e]) for s, e in quote.spans]
            quote_parts = split_omissions(quote.text)
            assert decoded == ([passages[0]] if len(passages) == 1 else [passages[0], passages[-1]])
            assert normalize(decoded[0]).text == quote_parts[0]
            assert normalize(decoded[-1]).text == quote_parts[-1]
            omissions += len(quote.spans) > 1
            checked += 1
    assert checked > 100 and omissions >= 1


def test_archived_copy_is_shown_next_to_the_original(rich_site: Path, rich_content: Site) -> None:
    for source in rich_content.sources.values():
        page = soup(rich_site / "sources" / source.id / "index.html")
        meta = {dt.get_text(): dd for dt, dd in zip(page.select(".fc-source__meta dt"),
                                                   page.select(".fc-source__meta dd"), strict=True)}
        assert meta["Original"].a["href"] == source.url
        if source.archived:
            assert meta["Archived copy"].a["href"] == source.archived
        else:
            assert "Archived copy" not in meta
    page = soup(rich_site / "claims" / "deployment-lasted-120-days" / "index.html")
    caption = page.find(id="q-deployment-lasted-120-days-1").figcaption
    assert caption.select_one("a.fc-quote__archived")["href"] == \
        rich_content.sources["calitoday-unimaginable-burdens"].archived
    assert caption.select_one("a.fc-quote__original").find_next_sibling("a") == \
        caption.select_one("a.fc-quote__archived")


def test_without_a_url_there_is_no_original_link(built_site: Path) -> None:
    page = soup(built_site / "claims" / "deployment-lasted-120-days" / "index.html")
    assert page.select("a.fc-quote__original") == [] and page.select("a.fc-quote__in-source")


@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_text_survives_text_fragment_encoding(text: str) -> None:
    url = text_fragment_url("https://example.org/a", [text])
    encoded = url.split("#:~:text=", 1)[1]
    assert not set(encoded) & set("-&,#")
    assert unquote(encoded) == " ".join(text.split())


def test_text_fragment_examples() -> None:
    assert encode_text("120-day deployment, which began & ended") == \
        "120%2Dday%20deployment%2C%20which%20began%20%26%20ended"
    assert text_fragment_url("https://e.org/p#top", ["a", "b", "c"]) == "https://e.org/p#top:~:text=a,c"
    assert text_fragment_url("https://e.org/p", ["Ünïcode —"]) == \
        "https://e.org/p#:~:text=%C3%9Cn%C3%AFcode%20%E2%80%94"
