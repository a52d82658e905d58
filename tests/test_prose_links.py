"""Links to sources and fact-checks by id in editors' prose (issue 13), the claim shown as a quote only
when it is one, and who relayed a claim (issue 14): what the pages, feeds and exports make of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from building import build
from conftest import CASES, ROOT, examples
from factcheck_site.content import prose_links
from factcheck_site.content.prose_links import plain_text, prose_problems
from factcheck_site.render.safe_markdown import markdown_to_html, text_to_html
from hypothesis import given, settings
from hypothesis import strategies as st

GOOD = CASES / "good-claims"


def _site(tmp_path: Path, *names: str):  # noqa: ANN202
    claims = tmp_path / "claims"
    claims.mkdir()
    for name in names:
        shutil.copy(GOOD / name, claims / name)
    built = build(claims, ROOT / "sources", tmp_path)
    assert built.problems == []
    return built


def test_links_show_titles_and_lead_to_the_pages(tmp_path: Path) -> None:
    built = _site(tmp_path, "quote-links-and-attribution.yml")
    page = built.pages["claims/quote-links-and-attribution.md"]
    title = built.site.sources["dprk-soldiers-return-home"].title
    href = "../../sources/dprk-soldiers-return-home/"
    assert f'<a href="{href}" class="fc-ref fc-ref--source"><cite>{title}</cite></a>' in page  # the analysis
    assert f'<a class="fc-ref fc-ref--source" href="{href}"><cite>{title}</cite></a>' in page  # the correction
    assert '<a href="../../sources/calitoday-unimaginable-burdens/" class="fc-ref fc-ref--source">CaliToday</a>' in page
    assert 'href="./" class="fc-ref fc-ref--claim">Kim detailed' in page
    assert "source:" not in page.split("\n---\n", 1)[1] and "claim:" not in page.split("\n---\n", 1)[1]


def test_a_claim_is_in_quotation_marks_only_when_it_is_a_quote(tmp_path: Path) -> None:
    built = _site(tmp_path, "quote-links-and-attribution.yml", "claimant-via-a-name.yml")
    quoted = built.pages["claims/quote-links-and-attribution.md"]
    ours = built.pages["claims/claimant-via-a-name.md"]
    assert 'class="fc-claim__text fc-claim__text--quote"' in quoted and ">Quote</span>" in quoted
    assert 'class="fc-claim__text fc-claim__text--claim"' in ours and ">Claim</span>" in ours
    css = (ROOT / "generator" / "factcheck_site" / "assets" / "factcheck.css").read_text(encoding="utf-8")
    assert ".fc-claim__text--quote::before" in css and ".fc-claim__text::before" not in css


def test_claimant_via_is_shown_and_grouped_by_the_claimant_alone(tmp_path: Path) -> None:
    built = _site(tmp_path, "quote-links-and-attribution.yml", "claimant-via-a-name.yml")
    by_source = built.pages["claims/quote-links-and-attribution.md"]
    by_name = built.pages["claims/claimant-via-a-name.md"]
    assert ('<strong>Kim Jong Un</strong></a>, according to <a class="fc-claimant__via" '
            'href="../../sources/calitoday-unimaginable-burdens/"') in by_source
    assert ', according to <span class="fc-claimant__via">KCNA, the state news agency</span>' in by_name
    claimants = [src for src in built.pages if src.startswith("claimants/") and src != "claimants/index.md"]
    assert claimants == ["claimants/kim-jong-un/index.md"]


def test_feeds_exports_and_search_carry_readable_text(tmp_path: Path) -> None:
    from factcheck_site.content.publisher import publication_from_config
    from factcheck_site.output.exports import claim_record
    from factcheck_site.output.search_index import search_docs
    from factcheck_site.render.structured_data import claim_data

    built = _site(tmp_path, "quote-links-and-attribution.yml")
    site = built.site
    claim = site.claims["quote-links-and-attribution"]
    publication, _ = publication_from_config("https://factcheck.test/", "Test", "", "en", {"name": "Desk"}, True)
    assert publication is not None
    record = claim_record(claim, site, publication)
    text = json.dumps(record, ensure_ascii=False)
    assert "(source:" not in text and "(claim:" not in text
    title = site.sources["calitoday-unimaginable-burdens"].title
    assert record["quotes"][0]["note"] == f"The speech itself is not in “{title}”, only this summary."
    assert "[CaliToday](https://factcheck.test/sources/calitoday-unimaginable-burdens/)" in record["analysis"]
    assert record["claim_is_quote"] is True
    assert (record["claimant_via"], record["claimant_via_source"]) == ("CaliToday", "calitoday-unimaginable-burdens")
    docs = search_docs(site, True)
    assert docs[0].text == "Claim by Kim Jong Un, according to CaliToday"
    item = claim_data(claim, site)
    # known through CaliToday alone: the data names CaliToday as the author, as the page says "according to" it
    assert item["author"] == {"@type": "Organization", "name": "CaliToday"}
    assert [a["headline"] for a in item["appearance"]] == [title]  # the relaying source, once


def test_a_relaying_source_is_an_appearance_in_structured_data(tmp_path: Path) -> None:
    from factcheck_site.render.structured_data import claim_data

    claims = tmp_path / "claims"
    claims.mkdir()
    text = (GOOD / "minimal.yml").read_text(encoding="utf-8")
    (claims / "relayed.yml").write_text(text.replace("claimant: CaliToday", "claimant: KCNA\n"
                                                     "claimant_via: calitoday-unimaginable-burdens"))
    built = build(claims, ROOT / "sources", tmp_path)
    assert built.problems == []
    item = claim_data(built.site.claims["relayed"], built.site)
    assert [a["headline"] for a in item["appearance"]] == [built.site.sources["calitoday-unimaginable-burdens"].title]


HOSTILE = '<script>alert(1)</script> & "quotes" [x](javascript:alert(1))'


def test_titles_and_words_cannot_carry_markup() -> None:
    def resolve(kind: str, ref_id: str) -> tuple[str, str]:
        return f'../"><script>{ref_id}/', HOSTILE

    for rendered in (markdown_to_html("See [](source:a) and [*w*](claim:b).", resolve),
                     text_to_html(f"See [](source:a) and [{HOSTILE}](claim:b). {HOSTILE}", resolve)):
        assert "<script" not in rendered and 'href="../">' not in rendered
        assert 'href="javascript' not in rendered


def test_an_unknown_target_renders_as_words_not_as_a_broken_link() -> None:
    assert markdown_to_html("See [](source:gone) and [these words](claim:gone).", lambda k, i: None) == \
        "<p>See gone and these words.</p>"
    assert text_to_html("See [](source:gone).", lambda k, i: None) == "See gone."


def test_bare_ids_are_whole_tokens_outside_links_and_addresses() -> None:
    sources, claims = {"dprk-a", "kcna"}, {"the-claim"}
    text = ("*dprk-a*, (dprk-a). dprk-a-2 DPRK-a dprk-ab x-dprk-a [](source:dprk-a) [kcna](source:kcna) "
            "https://example.org/dprk-a <https://example.org/kcna> [w](https://example.org/the-claim)\nthe-claim")
    found = prose_problems("analysis", text, sources, claims)
    assert [(line, message.split(":")[0]) for line, message in found] == [
        (0, "'analysis' shows readers a bare source id"), (0, "'analysis' shows readers a bare source id"),
        (1, "'analysis' shows readers a bare claim id")]


def test_plain_text_shows_titles_in_quotation_marks_and_claims_as_written() -> None:
    titles = {("source", "a"): "Title A", ("claim", "c"): "The claim."}
    assert plain_text("In [](source:a), [words](source:a) and [](claim:c)", lambda k, i: titles.get((k, i))) == \
        "In “Title A”, words and The claim."


ID_PIECES = ["ab", "ab-c", "b", "x1", "a-b", "bc", "-", "é", "\u2014", "\U0001f600", "\ud800", " ", "\n", "*", "_",
             ".", "A", "9", "[", "](claim:bc)", "<source:ab>", "https://ab.c/x1", "x-1", "b-c-d", "--"]
# Ids of every kind; and ids that all have a hyphen, where the quick look takes only the runs that have one.
IDS = [({"ab": None, "ab-c": None, "b": None, "x1": None}, frozenset({"a-b", "bc"})),
       ({"ab-c": None, "x-1": None}, frozenset({"a-b", "b-c-d"}))]


@settings(max_examples=examples(300, 3000), deadline=None)
@given(st.lists(st.sampled_from(ID_PIECES), max_size=20).map("".join), st.booleans(), st.sampled_from(IDS))
def test_the_quick_look_for_bare_ids_misses_none(text: str, markdown: bool, ids: tuple[dict, frozenset]) -> None:
    """Prose is searched word by word only where a quick look (runs of id characters, found in bytes) sees an id:
    on text of ids, letters outside ASCII, emoji, a lone surrogate and links, what it reports is what the search of
    every word reports."""
    sources, claims = ids
    quick = prose_problems("analysis" if markdown else "summary", text, sources, claims, (), markdown)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prose_links, "_may_hold_id", lambda words, sources, claims: True)
        every_word = prose_problems("analysis" if markdown else "summary", text, sources, claims, (), markdown)
    assert quick == every_word
