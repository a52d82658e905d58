"""What consumers of the site's data accept, checked with tools we did not write, pinned in
tests/validators/: Adobe's structured-data validator (Google's rich-result rules) on every
claim page, the Nu HTML Checker on every page, `frictionless validate` on datapackage.json,
and our check of every JSON-LD value against a vendored schema.org release.

Run on the repository's site and on one with a claim of every verdict, claimants of both
types and sources with and without an original URL (conftest.make_coverage_project)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.output.exports import CSV_COLUMNS, FORMULA_GUARD
from schemaorg_vocabulary import vocabulary

VALIDATORS = ROOT / "tests" / "validators"
VNU_JAR = VALIDATORS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FRICTIONLESS = Path(sys.executable).parent / "frictionless"
INSTALL = "./dev test installs it (npm ci in tests/validators)"


@dataclass(frozen=True)
class Accepted:
    tool: str  # "vnu" or "structured-data"
    message: str  # the start of the tool's message
    where: str  # what the report must show: the start of the offending markup, or the issue's JSON path
    reason: str
    applies: Callable[[dict[str, Any]], bool] = lambda page_data: True  # for structured data: the page's ClaimReview


def _unrated(review: dict[str, Any]) -> bool:
    return "ratingValue" not in review["reviewRating"]


# Everything that a validator reports and the tests accept, each with its reason; nothing else is accepted.
ACCEPTED = (
    Accepted("vnu", "Attribute “autocomplete” is only allowed when the input type is",
             '<input class="md-toggle" data-md-toggle=',
             "Material's base.html puts autocomplete=off on its drawer and search toggles (checkboxes) so that "
             "Firefox does not restore them checked on reload or back navigation; browsers honour it although "
             "HTML allows it only on text-like inputs, and base.html has no block to override just these inputs."),
    Accepted("vnu", "Bad value “” for attribute “tabindex” on element “label”", '<label class="md-nav__link',
             "Material 9.8's partials/nav-item.html writes tabindex=\"\" on the label of a navigation section "
             "(here: the paginated Browse pages); browsers ignore an empty tabindex, so the label is not in "
             "the tab order, which is what Material intends. Overriding nav-item.html would copy 170 lines "
             "of the theme."),
    Accepted("vnu", "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form",
             '<label class="md-nav__title" for="__toc">',
             "Material's partials/toc.html heads the table of contents with a label for the __toc toggle, which "
             "nav-item.html writes only for a page in the nav, where the drawer nests the table of contents. "
             "A page linked from the footer instead (plugins.factcheck.footer: the data page) is not in the nav, "
             "so the label toggles nothing and is just the heading; overriding toc.html would copy the theme."),
    Accepted("structured-data", 'Required attribute "ratingValue" is missing',
             '[{"type": "ClaimReview", "index": 0}, {"property": "reviewRating", "type": "Rating"}]',
             "Adobe's validator has no ClaimReview rules and checks every Rating by the review-snippet rule "
             "that requires ratingValue. Google's ClaimReview documentation requires only alternateName in "
             "reviewRating and recommends ratingValue; an unrated verdict (\"Unverified\") has no number "
             "that would not place it on the scale. Accepted only on a ClaimReview whose rating has no "
             "ratingValue.", _unrated),
)


def _accepted(tool: str, message: str, where: str, page_data: Any = None) -> Accepted | None:
    for rule in ACCEPTED:
        matches = rule.tool == tool and message.startswith(rule.message) and where.lstrip().startswith(rule.where)
        if matches and (tool != "structured-data" or rule.applies(page_data)):
            return rule
    return None


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def json_ld(path: Path) -> list[dict[str, Any]]:
    return [json.loads(s.string) for s in soup(path).find_all("script", type="application/ld+json")]


@pytest.fixture(scope="module", params=["repository", "coverage"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("built_site" if request.param == "repository" else "coverage_site")


def claim_pages(site: Path) -> list[Path]:
    pages = sorted((site / "claims").glob("*/index.html"))
    assert pages
    return pages


_structured_data_reports: dict[Path, dict[str, Any]] = {}


def structured_data_report(site: Path) -> dict[str, Any]:
    """Adobe's validator on every claim page of a site: one node process per site."""
    if site not in _structured_data_reports:
        node = shutil.which("node")
        assert node and (VALIDATORS / "node_modules" / "@adobe").is_dir(), f"the validators are missing: {INSTALL}"
        result = subprocess.run([node, "check-structured-data.mjs", *map(str, claim_pages(site))], cwd=VALIDATORS,
                                capture_output=True, text=True, timeout=900, check=False)
        assert result.returncode == 0, result.stderr
        _structured_data_reports[site] = json.loads(result.stdout)
    return _structured_data_reports[site]


