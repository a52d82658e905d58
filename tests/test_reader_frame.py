"""The reader frame's decisions (output/reader_frame.py), without a build: which repository addresses
get issue forms, what the forms' addresses carry, and where the honest fallback points."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from factcheck_site.output.reader_frame import (
    claim_report,
    correction_report,
    github_repository,
    report_fallback,
    section_src,
)


@pytest.mark.parametrize(("repo_url", "expected"), [
    ("https://github.com/desk/site", "https://github.com/desk/site"),
    ("https://github.com/desk/site/", "https://github.com/desk/site"),
    ("https://github.com/desk/site.git", "https://github.com/desk/site"),
    ("https://git.factcheck.test/desk/site", None),  # no issue forms elsewhere
    ("https://github.com/desk", None),
    ("https://github.com/desk/site/issues", None),
    (None, None),
])
def test_only_a_github_repository_gets_issue_forms(repo_url: str | None, expected: str | None) -> None:
    assert github_repository(repo_url) == expected


def test_the_correction_form_is_prefilled_with_the_claim() -> None:
    claim = "A claim with & and ? and a very long tail " + "x" * 100
    report = correction_report("https://github.com/desk/site", None, claim, "https://desk.test/claims/a/")
    assert report is not None and report.is_form and report.link.title == "Suggest a correction"
    url = urlsplit(report.link.url)
    assert url.path == "/desk/site/issues/new"
    query = parse_qs(url.query)
    assert query["template"] == ["correction.yml"] and query["claim"] == [claim]
    assert query["claim_url"] == ["https://desk.test/claims/a/"]
    assert query["title"][0].startswith("Correction: A claim with & and ?") and query["title"][0].endswith("\u2026")


def test_without_a_repository_the_links_lead_to_the_corrections_policy() -> None:
    fallback = report_fallback("corrections-policy/", "# Policy\n\n## How to report an error\n\nWrite to us.")
    assert fallback == "corrections-policy/#how-to-report-an-error"
    assert report_fallback("corrections-policy/", "# Policy\n\nNo such section.") == "corrections-policy/"
    correction = correction_report(None, fallback, "A claim.", None)
    assert correction is not None and not correction.is_form and correction.link.url == fallback
    suggestion = claim_report(None, fallback)
    assert suggestion is not None and suggestion.link.url == fallback


def test_with_neither_there_is_no_link_rather_than_a_made_up_one() -> None:
    assert report_fallback(None, None) is None
    assert correction_report(None, None, "A claim.", None) is None and claim_report(None, None) is None


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
