"""What readers read and where they can turn (issue 25), from real builds: plain words on the claim, source and
home pages and in the search interface; "Report an error" and "Suggest a claim" only where they lead somewhere
(the repository's issue forms, else a prefilled email), and a strict build for readers that stops when there is
no way to reach the desk."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ENV, copy_project

# Words of the software that makes the site, which mean nothing to a reader of a fact-check.
SOFTWARE_WORDS = re.compile(r"\b(?:pull requests?|builds?|snapshots?|documents)\b", re.IGNORECASE)
ROUTE_TITLES = ("Report an error", "Suggest a claim")


def _reader_text(html: str) -> str:
    """A page's visible text in its content and frame, without the articles' own words (quotes and a source's
    text are what the articles say, not what we say)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select("script, style, blockquote, .fc-snapshot, .md-search"):
        element.decompose()
    return soup.get_text(" ")


def test_reading_pages_speak_plainly(built_site: Path) -> None:
    pages = [built_site / "index.html", *sorted(built_site.glob("claims/*/index.html")),
             *sorted(built_site.glob("sources/*/index.html"))]
    assert len(pages) > 30
    found = {str(page.relative_to(built_site)): sorted(set(SOFTWARE_WORDS.findall(_reader_text(page.read_text()))))
             for page in pages}
    assert {page: words for page, words in found.items() if words} == {}


def test_the_search_interface_speaks_plainly(built_site: Path) -> None:
    """Material's words in the search box, and each claim's and source's line in the results."""
    config = BeautifulSoup((built_site / "index.html").read_text(), "html.parser").select_one("#__config")
    assert config is not None
    words = json.loads(config.string or "{}")["translations"]
    assert not [text for text in words.values() if SOFTWARE_WORDS.search(text)], words
    assert words["search.result.other"] == "# results"
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    lines = [doc.get("text", "") for doc in index["docs"] if "/" in doc.get("location", "")]
    claims_and_sources = [doc for doc in index["docs"] if doc.get("location", "").startswith(("claims/", "sources/"))]
    assert not [doc["text"] for doc in claims_and_sources if SOFTWARE_WORDS.search(doc["text"])], lines[:3]


def _build(project: Path, site: Path, *args: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in {**ENV, **env}.items() if value is not None}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(site), *args], cwd=project,
                          env=environment, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def _routes(site: Path) -> list[tuple[str, str]]:
    """(title, address) of every link to report an error or suggest a claim, on every page."""
    return [route for page in sorted(site.rglob("*.html")) for route in _routes_in(page.read_text())]


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The desk built for readers with neither a repository nor an email address."""
    project = copy_project(tmp_path_factory.mktemp("unreachable") / "project")
    return project, _build(project, project.parent / "site", REPO_URL=None)


def test_without_a_route_the_strict_build_stops_and_says_why(unreachable: tuple[Path, object]) -> None:
    project, _ = unreachable
    result = _build(project, project.parent / "strict", "--strict", REPO_URL=None)
    assert result.returncode != 0
    assert "readers have no way to reach the desk" in result.stderr and "Traceback" not in result.stderr


def test_without_a_route_no_page_shows_one(unreachable: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, result = unreachable
    assert result.returncode == 0, result.stderr
    site = project.parent / "site"
    assert (site / "claims").is_dir() and _routes(site) == []
    assert "corrections-policy/#how-to-report-an-error" not in (site / "index.html").read_text()


def test_a_local_build_only_notes_the_missing_route(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = _build(project, tmp_path / "site", "--strict", REPO_URL=None, SITE_URL=None)
    assert result.returncode == 0, result.stderr
    assert "readers have no way to reach the desk" in result.stderr  # said, as information


def _with_email(folder: Path, email: str) -> Path:
    """A copy of the desk whose organisation has an email address."""
    project = copy_project(folder / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("        name: Kursk Fact-Check Desk\n",
                                                 f"        name: Kursk Fact-Check Desk\n        email: {email}\n", 1))
    return project


def test_with_an_email_the_routes_are_prefilled_emails(tmp_path: Path) -> None:
    project = _with_email(tmp_path, "corrections@factcheck.test")
    result = _build(project, tmp_path / "site", "--strict", REPO_URL=None)
    assert result.returncode == 0, result.stderr
    routes = _routes(tmp_path / "site")
    assert {title for title, _ in routes} == set(ROUTE_TITLES)
    claim_page = (tmp_path / "site" / "claims" / "deployment-lasted-120-days" / "index.html").read_text()
    report = next(href for title, href in _routes_in(claim_page) if title == "Report an error")
    address = urlsplit(report)
    assert address.scheme == "mailto" and address.path == "corrections@factcheck.test"
    fields = {key: unquote(values[0]) for key, values in parse_qs(address.query).items()}
    assert fields["subject"].startswith("Error in a fact-check: The 528th regiment")
    assert "https://factcheck.test/claims/deployment-lasted-120-days/" in fields["body"]
    assert "+" not in report.split("?", 1)[1], "spaces are %20 in a mailto address, never +"


def test_an_address_that_is_not_one_is_a_warning(tmp_path: Path) -> None:
    result = _build(_with_email(tmp_path, "the editors"), tmp_path / "site", "--strict")
    assert result.returncode != 0 and "'the editors', which is not an email address" in result.stderr


def _routes_in(html: str) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)
            if a.get_text(strip=True) in ROUTE_TITLES]