def test_google_rules_validator_reports_no_error_on_any_claim_page(site: Path) -> None:
    report = structured_data_report(site)
    assert len(report) == len(claim_pages(site))
    errors = []
    for page, result in report.items():
        assert result["items"] == {"ClaimReview": 1}, page
        [review] = json_ld(Path(page))
        for issue in result["issues"]:
            if issue["severity"] != "ERROR":
                continue
            if not _accepted("structured-data", issue["issueMessage"], json.dumps(issue["path"]), review):
                errors.append((Path(page).parent.name, issue["issueMessage"], issue["path"]))
    assert errors == []


def test_claim_pages_and_the_feed_fit_the_schemaorg_vocabulary(site: Path) -> None:
    vocab = vocabulary()
    assert vocab.version == "30.0"
    for page in site.rglob("*.html"):
        for document in json_ld(page):
            assert vocab.check(document) == [], page
    assert vocab.check(json.loads((site / "claimreview.json").read_text(encoding="utf-8"))) == []
    organization = json.loads((site / "claims.json").read_text(encoding="utf-8"))["site"]["organization"]
    assert vocab.check({"@context": "https://schema.org", **organization}) == []


def test_the_schemaorg_check_finds_what_is_wrong() -> None:
    vocab = vocabulary()
    review = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://example.org/c/",
              "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
              "itemReviewed": {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "url": "https://a.example/"}]}}
    assert vocab.check(review) == []
    assert vocab.check({**review, "@context": "http://schema.org"}) == ["$: @context must be 'https://schema.org'"]
    assert vocab.check({**review, "@type": "FactCheck"}) == ["$: FactCheck is not a schema.org type"]
    assert vocab.check({**review, "verdict": "x"}) == ["$.verdict: verdict is not a schema.org property"]
    assert vocab.check({**review, "ratingValue": 1}) == [
        "$.ratingValue: ratingValue is not a property of ClaimReview (it is one of Rating)"]
    assert vocab.check({**review, "url": "claims/x/"}) == ['$.url: "claims/x/" is not a URL']
    assert vocab.check({**review, "datePublished": "12/11/2025"}) == [
        '$.datePublished: "12/11/2025" is not a Date or DateTime']
    assert vocab.check({**review, "itemReviewed": {"@type": "Claim", "appearance": "https://a.example/"}}) == [
        '$.itemReviewed.appearance: "https://a.example/" is not a CreativeWork']
    assert vocab.check({**review, "author": {"@type": "Rating"}}) == [
        "$.author: a Rating is not one of the expected Organization, Person"]
    assert vocab.check({**review, "reviewRating": {"@type": "Rating", "ratingValue": True}}) == [
        "$.reviewRating.ratingValue: true is not a Text or Number"]


