"""How verdicts are shown: a tone (colour and shape) for each point of any scale, the meter on the
claim page, the home page's count per verdict, the scale page's way to every claim of a verdict, and
the badge that search results show. (tests/browser/test_verdicts_in_browser.py looks at them in
Chromium.)"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from building import load
from conftest import ROOT
from factcheck_site.content.verdict_scale import DEFAULT_SCALE, Verdict, rated
from factcheck_site.output.search_index import build_index, search_docs
from factcheck_site.render.context import RenderContext
from factcheck_site.render.listings import render_home_section, render_scale_page
from factcheck_site.render.markup import TONES, badge, tone, verdict_meter

SITE = load(ROOT / "claims", ROOT / "sources", ROOT)[0]


def test_every_scale_spans_the_tones_from_worst_to_best() -> None:
    assert [tone(v, DEFAULT_SCALE) for v in rated(DEFAULT_SCALE)] == [1, 2, 3, 4, 5, 6]
    three = (Verdict("no", "No", "x", 1), Verdict("partly", "Partly", "x", 2), Verdict("yes", "Yes", "x", 3),
             Verdict("unknown", "Unknown", "x", 0))
    assert [tone(v, three) for v in three] == [1, 4, TONES, 0]
    assert tone(three[0], three[:1]) == TONES  # a scale of one point


def test_the_meter_marks_a_point_and_puts_an_unrated_verdict_beside_the_scale() -> None:
    scale = DEFAULT_SCALE
    mixed = BeautifulSoup(verdict_meter(scale[2], scale), "html.parser")
    steps = mixed.select(".fc-meter__step")
    assert [s.get_text() for s in steps] == ["False", "Mostly false", "Misleading", "Mixed", "Mostly true", "True"]
    assert [s.get_text() for s in mixed.select(".fc-meter__step--here")] == ["Mixed"]
    assert mixed.div["role"] == "img" and mixed.div["aria-label"].startswith("Mixed: point 4 of 6")
    unrated = BeautifulSoup(verdict_meter(scale[-1], scale), "html.parser")
    assert not unrated.select(".fc-meter__step.fc-meter__step--here")
    assert unrated.select_one(".fc-meter__off.fc-meter__step--here").get_text() == "Unverified: not rated"
    assert "not rated" in unrated.div["aria-label"]


def test_a_badge_says_its_label_and_nothing_else() -> None:
    """Where the verdict sits on the scale is the claim page's meter's to show, once: no second meter of pips,
    which read as missing characters."""
    for verdict in DEFAULT_SCALE:
        page = BeautifulSoup(badge(verdict, DEFAULT_SCALE), "html.parser")
        assert page.get_text() == verdict.label and [e.name for e in page.find_all()] == ["span"]


def test_the_home_page_counts_the_claims_of_each_verdict() -> None:
    page = BeautifulSoup(render_home_section(RenderContext(SITE)), "html.parser")
    chips = page.select("nav.fc-chips a.fc-chip")
    counts = {chip["href"]: int(chip.select_one(".fc-chip__count").contents[0]) for chip in chips}
    expected = {}
    for claim in SITE.claims.values():
        expected[f"verdicts/{claim.verdict}/"] = expected.get(f"verdicts/{claim.verdict}/", 0) + 1
    assert counts == expected
    for chip in chips:  # read as "Mixed 1 fact-check"
        assert chip.select_one(".fc-visually-hidden").get_text().strip() in ("fact-check", "fact-checks")


def test_the_scale_page_leads_to_every_claim_of_a_verdict_it_lists_only_some_of() -> None:
    page = BeautifulSoup(render_scale_page(RenderContext(SITE)).split("\n---\n", 1)[1], "html.parser")
    for item in page.select(".fc-scale__item"):
        verdict = SITE.verdicts[item["id"]]
        count = sum(1 for c in SITE.claims.values() if c.verdict == verdict.id)
        listed = len(item.select(".fc-item"))
        more = item.select_one(".fc-more a")
        if count > listed:
            assert more is not None and more.get_text() == f"See all {count} fact-checks rated {verdict.label}"
            assert more["href"] == f"{verdict.id}/"
        else:
            assert more is None


def test_search_results_carry_each_claims_badge() -> None:
    docs = search_docs(SITE, directory_urls=True)
    _, files = build_index(docs, frozenset())
    rows = [row for name, text in files.items() if name.startswith("docs/") for row in json.loads(text)]
    claims = [row for row in rows if row[0].startswith("claims/")]
    assert len(claims) == len(SITE.claims)
    for location, _, text, shown in claims:
        verdict = SITE.verdicts[SITE.claims[location.split("/")[1]].verdict]
        assert shown == badge(verdict, SITE.scale) and text.startswith("Claim by ")
    assert all(len(row) == 3 for row in rows if row[0].startswith("sources/"))
