"""The reader frame's decisions (output/reader_frame.py), without a build: which repository addresses
get issue forms, what the forms' and emails' addresses carry, that a route exists only where it leads
somewhere, the desk's mark and colour."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from factcheck_site.output.reader_frame import (
    MARK_URI,
    ReaderFrame,
    brand_css,
    claim_report,
    contrast,
    correction_report,
    email_address,
    github_repository,
    identity,
    section_src,
)


@pytest.mark.parametrize(("repo_url", "expected"), [
    ("https://github.com/desk/site", "https://github.com/desk/site"),
    ("https://github.com/desk/site/", "https://github.com/desk/site"),
    ("https://github.com/desk/site.git", "https://github.com/desk/site"),
    ("https://git.factcheck.test/desk/site", None),  # no issue forms elsewhere
    ("https://github.com/desk", None),
    ("https://github.com/desk/site/issues", None),
    ("", None),  # REPO_URL set empty by the publishing workflow for a private repository
    (None, None),
])
def test_only_a_github_repository_gets_issue_forms(repo_url: str | None, expected: str | None) -> None:
    assert github_repository(repo_url) == expected


def test_the_error_form_is_prefilled_with_the_claim() -> None:
    claim = "A claim with & and ? and a very long tail " + "x" * 100
    report = correction_report("https://github.com/desk/site", None, claim, "https://desk.test/claims/a/")
    assert report is not None and report.link.title == "Report an error" and "GitHub" in report.note
    url = urlsplit(report.link.url or "")
    assert url.path == "/desk/site/issues/new"
    query = parse_qs(url.query)
    assert query["template"] == ["correction.yml"] and query["claim"] == [claim]
    assert query["claim_url"] == ["https://desk.test/claims/a/"]
    assert query["title"][0].startswith("Correction: A claim with & and ?") and query["title"][0].endswith("\u2026")


def test_without_a_repository_the_routes_are_prefilled_emails() -> None:
    report = correction_report(None, "desk@factcheck.test", "A claim & more?", "https://desk.test/claims/a/")
    assert report is not None and report.link.title == "Report an error"
    url = urlsplit(report.link.url or "")
    assert url.scheme == "mailto" and url.path == "desk@factcheck.test" and "+" not in url.query
    fields = {key: unquote(value[0]) for key, value in parse_qs(url.query, keep_blank_values=True).items()}
    assert fields["subject"] == "Error in a fact-check: A claim & more?"
    assert fields["body"].startswith("Fact-check: https://desk.test/claims/a/\n")
    suggestion = claim_report(None, "desk@factcheck.test")
    assert suggestion is not None and (suggestion.link.url or "").startswith("mailto:desk@factcheck.test?subject=")


def test_with_neither_there_is_no_link_rather_than_a_made_up_one() -> None:
    assert correction_report(None, None, "A claim.", None) is None and claim_report(None, None) is None


@pytest.mark.parametrize(("repo_url", "email", "site_url", "warned", "noted"), [
    (None, None, "https://desk.test/", True, False),  # published with no way in: the strict build stops
    (None, None, "http://127.0.0.1:8000/", False, True),  # a local build: said, but no reader sees it
    (None, None, "http://localhost:8000/", False, True),
    ("https://github.com/desk/site", None, "https://desk.test/", False, False),
    (None, "desk@factcheck.test", "https://desk.test/", False, False),
    ("https://git.factcheck.test/desk/site", None, "https://desk.test/", True, False),  # no forms there
])
def test_a_build_for_readers_warns_when_they_cannot_reach_the_desk(
        repo_url: str | None, email: str | None, site_url: str, warned: bool, noted: bool) -> None:
    warnings, notes = ReaderFrame(repo_url, email, [], False).route_problems(email, site_url)
    assert any("readers have no way to reach the desk" in w for w in warnings) == warned
    assert bool(notes) == noted


@pytest.mark.parametrize("value", ["desk", "desk@", "@factcheck.test", "a b@factcheck.test", "desk@factcheck",
                                   "<desk@factcheck.test>", "desk@factcheck.test, other@factcheck.test"])
def test_an_email_that_is_not_one_address_is_no_route(value: str) -> None:
    assert email_address(value) is None
    warnings, _ = ReaderFrame(None, value, [], False).route_problems(value, "https://desk.test/")
    assert any("not an email address" in w for w in warnings)


def test_the_desks_mark_is_its_logo_or_the_generators_never_the_themes() -> None:
    assert identity({}) == (MARK_URI, MARK_URI)
    assert identity({"logo": "assets/logo.svg"}) == ("assets/logo.svg", "assets/logo.svg")
    assert identity({"logo": "/assets/logo.svg", "favicon": "assets/icon.png"}) == ("assets/logo.svg",
                                                                                    "assets/icon.png")
    # a logo elsewhere would make every reader's browser contact another host: the mark instead
    assert identity({"logo": "https://cdn.factcheck.test/logo.svg"}) == (MARK_URI, MARK_URI)


@pytest.mark.parametrize("colour", ["#1d3557", "#ffcc00", "#777777", "#808080", "#fff", "#000"])
def test_the_header_text_reads_on_the_desks_colour(colour: str) -> None:
    css = brand_css(colour)
    ink = css.split("--fc-brand-ink: ")[1].split(";")[0]
    full = colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])
    assert contrast(ink, full) >= 4.5, (colour, ink)
    assert brand_css(None) == ""


@pytest.mark.parametrize(("src", "section"), [
    ("claims/some-claim.md", "archive/index.md"),
    ("sources/an-article.md", "sources/index.md"),
    ("sources/an-article/cited-by.md", "sources/index.md"),
    ("claimants/calitoday/index.md", "claimants/index.md"),
    ("tags/timeline/2.md", "tags/index.md"),
    ("verdicts/false/index.md", "verdicts/index.md"),
    ("archive/2.md", "archive/index.md"),
    ("verdicts/index.md", None),  # a listing in the nav marks itself
    ("tags/index.md", None),
    ("about.md", None),
])
def test_generated_pages_belong_under_their_listing(src: str, section: str | None) -> None:
    assert section_src(src) == section