def test_the_coverage_site_has_what_the_validators_must_see(coverage_site: Path) -> None:
    reviews = [json_ld(page)[0] for page in claim_pages(coverage_site)]
    labels = {r["reviewRating"]["alternateName"] for r in reviews}
    assert {v.label for v in DEFAULT_SCALE} <= labels
    # a claim known through one article whose publisher is not named has no author: never one the page cannot name
    assert {r["itemReviewed"]["author"]["@type"] for r in reviews if "author" in r["itemReviewed"]} == {
        "Person", "Organization"}
    appearances = [a for r in reviews for a in r["itemReviewed"].get("appearance", [])]
    assert any("url" in a for a in appearances) and any("url" not in a for a in appearances)
    assert any("firstAppearance" in r["itemReviewed"] for r in reviews)
    assert any("appearance" not in r["itemReviewed"] for r in reviews)
    unrated = [r["reviewRating"] for r in reviews if r["reviewRating"]["alternateName"] == "Unverified"]
    assert unrated and all(set(r) == {"@type", "alternateName", "ratingExplanation"} for r in unrated)


@pytest.fixture(scope="session")
def vnu_report(built_site: Path, coverage_site: Path) -> dict[Path, list[dict[str, Any]]]:
    """The Nu HTML Checker's errors on every page of both sites, from one run of vnu.jar."""
    java = shutil.which("java")
    assert java, "the Nu HTML Checker needs Java: ./dev test installs Debian's default-jre-headless"
    assert VNU_JAR.is_file(), f"vnu.jar is missing: {INSTALL}"
    pages = sorted([*built_site.rglob("*.html"), *coverage_site.rglob("*.html")])
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, pages)],
                            capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr)["messages"]
    assert result.returncode in (0, 1), result.stderr
    report: dict[Path, list[dict[str, Any]]] = {page: [] for page in pages}
    for message in messages:
        report.setdefault(Path(message.get("url", "file:?").removeprefix("file:")), []).append(message)
    return report


def test_nu_html_checker_reports_no_error_in_our_markup(vnu_report: dict[Path, list[dict[str, Any]]]) -> None:
    errors, seen = [], set()
    for page, messages in vnu_report.items():
        for message in messages:
            rule = _accepted("vnu", message["message"], message.get("extract", "")[message.get("hiliteStart", 0):])
            if rule:
                seen.add(rule.message)
            else:
                errors.append((str(page), message.get("lastLine"), message["message"], message.get("extract")))
    assert errors == []
    stale = {r.message for r in ACCEPTED if r.tool == "vnu"} - seen
    assert stale == set(), "the theme no longer makes these errors: remove them from ACCEPTED"


def frictionless_validate(folder: Path) -> dict[str, Any]:
    assert FRICTIONLESS.is_file(), "frictionless is missing: ./dev test installs the test lock"
    result = subprocess.run([str(FRICTIONLESS), "validate", "--json", "datapackage.json"], cwd=folder,
                            capture_output=True, text=True, timeout=600, check=False)
    return json.loads(result.stdout)


def test_frictionless_validates_the_data_package(site: Path) -> None:
    report = frictionless_validate(site)
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == ["claims.csv", "claims.json"]
    table = package["resources"][0]
    assert [f["name"] for f in table["schema"]["fields"]] == list(CSV_COLUMNS)
    assert FORMULA_GUARD in table["description"]


def test_the_data_package_catches_a_formula_and_a_changed_file(coverage_site: Path, tmp_path: Path) -> None:
    for name in ("claims.csv", "claims.json", "datapackage.json"):
        shutil.copy(coverage_site / name, tmp_path / name)
    text = (tmp_path / "claims.csv").read_bytes().decode("utf-8")
    header, first, rest = text.split("\r\n", 2)
    cells = first.split(",", 3)
    cells[2] = "=HYPERLINK(1)"
    changed = "\r\n".join([header, ",".join(cells), rest]).encode("utf-8")
    (tmp_path / "claims.csv").write_bytes(changed)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"][0].update(bytes=len(changed), hash="sha256:" + hashlib.sha256(changed).hexdigest())
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "claims.json").write_text("{}", encoding="utf-8")
    report = frictionless_validate(tmp_path)
    found = {(e["type"], e.get("fieldName")) for task in report["tasks"] for e in task["errors"]}
    assert ("constraint-error", "claim") in found, found
    assert any(kind in ("hash-count", "byte-count") for kind, _ in found), found
