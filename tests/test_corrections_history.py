"""Corrections are visible: dated on the claim page, listed site-wide newest first, and a
changed verdict says so. Each claim page says when it last changed, from git history when
there is one."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup
from conftest import ENV, copy_project
from factcheck_site.content.git_dates import last_commit_dates, parse_git_log
from factcheck_site.content.model import Site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def target(site_dir: Path, page: Path, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    path = site_dir / posixpath.normpath(posixpath.join(page.parent.relative_to(site_dir).as_posix(), parts.path))
    return (path / "index.html" if path.is_dir() else path), parts.fragment


def test_claim_page_shows_dated_corrections_and_the_verdict_change(rich_site: Path) -> None:
    page = soup(rich_site / "claims" / "deployment-lasted-120-days" / "index.html")
    items = page.select("ul.fc-corrections > li")
    assert [li.time["datetime"] for li in items] == ["2026-11-21", "2026-11-20"], "dated, newest first"
    assert "Verdict changed from Mostly false to Unverified." in words(items[1])
    assert "Verdict changed" not in words(items[0])
    changed = page.select_one(".fc-verdict .fc-verdict__changed")
    assert [b.get_text() for b in changed.select(".fc-badge")] == ["Mostly false", "Unverified"]
    assert changed.time["datetime"] == "2026-11-20"
    assert page.select_one(".fc-verdict__label .fc-badge").get_text() == "Unverified"


def test_claim_without_verdict_change_says_nothing_about_one(rich_site: Path, rich_content: Site) -> None:
    unchanged = [c for c in rich_content.claims.values() if not any(x.previous_verdict for x in c.corrections)]
    assert unchanged
    for claim in unchanged:
        page = soup(rich_site / "claims" / claim.id / "index.html")
        assert page.select(".fc-verdict__changed") == []
        assert len(page.select("ul.fc-corrections li")) == len(claim.corrections)


def test_site_wide_corrections_page_lists_every_correction_newest_first(rich_site: Path, rich_content: Site) -> None:
    path, pages = rich_site / "corrections" / "index.html", []
    while True:  # the log is paginated: every page of it, in order
        pages.append((path, soup(path)))
        following = pages[-1][1].select_one("a[rel=next]")
        if following is None:
            break
        path = target(rich_site, path, following["href"])[0]
    items = [(page, item) for page, parsed in pages for item in parsed.select("li.fc-correction")]

    def unquoted(text: str) -> str:  # a linked title is in quotation marks in plain text, not on the page
        return text.replace("“", "").replace("”", "")

    expected = sorted(((c.date, claim.id, unquoted(rich_content.plain(c.text)))
                       for claim in rich_content.claims.values() for c in claim.corrections),
                      key=lambda e: e[0], reverse=True)
    assert len(items) == len(expected) >= 2
    shown = []
    for page, item in items:
        claim_page, fragment = target(rich_site, page, item.select_one("a.fc-item__claim")["href"])
        assert fragment == "corrections" and soup(claim_page).find(id="corrections") is not None
        shown.append((dt.date.fromisoformat(item.time["datetime"]), claim_page.parent.name,
                      # get_text(" ") puts a space between a link and the punctuation after it
                      unquoted(re.sub(r" (?=[,.;:)])", "", words(item.select_one(".fc-correction__text"))))))
    dates = [date for date, _, _ in shown]
    assert dates == sorted(dates, reverse=True), "newest first"
    assert sorted(shown) == sorted(expected)
    changed = [item for _, item in items if item.select(".fc-correction__change")]
    previous = [c.previous_verdict for claim in rich_content.claims.values() for c in claim.corrections
                if c.previous_verdict]
    assert len(changed) == len(previous) >= 1
    labels = {v.id: v.label for v in rich_content.verdicts.values()}
    assert sorted(item.select(".fc-badge")[0].get_text() for item in changed) == sorted(labels[p] for p in previous)


def test_corrections_policy_links_to_the_corrections_page(built_site: Path) -> None:
    path = built_site / "corrections-policy" / "index.html"
    links = [target(built_site, path, a["href"])[0] for a in soup(path).select("article a[href]")
             if not urlsplit(a["href"]).scheme]
    assert built_site / "corrections" / "index.html" in links
    corrections = soup(built_site / "corrections" / "index.html")
    assert corrections.select("li.fc-correction") or corrections.select_one("p.fc-empty") is not None


def test_last_changed_falls_back_to_the_editors_dates_without_git(rich_site: Path, rich_content: Site) -> None:
    for claim in rich_content.claims.values():
        page = soup(rich_site / "claims" / claim.id / "index.html")
        assert page.select_one(".fc-last-changed time")["datetime"] == claim.last_changed.isoformat()
    page = soup(rich_site / "claims" / "deployment-lasted-120-days" / "index.html")
    assert page.select_one(".fc-last-changed time")["datetime"] == "2026-11-21"


def git(repo: Path, *args: str, date: str = "2027-03-05T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.org"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_last_changed_comes_from_the_claim_files_git_history(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "import", date="2020-01-01T10:00:00+00:00")  # older than every published date
    edited = project / "claims" / "regiment-formed-in-may.yml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# a later fix\n", encoding="utf-8")
    git(project, "commit", "-qam", "fix", date="2027-03-05T23:30:00-05:00")  # 6 March in UTC
    (project / "claims" / "new-claim.yml").write_text(  # a claim of its own, in a copy of another's file
        (project / "claims" / "sappers-have-returned-home.yml").read_text(encoding="utf-8")
        .replace("have returned home.", "have come back home.", 1), encoding="utf-8")
    site = tmp_path / "site"
    # Built on a day after the commit: a commit dated after the build's day cannot be true, and is refused.
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=project,
                            env={**ENV, "FACTCHECK_BUILD_DATE": "2027-12-31"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    def shown(claim_id: str) -> str:
        return soup(site / "claims" / claim_id / "index.html").select_one(".fc-last-changed time")["datetime"]

    assert shown("regiment-formed-in-may") == "2027-03-06"
    editors = yaml.safe_load((project / "claims" / "sappers-have-returned-home.yml").read_text(encoding="utf-8"))
    latest = str(editors.get("updated") or editors["published"])
    assert shown("sappers-have-returned-home") == latest, "an older commit never hides the editor's dates"
    assert shown("new-claim") == latest, "not committed yet: the editor's dates"
    page = soup(site / "claims" / "regiment-formed-in-may" / "index.html")
    review = page.find("script", type="application/ld+json").string
    assert '"dateModified":"2027-03-06"' in review
    assert page.find("meta", attrs={"property": "article:modified_time"})["content"] == "2027-03-06"


def test_a_shallow_clone_does_not_date_every_file_to_its_newest_commit(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    (origin / "claims").mkdir(parents=True)
    (origin / "claims" / "old.yml").write_text("a\n")
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "old", date="2020-01-01T10:00:00+00:00")
    (origin / "claims" / "new.yml").write_text("b\n")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "new", date="2021-06-01T10:00:00+00:00")
    assert last_commit_dates(origin / "claims") == {"old.yml": dt.date(2020, 1, 1), "new.yml": dt.date(2021, 6, 1)}
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    assert last_commit_dates(clone / "claims") == {}, "the boundary commit's date is not a file's change date"
    assert last_commit_dates(tmp_path) == {}, "not a repository: no dates"


def test_parse_git_log_takes_each_files_newest_commit() -> None:
    log = ("\x01aaa 1700000000\n\nclaims-a.yml\nclaims-b.yml\n"
           "\x01bbb 1800000000\n\nclaims-a.yml\n"
           "\x01ccc 1900000000\n\nclaims-c.yml\n")
    latest = dt.date(2031, 1, 1)  # the build's day and its margin
    assert parse_git_log(log, latest=latest) == {"claims-a.yml": dt.date(2027, 1, 15),
                                                 "claims-b.yml": dt.date(2023, 11, 14),
                                                 "claims-c.yml": dt.date(2030, 3, 17)}
    assert parse_git_log(log, frozenset({"ccc"}), latest) == {"claims-a.yml": dt.date(2027, 1, 15),
                                                              "claims-b.yml": dt.date(2023, 11, 14)}
